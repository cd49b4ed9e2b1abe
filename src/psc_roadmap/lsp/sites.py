"""Where each id is defined and where it is named: the index behind go to definition,
find references, rename, hover and the symbols.

Built from the project `psc validate` loaded (its items and their raw data with marks),
items that failed validation included, so that a reference inside a broken action is
still found."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

from psc_roadmap.checks.identity import all_entries
from psc_roadmap.loader import PosDict, PosList
from psc_roadmap.lsp.positions import TextLines
from psc_roadmap.project import Entry, ItemModel, Project

#: The fields that name an item, and the kind of item each names.
REFERENCE_KINDS: dict[str, str] = {
    "axes": "axis",
    "principles": "principle",
    "theme": "theme",
    "body": "body",
    "depends_on": "action",
    "reports_to": "body",
}
#: The reference fields of each kind of item.
REFERENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "action": ("axes", "principles", "theme", "body", "depends_on"),
    "body": ("axes", "reports_to"),
}


@dataclass(frozen=True, slots=True)
class Site:
    """One id as written in a file: where it defines an item (`field` None) or names one."""

    file: str
    line: int
    column: int
    #: Characters the scalar takes in the text, its quotes included.
    length: int
    target: str
    kind: str
    field: str | None
    #: The id of the item the site belongs to (itself for a definition).
    owner: str
    #: Where the id itself starts inside the scalar (1 after an opening quote).
    inner: int = 0

    @property
    def is_definition(self) -> bool:
        return self.field is None

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.target


@dataclass
class SiteIndex:
    """Every site of a project, by file (in reading order) and by (kind, id)."""

    by_file: dict[str, list[Site]] = field(default_factory=dict)
    by_key: dict[tuple[str, str], list[Site]] = field(default_factory=dict)
    #: The entry of each definition site, for hover and symbols.
    entries: dict[Site, Entry[ItemModel]] = field(default_factory=dict)
    _starts: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def add(self, site: Site) -> None:
        self.by_file.setdefault(site.file, []).append(site)
        self.by_key.setdefault(site.key, []).append(site)

    def finish(self) -> None:
        for file, sites in self.by_file.items():
            sites.sort(key=lambda s: (s.line, s.column))
            self._starts[file] = [(s.line, s.column) for s in sites]

    def at(self, file: str, line: int, column: int) -> Site | None:
        """The site whose scalar holds psc's (line, column), its end included (a cursor
        just after an id is on it)."""
        starts = self._starts.get(file)
        if not starts:
            return None
        index = bisect.bisect_right(starts, (line, column)) - 1
        if index < 0:
            return None
        site = self.by_file[file][index]
        if site.line == line and site.column <= column <= site.column + site.length:
            return site
        return None

    def definitions(self, kind: str, target: str) -> list[Site]:
        return [s for s in self.by_key.get((kind, target), []) if s.is_definition]

    def uses(self, kind: str, target: str) -> list[Site]:
        return [s for s in self.by_key.get((kind, target), []) if not s.is_definition]

    def in_file(self, file: str) -> list[Site]:
        return self.by_file.get(file, [])


def scalar_length(text: str, offset: int, value: str) -> tuple[int, int]:
    """The characters a scalar holding `value` takes at `offset`, and where its value
    starts inside it: a plain id is itself, a quoted one runs to its closing quote."""
    if text.startswith(value, offset) and value and text[offset] not in "'\"":
        return len(value), 0
    quote = text[offset] if offset < len(text) else ""
    if quote not in ("'", '"'):
        return len(value), 0
    index = offset + 1
    while index < len(text) and text[index] not in "\r\n":
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and text.startswith("''", index):
                index += 2
                continue
            return index + 1 - offset, 1
        index += 1
    return index - offset, 1


def _references(raw: PosDict, name: str) -> Iterator[tuple[str, tuple[int, int]]]:
    value = raw.get(name)
    if isinstance(value, PosList):
        for item, mark in zip(value, value.item_marks, strict=True):
            if isinstance(item, str):
                yield item, mark
    elif isinstance(value, str) and name in raw.value_marks:
        yield value, raw.value_marks[name]


def _site(lines: TextLines, file: str, value: str, mark: tuple[int, int], name: str | None,
          kind: str, owner: str) -> Site:
    length, inner = scalar_length(lines.text, lines.offset(mark[0], mark[1]), value)
    return Site(file, mark[0], mark[1], length, value.strip(), kind, name, owner, inner)


def build_index(project: Project, lines: dict[str, TextLines]) -> SiteIndex:
    """The sites of every item of the project; `lines` holds the text of each file."""
    index = SiteIndex()
    for entry in all_entries(project):
        raw, file = entry.raw, entry.file
        text = lines.get(file)
        item_id = raw.get("id") if isinstance(raw, PosDict) else None
        if text is None or not isinstance(item_id, str) or "id" not in raw.value_marks:
            continue
        definition = _site(text, file, item_id, raw.value_marks["id"], None, entry.kind, item_id.strip())
        index.add(definition)
        index.entries.setdefault(definition, entry)
        for name in REFERENCE_FIELDS.get(entry.kind, ()):
            for value, mark in _references(raw, name):
                index.add(_site(text, file, value, mark, name, REFERENCE_KINDS[name], definition.target))
    index.finish()
    return index
