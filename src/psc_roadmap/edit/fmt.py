"""`psc fmt`: every data file in one canonical layout, proved to keep its data and comments."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from psc_roadmap.atomic import write_atomic
from psc_roadmap.edit.lock import project_lock
from psc_roadmap.edit.proof import canonical, parsed
from psc_roadmap.edit.spans import line_break
from psc_roadmap.errors import Finding, PscError
from psc_roadmap.files import discover, display_path, read_source

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
    current = text.replace("\r\n", "\n")
    try:
        for _ in range(3):
            laid_out = _layout(current)
            if laid_out == current:
                break
            current = laid_out
        else:
            raise FormatError("the layout does not settle; please report this file")
    except YAMLError as exc:
        raise FormatError(f"ruamel.yaml can't lay this file out: {exc}") from None
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise FormatError(f"ruamel.yaml can't lay this file out: {type(exc).__name__}: {exc}") from None
    new, new_findings = parsed(current, shown)
    if any(f.rule in _UNPARSED for f in new_findings) or canonical(new) != canonical(data):
        raise FormatError("the new layout would change the data; the file was left as it is (please report it)")
    missing = _comment_lines(text.replace("\r\n", "\n")) - _comment_lines(current)
    if missing:
        raise FormatError(f"the new layout would lose the comment {next(iter(missing))!r}; "
                          "the file was left as it is (please report it)")
    return current.replace("\n", "\r\n") if crlf else current


def format_folder(folder: str, check: bool) -> FormatReport:
    """Lay out every data file of the project; with check, write nothing."""
    report = FormatReport()
    with project_lock(folder):
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
            if not check:
                write_atomic(Path(os.path.realpath(source.path)), source.encode(laid_out))
    return report
