"""Pydantic's validation errors as `schema` findings: at the node they are about, in words
a user acts on (what is wrong, what to write instead)."""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel

from psc_roadmap.errors import Finding
from psc_roadmap.loader import YAML11_BOOLEANS, LoadedFile, Mark, PosDict, PosList
from psc_roadmap.models import ID_PATTERN
from psc_roadmap.periods import PERIOD_PATTERN, is_date
from psc_roadmap.suggest import Vocabulary, did_you_mean, period_meant
from psc_roadmap.text import quote

#: The fields that hold a period (a year, a quarter or a month).
_PERIOD_FIELDS = frozenset({"start", "end"})


def type_name(value: Any) -> str:
    if value is None:
        return "null (nothing)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"a number ({quote(value)[1:-1]})"
    if isinstance(value, float):
        return f"a decimal number ({quote(value)[1:-1]})"
    if isinstance(value, str):
        return f"the text {quote(value)}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of loc, walking field annotations."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _walk(raw: Any, loc: tuple[Any, ...]) -> tuple[Any, Mark, Any]:
    """(parent container, mark, value) of the node at loc, as far as it exists."""
    parent: Any = None
    node: Any = raw
    mark: Mark = getattr(raw, "mark", (1, 1))
    for part in loc:
        if isinstance(node, PosDict) and isinstance(part, str) and part in node:
            parent, mark, node = node, node.value_marks[part], node[part]
        elif isinstance(node, PosList) and isinstance(part, int) and 0 <= part < len(node):
            parent, mark, node = node, node.item_marks[part], node[part]
        elif isinstance(part, int) and part == 0 and not isinstance(node, list):
            continue  # a single value written without brackets: the list's item 0 is itself
        else:
            break
    return parent, mark, node


def _field_name(loc: tuple[Any, ...]) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


def schema_finding(model: type[BaseModel], loaded: LoadedFile, error: Any) -> Finding:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    name = _field_name(loc)
    data = loaded.data
    about = _subject(data, loc, value)

    def finding(mark: Mark, message: str) -> Finding:
        return Finding(loaded.position(mark), "schema", message, about)

    if kind == "missing":
        _, mark, container = _walk(data, loc[:-1])
        if isinstance(container, PosDict):
            # At the mapping's first key (a flow mapping's mark is its brace).
            mark = next(iter(container.key_marks.values()), container.mark)
        where = f" in {_describe_item(container)}" if isinstance(container, dict) else ""
        return finding(mark, f"missing required field '{loc[-1]}'{where}; add `{_missing(loc[-1], container)}` here")
    if kind == "extra_forbidden":
        parent_loc = loc[:-1]
        _, _, container = _walk(data, parent_loc)
        key = str(loc[-1])
        mark = container.key_marks.get(key, container.mark) if isinstance(container, PosDict) else (1, 1)
        owner = _model_at(model, parent_loc)
        fields = list(owner.model_fields) if owner else []
        return finding(mark, f"unknown field {quote(key)}{did_you_mean(key, fields, listed=20)}")
    parent, mark, _ = _walk(data, loc)
    if value is None and isinstance(parent, PosDict) and loc and loc[-1] in parent.key_marks:
        # `key:` with nothing after it: the key is what the reader sees.
        mark = parent.key_marks[loc[-1]]
        return finding(mark, f"'{name}' is required but empty; give it a value")
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        return finding(mark, f"{name} {_show(value)} is not one of {', '.join(choices)}"
                       + _close(value, choices) + _yaml11_hint(value))
    if kind == "string_pattern_mismatch":
        rule = "an id starts with a letter, then up to 39 letters, digits, '_', '.' or '-'"
        spaced = isinstance(value, str) and " " in value.strip()
        joined = "".join(value.split()) if isinstance(value, str) else ""
        if spaced and re.fullmatch(ID_PATTERN, joined):
            fix = f"`{name}: {joined}`" if isinstance(loc[-1], str) else f"'{joined}'"
            return finding(mark, f"malformed id {_show(value)} in '{name}': an id has no spaces ({rule}); write {fix}")
        return finding(mark, f"malformed id {_show(value)} in '{name}': {rule}")
    if kind in ("string_too_short", "too_short"):
        if isinstance(value, list):
            return finding(mark, f"'{name}' needs at least one item")
        owner = _model_at(model, loc[:-1])
        info = owner.model_fields.get(str(loc[-1])) if owner is not None else None
        fix = "write some text" if info is not None and info.is_required() else "write some text or remove the field"
        return finding(mark, f"'{name}' is empty; {fix}")
    if kind == "value_error":
        meant = period_meant(value) if isinstance(value, str) and name in _PERIOD_FIELDS else None
        if meant is not None:
            how = "a quarter is written Q1 to Q4" if "Q" in meant else "a month is written with two digits"
            return finding(mark, f"{name}: {quote(value)} is not a period ({how}); write `{name}: \"{meant}\"`")
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        return finding(mark, f"{name}: {message}")
    if kind in ("string_type", "str_type"):
        return finding(mark, f"'{name}' must be text, not {type_name(value)}{_yaml11_hint(value)}")
    if kind in ("list_type", "tuple_type"):
        return finding(mark, f"'{name}' must be a list, not {type_name(value)}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return finding(mark, f"'{name}' must be a mapping (key: value), not {type_name(value)}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return finding(mark, f"'{name}' must be a whole number, not {type_name(value)}")
    return finding(mark, f"'{name}': {error.get('msg', 'invalid value')}")


#: A missing period can take the other end's: an action of one period is the smallest fix.
_OTHER_END = {"end": "start", "start": "end"}


def _missing(name: Any, container: Any) -> str:
    """What to add for a missing field: `end: 2026` when the start says it, else `name:`."""
    other = container.get(_OTHER_END.get(str(name), "")) if isinstance(container, dict) else None
    if isinstance(other, int) and not isinstance(other, bool):
        return f"{name}: {other}"
    if isinstance(other, str) and not is_date(other) and re.fullmatch(PERIOD_PATTERN, other.strip()):
        return f'{name}: "{other.strip()}"'
    return f"{name}:"


def _subject(data: Any, loc: tuple[Any, ...], value: Any) -> tuple[str, ...]:
    """What a schema error is about: the id of the item it is in, the field's path inside
    that item (`status`, `themes.title`), and the value when it is a plain one."""
    item, path = "", list[str]()
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            item, path = node["id"], []
        if isinstance(part, str):
            path.append(part)
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    shown = str(value) if isinstance(value, str | int | float | bool) else ""
    return (item, ".".join(path), shown)


def _show(value: Any) -> str:
    return quote(value) if isinstance(value, str) else type_name(value)


def _close(value: Any, choices: list[str]) -> str:
    return Vocabulary(choices).hint(value, listed=0) if isinstance(value, str) else ""


def _yaml11_hint(value: Any) -> str:
    if isinstance(value, bool):
        return "; YAML reads true/false as booleans: quote the text"
    if isinstance(value, str) and value.lower() in YAML11_BOOLEANS:
        return f"; note that {quote(value)} is plain text in YAML 1.2, not a boolean"
    if isinstance(value, float) and value != value:
        return "; .nan is not a number psc accepts"
    return ""


def _describe_item(container: dict[str, Any]) -> str:
    item_id = container.get("id")
    return quote(item_id) if isinstance(item_id, str) else "this mapping"
