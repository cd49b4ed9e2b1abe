"""`psc validate`: every check of FORMAT.md, reported as text, JSON or GitHub annotations."""

from __future__ import annotations

from typing import Annotated

import typer

from psc_roadmap.cli import app
from psc_roadmap.cli.common import DataOption, examples, usage_error, write_stdout
from psc_roadmap.enums import ReportFormat


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
                     help="text (default: one line per finding), json or github (annotations on a pull request)."),
    ] = ReportFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", metavar="RULE", help="Drop a rule's findings (repeatable).")
    ] = None,
) -> None:
    """Check every file of the project; exit 1 on errors (or warnings with --strict)."""
    from psc_roadmap.cli.common import check_folder
    from psc_roadmap.reporters import REPORTERS
    from psc_roadmap.rules import RULES
    from psc_roadmap.suggest import did_you_mean

    ignored = set(ignore or [])
    for rule in sorted(ignored):
        if rule not in RULES:
            usage_error(f"--ignore: unknown rule '{rule}'{did_you_mean(rule, RULES, listed=30)}")
    project, findings = check_folder(data)
    findings = [f for f in findings if f.rule not in ignored]
    write_stdout(REPORTERS[fmt.value](findings, project.files_read), exact=fmt is not ReportFormat.text)
    failing = any(f.is_error or strict for f in findings)
    raise typer.Exit(1 if failing else 0)
