"""The rules as people read them, from the registry: `psc rules` prints these texts and
SARIF carries them as each rule's help, so a CI user can look a finding's rule up."""

from __future__ import annotations

import re
from typing import Any

from psc_roadmap.rules import Rule
from psc_roadmap.text import json_text

_INDENT = "    "


def _indented(example: str) -> str:
    return "".join(_INDENT + line if line.strip() else line for line in example.splitlines(keepends=True))


def rule_help(rule: Rule) -> str:
    """What the rule checks, then its FAIL and PASS examples, indented: SARIF's `help.text`."""
    return f"{rule.summary}\n\nFAIL:\n{_indented(rule.fail)}\nPASS:\n{_indented(rule.passes)}"


def rule_text(rule: Rule) -> str:
    """`rule-id (severity)` and the rule's help: one rule of `psc rules`."""
    return f"{rule.id} ({rule.severity.value})\n{rule_help(rule)}"


def rule_help_markdown(rule: Rule) -> str:
    """The help as Markdown (SARIF's `help.markdown`): the rule's section of docs/format.md
    without its heading."""
    return (
        f"Severity: **{rule.severity.value}**. {rule.summary}\n\n"
        f"FAIL:\n\n```yaml\n{rule.fail}```\n\n"
        f"PASS:\n\n```yaml\n{rule.passes}```\n"
    )


def rule_markdown(rule: Rule) -> str:
    """The rule's section of docs/format.md, word for word."""
    return f"### `{rule.id}`\n\n{rule_help_markdown(rule)}"


def rule_record(rule: Rule) -> dict[str, Any]:
    return {"id": rule.id, "severity": rule.severity.value, "summary": rule.summary,
            "fail": rule.fail, "pass": rule.passes}


def rules_text(rules: list[Rule]) -> str:
    return "\n".join(rule_text(rule) for rule in rules)


def rules_json(rules: list[Rule], one: bool = False) -> str:
    """A list of rule objects, or with `one` the single rule's object."""
    records = [rule_record(rule) for rule in rules]
    return json_text(records[0] if one else records)


def rules_markdown(rules: list[Rule], one: bool = False) -> str:
    """The rules chapter of docs/format.md: an index table, then one section per rule (with
    `one`, the rule's section alone)."""
    sections = "\n".join(rule_markdown(rule) for rule in rules)
    if one:
        return sections
    index = ["| rule | severity |", "| --- | --- |"]
    index += [f"| [`{r.id}`](#{r.id}) | {r.severity.value} |" for r in rules]
    return "\n".join(index) + "\n\n" + sections


def rule_name(rule: Rule) -> str:
    """The rule's id in PascalCase (`UnknownReference`): SARIF's friendly `name`."""
    return "".join(part.capitalize() for part in rule.id.split("-"))


_FIRST_CLAUSE = re.compile(r"^(.+?)(?:: |; )")


def rule_short_description(rule: Rule) -> str:
    """The summary's first clause, as one sentence: SARIF's `shortDescription`."""
    found = _FIRST_CLAUSE.match(rule.summary)
    return found.group(1) + "." if found else rule.summary
