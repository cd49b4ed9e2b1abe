"""The GitHub Action (`action.yml`) and the CI configurations of README.md, run as a CI
maintainer would copy them.

The action's `run` steps are executed by bash as the runner does (`bash --noprofile
--norc -eo pipefail`), each with its `env:` and with GITHUB_ACTION_PATH,
GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY and RUNNER_TEMP pointing at temporary folders.
The install step builds psc from this checkout with pip once per module (about 20
seconds); when pip can't reach a package index the tests that need it are skipped with
the reason (unless PSC_REQUIRE_TOOLS=1, as in CI). The README's GitLab job and
pre-commit config run their `psc` lines against a copy of `data/`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from junitparser import JUnitXml
from ruamel.yaml import YAML

from tests.conftest import REPO

ACTION = REPO / "action.yml"
README = REPO / "README.md"
BIN = Path(sys.executable).parent


def load_yaml(text: str) -> Any:
    return YAML(typ="safe").load(text)


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = load_yaml(ACTION.read_text(encoding="utf-8"))
    return loaded


def readme_blocks() -> dict[str, str]:
    """The YAML blocks of README's CI section, by the file named on their first line."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using it in CI and in editors", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```yaml\n(# (\S+)\n.*?)^```$", section, re.M | re.S)
    return {name: block for block, name in blocks}


# --- the action as written -------------------------------------------------------------------

EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")


def test_the_action_declares_its_inputs() -> None:
    declared = action()
    assert declared["runs"]["using"] == "composite"
    inputs = declared["inputs"]
    assert list(inputs) == ["data", "strict", "sarif", "render-check"]
    assert inputs["data"]["default"] == "data" and inputs["strict"]["default"] == "false"
    assert all(spec.get("description") for spec in inputs.values())


def test_scripts_take_inputs_only_through_env() -> None:
    declared = action()
    used = set()
    for step in declared["runs"]["steps"]:
        assert step["shell"] == "bash" and step["run"]
        assert "${{" not in step["run"], f"{step['name']}: an expression inside a script is shell injection"
        for name, value in step.get("env", {}).items():
            found = EXPRESSION.fullmatch(value)
            assert found, f"{step['name']}: env {name} is exactly one input"
            assert found[1] in declared["inputs"]
            used.add(found[1])
            # Every use of the variable in the script is quoted.
            for use in re.finditer(rf"\$\{{?{name}\b", step["run"]):
                line = step["run"][: use.start()].rsplit("\n", 1)[-1]
                assert line.count('"') % 2 == 1 or "<<<" in line, f"{name} unquoted: {line!r}"
    assert used == set(declared["inputs"])


@dataclass
class StepRun:
    name: str
    code: int
    out: str
    err: str


@dataclass
class Runner:
    """A runner's folders: the workspace, RUNNER_TEMP (with psc installed) and the summary file."""

    workspace: Path
    temp: Path
    summary: Path

    def run(self, inputs: dict[str, Any], first: int = 1) -> list[StepRun]:
        """The action's steps from `first` on (the install step is 0), stopping at the first
        failure as the runner does."""
        declared = action()
        values = {name: str(spec.get("default", "")) for name, spec in declared["inputs"].items()}
        for name, value in inputs.items():
            assert name in values, f"the action has no input {name}"
            values[name] = str(value).lower() if isinstance(value, bool) else str(value)
        env = {key: value for key, value in os.environ.items() if not key.startswith("PSC_")}
        env.update(GITHUB_ACTION_PATH=str(REPO), GITHUB_WORKSPACE=str(self.workspace),
                   GITHUB_STEP_SUMMARY=str(self.summary), RUNNER_TEMP=str(self.temp), GITHUB_ACTIONS="true")
        runs = []
        for index, step in enumerate(declared["runs"]["steps"][first:], start=first):
            step_env = {**env, **{k: EXPRESSION.sub(lambda m: values[m[1]], v) for k, v in step.get("env", {}).items()}}
            script = self.temp / f"step{index}.sh"
            script.write_text(step["run"], encoding="utf-8")
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                  cwd=self.workspace, env=step_env, capture_output=True, text=True, timeout=600,
                                  check=False)
            runs.append(StepRun(step["name"], done.returncode, done.stdout, done.stderr))
            if done.returncode != 0:
                break
        return runs


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """RUNNER_TEMP after the action's install step."""
    temp = tmp_path_factory.mktemp("runner-temp")
    workspace = tmp_path_factory.mktemp("install-workspace")
    (install,) = Runner(workspace, temp, temp / "summary.md").run({}, first=0)[:1]
    if install.code != 0:
        offline = any(word in install.err for word in (
            "No matching distribution", "Could not find a version", "NewConnectionError",
            "Temporary failure in name resolution", "Network is unreachable",
        ))
        if offline and os.environ.get("PSC_REQUIRE_TOOLS") != "1":
            pytest.skip(f"pip could not install psc (no package index?):\n{install.err[-1500:]}")
        pytest.fail(f"the install step failed:\n{install.out}\n{install.err[-3000:]}")
    assert re.fullmatch(r"psc \d+\.\d+\.\d+\n", install.out), install.out
    return temp


