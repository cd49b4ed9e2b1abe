"""The JSON Schema (draft 2020-12) of each data file kind, generated from the Pydantic models.

The schema accepts every file that `psc validate` accepts at the schema level (text may be
a number, a list may be one item or null, values may carry the white space that psc strips)
and rejects what JSON Schema can express: types, required fields, enums, id and period
patterns, unknown fields. Output is deterministic: same models, same bytes.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from psc_roadmap.enums import FileKind
from psc_roadmap.models import FILE_MODELS
from psc_roadmap.text import json_text

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = tuple(kind.value for kind in FileKind)

_ROOTS: dict[str, tuple[str, str]] = {
    "axes": (
        "psc-roadmap axes.yaml",
        "The document itself: metadata, objectives, sources, strategic axes and guiding principles.",
    ),
    "governance": (
        "psc-roadmap governance.yaml",
        "The bodies of governance: committees, innovation hubs, departments, teams.",
    ),
    "roadmap": (
        "psc-roadmap *_roadmap.yaml",
        "One roadmap: its header, its themes and its actions.",
    ),
}

#: Text as psc reads it: a string with something besides white space, or a plain number
#: (`title: 2024` is the text "2024").
TEXT_SCHEMA: dict[str, Any] = {"anyOf": [{"type": "string", "pattern": r"\S"}, {"type": "number"}]}


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with text fields that accept numbers as the models do."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        if "pattern" in schema:
            return {"type": "string", "pattern": schema["pattern"]}
        return copy.deepcopy(TEXT_SCHEMA)


def json_schema(kind: str) -> dict[str, Any]:
    """The schema of one file kind (`axes`, `governance` or `roadmap`) as a JSON-ready dict."""
    model = FILE_MODELS[kind]
    generated = model.model_json_schema(schema_generator=_Generator)
    body = _nullable_optionals(_tidy(generated))
    title, description = _ROOTS[kind]
    body.pop("title", None)
    body.pop("description", None)
    root: dict[str, Any] = {"$schema": DRAFT, "title": title, "description": description}
    if kind == "governance":
        # An empty governance.yaml (nothing but comments) declares no body: psc accepts it.
        body["type"] = ["object", "null"]
    root.update(body)
    return root


def schema_text(kind: str) -> str:
    """The schema as `psc schema KIND` prints it: indented by 2, one trailing newline."""
    return json_text(json_schema(kind))


def _tidy(node: Any) -> Any:
    """Patterns that allow the white space psc strips; nested anyOf flattened; $defs sorted."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "pattern" and isinstance(value, str):
            result[key] = _padded(value)
        elif key == "$defs" and isinstance(value, dict):
            result[key] = {name: _tidy(value[name]) for name in sorted(value)}
        elif key == "anyOf" and isinstance(value, list):
            result[key] = _flat_any_of([_tidy(item) for item in value])
        else:
            result[key] = _tidy(value)
    return result


def _nullable_optionals(node: Any) -> Any:
    """Optional properties also accept null: in psc, `field:` with no value is the field left out."""
    if isinstance(node, list):
        return [_nullable_optionals(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _nullable_optionals(value) for key, value in node.items()}
    properties = result.get("properties")
    if isinstance(properties, dict):
        required = set(result.get("required", []))
        for name, prop in properties.items():
            if name not in required and isinstance(prop, dict) and not _allows_null(prop):
                annotations = {k: prop[k] for k in ("default", "description", "title") if k in prop}
                core = {k: v for k, v in prop.items() if k not in annotations}
                properties[name] = {"anyOf": [*core.get("anyOf", [core]), {"type": "null"}], **annotations}
    return result


def _allows_null(prop: dict[str, Any]) -> bool:
    if prop.get("type") == "null" or (isinstance(prop.get("type"), list) and "null" in prop["type"]):
        return True
    return any(isinstance(o, dict) and o.get("type") == "null" for o in prop.get("anyOf", []))


def _padded(pattern: str) -> str:
    """`^X$` → `^\\s*(?:X)\\s*$`: psc strips the white space around ids and periods."""
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$"):
        return r"^\s*(?:" + pattern[1:-1] + r")\s*$"
    return pattern


def _flat_any_of(options: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for option in options:
        if isinstance(option, dict) and set(option) == {"anyOf"}:
            flat.extend(option["anyOf"])
        else:
            flat.append(option)
    unique: list[Any] = []
    for option in flat:
        if option not in unique:
            unique.append(option)
    return unique
