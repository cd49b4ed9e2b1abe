"""`psc set`: one field of one action changed in place, every other byte of the file kept."""

from __future__ import annotations

from typing import Any

from psc_roadmap.edit.lock import project_lock
from psc_roadmap.edit.proof import EditOutcome, prove_and_write
from psc_roadmap.edit.roadmaps import RoadmapFile, actions_pair, project_ids, roadmap_files
from psc_roadmap.edit.scalars import FieldValue, typed_value, yaml_flow_list, yaml_scalar, yaml_value
from psc_roadmap.edit.spans import (
    Node,
    colon_end,
    content_end,
    is_empty_null,
    is_kind,
    line_break,
    line_end,
    line_number,
    line_start,
    mapping_pair,
    scalar_text,
)
from psc_roadmap.errors import NotFoundError, UsageError
from psc_roadmap.models import ACTION_FIELDS
from psc_roadmap.suggest import did_you_mean

_KIND_NAMES = {"axes": "an axis", "principles": "a principle", "themes": "a theme",
               "bodies": "a body", "roadmap": "a roadmap"}


def _find_action(folder: str, action_id: str) -> tuple[RoadmapFile, int, Node]:
    roadmaps, broken = roadmap_files(folder)
    known: list[str] = []
    for roadmap in roadmaps:
        pair = actions_pair(roadmap.root)
        if pair is None or not is_kind(pair[1], "sequence"):
            continue
        for index, item in enumerate(pair[1].value):
            id_pair = mapping_pair(item, "id")
            item_id = scalar_text(id_pair[1]) if id_pair else None
            if item_id == action_id:
                return roadmap, index, item
            if item_id:
                known.append(item_id)
    kind = project_ids(folder).get(action_id)
    if kind is not None and kind != "actions":
        raise NotFoundError(f"'{action_id}' is {_KIND_NAMES.get(kind, 'not an action')}, not an action; "
                            "psc set changes actions only")
    note = "".join(f"\nnote: {b}" for b in broken)
    raise NotFoundError(f"no action '{action_id}' in the project{did_you_mean(action_id, known)}{note}")


def check_settable(name: str) -> None:
    """UsageError, listing the fields, unless `psc set` may change field `name`."""
    if name == "id":
        raise UsageError("the id can't be changed with `psc set`: renaming needs every reference "
                         f"to it changed too; fields you can set: {', '.join(ACTION_FIELDS)}")
    if name not in ACTION_FIELDS:
        raise UsageError(f"unknown field '{name}'{did_you_mean(name, ACTION_FIELDS)}; "
                         f"fields you can set: {', '.join(ACTION_FIELDS)}")


def set_field(folder: str, action_id: str, name: str, value: str) -> EditOutcome:
    """Change one field of one action in place; write only if it brings no new error."""
    check_settable(name)
    new_value = typed_value(name, value)
    with project_lock(folder):
        roadmap, index, item = _find_action(folder, action_id)
        source = roadmap.source
        text, line, summary, held = _edit_mapping(source.text, item, name, new_value)
        outcome = EditOutcome(action_id, source.shown, line, summary)
        if text == source.text:
            outcome.unchanged = True
            return outcome

        def change(data: Any) -> None:
            action = data["actions"][index]
            if held is None:
                action.pop(name, None)
            else:
                action[name] = held

        return prove_and_write(folder, source, text, change, outcome)


def _edit_mapping(
    text: str, item: Node, name: str, value: FieldValue | None
) -> tuple[str, int, str, FieldValue | None]:
    """The text with field `name` of mapping node `item` set to value (None: removed), the
    line of the change, a summary, and the value as the new text holds it."""
    pair = mapping_pair(item, name)
    if value is None:
        if pair is None:
            return text, line_number(text, item.start_mark.index), f"{name} is already absent", None
        return _remove_key(text, item, pair), line_number(text, pair[0].start_mark.index), f"{name} removed", None
    shown = value if not isinstance(value, list) else ", ".join(value)
    if pair is None:
        new_text, at = _insert_key(text, item, name, yaml_value(name, value))
        return new_text, line_number(new_text, at), f"{name} = {shown}", value
    key, old = pair
    if isinstance(value, list) and _single(old, value):
        value = value[0]
    start = old.start_mark.index
    if is_empty_null(old):
        start = colon_end(text, key)
        rendered = " " + _render_like(text, old, name, value)
        end = start
    else:
        rendered = _render_like(text, old, name, value)
        end = content_end(text, old, key)
    return text[:start] + rendered + text[end:], line_number(text, key.start_mark.index), f"{name} = {shown}", value


def _render_like(text: str, old: Node, name: str, value: FieldValue) -> str:
    """The new value in the style of the old one: block or flow list, quote style."""
    if isinstance(value, list):
        if is_kind(old, "sequence") and not old.flow_style and old.value:
            indent = " " * int(old.start_mark.column)
            nl = line_break(text)
            return (nl + indent).join("- " + yaml_scalar(v, name, None) for v in value)
        return yaml_flow_list(value, name)
    return yaml_scalar(value, name, _style(old) if is_kind(old, "scalar") else None)


def _single(old: Node, value: list[str]) -> bool:
    """A one-item list replacing a list written as one plain value stays one plain value."""
    return is_kind(old, "scalar") and not is_empty_null(old) and len(value) == 1


def _style(node: Node) -> str | None:
    style = getattr(node, "style", None)
    return style if style in ("'", '"') else None


def _remove_key(text: str, item: Node, pair: tuple[Node, Node]) -> str:
    key, value = pair
    pairs = list(item.value)
    position = next(i for i, (k, _) in enumerate(pairs) if k is key)
    following = pairs[position + 1][0] if position + 1 < len(pairs) else None
    if item.flow_style:
        if position > 0:
            previous_key, previous_value = pairs[position - 1]
            start = content_end(text, previous_value, previous_key)
            return text[:start] + text[content_end(text, value, key):]
        end = following.start_mark.index if following is not None else content_end(text, value, key)
        return text[:key.start_mark.index] + text[end:]
    start = line_start(text, key.start_mark.index)
    if text[start:key.start_mark.index].strip() == "":
        end = line_end(text, content_end(text, value, key))
        end = len(text) if end >= len(text) else end + (2 if text[end] == "\r" else 1)
        return text[:start] + text[end:]
    # The key follows `- ` on its line: the next key moves up in its place.
    end = following.start_mark.index if following is not None else content_end(text, value, key)
    return text[:key.start_mark.index] + text[end:]


def _insert_key(text: str, item: Node, name: str, rendered: str) -> tuple[str, int]:
    """The text with `name: rendered` after the mapping's last key, and where it went."""
    last_key, last_value = item.value[-1]
    anchor = content_end(text, last_value, last_key)
    if item.flow_style:
        addition = f", {name}: {rendered}"
        return text[:anchor] + addition + text[anchor:], anchor
    column = item.value[0][0].start_mark.column
    at = line_end(text, anchor)
    nl = line_break(text)
    addition = nl + " " * column + f"{name}: {rendered}"
    return text[:at] + addition + text[at:], at + len(nl)
