"""Writing a field's value as YAML text that reads back as exactly that value, and the value
a command-line argument stands for."""

from __future__ import annotations

import re
from typing import TypeAlias

from psc_roadmap.errors import Finding, PscError
from psc_roadmap.loader import YAML11_BOOLEANS, YAML_KEYWORDS, parse_text
from psc_roadmap.models import LIST_FIELDS
from psc_roadmap.text import CONTROL

#: A value an edit writes into an action field: a year, a text, or a list of ids or tags.
FieldValue: TypeAlias = int | str | list[str]

PERIOD_FIELDS = frozenset({"start", "end"})
_YAML11_WORDS = YAML11_BOOLEANS | YAML_KEYWORDS
#: Characters beyond the C0 controls that a plain or single-quoted scalar can't hold safely.
_ESCAPED = "\u2028\u2029\ufeff\ufffe\uffff"


def _needs_escape(ch: str) -> bool:
    """C0 and C1 controls, DEL, line separators, the BOM and the two non-characters: what
    YAML can't hold as written, or would read back as something else."""
    return ch < " " or "\x7f" <= ch <= "\x9f" or ch in _ESCAPED


def _plain_ok(text: str, in_flow: bool) -> bool:
    """Whether text can be written without quotes and still read back as the same text."""
    if not text or text != text.strip() or text.lower() in _YAML11_WORDS:
        return False
    if any(_needs_escape(ch) for ch in text):
        return False
    if in_flow and any(ch in ",[]{}" for ch in text):
        return False
    findings: list[Finding] = []
    probe = f"k: [{text}]\n" if in_flow else f"k: {text}\n"
    data = parse_text(probe, "<value>", findings)
    if findings or not isinstance(data, dict):
        return False
    value = data.get("k")
    if in_flow:
        return isinstance(value, list) and len(value) == 1 and type(value[0]) is str and value[0] == text
    return type(value) is str and value == text


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _needs_escape(ch):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _quoted(text: str, style: str | None) -> str:
    if style == "'" and not any(_needs_escape(ch) for ch in text):
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


def yaml_text(text: str, style: str | None = None, in_flow: bool = False, force: bool = False) -> str:
    """A string as a YAML scalar: plain when safe, else quoted in the old value's quote style.

    style is the old value's quote (`'`, `"` or None for plain); in_flow means the scalar
    goes inside a flow list; force quotes it even where plain would do.
    """
    if style in ("'", '"') or force:
        return _quoted(text, style)
    if _plain_ok(text, in_flow):
        return text
    return _double_quoted(text)


def yaml_scalar(value: int | str, name: str, style: str | None, in_flow: bool = False) -> str:
    """The value of field `name` as a YAML scalar, in the old value's quote style."""
    if isinstance(value, int):
        return str(value)
    if name in PERIOD_FIELDS:
        # Quarters and months are written quoted, as the data format shows them.
        return yaml_text(value, style if style in ("'", '"') else '"', in_flow, force=True)
    return yaml_text(value, style, in_flow)


def yaml_flow_list(values: list[str], name: str) -> str:
    """The items of list field `name` as a YAML flow list: `[a, b]`."""
    return "[" + ", ".join(yaml_scalar(v, name, None, in_flow=True) for v in values) + "]"


def yaml_value(name: str, value: FieldValue) -> str:
    """A new value of field `name` as YAML: a flow list for a list, else a scalar."""
    if isinstance(value, list):
        return yaml_flow_list(value, name)
    return yaml_scalar(value, name, None)


_SURROGATE = re.compile("[\ud800-\udfff]")


def typed_value(name: str, raw: str | list[str]) -> FieldValue | None:
    """The value of an action field as the data will hold it; None removes the field.

    A list is one comma-separated text (`psc set ... axes AX1,AX2`) or the values of a
    repeated option (`psc add --tag a --tag b`), which are split on commas only for ids: a
    tag may hold a comma. PscError for a value the data can't hold (a control character)
    or an id given twice."""
    for text in [raw] if isinstance(raw, str) else raw:
        if _SURROGATE.search(text):
            raise PscError(f"{name}: the value is not UTF-8 text (the terminal sent other bytes); "
                           "write it in UTF-8")
        if control := CONTROL.search(text):
            raise PscError(f"{name}: control character U+{ord(control.group()):04X} in the value: it could "
                           "drive a terminal or break a document; remove it")
    if name in LIST_FIELDS:
        parts = raw if isinstance(raw, list) else [raw]
        split = name != "tags" or isinstance(raw, str)
        items = [item.strip() for part in parts for item in (part.split(",") if split else [part])]
        kept = [item for item in items if item]
        if name != "tags":
            twice = next((item for i, item in enumerate(kept) if item in kept[:i]), None)
            if twice is not None:
                raise PscError(f"{name}: '{twice}' is given twice; give each id once")
        return kept or None
    text = (raw if isinstance(raw, str) else ",".join(raw)).strip()
    if not text:
        return None
    if name in PERIOD_FIELDS and re.fullmatch(r"[0-9]{4}", text):
        return int(text)
    return text
