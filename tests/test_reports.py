"""The CI reports of `psc validate`: SARIF checked by Microsoft's SARIF validator, JUnit
read back by junitparser, GitLab Code Quality, the GitHub step summary; the same findings
in every format; fingerprints that survive moved lines; `-o` and its refusals.

Microsoft's validator comes from `cd tools/ci && npm install` (@microsoft/sarif-multitool,
whose platform package is a self-contained .NET program). A missing tool skips its test
with the reason, unless PSC_REQUIRE_TOOLS=1 (CI), where it fails instead."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from junitparser import Failure, JUnitXml

from psc_roadmap.rules import RULES
from tests.conftest import BASE, ROADMAP, run_psc

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "ci"
INSTALL = "install it with `cd tools/ci && npm install`"

#: A broken project: an unknown axis (which leaves AX1 unused), a malformed theme id with
#: characters every format must escape, a status outside its list; governance.yaml is clean.
BROKEN = {
    "si_roadmap.yaml": ROADMAP.replace("axes: [AX1]", "axes: [AX9]")
    .replace("    theme: socles\n", '    theme: "so<&|>cles"\n')
    .replace("status: in_progress", "status: started"),
}
#: (rule, file, line, column) of each finding of BROKEN, in reading order.
EXPECTED = [
    ("unused-axis", "data/axes.yaml", 5, 9),
    ("unknown-reference", "data/si_roadmap.yaml", 12, 12),
    ("schema", "data/si_roadmap.yaml", 14, 12),
    ("schema", "data/si_roadmap.yaml", 23, 13),
]
FORMATS = ["text", "json", "github", "sarif", "gitlab", "junit"]


def need(condition: bool, what: str) -> None:
    """Skip when a tool is missing; in CI (PSC_REQUIRE_TOOLS=1), fail instead."""
    if condition:
        return
    message = f"{what} is missing: {INSTALL}"
    if os.environ.get("PSC_REQUIRE_TOOLS") == "1":
        pytest.fail(f"PSC_REQUIRE_TOOLS=1 but {message}")
    pytest.skip(message)


def write_project(repo: Path, files: dict[str, str | None] | None = None) -> Path:
    """The conftest project, with `files` laid over it, in `repo/data`; `repo` is a
    repository root (it holds `.git`)."""
    (repo / ".git").mkdir(parents=True, exist_ok=True)
    data = repo / "data"
    data.mkdir(exist_ok=True)
    for name, text in {**BASE, **(files or {})}.items():
        if text is None:
            (data / name).unlink(missing_ok=True)
        else:
            (data / name).write_text(text, encoding="utf-8")
    return data


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the broken project; the current folder is its root."""
    root = tmp_path / "repo"
    write_project(root, dict(BROKEN))
    monkeypatch.chdir(root)
    return root


def report(fmt: str, *args: str) -> tuple[int, str]:
    code, out, err = run_psc("validate", "-d", "data", "--format", fmt, *args)
    assert code in (0, 1), err
    return code, out


# --- the same findings in every format ---------------------------------------------------


def where_text(out: str) -> list[tuple[Any, ...]]:
    found = [re.match(r"(.+?):(\d+):(\d+): (?:error|warning) ([a-z-]+): ", line) for line in out.splitlines()[:-1]]
    return [(m[4], m[1], int(m[2]), int(m[3])) for m in found if m]


def where_json(out: str) -> list[tuple[Any, ...]]:
    return [(d["rule"], d["file"], d["line"], d["column"]) for d in json.loads(out)["diagnostics"]]


def where_github(out: str) -> list[tuple[Any, ...]]:
    found = [re.fullmatch(r"::(?:error|warning) file=(.+?),line=(\d+),col=(\d+),title=([a-z-]+)::.*", line)
             for line in out.splitlines()]
    assert all(found), out
    return [(m[4], m[1], int(m[2]), int(m[3])) for m in found if m]


def where_sarif(out: str) -> list[tuple[Any, ...]]:
    run = json.loads(out)["runs"][0]
    places = []
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        region = physical["region"]
        places.append((result["ruleId"], physical["artifactLocation"]["uri"], region["startLine"],
                       region["startColumn"]))
    return places


