"""bench/gen_project.py writes the projects that bench/run.py measures: valid (psc finds
nothing), the same bytes for the same seed, and broken exactly where asked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, run_psc

GENERATOR = REPO / "bench" / "gen_project.py"


def generate(folder: Path, *args: str) -> Path:
    subprocess.run([sys.executable, str(GENERATOR), str(folder), *args], check=True)
    return folder


def diagnostics(folder: Path) -> tuple[int, list[dict[str, object]]]:
    code, out, _ = run_psc("validate", "-d", str(folder), "--format", "json")
    return code, json.loads(out)["diagnostics"]


def test_generated_project_is_valid(tmp_path: Path) -> None:
    project = generate(tmp_path / "p", "--actions", "300", "--roadmaps", "3")
    assert sorted(p.name for p in project.glob("*.yaml")) == [
        "axes.yaml", "governance.yaml", "r1_roadmap.yaml", "r2_roadmap.yaml", "r3_roadmap.yaml",
    ]
    code, found = diagnostics(project)
    assert (code, found) == (0, [])
    _, out, _ = run_psc("query", "-d", str(project), "--format", "ids")
    assert len(out.split()) == 300


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", "--actions", "50", "--seed", "7")
    again = generate(tmp_path / "b", "--actions", "50", "--seed", "7")
    other = generate(tmp_path / "c", "--actions", "50", "--seed", "8")
    names = sorted(p.name for p in first.iterdir())
    assert all((first / n).read_bytes() == (again / n).read_bytes() for n in names)
    assert (first / "r1_roadmap.yaml").read_bytes() != (other / "r1_roadmap.yaml").read_bytes()


def test_broken_actions_are_errors_of_three_rules(tmp_path: Path) -> None:
    project = generate(tmp_path / "p", "--actions", "200", "--broken", "6")
    code, found = diagnostics(project)
    assert code == 1
    rules = sorted(str(d["rule"]) for d in found)
    assert rules == ["dependency-cycle"] * 2 + ["period-order"] * 2 + ["unknown-reference"] * 2
