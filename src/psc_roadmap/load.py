"""`load_project(folder)`: a folder's files → models → a `Project`, with the findings of
each file; items that fail validation are salvaged for the cross-file checks where
their fields allow it."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from psc_roadmap.errors import Finding, Position
from psc_roadmap.files import (
    AXES_FILE,
    GOVERNANCE_FILE,
    ROADMAP_SUFFIX,
    discover,
    display_path,
    read_source,
    roadmap_lookalikes,
    roadmap_name,
    text_refusal,
)
from psc_roadmap.loader import LoadedFile, PosDict, parse_text
from psc_roadmap.models import (
    ID_PATTERN,
    Action,
    AxesFile,
    Axis,
    Body,
    Document,
    GovernanceFile,
    Principle,
    RoadmapFile,
    RoadmapHeader,
    Theme,
)
from psc_roadmap.project import Entry, ItemModel, Project, Roadmap, Unvalidated
from psc_roadmap.schema_findings import schema_finding, type_name
from psc_roadmap.suggest import Vocabulary


def load_file(folder: str, name: str, text: str | None = None) -> LoadedFile:
    """Read and parse one data file of a project folder (or `text` standing for it, judged
    as the file would be); never raises for bad content."""
    if text is not None:
        refusal = text_refusal(folder, name, text)
        return unread(refusal) if refusal is not None else load_text(folder, name, text)
    source = read_source(folder, name)
    if isinstance(source, Finding):
        return unread(source)
    loaded = LoadedFile(source.shown, read=True)
    loaded.data = parse_text(source.text, source.shown, loaded.findings)
    return loaded


def load_text(folder: str, name: str, text: str) -> LoadedFile:
    """`text` parsed as data file `name` of the folder, once `text_refusal` let it through."""
    loaded = LoadedFile(display_path(folder, name), read=True)
    loaded.data = parse_text(text.removeprefix("\ufeff"), loaded.name, loaded.findings)
    return loaded


def unread(refusal: Finding) -> LoadedFile:
    """A data file that can't be read: its file-error alone."""
    loaded = LoadedFile(refusal.position.file)
    loaded.findings.append(refusal)
    return loaded


def load_project(
    folder: str | os.PathLike[str],
    overlay: Mapping[str, str] | None = None,
    *,
    overlay_only: bool = False,
    parsed: Mapping[str, LoadedFile] | None = None,
) -> tuple[Project, list[Finding]]:
    """Read a data folder into a Project and the schema-level findings of its files.
    `overlay` maps file names to texts that stand for those files (they need not exist);
    `overlay_only`: the overlay is the whole folder, which is not read at all; `parsed`
    maps names to files already parsed, as `load_file` returns them for the text that
    stands for the file (the language server keeps those that did not change)."""
    shown = os.fspath(folder)
    project = Project(folder=shown)
    findings: list[Finding] = []
    texts = overlay or {}
    files = discover(shown, extra=texts, listed=not overlay_only)

    def read(name: str) -> LoadedFile:
        loaded = (parsed or {}).get(name) or load_file(shown, name, texts.get(name))
        project.files.append(loaded.name)
        project.files_read += 1
        findings.extend(loaded.findings)
        return loaded

    if not files.has_axes:
        project.files.append(display_path(shown, AXES_FILE))
        findings.append(Finding(
            Position(display_path(shown, AXES_FILE)), "missing-file",
            "no axes.yaml: every project needs one (run `psc init --blank` for a skeleton)",
        ))
        project.unknown_kinds.update(("axis", "principle"))
    else:
        loaded = read(AXES_FILE)
        _add_axes(project, loaded, findings)

    if files.has_governance:
        loaded = read(GOVERNANCE_FILE)
        _add_governance(project, loaded, findings)

    if not files.roadmaps:
        findings.extend(_missing_roadmap(shown, texts))
        project.unknown_kinds.add("action")
    for name in files.roadmaps:
        loaded = read(name)
        _add_roadmap(project, loaded, findings)
    return project, findings


def _missing_roadmap(folder: str, texts: Mapping[str, str]) -> list[Finding]:
    """No *_roadmap.yaml: each file that looks like a roadmap is named with the name it
    should have, else one finding says what the project lacks."""
    found = []
    for name in roadmap_lookalikes(folder):
        data = load_file(folder, name, texts.get(name)).data
        header = data.get("roadmap") if isinstance(data, dict) else None
        roadmap_id = header.get("id") if isinstance(header, dict) else None
        named = isinstance(roadmap_id, str) and re.fullmatch(ID_PATTERN, roadmap_id) is not None
        target = roadmap_name(name, roadmap_id if named else None)
        found.append(Finding(
            Position(display_path(folder, name)), "missing-file",
            f"no *_roadmap.yaml file: psc reads a roadmap only from a file whose name ends in _roadmap.yaml; "
            f"rename '{name}' to '{target}'",
        ))
    return found or [Finding(
        Position(display_path(folder, "*" + ROADMAP_SUFFIX)), "missing-file",
        "no *_roadmap.yaml file: a project needs at least one roadmap (e.g. si_roadmap.yaml)",
    )]


