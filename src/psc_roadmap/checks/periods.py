"""Periods run forwards and stay within their roadmap.

Rules: `beyond-horizon`, `period-order` (their severity and FAIL/PASS examples are in
`psc_roadmap.rules`)."""

from __future__ import annotations

from collections.abc import Iterator

from psc_roadmap.errors import Finding
from psc_roadmap.periods import PeriodValue, first_month, last_month
from psc_roadmap.project import Project


def _written(period: PeriodValue) -> str:
    """A period as YAML text: a year as a number, a quarter or a month quoted."""
    return str(period) if isinstance(period, int) else f'"{period}"'


def check(project: Project) -> Iterator[Finding]:
    for roadmap in project.roadmaps:
        header = roadmap.header
        horizon_end = last_month(header.horizon)
        roadmap_start = first_month(header.start) if header.start is not None else None
        if roadmap_start is not None and roadmap_start > horizon_end:
            yield Finding(
                roadmap.entry.at("start"), "beyond-horizon",
                f"roadmap '{header.id}' starts in {header.start}, after its horizon {header.horizon}",
                (header.id, "start"),
            )
        for action in roadmap.actions:
            model = action.model
            start, end = first_month(model.start), last_month(model.end)
            if end < start:
                yield Finding(
                    action.at("end"), "period-order",
                    f"action '{model.id}' ends ({model.end}) before it starts ({model.start}); swap them, or "
                    f"end it no sooner than it starts: `end: {_written(model.start)}`",
                    (model.id, "end"),
                )
            if end > horizon_end:
                yield Finding(
                    action.at("end"), "beyond-horizon",
                    f"action '{model.id}' ends in {model.end}, after the horizon {header.horizon} "
                    f"of roadmap '{header.id}'; end it by {header.horizon} or move the horizon",
                    (model.id, "end"),
                )
            if roadmap_start is not None and start < roadmap_start:
                yield Finding(
                    action.at("start"), "beyond-horizon",
                    f"action '{model.id}' starts in {model.start}, before roadmap '{header.id}' "
                    f"starts ({header.start})",
                    (model.id, "start"),
                )
