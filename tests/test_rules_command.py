"""`psc rules`: every rule of the registry, or one, as text, JSON or the Markdown of
docs/format.md; an unknown rule is a usage error with a suggestion."""

from __future__ import annotations

import json
import re

import pytest

from psc_roadmap.rules import RULES
from tests.conftest import REPO, run_psc

RULES_BEGIN = "<!-- rules: generated from src/psc_roadmap/rules.py by tests/test_docs.py -->"
RULES_END = "<!-- rules: end -->"


def test_text_lists_every_rule_in_order_with_its_examples() -> None:
    code, out, err = run_psc("rules")
    assert (code, err) == (0, "")
    headers = re.findall(r"^([a-z-]+) \((error|warning)\)$", out, re.M)
    assert headers == [(r.id, r.severity.value) for r in RULES.values()]
    for rule in RULES.values():
        assert rule.summary in out
        for example in (rule.fail, rule.passes):
            assert "".join(f"    {line}\n" for line in example.splitlines()) in out


@pytest.mark.parametrize("rule", list(RULES))
def test_one_rule(rule: str) -> None:
    code, out, _ = run_psc("rules", rule)
    assert code == 0
    assert out.startswith(f"{rule} ({RULES[rule].severity.value})\n{RULES[rule].summary}\n\nFAIL:\n    # ")
    assert "\nPASS:\n    # " in out
    assert out in run_psc("rules")[1], "the same text as in the list of every rule"


def test_json() -> None:
    code, out, _ = run_psc("rules", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["id"] for r in records] == list(RULES)
    for record, rule in zip(records, RULES.values(), strict=True):
        assert record == {"id": rule.id, "severity": rule.severity.value, "summary": rule.summary,
                          "fail": rule.fail, "pass": rule.passes}
    _, one, _ = run_psc("rules", "missing-owner", "-f", "json")
    assert json.loads(one) == records[list(RULES).index("missing-owner")]


def test_markdown_is_the_rules_chapter_of_the_format_doc() -> None:
    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    chapter = text.split(RULES_BEGIN, 1)[1].split(RULES_END, 1)[0].strip("\n") + "\n"
    code, out, _ = run_psc("rules", "--format", "md")
    assert (code, out) == (0, chapter)
    _, one, _ = run_psc("rules", "schema", "--format", "md")
    assert one.startswith("### `schema`\n\nSeverity: **error**. ") and one in chapter


def test_unknown_rule_is_a_usage_error_with_a_suggestion() -> None:
    code, out, err = run_psc("rules", "unknown-referenc")
    assert (code, out) == (2, "")
    assert "unknown rule 'unknown-referenc' (did you mean 'unknown-reference'?)" in err


def test_an_unknown_rule_is_quoted_safely() -> None:
    code, _, err = run_psc("rules", "\x1b[31mred" + "x" * 200)
    assert code == 2
    assert "\x1b" not in err and "\\x1b" in err and len(err) < 400


def test_help_lists_rules_after_the_main_commands() -> None:
    _, out, _ = run_psc("--help")
    names = re.findall(r"^│ (\w+) ", out, re.M)
    assert names[0] == "validate"
    assert names.index("validate") < names.index("query") < names.index("render") < names.index("rules")
