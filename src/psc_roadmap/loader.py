"""YAML text → YAML events → plain data with positions.

Parsing uses libyaml through ruamel.yaml's C parser, which gives every event its mark
at C speed; building plain data from the events is ours, so that no tag ever
constructs an object, duplicate keys and aliases are caught, and each mapping and
sequence keeps the 1-based line and column of its values.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.composer import ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from ruamel.yaml.resolver import implicit_resolvers

from psc_roadmap.errors import Finding, Position
from psc_roadmap.periods import DateText
from psc_roadmap.syntax import ParseFailure, explain
from psc_roadmap.text import CONTROL, quote, unbalanced_bidi

#: Deepest nesting of mappings and sequences a data file may have (ours needs 5).
MAX_DEPTH = 100
#: Aliases may make the document grow to at most this many nodes beyond its own size.
ALIAS_NODE_BUDGET = 100_000

Mark = tuple[int, int]

#: Plain words that YAML 1.1 reads as booleans and YAML 1.2 (psc) reads as text.
YAML11_BOOLEANS = frozenset({"y", "n", "yes", "no", "on", "off"})
#: Plain words that every YAML reads as a boolean or null, never as text.
YAML_KEYWORDS = frozenset({"true", "false", "null", "~"})

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_TAGS = frozenset({_STR, _MAP, _SEQ, "!", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})


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


def _finding(name: str, mark: Mark, rule: str, message: str, about: tuple[str, ...] = ()) -> Finding:
    return Finding(Position(name, mark[0], mark[1]), rule, message, about)


def _yaml() -> Any:
    global _YAML
    if _YAML is None:
        from ruamel.yaml import YAML

        _YAML = YAML(typ="safe", pure=False)
    return _YAML


_YAML: Any = None


def parse_text(text: str, name: str, findings: list[Finding]) -> Any:
    """Plain data with positions for a YAML text; problems are appended to findings.

    Built straight from libyaml's parse events (C speed): no node tree is kept, plain
    scalars are resolved with ruamel.yaml's own YAML 1.2 rules (cached), an alias
    stands for its anchor's value and counts towards the budget, and a syntax error
    leaves no other finding of the file."""
    before = len(findings)
    yaml = _yaml()
    infos = getattr(yaml, "doc_infos", None)
    if infos:  # ruamel.yaml adds one per parse and never drops them: a long session grew
        del infos[:]
    try:
        events = yaml.parse(text)
        next(events)  # stream start
        first = next(events)
        if type(first) is StreamEndEvent:
            return None
        builder = _EventReader(events, name, findings, budget=len(text) + ALIAS_NODE_BUDGET)
        data, _ = builder.value(next(events), 0)
        next(events)  # document end
        extra = next(events)
        if type(extra) is not StreamEndEvent:
            raise ComposerError(
                "expected a single document in the stream",
                first.start_mark,
                "but found another document",
                extra.start_mark,
            )
        return data
    except MarkedYAMLError as exc:
        del findings[before:]
        where, message = explain(text, ParseFailure(
            exc.problem or "", _mark(exc.problem_mark), exc.context or "", _mark(exc.context_mark),
        ))
        findings.append(_finding(name, clamp(text, *where), "yaml-syntax", message))
        return None
    except _TooBig as exc:
        findings.append(_finding(name, exc.mark, "yaml-syntax", exc.message))
        return None
    except (YAMLError, RecursionError, ValueError, UnicodeError) as exc:
        del findings[before:]
        findings.append(_finding(name, (1, 1), "yaml-syntax", f"invalid YAML: {exc}"))
        return None


def _mark(mark: Any) -> Mark | None:
    return None if mark is None else (mark.line + 1, mark.column + 1)


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
        number = _int(text)
        if isinstance(number, str):
            return number
        # A long number is kept with its writing: turning it back into digits could pass
        # Python's limit on int-to-text conversion (4,300 digits).
        return number if len(text) <= 20 and str(number) == text else YamlInt(number, text)
    if tag == _FLOAT:
        real = _float(text)
        if isinstance(real, str) or real != real or real in (float("inf"), float("-inf")) or repr(real) == text:
            return real
        return YamlFloat(real, text)
    return _timestamp(text)


class YamlInt(int):
    """An integer written another way than Python would (`007`, `0x1F`, `1_000`): where
    text is expected, it is taken as written (`owner: 007` is the text "007")."""

    text: str

    def __new__(cls, value: int, text: str) -> YamlInt:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text


class YamlFloat(float):
    """A decimal number written another way than Python would (`1.50`, `2022.10`, `1e3`)."""

    text: str

    def __new__(cls, value: float, text: str) -> YamlFloat:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text


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


def _timestamp(text: str) -> DateText:
    return DateText(text)


# The YAML 1.2 implicit rules of ruamel.yaml, by first character, in the order its
# VersionedResolver tries them (with the C parser it always applies 1.2).
_RULES: dict[str | None, list[tuple[str, Any]]] = {}
for _versions, _tag, _regexp, _first in implicit_resolvers:
    if (1, 2) in _versions:
        firsts: list[str | None] = list(_first) if _first else [None]
        for _char in firsts:
            _RULES.setdefault(_char, []).append((_tag, _regexp))
_ANY_FIRST = _RULES.get(None, [])
_RESOLVED: dict[str, str] = {}


def _resolve_plain(value: str) -> str:
    """The tag of a plain scalar, as ruamel's VersionedResolver.resolve gives it for 1.2."""
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = _STR
        for candidate, regexp in _RULES.get(value[:1], []) + _ANY_FIRST:
            if regexp.match(value):
                tag = candidate
                break
        if len(_RESOLVED) < 50_000:
            _RESOLVED[value] = tag
    return tag


