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


class _GuardedGroup(TyperGroup):
    """Turns our errors into a message and an exit code, and any other failure into an
    'internal error' line (exit 3), so that no input ever ends in a traceback."""

    def invoke(self, ctx: Context) -> object:
        from psc_roadmap.errors import PscError

        try:
            return super().invoke(ctx)
        except PscError as exc:
            sys.stderr.write(f"error: {exc}\n")
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except RecursionError:
            sys.stderr.write("error: the input is nested too deeply to process\n")
            raise typer.Exit(1) from None
        except Exception as exc:
            if type(exc).__module__.startswith(("click", "typer")):
                raise
            sys.stderr.write(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in psc; please report it with the command and the data that caused it.\n"
            )
            raise typer.Exit(3) from None


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
        sys.stdout.write(f"psc {_package_version()}\n")
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
for _module in ("validate", "query", "render", "authoring"):
    importlib.import_module(f"psc_roadmap.cli.{_module}")


def main() -> None:
    """Entry point of the `psc` script."""
    from psc_roadmap.errors import PscError

    if sys.argv[1:] in (["--version"], ["-V"]):
        # Answered before Typer builds the whole command tree only to print one line.
        sys.stdout.write(f"psc {_package_version()}\n")
        return
    try:
        app()
    except PscError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except RecursionError:
        sys.stderr.write("error: input nested too deeply to process\n")
        sys.exit(1)
    except Exception as exc:
        sys.stderr.write(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in psc; please report it with the command and data that caused it.\n"
        )
        sys.exit(3)
