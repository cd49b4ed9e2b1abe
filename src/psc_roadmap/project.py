"""`load_project(folder)`: files → models, one id index, and the position of every item."""

from __future__ import annotations

import os
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from psc_roadmap.errors import Finding, Position, Severity, suggest
from psc_roadmap.files import AXES_FILE, GOVERNANCE_FILE, ROADMAP_SUFFIX, discover, display_path
from psc_roadmap.loader import LoadedFile, Mark, PosDict, PosList, load_file
from psc_roadmap.models import (
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


@dataclass(eq=False)
class Entry:
    """One item with an id (axis, principle, theme, action, body, roadmap) and where it stands."""

    kind: str
    model: Any
    file: str
    raw: PosDict
    roadmap: Roadmap | None = None

    @property
    def id(self) -> str:
        return self.model.id  # type: ignore[no-any-return]

    def at(self, name: str | None = None, index: int | None = None) -> Position:
        """Position of a field's value (or of its index-th item), else of the item itself."""
        return position_in(self.file, self.raw, name, index)


@dataclass(eq=False)
class Roadmap:
    """One `*_roadmap.yaml`: header, themes and actions, in file order."""

    file: str
    header: RoadmapHeader
    raw: PosDict
    root: PosDict
    entry: Entry = field(init=False)
    actions: list[Entry] = field(default_factory=list)
    themes: list[Entry] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def file_name(self) -> str:
        return os.path.basename(self.file)


@dataclass(eq=False)
class Project:
    """Everything read from one data folder; items that failed validation are left out."""

    folder: str
    files: list[str] = field(default_factory=list)
    document: Document | None = None
    governance_description: str | None = None
    axes: list[Entry] = field(default_factory=list)
    principles: list[Entry] = field(default_factory=list)
    bodies: list[Entry] = field(default_factory=list)
    roadmaps: list[Roadmap] = field(default_factory=list)
    #: Every entry by id; the first one wins when an id is repeated.
    index: dict[str, Entry] = field(default_factory=dict)
    #: Every id of each kind, repeated ones included (a duplicate id is its own finding).
    ids_by_kind: dict[str, set[str]] = field(default_factory=dict)
    #: How many data files could be read (the count in `validate`'s summary line).
    files_read: int = 0
    #: Ids of items that failed validation, by kind, so that references to them stay quiet.
    broken_ids: dict[str, set[str]] = field(default_factory=dict)
    #: Items that failed validation, kept only for the duplicate-id check.
    unvalidated: list[Entry] = field(default_factory=list)
    #: Kinds whose file could not be read or parsed: references to them can't be judged.
    unknown_kinds: set[str] = field(default_factory=set)

    @property
    def actions(self) -> list[Entry]:
        return [a for r in self.roadmaps for a in r.actions]

    def ids_of(self, kind: str) -> list[str]:
        return [e.id for e in self.index.values() if e.kind == kind]

    def has(self, kind: str, item_id: str) -> bool:
        if item_id in self.ids_by_kind.get(kind, ()):
            return True
        return kind in self.unknown_kinds or item_id in self.broken_ids.get(kind, ())

    def ordered_roadmaps(self) -> list[Roadmap]:
        """Roadmap order: those that set `order` first, by order then file name; then the rest by file name."""
        return sorted(
            self.roadmaps,
            key=lambda r: (r.header.order is None, r.header.order or 0, r.file_name),
        )

    @property
    def file_rank(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.files)}


def position_in(file: str, raw: Any, name: str | None = None, index: int | None = None) -> Position:
    mark = mark_of(raw, name, index)
    return Position(file, mark[0], mark[1])


def mark_of(raw: Any, name: str | None = None, index: int | None = None) -> Mark:
    if not isinstance(raw, PosDict):
        return (1, 1)
    if name is None or name not in raw:
        return raw.mark
    value = raw[name]
    if index is not None and isinstance(value, PosList) and 0 <= index < len(value.item_marks):
        return value.item_marks[index]
    return raw.value_marks[name]


