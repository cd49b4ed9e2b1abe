"""The checks of the data format across items and files: one module per group of rules
(the rules themselves, with their severity and examples, are in `psc_roadmap.rules`)."""

from __future__ import annotations

from collections.abc import Mapping

from psc_roadmap.checks import coverage, dependencies, identity, periods, references
from psc_roadmap.errors import Finding
from psc_roadmap.loader import LoadedFile
from psc_roadmap.project import Project

CHECK_MODULES = (identity, references, dependencies, periods, coverage)


def run_checks(project: Project) -> list[Finding]:
    """Every cross-item finding of the project, unsorted."""
    found: list[Finding] = []
    for module in CHECK_MODULES:
        found.extend(module.check(project))
    return found


def validate_folder(
    folder: str,
    overlay: Mapping[str, str] | None = None,
    *,
    overlay_only: bool = False,
    parsed: Mapping[str, LoadedFile] | None = None,
) -> tuple[Project, list[Finding]]:
    """Load a project and run every check; findings sorted by file (reading order), line, column.
    `overlay`: texts that stand for files of the folder (by name), as they are in an editor
    or as an edit would write them; `overlay_only`: they are the whole folder (read from git);
    `parsed`: those files already parsed (`load_project`)."""
    from psc_roadmap.load import load_project

    project, findings = load_project(folder, overlay, overlay_only=overlay_only, parsed=parsed)
    findings.extend(run_checks(project))
    rank = project.file_rank
    findings.sort(key=lambda f: f.sort_key(rank))
    return project, findings
