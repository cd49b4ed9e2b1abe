"""Hover: on an id or a reference, the item it names (title, period, status, feasibility,
roadmap) in Markdown; on a key, what the field means, from the field tables of
docs/format.md (bundled with the package), else from the model."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lsprotocol import types
from pydantic import BaseModel

from psc_roadmap.labels import labels_for
from psc_roadmap.lsp.analysis import Analysis
from psc_roadmap.lsp.completion import ENUMS, enum_label
from psc_roadmap.lsp.context import MODELS, keys_above, parse_line
from psc_roadmap.lsp.navigation import id_range, site_at
from psc_roadmap.lsp.positions import TextLines, code_points
from psc_roadmap.markdown import md_escape
from psc_roadmap.models import Action, Axis, Body, Principle, RoadmapHeader, Theme
from psc_roadmap.project import Entry, ItemModel, Project
from psc_roadmap.resources import bundled


def _language(project: Project) -> str:
    return project.document.language.value if project.document is not None else "fr"


def _count(project: Project, kind: str, item_id: str) -> int:
    fields = {"axis": "axes", "principle": "principles", "theme": "theme", "body": "body"}
    name = fields.get(kind)
    if name is None:
        return 0
    count = 0
    for action in project.actions:
        value = getattr(action.model, name)
        count += item_id in value if isinstance(value, list) else value == item_id
    return count


def item_markdown(project: Project, entry: Entry[ItemModel]) -> str:
    """What hover shows of an item: its id and title, then what places it."""
    lang = _language(project)
    labels = labels_for(lang)
    model = entry.model
    kind = labels.get(f"item.{entry.kind}", entry.kind)
    lines = [f"**{md_escape(entry.id)}** · {md_escape(entry.title)}", ""]
    facts: list[str] = []
    if isinstance(model, Action):
        if entry.roadmap is not None:
            facts.append(f"{kind} · {md_escape(entry.roadmap.id)} ({md_escape(entry.roadmap.header.title)})")
        facts.append(f"{md_escape(model.start)} → {md_escape(model.end)}")
        facts.append(f"status: `{model.status.value}` ({md_escape(labels[f'status.{model.status.value}'])})")
        if model.feasibility is not None:
            value = model.feasibility.value
            facts.append(f"feasibility: `{value}` ({md_escape(labels[f'feasibility.{value}'])})")
        facts.append("axes: " + ", ".join(md_escape(a) for a in model.axes))
        if model.owner:
            facts.append(f"owner: {md_escape(model.owner)}")
    elif isinstance(model, Axis):
        facts.append(kind)
        if model.goal:
            facts.append(md_escape(model.goal))
    elif isinstance(model, Principle):
        facts.append(f"{kind} · {md_escape(labels.get(f'kind.{model.kind.value}', model.kind.value))}")
    elif isinstance(model, Body):
        facts.append(f"{kind} · {md_escape(labels.get(f'kind.{model.kind.value}', model.kind.value))}")
        if model.reports_to:
            facts.append(f"reports to {md_escape(model.reports_to)}")
    elif isinstance(model, Theme) and entry.roadmap is not None:
        facts.append(f"{kind} · {md_escape(entry.roadmap.id)} ({md_escape(entry.roadmap.header.title)})")
    elif isinstance(model, RoadmapHeader):
        start = f"{model.start} → " if model.start is not None else "→ "
        facts.append(f"{kind} · {start}{model.horizon} · {len(entry.roadmap.actions) if entry.roadmap else 0} actions")
    else:
        facts.append(f"{entry.kind} (not valid: see its findings)")
    served = _count(project, entry.kind, entry.id)
    if served:
        facts.append(f"{served} action{'s' if served > 1 else ''}")
    return "\n".join([*lines, "  \n".join(facts)])


_MODEL_MARK = re.compile(r"<!-- model: (\w+) -->")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


@dataclass(frozen=True)
class FieldDoc:
    """One row of a field table of docs/format.md, and the heading of its section."""

    section: str
    meaning: str
    kind: str
    required: bool
    default: str
    example: str


@lru_cache(maxsize=1)
def field_docs() -> dict[tuple[str, str], FieldDoc]:
    """The rows of docs/format.md's field tables by (model name, field): each table follows
    a `<!-- model: Name -->` mark. Links are kept as their words (an editor's hover can't
    follow them). Empty when the file can't be read."""
    try:
        text = (bundled("docs") / "format.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    rows: dict[tuple[str, str], FieldDoc] = {}
    section, model = "", None
    for line in text.splitlines():
        if line.startswith("#"):
            section, model = line.lstrip("#").strip(), None
        elif (mark := _MODEL_MARK.fullmatch(line.strip())) is not None:
            model = mark.group(1)
        elif model is not None and line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            if len(cells) == 6:
                name, meaning, kind, required, default, example = cells
                rows[(model, name.strip("`"))] = FieldDoc(
                    section, _LINK.sub(r"\1", meaning), _LINK.sub(r"\1", kind), required == "yes", default, example)
    return rows


def field_markdown(model: type[BaseModel], name: str) -> str | None:
    info = model.model_fields.get(name)
    if info is None:
        return None
    documented = field_docs().get((model.__name__, name))
    if documented is not None:
        parts = [f"**{name}** in {documented.section}", documented.meaning]
        facts = [documented.kind, "required" if documented.required else "optional"]
        if not documented.required and documented.default not in ("none", "—", ""):
            facts[-1] += f", default {documented.default}"
        parts.append(" · ".join(facts))
        parts.append(f"Example: {documented.example}")
    else:
        parts = [f"**{name}**"]
        if info.description:
            parts.append(md_escape(info.description))
        parts.append("required" if info.is_required() else "optional")
    enum = ENUMS.get((model, name))
    if enum is not None:
        values = []
        for member in enum[0]:
            fr, en = enum_label(enum[1], str(member.value), "fr"), enum_label(enum[1], str(member.value), "en")
            values.append(f"`{member.value}`" + (f" ({md_escape(fr)} / {md_escape(en)})" if fr and en else ""))
        parts.append(", ".join(values))
    return "\n\n".join(parts)


def hover(analysis: Analysis, path: str, file_kind: str, position: types.Position) -> types.Hover | None:
    site = site_at(analysis, path, position)
    lines = analysis.lines.get(path)
    if lines is None:
        return None
    if site is not None:
        definitions = analysis.index.definitions(*site.key)
        entry = analysis.index.entries.get(definitions[0]) if definitions else None
        if entry is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=item_markdown(analysis.project, entry)),
            range=id_range(lines, site),
        )
    return key_hover(lines, file_kind, position)


def key_hover(lines: TextLines, file_kind: str, position: types.Position) -> types.Hover | None:
    """What the key under the cursor means."""
    text = lines.line_text(position.line)
    character = code_points(text, position.character, lines.encoding)
    line = parse_line(text)
    if line.key is None or not line.key_column <= character <= line.key_column + len(line.key):
        return None
    keys, _ = keys_above(lines, position.line, line.key_column)
    model = MODELS.get((file_kind, tuple(keys)))
    found = field_markdown(model, line.key) if model is not None else None
    if found is None:
        return None
    start = lines.offset_at(types.Position(position.line, 0)) + line.key_column
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found),
        range=lines.range(start, start + len(line.key)),
    )
