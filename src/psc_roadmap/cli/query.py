"""`psc query`, `psc show` and `psc summary`: read a checked project and print what is asked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from psc_roadmap.cli import app
from psc_roadmap.cli.common import DataOption, examples, usage_error, write_stdout
from psc_roadmap.enums import QueryFormat, ShowFormat, SortKey, SummaryFormat

if TYPE_CHECKING:
    from psc_roadmap.project import Project


@app.command("query", epilog=examples(
    "psc query -d data --axis AX2 --year 2020",
    "psc query -d data --feasibility probably",
    "psc query -d data --overdue --as-of 2021-06",
))
def query_command(
    data: DataOption = None,
    axis: Annotated[list[str] | None, typer.Option("--axis", metavar="ID", help="Serves this axis")] = None,
    roadmap: Annotated[list[str] | None, typer.Option("--roadmap", metavar="ID", help="In this roadmap")] = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", metavar="ID", help="Under this theme")] = None,
    body: Annotated[list[str] | None, typer.Option("--body", metavar="ID", help="Steered by this body")] = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", metavar="S", help="planned, in_progress, done, on_hold or cancelled"),
    ] = None,
    feasibility: Annotated[
        list[str] | None, typer.Option("--feasibility", metavar="F", help="surely, probably or potentially")
    ] = None,
    year: Annotated[
        list[int] | None, typer.Option("--year", metavar="YYYY", help="Under way at some point of that year")
    ] = None,
    owner: Annotated[
        list[str] | None,
        typer.Option("--owner", metavar="TEXT", help="Owner, or the name of the body that steers it, contains TEXT"),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", metavar="TEXT", help="Has the tag TEXT")] = None,
    text: Annotated[
        list[str] | None, typer.Option("--text", metavar="TEXT", help="Title or description contains TEXT")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Late: neither done nor cancelled, and ended before the --as-of month")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM",
                     help="With --overdue: the month it is judged at (default: this month)"),
    ] = None,
    fmt: Annotated[
        QueryFormat,
        typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                     help="table (default), json, csv, yaml, md, ids or timeline (a Gantt chart)."),
    ] = QueryFormat.table,
    raw_csv: Annotated[
        bool,
        typer.Option("--raw-csv", help="CSV cells as written, even those a spreadsheet would run as a formula."),
    ] = False,
    sort: Annotated[
        SortKey,
        typer.Option("--sort", metavar="KEY", show_default=False,
                     help="roadmap (default: roadmap order, then start, then id), id, start, end, title or status."),
    ] = SortKey.roadmap,
) -> None:
    """List the actions that match the filters.

    A filter given twice matches either value; different filters must all match.
    Text filters ignore case and accents (`numerique` finds `numérique`)."""
    from psc_roadmap import query
    from psc_roadmap.cli.common import load_checked
    from psc_roadmap.output import message

    # Enum values need no project: a typo is answered before the data is read.
    query.check_statuses(status or ())
    query.check_feasibilities(feasibility or ())
    if as_of is not None and not overdue:
        usage_error("--as-of is the month --overdue is judged at: give --overdue too")
    filters = query.Filters(
        axes=tuple(axis or ()), roadmaps=tuple(roadmap or ()), themes=tuple(theme or ()),
        bodies=tuple(body or ()), statuses=tuple(status or ()),
        feasibilities=tuple(feasibility or ()), years=tuple(year or ()),
        owners=tuple(owner or ()), tags=tuple(tag or ()), texts=tuple(text or ()),
        overdue_at=_month(as_of) if overdue else None,
    )
    project = load_checked(data)
    query.check_filters(project, filters)
    actions = query.sort_actions(project, query.select(project, filters), sort.value)
    records = [query.to_record(entry) for entry in actions]
    if fmt in (QueryFormat.table, QueryFormat.timeline):
        if not records:
            message("no action matches\n")
            return
        from psc_roadmap import terminal  # rich: only for the terminal formats

        titles = {r.id: r.header.title for r in project.roadmaps}
        if fmt is QueryFormat.table:
            terminal.print_actions(records, terminal.make_console(), query.body_names(project), titles)
        else:
            terminal.print_timeline(records, terminal.make_console(), titles)
        return
    if fmt is QueryFormat.csv:
        write_stdout(query.to_csv(records, raw=raw_csv), exact=True)
        return
    if fmt is QueryFormat.md:
        write_stdout(query.to_markdown(records, query.body_names(project)), exact=True)
        return
    write_stdout(query.QUERY_FORMATS[fmt.value](records), exact=True)


@app.command("show", epilog=examples(
    "psc show -d data SI-01",
    "psc show -d data AX2 --format json",
))
def show_command(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id of an action, axis, principle, "
                                            "theme, body or roadmap.")],
    data: DataOption = None,
    fmt: Annotated[
        ShowFormat,
        typer.Option("--format", "-f", metavar="FORMAT", show_default=False, help="text (default) or json."),
    ] = ShowFormat.text,
) -> None:
    """Show one item by id with its links both ways (exit 1 if no item has that id)."""
    from psc_roadmap import query, terminal
    from psc_roadmap.cli.common import load_checked
    from psc_roadmap.text import json_text

    project = load_checked(data)
    view = query.show(project, item_id)
    if fmt is ShowFormat.json:
        write_stdout(json_text(view), exact=True)
    else:
        terminal.print_show(view, terminal.make_console())


@app.command("summary", epilog=examples(
    "psc summary -d data --as-of 2021-06",
    "psc summary -d data --format csv",
))
def summary_command(
    data: DataOption = None,
    fmt: Annotated[
        SummaryFormat,
        typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                     help="table (default), json, csv (every table, for a spreadsheet) or md."),
    ] = SummaryFormat.table,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM", help="Month that overdue is judged at (default: this month)."),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option("--baseline", metavar="REV",
                     help="Also compare with the plan at this revision (or folder): finished since, slips."),
    ] = None,
) -> None:
    """Count actions by axis and roadmap, status, feasibility and year; list the overdue ones."""
    from psc_roadmap import query, terminal
    from psc_roadmap.cli.common import load_checked
    from psc_roadmap.text import json_text

    month = _month(as_of)
    project = load_checked(data)
    counts = query.summary(project, month)
    if baseline is not None:
        counts["baseline"] = _baseline(data, baseline, project)
    if fmt is SummaryFormat.json:
        write_stdout(json_text(counts), exact=True)
    elif fmt is SummaryFormat.csv:
        write_stdout(query.summary_csv({k: v for k, v in counts.items() if k != "baseline"}), exact=True)
    elif fmt is SummaryFormat.md:
        text = query.summary_markdown({k: v for k, v in counts.items() if k != "baseline"})
        if baseline is not None:
            from psc_roadmap.history.baseline import baseline_markdown

            text += "\n" + baseline_markdown(counts["baseline"])
        write_stdout(text, exact=True)
    else:
        console = terminal.make_console()
        terminal.print_summary(counts, console)
        if baseline is not None:
            terminal.print_baseline(counts["baseline"], console)


def _baseline(data: Path | None, revision: str, project: Project) -> dict[str, Any]:
    """The project against the plan at `revision`; exit 1 when that plan has errors."""
    from psc_roadmap.cli.common import collector_paused, data_folder
    from psc_roadmap.history.baseline import baseline
    from psc_roadmap.history.sides import Sides, report_errors

    with collector_paused():
        plan = Sides(lambda: data_folder(data)).side(revision)
    if report_errors([plan], "the plan must be valid to be compared"):
        raise typer.Exit(1)
    return baseline(plan, project)


def _month(as_of: str | None) -> int:
    """The month of `--as-of YYYY-MM` (a usage error otherwise), by default this month."""
    import datetime

    from psc_roadmap.query import parse_as_of

    if as_of is None:
        today = datetime.date.today()
        return today.year * 12 + today.month - 1
    return parse_as_of(as_of)
