"""Every reference names an id of the expected kind.

Rules: `unknown-reference`, `duplicate-reference` (their severity and FAIL/PASS examples are in
`psc_roadmap.rules`)."""

from __future__ import annotations

from collections.abc import Iterator

from psc_roadmap.errors import Finding
from psc_roadmap.models import Action, Body
from psc_roadmap.project import Entry, Project
from psc_roadmap.suggest import Vocabulary


def check(project: Project) -> Iterator[Finding]:
    # Items that failed validation are candidates too: a suggestion never points away from
    # the item the user meant, even when that one has a finding of its own.
    axes, principles, bodies, actions = (
        Vocabulary([*project.ids_of(kind), *project.broken_ids.get(kind, ())])
        for kind in ("axis", "principle", "body", "action")
    )
    for body in project.bodies:
        yield from _refs(project, body, "axes", "axis", axes)
        yield from _refs(project, body, "reports_to", "body", bodies)
    for roadmap in project.roadmaps:
        themes = {t.id for t in roadmap.themes}
        broken_themes = project.broken_ids.get("theme", set())
        for action in roadmap.actions:
            model = action.model
            yield from _refs(project, action, "axes", "axis", axes)
            yield from _refs(project, action, "principles", "principle", principles)
            yield from _refs(project, action, "body", "body", bodies)
            yield from _refs(project, action, "depends_on", "action", actions)
            if model.theme is not None and model.theme not in themes and model.theme not in broken_themes:
                other = project.index.get(model.theme)
                elsewhere = (
                    f" (it belongs to roadmap '{other.roadmap.id}')"
                    if other is not None and other.kind == "theme" and other.roadmap is not None
                    else Vocabulary(themes).hint(model.theme)
                )
                yield Finding(
                    action.at("theme"), "unknown-reference",
                    f"theme '{model.theme}' is not a theme of roadmap '{roadmap.id}'{elsewhere}",
                    (model.id, "theme", model.theme),
                )


def _refs(
    project: Project, entry: Entry[Action] | Entry[Body], name: str, kind: str, valid: Vocabulary
) -> Iterator[Finding]:
    value = getattr(entry.model, name)
    items = value if isinstance(value, list) else ([] if value is None else [value])
    seen: set[str] = set()
    for index, ref in enumerate(items):
        if ref in seen:
            yield Finding(
                entry.at(name, index), "duplicate-reference",
                f"{kind} '{ref}' is listed twice in '{name}' of '{entry.id}'; remove this one",
                (entry.id, name, ref),
            )
            continue
        seen.add(ref)
        if project.has(kind, ref):
            continue
        other = project.index.get(ref)
        closest = valid.closest(ref)
        if other is not None:
            hint = f" ('{ref}' is a {other.kind})"
        elif closest and closest[0] in project.broken_ids.get(kind, ()):
            hint = f" (did you mean '{closest[0]}'? that {kind} has a finding of its own)"
        else:
            hint = valid.hint(ref)
        yield Finding(
            entry.at(name, index), "unknown-reference",
            f"{kind} '{ref}' does not exist{hint}",
            (entry.id, name, ref),
        )
