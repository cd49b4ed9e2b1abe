"""`psc summary`: counts of actions by axis and roadmap, status, feasibility and year,
the overdue ones, and their Markdown and CSV."""

from __future__ import annotations

import csv
import io

from psc_roadmap.enums import FEASIBILITY_ORDER, STATUS_ORDER
from psc_roadmap.errors import UsageError
from psc_roadmap.markdown import markdown_table
from psc_roadmap.models import Action
from psc_roadmap.periods import PeriodError, last_month, month_label, parse_month, years_of
from psc_roadmap.project import Entry, Project
from psc_roadmap.query.formats import spreadsheet_safe
from psc_roadmap.query.records import Record, action_link, roadmap_id
from psc_roadmap.query.select import is_overdue, sort_actions

UNRATED = "unrated"


def parse_as_of(text: str) -> int:
    """The month of `--as-of YYYY-MM`, as an absolute month; UsageError otherwise."""
    try:
        return parse_month(text)
    except PeriodError as exc:
        raise UsageError(f"--as-of: {exc}") from None


def summary(project: Project, as_of: int) -> Record:
    """Counts by axis × roadmap, status, feasibility and year, and the overdue actions."""
    roadmaps = project.ordered_roadmaps()
    ordered = sort_actions(project, project.actions)
    matrix: dict[str, dict[str, int]] = {a.id: {r.id: 0 for r in roadmaps} for a in project.axes}
    by_status = dict.fromkeys(STATUS_ORDER, 0)
    by_feasibility = dict.fromkeys((*FEASIBILITY_ORDER, UNRATED), 0)
    by_year: dict[int, int] = {}
    overdue: list[Entry[Action]] = []
    for entry in ordered:
        a = entry.model
        for axis in dict.fromkeys(a.axes):
            row = matrix.get(axis)
            if row is not None:
                row[roadmap_id(entry)] = row.get(roadmap_id(entry), 0) + 1
        by_status[a.status.value] += 1
        by_feasibility[a.feasibility.value if a.feasibility else UNRATED] += 1
        for year in years_of(a.start, a.end):
            by_year[year] = by_year.get(year, 0) + 1
        if is_overdue(a, as_of):
            overdue.append(entry)
    overdue.sort(key=lambda e: last_month(e.model.end))  # stable: ties keep the default order
    years = range(min(by_year), max(by_year) + 1) if by_year else range(0)
    return {
        "as_of": month_label(as_of),
        "actions": len(ordered),
        "roadmaps": [
            {"id": r.id, "title": r.header.title, "actions": len(r.actions)} for r in roadmaps
        ],
        "matrix": [
            {
                "axis": axis.id,
                "title": axis.model.title,
                "roadmaps": matrix[axis.id],
                "total": sum(matrix[axis.id].values()),
            }
            for axis in project.axes
        ],
        "by_status": by_status,
        "by_feasibility": by_feasibility,
        "by_year": {str(y): by_year.get(y, 0) for y in years},
        "overdue": [action_link(e) for e in overdue],
    }


def summary_tables(data: Record) -> list[tuple[str, list[str], list[list[str]]]]:
    """The tables of a summary, as (heading, header, rows), in the order of every format."""
    roadmap_ids = [r["id"] for r in data["roadmaps"]]
    matrix = [
        [row["axis"], row["title"], *(str(row["roadmaps"][r]) for r in roadmap_ids), str(row["total"])]
        for row in data["matrix"]
    ]
    matrix.append(["", "all actions", *(str(r["actions"]) for r in data["roadmaps"]), str(data["actions"])])
    tables = [("Actions by axis and roadmap", ["axis", "title", *roadmap_ids, "total"], matrix)]
    for heading, name, key in (("status", "by_status", "status"),
                               ("feasibility", "by_feasibility", "feasibility"),
                               ("year under way", "by_year", "year")):
        tables.append((f"Actions by {heading}", [key, "actions"], [[k, str(v)] for k, v in data[name].items()]))
    overdue = [[o["id"], o["roadmap"], o["title"], str(o["end"]), o["status"]] for o in data["overdue"]]
    tables.append((f"Overdue as of {data['as_of']}", ["id", "roadmap", "title", "end", "status"], overdue))
    return tables


def summary_csv(data: Record) -> str:
    """The summary's tables in one CSV file (RFC 4180, CRLF), one after the other: a row with
    the table's heading, its header row, its rows, then an empty row. Every row has as many
    cells as the widest table, so that any CSV reader takes it; cells a spreadsheet would
    run as a formula are neutralised (`spreadsheet_safe`)."""
    tables = summary_tables(data)
    width = max(len(header) for _, header, _ in tables)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def row(cells: list[str]) -> None:
        writer.writerow([spreadsheet_safe(c) for c in cells] + [""] * (width - len(cells)))

    row([f"Summary as of {data['as_of']}", f"{data['actions']} actions"])
    for heading, header, rows in tables:
        row([])
        row([heading])
        row(header)
        for cells in rows:
            row(cells)
    return out.getvalue()


def summary_markdown(data: Record) -> str:
    """The summary as GitHub Markdown: one heading and one table per count."""
    roadmap_ids = [r["id"] for r in data["roadmaps"]]
    parts = [f"## Summary as of {data['as_of']}\n\n{data['actions']} actions.\n"]
    matrix_rows = [
        [row["axis"], row["title"], *(str(row["roadmaps"][r]) for r in roadmap_ids),
         str(row["total"])]
        for row in data["matrix"]
    ]
    matrix_rows.append(["", "all actions", *(str(r["actions"]) for r in data["roadmaps"]),
                        str(data["actions"])])
    numbers = range(2, 3 + len(roadmap_ids))
    parts.append("### Actions by axis and roadmap\n\n"
                 + markdown_table(["axis", "title", *roadmap_ids, "total"], matrix_rows, numbers))
    for heading, name, key in (("status", "by_status", "status"),
                               ("feasibility", "by_feasibility", "feasibility"),
                               ("year under way", "by_year", "year")):
        rows = [[k, str(v)] for k, v in data[name].items()]
        parts.append(f"### Actions by {heading}\n\n" + markdown_table([key, "actions"], rows, [1]))
    overdue = data["overdue"]
    if overdue:
        rows = [[o["id"], o["roadmap"], o["title"], str(o["end"]), o["status"]] for o in overdue]
        parts.append(f"### Overdue ({len(overdue)})\n\n"
                     + markdown_table(["id", "roadmap", "title", "end", "status"], rows))
    else:
        parts.append("### Overdue (0)\n\nNo action is overdue.\n")
    return "\n".join(parts)
