"""`psc validate`: every rule of FORMAT.md fails where it should (rule, file, line, column)
and passes where it should; the three formats; the exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from psc_roadmap.cli import app
from psc_roadmap.rules import RULES
from tests.conftest import AXES, DEMO, GOVERNANCE, REPO, ROADMAP, MakeProject

runner = CliRunner()
# SI-02 serves AX1 too, so that a typo in SI-01's axis leaves no axis unused.
ROADMAP_AX1_TWICE = ROADMAP.replace("axes: AX2", "axes: [AX2, AX1]")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def findings(folder: Path) -> list[dict[str, object]]:
    code, out, _ = run("validate", "-d", str(folder), "--format", "json")
    assert code in (0, 1), out
    return json.loads(out)["diagnostics"]  # type: ignore[no-any-return]


def where(diag: dict[str, object]) -> tuple[object, ...]:
    return (diag["rule"], Path(str(diag["file"])).name, diag["line"], diag["column"])


# Each case: the files to replace, then (rule, file, line, column) that must be reported.
FAILING = {
    "file-error-not-utf8": (
        {"governance.yaml": "bodies:\n  - id: c\n    name: Comit\xe9\n    kind: committee\n".encode("latin-1")},
        ("file-error", "governance.yaml", 1, 1),
    ),
    "file-error-folder": ({"x_roadmap.yaml": None}, ("file-error", "x_roadmap.yaml", 1, 1)),
    "missing-file-axes": ({"axes.yaml": None}, ("missing-file", "axes.yaml", 1, 1)),
    "missing-file-roadmap": ({"si_roadmap.yaml": None}, ("missing-file", "*_roadmap.yaml", 1, 1)),
    "yaml-syntax": ({"governance.yaml": "bodies:\n  - id: [c\n"}, ("yaml-syntax", "governance.yaml", 2, 9)),
    "duplicate-key": (
        {"axes.yaml": AXES.replace("    title: Visiteurs\n", "    title: Visiteurs\n    title: Public\n")},
        ("duplicate-key", "axes.yaml", 9, 5),
    ),
    "schema-unknown-field": (
        {"si_roadmap.yaml": ROADMAP.replace("    owner: DSI", "    ownr: DSI")},
        ("schema", "si_roadmap.yaml", 17, 5),
    ),
    "schema-missing-field": (
        {"si_roadmap.yaml": ROADMAP.replace('    end: "2019-Q4"\n', "")},
        ("schema", "si_roadmap.yaml", 10, 5),
    ),
    "schema-enum": (
        {"si_roadmap.yaml": ROADMAP.replace("status: in_progress", "status: started")},
        ("schema", "si_roadmap.yaml", 23, 13),
    ),
    "schema-wrong-type": (
        {"axes.yaml": AXES.replace("  - id: AX2\n    title: Visiteurs", "  - id: AX2\n    title: [a, b]")},
        ("schema", "axes.yaml", 8, 12),
    ),
    "schema-malformed-id": (
        {"axes.yaml": AXES.replace("id: AX2", "id: 2AX")},
        ("schema", "axes.yaml", 7, 9),
    ),
    "schema-malformed-period": (
        {"si_roadmap.yaml": ROADMAP.replace('end: "2019-Q4"', 'end: "2019-Q5"')},
        ("schema", "si_roadmap.yaml", 16, 10),
    ),
    "schema-date": (
        {"si_roadmap.yaml": ROADMAP.replace('end: "2019-Q4"', "end: 2019-12-01")},
        ("schema", "si_roadmap.yaml", 16, 10),
    ),
    "duplicate-id": (
        {"governance.yaml": GOVERNANCE.replace("id: hub", "id: AX1").replace("reports_to: comite", "")},
        ("duplicate-id", "governance.yaml", 5, 9),
    ),
    "unknown-reference-axis": (
        {"si_roadmap.yaml": ROADMAP.replace("axes: [AX1]", "axes: [AX9]")},
        ("unknown-reference", "si_roadmap.yaml", 12, 12),
    ),
    "unknown-reference-reports-to": (
        {"governance.yaml": GOVERNANCE.replace("reports_to: comite", "reports_to: comity")},
        ("unknown-reference", "governance.yaml", 9, 17),
    ),
    "duplicate-reference": (
        {"si_roadmap.yaml": ROADMAP.replace("axes: [AX1]", "axes: [AX1, AX1]")},
        ("duplicate-reference", "si_roadmap.yaml", 12, 17),
    ),
    "dependency-cycle": (
        {"si_roadmap.yaml": ROADMAP.replace("    owner: DSI\n", "    owner: DSI\n    depends_on: [SI-02]\n")},
        ("dependency-cycle", "si_roadmap.yaml", 18, 18),
    ),
    "period-order": (
        {"si_roadmap.yaml": ROADMAP.replace('start: "2020-01"', "start: 2021").replace("end: 2021", 'end: "2020-Q2"')},
        ("period-order", "si_roadmap.yaml", 22, 10),
    ),
    "beyond-horizon": (
        {"si_roadmap.yaml": ROADMAP.replace("end: 2021", 'end: "2022-Q1"')},
        ("beyond-horizon", "si_roadmap.yaml", 22, 10),
    ),
    "beyond-horizon-start": (
        {"si_roadmap.yaml": ROADMAP.replace("    start: 2019\n    end:", "    start: 2018\n    end:")},
        ("beyond-horizon", "si_roadmap.yaml", 15, 12),
    ),
    "dependency-order": (
        {"si_roadmap.yaml": ROADMAP.replace('start: "2020-01"', 'start: "2019-12"')},
        ("dependency-order", "si_roadmap.yaml", 25, 18),
    ),
    "unused-axis": ({"si_roadmap.yaml": ROADMAP.replace("axes: AX2", "axes: AX1")}, ("unused-axis", "axes.yaml", 7, 9)),
    "unused-principle": (
        {"si_roadmap.yaml": ROADMAP.replace("    principles: [P1]\n", "")},
        ("unused-principle", "axes.yaml", 10, 9),
    ),
    "missing-owner": (
        {"si_roadmap.yaml": ROADMAP.replace("    body: hub\n", "")},
        ("missing-owner", "si_roadmap.yaml", 18, 5),
    ),
    "missing-feasibility": (
        {"si_roadmap.yaml": ROADMAP.replace("    owner: DSI\n", "    owner: DSI\n    feasibility: surely\n")},
        ("missing-feasibility", "si_roadmap.yaml", 19, 5),
    ),
    "empty-roadmap": (
        {"x_roadmap.yaml": "roadmap:\n  id: x\n  title: Vide\n  horizon: 2020\nactions: []\n"},
        ("empty-roadmap", "x_roadmap.yaml", 5, 10),
    ),
}


@pytest.mark.parametrize("case", sorted(FAILING))
def test_rule_fails_at_its_position(make_project: MakeProject, case: str) -> None:
    files, expected = FAILING[case]
    folder = make_project(files)
    if case == "file-error-folder":
        (folder / "x_roadmap.yaml").mkdir()
    diags = findings(folder)
    assert expected in [where(d) for d in diags], diags


def test_every_rule_has_a_failing_case() -> None:
    covered = {expected[0] for _, expected in FAILING.values()}
    assert covered == set(RULES)


def test_minimal_project_passes_every_rule(make_project: MakeProject) -> None:
    code, out, err = run("validate", "-d", str(make_project()))
    assert (code, out, err) == (0, "0 errors, 0 warnings in 3 files\n", "")


@pytest.mark.parametrize("folder", [REPO / "data", DEMO], ids=["louvre", "demo"])
def test_shipped_projects_are_clean(folder: Path) -> None:
    code, out, _ = run("validate", "-d", str(folder), "--strict")
    assert code == 0
    assert out.startswith("0 errors, 0 warnings in ")


def test_typo_in_axis_gives_one_line_with_position_rule_and_meant_id(make_project: MakeProject) -> None:
    folder = make_project({"si_roadmap.yaml": ROADMAP_AX1_TWICE.replace("axes: [AX1]", "axes: [AXl]")})
    code, out, _ = run("validate", "-d", str(folder))
    assert code == 1
    assert out.splitlines() == [
        f"{folder}/si_roadmap.yaml:12:12: error unknown-reference: axis 'AXl' does not exist (did you mean 'AX1'?)",
        "1 error, 0 warnings in 3 files",
    ]


def test_unknown_field_suggests_the_field(make_project: MakeProject) -> None:
    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("    owner: DSI", "    ownr: DSI")})
    _, out, _ = run("validate", "-d", str(folder))
    assert "unknown field 'ownr' (did you mean 'owner'?)" in out


def test_far_reference_lists_valid_ids(make_project: MakeProject) -> None:
    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("body: hub", "body: zzzzzz")})
    _, out, _ = run("validate", "-d", str(folder))
    assert "body 'zzzzzz' does not exist (valid: 'comite', 'hub')" in out


def test_every_finding_of_every_file_sorted(make_project: MakeProject) -> None:
    folder = make_project({
        "axes.yaml": AXES.replace("id: AX2", "id: 2AX"),
        "governance.yaml": GOVERNANCE.replace("kind: hub", "kind: hubb"),
        "si_roadmap.yaml": ROADMAP.replace("axes: [AX1]", "axes: [AX9]").replace("status: in_progress", "status: x"),
    })
    diags = findings(folder)
    files = [Path(str(d["file"])).name for d in diags]
    assert files == sorted(files, key=["axes.yaml", "governance.yaml", "si_roadmap.yaml"].index)
    positions = [(f, d["line"], d["column"]) for f, d in zip(files, diags, strict=True)]
    order = ["axes.yaml", "governance.yaml", "si_roadmap.yaml"]
    assert positions == sorted(positions, key=lambda p: (order.index(str(p[0])), p[1], p[2]))
    assert {d["rule"] for d in diags} >= {"schema", "unknown-reference"}
    assert len({Path(str(d["file"])).name for d in diags}) == 3


def test_text_format_paths_are_folder_plus_name(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_project({"si_roadmap.yaml": ROADMAP_AX1_TWICE.replace("axes: [AX1]", "axes: [AX9]")})
    monkeypatch.chdir(folder.parent)
    _, out, _ = run("validate", "-d", "data")
    assert out.startswith("data/si_roadmap.yaml:12:12: error unknown-reference: ")


def test_json_format(make_project: MakeProject) -> None:
    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("body: hub", "body: hubb")})
    code, out, _ = run("validate", "-d", str(folder), "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert set(payload) == {"diagnostics", "errors", "warnings", "files"}
    assert (payload["errors"], payload["warnings"], payload["files"]) == (1, 0, 3)
    (diag,) = payload["diagnostics"]
    assert set(diag) == {"file", "line", "column", "severity", "rule", "message"}
    assert (diag["severity"], diag["rule"], diag["line"], diag["column"]) == ("error", "unknown-reference", 24, 11)
    assert "did you mean 'hub'?" in diag["message"]


def test_github_format(make_project: MakeProject) -> None:
    folder = make_project(
        {"si_roadmap.yaml": ROADMAP_AX1_TWICE.replace("axes: [AX1]", "axes: [AX9]").replace("    body: hub\n", "")}
    )
    code, out, _ = run("validate", "-d", str(folder), "--format", "github")
    assert code == 1
    lines = out.splitlines()
    prefix = f"::error file={folder}/si_roadmap.yaml,line=12,col=12,title=unknown-reference::axis 'AX9'"
    assert lines[0].startswith(prefix)
    assert lines[1].startswith(f"::warning file={folder}/si_roadmap.yaml,line=18,col=5,title=missing-owner::")
    assert len(lines) == 2  # nothing else: no summary


def test_warnings_exit_0_unless_strict(make_project: MakeProject) -> None:
    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("    body: hub\n", "")})
    assert run("validate", "-d", str(folder))[0] == 0
    code, out, _ = run("validate", "-d", str(folder), "--strict")
    assert code == 1
    assert out.endswith("0 errors, 1 warning in 3 files\n")


def test_ignore_drops_a_rule(make_project: MakeProject) -> None:
    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("    body: hub\n", "")})
    code, out, _ = run("validate", "-d", str(folder), "--strict", "--ignore", "missing-owner")
    assert (code, out) == (0, "0 errors, 0 warnings in 3 files\n")


def test_ignore_unknown_rule_is_usage_error(make_project: MakeProject) -> None:
    code, _, err = run("validate", "-d", str(make_project()), "--ignore", "missing-ownr")
    assert code == 2
    assert "unknown rule 'missing-ownr' (did you mean 'missing-owner'?)" in err


def test_missing_folder_is_usage_error(tmp_path: Path) -> None:
    code, out, err = run("validate", "-d", str(tmp_path / "nope"))
    assert code == 2
    assert out == ""
    assert "does not exist" in err and "psc init" in err


def test_default_folder_and_psc_data(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_project()
    monkeypatch.chdir(folder.parent)
    assert run("validate")[0] == 0  # ./data
    monkeypatch.chdir(folder)
    assert run("validate") == (0, "0 errors, 0 warnings in 3 files\n", "")  # the current folder holds axes.yaml
    monkeypatch.chdir(folder / "..")
    (folder.parent / "elsewhere").mkdir()
    monkeypatch.setenv("PSC_DATA", str(folder))
    monkeypatch.chdir(folder.parent / "elsewhere")
    assert run("validate")[0] == 0


def test_the_current_folder_comes_before_its_data_folder(make_project: MakeProject,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    outer = make_project(name="outer")
    make_project({"si_roadmap.yaml": ROADMAP.replace("axes: [AX1]", "axes: [AX9]")}, name="outer/data")
    monkeypatch.chdir(outer)
    code, out, _ = run("validate")
    assert (code, out) == (0, "0 errors, 0 warnings in 3 files\n")
    code, out, _ = run("validate", "-d", "data")
    assert code == 1 and "data/si_roadmap.yaml:12:12: error unknown-reference" in out


def test_no_project_here_says_where_psc_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("validate")
    assert (code, out) == (2, "")
    assert err == (
        "error: no project here: this folder has no axes.yaml and no 'data' folder; run psc in a project folder, "
        "point -d/--data at one, or create one with `psc init data` (or `psc init --blank data`)\n"
    )


def test_unknown_option_is_usage_error(make_project: MakeProject) -> None:
    code, _, err = run("validate", "-d", str(make_project()), "--bogus")
    assert code == 2
    assert "No such option" in err


def test_bad_format_is_usage_error(make_project: MakeProject) -> None:
    assert run("validate", "-d", str(make_project()), "--format", "xml")[0] == 2


def test_messages_carry_a_fix_hint(make_project: MakeProject) -> None:
    folder = make_project({
        "si_roadmap.yaml": ROADMAP.replace("end: 2021", 'end: "2022-Q1"').replace('end: "2019-Q4"', "end: 2019-12-01"),
    })
    _, out, _ = run("validate", "-d", str(folder))
    assert 'is a date; write "2019-12" or 2019' in out
    assert "after the horizon 2021" in out


def test_github_escapes_newlines_and_commas() -> None:
    from psc_roadmap.errors import Finding, Position
    from psc_roadmap.reporters import github_report

    report = github_report([Finding(Position("a,b.yaml", 2, 3), "schema", "x\ny 100%")], 1)
    assert report == "::error file=a%2Cb.yaml,line=2,col=3,title=schema::x%0Ay 100%25\n"


def test_text_line_format_matches_contract(make_project: MakeProject) -> None:
    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("axes: [AX1]", "axes: [AX9]")})
    _, out, _ = run("validate", "-d", str(folder))
    assert re.fullmatch(r".+:\d+:\d+: (error|warning) [a-z-]+: .+", out.splitlines()[0])


# --- one mistake, one finding: no cascade (review findings) ------------------------------


def rules_at(folder: Path) -> list[tuple[object, ...]]:
    return [where(d) for d in findings(folder)]


def test_missing_axes_file_is_one_finding(make_project: MakeProject) -> None:
    assert rules_at(make_project({"axes.yaml": None})) == [("missing-file", "axes.yaml", 1, 1)]


@pytest.mark.parametrize("broken", ["axes: foo\n", "axes: [AX1\n"], ids=["not-a-list", "syntax"])
def test_unreadable_axes_list_leaves_references_unjudged(make_project: MakeProject, broken: str) -> None:
    axes = AXES.split("axes:\n")[0] + broken + "principles:\n  - id: P1\n    title: Usagers au centre\n"
    rules = {str(r[0]) for r in rules_at(make_project({"axes.yaml": axes}))}
    assert "unknown-reference" not in rules


def test_a_schema_error_in_an_action_hides_none_of_its_other_findings(make_project: MakeProject) -> None:
    roadmap = ROADMAP_AX1_TWICE.replace("status: in_progress", "status: planed").replace(
        "axes: [AX2, AX1]", "axes: [AX2, AX1, AX9]").replace("end: 2021", 'end: "2022-Q1"')
    assert rules_at(make_project({"si_roadmap.yaml": roadmap})) == [
        ("unknown-reference", "si_roadmap.yaml", 20, 22),
        ("beyond-horizon", "si_roadmap.yaml", 22, 10),
        ("schema", "si_roadmap.yaml", 23, 13),
    ]


def test_an_id_repeated_across_kinds_is_one_duplicate_id(make_project: MakeProject) -> None:
    axes = AXES.replace("  - id: P1\n", "  - id: AX2\n")
    roadmap = ROADMAP.replace("principles: [P1]", "principles: [AX2]")
    assert rules_at(make_project({"axes.yaml": axes, "si_roadmap.yaml": roadmap})) == [
        ("duplicate-id", "axes.yaml", 10, 9),
    ]


def test_duplicate_id_points_at_the_second_in_reading_order(make_project: MakeProject) -> None:
    axes = "principles:\n  - id: AX1\n    title: Avant les axes\n" + AXES.split("principles:\n")[0]
    roadmap = ROADMAP.replace("    principles: [P1]\n", "")
    diags = findings(make_project({"axes.yaml": axes, "si_roadmap.yaml": roadmap}))
    (dup,) = [d for d in diags if d["rule"] == "duplicate-id"]
    assert (dup["line"], dup["column"]) == (8, 9)
    assert "at " in str(dup["message"]) and ":2:9" in str(dup["message"])


def test_empty_roadmap_is_reported_beside_a_broken_one(make_project: MakeProject) -> None:
    empty = "roadmap:\n  id: x\n  title: Vide\n  horizon: 2020\nactions: []\n"
    broken = ROADMAP.replace("    title: Billetterie\n", "")
    rules = rules_at(make_project({"x_roadmap.yaml": empty, "si_roadmap.yaml": broken}))
    assert ("empty-roadmap", "x_roadmap.yaml", 5, 10) in rules


def test_a_loop_is_one_finding_not_also_order_warnings(make_project: MakeProject) -> None:
    roadmap = ROADMAP.replace("    owner: DSI\n", "    owner: DSI\n    depends_on: [SI-02]\n")
    assert [r[0] for r in rules_at(make_project({"si_roadmap.yaml": roadmap}))] == ["dependency-cycle"]


def test_no_roadmap_file_is_one_finding(make_project: MakeProject) -> None:
    assert [r[0] for r in rules_at(make_project({"si_roadmap.yaml": None}))] == ["missing-file"]


def test_missing_field_in_a_flow_mapping_points_at_its_first_key(make_project: MakeProject) -> None:
    line = "  - {id: SI-03, axes: [AX1], start: 2019, end: 2019, owner: DSI}\n"
    rules = rules_at(make_project({"si_roadmap.yaml": ROADMAP + line}))
    assert rules == [("schema", "si_roadmap.yaml", 26, 6)]


def test_a_date_as_horizon_suggests_the_year(make_project: MakeProject) -> None:
    folder = make_project({"si_roadmap.yaml": ROADMAP.replace("horizon: 2021", "horizon: 2021-12-31")})
    messages = [str(d["message"]) for d in findings(folder)]
    assert "horizon: '2021-12-31' is a date; write the year, 2021" in messages


def test_empty_required_text_and_null_required_list(make_project: MakeProject) -> None:
    roadmap = ROADMAP.replace("title: Base collections", 'title: "  "')
    messages = [str(d["message"]) for d in findings(make_project({"si_roadmap.yaml": roadmap}))]
    assert "'title' is empty; write some text" in messages
    roadmap = ROADMAP.split("actions:")[0] + "actions:\n"
    diags = findings(make_project({"si_roadmap.yaml": roadmap}))
    assert [(d["line"], d["column"], d["message"]) for d in diags] == [
        (9, 1, "'actions' is required but empty; give it a value")
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_summary_counts_every_file_of_the_project(make_project: MakeProject, encoding: str) -> None:
    folder = make_project({"governance.yaml": "bodies: []\ndescription: Comité\n".encode(encoding)})
    _, out, _ = run("validate", "-d", str(folder))
    assert out.splitlines()[-1] == "1 error, 0 warnings in 3 files"


@pytest.mark.parametrize(
    ("name", "target"),
    [("roadmap.yaml", "si_roadmap.yaml"), ("main-roadmap.yaml", "main_roadmap.yaml"),
     ("si_roadmap.yml", "si_roadmap.yaml"), ("Roadmap SI.yaml", "SI_roadmap.yaml")],
)
def test_a_misnamed_roadmap_file_is_named_with_its_name_to_be(make_project: MakeProject, name: str,
                                                                target: str) -> None:
    folder = make_project({"si_roadmap.yaml": None, name: ROADMAP})
    diag = only_finding(folder)
    assert where(diag) == ("missing-file", name, 1, 1)
    assert diag["message"] == (
        "no *_roadmap.yaml file: psc reads a roadmap only from a file whose name ends in _roadmap.yaml; "
        f"rename '{name}' to '{target}'"
    )
    (folder / name).rename(folder / target)
    assert findings(folder) == []


def test_numbers_written_as_text_keep_their_writing(make_project: MakeProject) -> None:
    from psc_roadmap.load import load_project

    roadmap = ROADMAP.replace("owner: DSI", "owner: 007\n    description: 2022.10\n    tags: [1e3, 0x1F, 42]")
    roadmap = roadmap.replace("start: 2019\n  horizon", "start: 0x7E3\n  horizon")
    project, found = load_project(make_project({"si_roadmap.yaml": roadmap}))
    assert found == []
    action = project.index["SI-01"].model
    assert (action.owner, action.description, action.tags) == ("007", "2022.10", ["1e3", "0x1F", "42"])
    assert project.roadmaps[0].header.start == 2019 and type(project.roadmaps[0].header.start) is int


def test_an_item_that_fails_validation_still_counts_for_duplicate_ids(make_project: MakeProject) -> None:
    broken = "  - id: SI-02\n    titel: Sans titre\n    axes: [AX1]\n    start: 2019\n    end: 2019\n"
    roadmap = ROADMAP.replace("actions:\n", "actions:\n" + broken)
    rules = rules_at(make_project({"si_roadmap.yaml": roadmap}))
    assert ("duplicate-id", "si_roadmap.yaml", 23, 9) in rules
    assert [r[0] for r in rules].count("schema") == 2  # titel unknown, title missing


# --- one mistake, one finding: a wrong value is not also a missing one -----------------------


def only_finding(folder: Path) -> dict[str, object]:
    diags = findings(folder)
    assert len(diags) == 1, diags
    return diags[0]


def test_a_feasibility_outside_its_list_is_not_also_missing(make_project: MakeProject) -> None:
    roadmap = ROADMAP.replace("    owner: DSI\n", "    owner: DSI\n    feasibility: likely\n").replace(
        "    body: hub\n", "    body: hub\n    feasibility: surely\n")
    diag = only_finding(make_project({"si_roadmap.yaml": roadmap}))
    assert where(diag) == ("schema", "si_roadmap.yaml", 18, 18)
    assert diag["message"] == (
        "feasibility 'likely' is not one of surely, probably, potentially (did you mean 'probably'?)"
    )


def test_a_misspelt_owner_is_not_also_a_missing_owner(make_project: MakeProject) -> None:
    diag = only_finding(make_project({"si_roadmap.yaml": ROADMAP.replace("    owner: DSI", "    onwer: DSI")}))
    assert where(diag) == ("schema", "si_roadmap.yaml", 17, 5)
    assert diag["message"] == "unknown field 'onwer' (did you mean 'owner'?)"


def test_a_wrong_status_is_not_also_a_missing_owner(make_project: MakeProject) -> None:
    roadmap = ROADMAP.replace("    owner: DSI\n", "    status: finished\n")
    diag = only_finding(make_project({"si_roadmap.yaml": roadmap}))
    assert where(diag) == ("schema", "si_roadmap.yaml", 17, 13)


def test_an_id_with_a_space_is_one_finding_and_its_references_stay_quiet(make_project: MakeProject) -> None:
    axes = AXES.replace("id: AX2", "id: AX 2")
    diag = only_finding(make_project({"axes.yaml": axes, "si_roadmap.yaml": ROADMAP_AX1_TWICE}))
    assert where(diag) == ("schema", "axes.yaml", 7, 9)
    assert str(diag["message"]).endswith("an id has no spaces (an id starts with a letter, then up to 39 "
                                         "letters, digits, '_', '.' or '-'); write `id: AX2`")


def test_a_suggestion_never_points_away_from_the_item_meant(make_project: MakeProject) -> None:
    # AX2's id is broken otherwise than by a space: 'AX2x' is closer to it than to AX1.
    axes = AXES.replace("id: AX2", "id: 2AX2")
    roadmap = ROADMAP_AX1_TWICE.replace("axes: [AX2, AX1]", "axes: [AX2x, AX1]")
    diags = findings(make_project({"axes.yaml": axes, "si_roadmap.yaml": roadmap}))
    messages = [str(d["message"]) for d in diags if d["rule"] == "unknown-reference"]
    assert "axis 'AX2x' does not exist (did you mean '2AX2'? that axis has a finding of its own)" in messages
    assert not [m for m in messages if "AX1" in m]


@pytest.mark.parametrize(
    ("written", "meant"),
    [("finished", "done"), ("complete", "done"), ("closed", "done"), ("started", "in_progress"),
     ("ongoing", "in_progress"), ("en cours", "in_progress"), ("paused", "on_hold"), ("canceled", "cancelled")],
)
def test_a_status_is_suggested_by_meaning(make_project: MakeProject, written: str, meant: str) -> None:
    roadmap = ROADMAP.replace("status: in_progress", f"status: {written}")
    diag = only_finding(make_project({"si_roadmap.yaml": roadmap}))
    assert where(diag) == ("schema", "si_roadmap.yaml", 23, 13)
    assert str(diag["message"]).endswith(f"(did you mean '{meant}'?)")


@pytest.mark.parametrize(
    ("written", "meant"),
    [('"2019-T2"', "2019-Q2"), ("2019-T4", "2019-Q4"), ('"T3 2019"', "2019-Q3"), ("2019-q1", "2019-Q1"),
     ("2019-9", "2019-09")],
)
def test_a_french_quarter_is_suggested_as_the_quarter(make_project: MakeProject, written: str, meant: str) -> None:
    diag = only_finding(make_project({"si_roadmap.yaml": ROADMAP.replace('end: "2019-Q4"', f"end: {written}")}))
    assert where(diag) == ("schema", "si_roadmap.yaml", 16, 10)
    assert str(diag["message"]).endswith(f'; write `end: "{meant}"`')


def test_options_are_suggested_by_meaning_too(make_project: MakeProject) -> None:
    folder = make_project()
    code, _, err = run("query", "-d", str(folder), "--status", "finished")
    assert code == 2
    assert "--status: 'finished' is not a status (did you mean 'done'?)" in err
    code, _, err = run("add", "-d", str(folder), "--title", "X", "--axis", "AX1", "--start", "2020-T2",
                       "--end", "2021", "--owner", "DSI")
    assert code == 1
    assert "start: '2020-T2' is not a period (a quarter is written Q1 to Q4); write `start: \"2020-Q2\"`" in err
