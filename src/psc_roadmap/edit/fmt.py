"""`psc fmt`: every data file in one canonical layout, proved to keep its data and comments."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psc_roadmap.atomic import write_atomic
from psc_roadmap.edit.lock import project_lock
from psc_roadmap.edit.proof import canonical, parsed
from psc_roadmap.edit.spans import Node, compose, is_kind, line_break
from psc_roadmap.errors import Finding, PscError
from psc_roadmap.files import SourceFile, discover, display_path, read_source
from psc_roadmap.loader import PosDict, PosList
from psc_roadmap.text import one_line, quote

#: Wide enough that ruamel.yaml never folds a long line.
_WIDTH = 1_000_000_000


class FormatError(PscError):
    """A file that `fmt` leaves alone, with the reason and where (1-based line and column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class FormatReport:
    """Per file: changed, unchanged or skipped (with the reason)."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: (file as shown, line, column, reason)
    skipped: list[tuple[str, int, int, str]] = field(default_factory=list)
    #: Whether the changed files were written (never with --check, nor when one is skipped).
    written: bool = False


def _rt_dump(body: str) -> str | None:
    """The body re-laid out by ruamel.yaml's round trip; None for a non-collection document."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = _WIDTH
    data = yaml.load(body)
    if not isinstance(data, dict | list):
        return None
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


_HEADER_LINE = re.compile(r"[ \t]*(#.*)?|%.*|---[ \t]*(#.*)?")


def _layout(text: str) -> str:
    """One pass of the canonical layout over LF text.

    The comment block before the first key and the lines from a `...` document end on are
    kept as they are (ruamel.yaml drops a `---` and the comments before it); leading blank
    lines go, and the file ends with exactly one line break.
    """
    lines = text.split("\n")
    first = 0
    while first < len(lines) and _HEADER_LINE.fullmatch(lines[first]):
        first += 1
    header_lines = lines[:first]
    while header_lines and not header_lines[0].strip():
        header_lines.pop(0)
    header = "".join(line + "\n" for line in header_lines)
    if first == len(lines):
        return header.rstrip("\n") + "\n" if header.strip() else ""
    rest = lines[first:]
    end = next((i for i, line in enumerate(rest) if re.fullmatch(r"\.\.\.[ \t]*(#.*)?", line)), None)
    trailer = "\n".join(rest[end:]) if end is not None else ""
    body = "\n".join(rest) if end is None else "".join(line + "\n" for line in rest[:end])
    dumped = _rt_dump(body)
    if dumped is None:
        return text
    if trailer:
        if dumped.endswith("...\n"):
            dumped = dumped[:-4]
        trailer = trailer.rstrip("\n") + "\n"
        return header + dumped + trailer
    if not dumped.endswith("...\n"):
        dumped = dumped.rstrip("\n") + "\n"
    return header + dumped


def _comment_lines(text: str) -> Counter[str]:
    return Counter(s for line in text.split("\n") if (s := line.strip()).startswith("#"))


#: Findings that mean a file can't be laid out: its data is not known for sure.
_UNPARSED = frozenset({"yaml-syntax", "duplicate-key"})


def _untab(text: str, shown: str) -> str:
    """The text with each tab between a key's `:` and its value on the same line made one
    space: YAML (and `psc validate`) reads them alike, ruamel.yaml's layout engine refuses
    the tab."""
    if "\t" not in text:
        return text
    gaps: list[tuple[int, int]] = []

    def walk(node: Node) -> None:
        if is_kind(node, "mapping"):
            for key, value in node.value:
                start, end = int(key.end_mark.index), int(value.start_mark.index)
                gap = text[start:end]
                if "\t" in gap and "\n" not in gap and gap.lstrip(" \t").startswith(":"):
                    gaps.append((start, end))
                walk(value)
        elif is_kind(node, "sequence"):
            for item in node.value:
                walk(item)

    walk(compose(text, shown))
    for start, end in sorted(gaps, reverse=True):
        text = text[:start] + ": " + text[end:]
    return text


def _first_difference(old: Any, new: Any, mark: tuple[int, int] = (1, 1)) -> tuple[int, int, str]:
    """Line, column and a name of the first place where two parsed texts differ."""
    if isinstance(old, PosDict) and isinstance(new, dict):
        for key, value in old.items():
            if key not in new:
                return (*old.key_marks.get(key, mark), f"the key {quote(key)}")
            if canonical(value) != canonical(new[key]):
                return _first_difference(value, new[key], old.value_marks.get(key, mark))
        extra = next((k for k in new if k not in old), "")
        return (*old.mark, f"a key {quote(extra)} here")
    if isinstance(old, PosList) and isinstance(new, list) and len(old) == len(new):
        for item, item_mark, other in zip(old, old.item_marks, new, strict=True):
            if canonical(item) != canonical(other):
                return _first_difference(item, other, item_mark)
    return (*mark, f"the value {quote(old)}" if not isinstance(old, dict | list) else "this part")


def format_text(text: str, shown: str) -> str:
    """The text in the canonical layout, proved to hold the same data and comments.

    Line ends stay as the file has them (CRLF stays CRLF, decided by its first line); the
    caller keeps a UTF-8 BOM. FormatError if the file can't be laid out safely.
    """
    from ruamel.yaml.error import YAMLError

    data, findings = parsed(text, shown)
    problems = [f for f in findings if f.rule in _UNPARSED]
    if problems:
        first = problems[0]
        raise FormatError(f"{first.rule}: {first.message}", first.position.line, first.position.column)
    crlf = line_break(text) == "\r\n"
    current = _untab(text.replace("\r\n", "\n"), shown)
    try:
        for _ in range(3):
            laid_out = _layout(current)
            if laid_out == current:
                break
            current = laid_out
        else:
            raise FormatError("fmt: the layout does not settle; please report this file")
    except YAMLError as exc:
        raise FormatError(f"fmt: the layout engine (ruamel.yaml) can't read this file: {one_line(exc)}") from None
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise FormatError(f"fmt: the layout engine (ruamel.yaml) fails on this file: {type(exc).__name__}") from None
    new, new_findings = parsed(current, shown)
    if any(f.rule in _UNPARSED for f in new_findings) or canonical(new) != canonical(data):
        line, column, what = _first_difference(data, new)
        raise FormatError(
            f"fmt: the layout engine (ruamel.yaml) would write {what} another way, which changes the data; "
            "the file was left as it is: write that key or value as plain text", line, column,
        )
    missing = _comment_lines(text.replace("\r\n", "\n")) - _comment_lines(current)
    if missing:
        raise FormatError(f"fmt: the new layout would lose the comment {quote(next(iter(missing)))}; "
                          "the file was left as it is (please report it)")
    return current.replace("\n", "\r\n") if crlf else current


def format_folder(folder: str, check: bool) -> FormatReport:
    """Lay out every data file of the project; write them only if every one of them can be
    laid out (and never with check)."""
    report = FormatReport()
    with project_lock(folder):
        pending: list[tuple[SourceFile, str]] = []
        for name in discover(folder).names:
            source = read_source(folder, name)
            shown = display_path(folder, name)
            if isinstance(source, Finding):
                where = source.position
                report.skipped.append((shown, where.line, where.column, f"{source.rule}: {source.message}"))
                continue
            try:
                laid_out = format_text(source.text, shown)
            except FormatError as exc:
                report.skipped.append((shown, exc.line, exc.column, str(exc)))
                continue
            if laid_out == source.text:
                report.unchanged.append(shown)
                continue
            report.changed.append(shown)
            pending.append((source, laid_out))
        if check or report.skipped:
            return report
        for source, laid_out in pending:
            write_atomic(Path(os.path.realpath(source.path)), source.encode(laid_out))
        report.written = True
    return report
