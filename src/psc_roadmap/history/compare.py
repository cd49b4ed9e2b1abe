"""What changed between two checked projects, by meaning (pure: no I/O).

Items are matched by id across files: an action that moved to another roadmap is
*changed* (its `roadmap`), not removed and added. An action whose id changed while its
title and roadmap stayed is *renamed* (when exactly one removed and one added action
share that title and roadmap); if other fields changed too it is also *changed*, under
its new id. `start` slips by first months, `end` by last months: `2020` → `2021-Q2` is
+6. Every list is in roadmap order (the new side's, then roadmaps only the old side
has), then natural id order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from psc_roadmap.models import Action
from psc_roadmap.periods import first_month, last_month
from psc_roadmap.project import Entry, ItemModel, Project
from psc_roadmap.text import natural_key

#: The fields of an action compared, in the order their changes are listed.
ACTION_FIELDS: tuple[str, ...] = (
    "status", "start", "end", "feasibility", "owner", "body", "theme", "roadmap",
    "axes", "principles", "depends_on", "tags", "title", "description",
)
MEMBER_FIELDS = frozenset({"axes", "principles", "depends_on", "tags"})
PERIOD_FIELDS = frozenset({"start", "end", "horizon"})
#: Item kinds other than actions, in the order their changes are listed.
ITEM_KINDS: tuple[str, ...] = ("axis", "principle", "body", "roadmap", "theme")
#: Fields of an item whose order carries no meaning (a set of references).
_SET_FIELDS = frozenset({"axes"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one action: old and new values as written (None when absent), or the
    members added and removed for a list; `slip` in months for `start` and `end`."""

    field: str
    old: Any = None
    new: Any = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    slip: int | None = None

    @property
    def members(self) -> bool:
        return self.field in MEMBER_FIELDS


@dataclass(frozen=True, slots=True)
class ActionChange:
    """A changed action: both sides (the ids differ when it was renamed) and its changes."""

    old: Entry[Action]
    new: Entry[Action]
    changes: tuple[FieldChange, ...]

    def change(self, name: str) -> FieldChange | None:
        return next((c for c in self.changes if c.field == name), None)


@dataclass(frozen=True, slots=True)
class ItemChange:
    """An axis, principle, theme, body or roadmap added, removed (one side None) or changed
    (the fields that differ)."""

    kind: str
    id: str
    title: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Slip:
    """The actions whose end moved later or earlier, and the sum of their end slips (signed)."""

    later: int
    earlier: int
    months: int


@dataclass(frozen=True, slots=True)
class ProjectDiff:
    added: tuple[Entry[Action], ...]
    removed: tuple[Entry[Action], ...]
    renamed: tuple[tuple[Entry[Action], Entry[Action]], ...]
    changed: tuple[ActionChange, ...]
    items_added: tuple[ItemChange, ...]
    items_removed: tuple[ItemChange, ...]
    items_changed: tuple[ItemChange, ...]
    #: Roadmap ids in roadmap order (the new side's, then those only the old side has), with titles.
    roadmaps: tuple[tuple[str, str], ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.changed
                    or self.items_added or self.items_removed or self.items_changed)

    @property
    def slip(self) -> Slip:
        slips = [c.slip for a in self.changed if (c := a.change("end")) is not None and c.slip]
        return Slip(sum(1 for s in slips if s > 0), sum(1 for s in slips if s < 0), sum(slips))

    @property
    def finished(self) -> tuple[ActionChange, ...]:
        """The actions whose status became `done`."""
        return tuple(a for a in self.changed if (c := a.change("status")) is not None and c.new == "done")

    @property
    def changed_ids(self) -> frozenset[str]:
        """The ids (new side) of the actions added, renamed or changed."""
        return frozenset([*(e.id for e in self.added), *(n.id for _, n in self.renamed),
                          *(a.new.id for a in self.changed)])


@dataclass(frozen=True, slots=True)
class Comparison:
    """A diff and the old side it starts from: the ref as the user wrote it, and the date
    of its commit (None for a folder)."""

    diff: ProjectDiff
    since: str
    date: str | None


def roadmap_of(entry: Entry[Any]) -> str:
    return entry.roadmap.id if entry.roadmap is not None else ""


