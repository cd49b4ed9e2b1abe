"""A project's files: discovery and safe reading, the same for every command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from psc_roadmap.files import discover, is_roadmap_name
from tests.conftest import MakeProject, run_psc

BROKEN = {
    "broken symbolic link": "broken symbolic link; point it at a file or remove it",
    "Latin-1 text": "not UTF-8: byte 0xe9 at line 1, column 21 (Latin-1 or Windows-1252?); save the file as UTF-8",
    "folder": "not a regular file (a folder?); data files must be files",
}


def _break(folder: Path, how: str) -> Path:
    target = folder / "x_roadmap.yaml"
    if how == "broken symbolic link":
        os.symlink(folder / "nowhere.yaml", target)
    elif how == "Latin-1 text":
        target.write_bytes("roadmap: {title: Numérique}\n".encode("latin-1"))
    else:
        target.mkdir()
    return target


@pytest.mark.parametrize("how", list(BROKEN))
def test_one_broken_file_gets_one_message_from_validate_fmt_and_set(make_project: MakeProject, how: str) -> None:
    folder = make_project()
    _break(folder, how)
    line = f"{folder}/x_roadmap.yaml:1:1: error file-error: {BROKEN[how]}"

    code, out, _ = run_psc("validate", "-d", str(folder))
    assert code == 1
    assert line in out.splitlines()

    code, _, err = run_psc("fmt", "-d", str(folder), "--check")
    assert code == 1
    assert f"{line} (the file was not formatted)" in err.splitlines()

    code, _, err = run_psc("set", "-d", str(folder), "SI-01", "owner", "DSI Louvre")
    assert code == 0, err  # the broken file was broken before: it does not block the edit
    assert line in err.splitlines()


@pytest.mark.parametrize(("name", "roadmap"), [
    ("si_roadmap.yaml", True),
    ("x_roadmap.yaml", True),
    ("_roadmap.yaml", False),
    ("roadmap.yaml", False),
    ("si_roadmap.yml", False),
    ("si_roadmap.yaml.bak", False),
])
def test_roadmap_file_names(name: str, roadmap: bool) -> None:
    assert is_roadmap_name(name) is roadmap


def test_a_file_named_only_roadmap_suffix_is_not_a_roadmap(make_project: MakeProject) -> None:
    folder = make_project({"_roadmap.yaml": "not: [a roadmap\n"})
    assert discover(str(folder)).roadmaps == ("si_roadmap.yaml",)
    code, out, _ = run_psc("validate", "-d", str(folder))
    assert code == 0, out
    assert "_roadmap.yaml" not in out


def test_reading_order_is_axes_governance_then_roadmaps_by_name(make_project: MakeProject) -> None:
    folder = make_project({"a_roadmap.yaml": "x", "z_roadmap.yaml": "y", "notes.txt": "z"})
    assert discover(str(folder)).names == [
        "axes.yaml", "governance.yaml", "a_roadmap.yaml", "si_roadmap.yaml", "z_roadmap.yaml",
    ]
