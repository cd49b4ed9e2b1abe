"""Parsing again only the actions an edit touched.

A roadmap file is mostly its `actions:` list, and an edit in an editor changes one action
or a few. When the file parsed without a syntax error and the edit lies inside its list
of actions, the lines of the actions it touches are parsed alone (with the loader's own
`parse_text`), and spliced among the actions that did not change, whose marks move by
the lines the edit added or removed. Whenever that could read differently from parsing
the whole text, it declines (None) and the caller parses the whole text: anchors or
aliases anywhere, tabs, a BOM, libyaml-only line breaks, an item that is not a block
mapping after a dash at the list's column, a line of the touched part at or left of that
column that is not such a dash, a syntax error in the part, deep nesting. The tests hold
the result equal, data, marks and findings, to `load_file` on the whole new text."""

from __future__ import annotations

import bisect
import re
from typing import Any

from psc_roadmap.errors import Finding, Position
from psc_roadmap.loader import MAX_DEPTH, LoadedFile, PosDict, PosList, parse_text
from psc_roadmap.lsp.positions import TextLines

#: Characters that could start an anchor, an alias or a tag's shorthand, or that break lines
#: where LSP does not: their texts are parsed whole.
_UNSAFE = re.compile(r"(?:^|[\s\[\]{},])[&*]|\t|[\x85\u2028\u2029\ufeff]")
_DASH = re.compile(r" *- +(?=\S)")
#: A message that names a place (`first at line 9`) would have to move with it: declined.
_PLACE = re.compile(r"\bline \d")


_CHUNK = 4096


