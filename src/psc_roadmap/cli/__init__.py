"""The `psc` Typer app: global options, the command modules, and the guard that turns
every failure into a message and an exit code (never a traceback).

Command modules import only Typer at load time; each command imports what it needs
when it runs, so that `psc --version` and completion stay instant."""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from typer._click import Context


def _report_failure(exc: Exception) -> int | None:
    """Say on stderr why a command failed and return its exit code: psc's own errors
    with their message, anything unexpected as one 'internal error' line (exit 3), never
    a traceback. None for Click's and Typer's own exceptions, which they handle."""
    from psc_roadmap.errors import PscError
    from psc_roadmap.output import message

    if isinstance(exc, PscError):
        message(f"error: {exc}\n")
        return exc.exit_code
    if isinstance(exc, BrokenPipeError):
        message("error: cannot write output: the reader closed the pipe\n")
        return 1
    if isinstance(exc, RecursionError):
        message("error: the input is nested too deeply to process\n")
        return 1
    if type(exc).__module__.startswith(("click", "typer")):
        return None
    message(
        f"internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in psc; please report it with the command and the data that caused it.\n"
    )
    return 3


#: Options of `psc` itself that may also be written after the command (`psc query --no-color`).
GLOBAL_FLAGS = frozenset({"--no-color", "--version", "-V"})


def global_flags_first(args: list[str]) -> list[str]:
    """The arguments with the global flags written after the command moved before it, so
    that `psc query --no-color` means `psc --no-color query` (up to a `--`)."""
    command = next((i for i, arg in enumerate(args) if not arg.startswith("-")), len(args))
    end = args.index("--", command) if "--" in args[command:] else len(args)
    moved = [arg for arg in args[command:end] if arg in GLOBAL_FLAGS]
    if not moved:
        return args
    rest = [arg for arg in args[command:end] if arg not in GLOBAL_FLAGS]
    return [*args[:command], *moved, *rest, *args[end:]]


class _GuardedGroup(TyperGroup):
    """Runs every command under `_report_failure`, so that the exit codes are the same
    whether psc runs as a script or in-process (Typer's CliRunner); takes the global flags
    after the command too."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, global_flags_first(list(args)))

    def invoke(self, ctx: Context) -> object:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            code = _report_failure(exc)
            if code is None:
                raise
            raise typer.Exit(code) from None


def _no_placeholder_on_flags() -> None:
    """Typer's rich help gives a flag the placeholder of its type (`--blank <bool>`), as if
    it took a value, which led users to write `--blank true`; a flag shows none (its plain
    help already does so)."""
    from typer.core import TyperOption

    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "psc_flags", False):
        return

    def display_type_rich(self: TyperOption, ctx: Context) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    display_type_rich.psc_flags = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_no_placeholder_on_flags()

app = typer.Typer(
    cls=_GuardedGroup,
    name="psc",
    help="Strategy as code: validate, query, render and edit a schéma directeur kept as YAML.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _package_version() -> str:
    from psc_roadmap import __version__

    return __version__


def _version(value: bool) -> None:
    if value:
        from psc_roadmap.output import result

        result(f"psc {_package_version()}\n")
        raise typer.Exit(0)


@app.callback()
def _global(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in any output (as NO_COLOR=1).")] = False,
) -> None:
    """psc: the schéma directeur des SI et du numérique as checked YAML."""
    if no_color:
        os.environ["NO_COLOR"] = "1"


# The command modules register themselves on `app`; this order is the order of `psc --help`.
for _module in ("validate", "query", "render", "authoring", "rules", "history", "lsp"):
    importlib.import_module(f"psc_roadmap.cli.{_module}")


def main() -> None:
    """Entry point of the `psc` script."""
    from psc_roadmap import output

    output.prepare()
    try:
        if sys.argv[1:] in (["--version"], ["-V"]):
            # Answered before Typer builds the whole command tree only to print one line.
            output.result(f"psc {_package_version()}\n")
            return
        app()
    except KeyboardInterrupt:
        output.message("interrupted\n")
        sys.exit(130)
    except Exception as exc:  # raised outside a command (while parsing options)
        code = _report_failure(exc)
        if code is None:
            raise
        sys.exit(code)
