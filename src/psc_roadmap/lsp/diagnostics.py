"""Findings as LSP diagnostics: the same rule (as `code`), severity, message and place as
`psc validate`, with a range over the value the finding is about."""

from __future__ import annotations

from lsprotocol import types

from psc_roadmap.errors import Finding, Severity
from psc_roadmap.lsp.analysis import Analysis
from psc_roadmap.lsp.positions import TextLines
from psc_roadmap.lsp.sites import scalar_length

SOURCE = "psc"
_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning}
_CLOSING = {"[": "]", "{": "}"}


def _open_brackets(before: str) -> int:
    depth, quote = 0, ""
    for char in before:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(depth - 1, 0)
    return depth


def token_end(line: str, start: int) -> int:
    """Where the YAML token that starts at `start` ends on its line: a quoted scalar at
    its closing quote, a flow collection at its closing bracket, a key before its colon,
    a plain value before a comment (or a comma, in a flow collection)."""
    if start >= len(line):
        return start
    char = line[start]
    if char in "'\"":
        return start + scalar_length(line, start, "")[0]
    if char in _CLOSING:
        depth = 0
        for index in range(start, len(line)):
            if line[index] == char:
                depth += 1
            elif line[index] == _CLOSING[char]:
                depth -= 1
                if depth == 0:
                    return index + 1
        return len(line.rstrip())
    stops = ",]}" if _open_brackets(line[:start]) else ""
    index = start
    while index < len(line):
        char = line[index]
        if char in stops or (char == ":" and line[index + 1:index + 2] in ("", " ", "\t")):
            break
        if char == "#" and index > start and line[index - 1] in " \t":
            break
        index += 1
    return start + len(line[start:index].rstrip())


def finding_range(lines: TextLines | None, finding: Finding) -> types.Range:
    if lines is None:
        return types.Range(types.Position(0, 0), types.Position(0, 0))
    start = lines.offset(finding.position.line, finding.position.column)
    position = lines.position(start)
    line_start = lines.line_start(start)
    end = line_start + token_end(lines.line_text(position.line), start - line_start)
    return types.Range(position, lines.position(end))


def diagnostic(lines: TextLines | None, finding: Finding) -> types.Diagnostic:
    return types.Diagnostic(
        range=finding_range(lines, finding),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.rule,
        source=SOURCE,
        data={"about": list(finding.about)} if finding.about else None,
    )


def diagnostics_by_file(analysis: Analysis) -> dict[str, list[types.Diagnostic]]:
    """The diagnostics of every data file of the project by path, empty lists included
    (publishing them clears what an earlier edit had). A finding about a file that is not
    there (no axes.yaml, no roadmap) goes at the top of every file that is."""
    found: dict[str, list[types.Diagnostic]] = {analysis.shown(name): [] for name in analysis.names}
    for finding in analysis.findings:
        file = finding.position.file
        if file in found:
            found[file].append(diagnostic(analysis.lines.get(file), finding))
        else:
            for path in analysis.lines:
                found[path].append(diagnostic(None, finding))
    return found
