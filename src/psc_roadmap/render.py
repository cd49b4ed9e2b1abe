"""The strategy document: one Jinja2 environment, one template context, `render(project, fmt, lang)`.

Everything the templates show is computed here once (ids, anchors, labels, periods,
Gantt geometry); the templates only lay it out. Data text is never a template: it is
passed as values and escaped on output (HTML autoescape; the `md`, `md_heading` and
`mermaid` filters in Markdown).

Built-in templates (``templates/``); ``--templates DIR`` overrides any of them by name:

- ``html/document.html.j2``: the HTML page (head, landmarks), including the parts below
- ``html/style.css.j2``: the inline style sheet (screen, phone, print A4)
- ``html/macros.html.j2``: small macros (status, feasibility, action links)
- ``html/cover.html.j2``, ``html/toc.html.j2``, ``html/objectives.html.j2``,
  ``html/axes.html.j2``, ``html/principles.html.j2``, ``html/roadmap.html.j2``,
  ``html/timeline.html.j2`` (the inline SVG Gantt chart and its data table),
  ``html/governance.html.j2``, ``html/index.html.j2``, ``html/progress.html.j2``
- ``md/document.md.j2``: the Markdown document, including the parts below
- ``md/macros.md.j2``
- ``md/cover.md.j2``, ``md/toc.md.j2``, ``md/objectives.md.j2``, ``md/axes.md.j2``,
  ``md/principles.md.j2``, ``md/roadmap.md.j2``, ``md/timeline.md.j2`` (the mermaid
  ``gantt`` block), ``md/governance.md.j2`` (with a mermaid ``flowchart``),
  ``md/index.md.j2``, ``md/progress.md.j2``
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from markupsafe import Markup, escape

from psc_roadmap.enums import FEASIBILITY_ORDER, STATUS_ORDER
from psc_roadmap.errors import PscError
from psc_roadmap.labels import labels_for
from psc_roadmap.markdown import md_escape
from psc_roadmap.models import Action
from psc_roadmap.periods import span
from psc_roadmap.project import Entry, Project, Roadmap
from psc_roadmap.resources import bundled
from psc_roadmap.text import natural_key, one_line

FORMATS: dict[str, str] = {"md": "md/document.md.j2", "html": "html/document.html.j2"}
SUFFIXES: dict[str, str] = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

TEMPLATE_NAMES: tuple[str, ...] = (*(
    f"{fmt}/{part}.{fmt}.j2"
    for fmt in ("html", "md")
    for part in (
        "document", "macros", "cover", "toc", "objectives", "axes", "principles",
        "roadmap", "timeline", "governance", "index", "progress",
    )
), "html/style.css.j2")

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


def _safe(text: str) -> Markup:
    """Text that we made (ids, anchors, labels, numbers) and that holds nothing to escape:
    marked so that HTML autoescape passes it through. Quicker than `Markup(text)`."""
    return str.__new__(Markup, text)


class RenderError(PscError):
    """A template that can't be found, parsed or rendered (exit 1)."""


# --- escaping -----------------------------------------------------------------------------

_MD_TRAILING = re.compile(r"[.,;:!。，；：！]$")


def md_heading(text: object) -> str:
    """`md_escape`, and a final `.,;:!` written as a character reference, which reads the
    same and is not taken for a heading's trailing punctuation (markdownlint MD026)."""
    out = md_escape(text)
    if _MD_TRAILING.search(out) and not out.endswith("\\" + out[-1:]):
        out = out[:-1] + f"&#{ord(out[-1])};"
    return out


