"""Hostile input: the YAML test suite, alias bombs, deep nesting, huge files, encodings,
tags, YAML 1.1 traps and odd files. Each ends in findings and exit 1 (or 0), never a
traceback or a hang."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from psc_roadmap.checks import validate_folder
from psc_roadmap.cli import app
from psc_roadmap.files import MAX_FILE_BYTES
from tests.conftest import AXES, BASE, ROADMAP, MakeProject

runner = CliRunner()
# The inputs of the YAML test suite (MIT licence, see its LICENSE), copied from the
# workspace's shared corpus so that CI needs nothing outside the repository.
CORPUS = Path(__file__).resolve().parent / "corpus" / "yaml-test-suite"
CASES = sorted(CORPUS.glob("*/*.yaml")) if CORPUS.is_dir() else []


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (rather than hang) when one case takes more than 10 seconds."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("took more than 10 s: a hang")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def diagnostics(folder: Path) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, ["validate", "-d", str(folder), "--format", "json"])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (0, 1), (result.exit_code, result.stdout, result.stderr)
    return result.exit_code, json.loads(result.stdout)["diagnostics"], result.stderr


def inside(folder: Path, diag: dict[str, object]) -> bool:
    """The finding's line and column lie inside its file."""
    path = Path(str(diag["file"]))
    line, column = int(str(diag["line"])), int(str(diag["column"]))
    if not path.is_file():
        return (line, column) == (1, 1)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines() or [""]
    except (UnicodeDecodeError, OSError):
        return (line, column) == (1, 1)
    return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


@pytest.mark.skipif(not CASES, reason=f"YAML test suite not found at {CORPUS}")
@pytest.mark.parametrize("kind", list(BASE))
def test_yaml_test_suite_in_place_of_each_file(make_project: MakeProject, kind: str, deadline: None) -> None:
    folder = make_project()
    failures = []
    for case in CASES:
        (folder / kind).write_bytes(case.read_bytes())
        signal.alarm(10)  # each case gets its own 10 seconds before it counts as a hang
        code, diags, stderr = diagnostics(folder)
        if case.parent.name == "error" and code != 1:
            failures.append(f"{case.name}: invalid YAML accepted")
        if code == 1 and not any(d["severity"] == "error" for d in diags):
            failures.append(f"{case.name}: exit 1 without an error")
        failures.extend(f"{case.name}: position outside the file {d}" for d in diags if not inside(folder, d))
        if stderr:
            failures.append(f"{case.name}: stderr {stderr!r}")
    assert not failures, failures[:10]


def test_yaml_test_suite_error_cases_report_yaml_syntax(make_project: MakeProject) -> None:
    folder = make_project()
    rules = set()
    for case in [c for c in CASES if c.parent.name == "error"]:
        (folder / "si_roadmap.yaml").write_bytes(case.read_bytes())
        _, diags, _ = diagnostics(folder)
        rules.update(str(d["rule"]) for d in diags if str(d["file"]).endswith("si_roadmap.yaml"))
    if CASES:
        assert "yaml-syntax" in rules


BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_alias_bomb_is_refused_fast(make_project: MakeProject, deadline: None) -> None:
    folder = make_project({"governance.yaml": BOMB})
    started = time.perf_counter()
    code, diags, _ = diagnostics(folder)
    assert time.perf_counter() - started < 2
    assert code == 1
    assert any(d["rule"] == "yaml-syntax" and "alias" in str(d["message"]) for d in diags)


def test_modest_aliases_are_fine(make_project: MakeProject) -> None:
    roadmap = ROADMAP.replace("    axes: [AX1]\n", "    axes: &one [AX1]\n")
    roadmap = roadmap.replace("    principles: [P1]\n", "    principles: [P1]\n    tags: *one\n")
    code, diags, _ = diagnostics(make_project({"si_roadmap.yaml": roadmap}))
    assert (code, diags) == (0, [])


@pytest.mark.parametrize(
    "text",
    ["[" * 20_000 + "]" * 20_000, "{a: " * 20_000 + "}" * 20_000, "".join("  " * i + "k:\n" for i in range(300))],
    ids=["brackets", "flow-mappings", "block-mappings"],
)
def test_deep_nesting_is_a_finding(make_project: MakeProject, text: str, deadline: None) -> None:
    code, diags, _ = diagnostics(make_project({"axes.yaml": text}))
    assert code == 1
    assert any("nesting deeper than" in str(d["message"]) for d in diags)


