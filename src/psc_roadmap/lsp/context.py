"""What the cursor is in, read from the lines of a block-style YAML text: the keys above
it, the key it is writing or whose value it is in, and the word typed so far. It reads
lines rather than the parsed data because a file being typed is often not valid YAML
(`ow` on its own line, a list not closed yet)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from psc_roadmap.lsp.positions import TextLines
from psc_roadmap.models import (
    Action,
    AxesFile,
    Axis,
    Body,
    Document,
    GovernanceFile,
    Principle,
    RoadmapFile,
    RoadmapHeader,
    Source,
    Theme,
)

#: The model of a mapping, by file kind and the keys that lead to it (list items skipped).
MODELS: dict[tuple[str, tuple[str, ...]], type[BaseModel]] = {
    ("axes", ()): AxesFile,
    ("axes", ("document",)): Document,
    ("axes", ("document", "sources")): Source,
    ("axes", ("axes",)): Axis,
    ("axes", ("principles",)): Principle,
    ("governance", ()): GovernanceFile,
    ("governance", ("bodies",)): Body,
    ("roadmap", ()): RoadmapFile,
    ("roadmap", ("roadmap",)): RoadmapHeader,
    ("roadmap", ("roadmap", "themes")): Theme,
    ("roadmap", ("actions",)): Action,
}

_LINE = re.compile(r"(?P<indent> *)(?P<dashes>(?:-(?: +|$))*)(?:(?P<key>[A-Za-z_][\w-]*) *:(?=\s|$)(?P<value>.*))?")
_WORD = re.compile(r"[\"']?[\w.-]*$")


@dataclass(frozen=True, slots=True)
class Line:
    """The block structure of one line: its dashes' columns, its key and the key's column."""

    dashes: tuple[int, ...]
    key: str | None
    key_column: int
    value: str
    blank: bool

    @property
    def column(self) -> int:
        """The column of its first dash, else of its key."""
        return self.dashes[0] if self.dashes else self.key_column


def parse_line(text: str) -> Line:
    if not text.strip() or text.lstrip().startswith("#"):
        return Line((), None, 0, "", True)
    match = _LINE.match(text)
    assert match is not None  # every part is optional
    indent = len(match["indent"])
    dashes, at = [], indent
    for dash in re.finditer(r"-(?: +|$)", match["dashes"]):
        dashes.append(indent + dash.start())
        at = indent + dash.end()
    if match["key"] is None:
        return Line(tuple(dashes), None, at, text[at:], False)
    return Line(tuple(dashes), match["key"], at, match["value"] or "", False)


@dataclass
class Context:
    """Where the cursor is, in the words of the data format."""

    #: Keys from the top of the file down to the mapping the cursor is in.
    path: tuple[str, ...]
    #: The key whose value the cursor is in (on its line, or in a list item below it).
    key: str | None
    #: The word before the cursor (a quote included) and where it starts, in code points.
    prefix: str
    prefix_start: int
    #: The keys the mapping already has, when the cursor is where a key goes.
    siblings: set[str] = field(default_factory=set)
    #: Words already written in the value (the ids of a list), the prefix left out.
    written: set[str] = field(default_factory=set)


def keys_above(lines: TextLines, number: int, column: int) -> tuple[list[str], int]:
    """The keys above LSP line `number` whose values hold a node at `column`, outermost
    first, and the line where the mapping at `column` starts."""
    keys: list[str] = []
    first = 0
    current = column
    for above in range(number - 1, -1, -1):
        if current <= 0:
            break
        line = parse_line(lines.line_text(above))
        if line.blank:
            continue
        moved = current
        if line.key is not None and line.key_column < current:
            keys.insert(0, line.key)
            current = line.key_column
            if line.dashes and line.dashes[0] < current:
                current = line.dashes[0]
        elif line.dashes and line.dashes[0] < current:
            current = line.dashes[0]
            if moved == column:
                first = above  # the dash of the list item that holds the mapping
                continue
        if moved == column and current != column:
            first = above + 1
    return keys, first


def mapping_keys(lines: TextLines, first: int, number: int, column: int) -> set[str]:
    """The keys written at `column` in the mapping that starts on line `first` and holds
    line `number` (that line left out)."""
    found: set[str] = set()
    for index in range(first, lines.line_count):
        line = parse_line(lines.line_text(index))
        if line.blank:
            continue
        if index > first and index != number and (line.column < column or any(d < column for d in line.dashes)):
            break
        if index != number and line.key is not None and line.key_column == column:
            found.add(line.key)
    return found


def context_at(lines: TextLines, file_kind: str, line_number: int, character: int) -> Context:
    """The context of the cursor at LSP line `line_number`, `character` code points in."""
    text = lines.line_text(line_number)
    before = text[:character]
    here = parse_line(before)
    word = _WORD.search(before)
    prefix = word.group() if word else ""
    prefix_start = character - len(prefix)
    if here.key is not None:
        # After `key:` on this line: in the value of that key.
        keys, _ = keys_above(lines, line_number, here.key_column)
        value = parse_line(text).value
        rest = re.match(r"[\w.-]*", text[character:])
        under = prefix.strip("'\"") + (rest.group() if rest else "")
        written = set(re.findall(r"[\w.-]+", value)) - {under}
        return Context(tuple(keys), here.key, prefix, prefix_start, written=written)
    if here.dashes:
        # `- word`: an item of the list of the key above; a key if that list holds mappings.
        keys, _ = keys_above(lines, line_number, here.dashes[0])
        if keys and (file_kind, tuple(keys)) not in MODELS:
            return Context(tuple(keys[:-1]), keys[-1], prefix, prefix_start)
        column = here.key_column
        return Context(tuple(keys), None, prefix, prefix_start, mapping_keys(lines, line_number, line_number, column))
    column = len(before) - len(before.lstrip(" "))
    keys, first = keys_above(lines, line_number, column)
    return Context(tuple(keys), None, prefix, prefix_start, mapping_keys(lines, first, line_number, column))
