"""YAML node trees with character offsets, and where a node's text starts and ends.

`set` and `add` splice new text into the original at these offsets instead of re-dumping
the file, so every byte they don't mean to change stays as it is.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from psc_roadmap.errors import Finding, PscError

#: A ruamel.yaml node. Scalar, sequence and mapping nodes have different attributes and the
#: code tells them apart by their `id`, which mypy can't narrow on.
Node: TypeAlias = Any


def compose(text: str, shown: str) -> Node:
    """The node tree of a text, with character offsets, from the same parser as `psc
    validate` (libyaml): a text is YAML to an edit exactly when it is to validate. PscError
    with validate's own finding when it is not."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from psc_roadmap.loader import parse_text
    from psc_roadmap.reporters import finding_line

    findings: list[Finding] = []
    parse_text(text, shown, findings)  # bounds depth and aliases before the composer sees them
    broken = [f for f in findings if f.rule == "yaml-syntax"]
    if broken:
        raise PscError(finding_line(broken[0]))
    try:
        return YAML(typ="safe", pure=False).compose(text)
    except (YAMLError, RecursionError, ValueError) as exc:
        raise PscError(f"{shown}: the file is not valid YAML ({exc}); fix it first") from None


def is_kind(node: Node, kind: str) -> bool:
    """Whether node is a node of that kind: "scalar", "sequence" or "mapping"."""
    return node is not None and getattr(node, "id", None) == kind


def mapping_pair(mapping: Node, key: str) -> tuple[Node, Node] | None:
    """The first (key node, value node) pair of a mapping node whose key is `key`."""
    if not is_kind(mapping, "mapping"):
        return None
    for key_node, value_node in mapping.value:
        if is_kind(key_node, "scalar") and key_node.value == key:
            return key_node, value_node
    return None


def scalar_text(node: Node) -> str | None:
    """A string scalar's value without surrounding spaces; None for any other node."""
    if is_kind(node, "scalar") and isinstance(node.value, str):
        return str(node.value).strip()
    return None


def is_empty_null(node: Node) -> bool:
    """Whether node is a value written as nothing at all (`key:` alone)."""
    return is_kind(node, "scalar") and node.start_mark.index == node.end_mark.index


def colon_end(text: str, key: Node) -> int:
    """Index just after the `:` that follows a key."""
    index = int(key.end_mark.index)
    while index < len(text) and text[index] in " \t":
        index += 1
    return index + 1 if index < len(text) and text[index] == ":" else int(key.end_mark.index)


def content_end(text: str, node: Node, key: Node = None) -> int:
    """Index just after the last character that belongs to a node's value.

    Block collections and block scalars end where the next token starts, past blank lines
    and comments; this walks down to their last real character instead.
    """
    if is_empty_null(node):
        return colon_end(text, key) if key is not None else int(node.start_mark.index)
    if is_kind(node, "scalar"):
        end = int(node.end_mark.index)
        if node.style in ("|", ">"):
            while end > node.start_mark.index + 1 and text[end - 1] in " \t\r\n":
                end -= 1
        return end
    if node.flow_style:
        return int(node.end_mark.index)
    if is_kind(node, "sequence"):
        return content_end(text, node.value[-1]) if node.value else int(node.end_mark.index)
    if node.value:
        last_key, last_value = node.value[-1]
        return content_end(text, last_value, last_key)
    return int(node.end_mark.index)


def line_start(text: str, index: int) -> int:
    """Index of the first character of the line holding index."""
    return text.rfind("\n", 0, index) + 1


def line_end(text: str, index: int) -> int:
    """Index of the line break that ends the line holding index (before a `\\r\\n`)."""
    end = text.find("\n", index)
    if end == -1:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def line_break(text: str) -> str:
    """The line break a text uses, decided by its first line: CRLF or LF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def line_number(text: str, index: int) -> int:
    """The 1-based line that holds index."""
    return text.count("\n", 0, index) + 1
