"""Dependencies form no loop and come first in time.

Rules: `dependency-cycle`, `dependency-order` (their severity and FAIL/PASS examples are in
`psc_roadmap.rules`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from psc_roadmap.enums import Status
from psc_roadmap.errors import Finding
from psc_roadmap.models import Action, Body
from psc_roadmap.periods import first_month, last_month
from psc_roadmap.project import Entry, Project

#: How many members of a loop its message names (the first ones, then how many more).
CYCLE_SHOWN = 10


def check(project: Project) -> Iterator[Finding]:
    actions = {a.id: a for a in reversed(project.actions)}  # first occurrence wins
    bodies = {b.id: b for b in reversed(project.bodies)}
    ordered_actions = list(dict.fromkeys(a.id for a in project.actions))
    edges = {i: [d for d in actions[i].model.depends_on if d in actions] for i in ordered_actions}
    components = _strongly_connected(ordered_actions, edges)
    yield from _cycles(ordered_actions, edges, actions, "depends_on", "depends on", components)
    # Inside a loop, "starts before its dependency ends" can't be fixed by dates: the
    # cycle is the one finding there.
    looping = {member: n for n, c in enumerate(components) if len(c) > 1 for member in c}
    ordered_bodies = list(dict.fromkeys(b.id for b in project.bodies))
    yield from _cycles(
        ordered_bodies,
        {i: [r] if (r := bodies[i].model.reports_to) in bodies else [] for i in ordered_bodies},
        bodies, "reports_to", "reports to",
    )
    yield from _order(project, actions, looping)


def _order(project: Project, actions: dict[str, Entry[Action]], looping: dict[str, int]) -> Iterator[Finding]:
    for action in project.actions:
        model = action.model
        if model.status is Status.cancelled or not model.depends_on:
            continue
        begins = first_month(model.start)
        for index, dep_id in enumerate(model.depends_on):
            if dep_id in model.depends_on[:index]:
                continue  # listed twice: one duplicate-reference, not a second warning
            dep = actions.get(dep_id)
            if dep is None or dep is action or dep.model.status is Status.cancelled:
                continue
            if model.id in looping and looping.get(dep_id) == looping[model.id]:
                continue
            if begins <= last_month(dep.model.end):
                yield Finding(
                    action.at("depends_on", index), "dependency-order",
                    f"action '{model.id}' starts in {model.start} but depends on '{dep_id}', "
                    f"which ends in {dep.model.end}; start it later or end '{dep_id}' sooner",
                    (model.id, "depends_on", dep_id),
                )


def _cycles(
    order: list[str], edges: dict[str, list[str]], entries: Mapping[str, Entry[Action | Body]], field: str, verb: str,
    components: list[list[str]] | None = None,
) -> Iterator[Finding]:
    """One finding per strongly connected component that loops (Tarjan, iterative: linear time),
    told from its member that comes first in reading order."""
    rank = {item: i for i, item in enumerate(order)}
    for component in components if components is not None else _strongly_connected(order, edges):
        members = set(component)
        if len(component) == 1 and component[0] not in edges[component[0]]:
            continue
        start = min(component, key=rank.__getitem__)
        loop = _loop_from(start, edges, members)
        entry = entries[start]
        model = entry.model
        index = model.depends_on.index(loop[1]) if isinstance(model, Action) else None
        names = [f"'{i}'" for i in loop]
        if len(names) > CYCLE_SHOWN:
            names = [*names[: CYCLE_SHOWN - 1], f"… ({len(loop) - CYCLE_SHOWN} more)", names[-1]]
        listing = f" {verb} ".join(names)
        extra = f" ({len(component)} items are caught in this loop)" if len(component) > len(loop) - 1 else ""
        yield Finding(
            entry.at(field, index), "dependency-cycle",
            f"{field} loops: {listing}{extra}; remove one link of the loop",
            (start, field),
        )


def _loop_from(start: str, edges: dict[str, list[str]], members: set[str]) -> list[str]:
    """A simple loop through start inside its component (BFS for the shortest way back)."""
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in edges[node]:
                if nxt not in members:
                    continue
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return [*reversed(path), start]
                if nxt not in parents:
                    parents[nxt] = node
                    following.append(nxt)
        frontier = following
    return [start, start]


def _strongly_connected(order: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in order:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result
