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
#: Each example starts with the file it belongs in; the rest of the project is a small
#: valid one (docs/format.md shows these; tests/test_docs.py runs them through `psc validate`).
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "file-error", _ERROR,
            "A data file can't be read: it is missing, not a regular file, larger than 64 MiB, "
            "or not UTF-8 text.",
            fail="""\
# axes.yaml
# saved as Windows-1252: the "é" of "Musée" is the byte 0xe9, not UTF-8
document:
  institution: Musée du Louvre
  title: Schéma directeur des SI et du numérique
""",
            passes="""\
# axes.yaml
# saved as UTF-8 (with or without a byte order mark)
document:
  institution: Musée du Louvre
  title: Schéma directeur des SI et du numérique
""",
        ),
        Rule(
            "missing-file", _ERROR,
            "The project folder has no axes.yaml, or no file whose name ends in _roadmap.yaml (a file "
            "named like a roadmap, such as roadmap.yaml or si-roadmap.yml, is named with the name to give it).",
            fail="""\
# si_roadmap.yml
# the project's only roadmap file, but its name ends in .yml: psc reads *_roadmap.yaml
roadmap:
  id: si
  title: Feuille de route des SI
  horizon: 2021
""",
            passes="""\
# si_roadmap.yaml
roadmap:
  id: si
  title: Feuille de route des SI
  horizon: 2021
""",
        ),
        Rule(
            "yaml-syntax", _ERROR,
            "The file is not valid YAML, or it nests deeper than 100 levels, or its aliases expand beyond "
            "the limit; the common mistakes (a tab in the indentation, a key out of line with the keys "
            "beside it, an unquoted text that contains ': ', a bracket or a quote left open) are named "
            "where they are, with the text to write.",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Billetterie: refonte   # a second ": " in an unquoted value
    axes: [AX1]
    start: 2019
    end: 2020
    owner: DSI
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: "Billetterie : refonte"
    axes: [AX1]
    start: 2019
    end: 2020
    owner: DSI
""",
        ),
        Rule(
            "duplicate-key", _ERROR,
            "A mapping gives the same key twice; the other checks see the first value.",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    end: 2021            # end given twice
    owner: DSI
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2021
    owner: DSI
""",
        ),
        Rule(
            "schema", _ERROR,
            "A value does not fit the data format: a wrong type, a missing required field, a value "
            "outside its list, a malformed id or period, an unknown field or a YAML tag.",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019-09-01    # a date, not a period
    end: 2020
    status: finished     # not a status
    owners: DSI          # no such field
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: "2019-09"
    end: 2020
    status: done
    owner: DSI
""",
        ),
        Rule(
            "duplicate-id", _ERROR,
            "An id is used twice in the project (axes, principles, themes, actions, bodies and roadmaps "
            "share one set of ids); the message names the first place.",
            fail="""\
# si_roadmap.yaml
roadmap:
  id: si
  title: Feuille de route des SI
  horizon: 2021
  themes:
    - id: si             # already the id of the roadmap
      title: Socles techniques
""",
            passes="""\
# si_roadmap.yaml
roadmap:
  id: si
  title: Feuille de route des SI
  horizon: 2021
  themes:
    - id: socles
      title: Socles techniques
""",
        ),
        Rule(
            "unknown-reference", _ERROR,
            "A reference (axes, principles, theme, body, depends_on, reports_to) names no item of that "
            "kind; the message suggests the closest id, and a reference to an item whose own id is in "
            "error (`id: AX 2` for `AX2`) is left to that item's finding.",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX9]          # no axis AX9
    start: 2019
    end: 2020
    owner: DSI
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    owner: DSI
""",
        ),
        Rule(
            "dependency-cycle", _ERROR,
            "Actions wait for each other in a loop through depends_on (or bodies report to each other "
            "through reports_to); the message lists the loop.",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    owner: DSI
    depends_on: [SI-02]
  - id: SI-02
    title: Portail des collections
    axes: [AX1]
    start: 2020
    end: 2021
    owner: DSI
    depends_on: [SI-01]  # and SI-01 depends on SI-02
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    owner: DSI
  - id: SI-02
    title: Portail des collections
    axes: [AX1]
    start: 2021
    end: 2021
    owner: DSI
    depends_on: [SI-01]
""",
        ),
        Rule(
            "period-order", _ERROR,
            "An action ends before it starts.",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2021
    end: "2020-Q4"       # before the start
    owner: DSI
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2020
    end: 2020            # one year: January to December 2020
    owner: DSI
""",
        ),
        Rule(
            "beyond-horizon", _ERROR,
            "An action ends after its roadmap's horizon or starts before the roadmap's start, or a "
            "roadmap starts after its horizon.",
            fail="""\
# si_roadmap.yaml
roadmap:
  id: si
  title: Feuille de route des SI
  start: 2019
  horizon: 2021
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2021
    end: "2022-Q1"       # after the horizon
    owner: DSI
""",
            passes="""\
# si_roadmap.yaml
roadmap:
  id: si
  title: Feuille de route des SI
  start: 2019
  horizon: 2021
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2021
    end: "2021-Q4"
    owner: DSI
""",
        ),
        Rule(
            "duplicate-reference", _WARNING,
            "A reference list (axes, principles, depends_on, a body's axes) names the same id twice; "
            "the second one is a slip and shows twice in the document.",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1, AX1]     # AX1 twice
    start: 2019
    end: 2020
    owner: DSI
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    owner: DSI
""",
        ),
        Rule(
            "dependency-order", _WARNING,
            "An action starts before one of the actions it depends on has ended (a cancelled action on "
            "either side is left out).",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: "2020-Q3"
    owner: DSI
  - id: SI-02
    title: Portail des collections
    axes: [AX1]
    start: 2020          # January 2020, before SI-01 ends
    end: 2021
    owner: DSI
    depends_on: [SI-01]
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: "2020-Q3"
    owner: DSI
  - id: SI-02
    title: Portail des collections
    axes: [AX1]
    start: "2020-Q4"
    end: 2021
    owner: DSI
    depends_on: [SI-01]
""",
        ),
        Rule(
            "unused-axis", _WARNING,
            "No action serves this axis.",
            fail="""\
# axes.yaml
axes:
  - id: AX1
    title: Collections
  - id: AX2
    title: Visiteurs     # and no action lists AX2 in its axes
""",
            passes="""\
# axes.yaml
axes:
  - id: AX1
    title: Collections
  - id: AX2
    title: Visiteurs
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Billetterie en ligne
    axes: [AX1, AX2]
    start: 2019
    end: 2020
    owner: DSI
""",
        ),
        Rule(
            "unused-principle", _WARNING,
            "No action applies this principle.",
            fail="""\
# axes.yaml
principles:
  - id: P1
    title: Usagers au centre   # and no action lists P1 in its principles
""",
            passes="""\
# axes.yaml
principles:
  - id: P1
    title: Usagers au centre
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    principles: [P1]
    start: 2019
    end: 2020
    owner: DSI
""",
        ),
        Rule(
            "missing-owner", _WARNING,
            "An action that is neither done nor cancelled has no owner and no body in charge (a field "
            "written wrong, such as `onwer:`, has its own schema finding instead).",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    status: in_progress  # under way, and neither owner nor body
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    status: in_progress
    owner: Direction des systèmes d'information
""",
        ),
        Rule(
            "missing-feasibility", _WARNING,
            "Other actions of the roadmap rate their feasibility and this one does not (a value outside "
            "the list, such as `feasibility: likely`, has its own schema finding instead).",
            fail="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    feasibility: surely
    owner: DSI
  - id: SI-02
    title: Portail des collections
    axes: [AX1]
    start: 2021
    end: 2021
    owner: DSI           # no feasibility, while SI-01 has one
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    feasibility: surely
    owner: DSI
  - id: SI-02
    title: Portail des collections
    axes: [AX1]
    start: 2021
    end: 2021
    feasibility: probably
    owner: DSI
""",
        ),
        Rule(
            "empty-roadmap", _WARNING,
            "A roadmap has no action.",
            fail="""\
# si_roadmap.yaml
actions: []
""",
            passes="""\
# si_roadmap.yaml
actions:
  - id: SI-01
    title: Base des collections
    axes: [AX1]
    start: 2019
    end: 2020
    owner: DSI
""",
        ),
    )
}


def severity_of(rule: str) -> Severity:
    """The severity of a registered rule; KeyError for a name that is not one."""
    return RULES[rule].severity
