"""Hover: on an id or a reference, the item it names (title, period, status, feasibility,
roadmap) in Markdown; on a key, what the field means, from the models."""

from __future__ import annotations

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


def field_markdown(model: type[BaseModel], name: str) -> str | None:
    info = model.model_fields.get(name)
    if info is None:
        return None
    parts = [f"**{name}** ({model.__name__.lower()})"]
    if info.description:
        parts.append(md_escape(info.description))
    if info.is_required():
        parts.append("required")
    elif info.default is not None and not callable(info.default_factory):
        default = getattr(info.default, "value", info.default)
        parts.append(f"optional, default `{default}`")
    else:
        parts.append("optional")
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