@pytest.fixture
def runner(runner_temp: Path, tmp_path: Path) -> Runner:
    workspace = tmp_path / "workspace"
    (workspace / ".git").mkdir(parents=True)
    shutil.copytree(REPO / "data", workspace / "data")
    (workspace / "docs").mkdir()
    for name in ("annexe.md", "annexe.html"):
        shutil.copy(REPO / "docs" / name, workspace / "docs" / name)
    return Runner(workspace, runner_temp, tmp_path / "step-summary.md")


def break_data(workspace: Path) -> None:
    roadmap = workspace / "data" / "si_roadmap.yaml"
    text = roadmap.read_text(encoding="utf-8")
    roadmap.write_text(text.replace("axes: [AX1", "axes: [AX9", 1), encoding="utf-8")


def test_annotations_summary_and_sarif_of_a_broken_project(runner: Runner) -> None:
    break_data(runner.workspace)
    runs = runner.run({"sarif": "reports/psc.sarif", "render-check": "docs/annexe.md"})
    assert [(r.name, r.code) for r in runs] == [("Validate", 1)], "a failed step stops the action"
    (validate,) = runs
    annotations = [line for line in validate.out.splitlines() if not line.startswith("::error title=psc::")]
    assert annotations and all(line.startswith(("::error file=data/", "::warning file=data/")) for line in annotations)
    assert re.search(r"^::error file=data/si_roadmap\.yaml,line=\d+,col=\d+,title=unknown-reference::axis 'AX9'",
                     validate.out, re.M)
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("### psc validate: data\n\n1 error, ")
    assert "| unknown-reference | error | 1 |" in summary
    assert "| file | line | column | severity | rule | message |" in summary
    # The SARIF file's folder did not exist: psc makes none, and the step says so.
    assert "::error title=psc::the SARIF file was not written (exit 1)" in validate.out
    assert "can't write reports/psc.sarif: folder 'reports' does not exist" in validate.err
    (runner.workspace / "reports").mkdir()
    (validate,) = runner.run({"sarif": "reports/psc.sarif"})
    assert validate.code == 1 and "SARIF" not in validate.out
    assert '"ruleId": "unknown-reference"' in (runner.workspace / "reports" / "psc.sarif").read_text(encoding="utf-8")


def test_strict(runner: Runner) -> None:
    roadmap = runner.workspace / "data" / "si_roadmap.yaml"
    text = roadmap.read_text(encoding="utf-8")
    roadmap.write_text(text.replace("axes: [AX1", "axes: [AX1, AX1", 1), encoding="utf-8")  # a warning
    assert [r.code for r in runner.run({"strict": "false"})] == [0, 0]
    runs = runner.run({"strict": True})
    assert runs[0].code == 1 and "::warning file=data/si_roadmap.yaml" in runs[0].out
    assert "title=duplicate-reference::" in runs[0].out
    runs = runner.run({"strict": "yes"})
    assert runs[0].code == 2 and "the input strict must be true or false" in runs[0].out


def test_stale_documents_fail_and_their_diff_runs_no_command(runner: Runner) -> None:
    stale = runner.workspace / "docs" / "annexe.md"
    stale.write_text(stale.read_text(encoding="utf-8") + "::add-mask::secret\n  ::error::injected\n", encoding="utf-8")
    runs = runner.run({"render-check": "  docs/annexe.html\n\ndocs/annexe.md  \n"})
    assert [r.code for r in runs] == [0, 1]
    check = runs[1]
    assert "docs/annexe.html is up to date" in check.err
    assert "docs/annexe.md is not up to date" in check.err
    token = re.match(r"::stop-commands::(psc-[0-9a-f]{32})\n", check.out)
    assert token, check.out
    body, after = check.out[token.end():].split(f"::{token[1]}::\n")
    assert "::add-mask::secret" in body  # the diff, while workflow commands are off
    assert after.startswith("::error title=psc::a rendered document is not up to date")


def test_inputs_are_never_run_as_shell(runner: Runner) -> None:
    ws = runner.workspace
    runs = runner.run({"data": 'data"; touch pwned-data; "', "sarif": "$(touch pwned-sarif).sarif"})
    assert runs[0].code == 2 and not list(ws.glob("pwned*"))
    runs = runner.run({"sarif": "out $(touch pwned-sarif) `touch pwned-tick`.sarif",
                       "render-check": "$(touch pwned-render)\n`touch pwned-render2`; touch pwned-3"})
    assert [r.code for r in runs] == [0, 1]
    assert not list(ws.glob("pwned*"))
    assert (ws / "out $(touch pwned-sarif) `touch pwned-tick`.sarif").is_file()


