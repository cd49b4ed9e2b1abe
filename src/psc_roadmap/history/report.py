"""A comparison as JSON (the stable shape of docs/cli.md) or as terminal text, grouped by
roadmap, one line per change (`SI-05  end  2020 → 2021-Q2  (+6 months)`)."""

from __future__ import annotations

from typing import Any

from psc_roadmap.history.compare import FieldChange, ItemChange, ProjectDiff, roadmap_of
from psc_roadmap.history.sides import WORK_TREE, Side
from psc_roadmap.models import Action
from psc_roadmap.project import Entry
from psc_roadmap.text import natural_key, plural, quote, terminal_safe

Record = dict[str, Any]


# --- JSON ------------------------------------------------------------------------------------


def _action(entry: Entry[Action]) -> Record:
    return {"id": entry.id, "title": entry.model.title, "roadmap": roadmap_of(entry)}


def change_record(change: FieldChange) -> Record:
    if change.members:
        return {"field": change.field, "added": list(change.added), "removed": list(change.removed)}
    record: Record = {"field": change.field, "old": change.old, "new": change.new}
    if change.slip is not None:
        record["slip_months"] = change.slip
    return record


def _item(item: ItemChange) -> Record:
    return {"kind": item.kind, "id": item.id, "title": item.title}


def changes_record(diff: ProjectDiff) -> Record:
    """The `actions`, `items` and `slip` keys of `psc diff --format json`."""
    slip = diff.slip
    return {
        "actions": {
            "added": [_action(e) for e in diff.added],
            "removed": [_action(e) for e in diff.removed],
            "renamed": [{"old_id": o.id, "new_id": n.id, "title": n.model.title, "roadmap": roadmap_of(n)}
                        for o, n in diff.renamed],
            "changed": [{**_action(c.new), "changes": [change_record(x) for x in c.changes]}
                        for c in diff.changed],
        },
        "items": {
            "added": [_item(i) for i in diff.items_added],
            "removed": [_item(i) for i in diff.items_removed],
            "changed": [{"kind": i.kind, "id": i.id, "fields": list(i.fields)} for i in diff.items_changed],
        },
        "slip": {"later": slip.later, "earlier": slip.earlier, "months": slip.months},
    }


def side_record(side: Side) -> Record:
    return {"ref": side.ref, "commit": side.commit.sha if side.commit else None,
            "actions": len(side.project.actions)}


def diff_record(old: Side, new: Side, diff: ProjectDiff) -> Record:
    return {"old": side_record(old), "new": side_record(new), **changes_record(diff)}


# --- text --------------------------------------------------------------------------------------

#: ANSI styles of the text format, used on a terminal only.
_STYLES = {"id": "1", "added": "32", "removed": "31", "later": "33", "earlier": "32", "heading": "1", "dim": "2"}


class Style:
    """Paints text with ANSI codes when `colour`; the arrow is ASCII where the output can't show →."""

    def __init__(self, colour: bool, ascii_only: bool = False) -> None:
        self.colour = colour
        self.arrow = "->" if ascii_only else "→"

    def __call__(self, text: str, style: str) -> str:
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if self.colour and text else text


def months_text(months: int) -> str:
    return f"{months:+d} {'month' if abs(months) == 1 else 'months'}"


def _shown(value: Any) -> str:
    return "none" if value is None else terminal_safe(str(value))


def change_text(change: FieldChange, paint: Style, sep: str = "  ") -> str:
    """`end  2020 → 2021-Q2  (+6 months)`, `axes  +AX3 -AX1`, `title  'old' → 'new'`
    (`sep` between the parts)."""
    name = change.field
    if change.members:
        members = [paint(f"+{terminal_safe(m)}", "added") for m in change.added]
        members += [paint(f"-{terminal_safe(m)}", "removed") for m in change.removed]
        return f"{name}{sep}{' '.join(members)}"
    if name in ("title", "description"):
        values = [("none" if v is None else terminal_safe(quote(v))) for v in (change.old, change.new)]
        if name == "description" and change.old is not None and change.new is not None:
            return f"{name}{sep}changed"
        return f"{name}{sep}{values[0]} {paint.arrow} {values[1]}"
    text = f"{name}{sep}{_shown(change.old)} {paint.arrow} {_shown(change.new)}"
    if change.slip:
        text += sep + paint(f"({months_text(change.slip)})", "later" if change.slip > 0 else "earlier")
    return text


