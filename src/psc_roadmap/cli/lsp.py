"""`psc lsp`: the language server for editors, over stdin and stdout (the `lsp` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from psc_roadmap.cli import app
from psc_roadmap.cli.common import examples, usage_error


@app.command(epilog=examples(
    "psc lsp --stdio",
    "psc lsp --log /tmp/psc-lsp.log",
))
def lsp(
    stdio: Annotated[
        bool, typer.Option("--stdio", help="Speak over stdin and stdout (the default; clients may pass it).")
    ] = False,
    log: Annotated[
        Path | None,
        typer.Option("--log", metavar="FILE", help="Append the server's log to FILE (else warnings on stderr).",
                     dir_okay=False, show_default=False),
    ] = None,
) -> None:
    """Serve the Language Server Protocol to an editor: live findings, definition, references, rename."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        usage_error("`psc lsp` needs the language server's dependencies: pip install 'psc-roadmap[lsp]'")
    from psc_roadmap.lsp.server import serve

    serve(log)
