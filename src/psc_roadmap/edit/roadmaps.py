"""The roadmap files of a project as node trees, and every id its data files hold: what
`set` and `add` look up before they edit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psc_roadmap.edit.proof import parsed
from psc_roadmap.edit.spans import Node, compose, mapping_pair, scalar_text
from psc_roadmap.errors import Finding, PscError
from psc_roadmap.files import SourceFile, discover, read_source
from psc_roadmap.reporters import finding_line


@dataclass
class RoadmapFile:
    """A roadmap file that parses: its text, its node tree and the id of its roadmap."""

    source: SourceFile
    root: Node
    roadmap_id: str | None


def roadmap_files(folder: str) -> tuple[list[RoadmapFile], list[str]]:
    """Every roadmap file that parses, and a note for each one that does not."""
    found: list[RoadmapFile] = []
    broken: list[str] = []
    for name in discover(folder).roadmaps:
        source = read_source(folder, name)
        if isinstance(source, Finding):
            broken.append(finding_line(source))
            continue
        try:
            root = compose(source.text, source.shown)
        except PscError as exc:
            broken.append(str(exc))
            continue
        header = mapping_pair(root, "roadmap")
        id_pair = mapping_pair(header[1], "id") if header else None
        roadmap_id = scalar_text(id_pair[1]) if id_pair else None
        found.append(RoadmapFile(source, root, roadmap_id))
    return found, broken


def actions_pair(root: Node) -> tuple[Node, Node] | None:
    """The `actions` key of a roadmap file and its value node."""
    return mapping_pair(root, "actions")


def project_ids(folder: str) -> dict[str, str]:
    """Every id written anywhere in the project's data files, with the kind of list it is in."""
    ids: dict[str, str] = {}

    def walk(value: Any, kind: str) -> None:
        if isinstance(value, dict):
            item_id = value.get("id")
            if isinstance(item_id, str):
                ids.setdefault(item_id.strip(), kind)
            for key, child in value.items():
                walk(child, key)
        elif isinstance(value, list):
            for child in value:
                walk(child, kind)

    for name in discover(folder).names:
        source = read_source(folder, name)
        if not isinstance(source, Finding):
            data, _ = parsed(source.text, source.shown)
            walk(data, "")
    return ids
