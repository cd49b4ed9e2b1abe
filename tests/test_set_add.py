"""`psc set` and `psc add`: what the user sees, and that every other byte stays put."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import run_psc as psc

PROJECTS = Path(__file__).parent / "projects"
REPO = Path(__file__).parent.parent


def diff(before: str, after: str) -> list[str]:
    """The changed lines of a unified diff, without its headers and hunk markers."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), n=0)
    return [line for line in lines if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "edit"
    shutil.copytree(PROJECTS / "edit", folder)
    return folder


@pytest.fixture
def louvre(tmp_path: Path) -> Path:
    folder = tmp_path / "louvre"
    shutil.copytree(REPO / "data", folder)
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


# --- set: one line changes, nothing else -------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "field", "value", "removed", "added"),
    [
        ("OPS-02", "status", "done", ["    status: planned\n"], ["    status: done\n"]),
        ("OPS-01", "title", "Serveurs neufs", ["    title: Serveurs   # an end-of-line comment\n"],
         ["    title: Serveurs neufs   # an end-of-line comment\n"]),
        ("OPS-02", "title", "Réseau wifi", ['    title: "Réseau"\n'], ['    title: "Réseau wifi"\n']),
        ("OPS-01", "end", "2024-Q1", ["    end: '2023-Q4'\n"], ["    end: '2024-Q1'\n"]),
        ("OPS-02", "start", "2024", ['    start: "2024-01"\n'], ["    start: 2024\n"]),
        ("OPS-02", "end", "2025-06", ["    end: 2024\n"], ['    end: "2025-06"\n']),
        ("OPS-02", "axes", "AX1,AX2", ["    axes: [AX1]\n"], ["    axes: [AX1, AX2]\n"]),
        ("OPS-02", "tags", "", ["    tags: [réseau, wifi]\n"], []),
        ("OPS-02", "owner", "Équipe réseau", [], ["    owner: Équipe réseau\n"]),
        ("OPS-02", "description", "Texte : avec # et 'apostrophes'", [],
         ["    description: \"Texte : avec # et 'apostrophes'\"\n"]),
        ("OPS-01", "principles", "P1,P2", ["    principles: P1\n"], ["    principles: [P1, P2]\n"]),
        ("OPS-01", "principles", "P2", ["    principles: P1\n"], ["    principles: P2\n"]),
        ("OPS-01", "axes", "AX2", ["      - AX1\n"], []),
        ("OPS-01", "description", "Court.",
         ["    description: >-\n", "      Un texte plié\n", "      sur deux lignes.\n"],
         ["    description: Court.\n"]),
        ("OPS-01", "owner", "", ["    owner: DSI\n"], []),
    ],
)
def test_set_changes_only_the_value(
    project: Path, action: str, field: str, value: str, removed: list[str], added: list[str]
) -> None:
    name = "ops_roadmap.yaml"
    before = (project / name).read_text(encoding="utf-8")
    code, out, err = psc("set", action, field, value, "-d", str(project))
    assert code == 0, err
    assert f"{action} " in out
    after = (project / name).read_text(encoding="utf-8")
    assert diff(before, after) == [f"-{line}" for line in removed] + [f"+{line}" for line in added]
    assert psc("validate", "-d", str(project))[0] == 0


def test_set_new_key_goes_after_the_last_key(project: Path) -> None:
    before = (project / "ops_roadmap.yaml").read_text(encoding="utf-8")
    assert psc("set", "OPS-01", "feasibility", "surely", "-d", str(project))[0] == 0
    after = (project / "ops_roadmap.yaml").read_text(encoding="utf-8")
    assert "      sur deux lignes.\n    feasibility: surely\n\n  - id: OPS-02" in after
    assert diff(before, after) == ["+    feasibility: surely\n"]


