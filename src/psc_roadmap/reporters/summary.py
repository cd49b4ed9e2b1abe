"""The Markdown summary of a run for a GitHub job's page (`$GITHUB_STEP_SUMMARY`): counts by
rule and by file, and the findings themselves, which GitHub's annotation caps would hide."""

from __future__ import annotations

from collections import Counter

from psc_roadmap.markdown import markdown_table, md_escape
from psc_roadmap.reporters.plain import counts
from psc_roadmap.reporters.report import Report, text_safe
from psc_roadmap.rules import RULES
from psc_roadmap.text import plural

#: How many findings the summary's table lists; the rest are counted.
LISTED = 100


def step_summary(report: Report, folder: str) -> str:
    findings = report.findings
    errors, warnings = counts(findings)
    lines = [
        f"### psc validate: {md_escape(text_safe(folder))}\n",
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(report.files_read, 'file')}.\n",
    ]
    if not findings:
        return "\n".join(lines) + "\n"
    by_rule = Counter(f.rule for f in findings)
    rule_rows = [[rule, RULES[rule].severity.value, str(by_rule[rule])] for rule in RULES if rule in by_rule]
    by_file: dict[str, list[int]] = {}
    for f in findings:
        by_file.setdefault(f.position.file, [0, 0])[0 if f.is_error else 1] += 1
    file_rows = [[report.path(shown), str(e), str(w)] for shown, (e, w) in by_file.items()]
    listed = [
        [report.path(f.position.file), str(f.position.line), str(f.position.column),
         f.severity.value, f.rule, text_safe(f.message)]
        for f in findings[:LISTED]
    ]
    lines += [
        markdown_table(["rule", "severity", "findings"], rule_rows, right=[2]),
        markdown_table(["file", "errors", "warnings"], file_rows, right=[1, 2]),
        markdown_table(["file", "line", "column", "severity", "rule", "message"], listed, right=[1, 2]),
    ]
    if len(findings) > LISTED:
        more = len(findings) - LISTED
        lines.append(f"… and {plural(more, 'more finding')}; `psc validate` lists them all.\n")
    return "\n".join(lines) + "\n"