def test_file_over_the_size_cap_is_a_file_error(make_project: MakeProject) -> None:
    folder = make_project()
    with (folder / "big_roadmap.yaml").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    code, diags, _ = diagnostics(folder)
    assert code == 1
    (diag,) = [d for d in diags if str(d["file"]).endswith("big_roadmap.yaml")]
    assert (diag["rule"], diag["line"], diag["column"]) == ("file-error", 1, 1)
    assert "64 MiB limit" in str(diag["message"])


def test_a_5_mb_single_line_works(make_project: MakeProject, deadline: None) -> None:
    long = "é" * (5 * 1024 * 1024 // 2)
    roadmap = ROADMAP.replace("    owner: DSI\n", f"    owner: DSI\n    description: {long}\n")
    code, diags, _ = diagnostics(make_project({"si_roadmap.yaml": roadmap}))
    assert (code, diags) == (0, [])


def test_utf8_bom_is_accepted(make_project: MakeProject) -> None:
    code, diags, _ = diagnostics(make_project({"axes.yaml": b"\xef\xbb\xbf" + AXES.encode()}))
    assert (code, diags) == (0, [])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (AXES.encode("utf-16"), "UTF-16"),
        (AXES.encode("utf-16-le"), "NUL bytes"),
        (AXES.replace("Musée", "Musée").encode("latin-1"), "not UTF-8: byte 0xe9 at line 2, column 19"),
        (bytes(range(256)) * 4, "NUL bytes"),
    ],
    ids=["utf16-bom", "utf16-no-bom", "latin1", "binary"],
)
def test_bad_encodings_are_file_errors(make_project: MakeProject, content: bytes, words: str) -> None:
    code, diags, _ = diagnostics(make_project({"axes.yaml": content}))
    assert code == 1
    (diag,) = [d for d in diags if str(d["file"]).endswith("axes.yaml")]
    assert (diag["rule"], diag["line"], diag["column"]) == ("file-error", 1, 1)
    assert words in str(diag["message"])
    assert "save" in str(diag["message"])


def test_crlf_keeps_positions(make_project: MakeProject) -> None:
    roadmap = ROADMAP.replace("axes: [AX1]", "axes: [AX9]").replace("\n", "\r\n")
    _, diags, _ = diagnostics(make_project({"si_roadmap.yaml": roadmap.encode()}))
    assert [(d["rule"], d["line"], d["column"]) for d in diags if d["severity"] == "error"] == [
        ("unknown-reference", 12, 12)
    ]


def test_accents_count_as_one_column(make_project: MakeProject) -> None:
    line = "  - {id: SI-03, title: « Été » à l’œuvre, axes: [AX9], start: 2019, end: 2019, owner: é}\n"
    _, diags, _ = diagnostics(make_project({"si_roadmap.yaml": ROADMAP + line}))
    assert [(d["line"], d["column"]) for d in diags] == [(26, line.index("AX9") + 1)]


@pytest.mark.parametrize(
    "tagged",
    ["!!python/object/apply:os.system [echo pwned]", "!!python/name:os.system", "!custom value", "!!binary aGVsbG8="],
)
def test_tags_never_construct_anything(make_project: MakeProject, tagged: str, tmp_path: Path) -> None:
    roadmap = ROADMAP.replace("    owner: DSI", f"    owner: {tagged}")
    code, diags, _ = diagnostics(make_project({"si_roadmap.yaml": roadmap}))
    assert code == 1
    messages = [str(d["message"]) for d in diags if d["rule"] == "schema"]
    assert any("is not supported" in m and "remove the tag" in m for m in messages)
    assert not (tmp_path / "pwned").exists()


def test_python_tag_on_a_mapping(make_project: MakeProject) -> None:
    text = AXES.replace("document:\n", "document: !!python/object:builtins.dict\n")
    code, diags, _ = diagnostics(make_project({"axes.yaml": text}))
    assert code == 1
    assert [(d["rule"], d["line"]) for d in diags] == [("schema", 1)]