def test_set_in_a_flow_mapping_and_a_column_zero_list(project: Path) -> None:
    name = "web_roadmap.yaml"
    before = (project / name).read_text(encoding="utf-8")
    assert psc("set", "W9", "status", "in_progress", "-d", str(project))[0] == 0
    assert psc("set", "W9", "title", "Application", "-d", str(project))[0] == 0
    assert psc("set", "W8", "tags", "site,web", "-d", str(project))[0] == 0
    after = (project / name).read_text(encoding="utf-8")
    assert diff(before, after) == [
        "-- {id: W9, title: Appli, axes: [AX2], start: 2025, end: 2026, owner: Communication}\n",
        "+  tags: [site, web]\n",
        "+- {id: W9, title: Application, axes: [AX2], start: 2025, end: 2026, owner: Communication, "
        "status: in_progress}\n",
    ]
    code, _, err = psc("set", "W9", "owner", "", "-d", str(project))
    assert code == 0
    assert "warning missing-owner: action 'W9'" in err  # a new warning is shown, never blocks
    text = (project / name).read_text(encoding="utf-8")
    assert "- {id: W9, title: Application, axes: [AX2], start: 2025, end: 2026, status: in_progress}\n" in text


def test_set_keeps_crlf_and_bom(project: Path) -> None:
    path = project / "ops_roadmap.yaml"
    original = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + original)
    assert psc("set", "OPS-02", "owner", "Réseau", "-d", str(project))[0] == 0
    assert psc("set", "OPS-02", "status", "done", "-d", str(project))[0] == 0
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in after.replace(b"\r\n", b"")
    expected = original.replace(b"    status: planned\r\n", b"    status: done\r\n").replace(
        b"    tags: [r\xc3\xa9seau, wifi]\r\n", b"    tags: [r\xc3\xa9seau, wifi]\r\n    owner: R\xc3\xa9seau\r\n"
    )
    assert after == b"\xef\xbb\xbf" + expected


def test_same_value_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    code, out, err = psc("set", "OPS-02", "status", "planned", "-d", str(project))
    assert (code, out) == (0, "")
    assert "unchanged" in err
    assert snapshot(project) == before


# --- set: refusals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "finished", "error schema: status 'finished' is not one of planned, in_progress"),
        ("feasibility", "maybe", "error schema: feasibility 'maybe' is not one of surely, probably, potentially"),
        ("axes", "AX9", "error unknown-reference: axis 'AX9' does not exist"),
        ("end", "2030", "error beyond-horizon: action 'OPS-02' ends in 2030"),
        ("start", "soon", "error schema: start: 'soon' is not a period"),
        ("start", "2020-13", "error schema: start: '2020-13' is not a period"),
        ("end", "2023", "error period-order"),
        ("title", "", "error schema: missing required field 'title'"),
        ("depends_on", "OPS-02", "error dependency-cycle"),
        ("body", "nobody", "error unknown-reference"),
    ],
)
def test_set_refuses_a_new_error(project: Path, field: str, value: str, message: str) -> None:
    before = snapshot(project)
    code, out, err = psc("set", "OPS-02", field, value, "-d", str(project))
    assert code == 1
    assert out == ""
    assert message in err
    assert f"{project}/ops_roadmap.yaml:" in err
    assert "not written" in err
    assert snapshot(project) == before


def test_set_usage_errors(project: Path) -> None:
    code, _, err = psc("set", "OPS-02", "statut", "done", "-d", str(project))
    assert code == 2
    assert "unknown field 'statut' (did you mean 'status'?)" in err
    assert "title, axes, principles, theme, start, end, status, feasibility" in err
    code, _, err = psc("set", "OPS-02", "id", "OPS-20", "-d", str(project))
    assert code == 2
    assert "renaming" in err
    assert "fields you can set: title," in err
    code, _, err = psc("set", "OPS-02", "status", "done", "-d", str(project / "missing"))
    assert code == 2
    assert "psc init" in err