# --- validation of one file -------------------------------------------------------------


def _validate_file(model: type[BaseModel], loaded: LoadedFile, findings: list[Finding]) -> BaseModel | None:
    data = loaded.data
    if data is None:
        if not any(f.position.file == loaded.name for f in findings):
            findings.append(Finding(
                Position(loaded.name), "schema",
                f"the file is empty; it must be a mapping with {_required_keys(model)}", ("file",),
            ))
        return None
    if not isinstance(data, PosDict):
        mark = getattr(data, "mark", (1, 1))
        findings.append(Finding(
            loaded.position(mark), "schema",
            f"the file holds {type_name(data)}; it must be a mapping with {_required_keys(model)}", ("file",),
        ))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            findings.append(schema_finding(model, loaded, error))
        return None


def _required_keys(model: type[BaseModel]) -> str:
    keys = [name for name, f in model.model_fields.items() if f.is_required()]
    return " and ".join(f"'{k}:'" for k in keys) if keys else "known keys"


def _salvage(model: type[BaseModel], raw: Any) -> Any:
    """The item for the cross-file checks despite its schema findings (see `_salvage_faulty`)."""
    return _salvage_faulty(model, raw)[0]


def _salvage_faulty(model: type[BaseModel], raw: Any) -> tuple[Any, frozenset[str]]:
    """The item for the cross-file checks despite its schema findings, and the fields in
    error: those are left out when they are optional (a typo in `status` must not hide a
    wrong axis); None when a required field is in error. An unknown field counts as the
    field it was meant to be (`onwer` as `owner`), so that no check reports that one
    missing: the mistake already has its finding."""
    if not isinstance(raw, dict):
        return None, frozenset()
    try:
        return model.model_validate(raw), frozenset()
    except ValidationError as exc:
        bad = {error["loc"][0] for error in exc.errors() if error["loc"]}
    fields = model.model_fields
    known = Vocabulary(fields)
    faulty = {str(name) for name in bad}
    faulty.update(meant for name in bad if name not in fields for meant in known.closest(str(name)))
    if any(name in fields and fields[name].is_required() for name in bad):
        return None, frozenset(faulty)
    try:
        return model.model_validate({k: v for k, v in raw.items() if k not in bad}), frozenset(faulty)
    except ValidationError:
        return None, frozenset(faulty)


def _salvage_list(model: type[BaseModel], raw: Any) -> list[tuple[Any, PosDict, frozenset[str]]]:
    if not isinstance(raw, list):
        return []
    kept = []
    for item in raw:
        value, faulty = _salvage_faulty(model, item)
        if value is not None:
            kept.append((value, item, faulty))
    return kept


def _broken(
    project: Project, kind: str, raw_items: Any, kept: list[tuple[Any, PosDict, frozenset[str]]], file: str
) -> None:
    """Remember the items that failed validation: their references stay quiet, and their
    ids still take part in the duplicate-id check."""
    if not isinstance(raw_items, list) or len(kept) == len(raw_items):
        return
    good = {id(r) for _, r, _ in kept}
    for item in raw_items:
        if isinstance(item, PosDict) and id(item) not in good and isinstance(item.get("id"), str):
            project.broken_ids.setdefault(kind, set()).add(item["id"])
            project.unvalidated.append(Entry(kind, Unvalidated(item["id"].strip()), file, item))


def _register(project: Project, entry: Entry[ItemModel]) -> None:
    project.index.setdefault(entry.id, entry)
    project.ids_by_kind.setdefault(entry.kind, set()).add(entry.id)


def _pairs(models: list[Any], raw: Any) -> list[tuple[Any, PosDict, frozenset[str]]]:
    return [(model, item, frozenset()) for model, item in zip(models, raw, strict=True)]


