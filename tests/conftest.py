"""Shared fixtures: a minimal valid project written file by file, and a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "tests" / "projects" / "demo"

AXES = """\
document:
  institution: Musée test
  title: Schéma directeur
axes:
  - id: AX1
    title: Collections
  - id: AX2
    title: Visiteurs
principles:
  - id: P1
    title: Usagers au centre
"""

GOVERNANCE = """\
bodies:
  - id: comite
    name: Comité du numérique
    kind: committee
  - id: hub
    name: Hub visiteurs
    kind: hub
    axes: [AX2]
    reports_to: comite
"""

ROADMAP = """\
roadmap:
  id: si
  title: Feuille de route des SI
  start: 2019
  horizon: 2021
  themes:
    - id: socles
      title: Socles techniques
actions:
  - id: SI-01
    title: Base collections
    axes: [AX1]
    principles: [P1]
    theme: socles
    start: 2019
    end: "2019-Q4"
    owner: DSI
  - id: SI-02
    title: Billetterie
    axes: AX2
    start: "2020-01"
    end: 2021
    status: in_progress
    body: hub
    depends_on: [SI-01]
"""

BASE = {"axes.yaml": AXES, "governance.yaml": GOVERNANCE, "si_roadmap.yaml": ROADMAP}

MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write the minimal valid project with some files replaced (text) or removed (None)."""

    def make(files: dict[str, str | bytes | None] | None = None, name: str = "data") -> Path:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        merged: dict[str, str | bytes | None] = {**BASE, **(files or {})}
        for file, content in merged.items():
            path = folder / file
            if content is None:
                if path.exists():
                    path.unlink()
                continue
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return make


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("PSC_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", os.environ.get("PSC_TEST_COLUMNS", "100"))


def run_psc(*args: str) -> tuple[int, str, str]:
    """Run psc in-process as the `psc` script would: exit code, stdout, stderr."""
    from typer.testing import CliRunner

    from psc_roadmap.cli import app

    # The app itself turns psc's errors into a message and an exit code; anything else
    # that escapes is a bug, raised here so that the test shows it.
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def apply_hint(text: str, line: int, column: int, message: str) -> str:
    """The text with a finding's hint applied literally at its position, as a user would:
    `add `X` here` inserts the line X there; `indent 'k' with N spaces` and `move it to
    column N` set the line's indentation; a line in backticks (`key: value`) replaces the
    line's content, its indentation (and list dash) kept; `did you mean 'X'`, `such as 'X'` and `write "X"`
    replace the word at the position."""
    import re

    lines = text.split("\n")
    current = lines[line - 1]
    indent = current[: len(current) - len(current.lstrip(" \t"))]
    content = current[len(indent):]
    if added := re.search(r"add `([^`]+)` here", message):
        lines.insert(line, " " * (column - 1) + added.group(1))
    elif spaces := re.search(r"indent .+ with (\d+) spaces", message):
        lines[line - 1] = " " * int(spaces.group(1)) + content
    elif moved := re.search(r"move it to column (\d+)$", message):
        lines[line - 1] = " " * (int(moved.group(1)) - 1) + content
    elif written := re.search(r"`([^`]+: [^`]*)`", message):
        code = written.group(1)
        dashes = "" if code.startswith("-") else re.match(r"(?:-[ \t]+)*", content).group()  # type: ignore[union-attr]
        lines[line - 1] = indent + dashes + code
    elif word := re.search(r"\(did you mean '([^']+)'\?\)|such as '([^']+)'$|write (\"[^\"]+\")", message):
        replacement = next(group for group in word.groups() if group)
        old = re.match(r"\"[^\"]*\"|'[^']*'|[^\s:,\]}#]+", current[column - 1:])
        assert old is not None, current
        lines[line - 1] = current[: column - 1] + replacement + current[column - 1 + old.end():]
    else:
        raise AssertionError(f"no literal fix in the hint: {message}")
    return "\n".join(lines)
