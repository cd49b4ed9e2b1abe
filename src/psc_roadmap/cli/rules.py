"""`psc rules`: every rule psc checks, or one, with its severity, what it checks and its
FAIL/PASS example (the help that SARIF reports carry), to look a finding's rule up."""

from __future__ import annotations

from typing import Annotated

import typer

from psc_roadmap.cli import app
from psc_roadmap.cli.common import examples, usage_error, write_stdout
from psc_roadmap.enums import RulesFormat


def complete_rule(incomplete: str) -> list[str]:
    """Shell completion of a rule name."""
    from psc_roadmap.rules import RULES

    return [rule for rule in RULES if rule.startswith(incomplete)]


@app.command(epilog=examples(
    "psc rules missing-owner",
    "psc rules --format md",
))
def rules(
    rule: Annotated[
        str | None,
        typer.Argument(metavar="[RULE]", help="One rule (default: every rule).", show_default=False,
                       autocompletion=complete_rule),
    ] = None,
    fmt: Annotated[
        RulesFormat,
        typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                     help="text (default), json or md (the rules chapter of docs/format.md)."),
    ] = RulesFormat.text,
) -> None:
    """Every rule (or one): its severity, what it checks, and an example that fails it and one that passes."""
    from psc_roadmap.reporters.rulebook import rules_json, rules_markdown, rules_text
    from psc_roadmap.rules import RULES
    from psc_roadmap.suggest import did_you_mean
    from psc_roadmap.text import quote, terminal_safe

    if rule is not None and rule not in RULES:
        usage_error(f"unknown rule {terminal_safe(quote(rule))}{did_you_mean(rule, RULES, listed=30)}")
    chosen = [RULES[rule]] if rule is not None else list(RULES.values())
    one = rule is not None
    if fmt is RulesFormat.json:
        write_stdout(rules_json(chosen, one), exact=True)
    elif fmt is RulesFormat.md:
        write_stdout(rules_markdown(chosen, one), exact=True)
    else:
        write_stdout(rules_text(chosen))
