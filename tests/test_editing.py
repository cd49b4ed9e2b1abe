"""The edit package's building blocks: ids, typed values, scalars, atomic writes, the lock."""

from __future__ import annotations

import os
import shutil
import stat
import threading
import time
from pathlib import Path

import pytest

from psc_roadmap.edit import judge, next_id, project_lock, set_field, typed_value, yaml_scalar, yaml_text
from psc_roadmap.errors import Finding, PscError, UsageError
from psc_roadmap.loader import parse_text

PROJECTS = Path(__file__).parent / "projects"


@pytest.mark.parametrize(
    ("ids", "taken", "expected"),
    [
        (["SI-01", "SI-11"], set(), "SI-12"),
        (["SI-01", "SI-02"], {"SI-03"}, "SI-04"),
        (["SI-01", "SI-02"], {"SI-3", "SI-004"}, "SI-05"),  # a number is taken whatever its padding
        (["P1", "P5"], set(), "P6"),
        (["T-1", "T-2", "T-10"], set(), "T-11"),
        (["W9"], set(), "W10"),
        (["A-01", "A-02", "intro"], set(), "A-03"),  # ids without a number don't count
        (["A-1", "A-2", "B-7"], set(), "A-3"),  # the prefix most ids share
        (["A-1", "B-2"], set(), None),  # no shared prefix: --id needed
        (["intro", "outro"], set(), None),
        ([], set(), None),
    ],
)
def test_next_id(ids: list[str], taken: set[str], expected: str | None) -> None:
    assert next_id(ids, taken | set(ids)) == expected


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("start", "2024", 2024),
        ("end", " 2024-Q3 ", "2024-Q3"),
        ("end", "2024-09", "2024-09"),
        ("axes", "AX1, AX2,", ["AX1", "AX2"]),
        ("axes", ["AX1", "AX2,AX3"], ["AX1", "AX2", "AX3"]),
        ("tags", "", None),
        ("tags", " , ", None),
        ("owner", "", None),
        ("title", "2024", "2024"),
        ("status", "done", "done"),
    ],
)
def test_typed_value(name: str, raw: str | list[str], expected: object) -> None:
    assert typed_value(name, raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain text", "Plain text"),
        ("Texte : avec deux-points", '"Texte : avec deux-points"'),
        ("a #b", '"a #b"'),
        ("2024", '"2024"'),  # would read as a number
        ("1.5", '"1.5"'),
        ("true", '"true"'),
        ("yes", '"yes"'),  # a boolean in YAML 1.1
        ("null", '"null"'),
        ("- item", '"- item"'),
        ("[x]", '"[x]"'),
        ("{x}", '"{x}"'),
        ("*alias", '"*alias"'),
        ("&anchor", '"&anchor"'),
        ("!tag", '"!tag"'),
        ("'quoted'", "\"'quoted'\""),
        ('say "hi"', 'say "hi"'),
        ("line\nbreak", '"line\\nbreak"'),
        ("tab\there", '"tab\\there"'),
        (" padded ", '" padded "'),
        ("back\\slash", "back\\slash"),
        ("2020-09-01", '"2020-09-01"'),  # a date
        ("é à ç", "é à ç"),
    ],
)
def test_render_text_reads_back_the_same(text: str, expected: str) -> None:
    rendered = yaml_text(text)
    assert rendered == expected
    findings: list[object] = []
    data = parse_text(f"k: {rendered}\n", "x.yaml", findings)  # type: ignore[arg-type]
    assert findings == []
    assert data["k"] == text
    assert type(data["k"]) is str


def test_render_text_writes_a_control_character_that_validation_refuses() -> None:
    rendered = yaml_text("bell\x07")
    assert rendered == '"bell\\u0007"'
    findings: list[Finding] = []
    parse_text(f"k: {rendered}\n", "x.yaml", findings)
    assert [f.rule for f in findings] == ["schema"]
    assert "control character U+0007" in findings[0].message


