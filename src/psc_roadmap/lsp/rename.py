"""Renaming an id: its definition and every reference to it, in every file, each changed
in place like `psc set` changes a value (the scalar's own characters replaced, its quote
style kept; comments and layout untouched). The spans come from the libyaml node tree
of each text, the parser `psc validate` uses."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from lsprotocol import types

from psc_roadmap.edit.scalars import yaml_text
from psc_roadmap.edit.spans import Node, compose, is_kind, mapping_pair
from psc_roadmap.errors import Finding, PscError
from psc_roadmap.lsp.analysis import Analysis, file_kind
from psc_roadmap.lsp.navigation import id_range, site_at
from psc_roadmap.lsp.sites import REFERENCE_FIELDS, REFERENCE_KINDS, Site
from psc_roadmap.models import ID_PATTERN
from psc_roadmap.text import quote

_ID = re.compile(ID_PATTERN)
#: Where items of each kind are listed in each kind of file: (file kind, path of keys to the list).
_LISTS: dict[str, tuple[tuple[str, ...], str]] = {
    "axis": (("axes",), "axes"),
    "principle": (("principles",), "axes"),
    "body": (("bodies",), "governance"),
    "theme": (("roadmap", "themes"), "roadmap"),
    "action": (("actions",), "roadmap"),
}


class RenameRefused(Exception):
    """A rename that can't be done, with the reason to show the user."""


@dataclass(frozen=True, slots=True)
class Span:
    """A scalar to replace: its offsets in the text (without a BOM), its quote style, and
    whether it sits in a flow collection."""

    start: int
    end: int
    style: str | None
    in_flow: bool


def _child(node: Node, *keys: str) -> Node:
    for key in keys:
        pair = mapping_pair(node, key)
        if pair is None:
            return None
        node = pair[1]
    return node


def _items(node: Node) -> list[Node]:
    return list(node.value) if is_kind(node, "sequence") else []


def _scalars(node: Node) -> Iterator[tuple[Node, bool]]:
    """The scalar values of a reference field: one scalar, or the scalars of a list."""
    if is_kind(node, "scalar"):
        yield node, bool(getattr(node, "flow_style", False))
    for item in _items(node):
        if is_kind(item, "scalar"):
            yield item, bool(node.flow_style)


def _span(node: Node, in_flow: bool) -> Span:
    style = node.style if node.style in ("'", '"') else None
    return Span(int(node.start_mark.index), int(node.end_mark.index), style, in_flow)


def _matches(node: Node, target: str) -> bool:
    return isinstance(node.value, str) and node.value.strip() == target


def spans_in(root: Node, path: str, kind: str, target: str) -> list[Span]:
    """Every scalar of a file's node tree that defines or names item `target` of `kind`."""
    kind_of_file = file_kind(path)
    found: list[Span] = []
    keys, home = _LISTS.get(kind, ((), ""))
    if kind == "roadmap" and kind_of_file == "roadmap":
        node = _child(root, "roadmap", "id")
        if is_kind(node, "scalar") and _matches(node, target):
            found.append(_span(node, False))
    if home == kind_of_file:
        for item in _items(_child(root, *keys)):
            node = _child(item, "id")
            if is_kind(node, "scalar") and _matches(node, target):
                found.append(_span(node, bool(item.flow_style)))
    holders = {"governance": (("bodies",), "body"), "roadmap": (("actions",), "action")}.get(kind_of_file or "")
    if holders is not None:
        for item in _items(_child(root, *holders[0])):
            for name in REFERENCE_FIELDS[holders[1]]:
                if REFERENCE_KINDS[name] != kind:
                    continue
                for node, in_flow in _scalars(_child(item, name)):
                    if _matches(node, target):
                        found.append(_span(node, in_flow))
    return sorted(found, key=lambda s: s.start)


def _target(analysis: Analysis, path: str, position: types.Position) -> Site:
    site = site_at(analysis, path, position)
    if site is None:
        raise RenameRefused("psc renames ids: put the cursor on an item's id or on a reference to it")
    if not analysis.index.definitions(*site.key):
        raise RenameRefused(f"no {site.kind} has the id '{site.target}': there is nothing to rename; "
                            "correct the reference instead")
    return site


def prepare(analysis: Analysis, path: str, position: types.Position) -> types.PrepareRenamePlaceholder:
    """The id under the cursor, if it can be renamed."""
    site = _target(analysis, path, position)
    lines = analysis.lines[path]
    return types.PrepareRenamePlaceholder(range=id_range(lines, site), placeholder=site.target)


