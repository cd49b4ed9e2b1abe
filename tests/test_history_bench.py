"""bench/history.py makes valid repositories: both commits of the generated project
check clean and differ in one action in ten to twenty, and every commit of the Louvre one
changes one status. No timing here."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO, run_psc

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_history", REPO / "bench" / "history.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_repository(tmp_path: Path) -> None:
    repo = bench().big_repository(tmp_path, 400)
    code, out, err = run_psc("diff", "HEAD~1", "HEAD", "-d", str(repo / "data"), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["old"]["actions"] == data["new"]["actions"] == 400
    changed = data["actions"]["changed"]
    assert 20 <= len(changed) <= 50
    fields = {c["field"] for action in changed for c in action["changes"]}
    assert fields == {"status", "end", "owner"}
    assert data["slip"]["later"] > 0 and data["slip"]["earlier"] > 0


def test_the_louvre_repository(tmp_path: Path) -> None:
    repo = bench().louvre_repository(tmp_path, 6)
    code, out, err = run_psc("log", "-d", str(repo / "data"), "--format", "json")
    assert code == 0, err
    commits = json.loads(out)["commits"]
    assert len(commits) == 6 and all(c["errors"] == 0 for c in commits)
    for c in commits[1:]:
        assert [[x["field"] for x in a["changes"]] for a in c["actions"]["changed"]] == [["status"]]
