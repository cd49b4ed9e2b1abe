"""Findings as text lines, psc's own JSON and GitHub workflow commands; the one place that
styles terminal output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO

from psc_roadmap.errors import Finding
from psc_roadmap.output import message
from psc_roadmap.reporters.report import text_safe
from psc_roadmap.text import json_text, plural, terminal_safe


def use_colour(stream: TextIO) -> bool:
    """Colour on a terminal only, never with NO_COLOR (or --no-color) or on a dumb terminal."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def counts(findings: list[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.is_error)
    return errors, len(findings) - errors


def finding_line(f: Finding, colour: bool = False) -> str:
    """`file:line:column: severity rule: message`, safe for a terminal, severity in colour
    where asked."""
    p = f.position
    severity = f.severity.value
    if colour:
        code = "31" if f.is_error else "33"
        severity = f"\x1b[1;{code}m{severity}\x1b[0m"
    return f"{terminal_safe(p.file)}:{p.line}:{p.column}: {severity} {f.rule}: {terminal_safe(f.message)}"


def text_report(findings: list[Finding], files: int, colour: bool = False) -> str:
    lines = [finding_line(f, colour) for f in findings]
    lines.append(summary_line(findings, files))
    return "\n".join(lines) + "\n"


def summary_line(findings: list[Finding], files: int) -> str:
    """`2 errors, 1 warning in 4 files`: the last line of the text report."""
    errors, warnings = counts(findings)
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def json_report(findings: list[Finding], files: int) -> str:
    errors, warnings = counts(findings)
    payload = {
        "diagnostics": [
            {
                "file": text_safe(f.position.file),
                "line": f.position.line,
                "column": f.position.column,
                "severity": f.severity.value,
                "rule": f.rule,
                "message": text_safe(f.message),
            }
            for f in findings
        ],
        "errors": errors,
        "warnings": warnings,
        "files": files,
    }
    return json_text(payload)


def _github_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_report(findings: list[Finding], files: int, path: Callable[[str], str] = str) -> str:
    """One workflow command per finding; `path` names a file as GitHub resolves it (from
    the repository root; the report's files as shown by default)."""
    lines = []
    for f in findings:
        p = f.position
        level = "error" if f.is_error else "warning"
        lines.append(
            f"::{level} file={_github_escape(text_safe(path(p.file)), True)},line={p.line},col={p.column},"
            f"title={_github_escape(f.rule, True)}::{_github_escape(text_safe(f.message))}"
        )
    return "".join(line + "\n" for line in lines)


def print_findings(findings: list[Finding]) -> None:
    """Findings as text lines (no summary), for commands that refuse a broken project."""
    if not findings:
        return
    report = text_report(findings, 0, use_colour(sys.stderr))
    message(report.rsplit("\n", 2)[0] + "\n")
