"""The rendered documents checked by the real tools: the W3C Nu HTML Checker, axe-core in
headless Chromium (no serious or critical violation, no network request), markdownlint,
and mermaid's own parser for every mermaid block.

The tools come from `cd tools/browser && npm install` (vnu-jar, axe-core, playwright-core,
markdownlint-cli2, mermaid), Debian's `chromium` and a Java runtime. A missing tool skips
its test with the reason, unless PSC_REQUIRE_TOOLS=1 (CI), where it fails instead.
One Chromium launch serves every browser check of this module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import tests.conftest
from psc_roadmap.load import load_project
from psc_roadmap.render import render
from tests.conftest import REPO

TOOLS = REPO / "tools" / "browser"
MODULES = TOOLS / "node_modules"
VNU = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHECKS = REPO / "tests" / "browser" / "checks.cjs"
MARKDOWNLINT = MODULES / "markdownlint-cli2" / "markdownlint-cli2-bin.mjs"
MARKDOWNLINT_CONFIG = REPO / "tests" / "browser" / ".markdownlint.jsonc"
CHROMIUM = Path(os.environ.get("PSC_CHROMIUM", "/usr/bin/chromium"))
PROJECTS = {"data": REPO / "data", "hostile": REPO / "tests" / "projects" / "render",
            "print-en": REPO / "tests" / "projects" / "print-en"}
#: The narrow screens where every table of actions must still give its titles room.
NARROW = (800, 390)
INSTALL = "install with `apt-get install chromium openjdk-17-jre-headless` and `cd tools/browser && npm install`"


def need(condition: bool, what: str) -> None:
    tests.conftest.need(condition, what, INSTALL)


def node() -> str:
    found = shutil.which("node")
    need(found is not None, "node")
    assert found is not None
    return found


@dataclass
class Documents:
    folder: Path
    html: dict[str, Path]
    md: dict[str, Path]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Documents:
    folder = tmp_path_factory.mktemp("rendered")
    docs = Documents(folder, {}, {})
    for name, data in PROJECTS.items():
        project, findings = load_project(data)
        assert not [f for f in findings if f.is_error]
        for fmt, paths in (("html", docs.html), ("md", docs.md)):
            path = folder / f"{name}.{fmt}"
            path.write_text(render(project, fmt), encoding="utf-8")
            paths[name] = path
    return docs


def mermaid_blocks(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", text, re.S | re.M)
    return [(f"{path.name}#{i + 1}", code) for i, code in enumerate(blocks)]


@pytest.fixture(scope="module")
def browser(documents: Documents) -> Iterator[dict[str, Any]]:
    """One Chromium run: axe and a screenshot per HTML file (desktop, and the data on a
    phone), axe again and the width of every title cell at 800 and 390 px, then every
    mermaid block through mermaid.parse."""
    node_path = node()
    need(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    for module in ("playwright-core", "axe-core", "mermaid"):
        need((MODULES / module).is_dir(), f"the npm package {module}")
    jobs: list[dict[str, Any]] = []
    for name, path in documents.html.items():
        jobs.append({"path": str(path), "screenshot": str(documents.folder / f"{name}.png"),
                     "clip": {"height": 2400}})
    jobs.append({"path": str(documents.html["data"]), "screenshot": str(documents.folder / "data-phone.png"),
                 "viewport": {"width": 390, "height": 844}, "clip": {"height": 1800}})
    for name in ("data", "print-en"):
        for width in NARROW:
            jobs.append({"path": str(documents.html[name]), "screenshot": None, "measure": "td.cell-title",
                         "viewport": {"width": width, "height": 900}, "width": width})
    blocks = [block for path in documents.md.values() for block in mermaid_blocks(path)]
    job = {
        "chromium": str(CHROMIUM),
        "html": jobs,
        "mermaid": [{"name": name, "code": code} for name, code in blocks],
    }
    done = subprocess.run(
        [node_path, str(CHECKS)], input=json.dumps(job), capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"browser checks failed to run:\n{done.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(done.stdout)
    result["expected_blocks"] = len(blocks)
    result["jobs"] = jobs
    yield result


def test_nu_html_checker(documents: Documents) -> None:
    java = shutil.which("java")
    need(java is not None, "java")
    need(VNU.is_file(), "vnu.jar (npm package vnu-jar)")
    assert java is not None
    files = [str(p) for p in documents.html.values()]
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", *files], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stdout + done.stderr


def test_axe_finds_no_serious_violation(browser: dict[str, Any]) -> None:
    assert len(browser["html"]) == len(browser["jobs"])
    for page in browser["html"]:
        bad = [v for v in page["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, f"{page['path']}: {json.dumps(bad, indent=1)}"


def test_no_title_cell_is_crushed_on_a_narrow_screen(browser: dict[str, Any]) -> None:
    """At 800 and 390 px, every table cell that holds an action's title (programme, index,
    endings) is at least 30 % as wide as its table: the boxes as Chromium lays them out."""
    measured = [(job, page) for job, page in zip(browser["jobs"], browser["html"], strict=True) if job.get("measure")]
    assert len(measured) == 2 * len(NARROW)
    for job, page in measured:
        assert len(page["cells"]) > 30, (job, len(page["cells"]))
        narrowest = page["cells"][0]
        assert narrowest["ratio"] >= 0.3, f"{job['path']} at {job['width']} px: {narrowest}"


def test_pages_make_no_request_and_run_nothing(browser: dict[str, Any]) -> None:
    for page in browser["html"]:
        assert page["requests"] == [], page
        assert page["errors"] == [], page


def test_screenshots_are_taken(browser: dict[str, Any]) -> None:
    for job in browser["jobs"]:
        if not job["screenshot"]:
            continue
        shot = Path(job["screenshot"])
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot
        assert shot.stat().st_size > 10_000, shot


def test_mermaid_parses_every_block(browser: dict[str, Any]) -> None:
    assert browser["expected_blocks"] >= 6  # two timelines and a governance chart per document
    assert len(browser["mermaid"]) == browser["expected_blocks"]
    failed = [block for block in browser["mermaid"] if not block["ok"]]
    assert not failed, json.dumps(failed, indent=1)


def test_markdownlint(documents: Documents) -> None:
    node_path = node()
    need(MARKDOWNLINT.is_file(), "the npm package markdownlint-cli2")
    files = [str(p) for p in documents.md.values()]
    done = subprocess.run(
        [node_path, str(MARKDOWNLINT), "--config", str(MARKDOWNLINT_CONFIG), *files],
        capture_output=True, text=True, cwd=documents.folder, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Linting: {len(files)} file" in done.stdout + done.stderr