def where_gitlab(out: str) -> list[tuple[Any, ...]]:
    # GitLab's Code Quality shows lines: the report carries no column.
    return [(e["check_name"], e["location"]["path"], e["location"]["lines"]["begin"], None) for e in json.loads(out)]


def where_junit(out: str, tmp_path: Path) -> list[tuple[Any, ...]]:
    path = tmp_path / "report.xml"
    path.write_text(out, encoding="utf-8")
    places = []
    for suite in JUnitXml.fromfile(str(path)):
        for case in suite:
            for result in case.result:
                assert isinstance(result, Failure)
                m = re.match(r"(.+?):(\d+):(\d+): (?:error|warning) ([a-z-]+): ", result.text or "")
                assert m, result.text
                assert m[1] == suite.name
                places.append((m[4], m[1], int(m[2]), int(m[3])))
    return places


def test_every_format_reports_the_same_findings(repo: Path, tmp_path: Path) -> None:
    outs = {fmt: report(fmt) for fmt in FORMATS}
    assert {code for code, _ in outs.values()} == {1}
    assert where_text(outs["text"][1]) == EXPECTED
    assert where_json(outs["json"][1]) == EXPECTED
    assert where_github(outs["github"][1]) == EXPECTED
    assert where_sarif(outs["sarif"][1]) == EXPECTED
    assert where_gitlab(outs["gitlab"][1]) == [(r, f, line, None) for r, f, line, _ in EXPECTED]
    # JUnit groups the findings by file, then by rule (in the registry's order).
    order = list(RULES)
    assert where_junit(outs["junit"][1], tmp_path) == sorted(EXPECTED, key=lambda e: (e[1], order.index(e[0])))


