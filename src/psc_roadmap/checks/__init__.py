"""The checks of FORMAT.md: one module per group of rules, each with its rule ids,
severities and PASS/FAIL examples; `RULES` is the registry of every rule name."""

from __future__ import annotations

from psc_roadmap.checks import coverage, dependencies, identity, periods, references
from psc_roadmap.errors import Finding, Severity
from psc_roadmap.project import Project

#: Rules raised while reading files (loader and models), before any check runs.
FILE_RULES: dict[str, tuple[Severity, str]] = {
    "file-error": (Severity.ERROR, "a file can't be read: missing, not UTF-8, too large, not a file"),
    "missing-file": (Severity.ERROR, "no axes.yaml, or no *_roadmap.yaml"),
    "yaml-syntax": (Severity.ERROR, "the file is not valid YAML"),
    "duplicate-key": (Severity.ERROR, "a mapping repeats a key"),
    "schema": (Severity.ERROR, "a wrong type, a missing required field, a value outside its enum, "
               "a malformed id or period, an unknown field"),
}

CHECK_MODULES = (identity, references, dependencies, periods, coverage)

RULES: dict[str, tuple[Severity, str]] = dict(FILE_RULES)
for _module in CHECK_MODULES:
    RULES.update(_module.RULES)


def run_checks(project: Project) -> list[Finding]:
    """Every cross-item finding of the project, unsorted."""
    found: list[Finding] = []
    for module in CHECK_MODULES:
        found.extend(module.check(project))
    return found


def validate_folder(folder: str) -> tuple[Project, list[Finding]]:
    """Load a project and run every check; findings sorted by file (reading order), line, column."""
    from psc_roadmap.load import load_project

    project, findings = load_project(folder)
    findings.extend(run_checks(project))
    rank = project.file_rank
    findings.sort(key=lambda f: f.sort_key(rank))
    return project, findings