def _entry_lines(diff: ProjectDiff, paint: Style) -> dict[str, list[tuple[Any, str]]]:
    """The lines of each roadmap, with their sort key (natural id, then order of kind)."""
    lines: dict[str, list[tuple[Any, str]]] = {}

    def add(entry: Entry[Action], order: int, text: str) -> None:
        line = f"  {paint(entry.id, 'id')}  {text}"
        lines.setdefault(roadmap_of(entry), []).append(((natural_key(entry.id), order), line))

    for entry in diff.added:
        add(entry, 0, f"{paint('added', 'added')}  {terminal_safe(quote(entry.model.title))}")
    for entry in diff.removed:
        add(entry, 0, f"{paint('removed', 'removed')}  {terminal_safe(quote(entry.model.title))}")
    for old, new in diff.renamed:
        add(new, 1, f"renamed  {old.id} {paint.arrow} {new.id}")
    for change in diff.changed:
        for n, field in enumerate(change.changes, 2):
            add(change.new, n, change_text(field, paint))
    return lines


def _item_lines(diff: ProjectDiff, paint: Style) -> list[str]:
    lines = []
    for item in diff.items_added:
        lines.append(f"  {item.kind} {paint(item.id, 'id')}  {paint('added', 'added')}  "
                     f"{terminal_safe(quote(item.title))}")
    for item in diff.items_removed:
        lines.append(f"  {item.kind} {paint(item.id, 'id')}  {paint('removed', 'removed')}  "
                     f"{terminal_safe(quote(item.title))}")
    for item in diff.items_changed:
        lines.append(f"  {item.kind} {paint(item.id, 'id')}  changed  {', '.join(item.fields)}")
    return lines


def summary_text(diff: ProjectDiff) -> str:
    """`2 added, 1 removed, 1 renamed, 4 changed, 3 finished; end: 3 later, 1 earlier, +14 months`."""
    slip = diff.slip
    parts = [f"{len(diff.added)} added", f"{len(diff.removed)} removed", f"{len(diff.renamed)} renamed",
             f"{len(diff.changed)} changed", f"{len(diff.finished)} finished"]
    text = f"{plural(len(diff.added), 'action')} added, " + ", ".join(parts[1:])
    text += f"; end: {slip.later} later, {slip.earlier} earlier"
    if slip.later or slip.earlier:
        text += f", {months_text(slip.months)} in all"
    items = len(diff.items_added) + len(diff.items_removed) + len(diff.items_changed)
    if items:
        text += f"; {plural(items, 'other item')} changed"
    return text


def side_text(side: Side) -> str:
    if side.commit is None:
        return terminal_safe(side.ref) if side.ref != WORK_TREE else "the work tree"
    return f"{terminal_safe(side.ref)} ({side.commit.short}, {side.commit.date})"


def diff_lines(diff: ProjectDiff, paint: Style) -> list[str]:
    """The changes grouped by roadmap (id and title), then the other items."""
    lines: list[str] = []
    by_roadmap = _entry_lines(diff, paint)
    for roadmap_id, title in diff.roadmaps:
        entries = by_roadmap.get(roadmap_id)
        if entries:
            lines.append(paint(f"{terminal_safe(roadmap_id)}: {terminal_safe(title)}", "heading"))
            lines.extend(line for _, line in sorted(entries, key=lambda e: e[0]))
    items = _item_lines(diff, paint)
    if items:
        lines.append(paint("other items", "heading"))
        lines.extend(items)
    return lines


def diff_text(old: Side, new: Side, diff: ProjectDiff, paint: Style) -> str:
    """The whole text report: what is compared, the changes, one summary line."""
    head = paint(f"changes from {side_text(old)} to {side_text(new)}", "dim")
    if diff.empty:
        return f"{head}\nno change\n"
    return "\n".join([head, *diff_lines(diff, paint), summary_text(diff)]) + "\n"