def _check_name(analysis: Analysis, new: str) -> None:
    if not _ID.fullmatch(new):
        raise RenameRefused(f"'{new[:60]}' is not a valid id: an id starts with a letter, then up to 39 "
                            "letters, digits, '_', '.' or '-'")
    taken = analysis.project.index.get(new)
    if taken is not None:
        raise RenameRefused(f"'{new}' is already the id of {taken.kind} {quote(taken.title)} "
                            f"({taken.file}); ids are unique across the project")
    defined = {site.target for site in analysis.index.entries}
    if new in defined or any(new in ids for ids in analysis.project.broken_ids.values()):
        raise RenameRefused(f"'{new}' is already the id of an item of the project; ids are unique")


def _readable(analysis: Analysis) -> None:
    for finding in analysis.findings:
        if finding.rule in ("yaml-syntax", "file-error"):
            raise RenameRefused(f"{finding.position.file} can't be read ({finding.rule}): fix it first, "
                                "or a rename could miss the references it holds")


Splices = dict[str, list[tuple[Span, str]]]


def plan(analysis: Analysis, path: str, position: types.Position, new_name: str) -> tuple[Site, str, Splices]:
    """The id under the cursor, its new name, and the splices of every file the rename
    changes (by path): each span of the id with its new text. RenameRefused when the
    rename can't be done."""
    site = _target(analysis, path, position)
    new = new_name.strip()
    if new == site.target:
        return site, new, {}
    _check_name(analysis, new)
    _readable(analysis)
    splices: Splices = {}
    for file, lines in analysis.lines.items():
        if site.target not in lines.text:
            continue  # no scalar of this file can name it
        try:
            root = compose(lines.text[lines.bom:], file)
        except PscError as exc:
            raise RenameRefused(str(exc)) from None
        found = [(span, yaml_text(new, span.style, span.in_flow))
                 for span in spans_in(root, file, site.kind, site.target)]
        if found:
            splices[file] = found
    return site, new, splices


def apply(text: str, splices: list[tuple[Span, str]]) -> str:
    """The text (a BOM kept) with each span replaced."""
    bom = 1 if text.startswith("\ufeff") else 0
    pieces, at = [text[:bom]], bom
    for span, replacement in splices:
        pieces += [text[at:span.start + bom], replacement]
        at = span.end + bom
    return "".join(pieces) + text[at:]


def new_findings(before: list[Finding], after: list[Finding], old: str, new: str) -> list[Finding]:
    """The findings of `after` that `before` did not have, once `old` is read as `new` in
    what the findings are about (rule, file, item, field, value)."""
    known = Counter(
        (f.rule, f.position.file, *(new if part == old else part for part in f.about)) for f in before
    )
    fresh = []
    for finding in after:
        key = (finding.rule, finding.position.file, *finding.about)
        if known[key] > 0:
            known[key] -= 1
        else:
            fresh.append(finding)
    return fresh


def workspace_edit(
    analysis: Analysis, splices: Splices, versions: Mapping[str, int], document_changes: bool
) -> types.WorkspaceEdit:
    """The splices as one WorkspaceEdit: versioned document changes when the client takes
    them (an open buffer that changed since is then refused by the client), else changes."""
    by_uri: dict[str, list[types.TextEdit]] = {}
    for path, spans in splices.items():
        lines = analysis.lines[path]
        by_uri[analysis.uri(path)] = [
            types.TextEdit(range=lines.range(span.start + lines.bom, span.end + lines.bom), new_text=replacement)
            for span, replacement in spans
        ]
    if not document_changes:
        return types.WorkspaceEdit(changes=by_uri)
    paths = {analysis.uri(path): path for path in splices}
    return types.WorkspaceEdit(document_changes=[
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=versions.get(paths[uri])),
            edits=list(edits),
        )
        for uri, edits in by_uri.items()
    ])


def prove(analysis: Analysis, old: str, new: str, splices: Splices) -> list[Finding]:
    """Validate the project as the rename leaves it: the findings it did not have before
    (none, when the rename changes nothing but the name)."""
    from psc_roadmap.checks import validate_folder

    texts = {}
    for path, lines in analysis.lines.items():
        texts[os.path.basename(path)] = apply(lines.text, splices[path]) if path in splices else lines.text
    _, after = validate_folder(analysis.folder, texts)
    return new_findings(analysis.findings, after, old, new)