@pytest.mark.parametrize(
    ("replace", "words"),
    [
        (('end: "2019-Q4"', "end: 2019-10-01"), 'is a date; write "2019-10" or 2019'),
        (("status: in_progress", "status: yes"), "'yes' is plain text in YAML 1.2"),
        (("status: in_progress", "status: true"), "YAML reads true/false as booleans"),
        (('end: "2019-Q4"', "end: .nan"), "not a number"),
        (('end: "2019-Q4"', "end: .inf"), "not a number"),
        (('end: "2019-Q4"', "end: 2019.5"), "a decimal number, not a year"),
    ],
    ids=["date", "yes", "true", "nan", "inf", "float"],
)
def test_yaml_11_traps_get_helpful_messages(make_project: MakeProject, replace: tuple[str, str], words: str) -> None:
    code, diags, _ = diagnostics(make_project({"si_roadmap.yaml": ROADMAP.replace(*replace)}))
    assert code == 1
    assert any(words in str(d["message"]) for d in diags), diags


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("---\na: 1\n---\nb: 2\n", "a second YAML document starts here"),
        ("- a\n- b\n", "the file holds a list"),
        ("just text\n", "the file holds the text 'just text'"),
        ("? [a, b]\n: c\n", "a mapping key must be plain text"),
    ],
    ids=["empty", "comment-only", "two-documents", "top-level-list", "scalar", "complex-key"],
)
def test_odd_files(make_project: MakeProject, content: str, words: str) -> None:
    code, diags, _ = diagnostics(make_project({"si_roadmap.yaml": content}))
    assert code == 1
    assert any(words in str(d["message"]) for d in diags), diags


def test_broken_symlink(make_project: MakeProject) -> None:
    folder = make_project()
    os.symlink(folder / "nowhere.yaml", folder / "x_roadmap.yaml")
    code, diags, _ = diagnostics(folder)
    assert code == 1
    assert [(d["rule"], d["message"]) for d in diags] == [
        ("file-error", "broken symbolic link; point it at a file or remove it")
    ]


def test_unreadable_file(make_project: MakeProject) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file: permissions can't make one unreadable")
    folder = make_project()
    (folder / "axes.yaml").chmod(0)
    code, diags, _ = diagnostics(folder)
    assert code == 1
    assert diags[0]["rule"] == "file-error"


def test_empty_governance_file_is_allowed(make_project: MakeProject) -> None:
    code, diags, _ = diagnostics(make_project({"governance.yaml": "# no body yet\n"}))
    assert code == 1 or diags == []
    project, _ = validate_folder(str(make_project({"governance.yaml": ""})))
    assert project.bodies == []


def test_terminal_control_characters_in_findings_are_inert(make_project: MakeProject) -> None:
    roadmap = ROADMAP.replace("    owner: DSI", '    "own\\e[2J\\u202eer": DSI')
    result = runner.invoke(app, ["validate", "-d", str(make_project({"si_roadmap.yaml": roadmap}))])
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "unknown field 'own\\x1b[2J\\u202eer'" in result.stdout


LOADER_SNIPPETS = {
    "aliases": ("a: &x {k: 1}\nb: *x\nc: &s text\nd: *s\ne: [*x, *s]\n", []),
    "duplicate anchor": ("a: &x 1\nb: &x 2\nc: *x\n", ["yaml-syntax"]),
    "undefined alias": ("a: *nope\n", ["yaml-syntax"]),
    "recursive alias": ("a: &r [1, *r]\n", ["yaml-syntax"]),
    "anchored key": ("&k a: 1\nb: *k\n", []),
    "alias key": ("a: &k x\n*k : 2\n", []),
    "merge key": ("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n", []),
    "collection tags": ("a: !!omap [x: 1]\nb: !foo {c: 1}\nc: !!map {d: 2}\n", ["schema", "schema"]),
    "complex keys": ("? [a, b]\n: 1\n? {c: 1}\n: !bad 2\nd: 3\n", ["schema", "schema"]),
    "tab": ("a:\n\tb: 1\n", ["yaml-syntax"]),
}


@pytest.mark.parametrize("case", sorted(LOADER_SNIPPETS))
def test_loader_on_anchors_aliases_and_odd_keys(case: str) -> None:
    from psc_roadmap.errors import Finding
    from psc_roadmap.loader import parse_text

    text, rules = LOADER_SNIPPETS[case]
    found: list[Finding] = []
    parse_text(text, "x.yaml", found)
    assert [f.rule for f in found] == rules, found
    lines = text.splitlines()
    for f in found:
        assert 1 <= f.position.line <= len(lines)
        assert 1 <= f.position.column <= len(lines[f.position.line - 1]) + 1
