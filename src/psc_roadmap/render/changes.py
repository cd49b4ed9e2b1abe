"""The chapter "Évolutions depuis …" / "Changes since …": a comparison (`psc_roadmap.history`)
said in the document's language, as the tables `md/changes.md.j2` and
`html/changes.html.j2` lay out: added, removed, status changes, schedule changes with
their slips, other changes. `psc diff --format md` and `psc render --since` show it alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from psc_roadmap.history.compare import ActionChange, Comparison, FieldChange, ItemChange, ProjectDiff, roadmap_of
from psc_roadmap.models import Action
from psc_roadmap.project import Entry
from psc_roadmap.render.views import ChangeRow, ChangesView, ChangeTable
from psc_roadmap.text import natural_key

#: The label of each field a change names.
FIELD_LABELS: dict[str, str] = {
    "id": "id", "status": "status", "start": "start", "end": "end", "feasibility": "feasibility",
    "owner": "owner", "body": "body", "theme": "field.theme", "roadmap": "roadmap", "axes": "axes_short",
    "principles": "principles_of_action", "depends_on": "depends_on", "tags": "tags", "title": "title",
    "description": "description", "goal": "goal", "kind": "kind", "name": "field.name", "mission": "mission",
    "activities": "activities", "members": "members", "reports_to": "reports_to", "horizon": "field.horizon",
    "order": "field.order",
}
#: Fields with a table of their own.
_OWN_TABLE = frozenset({"status", "start", "end"})
#: Minus sign for a slip earlier: typographic, and no Markdown list marker.
MINUS = "\u2212"


class Wording:
    """Labels of one language, plain text (never Markup: data is put into them)."""

    def __init__(self, labels: Mapping[str, str], lang: str,
                 period: Callable[[int | str, Mapping[str, str]], str]) -> None:
        self.labels = labels
        self.lang = lang
        self._period = period

    def __getitem__(self, key: str) -> str:
        return str(self.labels[key])

    def count(self, key: str, n: int) -> str:
        """`{n} actions ajoutées`: the `.one` or `.many` form of a label (French takes the
        singular for 0 and 1)."""
        one = n <= 1 if self.lang == "fr" else n == 1
        return self[f"{key}.{'one' if one else 'many'}"].format(n=n)

    def months(self, months: int) -> str:
        sign = "+" if months > 0 else MINUS if months < 0 else ""
        return sign + self.count("changes.months", abs(months))

    def period(self, value: int | str) -> str:
        return str(self._period(value, self.labels))

    def field(self, name: str) -> str:
        return self[FIELD_LABELS.get(name, name)]

    def value(self, name: str, value: Any) -> str:
        if value is None:
            return self["feasibility.none"] if name == "feasibility" else self["none"]
        if name in ("start", "end", "horizon"):
            return self.period(value)
        if name in ("status", "feasibility"):
            return self[f"{name}.{value}"]
        return str(value)

    def quoted(self, text: str) -> str:
        return f"{self['quote_open']}{text}{self['quote_close']}"


def change_phrase(change: FieldChange, w: Wording) -> str:
    """One change in words: `Axes : +AX3, −AX1`, `Intitulé : « a » → « b »`, `Fin : 2020 → T2 2021 (+6 mois)`."""
    label = w.field(change.field) + w["colon"]
    if change.members:
        return label + ", ".join([*(f"+{m}" for m in change.added), *(f"{MINUS}{m}" for m in change.removed)])
    if change.field == "description":
        return label + (w["changes.new_text"] if change.new is not None else w["none"])
    if change.field == "title":
        return f"{label}{w.quoted(str(change.old))} → {w.quoted(str(change.new))}"
    text = f"{label}{w.value(change.field, change.old)} → {w.value(change.field, change.new)}"
    if change.slip:
        text += f" ({w.months(change.slip)})"
    return text


def item_phrase(item: ItemChange, w: Wording, what: str) -> str:
    if what != "changed":
        return w[f"changes.item_{what}"]
    return w["changes.fields_changed"] + w["colon"] + ", ".join(w.field(f) for f in item.fields)


def summary_sentence(diff: ProjectDiff, w: Wording) -> str:
    """`2 actions ajoutées, 1 retirée, 3 réalisées, 3 retardées et 1 avancée (+14 mois au total).`"""
    if diff.empty:
        return w["changes.none"]
    slip = diff.slip
    slipped = w.count("changes.later", slip.later)
    if slip.earlier:
        slipped += w["changes.and"] + w.count("changes.earlier", slip.earlier)
    if slip.later or slip.earlier:
        slipped += " " + w["changes.in_all"].format(months=w.months(slip.months))
    parts = [w.count("changes.added", len(diff.added)), w.count("changes.removed", len(diff.removed)),
             w.count("changes.finished", len(diff.finished)), slipped]
    return ", ".join(parts) + "."


def heading(comparison: Comparison, w: Wording) -> str:
    if comparison.date:
        return w["changes.heading_dated"].format(ref=comparison.since, date=comparison.date)
    return w["changes.heading"].format(ref=comparison.since)


def changes_view(comparison: Comparison, w: Wording, anchors: Mapping[str, str] | None = None,
                 md_anchor: str = "") -> ChangesView:
    """The chapter's view; `anchors` links the ids of actions the document holds."""
    diff = comparison.diff
    links = anchors or {}

    def row(entry: Entry[Action], *cells: str) -> ChangeRow:
        return ChangeRow((entry.id, entry.model.title, *cells), links.get(entry.id))

    titles = dict(diff.roadmaps)

    def roadmap(entry: Entry[Action]) -> str:
        return titles.get(roadmap_of(entry), roadmap_of(entry))

    tables = []
    added = [row(e, roadmap(e), _period_text(e, w), w[f"status.{e.model.status.value}"]) for e in diff.added]
    if added:
        tables.append(ChangeTable("added", w["changes.added"],
                                  (w["id"], w["title"], w["roadmap"], w["period"], w["status"]), tuple(added)))
    removed = [ChangeRow((e.id, e.model.title, roadmap(e)), None) for e in diff.removed]
    if removed:
        tables.append(ChangeTable("removed", w["changes.removed"], (w["id"], w["title"], w["roadmap"]),
                                  tuple(removed)))
    statuses = [row(c.new, w.value("status", s.old), w.value("status", s.new))
                for c in diff.changed if (s := c.change("status")) is not None]
    if statuses:
        tables.append(ChangeTable("status", w["changes.status"],
                                  (w["id"], w["title"], w["changes.before"], w["changes.after"]), tuple(statuses)))
    schedule = [row(c.new, w.field(f.field), w.value(f.field, f.old), w.value(f.field, f.new),
                    w.months(f.slip or 0))
                for c in diff.changed for f in c.changes if f.field in ("start", "end")]
    if schedule:
        tables.append(ChangeTable(
            "schedule", w["changes.schedule"],
            (w["id"], w["title"], w["changes.field"], w["changes.before"], w["changes.after"], w["changes.slip"]),
            tuple(schedule),
        ))
    other = _other_rows(diff, w, links)
    if other:
        tables.append(ChangeTable("other", w["changes.other"],
                                  (w["kind"], w["id"], w["title"], w["changes.change"]), tuple(other), 1))
    return ChangesView(heading(comparison, w), "changes", md_anchor, summary_sentence(diff, w), tuple(tables))


