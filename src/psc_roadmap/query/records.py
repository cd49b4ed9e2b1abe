"""An action as a record (a plain dict of its fields, defaults filled in) and as the cells
of a table: what every output of `psc query`, `psc show` and `psc summary` is made of."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from psc_roadmap.models import Action
from psc_roadmap.project import Entry, Project

Record = dict[str, Any]


CSV_COLUMNS = (
    "id", "roadmap", "title", "axes", "start", "end", "status", "feasibility", "owner",
    "body", "theme", "principles", "depends_on", "tags", "description",
)


#: The columns of the terminal and Markdown tables.
TABLE_COLUMNS = ("id", "roadmap", "title", "axes", "period", "status", "feasibility", "owner")


def roadmap_id(entry: Entry[Action]) -> str:
    return entry.roadmap.id if entry.roadmap is not None else ""


def to_record(entry: Entry[Action]) -> Record:
    """Every field of an action, defaults filled in, plus its roadmap (see the module doc)."""
    # Written out rather than `model_dump(mode="json")`, which costs five times as much;
    # tests/test_query.py holds the two equal.
    a = entry.model
    return {
        "id": a.id,
        "roadmap": roadmap_id(entry),
        "title": a.title,
        "axes": list(a.axes),
        "principles": list(a.principles),
        "theme": a.theme,
        "start": a.start,
        "end": a.end,
        "status": a.status.value,
        "feasibility": None if a.feasibility is None else a.feasibility.value,
        "owner": a.owner,
        "body": a.body,
        "depends_on": list(a.depends_on),
        "description": a.description,
        "tags": list(a.tags),
    }


def period_text(start: int | str, end: int | str) -> str:
    """`2019 → 2020-Q2`, or `2024` when an action starts and ends in the same period."""
    return str(start) if str(start) == str(end) else f"{start} → {end}"


def body_names(project: Project) -> dict[str, str]:
    """Each body's name by its id: what the tables show for an action steered by a body."""
    return {b.id: b.model.name for b in project.bodies}


def table_row(record: Record, bodies: Mapping[str, str] | None = None) -> list[str]:
    """The cells of TABLE_COLUMNS for one action, as text. An action without an owner
    shows the body that steers it there, by its name as the document shows it (`bodies`),
    else by its id: the body is who answers for it."""
    body = record["body"]
    return [
        record["id"],
        record["roadmap"],
        record["title"],
        ", ".join(record["axes"]),
        period_text(record["start"], record["end"]),
        record["status"],
        record["feasibility"] or "",
        record["owner"] or (bodies or {}).get(body, body) or "",
    ]


def action_link(entry: Entry[Action]) -> Record:
    a = entry.model
    return {"id": a.id, "title": a.title, "roadmap": roadmap_id(entry), "start": a.start,
            "end": a.end, "status": a.status.value}