def common_ends(old: str, new: str) -> tuple[int, int]:
    """The length of the common prefix of two texts, and of their common suffix after it,
    compared a chunk at a time (C speed), then a character at a time."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix + _CHUNK <= limit and old[prefix:prefix + _CHUNK] == new[prefix:prefix + _CHUNK]:
        prefix += _CHUNK
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    room = limit - prefix
    suffix = 0
    while suffix + _CHUNK <= room and old[len(old) - suffix - _CHUNK:len(old) - suffix] == \
            new[len(new) - suffix - _CHUNK:len(new) - suffix]:
        suffix += _CHUNK
    while suffix < room and old[len(old) - suffix - 1] == new[len(new) - suffix - 1]:
        suffix += 1
    return prefix, suffix


def shifted(value: Any, lines: int) -> Any:
    """A copy of parsed data with every mark `lines` lower (scalars are shared)."""
    if isinstance(value, PosDict):
        moved = PosDict((value.mark[0] + lines, value.mark[1]))
        for key, item in value.items():
            moved[key] = shifted(item, lines)
        moved.key_marks = {key: (line + lines, column) for key, (line, column) in value.key_marks.items()}
        moved.value_marks = {key: (line + lines, column) for key, (line, column) in value.value_marks.items()}
        return moved
    if isinstance(value, PosList):
        copied = PosList((value.mark[0] + lines, value.mark[1]))
        copied.extend(shifted(item, lines) for item in value)
        copied.item_marks = [(line + lines, column) for line, column in value.item_marks]
        return copied
    return value


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _moved(finding: Finding, lines: int) -> Finding:
    p = finding.position
    return Finding(Position(p.file, p.line + lines, p.column), finding.rule, finding.message, finding.about)


def _dash_lines(lines: TextLines, actions: PosList) -> tuple[list[int], int] | None:
    """The 0-based line of each action's dash, and the dash's column (the same for all)."""
    dashes: list[int] = []
    column = -1
    for item, (line, mark_column) in zip(actions, actions.item_marks, strict=True):
        if not isinstance(item, PosDict) or not item:
            return None
        text = lines.line_text(line - 1)
        dash = _DASH.match(text)
        if dash is None or dash.end() != mark_column - 1:
            return None
        at = text.index("-")
        if column not in (-1, at):
            return None
        column = at
        dashes.append(line - 1)
    return dashes, column


def _clean(fragment: str, column: int) -> bool:
    """Whether every line of a part is blank, a comment, a dash at the list's column, or
    indented past it: then it reads alone as it does in its file."""
    for line in fragment.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if indent > column:
            continue
        if indent == column and _DASH.match(line):
            continue
        return False
    return True


def plain(text: str) -> bool:
    """Whether a text has none of what makes a partial reading decline anywhere in it."""
    return _UNSAFE.search(text) is None


def reparse(old_text: str, old: LoadedFile, old_lines: TextLines, new_text: str,
            old_plain: bool | None = None, ends: tuple[int, int] | None = None) -> LoadedFile | None:
    """The file as `load_file` would read `new_text`, from its reading of `old_text`; None
    when the edit is not one that a partial parse reads exactly. `old_plain` and `ends`:
    what `plain(old_text)` and `common_ends(old_text, new_text)` say, when known."""
    root = old.data
    if not isinstance(root, PosDict) or not old.read or any(f.rule == "yaml-syntax" for f in old.findings):
        return None
    actions = root.get("actions")
    if not isinstance(actions, PosList) or not actions or not (plain(old_text) if old_plain is None else old_plain):
        return None
    found = _dash_lines(old_lines, actions)
    if found is None:
        return None
    dashes, column = found
    after = [line - 1 for key, (line, _) in root.key_marks.items() if line - 1 > dashes[-1]]
    end_line = min(after, default=old_lines.line_count)
    if old_text and not old_text.endswith(("\n", "\r")) and end_line >= old_lines.line_count:
        return None  # the last action ends the file without a line break: keep it simple
    prefix, suffix = ends if ends is not None else common_ends(old_text, new_text)
    changed_end = len(old_text) - suffix
    first_line = old_lines.line_at(prefix)
    last_line = old_lines.line_at(max(changed_end - 1, prefix))
    if first_line < dashes[0] or last_line >= end_line:
        return None
    first = bisect.bisect_right(dashes, first_line) - 1
    last = bisect.bisect_right(dashes, last_line) - 1
    start = old_lines.start_of(dashes[first])
    old_end = old_lines.start_of(dashes[last + 1]) if last + 1 < len(dashes) else old_lines.start_of(end_line)
    if changed_end > old_end or prefix < start:
        return None
    delta_chars = len(new_text) - len(old_text)
    new_end = old_end + delta_chars
    fragment = new_text[start:new_end]
    if (fragment and not fragment.endswith(("\n", "\r"))) or not _clean(fragment, column) or _UNSAFE.search(fragment):
        return None
    findings: list[Finding] = []
    data = parse_text(fragment, old.name, findings)
    if data is None:
        items: list[Any] = []
        marks: list[tuple[int, int]] = []
    elif isinstance(data, PosList) and all(isinstance(item, PosDict) and item for item in data):
        items, marks = list(data), list(data.item_marks)
    else:
        return None
    if any(f.rule == "yaml-syntax" for f in findings) or _depth(data) > MAX_DEPTH - 10:
        return None
    return _splice(old, root, actions, first, last, dashes, end_line, column, fragment, items, marks, findings)


def _splice(old: LoadedFile, root: PosDict, actions: PosList, first: int, last: int, dashes: list[int],
            end_line: int, column: int, fragment: str, items: list[Any], marks: list[tuple[int, int]],
            findings: list[Finding]) -> LoadedFile | None:
    """The old reading with actions first..last replaced by the items of the part read again."""
    base = dashes[first]
    new_items = [shifted(item, base) for item in items]
    new_marks = [(line + base, mark_column) for line, mark_column in marks]
    old_fragment_lines = (dashes[last + 1] if last + 1 < len(dashes) else end_line) - base
    new_fragment_lines = fragment.count("\n") + fragment.count("\r") - fragment.count("\r\n")
    delta = new_fragment_lines - old_fragment_lines
    kept_after = actions[last + 1:]
    after_marks = actions.item_marks[last + 1:]
    if delta:
        kept_after = [shifted(item, delta) for item in kept_after]
        after_marks = [(line + delta, mark_column) for line, mark_column in after_marks]
    all_items = [*actions[:first], *new_items, *kept_after]
    if not all_items:
        return None
    sequence_mark = actions.mark
    if first == 0:
        sequence_mark = (new_marks[0][0], column + 1) if new_marks else (after_marks[0][0], column + 1)
    sequence = PosList(sequence_mark)
    sequence.extend(all_items)
    sequence.item_marks = [*actions.item_marks[:first], *new_marks, *after_marks]
    new_root = PosDict(root.mark)
    fragment_end = base + old_fragment_lines  # 0-based line after the old part
    for key, value in root.items():
        key_line = root.key_marks[key][0] - 1
        moves = delta if key_line >= fragment_end else 0
        new_root[key] = sequence if key == "actions" else shifted(value, moves) if moves else value
        new_root.key_marks[key] = (root.key_marks[key][0] + moves, root.key_marks[key][1])
        value_line = root.value_marks[key][0] - 1
        mark_moves = delta if value_line >= fragment_end else 0
        new_root.value_marks[key] = (
            sequence_mark if key == "actions" else (root.value_marks[key][0] + mark_moves, root.value_marks[key][1])
        )
    kept: list[Finding] = []
    for finding in old.findings:
        line = finding.position.line - 1
        if line < base:
            kept.append(finding)
        elif line >= fragment_end:
            if delta and _PLACE.search(finding.message):
                return None
            kept.append(_moved(finding, delta) if delta else finding)
    if any(_PLACE.search(finding.message) for finding in findings):
        return None
    before = [f for f in kept if f.position.line - 1 < base]
    later = [f for f in kept if f.position.line - 1 >= base]
    return LoadedFile(old.name, new_root, [*before, *(_moved(f, base) for f in findings), *later], read=True)
