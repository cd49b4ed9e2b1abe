"""`psc diff` and `psc log`: what changed in the data, by meaning, between two revisions
or folders, and commit by commit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from psc_roadmap.cli import app
from psc_roadmap.cli.common import DataOption, examples, write_stdout
from psc_roadmap.enums import HistoryFormat

if TYPE_CHECKING:
    from psc_roadmap.history.report import Style
    from psc_roadmap.history.sides import Side


def _style() -> Style:
    import sys

    from psc_roadmap.history.report import Style
    from psc_roadmap.reporters import use_colour

    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower()
    return Style(use_colour(sys.stdout), ascii_only=not encoding.startswith("utf"))


def _language(*sides: Side) -> str:
    for side in sides:
        if side.project.document is not None:
            return side.project.document.language.value
    return "fr"


@app.command("diff", epilog=examples(
    "psc diff -d data",
    "psc diff adopted HEAD -d data --format md",
    "psc diff old-copy data --exit-code",
))
def diff_command(
    old: Annotated[
        str | None,
        typer.Argument(metavar="OLD", help="A git revision or a project folder (default: HEAD).", show_default=False),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(metavar="NEW", help="A git revision or a project folder (default: the data folder on disk).",
                       show_default=False),
    ] = None,
    data: DataOption = None,
    fmt: Annotated[HistoryFormat, typer.Option("--format", "-f", help="Output format.")] = HistoryFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there is any difference, 0 when there is none.")
    ] = False,
) -> None:
    """Show what changed in the data between two revisions or folders, by meaning."""
    from psc_roadmap.cli.common import collector_paused, data_folder
    from psc_roadmap.history.compare import Comparison, diff_projects
    from psc_roadmap.history.report import diff_record, diff_text
    from psc_roadmap.history.sides import Sides, report_errors
    from psc_roadmap.text import json_text

    sides = Sides(lambda: data_folder(data))
    with collector_paused():
        old_side = sides.side(old) if old is not None else sides.side("HEAD", folder=False)
        new_side = sides.side(new) if new is not None else sides.work_tree()
        if report_errors([old_side, new_side]):
            raise typer.Exit(1)
        diff = diff_projects(old_side.project, new_side.project)
    if fmt is HistoryFormat.json:
        write_stdout(json_text(diff_record(old_side, new_side, diff)), exact=True)
    elif fmt is HistoryFormat.md:
        from psc_roadmap.render.document import render_changes

        comparison = Comparison(diff, old_side.ref, old_side.date)
        write_stdout(render_changes(comparison, _language(new_side, old_side)), exact=True)
    else:
        write_stdout(diff_text(old_side, new_side, diff, _style()))
    if exit_code and not diff.empty:
        raise typer.Exit(1)


@app.command("log", epilog=examples(
    "psc log -d data",
    "psc log SI-05 -d data",
    "psc log -d data --since adopted --format md",
))
def log_command(
    item_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="Only what concerns this item.", show_default=False)
    ] = None,
    data: DataOption = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="REV", help="Only the commits after this revision.", show_default=False),
    ] = None,
    fmt: Annotated[HistoryFormat, typer.Option("--format", "-f", help="Output format.")] = HistoryFormat.text,
) -> None:
    """Show the data folder's history commit by commit, by meaning (or one item's)."""
    from psc_roadmap.cli.common import collector_paused, data_folder
    from psc_roadmap.history.log import about, folder_log, log_markdown, log_record, log_text
    from psc_roadmap.history.sides import Sides
    from psc_roadmap.text import json_text

    sides = Sides(lambda: data_folder(data))
    with collector_paused():
        log = folder_log(sides, since)
    if item_id is not None:
        log = about(log, item_id)
    if fmt is HistoryFormat.json:
        write_stdout(json_text(log_record(log)), exact=True)
    elif fmt is HistoryFormat.md:
        lang = log.latest.document.language.value if log.latest.document is not None else "fr"
        write_stdout(log_markdown(log, lang), exact=True)
    else:
        text = log_text(log, _style())
        if not text:
            from psc_roadmap.output import message

            message("no commit changed it\n" if item_id is not None else "no commit changed the data folder\n")
        write_stdout(text)
