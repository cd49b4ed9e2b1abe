"""`psc validate`: every check of FORMAT.md, reported for people, for scripts (JSON) or for a
CI platform (GitHub annotations and step summary, SARIF, GitLab Code Quality, JUnit XML)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from psc_roadmap.cli import app
from psc_roadmap.cli.common import DataOption, examples, usage_error, write_stdout
from psc_roadmap.enums import ReportFormat

if TYPE_CHECKING:
    from psc_roadmap.reporters import Report


@app.command(epilog=examples(
    "psc validate -d data",
    "psc validate -d data --format github --strict",
    "psc validate -d data --ignore missing-feasibility",
))
def validate(
    data: DataOption = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                     help="text (default: one line per finding), json, github (annotations on a pull request), "
                     "sarif, gitlab or junit (reports for CI platforms)."),
    ] = ReportFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", metavar="RULE", help="Drop a rule's findings (repeatable).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE",
                     help="Write the report to FILE (atomically) instead of stdout; the counts go to stderr.",
                     dir_okay=True, show_default=False),
    ] = None,
) -> None:
    """Check every file of the project; exit 1 on errors (or warnings with --strict)."""
    import sys

    from psc_roadmap.atomic import check_target
    from psc_roadmap.cli.common import check_folder, data_folder, project_files, write_output
    from psc_roadmap.output import message
    from psc_roadmap.reporters import REPORTERS, Report, summary_line, use_colour
    from psc_roadmap.rules import RULES
    from psc_roadmap.suggest import did_you_mean

    ignored = set(ignore or [])
    for rule in sorted(ignored):
        if rule not in RULES:
            usage_error(f"--ignore: unknown rule '{rule}'{did_you_mean(rule, RULES, listed=30)}")
    folder = data_folder(data)
    to_file = output is not None and str(output) != "-"
    protected = project_files(folder) if to_file or fmt is ReportFormat.github else []
    if to_file and output is not None:
        check_target(output, protected)  # a refused target is said before any work
    project, findings = check_folder(data)
    findings = [f for f in findings if f.rule not in ignored]
    report = Report.build(
        folder, project.files, project.files_read, findings,
        checked=[rule for rule in RULES if rule not in ignored],
        colour=fmt is ReportFormat.text and not to_file and use_colour(sys.stdout),
    )
    text = REPORTERS[fmt.value](report)
    if to_file:
        write_output(output, text, protected)
        message(summary_line(findings, project.files_read) + "\n")
    else:
        write_stdout(text, exact=fmt is not ReportFormat.text)
    if fmt is ReportFormat.github:
        _append_step_summary(report, folder, protected)
    failing = any(f.is_error or strict for f in findings)
    raise typer.Exit(1 if failing else 0)


def _append_step_summary(report: Report, folder: str, protected: list[str]) -> None:
    """Append the run's Markdown summary to the file `$GITHUB_STEP_SUMMARY` names, if any.
    A summary that can't be written is a warning: it never fails the validation."""
    import os
    import stat

    from psc_roadmap.atomic import WriteError, check_target
    from psc_roadmap.output import message
    from psc_roadmap.reporters.summary import step_summary
    from psc_roadmap.text import terminal_safe

    name = os.environ.get("GITHUB_STEP_SUMMARY", "")
    if not name:
        return
    text = step_summary(report, folder)
    try:
        target = check_target(name, protected)
        # No link followed, no FIFO waited on: the file checked is the file appended to.
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace") as stream:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise WriteError(f"won't write {name}: it is not a regular file")
            stream.write(text)
    except (WriteError, OSError) as exc:
        reason = str(exc) if isinstance(exc, WriteError) else f"can't write {name}: {exc.strerror or exc}"
        message(f"warning: GITHUB_STEP_SUMMARY: {terminal_safe(reason)}; no summary written\n")
