"""`psc fmt`: one canonical layout, the same data, comments kept, idempotent."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from psc_roadmap.edit import FormatError, format_text
from psc_roadmap.loader import parse_text
from tests.conftest import run_psc as psc

REPO = Path(__file__).parent.parent
PROJECTS = Path(__file__).parent / "projects"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


MESSY = textwrap.dedent("""\


    # yaml-language-server: $schema=../schemas/roadmap.schema.json
    # The header comment block stays as it is.

    roadmap:
        id: web
        title: 'Le web'
        horizon: 2026
        description: a plain scalar
          folded over two lines
    actions:
    # first action
    - id: W1
      title: "Site"   # a comment
      axes:
      - AX1
      - AX2
      tags: [a,   b]
      start: 2024
      end: "2025-Q2"
      description: >-
            Folded text
            kept folded.
    - {id: W2, title: Appli, axes: AX1, start: 2025, end: 2026}


    """)

CANONICAL = textwrap.dedent("""\
    # yaml-language-server: $schema=../schemas/roadmap.schema.json
    # The header comment block stays as it is.

    roadmap:
      id: web
      title: 'Le web'
      horizon: 2026
      description: a plain scalar folded over two lines
    actions:
    # first action
      - id: W1
        title: "Site" # a comment
        axes:
          - AX1
          - AX2
        tags: [a, b]
        start: 2024
        end: "2025-Q2"
        description: >-
          Folded text
          kept folded.
      - {id: W2, title: Appli, axes: AX1, start: 2025, end: 2026}
    """)


def data_of(text: str) -> object:
    return parse_text(text, "x.yaml", [])


def test_canonical_layout() -> None:
    out = format_text(MESSY, "x.yaml")
    assert out == CANONICAL
    assert data_of(out) == data_of(MESSY)
    assert format_text(out, "x.yaml") == out


@pytest.mark.parametrize(
    "path",
    sorted((REPO / "data").glob("*.yaml")) + sorted((PROJECTS / "demo").glob("*.yaml"))
    + sorted((PROJECTS / "edit").glob("*.yaml")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_shipped_files_are_canonical_or_settle(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = format_text(text, path.name)
    assert format_text(once, path.name) == once
    assert data_of(once) == data_of(text)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a: 1", "a: 1\n"),  # a final line break
        ("\n\n# c\n\na: 1\n\n\nb: 2\n\n\n", "# c\n\na: 1\n\n\nb: 2\n"),  # leading and trailing blank lines go
        ("---\n# c\na: 1\n", "---\n# c\na: 1\n"),  # a document start and the comments around it stay
        ("# c\n---\na:\n    b: 1\n", "# c\n---\na:\n  b: 1\n"),
        ("a: 1\n...\n# after the end\n", "a: 1\n...\n# after the end\n"),
        ("# only a comment\n", "# only a comment\n"),
        ("", ""),
        ("a: ~\nb: null\nc:\n", "a:\nb:\nc:\n"),  # null is written one way
        ("a: [x,y]\nb: {c: 1}\n", "a: [x, y]\nb: {c: 1}\n"),
        ("a: 'x'\nb: \"y\"\nc: \"2020\"\nd: 0x10\ne: 1.50\n", "a: 'x'\nb: \"y\"\nc: \"2020\"\nd: 0x10\ne: 1.50\n"),
        ("a: &x [1]\nb: *x\n", "a: &x [1]\nb: *x\n"),
        ("a: " + "word " * 40 + "end\n", "a: " + "word " * 40 + "end\n"),  # never wrapped
        ("a: |+\n  kept\n\n", "a: |+\n  kept\n\n...\n"),  # ruamel marks the kept line breaks
    ],
)
def test_layout_cases(before: str, after: str) -> None:
    out = format_text(before, "x.yaml")
    assert out == after
    assert format_text(out, "x.yaml") == out
    assert data_of(out) == data_of(before)


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PROJECTS / "edit", folder)
    path = folder / "web_roadmap.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    code, out, _ = psc("fmt", "-d", str(folder))
    assert code == 0
    assert out == f"formatted {folder}/web_roadmap.yaml\n"
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") == 10
    expected_start = b"roadmap: {id: web, title: Web, horizon: 2026}\nactions:\n  - id: W8\n"
    assert data.replace(b"\r\n", b"\n")[3:].startswith(expected_start)
    assert psc("fmt", "--check", "-d", str(folder))[0] == 0


def test_check_writes_nothing_and_lists_files(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PROJECTS / "edit", folder)
    before = snapshot(folder)
    code, out, err = psc("fmt", "--check", "-d", str(folder))
    assert code == 1
    assert out == f"{folder}/web_roadmap.yaml\n"
    assert "1 file would be reformatted, 3 already formatted" in err
    assert snapshot(folder) == before
    code, out, err = psc("fmt", "-d", str(folder))
    assert (code, out) == (0, f"formatted {folder}/web_roadmap.yaml\n")
    assert snapshot(folder)["ops_roadmap.yaml"] == before["ops_roadmap.yaml"]  # untouched: already canonical
    again = snapshot(folder)
    assert psc("fmt", "-d", str(folder))[:2] == (0, "")
    assert snapshot(folder) == again  # idempotent: same bytes, not even rewritten
    assert psc("fmt", "--check", "-d", str(folder))[0] == 0
    assert psc("validate", "-d", str(folder))[0] == 0


def test_a_file_that_does_not_parse_stops_every_write(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PROJECTS / "edit", folder)
    (folder / "ops_roadmap.yaml").write_text("roadmap: [\n", encoding="utf-8")
    (folder / "governance.yaml").write_text("bodies: []\nbodies: []\n", encoding="utf-8")
    broken = snapshot(folder)
    code, out, err = psc("fmt", "-d", str(folder))
    assert code == 1
    assert out == ""  # web_roadmap.yaml would change, but psc fmt changes every file or none
    assert f"{folder}/ops_roadmap.yaml:1:11: error yaml-syntax: " in err
    assert "(the file was not formatted)" in err
    assert f"{folder}/governance.yaml:2:1: error duplicate-key: " in err
    assert "error: nothing was written: 2 files can't be formatted" in err
    assert snapshot(folder) == broken


@pytest.mark.parametrize(("text", "expected"), [
    ("a:\tDigital department\nb: 1\n", "a: Digital department\nb: 1\n"),  # libyaml reads it: so does fmt
    ("a: [x,\ty]\n", "a: [x, y]\n"),
])
def test_what_validate_reads_fmt_lays_out(text: str, expected: str) -> None:
    assert format_text(text, "x.yaml") == expected


def test_a_key_the_layout_engine_would_respell_is_named(tmp_path: Path) -> None:
    with pytest.raises(FormatError) as caught:
        format_text("b: 1\n~: v\n", "x.yaml")
    assert (caught.value.line, caught.value.column) == (2, 1)
    assert "would write the key '~' another way" in str(caught.value)
    assert "please report" not in str(caught.value)


def test_fmt_works_on_a_project_with_other_errors(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PROJECTS / "edit", folder)
    web = folder / "web_roadmap.yaml"
    web.write_text(web.read_text(encoding="utf-8").replace("axes: AX2", "axes: AX9\n  colour: red"), encoding="utf-8")
    assert psc("validate", "-d", str(folder))[0] == 1
    assert psc("fmt", "-d", str(folder))[0] == 0
    assert "  - id: W8\n    title: Site\n    axes: AX9\n    colour: red\n" in web.read_text(encoding="utf-8")


def test_refuses_rather_than_change_data() -> None:
    with pytest.raises(FormatError, match="duplicate key"):
        format_text("a: 1\na: 2\n", "x.yaml")
    with pytest.raises(FormatError, match="yaml-syntax"):
        format_text("a: [\n", "x.yaml")


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = psc("fmt", "-d", str(tmp_path / "nope"))
    assert code == 2
    assert "psc init" in err