def _period(value: Any) -> Any:
    """A period as written; `2020` and `"2020"` are the same period."""
    return str(value) if isinstance(value, int) else value


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _members(old: Sequence[str], new: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    before, after = set(old), set(new)
    return (tuple(dict.fromkeys(m for m in new if m not in before)),
            tuple(dict.fromkeys(m for m in old if m not in after)))


def action_changes(old: Entry[Action], new: Entry[Action]) -> tuple[FieldChange, ...]:
    """The fields that differ between two versions of an action, in ACTION_FIELDS order."""
    a, b = old.model, new.model
    if a == b and roadmap_of(old) == roadmap_of(new):
        return ()
    changes = []
    for name in ACTION_FIELDS:
        if name == "roadmap":
            before, after = roadmap_of(old), roadmap_of(new)
            if before != after:
                changes.append(FieldChange(name, before, after))
            continue
        x, y = getattr(a, name), getattr(b, name)
        if name in MEMBER_FIELDS:
            added, removed = _members(x, y)
            if added or removed:
                changes.append(FieldChange(name, added=added, removed=removed))
        elif name in ("start", "end"):
            if _period(x) != _period(y):
                months = first_month if name == "start" else last_month
                changes.append(FieldChange(name, x, y, slip=months(y) - months(x)))
        elif _value(x) != _value(y):
            changes.append(FieldChange(name, _value(x), _value(y)))
    return tuple(changes)


def _roadmap_order(old: Project, new: Project) -> tuple[tuple[str, str], ...]:
    ordered = {r.id: r.header.title for r in new.ordered_roadmaps()}
    for r in old.ordered_roadmaps():
        ordered.setdefault(r.id, r.header.title)
    return tuple(ordered.items())


def _by_id(entries: Iterable[Entry[Action]]) -> dict[str, Entry[Action]]:
    found: dict[str, Entry[Action]] = {}
    for entry in entries:
        found.setdefault(entry.id, entry)
    return found


def _renames(gone: list[Entry[Action]], new: list[Entry[Action]]) -> list[tuple[Entry[Action], Entry[Action]]]:
    """Pairs of a removed and an added action with the same title and roadmap, when that
    title and roadmap name exactly one of each."""
    def groups(entries: list[Entry[Action]]) -> dict[tuple[str, str], list[Entry[Action]]]:
        found: dict[tuple[str, str], list[Entry[Action]]] = {}
        for entry in entries:
            found.setdefault((roadmap_of(entry), entry.model.title), []).append(entry)
        return found

    before, after = groups(gone), groups(new)
    return [(olds[0], after[key][0]) for key, olds in before.items()
            if len(olds) == 1 and len(after.get(key, ())) == 1]


def diff_projects(old: Project, new: Project) -> ProjectDiff:
    """What changed from `old` to `new` (both checked), sorted as the module doc says."""
    roadmaps = _roadmap_order(old, new)
    rank = {rid: i for i, (rid, _) in enumerate(roadmaps)}

    def key(entry: Entry[Any]) -> tuple[int, tuple[tuple[int, int | str], ...]]:
        return rank.get(roadmap_of(entry), len(rank)), natural_key(entry.id)

    before, after = _by_id(old.actions), _by_id(new.actions)
    removed = [e for i, e in before.items() if i not in after]
    added = [e for i, e in after.items() if i not in before]
    renamed = _renames(removed, added)
    paired_old = {id(o) for o, _ in renamed}
    paired_new = {id(n) for _, n in renamed}
    removed = [e for e in removed if id(e) not in paired_old]
    added = [e for e in added if id(e) not in paired_new]
    changed = []
    pairs = [(before[i], e) for i, e in after.items() if i in before] + renamed
    for o, n in pairs:
        changes = action_changes(o, n)
        if changes:
            changed.append(ActionChange(o, n, changes))
    renamed.sort(key=lambda pair: key(pair[1]))
    changed.sort(key=lambda c: key(c.new))
    items_added, items_removed, items_changed = _item_diff(old, new, rank)
    return ProjectDiff(
        added=tuple(sorted(added, key=key)),
        removed=tuple(sorted(removed, key=key)),
        renamed=tuple(renamed),
        changed=tuple(changed),
        items_added=items_added,
        items_removed=items_removed,
        items_changed=items_changed,
        roadmaps=roadmaps,
    )


# --- items other than actions ----------------------------------------------------------------


def _items(project: Project) -> dict[tuple[str, str], Entry[ItemModel]]:
    found: dict[tuple[str, str], Entry[ItemModel]] = {}
    entries: list[Entry[Any]] = [*project.axes, *project.principles, *project.bodies]
    for roadmap in project.roadmaps:
        entries.append(roadmap.entry)
        entries.extend(roadmap.themes)
    for entry in entries:
        found.setdefault((entry.kind, entry.id), entry)
    return found


def _fields(entry: Entry[ItemModel]) -> dict[str, Any]:
    model = entry.model
    values: dict[str, Any] = {}
    names = type(model).model_fields if isinstance(model, BaseModel) else ()
    for name in names:
        if name in ("id", "themes"):
            continue
        value = _value(getattr(model, name))
        if name in PERIOD_FIELDS:
            value = _period(value)
        elif name in _SET_FIELDS:
            value = frozenset(value)
        values[name] = value
    if entry.kind == "theme":
        values["roadmap"] = roadmap_of(entry)
    return values


def _item_diff(old: Project, new: Project, rank: dict[str, int]) -> tuple[
        tuple[ItemChange, ...], tuple[ItemChange, ...], tuple[ItemChange, ...]]:
    before, after = _items(old), _items(new)
    kinds = {kind: i for i, kind in enumerate(ITEM_KINDS)}

    def key(entry: Entry[ItemModel]) -> tuple[int, int, tuple[tuple[int, int | str], ...]]:
        place = entry.id if entry.kind == "roadmap" else roadmap_of(entry) if entry.kind == "theme" else ""
        return kinds[entry.kind], rank.get(place, -1), natural_key(entry.id)

    added = sorted((e for k, e in after.items() if k not in before), key=key)
    removed = sorted((e for k, e in before.items() if k not in after), key=key)
    changed = []
    for k, entry in sorted(((k, e) for k, e in after.items() if k in before), key=lambda ke: key(ke[1])):
        old_fields, new_fields = _fields(before[k]), _fields(entry)
        differ = tuple(name for name, value in new_fields.items() if old_fields.get(name) != value)
        if differ:
            changed.append(ItemChange(entry.kind, entry.id, entry.title, differ))
    return (
        tuple(ItemChange(e.kind, e.id, e.title) for e in added),
        tuple(ItemChange(e.kind, e.id, e.title) for e in removed),
        tuple(changed),
    )
