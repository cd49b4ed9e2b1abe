"""The event-based loader, as proposed for `psc_roadmap.loader.parse_text`, checked against it.

    .venv/bin/python bench/event_loader.py [FOLDER ...]

`parse_text` used to ask ruamel.yaml to compose a node tree (libyaml in C, but one
Python call back into the resolver per node, a `Tag` object and two `Mark` objects
per node), then walk the tree into PosDict / PosList. This prototype builds the same
PosDict / PosList straight from libyaml's parse events: no node tree is kept, and
plain scalars are resolved from ruamel's own YAML 1.2 rule table with a cache. It
was first checked against the compose path (same data, marks and findings) and then
ported into loader.py (commit 0db3704); since then, running this file checks that
loader.parse_text still agrees with it on every YAML file of the repository (data/,
tests/), on hostile snippets (aliases, anchors, tags, several documents, duplicate
keys, deep nesting) and on the folders given, and times both on those folders.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path
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

from psc_roadmap import loader
from psc_roadmap.errors import Finding
from psc_roadmap.loader import (
    _CONTROL,
    _PLAIN_TAGS,
    _SCALAR_TAGS,
    _STR,
    ALIAS_NODE_BUDGET,
    MAX_DEPTH,
    Mark,
    PosDict,
    PosList,
    _finding,
    _scalar,
    _TooBig,
    clamp,
)

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

# The YAML 1.2 implicit rules, in the order VersionedResolver tries them: with the C
# parser it always uses 1.2 (it can't see a %YAML directive), after two AttributeErrors
# per call in `processing_version`, which is most of today's resolver cost.
_RULES: dict[str | None, list[tuple[str, Any]]] = {}
for _versions, _tag, _regexp, _first in implicit_resolvers:
    if (1, 2) in _versions:
        for _char in _first or [None]:
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


class _Builder:
    """Events to PosDict / PosList / scalars, with the findings, limits and marks of
    loader._Converter (an alias stands for its anchor, marks included)."""

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

    def finding(self, mark: Mark, rule: str, message: str) -> None:
        if not self.muted:
            self.findings.append(_finding(self.name, mark, rule, message))

    def unsupported(self, tag: str, mark: Mark) -> None:
        shown = "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
        self.finding(
            mark,
            "schema",
            f"tag '{shown}' is not supported: psc reads plain YAML only and never constructs "
            "tagged objects; remove the tag",
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
        if event.style == '"' and (control := _CONTROL.search(text)):
            self.finding(
                mark,
                "schema",
                f"control character U+{ord(control.group()):04X} in text: it could drive a terminal "
                "or break a document; remove the escape",
            )
            return _CONTROL.sub("\ufffd", text)
        if tag == _STR:
            return text
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
                self.finding(kmark, "schema", "a mapping key must be plain text, not a list or mapping")
                self.skipped(key_event, depth + 1)
                self.skipped(self.next(), depth + 1)
                continue
            if type(key_event) is ScalarEvent and key_event.anchor is not None:
                self.skipped(key_event, depth + 1)  # registers the anchor
            key = key_scalar.value
            if key in result:
                first = key_marks[key]
                self.finding(
                    kmark,
                    "duplicate-key",
                    f"duplicate key '{key}' (first at line {first[0]}, column {first[1]}); remove one of them",
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


def parse_text(text: str, name: str, findings: list[Finding]) -> Any:
    """loader.parse_text's result, built from parse events."""
    # compose fails before any conversion: a syntax error leaves no other finding.
    before = len(findings)
    try:
        events = loader._yaml().parse(text)
        next(events)  # stream start
        first = next(events)
        if type(first) is StreamEndEvent:
            return None
        builder = _Builder(events, name, findings, budget=len(text) + ALIAS_NODE_BUDGET)
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
        mark = exc.problem_mark or exc.context_mark
        where = clamp(text, mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        findings.append(_finding(name, where, "yaml-syntax", f"{problem}{context}; fix the YAML syntax here"))
        return None
    except _TooBig as exc:
        findings.append(_finding(name, exc.mark, "yaml-syntax", exc.message))
        return None
    except (YAMLError, RecursionError, ValueError, UnicodeError) as exc:
        del findings[before:]
        findings.append(_finding(name, (1, 1), "yaml-syntax", f"invalid YAML: {exc}"))
        return None


# --- the evidence ----------------------------------------------------------------------------

SNIPPETS = {
    "aliases": "a: &x {k: 1}\nb: *x\nc: &s text\nd: *s\ne: [*x, *s]\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\nc: *x\n",
    "undefined alias": "a: *nope\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "recursive alias": "a: &r [1, *r]\n",
    "tags": "a: !!str 1\nb: !foo x\nc: ! 12\nd: !!int '3'\ne: !<tag:yaml.org,2002:str> z\nf: !!set {a}\n",
    "collection tags": "a: !!omap [x: 1]\nb: !foo {c: 1}\nc: !!map {d: 2}\n",
    "duplicate keys": "a: 1\nb: 2\na: {c: !bad 3}\n",
    "complex keys": "? [a, b]\n: 1\n? {c: 1}\n: !bad 2\nd: 3\n",
    "anchored key": "&k a: 1\nb: *k\n",
    "alias key": "a: &k x\n*k : 2\n",
    "scalars": "a: ~\nb: null\nc: true\nd: False\ne: 0x1F\nf: 0o17\ng: 1_000\nh: 1.5e3\ni: .inf\nj: -.Inf\n"
    "k: .NaN\nl: 2020-09-01\nm: 2020-09-01T10:00:00Z\nn: '2020'\no: \"a\\x07b\"\np:\nq: yes\nr: 012\ns: 1:30\n",
    "empty": "",
    "comment only": "# nothing\n",
    "empty document": "---\n...\n",
    "plain scalar document": "just text\n",
    "deep": "a: " + "[" * 120 + "]" * 120 + "\n",
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)),
    "syntax error": "a: [1, 2\nb: 3\n",
    "tab": "a:\n\tb: 1\n",
    "merge key": "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
}


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, PosDict):
        return (
            a.mark == b.mark
            and a.key_marks == b.key_marks
            and a.value_marks == b.value_marks
            and list(a) == list(b)
            and all(_same(a[k], b[k]) for k in a)
        )
    if isinstance(a, PosList):
        return (
            a.mark == b.mark
            and a.item_marks == b.item_marks
            and len(a) == len(b)
            and all(_same(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, float) and a != a:
        return b != b
    return bool(a == b)


def compare(label: str, text: str) -> bool:
    old_findings: list[Finding] = []
    new_findings: list[Finding] = []
    old = loader.parse_text(text, "x.yaml", old_findings)
    new = parse_text(text, "x.yaml", new_findings)
    same = _same(old, new) and old_findings == new_findings
    if not same:
        print(f"DIFFERENT: {label}")
        print(f"  loader:    {old!r:.200} {old_findings}")
        print(f"  prototype: {new!r:.200} {new_findings}")
    return same


def timed(parse: Any, texts: list[str]) -> tuple[float, list[Any]]:
    gc.collect()
    start = time.process_time()
    out = [parse(text, "x.yaml", []) for text in texts]
    return time.process_time() - start, out


def main() -> int:
    repo = Path(__file__).resolve().parent.parent
    ported = not hasattr(loader, "_Converter")
    if ported:
        print("loader.parse_text already builds from events: this checks the port against the prototype")
    current = "loader.parse_text (events)" if ported else "loader.parse_text (compose + convert)"
    folders = [Path(p) for p in sys.argv[1:]]
    files = sorted(
        {*repo.glob("data/*.yaml"), *repo.glob("tests/**/*.yaml"), *(f for d in folders for f in d.glob("*.yaml"))}
    )
    ok = all([compare(label, text) for label, text in SNIPPETS.items()])
    ok = all([compare(str(f), f.read_text(encoding="utf-8", errors="replace")) for f in files]) and ok
    print(f"{len(SNIPPETS)} snippets and {len(files)} files: {'identical' if ok else 'DIFFERENT'}")
    for folder in folders:
        texts = [f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.yaml"))]
        old_cpu, _ = timed(loader.parse_text, texts)
        new_cpu, _ = timed(parse_text, texts)
        print(f"{folder}: {current} {old_cpu:.2f} s CPU, prototype {new_cpu:.2f} s CPU ({old_cpu / new_cpu:.1f}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