def _period_text(entry: Entry[Action], w: Wording) -> str:
    start, end = w.period(entry.model.start), w.period(entry.model.end)
    return start if start == end else f"{start}{w['range_sep']}{end}"


def _other_rows(diff: ProjectDiff, w: Wording, links: Mapping[str, str]) -> list[ChangeRow]:
    """Renamed actions and their other fields, one row per change, in action order; then
    the other items."""
    action = w["item.action"]
    rank = {rid: i for i, (rid, _) in enumerate(diff.roadmaps)}

    def key(entry: Entry[Action], n: int) -> tuple[int, tuple[tuple[int, int | str], ...], int]:
        return rank.get(roadmap_of(entry), len(rank)), natural_key(entry.id), n

    rows: list[tuple[Any, ChangeRow]] = []
    for old, new in diff.renamed:
        phrase = w["changes.renamed"].format(old=old.id)
        rows.append((key(new, 0), ChangeRow((action, new.id, new.model.title, phrase), links.get(new.id))))
    for change in diff.changed:
        rows.extend((key(change.new, n), _action_row(change, f, w, links)) for n, f in enumerate(change.changes, 1)
                    if f.field not in _OWN_TABLE)
    found = [r for _, r in sorted(rows, key=lambda kr: kr[0])]
    for what, items in (("added", diff.items_added), ("removed", diff.items_removed),
                        ("changed", diff.items_changed)):
        found.extend(ChangeRow((w[f"item.{i.kind}"], i.id, i.title, item_phrase(i, w, what)), None) for i in items)
    return found


def _action_row(change: ActionChange, field: FieldChange, w: Wording, links: Mapping[str, str]) -> ChangeRow:
    return ChangeRow((w["item.action"], change.new.id, change.new.model.title, change_phrase(field, w)),
                     links.get(change.new.id))


def wording(lang: str) -> Wording:
    """The wording of a language, outside a render (`psc diff --format md`, `psc log --format md`)."""
    from psc_roadmap.labels import labels_for
    from psc_roadmap.render.context import period_label

    return Wording(labels_for(lang), lang, period_label)
