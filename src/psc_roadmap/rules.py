"""The registry of every rule psc can report: its id, its severity, what it checks and
its FAIL/PASS examples. The one place that states a rule's severity; findings take it
from here, and `psc rules`, the documentation and the CI reports read it."""

from __future__ import annotations

from dataclasses import dataclass

from psc_roadmap.errors import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: `summary` says when it fires; `fail` and `passes` are short YAML examples."""

    id: str
    severity: Severity
    summary: str
    fail: str = ""
    passes: str = ""


_ERROR, _WARNING = Severity.ERROR, Severity.WARNING

#: Every rule, in the order of the documentation: file-level rules first, then the checks.
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("file-error", _ERROR, "a file can't be read: missing, not UTF-8, too large, not a file"),
        Rule("missing-file", _ERROR, "no axes.yaml, or no *_roadmap.yaml"),
        Rule("yaml-syntax", _ERROR, "the file is not valid YAML"),
        Rule("duplicate-key", _ERROR, "a mapping repeats a key"),
        Rule("schema", _ERROR, "a wrong type, a missing required field, a value outside its enum, "
                               "a malformed id or period, an unknown field"),
        Rule("duplicate-id", _ERROR, "an id is used twice in the project"),
        Rule("unknown-reference", _ERROR, "a reference names no such id"),
        Rule("dependency-cycle", _ERROR, "depends_on (or reports_to) loops"),
        Rule("period-order", _ERROR, "end is before start"),
        Rule("beyond-horizon", _ERROR, "an action ends after its roadmap's horizon or starts before its start"),
        Rule("dependency-order", _WARNING, "an action starts before one of its dependencies ends"),
        Rule("unused-axis", _WARNING, "no action refers to the axis"),
        Rule("unused-principle", _WARNING, "a principle is referenced by no action"),
        Rule("missing-owner", _WARNING, "an open action has neither owner nor body"),
        Rule("missing-feasibility", _WARNING, "some actions of the roadmap give feasibility, this one does not"),
        Rule("empty-roadmap", _WARNING, "a roadmap has no action"),
    )
}


def severity_of(rule: str) -> Severity:
    """The severity of a registered rule; KeyError for a name that is not one."""
    return RULES[rule].severity
