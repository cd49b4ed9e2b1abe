"""Findings as a GitLab Code Quality report (the part of the Code Climate format that GitLab
reads), for the merge request widget and the changes view."""

from __future__ import annotations

from psc_roadmap.reporters.report import Report, text_safe
from psc_roadmap.text import json_text

#: GitLab's severities for psc's: an error blocks (major), a warning does not (minor).
SEVERITIES = {"error": "major", "warning": "minor"}


def gitlab_report(report: Report) -> str:
    return json_text([
        {
            "description": text_safe(finding.message),
            "check_name": finding.rule,
            "fingerprint": fingerprint,
            "severity": SEVERITIES[finding.severity.value],
            "location": {"path": report.path(finding.position.file), "lines": {"begin": finding.position.line}},
        }
        for finding, fingerprint in zip(report.findings, report.fingerprints, strict=True)
    ])
