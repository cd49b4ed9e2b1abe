"""The domain of a project: items with an id (`Entry`), roadmaps, the `Project` with its
one id index, and where each item stands in its file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from psc_roadmap.errors import Position
from psc_roadmap.loader import Mark, PosDict, PosList
from psc_roadmap.models import Action, Axis, Body, Document, Principle, RoadmapHeader, Theme
from psc_roadmap.text import fold


@dataclass(frozen=True, slots=True)
class Unvalidated:
    """The id of an item that failed validation: enough to check that ids are unique."""

    id: str


#: The model of an item with an id.
ItemModel = Axis | Principle | Body | Theme | Action | RoadmapHeader | Unvalidated
M = TypeVar("M", bound=ItemModel, covariant=True)


@dataclass(frozen=True, eq=False)
class Entry(Generic[M]):
    """One item with an id (axis, principle, theme, action, body, roadmap) and where it stands."""

    kind: str
    model: M
    file: str
    raw: PosDict
    roadmap: Roadmap | None = None
    #: Fields in error (their schema finding says so), left out of `model`: no other
    #: check reports them missing.
    faulty: frozenset[str] = frozenset()

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def title(self) -> str:
        """What names the item for people: a body's name, else its title."""
        model = self.model
        if isinstance(model, Body):
            return model.name
        if isinstance(model, Unvalidated):
            return model.id
        return model.title

    def at(self, name: str | None = None, index: int | None = None) -> Position:
        """Position of a field's value (or of its index-th item), else of the item itself."""
        return position_in(self.file, self.raw, name, index)


@dataclass(eq=False)
class Roadmap:
    """One `*_roadmap.yaml`: header, themes and actions, in file order."""

    file: str
    header: RoadmapHeader
    raw: PosDict
    root: PosDict
    entry: Entry[RoadmapHeader] = field(init=False)
    actions: list[Entry[Action]] = field(default_factory=list)
    themes: list[Entry[Theme]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def file_name(self) -> str:
        return os.path.basename(self.file)


@dataclass(eq=False)
class Project:
    """Everything read from one data folder; items that failed validation are left out."""

    folder: str
    files: list[str] = field(default_factory=list)
    document: Document | None = None
    governance_description: str | None = None
    axes: list[Entry[Axis]] = field(default_factory=list)
    principles: list[Entry[Principle]] = field(default_factory=list)
    bodies: list[Entry[Body]] = field(default_factory=list)
    roadmaps: list[Roadmap] = field(default_factory=list)
    #: Every entry by id; the first one wins when an id is repeated.
    index: dict[str, Entry[ItemModel]] = field(default_factory=dict)
    #: Every id of each kind, repeated ones included (a duplicate id is its own finding).
    ids_by_kind: dict[str, set[str]] = field(default_factory=dict)
    #: How many data files the project has, read or not (the count in `validate`'s summary line).
    files_read: int = 0
    #: Ids of items that failed validation, by kind, so that references to them stay quiet.
    broken_ids: dict[str, set[str]] = field(default_factory=dict)
    #: Items that failed validation, kept only for the duplicate-id check.
    unvalidated: list[Entry[Unvalidated]] = field(default_factory=list)
    #: Kinds whose file could not be read or parsed: references to them can't be judged.
    unknown_kinds: set[str] = field(default_factory=set)
    _loose_broken: dict[str, set[str]] = field(default_factory=dict, repr=False)

    @property
    def actions(self) -> list[Entry[Action]]:
        return [a for r in self.roadmaps for a in r.actions]

    def ids_of(self, kind: str) -> list[str]:
        return [e.id for e in self.index.values() if e.kind == kind]

    def has(self, kind: str, item_id: str) -> bool:
        """Whether a reference to `item_id` can stand: an item of that kind has it, or one that
        failed validation was written so (`id: AX 2` is what `AX2` means: its own finding
        is the one), or the kind could not be read."""
        if item_id in self.ids_by_kind.get(kind, ()):
            return True
        broken = self.broken_ids.get(kind)
        if kind in self.unknown_kinds or (broken and item_id in broken):
            return True
        if not broken:
            return False
        loose = self._loose_broken.get(kind)
        if loose is None:
            loose = self._loose_broken[kind] = {_loose(b) for b in broken}
        return _loose(item_id) in loose

    def ordered_roadmaps(self) -> list[Roadmap]:
        """Roadmap order: those that set `order` first, by order then file name; then the rest by file name."""
        return sorted(
            self.roadmaps,
            key=lambda r: (r.header.order is None, r.header.order or 0, r.file_name),
        )

    @property
    def file_rank(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.files)}


def _loose(item_id: str) -> str:
    """An id as people mean it: case, accents and white space aside."""
    return "".join(fold(item_id).split())


def position_in(file: str, raw: Any, name: str | None = None, index: int | None = None) -> Position:
    mark = mark_of(raw, name, index)
    return Position(file, mark[0], mark[1])


def mark_of(raw: Any, name: str | None = None, index: int | None = None) -> Mark:
    if not isinstance(raw, PosDict):
        return (1, 1)
    if name is None or name not in raw:
        return raw.mark
    value = raw[name]
    if index is not None and isinstance(value, PosList) and 0 <= index < len(value.item_marks):
        return value.item_marks[index]
    return raw.value_marks[name]
