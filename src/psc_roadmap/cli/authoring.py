"""`psc init`, `psc schema`, `psc fmt`, `psc set` and `psc add`: creating and editing a project.

Only Typer and the standard library are imported here at load time; each command imports
the editing machinery when it runs, so that `psc --version` and completion stay instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from psc_roadmap.cli import app
from psc_roadmap.cli.common import DataOption, examples, usage_error, write_output, write_stdout
from psc_roadmap.enums import FileKind
from psc_roadmap.output import message

if TYPE_CHECKING:
    from psc_roadmap.edit import EditOutcome
    from psc_roadmap.errors import Finding


#: Words that read as a flag's value: `psc init --blank true` means a blank project, not one in `true/`.
_FLAG_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "1", "0"})


@app.command(epilog=examples(
    "psc init demo",
    "psc init --blank myproject",
))
def init(
    directory: Annotated[
        str, typer.Argument(metavar="DIR", help="Folder to create the project in.", show_default=True)
    ] = "data",
    blank: Annotated[
        bool, typer.Option("--blank", help="A minimal skeleton instead of the Louvre example.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the files init writes (no other file).")
    ] = False,
) -> None:
    """Create a roadmap project: the bundled Louvre example, or a blank skeleton."""
    from psc_roadmap.init import init_project

    if directory.lower() in _FLAG_VALUES and (blank or force) and not Path(directory).exists():
        usage_error(
            f"'{directory}' looks like a value for --blank or --force, which take none: write "
            f"`psc init --blank DIR`; to create a project in a folder named '{directory}', write "
            f"`psc init ./{directory}`"
        )
    written = init_project(Path(directory), blank=blank, force=force)
    for path in written:
        write_stdout(f"created {path}\n")
    message(f"next: psc validate -d {directory}\n")


@app.command(epilog=examples(
    "psc schema roadmap",
    "psc schema roadmap -o schemas/roadmap.schema.json",
))
def schema(
    kind: Annotated[FileKind, typer.Argument(help="The file kind.", case_sensitive=False)],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically); - is stdout."),
    ] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of one data file kind."""
    from psc_roadmap.schema import schema_text

    write_output(output, schema_text(kind.value))


@app.command(epilog=examples(
    "psc fmt -d demo --check",
    "psc fmt -d demo",
))
def fmt(
    data: DataOption = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; list the files that would change.")
    ] = False,
) -> None:
    """Rewrite every data file in one canonical layout (the data never changes)."""
    from psc_roadmap.cli.common import data_folder
    from psc_roadmap.edit import format_folder
    from psc_roadmap.text import plural

    report = format_folder(data_folder(data), check=check)
    for shown, line, column, reason in report.skipped:
        message(f"{shown}:{line}:{column}: error {reason} (the file was not formatted)\n")
    if check or report.written:
        for shown in report.changed:
            write_stdout(f"{shown}\n" if check else f"formatted {shown}\n")
    unchanged = f"{len(report.unchanged)} already formatted"
    if check:
        message(f"{plural(len(report.changed), 'file')} would be reformatted, {unchanged}\n")
    elif report.written or not report.skipped:
        message(f"{plural(len(report.changed), 'file')} reformatted, {unchanged}\n")
    else:
        message(f"error: nothing was written: {plural(len(report.skipped), 'file')} can't be formatted "
                f"(above), and psc fmt changes every file or none\n")
    failed = bool(report.skipped) or (check and bool(report.changed))
    raise typer.Exit(1 if failed else 0)


@app.command("set", epilog=examples(
    "psc set -d demo SI-17 status done",
    "psc set -d demo SI-03 axes AX1,AX2",
))
def set_command(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action's id.")],
    field: Annotated[str, typer.Argument(metavar="FIELD", help="The field to change.")],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="The new value; lists as comma-separated ids; empty removes the field.",
        ),
    ],
    data: DataOption = None,
) -> None:
    """Change one field of one action in place, e.g. `psc set SI-03 status done`."""
    from psc_roadmap.cli.common import data_folder
    from psc_roadmap.edit import check_settable, set_field

    check_settable(field)
    outcome = set_field(data_folder(data), action_id, field, value)
    if outcome.unchanged:
        message(f"{outcome.file}:{outcome.line}: {action_id}: {field} unchanged\n")
        raise typer.Exit(0)
    _report(outcome, f"{outcome.file}:{outcome.line}: {action_id} {outcome.summary}\n")