class _Scalar:
    """What loader._scalar reads from a node: its tag and its text."""

    __slots__ = ("tag", "value")

    def __init__(self, tag: str, value: str) -> None:
        self.tag = tag
        self.value = value


class _EventReader:
    """libyaml's parse events to PosDict / PosList / scalars, with the findings, limits and
    marks a composed node tree would give (an alias stands for its anchor, marks included)."""

    def __init__(self, events: Any, name: str, findings: list[Finding], budget: int) -> None:
        self.next = events.__next__
        self.name = name
        self.findings = findings
        self.budget = budget
        self.count = 0
        #: anchor → (value, mark, node count, scalar event or None, anchor event mark)
        self.anchors: dict[str, tuple[Any, Mark, int, Any, Any]] = {}
        #: anchors whose collection is being read: an alias to one of them is a loop
        self.open: dict[str, Mark] = {}
        self.muted = 0
        self.short: dict[str, str] = {}

    def finding(self, mark: Mark, rule: str, message: str, about: tuple[str, ...]) -> None:
        if not self.muted:
            self.findings.append(_finding(self.name, mark, rule, message, about))

    def unsupported(self, tag: str, mark: Mark) -> None:
        shown = "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
        self.finding(
            mark,
            "schema",
            f"tag {quote(shown)} is not supported: psc reads plain YAML only and never constructs "
            "tagged objects; remove the tag",
            ("tag", shown),
        )

    def scalar(self, event: Any, mark: Mark) -> Any:
        if not self.muted:
            self.count += 1
        tag = event.tag
        text = event.value
        if tag is None or tag == "!":
            tag = _resolve_plain(text) if event.implicit[0] else _STR
        elif tag not in _SCALAR_TAGS:
            self.unsupported(tag, mark)
        if event.style == '"' and (control := CONTROL.search(text)):
            self.finding(
                mark,
                "schema",
                f"control character U+{ord(control.group()):04X} in text: it could drive a terminal "
                "or break a document; remove the escape",
                ("control", text),
            )
            return CONTROL.sub("\ufffd", text)
        if not text.isprintable() and (bidi := unbalanced_bidi(text)) is not None:
            self.finding(
                mark,
                "schema",
                f"unbalanced bidirectional control U+{ord(bidi):04X} in text: it can reverse the text "
                "that follows it in a document; remove it, or close it in the same value",
                ("bidi", text),
            )
        if tag == _STR:
            # Short values repeat (statuses, ids of axes and bodies): keep one copy of each.
            return self.short.setdefault(text, text) if len(text) <= 24 else text
        return _scalar(_Scalar(tag, text))

    def value(self, event: Any, depth: int) -> tuple[Any, Mark]:
        """The value that starts with event, and the mark that the node tree would give it."""
        kind = type(event)
        if kind is AliasEvent:
            return self.alias(event, depth)
        start = event.start_mark
        mark = (start.line + 1, start.column + 1)
        anchor = event.anchor
        if anchor is not None and anchor in self.anchors:
            raise ComposerError(
                "found duplicate anchor; first occurrence",
                self.anchors[anchor][4],
                "second occurrence",
                start,
            )
        if kind is ScalarEvent:
            result = self.scalar(event, mark)
            if anchor is not None:
                self.anchors[anchor] = (result, mark, 1, event, start)
            return result, mark
        before = self.count
        if not self.muted:
            self.count += 1
        if depth > MAX_DEPTH:
            raise _TooBig(mark, f"nesting deeper than {MAX_DEPTH} levels; a data file needs only a few")
        default = _MAP if kind is MappingStartEvent else _SEQ
        if event.tag not in (None, "!", default) and event.tag not in _PLAIN_TAGS:
            self.unsupported(event.tag, mark)
        if anchor is not None:
            self.open[anchor] = mark
        result = self.mapping(mark, depth) if kind is MappingStartEvent else self.sequence(mark, depth)
        if anchor is not None:
            del self.open[anchor]
            self.anchors[anchor] = (result, mark, self.count - before, None, start)
        return result, mark

    def alias(self, event: Any, depth: int) -> tuple[Any, Mark]:
        name = event.anchor
        if name in self.open:
            # The node tree holds a loop here; walking it ends at the depth limit, on the anchor.
            raise _TooBig(self.open[name], f"nesting deeper than {MAX_DEPTH} levels; a data file needs only a few")
        if name not in self.anchors:
            raise ComposerError(None, None, "found undefined alias", event.start_mark)
        result, mark, size, scalar_event, _ = self.anchors[name]
        if scalar_event is not None:
            return self.scalar(scalar_event, mark), mark
        if not self.muted:
            self.count += size
            if self.count > self.budget:
                raise _TooBig(
                    mark,
                    f"aliases expand this document beyond {self.budget:,} nodes (an alias bomb?); write the values out",
                )
        return result, mark

    def skipped(self, event: Any, depth: int) -> None:
        """A subtree that the converter never visits: read, anchors kept, nothing reported."""
        self.muted += 1
        try:
            self.value(event, depth)
        finally:
            self.muted -= 1

    def mapping(self, mark: Mark, depth: int) -> PosDict:
        result = PosDict(mark)
        key_marks, value_marks = result.key_marks, result.value_marks
        while True:
            key_event = self.next()
            if type(key_event) is MappingEndEvent:
                return result
            if type(key_event) is AliasEvent and key_event.anchor in self.anchors:
                key_scalar = self.anchors[key_event.anchor][3]
                kmark = self.anchors[key_event.anchor][1]
            else:
                key_scalar = key_event if type(key_event) is ScalarEvent else None
                kmark = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            if key_scalar is None:
                self.finding(kmark, "schema", "a mapping key must be plain text, not a list or mapping", ("key",))
                self.skipped(key_event, depth + 1)
                self.skipped(self.next(), depth + 1)
                continue
            if type(key_event) is ScalarEvent and key_event.anchor is not None:
                self.skipped(key_event, depth + 1)  # registers the anchor
            key = sys.intern(key_scalar.value)
            if key in result:
                first = key_marks[key]
                self.finding(
                    kmark,
                    "duplicate-key",
                    f"duplicate key {quote(key)} (first at line {first[0]}, column {first[1]}); remove one of them",
                    (str(result.get("id", "")), key),
                )
                self.skipped(self.next(), depth + 1)
                continue
            result[key], value_marks[key] = self.value(self.next(), depth + 1)
            key_marks[key] = kmark

    def sequence(self, mark: Mark, depth: int) -> PosList:
        result = PosList(mark)
        item_marks = result.item_marks
        while True:
            event = self.next()
            if type(event) is SequenceEndEvent:
                return result
            item, item_mark = self.value(event, depth + 1)
            result.append(item)
            item_marks.append(item_mark)
