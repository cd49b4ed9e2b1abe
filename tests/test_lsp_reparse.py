"""The language server's partial parse reads an edited roadmap exactly as the loader
reads the whole new text: the same data, the same marks, the same findings, or it
declines. Random edits (hypothesis) of the Louvre roadmaps and of a generated one, one
after another, each read from the previous partial reading."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from psc_roadmap.load import load_file
from psc_roadmap.loader import LoadedFile, PosDict, PosList
from psc_roadmap.lsp.parsing import ParseCache
from psc_roadmap.lsp.positions import TextLines
from psc_roadmap.lsp.reparse import common_ends, reparse, shifted
from tests.conftest import REPO

SNIPPETS = [
    "\n", "  - id: NEW-1\n    title: Nouvelle\n    axes: [AX1]\n    start: 2019\n    end: 2020\n",
    "    owner: DSI\n", "    status: doen\n", "    title: Autre\n", "# note\n", "  # note\n", ":", "[", "]",
    "AX1", "AX9", " ", '"', "'", "-", "- ", "status: done", "&a", "*a", "\t", "\r\n", "x", "é🎨", "  ", "    ",
    "title", "{", "}", ",", "\\", "!tag ", "? ", "---\n", "roadmap:\n", "actions:\n", "\x1b", "\u202e",
]


def same(a: Any, b: Any, where: str = "") -> None:
    assert type(a) is type(b), f"{where}: {type(a)} != {type(b)}"
    if isinstance(a, PosDict):
        assert list(a) == list(b), where
        assert a.mark == b.mark and a.key_marks == b.key_marks and a.value_marks == b.value_marks, where
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, PosList):
        assert len(a) == len(b) and a.mark == b.mark and a.item_marks == b.item_marks, where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{index}]")
    else:
        assert a == b and str(a) == str(b), where


def equal(mine: LoadedFile, full: LoadedFile) -> None:
    same(mine.data, full.data, "data")
    assert mine.findings == full.findings
    assert (mine.name, mine.read) == (full.name, full.read)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("gen") / "p"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_project.py"), str(folder), "--actions", "60"],
                   check=True)
    return (folder / "r1_roadmap.yaml").read_text(encoding="utf-8")


edit = st.tuples(st.floats(0, 1), st.integers(0, 40), st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=6)))


def run_edits(text: str, edits: list[tuple[float, int, str]]) -> int:
    """Apply the edits (where: a fraction of the text, or an offset; how many characters
    replaced; by what) one after another, each read through the server's cache as the
    server reads it: each reading must equal the loader's of the whole new text, and its
    line index the index of the new text. How many were read partially."""
    cache = ParseCache()
    cache.reading("data", "si_roadmap.yaml", text, "utf-16")
    for where, length, insert in edits:
        at = where if isinstance(where, int) else int(where * len(text))
        text = text[:at] + insert + text[at + length:]
        reading = cache.reading("data", "si_roadmap.yaml", text, "utf-16")
        equal(reading.loaded, load_file("data", "si_roadmap.yaml", text))
        fresh = TextLines(text)
        assert reading.lines.line_count == fresh.line_count
        assert all(reading.lines.start_of(n) == fresh.start_of(n) for n in range(fresh.line_count))
    return cache.partial


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["si_roadmap.yaml", "numerique_roadmap.yaml"]), st.lists(edit, min_size=1, max_size=8))
def test_partial_reading_of_the_louvre_roadmaps(name: str, edits: list[tuple[float, int, str]]) -> None:
    run_edits((REPO / "data" / name).read_text(encoding="utf-8"), edits)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(edits=st.lists(edit, min_size=1, max_size=8))
def test_partial_reading_of_a_generated_roadmap(generated: str, edits: list[tuple[float, int, str]]) -> None:
    run_edits(generated, edits)


def test_typing_inside_actions_is_read_partially() -> None:
    text = (REPO / "data" / "si_roadmap.yaml").read_text(encoding="utf-8")
    at = text.index("status: done") + len("status: ")
    after = text.index("\n", at) + 1
    new_action = "  - id: NEW\n    title: T\n    axes: AX1\n"
    steps: list[tuple[float, int, str]] = [
        (at, 4, "doen"), (after, 0, "    feasibility: probably\n"),
        (text.index("  - id: SI-05") + 26, 0, new_action), (at, 4, "done")]
    assert run_edits(text, steps) == 4


def test_shifted_moves_every_mark() -> None:
    data = load_file("data", "si_roadmap.yaml", "a:\n  - {b: 1}\n  - [c]\n").data
    moved = shifted(data, 3)
    assert moved.mark == (data.mark[0] + 3, data.mark[1])
    assert moved["a"].item_marks == [(line + 3, column) for line, column in data["a"].item_marks]
    assert moved["a"][0].value_marks == {"b": (data["a"][0].value_marks["b"][0] + 3, 9)}


LINES = ["    owner: DSI", "    status: done", "    title: Titre", "  - id: NEW-1", "  - id: NEW-2",
         "    axes: [AX1, AX2]", "# c", "", "    description: >-", "      texte plié", "    tags: [a, b]",
         "    depends_on: SI-01", '    title: "q 🎨"', "    title: 'x''y'", "    axes:", "      - AX1",
         "    start: 2020-01-01", "    end: x: y", "    owner: DSI"]
line_edit = st.tuples(st.floats(0, 1), st.sampled_from(["insert", "delete", "replace"]), st.sampled_from(LINES))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(edits=st.lists(line_edit, min_size=1, max_size=10))
def test_partial_reading_of_line_edits(generated: str, edits: list[tuple[float, str, str]]) -> None:
    text = generated
    current = load_file("data", "si_roadmap.yaml", text)
    for where, how, line in edits:
        lines = text.splitlines(keepends=True)
        index = int(where * (len(lines) - 1))
        at = sum(len(x) for x in lines[:index])
        size = 0 if how == "insert" else len(lines[index])
        new = text[:at] + ("" if how == "delete" else line + "\n") + text[at + size:]
        full = load_file("data", "si_roadmap.yaml", new)
        mine = reparse(text, current, TextLines(text), new)
        if mine is not None:
            equal(mine, full)
        current = mine or full
        text = new


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\r\n \u2028🎨", max_size=40), st.integers(0, 40), st.integers(0, 40),
       st.text(alphabet="ab\r\n🎨", max_size=8))
def test_edited_lines_are_the_lines_of_the_new_text(text: str, start: int, size: int, insert: str) -> None:
    start = min(start, len(text))
    new = text[:start] + insert + text[start + size:]
    prefix, suffix = common_ends(text, new)
    assert text[:prefix] == new[:prefix] and text[len(text) - suffix:] == new[len(new) - suffix:]
    assert prefix + suffix <= min(len(text), len(new))
    edited = TextLines(text).edited(new, prefix, suffix)
    fresh = TextLines(new)
    assert [edited.line_text(n) for n in range(edited.line_count)] == [
        fresh.line_text(n) for n in range(fresh.line_count)]
    assert edited.line_count == fresh.line_count
    for offset in range(len(new) + 1):
        assert edited.position(offset) == fresh.position(offset)