def test_set_unknown_id(project: Path) -> None:
    before = snapshot(project)
    code, out, err = psc("set", "OPS-2", "status", "done", "-d", str(project))
    assert (code, out) == (1, "")
    assert "no action 'OPS-2' in the project (did you mean 'OPS-02'?)" in err
    code, _, err = psc("set", "AX1", "status", "done", "-d", str(project))
    assert code == 1
    assert "'AX1' is an axis, not an action" in err
    assert snapshot(project) == before


def test_set_repairs_a_broken_project(project: Path) -> None:
    path = project / "ops_roadmap.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("axes: [AX1]", "axes: [AX7]"), encoding="utf-8")
    # An unrelated change goes through; the error that was there is shown, not blocking.
    code, out, err = psc("set", "OPS-01", "status", "in_progress", "-d", str(project))
    assert code == 0
    assert "OPS-01 status = in_progress" in out
    assert "note: written, but the project still has 1 error that were there before" in err
    assert "axis 'AX7' does not exist" in err
    # A change that fixes it leaves no note at all.
    code, out, err = psc("set", "OPS-02", "axes", "AX1", "-d", str(project))
    assert code == 0
    assert err == ""
    assert psc("validate", "-d", str(project))[0] == 0


def test_set_in_a_file_with_a_duplicate_key(project: Path) -> None:
    path = project / "ops_roadmap.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    owner: DSI\n", "    owner: DSI\n    owner: X\n"),
                    encoding="utf-8")
    code, _, err = psc("set", "OPS-02", "status", "done", "-d", str(project))
    assert code == 0
    assert "duplicate-key: duplicate key 'owner'" in err  # shown, not blocking
    code, _, err = psc("set", "OPS-01", "owner", "", "-d", str(project))  # the second owner would count
    assert code == 1
    assert "could not make this change in place" in err


def test_set_on_a_broken_action_and_syntax_errors(project: Path) -> None:
    path = project / "ops_roadmap.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: planned", "status: later"), encoding="utf-8")
    assert psc("set", "OPS-02", "status", "planned", "-d", str(project))[0] == 0
    web = project / "web_roadmap.yaml"
    web.write_text("roadmap: [\n", encoding="utf-8")
    code, _, err = psc("set", "W8", "status", "done", "-d", str(project))
    assert code == 1
    assert "no action 'W8'" in err
    assert "web_roadmap.yaml:1:11: error yaml-syntax: did not find expected node content" in err


# --- add ----------------------------------------------------------------------------------


def test_add_continues_the_pattern_and_keeps_the_layout(project: Path) -> None:
    path = project / "ops_roadmap.yaml"
    before = path.read_text(encoding="utf-8")
    code, out, err = psc(
        "add", "--roadmap", "ops", "--title", "Sauvegardes", "--axis", "AX1", "--start", "2025",
        "--end", "2025-Q3", "--owner", "DSI", "--tag", "backup", "--principle", "P2",
        "--depends-on", "OPS-01", "-d", str(project),
    )
    assert (code, out) == (0, "OPS-03\n"), err
    assert "ops_roadmap.yaml:" in err
    after = path.read_text(encoding="utf-8")
    assert diff(before, after) == [
        "+\n",
        "+  - id: OPS-03\n",
        "+    title: Sauvegardes\n",
        "+    axes: [AX1]\n",
        "+    principles: [P2]\n",
        "+    start: 2025\n",
        '+    end: "2025-Q3"\n',
        "+    status: planned\n",
        "+    owner: DSI\n",
        "+    depends_on: [OPS-01]\n",
        "+    tags: [backup]\n",
    ]
    assert after.endswith("    tags: [backup]\n  # a comment after the last action\n")
    assert psc("validate", "-d", str(project))[0] == 0


