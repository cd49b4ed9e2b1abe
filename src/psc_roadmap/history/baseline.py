"""`psc summary --baseline REV`: the project against the plan as it stood at REV, per
roadmap and per axis: the actions finished since, those later than planned and by how
much (median and total months of their end slips), and the largest slips.

An action is matched with its planned version by id, or across a rename (see
`compare`); one added since has no plan and is never late. It counts in its current
roadmap, and in every axis it serves now."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from psc_roadmap.history.compare import diff_projects, roadmap_of
from psc_roadmap.history.sides import Side
from psc_roadmap.markdown import markdown_table, md_escape
from psc_roadmap.models import Action
from psc_roadmap.periods import last_month
from psc_roadmap.project import Entry, Project
from psc_roadmap.text import natural_key

Record = dict[str, Any]
#: How many of the largest slips the summary lists.
LARGEST = 10


@dataclass(frozen=True, slots=True)
class Against:
    """One action of the project and its planned version (None when added since)."""

    entry: Entry[Action]
    planned: Entry[Action] | None

    @property
    def finished(self) -> bool:
        done = self.entry.model.status.value == "done"
        return done and (self.planned is None or self.planned.model.status.value != "done")

    @property
    def slip(self) -> int:
        if self.planned is None:
            return 0
        return last_month(self.entry.model.end) - last_month(self.planned.model.end)


def _counts(actions: Iterable[Against]) -> Record:
    members = list(actions)
    later = [a.slip for a in members if a.slip > 0]
    median = statistics.median(later) if later else None
    return {
        "actions": len(members),
        "finished": sum(1 for a in members if a.finished),
        "later": len(later),
        "median_months": median if median is None or median != int(median) else int(median),
        "total_months": sum(later),
    }


def _pairs(plan: Project, project: Project) -> list[Against]:
    planned = {e.id: e for e in plan.actions}
    for old, new in diff_projects(plan, project).renamed:
        planned.setdefault(new.id, old)
    return [Against(e, planned.get(e.id)) for e in project.actions]


def baseline(plan: Side, project: Project) -> Record:
    """The `baseline` key of `psc summary --format json` (docs/cli.md shows its shape)."""
    pairs = _pairs(plan.project, project)
    rank = {r.id: i for i, r in enumerate(project.ordered_roadmaps())}
    roadmaps = [{"id": r.id, "title": r.header.title,
                 **_counts(a for a in pairs if roadmap_of(a.entry) == r.id)} for r in project.ordered_roadmaps()]
    axes = [{"axis": axis.id, "title": axis.model.title,
             **_counts(a for a in pairs if axis.id in a.entry.model.axes)} for axis in project.axes]
    slipped = sorted((a for a in pairs if a.slip > 0),
                     key=lambda a: (-a.slip, rank.get(roadmap_of(a.entry), len(rank)), natural_key(a.entry.id)))
    return {
        "ref": plan.ref,
        "commit": plan.commit.sha if plan.commit is not None else None,
        "date": plan.date,
        **_counts(pairs),
        "roadmaps": roadmaps,
        "axes": axes,
        "largest_slips": [
            {"id": a.entry.id, "title": a.entry.model.title, "roadmap": roadmap_of(a.entry),
             "planned_end": a.planned.model.end if a.planned else None, "end": a.entry.model.end,
             "slip_months": a.slip}
            for a in slipped[:LARGEST]
        ],
    }


def months_cell(value: int | float | None) -> str:
    return "—" if value is None else str(value)


def count_rows(rows: list[Record], key: str) -> list[list[str]]:
    """The rows of a per-roadmap or per-axis table: id, title, then the counts."""
    return [[r[key], r["title"], str(r["actions"]), str(r["finished"]), str(r["later"]),
             months_cell(r["median_months"]), str(r["total_months"])] for r in rows]


COUNT_COLUMNS = ["actions", "finished", "later", "median", "total"]
#: What the columns count, said under the title.
COUNT_NOTE = ("finished: done now, not at the baseline; later: ending later than planned, "
              "by a median and a total of so many months")


def baseline_title(data: Record) -> str:
    when = f" ({data['commit'][:7]}, {data['date']})" if data["commit"] else ""
    return f"Against the plan at {data['ref']}{when}"


def slip_rows(data: Record) -> list[list[str]]:
    return [[s["id"], s["roadmap"], s["title"], str(s["planned_end"]), str(s["end"]), f"+{s['slip_months']}"]
            for s in data["largest_slips"]]


SLIP_COLUMNS = ["id", "roadmap", "title", "planned end", "end", "slip (months)"]


def baseline_markdown(data: Record) -> str:
    """The baseline part of `psc summary --format md`, after the rest."""
    numbers = range(2, 7)
    all_row = ["", "all actions", str(data["actions"]), str(data["finished"]), str(data["later"]),
               months_cell(data["median_months"]), str(data["total_months"])]
    sentence = (f"{data['finished']} finished since, {data['later']} later than planned "
                f"({data['total_months']} months in all).")
    parts = [
        f"## {md_escape(baseline_title(data))}\n\n{sentence} {md_escape(COUNT_NOTE.capitalize())}.\n",
        "### By roadmap\n\n" + markdown_table(["roadmap", "title", *COUNT_COLUMNS],
                                              [*count_rows(data["roadmaps"], "id"), all_row], numbers),
        "### By axis\n\n" + markdown_table(["axis", "title", *COUNT_COLUMNS], count_rows(data["axes"], "axis"),
                                           numbers),
    ]
    if data["largest_slips"]:
        parts.append(f"### Largest slips ({len(data['largest_slips'])})\n\n"
                     + markdown_table(SLIP_COLUMNS, slip_rows(data), [5]))
    else:
        parts.append("### Largest slips (0)\n\nNo action ends later than planned.\n")
    return "\n".join(parts)
