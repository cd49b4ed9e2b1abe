"""Options and steps shared by the commands: the data folder, loading a checked project,
usage errors and atomic output."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from psc_roadmap.errors import Finding
    from psc_roadmap.project import Project

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data", "-d",
        metavar="DIR",
        help="The project folder (default: $PSC_DATA, else the current folder if it holds axes.yaml, "
        "else ./data).",
        show_default=False,
        file_okay=True,
        dir_okay=True,
    ),
]


def examples(*lines: str) -> str:
    """The end of a command's help: a few real command lines (those of the README and
    docs/cli.md, which tests/test_docs.py runs)."""
    return "Examples:\n\n" + "\n".join(lines)


def usage_error(message: str) -> NoReturn:
    """A usage error: message on stderr, exit 2."""
    from psc_roadmap.errors import UsageError

    raise UsageError(message)


def data_folder(data: Path | None) -> str:
    """The folder to read, as the user wrote it: `-d`, else $PSC_DATA, else the current
    folder when it holds axes.yaml, else `data`; a usage error (exit 2) if it is not a folder."""
    from psc_roadmap.files import AXES_FILE

    if data is not None:
        folder, source = os.fspath(data), "--data"
    elif os.environ.get("PSC_DATA"):
        folder, source = os.environ["PSC_DATA"], "PSC_DATA"
    elif Path(AXES_FILE).exists():
        return "."
    else:
        folder, source = "data", ""
    path = Path(folder)
    if not path.exists():
        if not source:
            usage_error(
                f"no project here: this folder has no {AXES_FILE} and no 'data' folder; run psc in a project "
                "folder, point -d/--data at one, or create one with `psc init data` (or `psc init --blank data`)"
            )
        usage_error(
            f"data folder '{folder}' ({source}) does not exist; create a project with "
            f"`psc init {folder}` (or `psc init --blank {folder}`), or point -d/--data at one"
        )
    if not path.is_dir():
        usage_error(f"data folder '{folder}' ({source or 'the default'}) is not a folder; pass a project folder "
                    "to -d/--data")
    return folder


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a command builds or walks a project.

    Loading allocates millions of objects and makes no reference cycle worth
    collecting; each full collection would walk everything loaded so far (about half
    of the time of `validate` on 10,000 actions, and not linear). Afterwards what was
    loaded is frozen, so the collections that later passes trigger skip it."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def check_folder(data: Path | None) -> tuple[Project, list[Finding]]:
    """The project of the data folder and all its findings, sorted."""
    from psc_roadmap.checks import validate_folder

    folder = data_folder(data)
    with collector_paused():
        return validate_folder(folder)


def load_checked(data: Path | None) -> Project:
    """The project, or exit 1 with its errors on stderr (warnings never block)."""
    from psc_roadmap.output import message
    from psc_roadmap.reporters import print_findings
    from psc_roadmap.text import plural

    project, findings = check_folder(data)
    errors = [f for f in findings if f.is_error]
    if errors:
        print_findings(errors)
        message(
            f"error: the project has {plural(len(errors), 'error')}; "
            "fix them first (`psc validate` lists every finding)\n"
        )
        raise typer.Exit(1)
    return project


def write_output(output: Path | None, text: str, protected: Iterable[str] = ()) -> None:
    """A command's result into FILE (atomically, with `atomic.check_target`'s refusals and
    never over a `protected` file), or on stdout when FILE is None or `-`."""
    if output is None or str(output) == "-":
        write_stdout(text, exact=True)
        return
    from psc_roadmap.atomic import write_atomic

    write_atomic(output, text, protected)


def project_files(folder: str) -> list[str]:
    """The data files of a project folder, as paths, for outputs that must not replace them."""
    from psc_roadmap.files import discover

    files = discover(folder)
    return [files.shown(name) for name in files.names]


def write_stdout(text: str, exact: bool = False) -> None:
    """A command's result on stdout (see `psc_roadmap.output.result`)."""
    from psc_roadmap.output import result

    result(text, exact)
