"""`psc show ID`: one item (action, axis, principle, theme, body or roadmap), its own
fields and its links both ways."""

from __future__ import annotations

from collections.abc import Iterable

from psc_roadmap.errors import NotFoundError
from psc_roadmap.models import Action, Axis, Body, Principle, RoadmapHeader, Theme
from psc_roadmap.project import Entry, ItemModel, Project, Unvalidated
from psc_roadmap.query.records import Record, action_link, to_record
from psc_roadmap.query.select import sort_actions
from psc_roadmap.suggest import Vocabulary


def _link(entry: Entry[ItemModel] | None) -> Record | None:
    return None if entry is None else {"id": entry.id, "title": entry.title}


def find(project: Project, item_id: str) -> Entry[ItemModel]:
    """The item with this id, else NotFoundError naming the closest ids."""
    entry = project.index.get(item_id)
    if entry is None:
        raise NotFoundError(f"no item has the id '{item_id}'{Vocabulary(project.index).hint(item_id, many=3)}")
    return entry


def show(project: Project, item_id: str) -> Record:
    """One item and its links both ways (see the module doc for the shape)."""
    entry = find(project, item_id)
    ordered = sort_actions(project, project.actions)
    position = entry.at()
    model = entry.model
    fields: Record
    if isinstance(model, Action):
        fields = to_record(_action(project, entry.id))
    elif isinstance(model, RoadmapHeader):
        fields = model.model_dump(mode="json", exclude={"themes"})
    elif isinstance(model, Unvalidated):
        fields = {"id": model.id}
    else:
        fields = model.model_dump(mode="json")
    return {
        "kind": entry.kind,
        "id": entry.id,
        "file": position.file,
        "line": position.line,
        "fields": fields,
        "links": _links(project, entry, ordered),
    }


def _action(project: Project, item_id: str) -> Entry[Action]:
    return next(a for a in project.actions if a.id == item_id)


def _links(project: Project, entry: Entry[ItemModel], ordered: list[Entry[Action]]) -> Record:
    """The links of one item, by its kind (see the module doc)."""
    model, item_id = entry.model, entry.id
    roadmap = entry.roadmap.entry if entry.roadmap is not None else None
    if isinstance(model, Action):
        actions = {a.id: a for a in project.actions}
        return {
            "roadmap": _link(roadmap),
            "axes": _refs(project, model.axes),
            "principles": _refs(project, model.principles),
            "theme": _link(project.index.get(model.theme)) if model.theme else None,
            "body": _link(project.index.get(model.body)) if model.body else None,
            "depends_on": [action_link(actions[d]) for d in model.depends_on if d in actions],
            "dependents": [action_link(e) for e in ordered if item_id in e.model.depends_on],
        }
    if isinstance(model, Axis):
        return {
            "actions": [action_link(e) for e in ordered if item_id in e.model.axes],
            "bodies": [_ref(b) for b in project.bodies if item_id in b.model.axes],
        }
    if isinstance(model, Principle):
        return {"actions": [action_link(e) for e in ordered if item_id in e.model.principles]}
    if isinstance(model, Theme):
        return {
            "roadmap": _link(roadmap),
            "actions": [action_link(e) for e in ordered if e.model.theme == item_id],
        }
    if isinstance(model, Body):
        return {
            "axes": _refs(project, model.axes),
            "reports_to": _link(project.index.get(model.reports_to)) if model.reports_to else None,
            "reported_by": [_ref(b) for b in project.bodies if b.model.reports_to == item_id],
            "actions": [action_link(e) for e in ordered if e.model.body == item_id],
        }
    return {
        "themes": [_ref(t) for t in entry.roadmap.themes] if entry.roadmap is not None else [],
        "actions": [action_link(e) for e in ordered if e.roadmap is entry.roadmap],
    }


def _refs(project: Project, ids: Iterable[str]) -> list[Record]:
    return [link for i in ids if (link := _link(project.index.get(i))) is not None]


def _ref(entry: Entry[Body] | Entry[Theme]) -> Record:
    return {"id": entry.id, "title": entry.title}
