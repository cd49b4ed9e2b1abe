"""Findings as JUnit XML, for the test reports of GitLab, Jenkins and the like: one test
suite per data file, one passing test case per rule that found nothing there, and one
failing test case per finding, named by what it is about so that test history follows it."""

from __future__ import annotations

import re
from collections import defaultdict

from psc_roadmap.errors import Finding
from psc_roadmap.reporters.report import Report, text_safe
from psc_roadmap.text import one_line

#: What XML 1.0 can't hold even escaped: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTRIBUTE = {**_TEXT, '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
#: How much of each thing a finding is about its test case's name quotes.
NAME_PART_LIMIT = 60


def _escape(text: str, table: dict[str, str]) -> str:
    text = text_safe(text)
    text = _NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)
    return "".join(table.get(c, c) for c in text) if any(c in table for c in text) else text


def _attrs(**values: object) -> str:
    return "".join(f' {name}="{_escape(str(value), _ATTRIBUTE)}"' for name, value in values.items())


def _part(value: str) -> str:
    text = one_line(value)
    return text if len(text) <= NAME_PART_LIMIT else text[: NAME_PART_LIMIT - 1] + "…"


def case_names(findings: list[Finding]) -> list[str]:
    """The test case name of each finding: its rule and what it is about (`unknown-reference:
    SI-01 axes AX9`), with `(2)`, `(3)` ... for the next findings about the same thing."""
    seen: dict[tuple[str, ...], int] = {}
    names = []
    for finding in findings:
        rank = seen[finding.identity] = seen.get(finding.identity, 0) + 1
        name = finding.rule + (": " + " ".join(_part(v) for v in finding.about) if finding.about else "")
        names.append(name if rank == 1 else f"{name} ({rank})")
    return names


def junit_report(report: Report) -> str:
    by_file: dict[str, list[tuple[Finding, str]]] = defaultdict(list)
    for finding, name in zip(report.findings, case_names(report.findings), strict=True):
        by_file[finding.position.file].append((finding, name))
    suites = []
    total_tests = total_failures = 0
    for shown in report.files:
        path = report.path(shown)
        classname = path.removesuffix(".yaml").removesuffix(".yml")
        found = by_file.get(shown, [])
        cases = []
        for rule in dict.fromkeys([*report.checked, *(f.rule for f, _ in found)]):
            failing = [(f, name) for f, name in found if f.rule == rule]
            if not failing:
                cases.append(f"    <testcase{_attrs(name=rule, classname=classname, file=path, time=0)}/>\n")
            for f, name in failing:
                p = f.position
                detail = f"{path}:{p.line}:{p.column}: {f.severity.value} {f.rule}: {f.message}"
                cases.append(
                    f"    <testcase{_attrs(name=name, classname=classname, file=path, time=0)}>\n"
                    f"      <failure{_attrs(message=f.message, type=f.severity.value)}>"
                    f"{_escape(detail, _TEXT)}</failure>\n"
                    "    </testcase>\n"
                )
        tests, failures = len(cases), len(found)
        total_tests += tests
        total_failures += failures
        suites.append(
            f"  <testsuite{_attrs(name=path, tests=tests, failures=failures, errors=0, skipped=0, time=0)}>\n"
            + "".join(cases) + "  </testsuite>\n"
        )
    head = _attrs(name="psc validate", tests=total_tests, failures=total_failures, errors=0, skipped=0, time=0)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites{head}>\n' + "".join(suites) + "</testsuites>\n"
