"""Ids are unique across the whole project.

Rules: `duplicate-id` (its severity and FAIL/PASS examples are in
`psc_roadmap.rules`)."""

from __future__ import annotations

from collections.abc import Iterator

from psc_roadmap.errors import Finding
from psc_roadmap.project import Entry, ItemModel, Project
from psc_roadmap.suggest import free_id


def all_entries(project: Project) -> Iterator[Entry[ItemModel]]:
    """Every item with an id (those that failed validation too), gathered file by file."""
    yield from project.axes
    yield from project.principles
    yield from project.bodies
    for roadmap in project.roadmaps:
        yield roadmap.entry
        yield from roadmap.themes
        yield from roadmap.actions
    yield from project.unvalidated


def check(project: Project) -> Iterator[Finding]:
    first: dict[str, Entry[ItemModel]] = {}
    rank = project.file_rank
    # Reading order is file by file, then top to bottom: a principle written above the
    # axes comes first even though principles are gathered after axes.
    ordered = sorted(all_entries(project), key=lambda e: (rank.get(e.file, 0), *_line_column(e)))
    taken = {entry.id for entry in ordered}
    for entry in ordered:
        seen = first.setdefault(entry.id, entry)
        if seen is not entry:
            where = seen.at("id")
            other = free_id(entry.id, taken)
            if other is not None:
                taken.add(other)
            yield Finding(
                entry.at("id"), "duplicate-id",
                f"id '{entry.id}' is already used by the {seen.kind} at {where.file}:{where.line}:{where.column}; "
                "choose another id" + (f", such as '{other}'" if other else ""),
                (entry.id,),
            )


def _line_column(entry: Entry[ItemModel]) -> tuple[int, int]:
    where = entry.at("id")
    return where.line, where.column