@app.command(epilog=examples(
    'psc add -d demo --roadmap si --title "Nouveau SIRH" --axis AX3 --start 2021 --end 2021 --owner DRH',
    "psc add -d demo --roadmap si --title Audioguide --axis AX2 --start 2021-Q3 --end 2021 --owner DAPS",
))
def add(
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="Title of the action.")],
    axis: Annotated[list[str], typer.Option("--axis", metavar="ID", help="An axis it serves (repeatable).")],
    start: Annotated[str, typer.Option("--start", metavar="P", help="Start: 2024, 2024-Q3 or 2024-09.")],
    end: Annotated[str, typer.Option("--end", metavar="P", help="End: a year, quarter or month.")],
    roadmap: Annotated[
        str | None, typer.Option("--roadmap", metavar="ID", help="The roadmap (if the project has several).")
    ] = None,
    status: Annotated[str | None, typer.Option("--status", metavar="S", help="Status (default planned).")] = None,
    feasibility: Annotated[
        str | None, typer.Option("--feasibility", metavar="F", help="surely, probably or potentially.")
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", metavar="TEXT", help="Who owns it.")] = None,
    body: Annotated[str | None, typer.Option("--body", metavar="ID", help="Governance body that steers it.")] = None,
    theme: Annotated[str | None, typer.Option("--theme", metavar="ID", help="A theme of the roadmap.")] = None,
    principle: Annotated[
        list[str] | None, typer.Option("--principle", metavar="ID", help="A principle it applies (repeatable).")
    ] = None,
    depends_on: Annotated[
        list[str] | None, typer.Option("--depends-on", metavar="ID", help="An action it waits for (repeatable).")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", metavar="TEXT", help="A tag (repeatable).")] = None,
    description: Annotated[str | None, typer.Option("--description", metavar="TEXT", help="Longer text.")] = None,
    new_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help="The new id (default: next in the roadmap's pattern).")
    ] = None,
    data: DataOption = None,
) -> None:
    """Append a new action to a roadmap and print its id."""
    from psc_roadmap.cli.common import data_folder
    from psc_roadmap.edit import add_action

    values = {
        "title": title,
        "axes": axis,
        "principles": principle,
        "theme": theme,
        "start": start,
        "end": end,
        "status": status or "planned",
        "feasibility": feasibility,
        "owner": owner,
        "body": body,
        "depends_on": depends_on,
        "description": description,
        "tags": tag,
    }
    outcome = add_action(data_folder(data), values, roadmap_id=roadmap, action_id=new_id)
    _report(outcome, f"{outcome.action_id}\n", f"{outcome.file}:{outcome.line}: added {outcome.action_id}\n")


def _report(outcome: EditOutcome, result: str, note: str = "") -> None:
    """Print what an edit did, or why it was refused, and exit with the contract's code."""
    from psc_roadmap.edit.adding import AddOutcome
    from psc_roadmap.reporters import print_findings
    from psc_roadmap.text import plural

    verdict = outcome.verdict
    if not outcome.written:
        print_findings(verdict.new_errors)
        n = len(verdict.new_errors)
        message(
            f"error: {outcome.action_id}: not written: the change brings {plural(n, 'new error')} "
            f"(above); {outcome.file} is unchanged\n"
        )
        if isinstance(outcome, AddOutcome):
            message(outcome.refusal_note())
        if verdict.old_errors:
            message(f"note: {_count(verdict.old_errors)} already in the project before this change:\n")
            print_findings(verdict.old_errors)
        raise typer.Exit(1)
    write_stdout(result)
    if note:
        message(note)
    if verdict.new_warnings:
        print_findings(verdict.new_warnings)
    if verdict.old_errors:
        message(
            f"note: written, but the project still has {_count(verdict.old_errors)} "
            "that were there before this change:\n"
        )
        print_findings(verdict.old_errors)


def _count(findings: list[Finding]) -> str:
    from psc_roadmap.text import plural

    return plural(len(findings), "error")