_MERMAID_ESCAPES = str.maketrans({
    c: f"#{ord(c)};" for c in "#;:\"<>&`%\\{}|[]"
} | {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"})
_MERMAID_KEYWORD = re.compile(
    r"(?i)^(gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes"
    r"|todaymarker|weekday|weekend|title|acctitle|accdescr|section|href|call|click|\d{4}-\d\d-\d\d)"
)


def mermaid_escape(text: object) -> Markup:
    """Text inside a mermaid diagram: reserved characters as mermaid entity codes (`#35;`),
    one line, and a first word that mermaid would read as a keyword defused."""
    return _mermaid_escape(str(text))


@lru_cache(maxsize=1 << 16)
def _mermaid_escape(text: str) -> Markup:
    plain = one_line(text)
    out = plain.translate(_MERMAID_ESCAPES)
    if _MERMAID_KEYWORD.match(out):
        out = f"#{ord(out[0])};" + out[1:]
    return Markup(out)


# --- ids and anchors ---------------------------------------------------------------------

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


class Anchors:
    """Unique, valid HTML ids for items, made from their ids the same way every time."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.used: set[str] = set(reserved)

    def make(self, prefix: str, item_id: str) -> str:
        base = f"{prefix}-{_SLUG_DROP.sub('-', item_id.lower()).strip('-') or 'x'}"
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return _safe(candidate)  # letters, digits and '-' only: nothing to escape


def github_slug(text: str) -> str:
    """The fragment GitHub (and markdownlint's MD051) gives a Markdown heading's text."""
    kept = "".join(
        c for c in text.lower()
        if c in "- " or unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Pc"
    )
    return kept.replace(" ", "-")


class MarkdownSlugs:
    """Heading fragments in document order, repeated ones numbered `-1`, `-2` as GitHub does."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, text: str) -> str:
        slug = github_slug(one_line(text))
        if not slug:
            return ""
        count = self.counts.get(slug, 0)
        self.counts[slug] = count + 1
        if count:
            numbered = f"{slug}-{count}"
            self.counts.setdefault(numbered, 1)
            return numbered
        return slug


# --- the context ---------------------------------------------------------------------------


@dataclass(slots=True)
class Ref:
    """A link to an item: its id, its HTML anchor, and the text that names it."""

    id: str
    anchor: str
    label: str
    title: str


@dataclass(slots=True)
class ActionView:
    id: str
    anchor: str
    title: str
    #: The title as written (`title` is already escaped in an HTML context).
    plain_title: str
    description: str | None
    roadmap: Ref
    axes: tuple[Ref, ...]
    principles: tuple[Ref, ...]
    theme: Ref | None
    start: str
    end: str
    period: str
    end_label: str
    start_label: str
    first_month: int
    last_month: int
    start_year: int
    end_year: int
    start_date: str
    end_date: str
    status: str
    status_label: str
    status_symbol: str
    feasibility: str
    feasibility_label: str
    owner: str | None
    body: Ref | None
    responsible: str | None
    depends_on: tuple[Ref, ...]
    tags: tuple[str, ...]
    mermaid_id: str
    mermaid_tag: str
    summary: str
    id_key: tuple[tuple[int, int | str], ...]


@dataclass(slots=True)
class YearGroup:
    year: int
    actions: tuple[ActionView, ...]


@dataclass(slots=True)
class GanttBar:
    action: ActionView
    row_y: str
    x: str
    x2: str
    width: str
    end_x: str
    label: str
    stripe: bool


@dataclass(slots=True)
class GanttSection:
    title: str | None
    text_y: str
    bars: tuple[GanttBar, ...]


@dataclass(slots=True)
class GanttTick:
    x: str
    mid: str
    label: str
    strong: bool


@dataclass(slots=True)
class Gantt:
    """Geometry of one roadmap's SVG Gantt chart, in viewBox units."""

    prefix: str
    width: int
    height: int
    chart_left: int
    chart_right: int
    header: int
    row: int
    years: tuple[GanttTick, ...]
    quarters: tuple[GanttTick, ...]
    sections: tuple[GanttSection, ...]
    first_year: int
    last_year: int


@dataclass(slots=True)
class ThemeView:
    id: str
    anchor: str
    title: str
    description: str | None


@dataclass(slots=True)
class RoadmapView:
    id: str
    anchor: str
    number: int
    title: str
    heading: str
    description: str | None
    themes: tuple[ThemeView, ...]
    actions: tuple[ActionView, ...]
    by_start_year: tuple[YearGroup, ...]
    sections: tuple[tuple[str, tuple[ActionView, ...]], ...]
    gantt: Gantt
    first_year: int
    last_year: int
    rated: bool
    feasibility_legend: tuple[LegendItem, ...]


@dataclass(slots=True)
class AxisView:
    id: str
    anchor: str
    index_anchor: str
    number: int
    label: str
    title: str
    heading: str
    goal: str | None
    description: str | None
    actions: tuple[ActionView, ...]
    by_roadmap: tuple[tuple[Ref, tuple[ActionView, ...]], ...]
    bodies: tuple[Ref, ...]


@dataclass(slots=True)
class PrincipleView:
    id: str
    anchor: str
    title: str
    kind: str
    kind_label: str
    description: str | None


@dataclass(slots=True)
class BodyView:
    id: str
    anchor: str
    name: str
    kind: str
    kind_label: str
    description: str | None
    mission: tuple[str, ...]
    activities: tuple[str, ...]
    axes: tuple[Ref, ...]
    reports_to: Ref | None
    reported_by: tuple[Ref, ...]
    members: tuple[str, ...]
    actions: tuple[ActionView, ...]
    mermaid_id: str


@dataclass(slots=True)
class TreeNode:
    body: BodyView
    children: tuple[TreeNode, ...]


@dataclass(slots=True)
class Chapter:
    key: str
    title: str
    anchor: str
    md_anchor: str


@dataclass(slots=True)
class StatusColumn:
    status: str
    label: str
    symbol: str
    actions: tuple[ActionView, ...]


@dataclass(slots=True)
class LegendItem:
    key: str
    label: str
    symbol: str


@dataclass(slots=True)
class _Builder:
    project: Project
    lang: str
    labels: dict[str, Markup]
    anchors: Anchors = field(default_factory=lambda: Anchors((*CHAPTER_KEYS, "main", "top")))
    refs: dict[str, Ref] = field(default_factory=dict)
    #: HTML: user text escaped once here (an action's title is printed four or five times).
    html: bool = False

    def text(self, value: str) -> str:
        return escape(value) if self.html else value


CHAPTER_KEYS: tuple[str, ...] = ("toc", "objectives", "axes", "principles", "governance", "index", "progress")


def period_label(value: int | str, labels: Mapping[str, str]) -> str:
    """`2019`, `T3 2019` / `Q3 2019`, `mars 2021` / `Mar 2021`."""
    text = str(value)
    if len(text) == 4:
        return _safe(text)
    if text[5] == "Q":
        return _safe(str(labels["quarter_fmt"]).format(q=text[6], year=text[:4]))
    month = labels[f"month.{int(text[5:7])}"]
    return _safe(str(labels["month_fmt"]).format(month=month, year=text[:4]))


def _date(month: int) -> str:
    return _safe(f"{month // 12:04d}-{month % 12 + 1:02d}-01")


@lru_cache(maxsize=1 << 16)
def _num(value: float) -> str:
    """A coordinate with at most one decimal, written the same way every time."""
    text = f"{value:.1f}"
    return _safe(text[:-2] if text.endswith(".0") else text)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_context(project: Project, lang: str | None = None, fmt: str = "md") -> dict[str, Any]:
    """Everything the templates show, computed once, the same for both formats (for HTML,
    an action's own text comes escaped already, which prints the same bytes faster)."""
    if project.document is None:
        raise RenderError("the project has no valid document in axes.yaml")
    language = lang or project.document.language.value
    # Labels are ours, never data: marked safe once, so that HTML output skips escaping them.
    labels = {key: _safe(value) for key, value in labels_for(language).items()}
    b = _Builder(project, language, labels, html=fmt == "html")
    document = project.document

    axis_numbers: dict[str, int] = {}
    for number, entry in enumerate(project.axes, 1):
        axis_numbers[entry.id] = number
        b.refs[entry.id] = Ref(_safe(entry.id), b.anchors.make("axis", entry.id),
                               _safe(f"{labels['axis']} {number}"), entry.model.title)
    index_anchors = {e.id: b.anchors.make("index-axis", e.id) for e in project.axes}
    for principle in project.principles:
        b.refs[principle.id] = Ref(_safe(principle.id), b.anchors.make("principle", principle.id),
                                   _safe(principle.id), principle.model.title)
    for body in project.bodies:
        b.refs[body.id] = Ref(_safe(body.id), b.anchors.make("body", body.id), body.model.name,
                              body.model.name)
    roadmaps = project.ordered_roadmaps()
    for roadmap in roadmaps:
        b.refs[roadmap.id] = Ref(_safe(roadmap.id), b.anchors.make("roadmap", roadmap.id),
                                 roadmap.header.title, roadmap.header.title)
        for theme in roadmap.themes:
            b.refs[theme.id] = Ref(_safe(theme.id), b.anchors.make("theme", theme.id), theme.model.title,
                                   theme.model.title)
    mermaid_ids: dict[str, str] = {}
    for roadmap in roadmaps:
        for action in roadmap.actions:
            b.refs[action.id] = Ref(_safe(action.id), b.anchors.make("action", action.id), _safe(action.id),
                                    action.model.title)
            mermaid_ids[action.id] = _safe(f"a{len(mermaid_ids) + 1}")

    views: dict[str, ActionView] = {}
    for roadmap in roadmaps:
        for action in roadmap.actions:
            views[action.id] = _action_view(b, roadmap, action, mermaid_ids[action.id])
    # Roadmap order, then start, then id: the order of every listing of actions.
    ordered = _sorted(views.values(), roadmaps)

    roadmap_views = [
        _roadmap_view(b, number, roadmap, [views[a.id] for a in roadmap.actions])
        for number, roadmap in enumerate(roadmaps, 1)
    ]
    bodies = _body_views(b, ordered)
    roadmap_refs = [b.refs[r.id] for r in roadmaps]
    axes = []
    for entry in project.axes:
        axis = entry.model
        ref = b.refs[entry.id]
        serving = tuple(a for a in ordered if any(x.id == entry.id for x in a.axes))
        served_by = tuple(b.refs[body.id] for body in bodies if any(x.id == entry.id for x in body.axes))
        axes.append(AxisView(
            entry.id, ref.anchor, index_anchors[entry.id], axis_numbers[entry.id], ref.label, axis.title,
            f"{ref.label}{labels['colon']}{one_line(axis.title)}", axis.goal, axis.description, serving,
            tuple((r, tuple(a for a in serving if a.roadmap is r)) for r in roadmap_refs
                  if any(a.roadmap is r for a in serving)),
            served_by,
        ))
    principles = [
        PrincipleView(e.id, b.refs[e.id].anchor, e.model.title, e.model.kind.value,
                      labels[f"kind.{e.model.kind.value}"], e.model.description)
        for e in project.principles
    ]
    principle_groups = [
        (labels[plural], [p for p in principles if p.kind == kind])
        for kind, plural in (("guideline", "guidelines"), ("attention", "attentions"))
    ]
    board = [
        StatusColumn(s, labels[f"status.{s}"], STATUS_SYMBOLS[s], tuple(a for a in ordered if a.status == s))
        for s in STATUS_ORDER
    ]
    endings = _group_by(ordered, lambda a: a.end_year, lambda a: (a.last_month, a.id_key))
    feasibility_legend = [LegendItem(f, labels[f"feasibility.{f}"], "") for f in FEASIBILITY_ORDER]
    if any(a.feasibility == "none" for a in ordered):
        feasibility_legend.append(LegendItem("none", labels["feasibility.none"], ""))
    status_legend = [LegendItem(s, labels[f"status.{s}"], STATUS_SYMBOLS[s]) for s in STATUS_ORDER]
    governance_number = len(roadmap_views) + 1
    context: dict[str, Any] = {
        "lang": language,
        "labels": labels,
        "doc": document,
        "axes": axes,
        "principles": principles,
        "principle_groups": principle_groups,
        "roadmaps": roadmap_views,
        "governance": {
            "number": governance_number,
            "heading": f"{governance_number}. {labels['governance']}",
            "description": project.governance_description,
            "bodies": bodies,
            "tree": _tree(bodies),
            "edges": [(body.reports_to, body) for body in bodies if body.reports_to is not None],
            "mermaid_ids": {body.id: body.mermaid_id for body in bodies},
        },
        "board": board,
        "endings": endings,
        "feasibility_legend": feasibility_legend,
        "status_legend": status_legend,
        "actions": ordered,
    }
    context["chapters"] = _chapters(context, roadmap_views)
    return context


def _sorted(actions: Iterable[ActionView], roadmaps: Sequence[Roadmap]) -> list[ActionView]:
    rank = {r.id: i for i, r in enumerate(roadmaps)}
    return sorted(actions, key=lambda a: (rank[a.roadmap.id], a.first_month, a.id_key))


def _group_by(actions: Iterable[ActionView], year: Any, order: Any) -> list[YearGroup]:
    groups: dict[int, list[ActionView]] = {}
    for action in actions:
        groups.setdefault(year(action), []).append(action)
    return [YearGroup(y, tuple(sorted(groups[y], key=order))) for y in sorted(groups)]


def _action_view(b: _Builder, roadmap: Roadmap, entry: Entry[Action], mermaid_id: str) -> ActionView:
    a = entry.model
    labels = b.labels
    first, last = span(a.start)[0], span(a.end)[1]
    start_label, end_label = period_label(a.start, labels), period_label(a.end, labels)
    period = start_label if start_label == end_label else _safe(f"{start_label}{labels['range_sep']}{end_label}")
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
        start=_safe(str(a.start)),
        end=_safe(str(a.end)),
        period=period,
        start_label=start_label,
        end_label=end_label,
        first_month=first,
        last_month=last,
        start_year=first // 12,
        end_year=last // 12,
        start_date=_date(first),
        end_date=_date(last + 1),
        status=_safe(status),
        status_label=labels[f"status.{status}"],
        status_symbol=_safe(STATUS_SYMBOLS[status]),
        feasibility=_safe(feasibility),
        feasibility_label=labels[f"feasibility.{feasibility}"],
        owner=None if a.owner is None else b.text(a.owner),
        body=body,
        responsible=b.text(a.owner) if a.owner else (body.label if body else None),
        depends_on=tuple(b.refs[d] for d in a.depends_on if d in b.refs),
        tags=tuple(b.text(t) for t in a.tags),
        mermaid_id=mermaid_id,
        mermaid_tag=_safe(MERMAID_TAGS.get(status, "")),
        summary=f"{entry.id} {a.title} — {period} — {labels[f'status.{status}']}"
                f" — {labels[f'feasibility.{feasibility}']}",
        id_key=natural_key(entry.id),
    )


def _roadmap_view(b: _Builder, number: int, roadmap: Roadmap, actions: list[ActionView]) -> RoadmapView:
    header = roadmap.header
    labels = b.labels
    ordered = sorted(actions, key=lambda a: (a.first_month, a.id_key))
    first_year = min([a.start_year for a in ordered] + ([int(header.start)] if header.start else []),
                     default=int(header.horizon))
    last_year = max([a.end_year for a in ordered] + [int(header.horizon)])
    themes = tuple(
        ThemeView(t.id, b.refs[t.id].anchor, t.model.title, t.model.description) for t in roadmap.themes
    )
    sections: list[tuple[str, tuple[ActionView, ...]]] = []
    for theme in themes:
        members = tuple(a for a in ordered if a.theme is not None and a.theme.id == theme.id)
        if members:
            sections.append((theme.title, members))
    loose = tuple(a for a in ordered if a.theme is None)
    if loose:
        sections.append((labels["other_actions"] if sections else labels["actions"], loose))
    ref = b.refs[roadmap.id]
    return RoadmapView(
        id=roadmap.id,
        anchor=ref.anchor,
        number=number,
        title=header.title,
        heading=f"{number}. {one_line(header.title)}",
        description=header.description,
        themes=themes,
        actions=tuple(ordered),
        by_start_year=tuple(_group_by(ordered, lambda a: a.start_year,
                                      lambda a: (a.first_month, a.id_key))),
        sections=tuple(sections),
        gantt=_gantt(b.anchors.make("timeline", roadmap.id), sections, first_year, last_year,
                     labels, any(a.theme is not None for a in ordered)),
        first_year=first_year,
        last_year=last_year,
        rated=any(a.feasibility != "none" for a in ordered),
        feasibility_legend=tuple(
            LegendItem(_safe(f), labels[f"feasibility.{f}"], _safe(""))
            for f in (*FEASIBILITY_ORDER, "none") if any(a.feasibility == f for a in ordered)
        ),
    )


# Gantt layout, in viewBox units (1 unit is about 1 CSS pixel at full width).
GANTT_WIDTH = 1000
GANTT_LABELS = 370
GANTT_RIGHT = 24
GANTT_HEADER = 40
GANTT_ROW = 20
GANTT_LABEL_CHARS = 60


def _gantt(prefix: str, sections: list[tuple[str, tuple[ActionView, ...]]], first_year: int,
           last_year: int, labels: Mapping[str, str], titled: bool) -> Gantt:
    left, right = GANTT_LABELS + 8, GANTT_WIDTH - GANTT_RIGHT
    origin = first_year * 12
    months = (last_year - first_year + 1) * 12
    unit = (right - left) / months
    years = tuple(
        GanttTick(_num(left + i * 12 * unit), _num(left + (i * 12 + 6) * unit), str(first_year + i), True)
        for i in range(last_year - first_year + 1)
    )
    show_quarters = unit * 3 >= 16
    quarters = tuple(
        GanttTick(_num(left + q * 3 * unit), _num(left + (q * 3 + 1.5) * unit),
                  f"{labels['quarter']}{q % 4 + 1}" if show_quarters else "", q % 4 == 0)
        for q in range(months // 3)
    )
    y = GANTT_HEADER
    row = 0
    gantt_sections = []
    for title, actions in sections:
        section_y = y
        if titled:
            y += GANTT_ROW
        bars = []
        for a in actions:
            x = left + (a.first_month - origin) * unit
            width = (a.last_month - a.first_month + 1) * unit
            bars.append(GanttBar(
                action=a,
                row_y=_num(y),
                x=_num(x),
                x2=_num(x + width),
                width=_num(width),
                end_x=_num(x + width + 3),
                label=_clip(one_line(a.plain_title), GANTT_LABEL_CHARS - len(a.id)),
                stripe=row % 2 == 1,
            ))
            y += GANTT_ROW
            row += 1
        gantt_sections.append(GanttSection(title if titled else None, _num(section_y + 14), tuple(bars)))
    return Gantt(
        prefix=prefix,
        width=GANTT_WIDTH,
        height=y + 6,
        chart_left=left,
        chart_right=right,
        header=GANTT_HEADER,
        row=GANTT_ROW,
        years=years,
        quarters=quarters,
        sections=tuple(gantt_sections),
        first_year=first_year,
        last_year=last_year,
    )


def _body_views(b: _Builder, ordered: list[ActionView]) -> list[BodyView]:
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


def _chapters(context: dict[str, Any], roadmaps: list[RoadmapView]) -> list[Chapter]:
    """The table of contents, with each chapter's Markdown fragment computed from every
    heading of the Markdown document before it (the templates write these headings)."""
    labels = context["labels"]
    slugs = MarkdownSlugs()
    chapters: list[Chapter] = []

    def chapter(key: str, title: str, anchor: str) -> None:
        chapters.append(Chapter(key, title, anchor, slugs.add(title)))

    def headings(*texts: str) -> None:
        for text in texts:
            slugs.add(text)

    slugs.add(context["doc"].title)
    slugs.add(labels["toc"])
    chapter("objectives", labels["objectives"], "objectives")
    if context["doc"].sources:
        headings(labels["sources"])
    chapter("axes", labels["axes"], "axes")
    headings(*(axis.heading for axis in context["axes"]))
    chapter("principles", labels["principles"], "principles")
    headings(*(title for title, items in context["principle_groups"] if items))
    for roadmap in roadmaps:
        chapter(roadmap.id, roadmap.heading, roadmap.anchor)
        if roadmap.themes:
            headings(labels["themes"])
        headings(labels["timeline"], labels["programme"])
        headings(*(str(group.year) for group in roadmap.by_start_year))
    governance = context["governance"]
    chapter("governance", governance["heading"], "governance")
    if governance["bodies"]:
        headings(labels["organisation"])
        headings(*(body.name for body in governance["bodies"]))
    chapter("index", labels["index"], "index")
    headings(*(axis.heading for axis in context["axes"]))
    headings(labels["legend"], labels["feasibility_legend"], labels["status_legend"])
    chapter("progress", labels["progress"], "progress")
    return chapters


# --- the environment -------------------------------------------------------------------------


def _escape(value: Any) -> Markup:
    """markupsafe's escape, without copying what is already Markup (most of what the
    templates print: ids, anchors, labels, numbers are marked safe in the context)."""
    if value.__class__ is Markup:
        return value
    return escape(value)


class _Template(Template):
    """Jinja2's compiled templates print through the name `escape` of their module; ours
    use `_escape`, which skips the copy of values already marked safe (same output)."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: Any, globals: Any) -> Any:
        if "escape" in namespace:
            namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


def _links(refs: Iterable[Ref], text: str = "label") -> Markup:
    """`<a href="#anchor">label</a>, ...` for the `links` filter: one Python call per list,
    where a template loop would make a loop context per action."""
    return _safe(", ".join(f'<a href="#{escape(r.anchor)}">{escape(getattr(r, text))}</a>' for r in refs))


def _autoescape(name: str | None) -> bool:
    return name is not None and name.startswith("html/")


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept in the user's cache folder between runs (keyed by each
    template's source checksum, so never stale); none where that folder can't be made."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "psc-roadmap", f"jinja-{sys.version_info[0]}.{sys.version_info[1]}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return FileSystemBytecodeCache(folder)


@lru_cache(maxsize=16)
def environment(templates: str | None = None) -> Environment:
    """The one Jinja2 environment (per override folder): HTML autoescaped, undefined names
    are errors, templates compiled once and kept."""
    loaders: list[BaseLoader] = []
    if templates is not None:
        loaders.append(FileSystemLoader(templates))
    loaders.append(FileSystemLoader(str(bundled("templates"))))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=templates is not None,
        bytecode_cache=_bytecode_cache(),
    )
    env.template_class = _Template
    env.filters["md"] = md_escape
    env.filters["md_heading"] = md_heading
    env.filters["mermaid"] = mermaid_escape
    env.filters["num"] = _num
    env.filters["links"] = _links
    return env


def _failing_template(exc: BaseException, default: str) -> str:
    """`name:line` of the template frame where the error was raised (Jinja2 rewrites
    tracebacks so that a template's frames carry its file and line)."""
    where = default
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            parts = Path(filename).parts
            where = f"{'/'.join(parts[-2:])}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def render(project: Project, fmt: str = "md", lang: str | None = None, templates: str | Path | None = None) -> str:
    """The whole strategy document as Markdown (`md`) or one self-contained HTML page."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}' (valid: {', '.join(FORMATS)})")
    context = build_context(project, lang, fmt)
    env = environment(None if templates is None else str(templates))
    name = FORMATS[fmt]
    try:
        text = env.get_template(name).render(context)
    except TemplateNotFound as exc:
        raise RenderError(f"template '{exc.name}' not found") from None
    except TemplateSyntaxError as exc:
        raise RenderError(f"template {exc.name or exc.filename}:{exc.lineno}: {exc.message}") from None
    except TemplateError as exc:
        raise RenderError(f"template {_failing_template(exc, name)}: {exc}") from None
    except Exception as exc:  # a user template can fail in any way ({{ 1/0 }}): exit 1, not a crash
        raise RenderError(f"template {_failing_template(exc, name)}: {type(exc).__name__}: {exc}") from None
    if fmt == "md":
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return text