def load_project(folder: str | os.PathLike[str]) -> tuple[Project, list[Finding]]:
    """Read a data folder into a Project and the schema-level findings of its files."""
    shown = os.fspath(folder)
    project = Project(folder=shown)
    findings: list[Finding] = []
    files = discover(shown)

    def read(name: str) -> LoadedFile:
        loaded = load_file(shown, name)
        project.files.append(loaded.name)
        project.files_read += loaded.read
        findings.extend(loaded.findings)
        return loaded

    if not files.has_axes:
        project.files.append(display_path(shown, AXES_FILE))
        findings.append(Finding(
            Position(display_path(shown, AXES_FILE)), "missing-file", Severity.ERROR,
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
        findings.append(Finding(
            Position(display_path(shown, "*" + ROADMAP_SUFFIX)), "missing-file", Severity.ERROR,
            "no *_roadmap.yaml file: a project needs at least one roadmap (e.g. si_roadmap.yaml)",
        ))
        project.unknown_kinds.add("action")
    for name in files.roadmaps:
        loaded = read(name)
        _add_roadmap(project, loaded, findings)
    return project, findings


# --- validation of one file -------------------------------------------------------------


def _validate_file(model: type[BaseModel], loaded: LoadedFile, findings: list[Finding]) -> BaseModel | None:
    data = loaded.data
    if data is None:
        if not any(f.position.file == loaded.name for f in findings):
            findings.append(Finding(
                Position(loaded.name), "schema", Severity.ERROR,
                f"the file is empty; it must be a mapping with {_required_keys(model)}",
            ))
        return None
    if not isinstance(data, PosDict):
        mark = getattr(data, "mark", (1, 1))
        findings.append(Finding(
            loaded.position(mark), "schema", Severity.ERROR,
            f"the file holds {type_name(data)}; it must be a mapping with {_required_keys(model)}",
        ))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            findings.append(_schema_finding(model, loaded, error))
        return None


def _required_keys(model: type[BaseModel]) -> str:
    keys = [name for name, f in model.model_fields.items() if f.is_required()]
    return " and ".join(f"'{k}:'" for k in keys) if keys else "known keys"


def _salvage(model: type[BaseModel], raw: Any) -> Any:
    """The item for the cross-file checks despite its schema findings: fields in error are
    left out when they are optional (a typo in `status` must not hide a wrong axis);
    None when a required field is in error."""
    if not isinstance(raw, dict):
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        bad = {error["loc"][0] for error in exc.errors() if error["loc"]}
    fields = model.model_fields
    if any(name in fields and fields[name].is_required() for name in bad):
        return None
    try:
        return model.model_validate({k: v for k, v in raw.items() if k not in bad})
    except ValidationError:
        return None


def _salvage_list(model: type[BaseModel], raw: Any) -> list[tuple[Any, PosDict]]:
    if not isinstance(raw, list):
        return []
    kept = []
    for item in raw:
        value = _salvage(model, item)
        if value is not None:
            kept.append((value, item))
    return kept


@dataclass(frozen=True, slots=True)
class Unvalidated:
    """The id of an item that failed validation: enough to check that ids are unique."""

    id: str


def _broken(project: Project, kind: str, raw_items: Any, kept: list[tuple[Any, PosDict]], file: str) -> None:
    """Remember the items that failed validation: their references stay quiet, and their
    ids still take part in the duplicate-id check."""
    if not isinstance(raw_items, list) or len(kept) == len(raw_items):
        return
    good = {id(r) for _, r in kept}
    for item in raw_items:
        if isinstance(item, PosDict) and id(item) not in good and isinstance(item.get("id"), str):
            project.broken_ids.setdefault(kind, set()).add(item["id"])
            project.unvalidated.append(Entry(kind, Unvalidated(item["id"].strip()), file, item))


def _register(project: Project, entry: Entry) -> None:
    project.index.setdefault(entry.id, entry)
    project.ids_by_kind.setdefault(entry.kind, set()).add(entry.id)


def _pairs(models: list[Any], raw: Any) -> list[tuple[Any, PosDict]]:
    return list(zip(models, raw, strict=True))


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
    for model, item in axes:
        entry = Entry("axis", model, loaded.name, item)
        project.axes.append(entry)
        _register(project, entry)
    for model, item in principles:
        entry = Entry("principle", model, loaded.name, item)
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
        bodies = _pairs(valid.bodies, raw.get("bodies") or [])
    else:
        bodies = _salvage_list(Body, raw.get("bodies"))
        _broken(project, "body", raw.get("bodies"), bodies, loaded.name)
    for model, item in bodies:
        entry = Entry("body", model, loaded.name, item)
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
            trimmed["themes"] = [r for _, r in themes]
            header = _salvage(RoadmapHeader, trimmed)
        actions = _salvage_list(Action, raw.get("actions"))
        _broken(project, "theme", raw_themes, themes, loaded.name)
        _broken(project, "action", raw.get("actions"), actions, loaded.name)
        if header is None:
            # Without a valid header the actions can't be placed; keep their ids known.
            for kind, items in (("theme", themes), ("action", actions)):
                for model, _ in items:
                    project.broken_ids.setdefault(kind, set()).add(model.id)
            if isinstance(raw_header, dict) and isinstance(raw_header.get("id"), str):
                project.broken_ids.setdefault("roadmap", set()).add(raw_header["id"])
            return
    assert header is not None
    roadmap = Roadmap(loaded.name, header, raw_header if isinstance(raw_header, PosDict) else raw, raw)
    roadmap.entry = Entry("roadmap", header, loaded.name, roadmap.raw, roadmap)
    _register(project, roadmap.entry)
    for model, item in themes:
        entry = Entry("theme", model, loaded.name, item, roadmap)
        roadmap.themes.append(entry)
        _register(project, entry)
    for model, item in actions:
        entry = Entry("action", model, loaded.name, item, roadmap)
        roadmap.actions.append(entry)
        _register(project, entry)
    project.roadmaps.append(roadmap)


# --- pydantic errors → findings ------------------------------------------------------------


def type_name(value: Any) -> str:
    if value is None:
        return "null (nothing)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"a number ({value})"
    if isinstance(value, float):
        return f"a decimal number ({value})"
    if isinstance(value, str):
        return f"the text '{value}'"
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


def _schema_finding(model: type[BaseModel], loaded: LoadedFile, error: Any) -> Finding:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    name = _field_name(loc)
    data = loaded.data
    if kind == "missing":
        _, mark, container = _walk(data, loc[:-1])
        if isinstance(container, PosDict):
            # At the mapping's first key (a flow mapping's mark is its brace).
            mark = next(iter(container.key_marks.values()), container.mark)
        where = f" in {_describe_item(container)}" if isinstance(container, dict) else ""
        return _schema(loaded, mark, f"missing required field '{loc[-1]}'{where}; add `{loc[-1]}:` here")
    if kind == "extra_forbidden":
        parent_loc = loc[:-1]
        _, _, container = _walk(data, parent_loc)
        key = str(loc[-1])
        mark = container.key_marks.get(key, container.mark) if isinstance(container, PosDict) else (1, 1)
        owner = _model_at(model, parent_loc)
        fields = list(owner.model_fields) if owner else []
        return _schema(loaded, mark, f"unknown field '{key}'{suggest(key, fields, limit=20)}")
    parent, mark, _ = _walk(data, loc)
    if value is None and isinstance(parent, PosDict) and loc and loc[-1] in parent.key_marks:
        # `key:` with nothing after it: the key is what the reader sees.
        mark = parent.key_marks[loc[-1]]
        return _schema(loaded, mark, f"'{name}' is required but empty; give it a value")
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        return _schema(loaded, mark, f"{name} {_show(value)} is not one of {', '.join(choices)}"
                       + _close(value, choices) + _yaml11_hint(value))
    if kind == "string_pattern_mismatch":
        return _schema(loaded, mark, f"malformed id {_show(value)} in '{name}': an id starts with a letter, "
                       "then up to 39 letters, digits, '_', '.' or '-'")
    if kind in ("string_too_short", "too_short"):
        if isinstance(value, list):
            return _schema(loaded, mark, f"'{name}' needs at least one item")
        owner = _model_at(model, loc[:-1])
        info = owner.model_fields.get(str(loc[-1])) if owner is not None else None
        fix = "write some text" if info is not None and info.is_required() else "write some text or remove the field"
        return _schema(loaded, mark, f"'{name}' is empty; {fix}")
    if kind == "value_error":
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        return _schema(loaded, mark, f"{name}: {message}")
    if kind in ("string_type", "str_type"):
        return _schema(loaded, mark, f"'{name}' must be text, not {type_name(value)}{_yaml11_hint(value)}")
    if kind in ("list_type", "tuple_type"):
        return _schema(loaded, mark, f"'{name}' must be a list, not {type_name(value)}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _schema(loaded, mark, f"'{name}' must be a mapping (key: value), not {type_name(value)}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _schema(loaded, mark, f"'{name}' must be a whole number, not {type_name(value)}")
    return _schema(loaded, mark, f"'{name}': {error.get('msg', 'invalid value')}")


def _schema(loaded: LoadedFile, mark: Mark, message: str) -> Finding:
    return Finding(loaded.position(mark), "schema", Severity.ERROR, message)


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else type_name(value)


def _close(value: Any, choices: list[str]) -> str:
    import difflib

    if isinstance(value, str):
        close = difflib.get_close_matches(value, choices, n=1)
        if close:
            return f" (did you mean '{close[0]}'?)"
    return ""


def _yaml11_hint(value: Any) -> str:
    if isinstance(value, bool):
        return "; YAML reads true/false as booleans: quote the text"
    if isinstance(value, str) and value.lower() in {"yes", "no", "on", "off", "y", "n"}:
        return f"; note that '{value}' is plain text in YAML 1.2, not a boolean"
    if isinstance(value, float) and value != value:
        return "; .nan is not a number psc accepts"
    return ""


def _describe_item(container: dict[str, Any]) -> str:
    item_id = container.get("id")
    return f"'{item_id}'" if isinstance(item_id, str) else "this mapping"
