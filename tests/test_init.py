"""`psc init`: the Louvre example or a blank skeleton, never overwriting by surprise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from psc_roadmap.schema import schema_text
from tests.conftest import run_psc as psc

REPO = Path(__file__).parent.parent
DATA_FILES = ["axes.yaml", "governance.yaml", "numerique_roadmap.yaml", "si_roadmap.yaml"]
BLANK_FILES = ["axes.yaml", "governance.yaml", "main_roadmap.yaml"]
SCHEMAS = ["schemas/axes.schema.json", "schemas/governance.schema.json", "schemas/roadmap.schema.json"]


def installed_psc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("psc", path=str(Path(sys.executable).parent)) or "psc"
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PSC_DATA", None)
    return subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_init_outside_the_repository(tmp_path: Path) -> None:
    """The installed psc, run from a folder that is not the repository, creates ./data."""
    result = installed_psc("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"created data/{name}" for name in DATA_FILES + SCHEMAS]
    assert "psc validate -d data" in result.stderr
    assert files_under(tmp_path / "data") == sorted(DATA_FILES + SCHEMAS)
    result = installed_psc("validate", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings in 4 files\n"


def test_louvre_copy_is_the_bundled_data_with_a_local_schema_line(tmp_path: Path) -> None:
    code, _, _ = psc("init", str(tmp_path / "p"))
    assert code == 0
    for name in DATA_FILES:
        shipped = (REPO / "data" / name).read_text(encoding="utf-8")
        copied = (tmp_path / "p" / name).read_text(encoding="utf-8")
        kind = "roadmap" if name.endswith("_roadmap.yaml") else name.removesuffix(".yaml")
        assert shipped.startswith(f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n")
        assert copied == shipped.replace("$schema=../schemas/", "$schema=schemas/", 1)
        # The line names a file that exists next to the data, wherever the project lives.
        target = copied.splitlines()[0].split("$schema=", 1)[1]
        assert (tmp_path / "p" / target).is_file()
    for kind in ("axes", "governance", "roadmap"):
        assert (tmp_path / "p" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind)


def test_blank_validates_with_no_warning(tmp_path: Path) -> None:
    code, out, _ = psc("init", "--blank", str(tmp_path / "b"))
    assert code == 0
    assert files_under(tmp_path / "b") == sorted(BLANK_FILES + SCHEMAS)
    assert out.count("created ") == 6
    code, out, _ = psc("validate", "--strict", "-d", str(tmp_path / "b"))
    assert (code, out) == (0, "0 errors, 0 warnings in 3 files\n")
    assert psc("fmt", "--check", "-d", str(tmp_path / "b"))[0] == 0
    for name in BLANK_FILES:
        text = (tmp_path / "b" / name).read_text(encoding="utf-8")
        kind = "roadmap" if name.endswith("_roadmap.yaml") else name.removesuffix(".yaml")
        assert text.startswith(f"# yaml-language-server: $schema=schemas/{kind}.schema.json\n")
        assert text.count("#") > 3  # commented hints
    code, out, _ = psc("query", "--format", "ids", "-d", str(tmp_path / "b"))
    if code == 0:  # `psc query` is someone else's; when it exists it sees one action
        assert out == "A-01\n"


def test_blank_project_can_be_edited(tmp_path: Path) -> None:
    folder = str(tmp_path / "b")
    assert psc("init", "--blank", folder)[0] == 0
    code, out, _ = psc("add", "--title", "Second", "--axis", "AX1", "--start", "2026", "--end", "2026",
                       "--owner", "Me", "--feasibility", "surely", "-d", folder)
    assert (code, out) == (0, "A-02\n")
    # The commented hints indented under A-01 stay with it; A-02 comes after them.
    text = (tmp_path / "b" / "main_roadmap.yaml").read_text(encoding="utf-8")
    assert "    # tags: [collections]\n  - id: A-02\n    title: Second\n" in text
    assert psc("set", "A-01", "status", "done", "-d", folder)[0] == 0
    assert psc("validate", "--strict", "-d", folder)[0] == 0


def test_refuses_to_overwrite_and_names_the_files(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    assert psc("init", str(folder))[0] == 0
    (folder / "si_roadmap.yaml").write_text("# mine\n", encoding="utf-8")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}
    code, out, err = psc("init", str(folder))
    assert (code, out) == (1, "")
    assert f"not overwriting {folder}/axes.yaml, {folder}/governance.yaml" in err
    assert "--force" in err
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()} == before


def test_refuses_even_when_one_file_exists(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "axes.yaml").write_text("# mine\n", encoding="utf-8")
    code, _, err = psc("init", "--blank", str(folder))
    assert code == 1
    assert f"not overwriting {folder}/axes.yaml;" in err
    assert files_under(folder) == ["axes.yaml"]


def test_force_replaces_only_its_own_files(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    assert psc("init", str(folder))[0] == 0
    (folder / "si_roadmap.yaml").write_text("# mine\n", encoding="utf-8")
    (folder / "notes.txt").write_text("keep me\n", encoding="utf-8")
    (folder / "other_roadmap.yaml").write_text("# keep me too\n", encoding="utf-8")
    code, _, _ = psc("init", "--force", str(folder))
    assert code == 0
    assert (folder / "si_roadmap.yaml").read_bytes() == (REPO / "data" / "si_roadmap.yaml").read_bytes().replace(
        b"$schema=../schemas/", b"$schema=schemas/", 1
    )
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me\n"
    assert (folder / "other_roadmap.yaml").read_text(encoding="utf-8") == "# keep me too\n"


def test_force_replaces_a_symlink_not_its_target(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("# not psc's\n", encoding="utf-8")
    (folder / "axes.yaml").symlink_to(outside)
    assert psc("init", "--blank", "--force", str(folder))[0] == 0
    assert outside.read_text(encoding="utf-8") == "# not psc's\n"
    assert not (folder / "axes.yaml").is_symlink()


def test_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x\n", encoding="utf-8")
    code, out, err = psc("init", str(target))
    assert (code, out) == (2, "")
    assert "is a file, not a folder" in err
    assert target.read_text(encoding="utf-8") == "x\n"


def test_an_unwritable_place(tmp_path: Path) -> None:
    code, out, err = psc("init", "/proc/psc-cannot-be-here")
    assert (code, out) == (1, "")
    assert "cannot create the folder '/proc/psc-cannot-be-here'" in err
    if os.geteuid() != 0:  # root writes anywhere
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            code, _, err = psc("init", str(folder))
            assert code == 1
            assert "cannot write" in err or "cannot create" in err
        finally:
            folder.chmod(0o700)


def test_no_traceback_from_the_installed_command(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    result = installed_psc("init", "f", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: 'f' is a file")


@pytest.mark.parametrize("kind", ["axes", "governance", "roadmap"])
def test_schema_files_in_the_project_are_json(tmp_path: Path, kind: str) -> None:
    assert psc("init", "--blank", str(tmp_path))[0] == 0
    data = json.loads((tmp_path / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("word", ["true", "false", "yes", "1"])
def test_a_value_after_a_flag_is_a_usage_error_not_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            word: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = psc("init", "--blank", word)
    assert (code, out) == (2, "")
    assert err == (
        f"error: '{word}' looks like a value for --blank or --force, which take none: write `psc init --blank DIR`; "
        f"to create a project in a folder named '{word}', write `psc init ./{word}`\n"
    )
    assert not (tmp_path / word).exists()
    code, _, _ = psc("init", "--blank", f"./{word}")
    assert code == 0 and (tmp_path / word / "axes.yaml").is_file()