def _add_axes(project: Project, loaded: LoadedFile, findings: list[Finding]) -> None:
    if not loaded.read or not isinstance(loaded.data, PosDict):
        project.unknown_kinds.update(("axis", "principle"))
    if not loaded.read:
        return
    valid = _validate_file(AxesFile, loaded, findings)
    raw = loaded.data if isinstance(loaded.data, PosDict) else PosDict((1, 1))
    # References to a kind whose list could not be read can't be judged.
    if not isinstance(raw.get("axes"), list):
        project.unknown_kinds.add("axis")
    if raw.get("principles") is not None and not isinstance(raw.get("principles"), list):
        project.unknown_kinds.add("principle")
    if isinstance(valid, AxesFile):
        document: Document | None = valid.document
        axes = _pairs(valid.axes, raw["axes"])
        principles = _pairs(valid.principles, raw.get("principles") or [])
    else:
        document = _salvage(Document, raw.get("document"))
        axes = _salvage_list(Axis, raw.get("axes"))
        principles = _salvage_list(Principle, raw.get("principles"))
        _broken(project, "axis", raw.get("axes"), axes, loaded.name)
        _broken(project, "principle", raw.get("principles"), principles, loaded.name)
    project.document = document
    for model, item, faulty in axes:
        entry = Entry("axis", model, loaded.name, item, faulty=faulty)
        project.axes.append(entry)
        _register(project, entry)
    for model, item, faulty in principles:
        entry = Entry("principle", model, loaded.name, item, faulty=faulty)
        project.principles.append(entry)
        _register(project, entry)


def _add_governance(project: Project, loaded: LoadedFile, findings: list[Finding]) -> None:
    if loaded.data is None and loaded.read and not loaded.findings:
        return  # an empty governance.yaml declares no body: allowed, the file is optional
    if not loaded.read:
        project.unknown_kinds.add("body")
        return
    valid = _validate_file(GovernanceFile, loaded, findings)
    raw = loaded.data if isinstance(loaded.data, PosDict) else PosDict((1, 1))
    if not isinstance(loaded.data, PosDict) or (
        raw.get("bodies") is not None and not isinstance(raw.get("bodies"), list)
    ):
        project.unknown_kinds.add("body")
    if isinstance(valid, GovernanceFile):
        project.governance_description = valid.description
        project.governance = valid
        bodies = _pairs(valid.bodies, raw.get("bodies") or [])
    else:
        bodies = _salvage_list(Body, raw.get("bodies"))
        _broken(project, "body", raw.get("bodies"), bodies, loaded.name)
    for model, item, faulty in bodies:
        entry = Entry("body", model, loaded.name, item, faulty=faulty)
        project.bodies.append(entry)
        _register(project, entry)


def _add_roadmap(project: Project, loaded: LoadedFile, findings: list[Finding]) -> None:
    if not loaded.read:
        project.unknown_kinds.add("action")
        return
    valid = _validate_file(RoadmapFile, loaded, findings)
    raw = loaded.data if isinstance(loaded.data, PosDict) else PosDict((1, 1))
    if not isinstance(raw.get("actions"), list):
        project.unknown_kinds.add("action")
    raw_header = raw.get("roadmap")
    raw_themes = raw_header.get("themes") if isinstance(raw_header, dict) else None
    if isinstance(valid, RoadmapFile):
        header: RoadmapHeader | None = valid.roadmap
        themes = _pairs(valid.roadmap.themes, raw_themes or [])
        actions = _pairs(valid.actions, raw["actions"])
    else:
        themes = _salvage_list(Theme, raw_themes)
        header = None
        if isinstance(raw_header, dict):
            trimmed = dict(raw_header)
            trimmed["themes"] = [r for _, r, _ in themes]
            header = _salvage(RoadmapHeader, trimmed)
        actions = _salvage_list(Action, raw.get("actions"))
        _broken(project, "theme", raw_themes, themes, loaded.name)
        _broken(project, "action", raw.get("actions"), actions, loaded.name)
        if header is None:
            # Without a valid header the actions can't be placed; keep their ids known.
            for kind, items in (("theme", themes), ("action", actions)):
                for model, _, _ in items:
                    project.broken_ids.setdefault(kind, set()).add(model.id)
            if isinstance(raw_header, dict) and isinstance(raw_header.get("id"), str):
                project.broken_ids.setdefault("roadmap", set()).add(raw_header["id"])
            return
    assert header is not None
    roadmap = Roadmap(loaded.name, header, raw_header if isinstance(raw_header, PosDict) else raw, raw)
    roadmap.entry = Entry("roadmap", header, loaded.name, roadmap.raw, roadmap)
    _register(project, roadmap.entry)
    for model, item, faulty in themes:
        entry = Entry("theme", model, loaded.name, item, roadmap, faulty)
        roadmap.themes.append(entry)
        _register(project, entry)
    for model, item, faulty in actions:
        entry = Entry("action", model, loaded.name, item, roadmap, faulty)
        roadmap.actions.append(entry)
        _register(project, entry)
    project.roadmaps.append(roadmap)
