"""Every rule that code can emit is in the registry, and every registered rule is emitted
somewhere: the registry is the one place that names rules and states their severity."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from psc_roadmap.errors import Finding, Position, Severity
from psc_roadmap.rules import RULES

SRC = Path(__file__).resolve().parent.parent / "src" / "psc_roadmap"
#: Calls that make findings, and the index of their rule id argument.
FINDING_CALLS = {"Finding": 1, "finding": 1, "_finding": 2}


def emitted_rules() -> dict[str, list[str]]:
    """Rule ids written in the calls that make findings, with where each is written."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            at = FINDING_CALLS.get(name)
            if at is None or len(node.args) <= at:
                continue
            rule = node.args[at]
            if isinstance(rule, ast.Constant) and isinstance(rule.value, str):
                found.setdefault(rule.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    found.setdefault("file-error", []).append("files.py:_file_error")
    return found


def test_every_emitted_rule_is_registered() -> None:
    unknown = {rule: where for rule, where in emitted_rules().items() if rule not in RULES}
    assert not unknown


def test_every_registered_rule_is_emitted() -> None:
    assert set(RULES) <= set(emitted_rules())


def test_a_finding_takes_its_severity_from_the_registry() -> None:
    assert Finding(Position("a.yaml"), "unused-axis", "x").severity is Severity.WARNING
    assert Finding(Position("a.yaml"), "schema", "x").severity is Severity.ERROR
    with pytest.raises(KeyError):
        Finding(Position("a.yaml"), "no-such-rule", "x")


def test_identity_ignores_line_and_wording() -> None:
    one = Finding(Position("a.yaml", 3, 5), "unknown-reference", "axis 'AX9' does not exist", ("A-1", "axes", "AX9"))
    moved = Finding(Position("a.yaml", 9, 1), "unknown-reference", "reworded", ("A-1", "axes", "AX9"))
    other = Finding(Position("a.yaml", 3, 5), "unknown-reference", "axis 'AX9' does not exist", ("A-2", "axes", "AX9"))
    assert one.identity == moved.identity != other.identity
