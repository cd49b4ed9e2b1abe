"""The one output path: results reach stdout whatever its encoding, and a closed, full or
broken stdout is one `error:` line and exit 1, never a traceback or an internal error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def psc(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """The installed command, as a real process (its streams are real file descriptors)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "psc_roadmap", *args], env=full_env, capture_output="stdout" not in kwargs,
        timeout=120, check=False, **kwargs,
    )


COMMANDS = [
    ["validate", "-d", str(DATA)],
    ["render", "-d", str(DATA)],
    ["show", "-d", str(DATA), "SI-01"],
    ["summary", "-d", str(DATA), "--as-of", "2021-01"],
    ["query", "-d", str(DATA)],
    ["query", "-d", str(DATA), "--format", "timeline"],
]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[3:]))
def test_a_stream_that_cannot_encode_french_text(encoding: str, args: list[str]) -> None:
    done = psc(*args, env={"PYTHONIOENCODING": encoding})
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"internal error" not in done.stderr and b"Traceback" not in done.stderr
    assert done.stdout  # the result is there, escaped where the encoding can't show it


def test_people_text_is_escaped_machine_output_stays_utf8() -> None:
    shown = psc("show", "-d", str(DATA), "SI-01", env={"PYTHONIOENCODING": "ascii"})
    assert b"\\u2192" in shown.stdout or b"->" in shown.stdout  # the arrow of the period
    machine = psc("query", "-d", str(DATA), "--format", "json", env={"PYTHONIOENCODING": "ascii"})
    assert "Musée".encode() in machine.stdout or "é".encode() in machine.stdout


@pytest.mark.parametrize("args", [["--version"], ["query", "-d", str(DATA)], ["validate", "-d", str(DATA)]])
def test_closed_stdout_is_one_error_line(args: list[str]) -> None:
    done = psc(*args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, close_fds=True,
               preexec_fn=lambda: os.close(1))
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert err == "error: cannot write output: standard output is closed\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["render", "-d", str(DATA)], ["--version"], ["query", "-d", str(DATA)]])
def test_full_disk_is_one_error_line(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = psc(*args, stdout=full, stderr=subprocess.PIPE)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert err == "error: cannot write output: No space left on device\n"


class _Failing:
    """A stream whose every write fails as the environment makes it fail."""

    encoding = "utf-8"

    def __init__(self, error: OSError) -> None:
        self.error = error

    def write(self, text: str) -> int:
        raise self.error

    def flush(self) -> None:
        raise self.error


@pytest.mark.parametrize(("error", "reason"), [
    (BrokenPipeError(32, "Broken pipe"), "the reader closed the pipe"),
    (OSError(28, "No space left on device"), "No space left on device"),
])
def test_a_failing_stream_is_an_output_error(error: OSError, reason: str) -> None:
    from psc_roadmap.output import OutputError, result

    with pytest.raises(OutputError) as caught:
        result("x\n", stream=_Failing(error))  # type: ignore[arg-type]
    assert str(caught.value) == f"cannot write output: {reason}"
    assert caught.value.exit_code == 1


def test_a_broken_pipe_anywhere_in_a_command_is_one_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import run_psc

    def broken(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("psc_roadmap.cli.validate.write_stdout", broken)
    code, _, err = run_psc("validate", "-d", str(DATA))
    assert code == 1
    assert err == "error: cannot write output: the reader closed the pipe\n"
