"""The newcomer's first hour: on a fresh `psc init --blank` project, each of the mistakes
people make most while typing YAML gives exactly one finding, at the place of the mistake,
and the file is right again once its hint is applied as written (`apply_hint` substitutes
the text the hint gives, nothing else)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import apply_hint, run_psc

ROADMAP, AXES = "main_roadmap.yaml", "axes.yaml"

#: Each mistake: the file, the text as the skeleton writes it and as it is mistyped, then
#: the one finding it must give (rule, line, column) and words of its hint.
MISTAKES = {
    "unquoted colon in a title": (
        ROADMAP, "title: Publish the collections online", "title: Intranet: replace it",
        ("yaml-syntax", 18, 12), "a text that contains ': ' must be in quotes",
    ),
    "a tab before a key": (
        ROADMAP, "    owner: Digital department", "\towner: Digital department",
        ("yaml-syntax", 26, 1), "YAML indents with spaces; replace the tab at column 1",
    ),
    "a key 2 spaces too little": (
        ROADMAP, "    theme: foundations", "  theme: foundations",
        ("yaml-syntax", 21, 3), "key 'theme' is out of line: the keys beside it start at column 5",
    ),
    "a key 2 spaces too much": (
        ROADMAP, "    end: \"2027-Q2\"", "      end: \"2027-Q2\"",
        ("yaml-syntax", 23, 7), "key 'end' is out of line: the keys beside it start at column 5",
    ),
    "an unclosed bracket": (
        ROADMAP, "    axes: [AX1]\n    principles: [P1]\n    theme", "    axes: [AX1\n    principles: [P1]\n    theme",
        ("yaml-syntax", 19, 11), "the list opened by '[' here is not closed",
    ),
    "a feasibility outside its list": (
        ROADMAP, "feasibility: probably", "feasibility: likely",
        ("schema", 25, 18), "(did you mean 'probably'?)",
    ),
    "a misspelt owner": (
        ROADMAP, "    owner: Digital department", "    onwer: Digital department",
        ("schema", 26, 5), "unknown field 'onwer' (did you mean 'owner'?)",
    ),
    "an id with a space": (
        AXES, "  - id: AX1", "  - id: AX 1",
        ("schema", 18, 9), "an id has no spaces",
    ),
    "a status in other words": (
        ROADMAP, "status: planned  #", "status: finished  #",
        ("schema", 24, 13), "(did you mean 'done'?)",
    ),
    "a French quarter": (
        ROADMAP, 'end: "2027-Q2"', 'end: "2027-T2"',
        ("schema", 23, 10), 'is not a period (a quarter is written Q1 to Q4); write `end: "2027-Q2"`',
    ),
    "a duplicated id": (
        ROADMAP, "  - id: A-02", "  - id: A-01",
        ("duplicate-id", 30, 9), "id 'A-01' is already used by the action at ",
    ),
    "a missing required field": (
        ROADMAP, '    end: "2027-Q2"\n', "",
        ("schema", 17, 5), "missing required field 'end' in 'A-01'; add `end: 2026` here",
    ),
    "an end before its start": (
        ROADMAP, 'end: "2027-Q2"', "end: 2025",
        ("period-order", 23, 10), "action 'A-01' ends (2025) before it starts (2026); swap them",
    ),
    "a date written as a date": (
        ROADMAP, 'end: "2027-Q2"', "end: 2027-06-30",
        ("schema", 23, 10), "end: '2027-06-30' is a date; write \"2027-06\"",
    ),
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh blank project, with a second action as a user adds it (rated, with an owner)."""
    folder = tmp_path_factory.mktemp("newcomer") / "project"
    assert run_psc("init", "--blank", str(folder))[0] == 0
    code, out, err = run_psc("add", "-d", str(folder), "--title", "Digitise the archives", "--axis", "AX1",
                             "--principle", "P1", "--start", "2027", "--end", "2028-Q4", "--feasibility", "surely",
                             "--owner", "Archives")
    assert (code, out) == (0, "A-02\n"), err
    assert run_psc("validate", "-d", str(folder), "--strict")[0] == 0
    return folder


def findings(folder: Path) -> list[dict[str, object]]:
    _, out, _ = run_psc("validate", "-d", str(folder), "--format", "json")
    return json.loads(out)["diagnostics"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_a_typing_mistake_is_one_finding_whose_hint_fixes_it(blank: Path, tmp_path: Path, mistake: str) -> None:
    import shutil

    name, right, wrong, (rule, line, column), words = MISTAKES[mistake]
    folder = tmp_path / "project"
    shutil.copytree(blank, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(right) == 1, right
    path.write_text(text.replace(right, wrong), encoding="utf-8")

    diags = findings(folder)
    assert [(d["rule"], Path(str(d["file"])).name, d["line"], d["column"]) for d in diags] == [
        (rule, name, line, column)
    ], diags
    message = str(diags[0]["message"])
    assert words in message, message

    path.write_text(apply_hint(path.read_text(encoding="utf-8"), line, column, message), encoding="utf-8")
    assert findings(folder) == [], path.read_text(encoding="utf-8")


def test_there_are_at_least_ten_mistakes() -> None:
    assert len(MISTAKES) >= 10
