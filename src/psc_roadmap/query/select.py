"""Which actions a query asks for, and in which order: the filters (checked against the
project, with suggestions), what is overdue, the sort keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from psc_roadmap.enums import FEASIBILITY_ORDER, STATUS_ORDER, SortKey
from psc_roadmap.errors import UsageError
from psc_roadmap.models import Action
from psc_roadmap.periods import YEAR_MAX, YEAR_MIN, first_month, last_month
from psc_roadmap.project import Entry, Project
from psc_roadmap.query.records import roadmap_id
from psc_roadmap.suggest import Vocabulary, did_you_mean
from psc_roadmap.text import fold, natural_key

SORT_KEYS = tuple(key.value for key in SortKey)


@dataclass(frozen=True)
class Filters:
    """What `psc query` asks for: values of one filter are OR-ed, filters are AND-ed."""

    axes: tuple[str, ...] = ()
    roadmaps: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    feasibilities: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    #: Only the actions overdue at this month (an absolute month, see `periods`).
    overdue_at: int | None = None


#: Filter field → (option, kind of id it names).
_ID_FILTERS = {
    "axes": ("--axis", "axis"),
    "roadmaps": ("--roadmap", "roadmap"),
    "themes": ("--theme", "theme"),
    "bodies": ("--body", "body"),
}


def check_statuses(statuses: Iterable[str]) -> None:
    """UsageError for a status or feasibility outside its enum; needs no project."""
    for status in statuses:
        if status not in STATUS_ORDER:
            raise UsageError(f"--status: '{status}' is not a status{did_you_mean(status, STATUS_ORDER)}")


def check_feasibilities(feasibilities: Iterable[str]) -> None:
    for value in feasibilities:
        if value not in FEASIBILITY_ORDER:
            raise UsageError(
                f"--feasibility: '{value}' is not a feasibility{did_you_mean(value, FEASIBILITY_ORDER)}"
            )


def check_filters(project: Project, filters: Filters) -> None:
    """UsageError (exit 2) for a value that names nothing of its kind, with the closest one."""
    check_statuses(filters.statuses)
    check_feasibilities(filters.feasibilities)
    for year in filters.years:
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise UsageError(f"--year: {year} is not a year of a roadmap ({YEAR_MIN} to {YEAR_MAX})")
    for name, (option, kind) in _ID_FILTERS.items():
        for value in getattr(filters, name):
            if project.has(kind, value):
                continue
            raise UsageError(f"{option}: {kind} '{value}' does not exist{_hint(project, value, kind)}")


def _hint(project: Project, word: str, kind: str | None = None) -> str:
    """Why an id is wrong: it names another kind, differs only in case, or is close to one."""
    other = project.index.get(word)
    candidates = Vocabulary(project.ids_of(kind) if kind else project.index)
    if other is not None and kind is not None and other.kind != kind:
        return f" ('{word}' is {_article(other.kind)}){candidates.hint(word)}"
    return candidates.hint(word)


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def select(project: Project, filters: Filters) -> list[Entry[Action]]:
    """The actions that pass every filter, in reading order; one pass over the actions."""
    axes, roadmaps = set(filters.axes), set(filters.roadmaps)
    themes, bodies = set(filters.themes), set(filters.bodies)
    statuses, feasibilities = set(filters.statuses), set(filters.feasibilities)
    years = [(year * 12, year * 12 + 11) for year in filters.years]
    owners = [fold(o) for o in filters.owners]
    tags = {fold(t) for t in filters.tags}
    texts = [fold(t) for t in filters.texts]
    body_names = {fold(b.id): fold(b.model.name) for b in project.bodies} if owners else {}
    overdue_at = filters.overdue_at

    def keep(entry: Entry[Action]) -> bool:
        a = entry.model
        if axes and axes.isdisjoint(a.axes):
            return False
        if roadmaps and roadmap_id(entry) not in roadmaps:
            return False
        if themes and a.theme not in themes:
            return False
        if bodies and a.body not in bodies:
            return False
        if statuses and a.status.value not in statuses:
            return False
        if feasibilities and (a.feasibility is None or a.feasibility.value not in feasibilities):
            return False
        if years:
            first, last = first_month(a.start), last_month(a.end)
            if not any(first <= y_last and last >= y_first for y_first, y_last in years):
                return False
        if owners:
            # Who answers for it: the owner as written, or the name of the body that steers it.
            owner = fold(a.owner or "") + "\n" + body_names.get(fold(a.body or ""), "")
            if not any(o in owner for o in owners):
                return False
        if overdue_at is not None and not is_overdue(a, overdue_at):
            return False
        if tags and tags.isdisjoint(fold(t) for t in a.tags):
            return False
        if texts:
            haystack = fold(a.title) + "\n" + fold(a.description or "")
            if not any(t in haystack for t in texts):
                return False
        return True

    return [entry for entry in project.actions if keep(entry)]


def is_overdue(action: Action, month: int) -> bool:
    """Neither done nor cancelled, and its last month is before `month`: late at that month."""
    return action.status.value not in ("done", "cancelled") and last_month(action.end) < month


def sort_actions(project: Project, actions: list[Entry[Action]], key: str = "roadmap") -> list[Entry[Action]]:
    """Actions by `key` (one of SORT_KEYS); ties, and `roadmap`, go by roadmap order,
    then start month, then id in natural order (SI-2 before SI-10)."""
    if key not in SORT_KEYS:
        raise UsageError(f"--sort: unknown key '{key}'{did_you_mean(key, SORT_KEYS)}")
    rank = {r.id: i for i, r in enumerate(project.ordered_roadmaps())}
    status_rank = {s: i for i, s in enumerate(STATUS_ORDER)}

    def default(entry: Entry[Action]) -> tuple[Any, ...]:
        return (rank.get(roadmap_id(entry), len(rank)), first_month(entry.model.start),
                natural_key(entry.id))

    primary: dict[str, Callable[[Entry[Action]], Any]] = {
        "roadmap": lambda e: (),
        "id": lambda e: natural_key(e.id),
        "start": lambda e: first_month(e.model.start),
        "end": lambda e: last_month(e.model.end),
        "title": lambda e: fold(e.model.title),
        "status": lambda e: status_rank[e.model.status.value],
    }
    first = primary[key]
    return sorted(actions, key=lambda e: (first(e), default(e)))
