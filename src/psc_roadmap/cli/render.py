"""`psc render`: the strategy document as Markdown or one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from psc_roadmap.cli import app
from psc_roadmap.cli.common import DataOption, usage_error, write_stdout
from psc_roadmap.enums import DocumentFormat, Language

#: How many lines of the diff `--check` prints before cutting it short.
DIFF_LINES = 40


@app.command()
def render(
    data: DataOption = None,
    fmt: Annotated[
        DocumentFormat | None,
        typer.Option("--format", "-f", help="md or html (default: from the -o suffix, else md).",
                     show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.",
                     dir_okay=True, show_default=False),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option("--lang", help="Language of the labels (default: document.language).", show_default=False),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", metavar="DIR", help="Templates here override the built-in ones by name.",
                     show_default=False),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 with a diff if FILE (-o) is not up to date.")
    ] = False,
) -> None:
    """Render the whole strategy document (cover, axes, roadmaps with timelines, governance, index)."""
    from psc_roadmap.cli.common import collector_paused, load_checked
    from psc_roadmap.render import SUFFIXES, render

    if check and output is None:
        usage_error("--check needs -o FILE: the file to compare with the rendered document")
    if templates is not None and not templates.is_dir():
        usage_error(f"--templates: '{templates}' is not a folder of templates")
    if fmt is not None:
        chosen = fmt.value
    elif output is not None:
        chosen = SUFFIXES.get(output.suffix.lower(), "md")
    else:
        chosen = "md"

    project = load_checked(data)
    with collector_paused():
        text = render(project, chosen, lang.value if lang else None, templates)

    if output is None:
        write_stdout(text, exact=True)
        return
    if check:
        raise typer.Exit(_check(output, text))
    from psc_roadmap.atomic import write_atomic

    write_atomic(output, text)


def _check(output: Path, text: str) -> int:
    """0 if FILE holds exactly `text`; else 1, with a short unified diff on stdout."""
    import difflib

    from psc_roadmap.output import message

    try:
        current = output.read_bytes().decode("utf-8")
    except FileNotFoundError:
        message(f"{output} does not exist: not up to date (run the same command without --check)\n")
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        message(f"{output} can't be read ({exc}): not up to date\n")
        return 1
    if current == text:
        message(f"{output} is up to date\n")
        return 0
    diff = list(difflib.unified_diff(
        current.splitlines(keepends=True), text.splitlines(keepends=True),
        fromfile=f"{output} (on disk)", tofile=f"{output} (rendered)", n=2,
    ))
    shown = diff[:DIFF_LINES]
    lines = [line if line.endswith("\n") else line + "\n" for line in shown]
    if len(diff) > DIFF_LINES:
        lines.append(f"... ({len(diff) - DIFF_LINES} more diff lines)\n")
    write_stdout("".join(lines))
    message(f"{output} is not up to date: run the same command without --check to update it\n")
    return 1
