"""The template context: every value the templates show (ids, anchors, labels, periods,
Gantt geometry), computed once per render by one small builder per chapter."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from psc_roadmap.enums import FEASIBILITY_ORDER, STATUS_ORDER
from psc_roadmap.history.compare import Comparison
from psc_roadmap.labels import labels_for
from psc_roadmap.models import Action
from psc_roadmap.periods import span
from psc_roadmap.project import Entry, Project, Roadmap
from psc_roadmap.render.changes import Wording, changes_view, heading
from psc_roadmap.render.environment import RenderError
from psc_roadmap.render.filters import Anchors, trusted
from psc_roadmap.render.gantt import gantt_chart
from psc_roadmap.render.toc import placeholders
from psc_roadmap.render.views import (
    ActionView,
    AxisView,
    BodyView,
    ChangesView,
    Chapter,
    LegendItem,
    PrincipleView,
    Ref,
    RoadmapView,
    StatusColumn,
    ThemeView,
    TreeNode,
    YearGroup,
)
from psc_roadmap.text import directional, natural_key, one_line

#: The HTML ids of the chapters (and of the table of contents), kept from item anchors.
CHAPTER_KEYS: tuple[str, ...] = (
    "toc", "objectives", "axes", "principles", "governance", "index", "progress", "changes",
)

#: A symbol per status, shown next to its label (never alone) and after each Gantt bar.
STATUS_SYMBOLS: dict[str, str] = {
    "planned": "○",
    "in_progress": "◐",
    "done": "✓",
    "on_hold": "‖",
    "cancelled": "✕",
}
#: mermaid gantt task tags: mermaid's own styles for done and current work.
MERMAID_TAGS: dict[str, str] = {"in_progress": "active, ", "done": "done, ", "cancelled": "crit, "}


@dataclass(slots=True)
class ContextBuilder:
    """What the chapters' builders share: the project, the labels, the anchors made so far
    and a link to every item, made once before any chapter."""

    project: Project
    lang: str
    labels: dict[str, Markup]
    anchors: Anchors = field(default_factory=lambda: Anchors((*CHAPTER_KEYS, "main", "top")))
    refs: dict[str, Ref] = field(default_factory=dict)
    index_anchors: dict[str, str] = field(default_factory=dict)
    mermaid_ids: dict[str, str] = field(default_factory=dict)
    #: HTML: user text escaped once here (an action's title is printed four or five times).
    html: bool = False

    def text(self, value: str) -> str:
        """An action's own text for the templates: escaped once for HTML, and isolated in
        `<bdi>` where its direction could reorder the text printed beside it."""
        if not self.html:
            return value
        if directional(value):
            return Markup("<bdi>") + escape(value) + Markup("</bdi>")
        return escape(value)


def build_context(project: Project, lang: str | None = None, fmt: str = "md",
                  since: Comparison | None = None) -> dict[str, Any]:
    """Everything the templates show, computed once, the same for both formats (for HTML,
    an action's own text comes escaped already, which prints the same bytes faster).
    `since`: what changed since a revision, for its chapter and the status board's marks."""
    if project.document is None:
        raise RenderError("the project has no valid document in axes.yaml")
    language = lang or project.document.language.value
    # Labels are ours, never data: marked safe once, so that HTML output skips escaping them.
    labels = {key: trusted(value) for key, value in labels_for(language).items()}
    b = ContextBuilder(project, language, labels, html=fmt == "html")
    roadmaps = project.ordered_roadmaps()
    _link_items(b, roadmaps)
    views = {
        action.id: _action_view(b, roadmap, action) for roadmap in roadmaps for action in roadmap.actions
    }
    # Roadmap order, then start, then id: the order of every listing of actions.
    ordered = _sorted(views.values(), roadmaps)
    roadmap_views = _roadmaps(b, roadmaps, views)
    bodies = _body_views(b, ordered)
    governance = _governance(b, bodies, len(roadmap_views) + 1)
    chapters = _chapters(b, roadmap_views, governance["heading"], since)
    return {
        **_cover(b),
        "axes": _axes(b, ordered, bodies, roadmaps),
        **_principles(b),
        "roadmaps": roadmap_views,
        "governance": governance,
        **_progress(b, ordered),
        **_index(b, ordered),
        "actions": ordered,
        "chapters": chapters,
        "changes": _changes(b, views, since, chapters[-1].md_anchor),
    }


def _link_items(b: ContextBuilder, roadmaps: Sequence[Roadmap]) -> None:
    """A `Ref` (and so an anchor) for every item, in a fixed order: anchors that collide
    are numbered in that order."""
    labels = b.labels
    for number, axis in enumerate(b.project.axes, 1):
        b.refs[axis.id] = Ref(trusted(axis.id), b.anchors.make("axis", axis.id),
                              trusted(f"{labels['axis']} {number}"), axis.model.title)
    b.index_anchors.update({e.id: b.anchors.make("index-axis", e.id) for e in b.project.axes})
    for principle in b.project.principles:
        b.refs[principle.id] = Ref(trusted(principle.id), b.anchors.make("principle", principle.id),
                                   trusted(principle.id), principle.model.title)
    for body in b.project.bodies:
        b.refs[body.id] = Ref(trusted(body.id), b.anchors.make("body", body.id), b.text(body.model.name),
                              body.model.name)
    for roadmap in roadmaps:
        b.refs[roadmap.id] = Ref(trusted(roadmap.id), b.anchors.make("roadmap", roadmap.id),
                                 b.text(roadmap.header.title), roadmap.header.title)
        for theme in roadmap.themes:
            b.refs[theme.id] = Ref(trusted(theme.id), b.anchors.make("theme", theme.id),
                                   b.text(theme.model.title), theme.model.title)
    for roadmap in roadmaps:
        for action in roadmap.actions:
            b.refs[action.id] = Ref(trusted(action.id), b.anchors.make("action", action.id), trusted(action.id),
                                    action.model.title)
            b.mermaid_ids[action.id] = trusted(f"a{len(b.mermaid_ids) + 1}")


# --- one builder per chapter ----------------------------------------------------------------


def _cover(b: ContextBuilder) -> dict[str, Any]:
    """The cover, the objectives and the footer: the document's own fields."""
    return {"lang": b.lang, "labels": b.labels, "doc": b.project.document}


def _axes(b: ContextBuilder, ordered: list[ActionView], bodies: list[BodyView],
          roadmaps: Sequence[Roadmap]) -> list[AxisView]:
    labels = b.labels
    numbers = {entry.id: number for number, entry in enumerate(b.project.axes, 1)}
    roadmap_refs = [b.refs[r.id] for r in roadmaps]
    axes = []
    for entry in b.project.axes:
        axis = entry.model
        ref = b.refs[entry.id]
        serving = tuple(a for a in ordered if any(x.id == entry.id for x in a.axes))
        served_by = tuple(b.refs[body.id] for body in bodies if any(x.id == entry.id for x in body.axes))
        axes.append(AxisView(
            entry.id, ref.anchor, b.index_anchors[entry.id], numbers[entry.id], ref.label, axis.title,
            f"{ref.label}{labels['colon']}{one_line(axis.title)}", axis.goal, axis.description, serving,
            tuple((r, tuple(a for a in serving if a.roadmap is r)) for r in roadmap_refs
                  if any(a.roadmap is r for a in serving)),
            served_by,
        ))
    return axes


def _principles(b: ContextBuilder) -> dict[str, Any]:
    labels = b.labels
    principles = [
        PrincipleView(e.id, b.refs[e.id].anchor, e.model.title, e.model.kind.value,
                      labels[f"kind.{e.model.kind.value}"], e.model.description)
        for e in b.project.principles
    ]
    groups = [
        (labels[plural], [p for p in principles if p.kind == kind])
        for kind, plural in (("guideline", "guidelines"), ("attention", "attentions"))
    ]
    return {"principles": principles, "principle_groups": groups}


def _roadmaps(b: ContextBuilder, roadmaps: Sequence[Roadmap], views: Mapping[str, ActionView]) -> list[RoadmapView]:
    return [
        _roadmap_view(b, number, roadmap, [views[a.id] for a in roadmap.actions])
        for number, roadmap in enumerate(roadmaps, 1)
    ]


def _governance(b: ContextBuilder, bodies: list[BodyView], number: int) -> dict[str, Any]:
    """The governance chapter, numbered after the roadmaps."""
    return {
        "number": number,
        "heading": f"{number}. {b.labels['governance']}",
        "description": b.project.governance_description,
        "bodies": bodies,
        "tree": _tree(bodies),
        "edges": [(body.reports_to, body) for body in bodies if body.reports_to is not None],
        "mermaid_ids": {body.id: body.mermaid_id for body in bodies},
    }


def _progress(b: ContextBuilder, ordered: list[ActionView]) -> dict[str, Any]:
    """The status board and the actions by the year they end."""
    labels = b.labels
    board = [
        StatusColumn(s, labels[f"status.{s}"], STATUS_SYMBOLS[s], tuple(a for a in ordered if a.status == s))
        for s in STATUS_ORDER
    ]
    endings = _group_by(ordered, lambda a: a.end_year, lambda a: (a.last_month, a.id_key))
    return {"board": board, "endings": endings}


def _index(b: ContextBuilder, ordered: list[ActionView]) -> dict[str, Any]:
    """The legends of the index (the axes' tables come with `axes`)."""
    labels = b.labels
    feasibility_legend = [LegendItem(f, labels[f"feasibility.{f}"], "") for f in FEASIBILITY_ORDER]
    if any(a.feasibility == "none" for a in ordered):
        feasibility_legend.append(LegendItem("none", labels["feasibility.none"], ""))
    status_legend = [LegendItem(s, labels[f"status.{s}"], STATUS_SYMBOLS[s]) for s in STATUS_ORDER]
    return {"feasibility_legend": feasibility_legend, "status_legend": status_legend}


def _changes(b: ContextBuilder, views: Mapping[str, ActionView], since: Comparison | None,
             md_anchor: str) -> ChangesView | None:
    """The chapter of what changed since a revision (the last one), and the marks of the
    actions it names on the status board; None without `--since`."""
    if since is None:
        return None
    for action_id in since.diff.changed_ids:
        if action_id in views:
            views[action_id].changed = True
    anchors = {action_id: view.anchor for action_id, view in views.items()}
    return changes_view(since, Wording(b.labels, b.lang, period_label), anchors, md_anchor)


def _chapters(b: ContextBuilder, roadmaps: list[RoadmapView], governance_heading: str,
              since: Comparison | None = None) -> list[Chapter]:
    """The table of contents. HTML links to the chapters' ids; in Markdown each fragment is
    a placeholder here, replaced once the document is rendered by the fragment of the
    chapter's heading there (`toc.link_chapters`), wherever a template puts it."""
    labels = b.labels
    parts = [
        ("objectives", labels["objectives"], "objectives"),
        ("axes", labels["axes"], "axes"),
        ("principles", labels["principles"], "principles"),
        *((roadmap.id, roadmap.heading, roadmap.anchor) for roadmap in roadmaps),
        ("governance", governance_heading, "governance"),
        ("index", labels["index"], "index"),
        ("progress", labels["progress"], "progress"),
    ]
    if since is not None:
        parts.append(("changes", heading(since, Wording(labels, b.lang, period_label)), "changes"))
    fragments = [""] * len(parts) if b.html else placeholders(len(parts))
    return [
        Chapter(key, title, anchor, fragment)
        for (key, title, anchor), fragment in zip(parts, fragments, strict=True)
    ]


# --- the views --------------------------------------------------------------------------------


def period_label(value: int | str, labels: Mapping[str, str]) -> str:
    """`2019`, `T3 2019` / `Q3 2019`, `mars 2021` / `Mar 2021`."""
    text = str(value)
    if len(text) == 4:
        return trusted(text)
    if text[5] == "Q":
        return trusted(str(labels["quarter_fmt"]).format(q=text[6], year=text[:4]))
    month = labels[f"month.{int(text[5:7])}"]
    return trusted(str(labels["month_fmt"]).format(month=month, year=text[:4]))


def _date(month: int) -> str:
    return trusted(f"{month // 12:04d}-{month % 12 + 1:02d}-01")


def _action_view(b: ContextBuilder, roadmap: Roadmap, entry: Entry[Action]) -> ActionView:
    a = entry.model
    labels = b.labels
    first, last = span(a.start)[0], span(a.end)[1]
    start_label, end_label = period_label(a.start, labels), period_label(a.end, labels)
    period = start_label if start_label == end_label else trusted(f"{start_label}{labels['range_sep']}{end_label}")
    status = a.status.value
    feasibility = a.feasibility.value if a.feasibility is not None else "none"
    body = b.refs.get(a.body) if a.body else None
    ref = b.refs[entry.id]
    return ActionView(
        id=entry.id,
        anchor=ref.anchor,
        title=b.text(a.title),
        plain_title=a.title,
        description=None if a.description is None else b.text(a.description),
        roadmap=b.refs[roadmap.id],
        axes=tuple(b.refs[x] for x in a.axes if x in b.refs),
        principles=tuple(b.refs[p] for p in a.principles if p in b.refs),
        theme=b.refs.get(a.theme) if a.theme else None,
        start=trusted(str(a.start)),
        end=trusted(str(a.end)),
        period=period,
        start_label=start_label,
        end_label=end_label,
        first_month=first,
        last_month=last,
        start_year=first // 12,
        end_year=last // 12,
        start_date=_date(first),
        end_date=_date(last + 1),
        status=trusted(status),
        status_label=labels[f"status.{status}"],
        status_symbol=trusted(STATUS_SYMBOLS[status]),
        feasibility=trusted(feasibility),
        feasibility_label=labels[f"feasibility.{feasibility}"],
        owner=None if a.owner is None else b.text(a.owner),
        body=body,
        responsible=b.text(a.owner) if a.owner else (body.label if body else None),
        depends_on=tuple(b.refs[d] for d in a.depends_on if d in b.refs),
        tags=tuple(b.text(t) for t in a.tags),
        mermaid_id=b.mermaid_ids[entry.id],
        mermaid_tag=trusted(MERMAID_TAGS.get(status, "")),
        summary=f"{entry.id} {a.title} — {period} — {labels[f'status.{status}']}"
                f" — {labels[f'feasibility.{feasibility}']}",
        id_key=natural_key(entry.id),
    )


def _roadmap_view(b: ContextBuilder, number: int, roadmap: Roadmap, actions: list[ActionView]) -> RoadmapView:
    header = roadmap.header
    labels = b.labels
    ordered = sorted(actions, key=lambda a: (a.first_month, a.id_key))
    first_year = min([a.start_year for a in ordered] + ([int(header.start)] if header.start else []),
                     default=int(header.horizon))
    last_year = max([a.end_year for a in ordered] + [int(header.horizon)])
    themes = tuple(
        ThemeView(t.id, b.refs[t.id].anchor, t.model.title, t.model.description) for t in roadmap.themes
    )
    sections = _sections(labels, themes, ordered)
    return RoadmapView(
        id=roadmap.id,
        anchor=b.refs[roadmap.id].anchor,
        number=number,
        title=header.title,
        heading=f"{number}. {one_line(header.title)}",
        description=header.description,
        themes=themes,
        actions=tuple(ordered),
        by_start_year=tuple(_group_by(ordered, lambda a: a.start_year, lambda a: (a.first_month, a.id_key))),
        sections=tuple(sections),
        gantt=gantt_chart(b.anchors.make("timeline", roadmap.id), sections, first_year, last_year,
                          labels, any(a.theme is not None for a in ordered)),
        first_year=first_year,
        last_year=last_year,
        rated=any(a.feasibility != "none" for a in ordered),
        feasibility_legend=tuple(
            LegendItem(trusted(f), labels[f"feasibility.{f}"], trusted(""))
            for f in (*FEASIBILITY_ORDER, "none") if any(a.feasibility == f for a in ordered)
        ),
    )


def _sections(labels: Mapping[str, str], themes: Iterable[ThemeView],
              ordered: Sequence[ActionView]) -> list[tuple[str, tuple[ActionView, ...]]]:
    """A roadmap's actions by theme, in the themes' order; those with no theme last."""
    sections: list[tuple[str, tuple[ActionView, ...]]] = []
    for theme in themes:
        members = tuple(a for a in ordered if a.theme is not None and a.theme.id == theme.id)
        if members:
            sections.append((theme.title, members))
    loose = tuple(a for a in ordered if a.theme is None)
    if loose:
        sections.append((labels["other_actions"] if sections else labels["actions"], loose))
    return sections


def _body_views(b: ContextBuilder, ordered: list[ActionView]) -> list[BodyView]:
    labels = b.labels
    entries = b.project.bodies
    reported_by: dict[str, list[Ref]] = {}
    for entry in entries:
        parent = entry.model.reports_to
        if parent:
            reported_by.setdefault(parent, []).append(b.refs[entry.id])
    steered: dict[str, list[ActionView]] = {}
    for action in ordered:
        if action.body is not None:
            steered.setdefault(action.body.id, []).append(action)
    views = []
    for number, entry in enumerate(entries, 1):
        body = entry.model
        views.append(BodyView(
            id=entry.id,
            anchor=b.refs[entry.id].anchor,
            name=body.name,
            kind=body.kind.value,
            kind_label=labels[f"kind.{body.kind.value}"],
            description=body.description,
            mission=tuple(body.mission),
            activities=tuple(body.activities),
            axes=tuple(b.refs[x] for x in body.axes if x in b.refs),
            reports_to=b.refs.get(body.reports_to) if body.reports_to else None,
            reported_by=tuple(reported_by.get(entry.id, ())),
            members=tuple(body.members),
            actions=tuple(steered.get(entry.id, ())),
            mermaid_id=f"b{number}",
        ))
    return views


def _tree(bodies: list[BodyView]) -> list[TreeNode]:
    """Who reports to whom, as a forest (reports_to has no cycle in a checked project)."""
    children: dict[str, list[BodyView]] = {}
    known = {body.id for body in bodies}
    roots = []
    for body in bodies:
        if body.reports_to is not None and body.reports_to.id in known:
            children.setdefault(body.reports_to.id, []).append(body)
        else:
            roots.append(body)

    def node(body: BodyView, depth: int) -> TreeNode:
        if depth > len(bodies):
            return TreeNode(body, ())
        return TreeNode(body, tuple(node(child, depth + 1) for child in children.get(body.id, ())))

    return [node(root, 0) for root in roots]


def _sorted(actions: Iterable[ActionView], roadmaps: Sequence[Roadmap]) -> list[ActionView]:
    rank = {r.id: i for i, r in enumerate(roadmaps)}
    return sorted(actions, key=lambda a: (rank[a.roadmap.id], a.first_month, a.id_key))


def _group_by(actions: Iterable[ActionView], year: Callable[[ActionView], int],
              order: Callable[[ActionView], Any]) -> list[YearGroup]:
    groups: dict[int, list[ActionView]] = {}
    for action in actions:
        groups.setdefault(year(action), []).append(action)
    return [YearGroup(y, tuple(sorted(groups[y], key=order))) for y in sorted(groups)]
