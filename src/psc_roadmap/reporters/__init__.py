"""Findings as reports, one module per format: text lines, psc's JSON and GitHub workflow
commands (`plain`), GitHub's step summary (`summary`), SARIF (`sarif`), GitLab Code Quality
(`gitlab`) and JUnit XML (`junit`); `REPORTERS` names them for `psc validate --format`."""

from __future__ import annotations

from collections.abc import Callable

from psc_roadmap.reporters.gitlab import gitlab_report
from psc_roadmap.reporters.junit import junit_report
from psc_roadmap.reporters.plain import (
    counts,
    finding_line,
    github_report,
    json_report,
    print_findings,
    summary_line,
    text_report,
    use_colour,
)
from psc_roadmap.reporters.report import Report
from psc_roadmap.reporters.sarif import sarif_report

__all__ = [
    "REPORTERS",
    "Report",
    "counts",
    "finding_line",
    "github_report",
    "json_report",
    "print_findings",
    "summary_line",
    "text_report",
    "use_colour",
]

#: Every format of `psc validate --format`, by name (the names of `enums.ReportFormat`).
REPORTERS: dict[str, Callable[[Report], str]] = {
    "text": lambda report: text_report(report.findings, report.files_read, report.colour),
    "json": lambda report: json_report(report.findings, report.files_read),
    "github": lambda report: github_report(report.findings, report.files_read, report.path),
    "sarif": sarif_report,
    "gitlab": gitlab_report,
    "junit": junit_report,
}
