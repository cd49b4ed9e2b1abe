"""Code actions: the quick fixes that `psc validate`'s messages already give, applied —
the "did you mean" replacement, a YAML date written as a period, a missing required
field inserted with a placeholder. Each fix is read from its finding's message, so that
the editor offers exactly what the message says."""

from __future__ import annotations

import re
from datetime import date

from lsprotocol import types

from psc_roadmap.errors import Finding
from psc_roadmap.lsp.analysis import Analysis
from psc_roadmap.lsp.context import mapping_keys
from psc_roadmap.lsp.diagnostics import diagnostic, finding_range, token_end
from psc_roadmap.lsp.navigation import item_end
from psc_roadmap.lsp.positions import TextLines

_DID_YOU_MEAN = re.compile(r"\(did you mean '([^']+)'\?\)")
_DATE_TO_PERIOD = re.compile(r"is a date; write \"(\d{4}-\d{2})\" or (\d{4})")
_DATE_TO_YEAR = re.compile(r"is a date; write the year, (\d{4})")
_MISSING = re.compile(r"^missing required field '([A-Za-z_]+)'")
#: The value a missing field is inserted with, when not a year: something to replace.
_PLACEHOLDERS = {"axes": "[]", "title": "TODO", "name": "TODO", "id": "TODO", "institution": "TODO",
                 "kind": "committee", "roadmap": "{}", "actions": "[]", "document": "{}"}


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _token(lines: TextLines, finding: Finding) -> tuple[int, int]:
    """Offsets of the scalar a finding points at, inside its quotes."""
    start = lines.offset(finding.position.line, finding.position.column)
    line_start = lines.line_start(start)
    line = lines.text[line_start:lines.end_of_line(lines.position(start).line)]
    end = line_start + token_end(line, start - line_start)
    if end - start >= 2 and lines.text[start] in "'\"" and lines.text[end - 1] == lines.text[start]:
        return start + 1, end - 1
    return start, end


def _action(title: str, uri: str, edit: types.TextEdit, found: types.Diagnostic, preferred: bool) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[found],
        is_preferred=preferred,
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


def _year(analysis: Analysis, path: str) -> int:
    roadmap = analysis.roadmap_of(path)
    if roadmap is not None:
        return int(str(roadmap.header.start or roadmap.header.horizon)[:4])
    return date.today().year


def _insertion(analysis: Analysis, lines: TextLines, path: str, finding: Finding, name: str) -> types.TextEdit | None:
    """`name: placeholder` on a new line after the mapping the finding points at (its first key)."""
    line, column = finding.position.line, finding.position.column
    start = lines.offset(line, column)
    first = lines.position(start).line
    indent = start - lines.line_start(start)
    if lines.text[start:start + 1] in ("{", "") or name in mapping_keys(lines, first, -1, indent):
        return None
    placeholder = _PLACEHOLDERS.get(name) or str(_year(analysis, path))
    at = item_end(lines, line, column)
    break_ = "\r\n" if "\r\n" in lines.text[:at + 2] else "\n"
    return types.TextEdit(range=lines.range(at, at), new_text=f"{break_}{' ' * indent}{name}: {placeholder}")


def code_actions(analysis: Analysis, path: str, wanted: types.Range) -> list[types.CodeAction]:
    """The quick fixes of the findings of a file that touch a range."""
    lines = analysis.lines.get(path)
    if lines is None:
        return []
    uri = analysis.uri(path)
    actions: list[types.CodeAction] = []
    for finding in analysis.findings:
        if finding.position.file != path or not _overlaps(finding_range(lines, finding), wanted):
            continue
        found = diagnostic(lines, finding)
        start, end = _token(lines, finding)
        here = lines.range(start, end)
        if match := _DID_YOU_MEAN.search(finding.message):
            actions.append(_action(f"Replace with '{match[1]}'", uri, types.TextEdit(range=here, new_text=match[1]),
                                   found, True))
        elif match := _DATE_TO_PERIOD.search(finding.message):
            month, year = match[1], match[2]
            actions.append(_action(f'Write the month "{month}"', uri,
                                   types.TextEdit(range=lines.range(*_whole(lines, start, end)),
                                                  new_text=f'"{month}"'), found, True))
            actions.append(_action(f"Write the year {year}", uri,
                                   types.TextEdit(range=lines.range(*_whole(lines, start, end)), new_text=year),
                                   found, False))
        elif match := _DATE_TO_YEAR.search(finding.message):
            actions.append(_action(f"Write the year {match[1]}", uri,
                                   types.TextEdit(range=lines.range(*_whole(lines, start, end)), new_text=match[1]),
                                   found, True))
        elif (match := _MISSING.search(finding.message)) and (edit := _insertion(
                analysis, lines, path, finding, match[1])) is not None:
            actions.append(_action(f"Add the field '{match[1]}'", uri, edit, found, True))
    return actions


def _whole(lines: TextLines, start: int, end: int) -> tuple[int, int]:
    """The scalar with its quotes, from the offsets of its value."""
    if start > 0 and lines.text[start - 1] in "'\"" and lines.text[end:end + 1] == lines.text[start - 1]:
        return start - 1, end + 1
    return start, end
