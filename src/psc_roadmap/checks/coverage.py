"""Everything declared is used, and every open action has someone in charge.

Rules: `empty-roadmap`, `missing-feasibility`, `missing-owner`, `unused-axis`,
`unused-principle` (their severity and FAIL/PASS examples are in `psc_roadmap.rules`)."""

from __future__ import annotations

from collections.abc import Iterator

from psc_roadmap.enums import Status
from psc_roadmap.errors import Finding, Position
from psc_roadmap.project import Project, position_in


def check(project: Project) -> Iterator[Finding]:
    yield from _unused(project)
    yield from _roadmaps(project)


def _unused(project: Project) -> Iterator[Finding]:
    if "action" in project.unknown_kinds or project.broken_ids.get("action"):
        return  # some actions could not be read: "unused" could be false
    used_axes: set[str] = set()
    used_principles: set[str] = set()
    for action in project.actions:
        used_axes.update(action.model.axes)
        used_principles.update(action.model.principles)
    for axis in project.axes:
        if axis.id not in used_axes:
            yield Finding(axis.at("id"), "unused-axis",
                          f"no action serves axis '{axis.id}'; give it an action or remove it", (axis.id,))
    for principle in project.principles:
        if principle.id not in used_principles:
            yield Finding(principle.at("id"), "unused-principle",
                          f"no action applies principle '{principle.id}'; reference it in an action's "
                          "`principles:` or remove it", (principle.id,))


def _roadmaps(project: Project) -> Iterator[Finding]:
    for roadmap in project.roadmaps:
        raw_actions = roadmap.root.get("actions")
        if isinstance(raw_actions, list) and not raw_actions:
            where: Position = position_in(roadmap.file, roadmap.root, "actions")
            yield Finding(where, "empty-roadmap",
                          f"roadmap '{roadmap.id}' has no action; add one (`psc add`) or remove the file",
                          (roadmap.id,))
        rated = any(a.model.feasibility is not None for a in roadmap.actions)
        for action in roadmap.actions:
            model = action.model
            if rated and model.feasibility is None and "feasibility" not in action.faulty:
                yield Finding(action.at(), "missing-feasibility",
                              f"action '{model.id}' has no feasibility while others in roadmap "
                              f"'{roadmap.id}' have one; add `feasibility: surely|probably|potentially`", (model.id,))
            if (
                model.owner is None and model.body is None and model.status not in (Status.done, Status.cancelled)
                and action.faulty.isdisjoint(("owner", "body", "status"))
            ):
                yield Finding(action.at(), "missing-owner",
                              f"action '{model.id}' is {model.status.value} but has no owner; "
                              "add `owner:` or `body:`", (model.id,))
