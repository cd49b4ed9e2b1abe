"""Completion: the ids of the expected kind in a reference, the values of an enumeration
with their French and English labels, the periods of the roadmap, and the fields a
mapping does not have yet."""

from __future__ import annotations

from enum import Enum

from lsprotocol import types
from pydantic import BaseModel

from psc_roadmap.enums import BodyKind, Feasibility, Language, PrincipleKind, Status
from psc_roadmap.labels import labels_for
from psc_roadmap.lsp.context import MODELS, Context, context_at
from psc_roadmap.lsp.positions import TextLines, code_points
from psc_roadmap.lsp.sites import REFERENCE_FIELDS, REFERENCE_KINDS
from psc_roadmap.models import Action, Body, Principle
from psc_roadmap.models import Document as DocumentModel
from psc_roadmap.project import Entry, ItemModel, Project
from psc_roadmap.text import natural_key

#: The enumerations of the format, by (model, field), and the prefix of their labels.
ENUMS: dict[tuple[type[BaseModel], str], tuple[type[Enum], str]] = {
    (Action, "status"): (Status, "status"),
    (Action, "feasibility"): (Feasibility, "feasibility"),
    (Body, "kind"): (BodyKind, "kind"),
    (Principle, "kind"): (PrincipleKind, "kind"),
    (DocumentModel, "language"): (Language, ""),
}
_ITEM_KINDS = {"action": Action, "body": Body}


def _edit(lines: TextLines, line: int, context: Context, character: int, text: str) -> types.TextEdit:
    start = lines.offset_at(types.Position(line, 0))
    return types.TextEdit(
        range=lines.range(start + context.prefix_start, start + character), new_text=text,
    )


def enum_label(prefix: str, value: str, lang: str) -> str | None:
    return labels_for(lang).get(f"{prefix}.{value}") if prefix else None


def _enum_items(enum: type[Enum], prefix: str, make: _Maker) -> list[types.CompletionItem]:
    items = []
    for rank, member in enumerate(enum):
        value = str(member.value)
        fr, en = enum_label(prefix, value, "fr"), enum_label(prefix, value, "en")
        detail = f"{fr} / {en}" if fr and en else None
        items.append(make(value, value, types.CompletionItemKind.EnumMember, detail, None, rank))
    return items


def _reference_items(project: Project, kind: str, path: str, context: Context, make: _Maker
                     ) -> list[types.CompletionItem]:
    if kind == "theme":
        roadmap = next((r for r in project.roadmaps if r.file == path), None)
        entries: list[Entry[ItemModel]] = list(roadmap.themes) if roadmap is not None else []
    else:
        entries = sorted((e for e in project.index.values() if e.kind == kind), key=lambda e: natural_key(e.id))
    items = []
    for rank, entry in enumerate(entries):
        if entry.id in context.written:
            continue
        where = f"{entry.roadmap.id}: " if kind == "action" and entry.roadmap is not None else ""
        items.append(make(entry.id, entry.id, types.CompletionItemKind.Reference, f"{where}{entry.title}",
                          f"{entry.id} {entry.title}", rank))
    return items


def _span_years(project: Project, path: str) -> tuple[int, int] | None:
    roadmap = next((r for r in project.roadmaps if r.file == path), None)
    if roadmap is None:
        return None
    horizon = int(str(roadmap.header.horizon)[:4])
    if roadmap.header.start is not None:
        return int(str(roadmap.header.start)[:4]), horizon
    starts = [int(str(a.model.start)[:4]) for a in roadmap.actions]
    return min([*starts, horizon]), horizon


def _period_items(years: tuple[int, int], context: Context, make: _Maker) -> list[types.CompletionItem]:
    quoted = context.prefix[:1] in ("'", '"')
    items = []
    rank = 0
    for year in range(years[0], years[1] + 1):
        periods = [str(year), *(f"{year}-Q{q}" for q in range(1, 5)), *(f"{year}-{m:02d}" for m in range(1, 13))]
        for period in periods:
            text = period if len(period) == 4 and not quoted else f'"{period}"'
            what = "year" if len(period) == 4 else "quarter" if "Q" in period else "month"
            items.append(make(period, text, types.CompletionItemKind.Value, what, text if quoted else period, rank))
            rank += 1
    return items


def _field_items(model: type[BaseModel], context: Context, make: _Maker) -> list[types.CompletionItem]:
    items = []
    fields = sorted(model.model_fields.items(), key=lambda item: not item[1].is_required())
    for rank, (name, info) in enumerate(fields):
        if name in context.siblings:
            continue
        required = "required" if info.is_required() else "optional"
        detail = f"{info.description} ({required})" if info.description else required
        items.append(make(name, f"{name}: ", types.CompletionItemKind.Field, detail, name, rank))
    return items


class _Maker:
    """Builds the items of one request, each replacing the word before the cursor."""

    def __init__(self, lines: TextLines, line: int, context: Context, character: int) -> None:
        self.lines, self.line, self.context, self.character = lines, line, context, character

    def __call__(self, label: str, text: str, kind: types.CompletionItemKind, detail: str | None,
                 filter_text: str | None, rank: int) -> types.CompletionItem:
        return types.CompletionItem(
            label=label,
            kind=kind,
            detail=detail,
            text_edit=_edit(self.lines, self.line, self.context, self.character, text),
            filter_text=filter_text,
            sort_text=f"{rank:06d}",
        )


def complete(lines: TextLines, file_kind: str, path: str, position: types.Position,
             project: Project | None) -> list[types.CompletionItem]:
    """The completions at an LSP position of a text (the editor's current one); `project`
    gives the ids, titles and roadmap spans (None: no ids)."""
    line_text = lines.line_text(position.line)
    character = code_points(line_text, position.character, lines.encoding)
    context = context_at(lines, file_kind, position.line, character)
    model = MODELS.get((file_kind, context.path))
    make = _Maker(lines, position.line, context, character)
    if model is None:
        return []
    if context.key is None:
        return _field_items(model, context, make)
    enum = ENUMS.get((model, context.key))
    if enum is not None:
        return _enum_items(enum[0], enum[1], make)
    if project is None:
        return []
    for kind, item_model in _ITEM_KINDS.items():
        if model is item_model and context.key in REFERENCE_FIELDS[kind]:
            return _reference_items(project, REFERENCE_KINDS[context.key], path, context, make)
    if model is Action and context.key in ("start", "end"):
        years = _span_years(project, path)
        return _period_items(years, context, make) if years is not None else []
    return []
