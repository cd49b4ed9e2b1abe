"""Reading data files safely: bytes → text → YAML nodes → plain data with positions.

Parsing uses ruamel.yaml's C composer (libyaml), which keeps every node's mark at
C speed; the conversion to plain data is ours, so that no tag ever constructs an
object, duplicate keys and aliases are caught, and each mapping and sequence keeps
the 1-based line and column of its values.
"""

from __future__ import annotations

import codecs
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psc_roadmap.errors import Finding, Position, Severity

MAX_FILE_BYTES = 64 * 1024 * 1024
#: Deepest nesting of mappings and sequences a data file may have (ours needs 5).
MAX_DEPTH = 100
#: Aliases may make the document grow to at most this many nodes beyond its own size.
ALIAS_NODE_BUDGET = 100_000

Mark = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_TAGS = frozenset({_STR, _MAP, _SEQ, "!", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})


class YamlTimestamp(str):
    """A scalar that YAML reads as a date (``2020-09-01``): kept as its text, flagged."""

    __slots__ = ()


class PosDict(dict[str, Any]):
    """A mapping that remembers where it and each of its keys and values stand."""

    __slots__ = ("key_marks", "mark", "value_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}


class PosList(list[Any]):
    """A sequence that remembers where it and each of its items stand."""

    __slots__ = ("item_marks", "mark")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks: list[Mark] = []


@dataclass
class LoadedFile:
    """One data file: its plain data (None if it could not be read) and its findings."""

    name: str
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    read: bool = False

    def position(self, mark: Mark) -> Position:
        return Position(self.name, mark[0], mark[1])


def _finding(name: str, mark: Mark, rule: str, message: str) -> Finding:
    return Finding(Position(name, mark[0], mark[1]), rule, Severity.ERROR, message)


def read_text(path: Path, name: str) -> tuple[str | None, Finding | None]:
    """The file's text, or a `file-error` finding that says why it can't be read."""
    start = (1, 1)
    try:
        if path.is_symlink() and not path.exists():
            return None, _finding(
                name, start, "file-error", "broken symbolic link; point it at a file or remove it"
            )
        if not path.exists():
            return None, _finding(name, start, "file-error", "no such file")
        if not path.is_file():
            return None, _finding(name, start, "file-error", "not a regular file (a folder?); data files must be files")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, _finding(
                name, start, "file-error",
                f"file is {size:,} bytes, over the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit; "
                "split it (a project may have several *_roadmap.yaml files)",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return None, _finding(name, start, "file-error", f"cannot read the file: {exc.strerror or exc}")
    return decode(raw, name)


def decode(raw: bytes, name: str) -> tuple[str | None, Finding | None]:
    start = (1, 1)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None, _finding(name, start, "file-error", "the file is UTF-16 or UTF-32 encoded; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    if b"\x00" in raw:
        return None, _finding(
            name, start, "file-error",
            "the file holds NUL bytes: it is binary or UTF-16, not UTF-8 text; save it as UTF-8",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, _finding(
            name, start, "file-error",
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at line {line}, column {column} "
            "(Latin-1 or Windows-1252?); save the file as UTF-8",
        )
    return text, None


def load_file(path: Path, name: str) -> LoadedFile:
    """Read and parse one data file; never raises for bad content."""
    loaded = LoadedFile(name)
    text, problem = read_text(path, name)
    if problem is not None:
        loaded.findings.append(problem)
        return loaded
    assert text is not None
    loaded.read = True
    loaded.data = parse_text(text, name, loaded.findings)
    return loaded


def _yaml() -> Any:
    global _YAML
    if _YAML is None:
        from ruamel.yaml import YAML

        _YAML = YAML(typ="safe", pure=False)
    return _YAML


_YAML: Any = None


def parse_text(text: str, name: str, findings: list[Finding]) -> Any:
    """Plain data with positions for a YAML text; problems are appended to findings."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        node = _yaml().compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = clamp(text, mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        findings.append(_finding(name, where, "yaml-syntax", f"{problem}{context}; fix the YAML syntax here"))
        return None
    except (YAMLError, RecursionError, ValueError, UnicodeError) as exc:
        findings.append(_finding(name, (1, 1), "yaml-syntax", f"invalid YAML: {exc}"))
        return None
    if node is None:
        return None
    converter = _Converter(name, findings, budget=len(text) + ALIAS_NODE_BUDGET)
    try:
        return converter.convert(node, 0)
    except _TooBig as exc:
        findings.append(_finding(name, exc.mark, "yaml-syntax", exc.message))
        return None


def clamp(text: str, line: int, column: int) -> Mark:
    """A parser mark moved inside the text: the end of input counts as the end of the last line."""
    lines = text.splitlines() or [""]
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, max(1, min(column, len(lines[line - 1]) + 1))


class _TooBig(Exception):
    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Converter:
    """Nodes to PosDict / PosList / scalars, with a depth limit and an alias budget."""

    def __init__(self, name: str, findings: list[Finding], budget: int) -> None:
        self.name = name
        self.findings = findings
        self.budget = budget
        self.count = 0
        self.seen: dict[int, Any] = {}

    def convert(self, node: Any, depth: int) -> Any:
        mark = (node.start_mark.line + 1, node.start_mark.column + 1)
        kind = node.id
        if kind == "scalar":
            self.count += 1
            if node.tag not in _SCALAR_TAGS and node.tag != "!":
                self._unsupported_tag(node.tag, mark)
            # Only a double-quoted scalar can hold control characters ("\e", "\x07").
            if node.style == '"' and (control := _CONTROL.search(node.value)):
                self.findings.append(_finding(
                    self.name, mark, "schema",
                    f"control character U+{ord(control.group()):04X} in text: it could drive a terminal "
                    "or break a document; remove the escape",
                ))
                return _CONTROL.sub("\ufffd", node.value)
            return _scalar(node)
        key = id(node)
        if key in self.seen:
            # An alias: the same object again, but it still counts towards the budget,
            # since every later pass walks it once per reference.
            self.count += self.seen[key][1]
            if self.count > self.budget:
                raise _TooBig(
                    mark,
                    f"aliases expand this document beyond {self.budget:,} nodes (an alias bomb?); "
                    "write the values out",
                )
            return self.seen[key][0]
        before = self.count
        self.count += 1
        if depth > MAX_DEPTH:
            raise _TooBig(mark, f"nesting deeper than {MAX_DEPTH} levels; a data file needs only a few")
        if node.tag not in _PLAIN_TAGS:
            self._unsupported_tag(node.tag, mark)
        if kind == "mapping":
            value: Any = self._mapping(node, mark, depth)
        else:
            value = seq = PosList(mark)
            for item in node.value:
                seq.append(self.convert(item, depth + 1))
                seq.item_marks.append((item.start_mark.line + 1, item.start_mark.column + 1))
        self.seen[key] = (value, self.count - before)
        return value

    def _unsupported_tag(self, tag: str, mark: Mark) -> None:
        tag = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
        self.findings.append(_finding(
            self.name, mark, "schema",
            f"tag '{tag}' is not supported: psc reads plain YAML only and never constructs "
            "tagged objects; remove the tag",
        ))

    def _mapping(self, node: Any, mark: Mark, depth: int) -> PosDict:
        result = PosDict(mark)
        for key_node, value_node in node.value:
            kmark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key_node.id != "scalar":
                self.findings.append(_finding(
                    self.name, kmark, "schema", "a mapping key must be plain text, not a list or mapping",
                ))
                continue
            key = key_node.value
            if key in result:
                first = result.key_marks[key]
                self.findings.append(_finding(
                    self.name, kmark, "duplicate-key",
                    f"duplicate key '{key}' (first at line {first[0]}, column {first[1]}); remove one of them",
                ))
                continue
            result[key] = self.convert(value_node, depth + 1)
            result.key_marks[key] = kmark
            result.value_marks[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
        return result


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})


def _scalar(node: Any) -> Any:
    tag = node.tag
    text: str = node.value
    if tag == _STR or tag not in _SCALAR_TAGS:
        return text
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text.lower() == "true"
    if tag == _INT:
        return _int(text)
    if tag == _FLOAT:
        return _float(text)
    return _timestamp(text)


def _int(text: str) -> int | str:
    s = text.replace("_", "")
    sign = -1 if s.startswith("-") else 1
    s = s.lstrip("+-")
    try:
        if s[:2] in ("0x", "0X"):
            return sign * int(s[2:], 16)
        if s[:2] in ("0o", "0O"):
            return sign * int(s[2:], 8)
        if s[:2] in ("0b", "0B"):
            return sign * int(s[2:], 2)
        if ":" in s:  # YAML 1.1 sexagesimal
            return text
        return sign * int(s, 10)
    except ValueError:
        return text


def _float(text: str) -> float | str:
    s = text.replace("_", "").lower()
    if s.endswith(".nan"):
        return float("nan")
    if s.endswith(".inf"):
        return float("-inf") if s.startswith("-") else float("inf")
    try:
        return float(s)
    except ValueError:
        return text


def _timestamp(text: str) -> YamlTimestamp:
    return YamlTimestamp(text)


def is_date(value: object) -> bool:
    return isinstance(value, YamlTimestamp | datetime.date)