def test_ci_formats_name_files_from_the_repository_root(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at_root = {fmt: report(fmt)[1] for fmt in ("github", "sarif", "gitlab", "junit")}
    monkeypatch.chdir(repo / "data")
    for fmt, expected in at_root.items():
        code, out, _ = run_psc("validate", "-d", ".", "--format", fmt)
        assert code == 1
        assert out == expected, f"{fmt}: the same bytes from another folder"
    code, out, _ = run_psc("validate", "-d", ".", "--format", "json")
    assert json.loads(out)["diagnostics"][0]["file"] == "axes.yaml"  # json keeps the paths as shown


def test_reports_are_deterministic(repo: Path) -> None:
    for fmt in FORMATS:
        assert report(fmt) == report(fmt), fmt


# --- SARIF ---------------------------------------------------------------------------------


def sarif_multitool() -> str:
    node = shutil.which("node")
    need(node is not None, "node")
    assert node is not None
    package = TOOLS / "node_modules" / "@microsoft" / "sarif-multitool"
    need(package.is_dir(), "the npm package @microsoft/sarif-multitool")
    # The package's own bin runs the tool through a shell; run the platform program directly.
    found = subprocess.run([node, "-p", "require('@microsoft/sarif-multitool')"], cwd=TOOLS,
                           capture_output=True, text=True, timeout=60, check=False)
    need(found.returncode == 0 and Path(found.stdout.strip()).is_file(),
         f"the SARIF multitool for this platform ({found.stderr.strip()[-300:]})")
    return found.stdout.strip()


def validator_findings(sarif: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """What Microsoft's SARIF validator says of a file: its results, every level."""
    log = tmp_path / f"{sarif.stem}.validation.sarif"
    done = subprocess.run(
        [sarif_multitool(), "validate", str(sarif), "--output", str(log), "--log", "ForceOverwrite",
         "--level", "Error", "Warning", "Note"],
        capture_output=True, text=True, timeout=300, check=False,
        # Invariant globalization: the validator needs no ICU library on the machine.
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results: list[dict[str, Any]] = json.loads(log.read_text(encoding="utf-8-sig"))["runs"][0]["results"]
    return results


@pytest.mark.parametrize("project", ["broken", "clean", "outside"])
def test_sarif_validator_finds_no_error_and_no_warning(project: str, repo: Path, tmp_path: Path) -> None:
    folder = "data"
    if project == "clean":
        write_project(repo, {"si_roadmap.yaml": ROADMAP})
    elif project == "outside":  # a data folder outside the repository: absolute file URIs
        folder = str(write_project(tmp_path / "elsewhere", {"si_roadmap.yaml": None}))
        shutil.rmtree(tmp_path / "elsewhere" / ".git")
    sarif = tmp_path / f"{project}.sarif"
    code, _, err = run_psc("validate", "-d", folder, "--format", "sarif", "-o", str(sarif))
    assert code == (0 if project == "clean" else 1), err
    results = validator_findings(sarif, tmp_path)
    bad = [f"{r['ruleId']} {r.get('level', 'warning')}: {json.dumps(r['message'])}" for r in results
           if r.get("level", "warning") in ("error", "warning")]
    assert not bad, "\n".join(bad)
    assert {r["ruleId"] for r in results} <= {
        # Advice (notes) that psc declines: message ids instead of text, version control
        # details, an $schema reachable offline, CS1234-style rule ids, snippets, context
        # regions, help URIs, embedded file contents; outside the repository, a file URI.
        "SARIF2002", "SARIF2003", "SARIF2006", "SARIF2009", "SARIF2010", "SARIF2011", "SARIF2012", "SARIF2013",
        *(["SARIF2016"] if project == "outside" else []),
    }


def test_sarif_shape(repo: Path) -> None:
    log = json.loads(report("sarif")[1])
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "psc" and driver["version"] and driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == list(RULES)
    for rule, sarif_rule in zip(RULES.values(), driver["rules"], strict=True):
        assert sarif_rule["fullDescription"]["text"] == rule.summary
        assert rule.summary.startswith(sarif_rule["shortDescription"]["text"].rstrip("."))
        assert sarif_rule["defaultConfiguration"]["level"] == rule.severity.value
        assert sarif_rule.get("name", "").casefold() != rule.id.casefold()
        help_text = sarif_rule["help"]["text"]
        assert "FAIL:" in help_text and "PASS:" in help_text
        _, text, _ = run_psc("rules", rule.id)
        assert text == f"{rule.id} ({rule.severity.value})\n{help_text}", "SARIF's help is `psc rules RULE`"
        assert f"```yaml\n{rule.fail}```" in sarif_rule["help"]["markdown"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%"}
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert uris == ["data/axes.yaml", "data/governance.yaml", "data/si_roadmap.yaml"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == RULES[result["ruleId"]].severity.value
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert run["artifacts"][location["index"]]["location"]["uri"] == location["uri"]
        assert set(result["partialFingerprints"]) == {"pscFindingIdentity/v1"}
    assert "so<&|>cles" in run["results"][2]["message"]["text"]


def test_sarif_columns_count_code_points(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    line = '  - {id: SI-01, title: "Musée 🏛 d’art", axes: [AX9], start: 2019, end: 2019, owner: DSI}'
    folder = make_project({"si_roadmap.yaml": ROADMAP.split("actions:")[0] + "actions:\n" + line + "\n"})
    monkeypatch.chdir(folder.parent)
    _, out, _ = run_psc("validate", "-d", "data", "--format", "sarif")
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in json.loads(out)["runs"][0]["results"]
               if r["ruleId"] == "unknown-reference"]
    assert regions == [{"startLine": 10, "startColumn": line.index("AX9") + 1}]


# --- fingerprints ----------------------------------------------------------------------------


def fingerprints(fmt: str) -> list[tuple[str, int]]:
    out = report(fmt)[1]
    if fmt == "sarif":
        return [(r["partialFingerprints"]["pscFindingIdentity/v1"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"])
                for r in json.loads(out)["runs"][0]["results"]]
    return [(e["fingerprint"], e["location"]["lines"]["begin"]) for e in json.loads(out)]


def test_fingerprints_stay_when_unrelated_lines_move(repo: Path) -> None:
    before = {fmt: fingerprints(fmt) for fmt in ("sarif", "gitlab")}
    assert before["sarif"] == before["gitlab"]
    prints = [p for p, _ in before["sarif"]]
    assert len(set(prints)) == len(prints), "each finding has its own fingerprint"
    # Pinned: rule, file from the repository root, what the finding is about; not the line.
    about = "\x1f".join(["unknown-reference", "data/si_roadmap.yaml", "SI-01", "axes", "AX9"])
    assert prints[1] == hashlib.sha256(about.encode()).hexdigest()

    roadmap = repo / "data" / "si_roadmap.yaml"
    comment = "# Feuille de route des SI\n# revue en comité le 12 mars\n#\n"
    roadmap.write_text(comment + roadmap.read_text(encoding="utf-8"), encoding="utf-8")
    for fmt in ("sarif", "gitlab"):
        after = fingerprints(fmt)
        assert [p for p, _ in after] == prints, f"{fmt}: the same fingerprints"
        moved = [line + (3 if i else 0) for i, (_, line) in enumerate(before[fmt])]  # axes.yaml did not move
        assert [line for _, line in after] == moved, f"{fmt}: the new lines"


def test_a_second_finding_about_the_same_thing_gets_its_own_fingerprint(tmp_path: Path) -> None:
    from psc_roadmap.errors import Finding, Position
    from psc_roadmap.reporters import Report

    data = write_project(tmp_path)
    twice = [Finding(Position(str(data / "axes.yaml"), line), "yaml-syntax", "x") for line in (3, 7)]
    report = Report.build(str(data), [], 1, twice, RULES)
    first = hashlib.sha256(b"yaml-syntax\x1fdata/axes.yaml").hexdigest()
    second = hashlib.sha256(b"yaml-syntax\x1fdata/axes.yaml\x1f2").hexdigest()
    assert report.fingerprints == [first, second]


# --- GitLab Code Quality ---------------------------------------------------------------------


def test_gitlab_report_has_the_five_fields(repo: Path) -> None:
    entries = json.loads(report("gitlab")[1])
    assert len(entries) == len(EXPECTED)
    for entry, (rule, file, line, _) in zip(entries, EXPECTED, strict=True):
        assert set(entry) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert entry["check_name"] == rule and entry["description"]
        assert re.fullmatch(r"[0-9a-f]{64}", entry["fingerprint"])
        assert entry["severity"] == {"error": "major", "warning": "minor"}[RULES[rule].severity.value]
        assert entry["location"] == {"path": file, "lines": {"begin": line}}


def test_gitlab_report_of_a_clean_project_is_an_empty_list(repo: Path) -> None:
    write_project(repo, {"si_roadmap.yaml": ROADMAP})
    assert report("gitlab") == (0, "[]\n")


# --- JUnit -------------------------------------------------------------------------------------


def read_junit(text: str, tmp_path: Path) -> JUnitXml:
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    ET.parse(path)  # well-formed for a strict XML parser too
    return JUnitXml.fromfile(str(path))


def test_junit_counts(repo: Path, tmp_path: Path) -> None:
    xml = read_junit(report("junit")[1], tmp_path)
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == ["data/axes.yaml", "data/governance.yaml", "data/si_roadmap.yaml"]
    failing = {"data/axes.yaml": 1, "data/governance.yaml": 0, "data/si_roadmap.yaml": 3}
    for name, suite in suites.items():
        cases = list(suite)
        failures = [r for case in cases for r in case.result if isinstance(r, Failure)]
        assert len(failures) == failing[name] == suite.failures
        assert all(len(case.result) <= 1 for case in cases), "one failure per test case"
        # One case per rule that found nothing here, one per finding.
        rules_failing = {rule for rule, file, _, _ in EXPECTED if file == name}
        assert len(cases) == suite.tests == len(RULES) - len(rules_failing) + failing[name]
        assert suite.errors == 0 and suite.skipped == 0
    assert xml.tests == sum(s.tests for s in suites.values()) and xml.failures == 4
    governance = suites["data/governance.yaml"]
    assert [case.name for case in governance] == list(RULES) and all(case.is_passed for case in governance)

    (case,) = [c for c in suites["data/si_roadmap.yaml"] if c.name.startswith("schema: SI-01")]
    assert case.name == "schema: SI-01 theme so<&|>cles"
    assert case.classname == "data/si_roadmap"
    (failure,) = case.result
    assert failure.type == "error" and failure.message.startswith("malformed id 'so<&|>cles' in 'theme'")
    assert failure.text == f"data/si_roadmap.yaml:14:12: error schema: {failure.message}"


def test_junit_of_a_clean_project_and_ignored_rules(repo: Path, tmp_path: Path) -> None:
    write_project(repo, {"si_roadmap.yaml": ROADMAP})
    xml = read_junit(report("junit")[1], tmp_path)
    assert [(s.name, s.tests, s.failures) for s in xml] == [
        (f"data/{name}", len(RULES), 0) for name in ("axes.yaml", "governance.yaml", "si_roadmap.yaml")
    ]
    xml = read_junit(report("junit", "--ignore", "schema", "--ignore", "unused-axis")[1], tmp_path)
    for suite in xml:
        assert [c.name for c in suite] == [r for r in RULES if r not in ("schema", "unused-axis")]


def test_junit_escapes_what_xml_cannot_hold(repo: Path, tmp_path: Path) -> None:
    from psc_roadmap.errors import Finding, Position
    from psc_roadmap.reporters import REPORTERS, Report

    write_project(repo, {"si_roadmap.yaml": ROADMAP.replace("    body: hub\n", '    body: "h<&>\\"]]>"\n')})
    messages = [d["message"] for d in json.loads(report("json")[1])["diagnostics"]]
    assert any('<&>"]]>' in m for m in messages)
    xml = read_junit(report("junit")[1], tmp_path)
    assert sorted(r.message for suite in xml for case in suite for r in case.result) == sorted(messages)
    # No message of psc holds these, but no text may break the XML.
    hostile = 'a\x01b\x0c </failure> & "q" ]]> \udcff'
    finding = Finding(Position("data/axes.yaml", 2, 3), "schema", hostile, ("x\x02\n",))
    xml = read_junit(REPORTERS["junit"](Report.build("data", [], 1, [finding], RULES)), tmp_path)
    ((failure,),) = [case.result for suite in xml for case in suite if case.result]
    assert failure.message == 'a\\x01b\\x0c </failure> & "q" ]]> \\xff'


# --- the step summary ----------------------------------------------------------------------


def test_github_format_appends_the_step_summary(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = repo.parent / "summary.md"
    summary.write_text("## an earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out = report("github")
    assert code == 1 and out.count("::") == 2 * len(EXPECTED)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## an earlier step\n### psc validate: data\n\n3 errors, 1 warning in 3 files.\n")
    assert "| unknown-reference | error | 1 |\n" in text and "| schema | error | 2 |\n" in text
    assert "| data/si\\_roadmap.yaml | 3 | 0 |\n" in text
    assert "| data/si\\_roadmap.yaml | 14 | 12 | error | schema | malformed id 'so\\<&\\|\\>cles' in" in text
    report("github")
    assert summary.read_text(encoding="utf-8").count("### psc validate") == 2, "appended again"
    report("sarif")
    assert summary.read_text(encoding="utf-8").count("### psc validate") == 2, "only --format github writes it"


def test_step_summary_lists_the_first_100_findings(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    actions = "".join(
        f"  - id: X-{i:03}\n    title: Action {i}\n    axes: [AX9]\n    start: 2019\n    end: 2019\n    owner: DSI\n"
        for i in range(130)
    )
    write_project(repo, {"x_roadmap.yaml": f"roadmap:\n  id: x\n  title: X\n  horizon: 2021\nactions:\n{actions}"})
    summary = repo.parent / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _, out = report("github")
    total = out.count("\n")
    text = summary.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| data/\S+ \| \d+ \| \d+ \| ", line)]
    assert len(rows) == 100
    assert text.endswith(f"… and {total - 100} more findings; `psc validate` lists them all.\n\n")


@pytest.mark.parametrize("target", ["missing-folder", "folder", "link-out", "data-file"])
def test_a_summary_that_cannot_be_written_is_a_warning(
    target: str, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.md"
    path = {
        "missing-folder": tmp_path / "no" / "summary.md",
        "folder": tmp_path,
        "link-out": repo / "summary.md",
        "data-file": repo / "data" / "axes.yaml",
    }[target]
    if target == "link-out":
        (repo / "summary.md").symlink_to(outside)
    before = (repo / "data" / "axes.yaml").read_bytes()
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(path))
    code, out, err = run_psc("validate", "-d", "data", "--format", "github")
    assert code == 1 and where_github(out) == EXPECTED
    assert err.startswith("warning: GITHUB_STEP_SUMMARY: ") and "Traceback" not in err
    assert not outside.exists() and (repo / "data" / "axes.yaml").read_bytes() == before
    write_project(repo, {"si_roadmap.yaml": ROADMAP.replace("axes: [AX1]", "axes: [AX1, AX2]")})
    assert run_psc("validate", "-d", "data", "--format", "github")[0] == 0, "the exit code is the validation's"


# --- -o FILE -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_file_and_summary_line_on_stderr(fmt: str, repo: Path) -> None:
    _, expected = report(fmt)
    code, out, err = run_psc("validate", "-d", "data", "--format", fmt, "-o", "report.out")
    assert (code, out, err) == (1, "", "3 errors, 1 warning in 3 files\n")
    assert (repo / "report.out").read_text(encoding="utf-8") == expected


def test_output_dash_is_stdout(repo: Path) -> None:
    assert run_psc("validate", "-d", "data", "--format", "sarif", "-o", "-")[:2] == (1, report("sarif")[1])


@pytest.mark.parametrize("target", ["link-out", "data-file", "folder"])
def test_a_refused_output_writes_nothing(target: str, repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.sarif"
    if target == "link-out":
        (repo / "psc.sarif").symlink_to(outside)
        name = "psc.sarif"
    else:
        name = {"data-file": "data/axes.yaml", "folder": "data"}[target]
    before = {p: p.read_bytes() for p in (repo / "data").iterdir()}
    code, out, err = run_psc("validate", "-d", "data", "--format", "sarif", "-o", name)
    assert code == 1 and out == ""
    assert err.startswith(f"error: won't write {name}: ") and "errors," not in err, err
    assert not outside.exists()
    assert {p: p.read_bytes() for p in (repo / "data").iterdir()} == before
    assert sorted(p.name for p in repo.iterdir()) == sorted([".git", "data", *(["psc.sarif"] * (target == "link-out"))])


# --- hostile names -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_names_that_are_not_text_never_break_a_report(fmt: str, repo: Path, tmp_path: Path) -> None:
    odd = os.fsdecode(b'data/t\xff<&"|> %2A\xc3\xa9_roadmap.yaml')
    Path(odd).write_text("actions: []\n", encoding="utf-8")
    code, out, err = run_psc("validate", "-d", "data", "--format", fmt)
    assert code == 1 and "internal error" not in err, err
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
    if fmt == "junit":
        read_junit(out, tmp_path)
    if fmt == "sarif":
        uris = [a["location"]["uri"] for a in json.loads(out)["runs"][0]["artifacts"]]
        assert "data/t%FF%3C%26%22%7C%3E%20%252A%C3%A9_roadmap.yaml" in uris


def test_every_yaml_test_suite_case_gives_the_same_findings_in_every_ci_format(tmp_path: Path) -> None:
    from psc_roadmap.checks import validate_folder
    from psc_roadmap.reporters import REPORTERS, Report

    corpus = Path(__file__).resolve().parent / "corpus" / "yaml-test-suite"
    cases = sorted(corpus.glob("*/*.yaml"))
    assert cases, "the YAML test suite corpus is in tests/corpus"
    data = write_project(tmp_path)
    for case in cases:
        shutil.copyfile(case, data / "si_roadmap.yaml")
        project, findings = validate_folder(str(data))
        report = Report.build(str(data), project.files, project.files_read, findings, RULES)
        outs = {fmt: REPORTERS[fmt](report) for fmt in ("json", "sarif", "gitlab", "junit")}
        for out in outs.values():
            out.encode("utf-8")
        count = len(json.loads(outs["json"])["diagnostics"])
        assert count == len(findings)
        assert len(json.loads(outs["sarif"])["runs"][0]["results"]) == count, case
        assert len(json.loads(outs["gitlab"])) == count, case
        assert int(ET.fromstring(outs["junit"].encode()).get("failures", -1)) == count, case