def test_add_after_flow_mappings_and_without_padding(project: Path) -> None:
    code, out, _ = psc("add", "--roadmap", "web", "--title", "API", "--axis", "AX2", "--start", "2026",
                       "--end", "2026", "--owner", "DSI", "-d", str(project))
    assert (code, out) == (0, "W10\n")
    text = (project / "web_roadmap.yaml").read_text(encoding="utf-8")
    assert text.endswith("owner: Communication}\n- id: W10\n  title: API\n  axes: [AX2]\n  start: 2026\n"
                         "  end: 2026\n  status: planned\n  owner: DSI\n")


def test_add_skips_ids_taken_elsewhere(project: Path) -> None:
    web = project / "web_roadmap.yaml"
    web.write_text(web.read_text(encoding="utf-8").replace("id: W9,", "id: OPS-3,"), encoding="utf-8")
    code, out, _ = psc("add", "--roadmap", "ops", "--title", "X", "--axis", "AX1", "--start", "2025",
                       "--end", "2025", "--owner", "DSI", "-d", str(project))
    assert (code, out) == (0, "OPS-04\n")


def test_add_louvre(louvre: Path) -> None:
    before = (louvre / "si_roadmap.yaml").read_text(encoding="utf-8")
    code, out, _ = psc("add", "--roadmap", "si", "--title", "Nouvelle action", "--axis", "AX1",
                       "--start", "2021", "--end", "2021", "--owner", "DSI", "-d", str(louvre))
    assert code == 0
    new_id = out.strip()
    assert new_id.startswith("SI-")
    after = (louvre / "si_roadmap.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    assert f"\n\n  - id: {new_id}\n    title: Nouvelle action\n" in after
    assert psc("validate", "-d", str(louvre))[0] == 0


def test_add_to_an_empty_list(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    shutil.copytree(PROJECTS / "edit-empty", folder)
    code, _, err = psc("add", "--title", "X", "--axis", "AX1", "--start", "2025", "--end", "2026", "-d", str(folder))
    assert code == 2
    assert "no id pattern" in err and "--id" in err
    code, out, err = psc("add", "--id", "PL-01", "--title", "Première", "--axis", "AX1", "--start", "2025",
                         "--end", "2026", "--owner", "Moi", "-d", str(folder))
    assert (code, out) == (0, "PL-01\n"), err
    assert (folder / "plan_roadmap.yaml").read_text(encoding="utf-8") == textwrap.dedent("""\
        roadmap:
          id: plan
          title: Plan
          horizon: 2030
        actions:  # nothing yet
          - id: PL-01
            title: Première
            axes: [AX1]
            start: 2025
            end: 2026
            status: planned
            owner: Moi
        """)
    code, out, _ = psc("add", "--title", "Deuxième", "--axis", "AX1", "--start", "2026", "--end", "2026",
                       "--owner", "Moi", "-d", str(folder))
    assert (code, out) == (0, "PL-02\n")
    assert psc("validate", "--strict", "-d", str(folder))[0] == 0


def test_add_refusals(project: Path) -> None:
    before = snapshot(project)
    code, out, err = psc("add", "--title", "X", "--axis", "AX1", "--start", "2025", "--end", "2025", "-d", str(project))
    assert code == 2
    assert "choose one with --roadmap: ops (ops_roadmap.yaml), web (web_roadmap.yaml)" in err
    code, _, err = psc("add", "--roadmap", "opz", "--title", "X", "--axis", "AX1", "--start", "2025",
                       "--end", "2025", "-d", str(project))
    assert code == 2
    assert "did you mean 'ops'?" in err
    for extra, message in [
        (["--axis", "AX9"], "axis 'AX9' does not exist"),
        (["--axis", "AX1", "--status", "soon"], "status 'soon' is not one of"),
        (["--axis", "AX1", "--id", "OPS-01"], "duplicate-id"),
        (["--axis", "AX1", "--id", "1bad"], "malformed id '1bad'"),
        (["--axis", "AX1", "--theme", "web"], "unknown-reference"),
    ]:
        code, out, err = psc("add", "--roadmap", "ops", "--title", "X", "--start", "2025", "--end", "2025",
                             "--owner", "DSI", *extra, "-d", str(project))
        assert (code, out) == (1, ""), err
        assert message in err
        assert "not written: the change brings 1 new error" in err
    code, _, err = psc("add", "--roadmap", "ops", "--title", "X", "--axis", "AX9", "--start", "2025",
                       "--end", "2027", "-d", str(project))
    assert code == 1
    assert "beyond-horizon" in err and "axis 'AX9'" in err  # every new error is listed
    code, _, _ = psc("add", "--roadmap", "ops", "--title", "X", "--start", "2025", "--end", "2025", "-d", str(project))
    assert code == 2  # --axis is required
    assert snapshot(project) == before


# --- concurrency and the acceptance flow ---------------------------------------------------------

_WORKER = """
import sys
from psc_roadmap.edit import set_field
folder, action, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
for i in range(count):
    outcome = set_field(folder, action, "owner", f"{prefix}{i}")
    assert outcome.written, outcome
"""


def test_two_processes_lose_no_update(project: Path) -> None:
    count = "12"
    workers = [
        subprocess.Popen([sys.executable, "-c", _WORKER, str(project), action, prefix, count])
        for action, prefix in (("OPS-01", "a"), ("OPS-02", "b"))
    ]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    text = (project / "ops_roadmap.yaml").read_text(encoding="utf-8")
    assert "    owner: a11\n" in text
    assert "    owner: b11\n" in text
    assert not [p.name for p in project.iterdir() if p.name.startswith(".")]  # no temp or lock file left


def test_acceptance_init_set_validate(tmp_path: Path) -> None:
    """`psc init demo && psc set <action> status done -d demo && psc validate -d demo`, installed psc."""
    exe = shutil.which("psc", path=str(Path(sys.executable).parent)) or "psc"
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PSC_DATA", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    assert run("init", "demo").returncode == 0
    before = (tmp_path / "demo" / "si_roadmap.yaml").read_text(encoding="utf-8")
    result = run("set", "SI-17", "status", "done", "-d", "demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("demo/si_roadmap.yaml:")
    result = run("validate", "-d", "demo")
    assert result.returncode == 0, result.stdout
    after = (tmp_path / "demo" / "si_roadmap.yaml").read_text(encoding="utf-8")
    assert diff(before, after) == ["-    status: in_progress\n", "+    status: done\n"]
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and comments == [line for line in after.splitlines() if line.lstrip().startswith("#")]


def test_a_date_gets_the_same_answer_in_set_and_in_validate(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(REPO / "tests" / "projects" / "demo", folder)
    code, _, err = psc("set", "-d", str(folder), "T-2", "start", "2024-01-15")
    assert code == 1
    assert "'2024-01-15' is a date; write \"2024-01\" or 2024" in err


def test_a_refused_add_shows_the_lines_its_positions_are_in(project: Path) -> None:
    path = project / "ops_roadmap.yaml"
    length = len(path.read_text(encoding="utf-8").splitlines())
    code, out, err = psc("add", "--roadmap", "ops", "--title", "X", "--axis", "AX9", "--start", "2025",
                         "--end", "2025", "--owner", "DSI", "-d", str(project))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    finding = next(line for line in lines if "unknown-reference" in line)
    line = int(finding.split(":")[-4])
    assert line > length  # a line of the text psc proposed, not of the file as it is
    note = lines.index(next(n for n in lines if n.startswith("note: the positions in ")))
    assert lines[note] == (
        f"note: the positions in {path} are in the text psc proposed, which was not written; "
        f"there, lines {line - 2}-{line + 4} would have been:"
    )
    shown = dict(n.strip().split(" | ", 1) for n in lines[note + 1:])
    assert shown[str(line)] == "    axes: [AX9]"
    assert shown[str(line - 2)].endswith("- id: OPS-03")