# --- README's CI configurations, as written ------------------------------------------------


def readme_workflow() -> dict[str, Any]:
    workflow: dict[str, Any] = load_yaml(readme_blocks()[".github/workflows/roadmap.yml"])
    return workflow


def test_readme_workflow_runs_the_action_as_written(runner: Runner) -> None:
    (job,) = readme_workflow()["jobs"].values()
    steps = job["steps"]
    python = next(s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python@"))
    assert tuple(int(p) for p in str(python["with"]["python-version"]).split(".")) >= (3, 11)
    (psc,) = [s for s in steps if re.fullmatch(r"[\w.-]+/psc-roadmap@[\w.-]+", str(s.get("uses", "")))]
    (upload,) = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == psc["with"]["sarif"]
    assert "security-events" in readme_workflow()["permissions"]
    # Every `psc` command of the workflow's own `run:` steps, if any, runs as written too.
    commands = [line for s in steps for line in str(s.get("run", "")).splitlines() if line.startswith("psc ")]
    for command in commands:
        assert run_line(command, runner.workspace).returncode == 0, command

    runs = runner.run(psc["with"])
    assert [(r.name, r.code) for r in runs] == [("Validate", 0), ("Check the rendered documents", 0)], runs
    assert runs[0].out == ""  # no finding: no annotation
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary == "### psc validate: data\n\n0 errors, 0 warnings in 4 files.\n\n"
    assert (runner.workspace / psc["with"]["sarif"]).is_file()
    rendered = [p for p in psc["with"]["render-check"].splitlines() if p.strip()]
    for path in rendered:
        assert f"{path} is up to date" in runs[1].err


def run_line(line: str, workspace: Path) -> subprocess.CompletedProcess[str]:
    """One line of a CI script, run by bash in the workspace with this venv's psc on PATH."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PSC_", "GITHUB_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(["bash", "-c", line], cwd=workspace, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.mark.parametrize("broken", [False, True])
def test_readme_gitlab_job_runs_as_written(broken: bool, tmp_path: Path) -> None:
    config = load_yaml(readme_blocks()[".gitlab-ci.yml"])
    (job,) = config.values()
    workspace = tmp_path / "project"
    (workspace / ".git").mkdir(parents=True)
    shutil.copytree(REPO / "data", workspace / "data")
    if broken:
        break_data(workspace)
    lines = [line for line in job["script"] if line.startswith("psc ")]
    assert len(lines) == len(job["script"]) - 1, "every line but the install runs psc"
    codes = [run_line(line, workspace).returncode for line in lines]
    assert codes == [0] * (len(lines) - 1) + [1 if broken else 0]
    reports = job["artifacts"]["reports"]
    assert job["artifacts"]["when"] == "always"
    import json

    quality = json.loads((workspace / reports["codequality"]).read_text(encoding="utf-8"))
    assert (len(quality) > 0) == broken
    assert all(set(entry) == {"description", "check_name", "fingerprint", "severity", "location"} for entry in quality)
    junit = JUnitXml.fromfile(str(workspace / reports["junit"]))
    assert junit.failures == len(quality) and junit.tests > 0


def test_readme_pre_commit_config_works_as_written(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(BIN))
    if pre_commit is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    config = readme_blocks()[".pre-commit-config.yaml"]
    assert "repo: local" in config and "OWNER" not in config
    user = tmp_path / "user"
    shutil.copytree(REPO / "data", user / "data")
    (user / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PSC_")}
    env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", PRE_COMMIT_HOME=str(tmp_path / "cache"), NO_COLOR="1")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=user, env=env, capture_output=True, text=True, timeout=300, check=False)

    git = ["git", "-c", "user.email=test@example.org", "-c", "user.name=test", "-c", "commit.gpgsign=false"]
    assert run(*git, "init", "-q").returncode == 0
    assert run(*git, "add", "-A").returncode == 0
    passed = run(pre_commit, "run", "--all-files", "--color", "never")
    assert passed.returncode == 0 and "psc validate" in passed.stdout and "Passed" in passed.stdout, passed.stdout
    break_data(user)
    failed = run(pre_commit, "run", "--all-files", "--color", "never")
    assert failed.returncode == 1 and "error unknown-reference: axis 'AX9'" in failed.stdout, failed.stdout


def test_readme_ci_section_has_no_command_that_cannot_run() -> None:
    section = README.read_text(encoding="utf-8").split("## Using it in CI and in editors", 1)[1].split("\n## ", 1)[0]
    assert "OWNER" not in section
    assert set(readme_blocks()) == {".github/workflows/roadmap.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml"}
