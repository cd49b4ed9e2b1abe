"""The one path from a command to its streams: results to stdout, messages to stderr.

A result is written so that it never fails for the text it holds: machine formats as
UTF-8 bytes (what their readers expect, whatever the locale), text for people in the
stream's own encoding with what it can't encode escaped (`\\u2192`). What the
environment does to the stream (closed, full disk, broken pipe) is an `OutputError`:
one line, exit 1, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO

from psc_roadmap.errors import PscError


class OutputError(PscError):
    """Standard output can't be written (exit 1)."""

    exit_code = 1


def prepare() -> None:
    """Make both standard streams escape what their encoding can't show, instead of
    failing on it (a legacy console, `PYTHONIOENCODING=ascii`)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def stdout() -> IO[str]:
    """The standard output stream, or OutputError when the process has none (`>&-`)."""
    stream = sys.stdout
    if stream is None:
        raise OutputError("cannot write output: standard output is closed")
    return stream


def result(text: str, exact: bool = False, stream: IO[str] | None = None) -> None:
    """Write a command's result. `exact`: the bytes of `text` as UTF-8, with no newline
    translation (machine formats: JSON, CSV keeps its CRLF, documents)."""
    out = stream if stream is not None else stdout()
    try:
        buffer = getattr(out, "buffer", None) if exact else None
        if buffer is not None:
            out.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
            return
        _write_text(out, text)
    except (OSError, ValueError) as exc:
        _silence(out)
        raise OutputError(f"cannot write output: {_reason(exc)}") from None


def message(text: str) -> None:
    """Write a message for people on stderr; a stderr that can't be written is ignored
    (there is nowhere left to say so)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        _write_text(stream, text)
    except (OSError, ValueError):
        _silence(stream)


def _write_text(stream: IO[str], text: str) -> None:
    """Text in the stream's encoding, what it can't encode escaped (`\\u2192`), flushed."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
    stream.flush()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, BrokenPipeError):
        return "the reader closed the pipe"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return "standard output is closed"


def _silence(stream: IO[str]) -> None:
    """Point a failed stream's descriptor at /dev/null, so that Python's own flush at exit
    does not fail again with a traceback on what is still buffered."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(devnull, fd)
    except OSError:
        pass
    finally:
        os.close(devnull)