def test_render_keeps_the_quote_style() -> None:
    assert yaml_text("it's", "'") == "'it''s'"
    assert yaml_text("plain", '"') == '"plain"'
    assert yaml_text("line\nbreak", "'") == '"line\\nbreak"'  # single quotes can't escape
    assert yaml_scalar("2024-Q3", "end", None) == '"2024-Q3"'
    assert yaml_scalar("2024-Q3", "end", "'") == "'2024-Q3'"
    assert yaml_scalar(2024, "end", '"') == "2024"
    assert yaml_text("a,b", in_flow=True) == '"a,b"'
    assert yaml_text("a b", in_flow=True) == "a b"


# --- writes -------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PROJECTS / "edit", folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken_replace(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(PscError, match="No space left on device"):
        set_field(str(folder), "OPS-02", "status", "done")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_set_keeps_the_mode_and_writes_through_a_symlink_inside_the_project(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PROJECTS / "edit", folder)
    (folder / "shared").mkdir()
    shared = folder / "shared" / "ops.yaml"
    (folder / "ops_roadmap.yaml").rename(shared)
    (folder / "ops_roadmap.yaml").symlink_to(Path("shared") / "ops.yaml")
    shared.chmod(0o640)
    assert set_field(str(folder), "OPS-02", "status", "done").written
    assert (folder / "ops_roadmap.yaml").is_symlink()
    assert "status: done" in shared.read_text(encoding="utf-8")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640


# --- the lock -------------------------------------------------------------------------------


def test_the_lock_serialises(tmp_path: Path) -> None:
    events: list[str] = []

    def other() -> None:
        with project_lock(str(tmp_path)):
            events.append("other")

    with project_lock(str(tmp_path)):
        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.2)
        events.append("first")
    thread.join(timeout=10)
    assert events == ["first", "other"]
    assert list(tmp_path.iterdir()) == []  # no lock file


def test_the_lock_times_out(tmp_path: Path) -> None:
    with project_lock(str(tmp_path)), pytest.raises(PscError, match="another psc command"), \
            project_lock(str(tmp_path), timeout=0.1):
        pass


# --- checking and proving ------------------------------------------------------------------


def test_judge_separates_new_from_old_errors(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(PROJECTS / "edit", folder)
    ops = folder / "ops_roadmap.yaml"
    ops.write_text(ops.read_text(encoding="utf-8").replace("axes: [AX1]", "axes: [AX7]"), encoding="utf-8")
    text = ops.read_text(encoding="utf-8")
    # The candidate moves the old error two lines down and adds a new one.
    candidate = text.replace("actions:\n", "actions:\n\n\n").replace("status: done", "status: fini")
    verdict = judge(str(folder), "ops_roadmap.yaml", candidate)
    assert [(f.rule, f.position.file) for f in verdict.new_errors] == [("schema", f"{folder}/ops_roadmap.yaml")]
    assert [f.message[:26] for f in verdict.old_errors] == ["axis 'AX7' does not exist "]
    assert ops.read_text(encoding="utf-8") == text  # judging writes nothing


def test_set_proves_its_splice(tmp_path: Path) -> None:
    """A layout the splice can't handle (the value is an alias) is refused, never garbled."""
    folder = tmp_path / "p"
    shutil.copytree(PROJECTS / "edit", folder)
    web = folder / "web_roadmap.yaml"
    text = web.read_text(encoding="utf-8").replace("  owner: Communication\n", "  owner: &who Communication\n", 1)
    text = text.replace("owner: Communication}", "owner: *who}")
    web.write_text(text, encoding="utf-8")
    with pytest.raises(PscError, match="could not make this change in place"):
        set_field(str(folder), "W9", "owner", "Autre")
    assert web.read_text(encoding="utf-8") == text


def test_set_field_rejects_id_and_unknown_fields(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="renaming"):
        set_field(str(tmp_path), "X", "id", "Y")
    with pytest.raises(UsageError, match="did you mean 'owner'"):
        set_field(str(tmp_path), "X", "ownr", "Y")
