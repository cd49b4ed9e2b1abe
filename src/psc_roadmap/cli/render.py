"""`psc render`: the strategy document as Markdown or one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from psc_roadmap.cli import app
from psc_roadmap.cli.common import DataOption, examples, usage_error, write_stdout
from psc_roadmap.enums import DocumentFormat, Language

if TYPE_CHECKING:
    from psc_roadmap.history.compare import Comparison
    from psc_roadmap.project import Project

#: How many lines of the diff `--check` prints before cutting it short, and how long each may be.
DIFF_LINES = 40
DIFF_WIDTH = 200


@app.command(epilog=examples(
    "psc render -d data -o docs/annexe.html",
    "psc render -d data -o docs/annexe.md",
    "psc render -d data --check -o docs/annexe.md",
))
def render(
    data: DataOption = None,
    fmt: Annotated[
        DocumentFormat | None,
        typer.Option("--format", "-f", metavar="FORMAT", help="md or html (default: from the -o suffix, else md).",
                     show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.",
                     dir_okay=True, show_default=False),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option("--lang", metavar="LANG", help="fr or en: the language of the labels (default: "
                     "document.language).", show_default=False),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", metavar="DIR", help="Templates here override the built-in ones by name.",
                     show_default=False),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 with a diff if FILE (-o) is not up to date.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="REV", help="Add a chapter of what changed since this revision (or folder).",
                     show_default=False),
    ] = None,
) -> None:
    """Render the whole strategy document (cover, axes, roadmaps with timelines, governance, index)."""
    from psc_roadmap.atomic import check_target
    from psc_roadmap.cli.common import collector_paused, data_folder, load_checked, project_files, write_output
    from psc_roadmap.render import SUFFIXES, render

    if templates is not None and not templates.is_dir():
        usage_error(f"--templates: '{templates}' is not a folder of templates")
    to_file = output is not None and str(output) != "-"
    if check and not to_file:
        usage_error("--check needs -o FILE: the file to compare with the rendered document")
    protected = project_files(data_folder(data))
    if to_file and output is not None:
        check_target(output, protected)  # a refused target is said first, whatever its suffix
    if fmt is not None:
        chosen = fmt.value
    elif output is not None and to_file:
        suffix = output.suffix.lower()
        if suffix not in SUFFIXES:
            known = ", ".join(SUFFIXES)
            usage_error(f"-o {output}: psc can't tell the format from '{suffix or 'no suffix'}' "
                        f"(it knows {known}); name the file so, or give --format")
        chosen = SUFFIXES[suffix]
    else:
        chosen = "md"

    project = load_checked(data)
    with collector_paused():
        changes = None if since is None else _since(data, since, project)
        text = render(project, chosen, lang.value if lang else None, templates, changes)

    if check and output is not None:
        raise typer.Exit(_check(output, text))
    write_output(output, text, protected)


def _since(data: Path | None, revision: str, project: Project) -> Comparison:
    """What changed since `revision`; exit 1 when the project there has errors."""
    from psc_roadmap.cli.common import data_folder
    from psc_roadmap.history.compare import Comparison, diff_projects
    from psc_roadmap.history.sides import Sides, report_errors

    old = Sides(lambda: data_folder(data)).side(revision)
    if report_errors([old], "it must be valid to be compared"):
        raise typer.Exit(1)
    return Comparison(diff_projects(old.project, project), old.ref, old.date)


def _check(output: Path, text: str) -> int:
    """0 if FILE holds exactly `text`; else 1, with a short unified diff on stdout."""
    import difflib

    from psc_roadmap.atomic import read_target
    from psc_roadmap.files import MAX_FILE_BYTES
    from psc_roadmap.output import message
    from psc_roadmap.text import terminal_safe

    raw = read_target(output, MAX_FILE_BYTES)
    if raw is None:
        message(f"{output} does not exist: not up to date (run the same command without --check)\n")
        return 1
    try:
        current = raw.decode("utf-8")
    except UnicodeDecodeError:
        message(f"{output} is not UTF-8 text: not up to date\n")
        return 1
    if current == text:
        message(f"{output} is up to date\n")
        return 0
    diff = list(difflib.unified_diff(
        current.splitlines(keepends=True), text.splitlines(keepends=True),
        fromfile=f"{output} (on disk)", tofile=f"{output} (rendered)", n=2,
    ))
    lines = [_diff_line(terminal_safe(line.rstrip("\n"))) for line in diff[:DIFF_LINES]]
    if len(diff) > DIFF_LINES:
        lines.append(f"... ({len(diff) - DIFF_LINES} more diff lines)\n")
    write_stdout("".join(lines))
    message(f"{output} is not up to date: run the same command without --check to update it\n")
    return 1


def _diff_line(line: str) -> str:
    return (line if len(line) <= DIFF_WIDTH else line[: DIFF_WIDTH - 1] + "…") + "\n"
