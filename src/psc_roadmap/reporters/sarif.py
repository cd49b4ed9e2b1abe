"""Findings as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run,
every rule with its help, one result per finding, files named from the repository root."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from psc_roadmap.reporters.report import Report, text_safe
from psc_roadmap.reporters.rulebook import (
    rule_help,
    rule_help_markdown,
    rule_name,
    rule_short_description,
)
from psc_roadmap.rules import RULES
from psc_roadmap.text import json_text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
#: The key of psc's fingerprint in `partialFingerprints`; its version changes with its recipe.
FINGERPRINT = "pscFindingIdentity/v1"
#: Where to learn about psc when its package metadata names no home page.
FALLBACK_HOME = "https://pypi.org/project/psc-roadmap/"


def tool_home() -> str:
    """The home page that psc's package metadata names (`[project.urls]` in pyproject.toml),
    else the package's page on PyPI."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls: list[str] = metadata("psc-roadmap").get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    by_label: dict[str, str] = {}
    for entry in urls:
        label, _, url = entry.partition(",")
        by_label[label.strip().casefold()] = url.strip()
    for label in ("homepage", "documentation", "repository", "source"):
        if by_label.get(label, "").startswith("https://"):
            return by_label[label]
    return FALLBACK_HOME


def _location(report: Report, shown: str, index: int) -> dict[str, Any]:
    relative = report.relative(shown)
    if relative is None:  # outside the repository: an absolute URI, which takes no base
        return {"uri": Path(os.path.abspath(shown)).as_uri(), "index": index}
    return {"uri": quote(os.fsencode(relative), safe="/"), "uriBaseId": SRCROOT, "index": index}


def _rule(rule_id: str) -> dict[str, Any]:
    rule = RULES[rule_id]
    name = rule_name(rule)
    return {
        "id": rule.id,
        # A name that only respells the id must be left out (SARIF 3.49.7; `schema`).
        **({"name": name} if name.casefold() != rule.id.casefold() else {}),
        "shortDescription": {"text": rule_short_description(rule)},
        "fullDescription": {"text": rule.summary},
        "help": {"text": rule_help(rule), "markdown": rule_help_markdown(rule)},
        "defaultConfiguration": {"level": rule.severity.value},
    }


def sarif_report(report: Report) -> str:
    from psc_roadmap import __version__

    rule_index = {rule_id: i for i, rule_id in enumerate(RULES)}
    files = report.files
    file_index = {shown: i for i, shown in enumerate(files)}
    artifacts = []
    for shown in files:
        location = _location(report, shown, 0)
        del location["index"]
        artifacts.append({"location": location, "roles": ["analysisTarget"]})
    results = []
    for finding, fingerprint in zip(report.findings, report.fingerprints, strict=True):
        p = finding.position
        results.append({
            "ruleId": finding.rule,
            "ruleIndex": rule_index[finding.rule],
            "level": finding.severity.value,
            "message": {"text": text_safe(finding.message)},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": _location(report, p.file, file_index[p.file]),
                    "region": {"startLine": p.line, "startColumn": p.column},
                },
            }],
            "partialFingerprints": {FINGERPRINT: fingerprint},
        })
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "psc",
                    "fullName": "psc-roadmap",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": tool_home(),
                    "rules": [_rule(rule_id) for rule_id in RULES],
                },
            },
            "invocations": [{"executionSuccessful": True}],
            "originalUriBaseIds": {
                SRCROOT: {"description": {"text": "The root of the repository that holds the data folder."}},
            },
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json_text(log)
