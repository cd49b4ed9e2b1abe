"""`psc schema`: the exported JSON Schema agrees with `psc validate` on every test file.

Each broken snippet below is a schema-level mistake; both `psc validate` (rule `schema`)
and the `jsonschema` package with the exported schema must reject it. Every valid file
must pass both. The only documented gap: JSON Schema counts 2020.0 as an integer.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from psc_roadmap.checks import validate_folder
from psc_roadmap.init import project_files
from psc_roadmap.loader import parse_text
from psc_roadmap.schema import KINDS, json_schema, schema_text
from tests.conftest import run_psc as psc

REPO = Path(__file__).parent.parent
PROJECTS = Path(__file__).parent / "projects"
FILE_NAMES = {"axes": "axes.yaml", "governance": "governance.yaml", "roadmap": "x_roadmap.yaml"}


BASE = {
    "axes": textwrap.dedent("""\
        document:
          institution: Musée
          title: Schéma directeur
          language: fr
          objectives: [Un objectif]
          sources:
            - title: Audit
              period: "2016"
        axes:
          - id: AX1
            title: Collections
            goal: Diffuser
        principles:
          - id: P1
            title: Ouverture
            kind: guideline
        """),
    "governance": textwrap.dedent("""\
        description: Organisation
        bodies:
          - id: comite
            name: Comité
            kind: committee
            mission: [Arbitrer]
            axes: [AX1]
          - id: dsi
            name: DSI
            kind: department
            reports_to: comite
            members: [Une personne]
        """),
    "roadmap": textwrap.dedent("""\
        roadmap:
          id: r
          title: Feuille de route
          start: 2020
          horizon: 2024
          order: 1
          themes:
            - id: th
              title: Thème
        actions:
          - id: A-1
            title: Action
            axes: [AX1]
            principles: [P1]
            theme: th
            start: 2021
            end: "2022-Q2"
            status: planned
            feasibility: surely
            owner: DSI
            body: dsi
            tags: [t]
          - id: A-2
            title: Autre
            axes: AX1
            start: "2022-07"
            end: 2023
            status: done
            feasibility: probably
            depends_on: A-1
        """),
}

#: (kind, what is wrong, text to replace in BASE[kind], replacement)
BROKEN: list[tuple[str, str, str, str]] = [
    ("axes", "root is a list", BASE["axes"], "- a\n- b\n"),
    ("axes", "missing document", "document:\n  institution: Musée\n", "unused:\n  institution: Musée\n"),
    ("axes", "missing institution", "  institution: Musée\n", ""),
    ("axes", "title is a list", "  title: Schéma directeur\n", "  title: [a, b]\n"),
    ("axes", "title is a boolean", "  title: Schéma directeur\n", "  title: true\n"),
    ("axes", "title is empty", "  title: Schéma directeur\n", '  title: ""\n'),
    ("axes", "title is blank", "  title: Schéma directeur\n", '  title: "   "\n'),
    ("axes", "language outside enum", "language: fr", "language: de"),
    ("axes", "objectives is a mapping", "objectives: [Un objectif]", "objectives: {a: 1}"),
    ("axes", "source without title", "    - title: Audit\n      period", "    - period"),
    ("axes", "source is text", "    - title: Audit\n      period: \"2016\"\n", "    - Audit\n"),
    ("axes", "no axes", "axes:\n  - id: AX1\n    title: Collections\n    goal: Diffuser\n", "axes: []\n"),
    ("axes", "axes missing", "axes:\n  - id: AX1\n    title: Collections\n    goal: Diffuser\n", ""),
    ("axes", "axis id malformed", "id: AX1", "id: 1AX"),
    ("axes", "axis id too long", "id: AX1", "id: A" + "x" * 40),
    ("axes", "axis id with a space", "id: AX1", "id: A X"),
    ("axes", "axis id is a number", "id: AX1", "id: 12"),
    ("axes", "axis without title", "    title: Collections\n", ""),
    ("axes", "unknown field in axis", "    goal: Diffuser\n", "    goal: Diffuser\n    titel: x\n"),
    ("axes", "unknown root field", "principles:\n", "principle:\n"),
    ("axes", "principle kind outside enum", "kind: guideline", "kind: rule"),
    ("axes", "axis item is text", "  - id: AX1\n    title: Collections\n    goal: Diffuser\n", "  - AX1\n"),
    ("governance", "root is text", BASE["governance"], "just text\n"),
    ("governance", "body without kind", "    kind: committee\n", ""),
    ("governance", "body kind outside enum", "kind: committee", "kind: board"),
    ("governance", "body id malformed", "id: comite", "id: comité"),
    ("governance", "reports_to is a list", "reports_to: comite", "reports_to: [comite]"),
    ("governance", "reports_to malformed", "reports_to: comite", "reports_to: -x"),
    ("governance", "members is a mapping", "members: [Une personne]", "members: {a: b}"),
    ("governance", "mission item is null", "mission: [Arbitrer]", "mission: [~]"),
    ("governance", "unknown field in body", "    name: DSI\n", "    name: DSI\n    nom: DSI\n"),
    ("governance", "bodies is a mapping", "bodies:\n", "bodies: {}\nother:\n"),
    ("governance", "axes item malformed", "axes: [AX1]", "axes: [A X]"),
    ("roadmap", "missing roadmap", "roadmap:\n", "header:\n"),
    ("roadmap", "missing horizon", "  horizon: 2024\n", ""),
    ("roadmap", "horizon is a quarter", "horizon: 2024", 'horizon: "2024-Q1"'),
    ("roadmap", "horizon out of range", "horizon: 2024", "horizon: 1800"),
    ("roadmap", "start is text", "  start: 2020\n", "  start: soon\n"),
    ("roadmap", "order is text", "order: 1", 'order: "1"'),
    ("roadmap", "order is a boolean", "order: 1", "order: true"),
    ("roadmap", "order is a decimal", "order: 1", "order: 1.5"),
    ("roadmap", "theme without title", "      title: Thème\n", ""),
    ("roadmap", "actions missing", BASE["roadmap"][BASE["roadmap"].index("actions:"):], ""),
    ("roadmap", "actions is null", BASE["roadmap"][BASE["roadmap"].index("actions:"):], "actions:\n"),
    ("roadmap", "action id malformed", "id: A-1", "id: -A1"),
    ("roadmap", "action without end", '    end: "2022-Q2"\n', ""),
    ("roadmap", "action without axes", "    axes: [AX1]\n", ""),
    ("roadmap", "action with empty axes", "axes: [AX1]", "axes: []"),
    ("roadmap", "action with null axes", "axes: [AX1]", "axes:"),
    ("roadmap", "axes item malformed", "axes: [AX1]", "axes: [AX1, 2X]"),
    ("roadmap", "status outside enum", "status: planned", "status: finished"),
    ("roadmap", "feasibility outside enum", "feasibility: surely", "feasibility: maybe"),
    ("roadmap", "a date as start", '    start: "2022-07"\n', "    start: 2022-07-01\n"),
    ("roadmap", "month 13", '"2022-07"', '"2022-13"'),
    ("roadmap", "quarter 5", '"2022-Q2"', '"2022-Q5"'),
    ("roadmap", "year out of range", "    start: 2021\n", "    start: 3021\n"),
    ("roadmap", "year as a decimal", "    start: 2021\n", "    start: 2021.5\n"),
    ("roadmap", "year as a boolean", "    start: 2021\n", "    start: false\n"),
    ("roadmap", "year as a list", "    start: 2021\n", "    start: [2021]\n"),
    ("roadmap", "two-digit year", "    start: 2021\n", '    start: "21"\n'),
    ("roadmap", "unknown field in action", "    owner: DSI\n", "    owner: DSI\n    owner_name: DSI\n"),
    ("roadmap", "depends_on is a mapping", "depends_on: A-1", "depends_on: {A-1: x}"),
    ("roadmap", "theme is a list", "theme: th", "theme: [th]"),
    ("roadmap", "tags item is a list", "tags: [t]", "tags: [[t]]"),
    ("roadmap", "title is null", "    title: Action\n", "    title:\n"),
    ("roadmap", "action is text", "  - id: A-2\n    title: Autre\n", "  - A-2\n  - id: A-3\n    title: Autre\n"),
]

#: Valid variants: unusual but accepted by psc, so the schema must accept them too.
VALID: list[tuple[str, str, str, str]] = [
    ("axes", "title as a number", "  title: Schéma directeur\n", "  title: 2024\n"),
    ("axes", "objectives as one text", "objectives: [Un objectif]", "objectives: Un objectif"),
    ("axes", "objectives as null", "objectives: [Un objectif]", "objectives:"),
    ("axes", "objectives with a number", "objectives: [Un objectif]", "objectives: [1.5, texte]"),
    ("axes", "id with spaces psc strips", "id: AX1", 'id: " AX1 "'),
    ("axes", "language en", "language: fr", "language: en"),
    ("axes", "optional text null", "    goal: Diffuser\n", "    goal:\n"),
    ("axes", "no principles", "principles:\n  - id: P1\n    title: Ouverture\n    kind: guideline\n", ""),
    ("governance", "axes as one id", "axes: [AX1]", "axes: AX1"),
    ("governance", "no bodies", BASE["governance"], "description: Rien\n"),
    ("governance", "empty file", BASE["governance"], "# nothing yet\n"),
    ("roadmap", "year as quoted text", "    start: 2021\n", '    start: "2021"\n'),
    ("roadmap", "period with spaces psc strips", "    start: 2021\n", '    start: " 2021-Q1 "\n'),
    ("roadmap", "year in hexadecimal", "    start: 2021\n", "    start: 0x7E5\n"),
    ("roadmap", "empty actions", BASE["roadmap"][BASE["roadmap"].index("actions:"):], "actions: []\n"),
    ("roadmap", "null optional lists", "tags: [t]", "tags:"),
    ("roadmap", "owner as a number", "owner: DSI", "owner: 42"),
    ("roadmap", "order null", "order: 1", "order:"),
    ("roadmap", "horizon quoted", "horizon: 2024", 'horizon: "2024"'),
    ("axes", "principles is null", "principles:\n  - id: P1\n    title: Ouverture\n    kind: guideline\n",
     "principles:\n"),
    ("roadmap", "status is null", "status: planned", "status:"),
    ("roadmap", "feasibility is null", "feasibility: surely", "feasibility:"),
    ("axes", "language is null", "language: fr", "language:"),
    ("axes", "principle kind is null", "kind: guideline", "kind:"),
]


def variant(kind: str, old: str, new: str) -> str:
    base = BASE[kind]
    assert old in base, old
    return base.replace(old, new, 1)


def project_with(tmp_path: Path, kind: str, text: str) -> Path:
    """A valid project of three files, one of them replaced by text."""
    for name, base in ((FILE_NAMES[k], BASE[k]) for k in KINDS):
        (tmp_path / name).write_text(base, encoding="utf-8")
    (tmp_path / FILE_NAMES[kind]).write_text(text, encoding="utf-8")
    return tmp_path


def schema_accepts(kind: str, text: str) -> bool:
    data = parse_text(text, "x.yaml", [])
    return bool(Draft202012Validator(json_schema(kind)).is_valid(data))


def schema_rules(folder: Path, kind: str) -> set[str]:
    _, findings = validate_folder(str(folder))
    return {f.rule for f in findings if f.is_error and f.position.file.endswith(FILE_NAMES[kind])}


def test_base_project_is_valid(tmp_path: Path) -> None:
    folder = project_with(tmp_path, "axes", BASE["axes"])
    assert psc("validate", "--strict", "-d", str(folder))[:2] == (0, "0 errors, 0 warnings in 3 files\n")
    for kind in KINDS:
        assert schema_accepts(kind, BASE[kind])


@pytest.mark.parametrize(("kind", "what", "old", "new"), BROKEN, ids=[f"{k}: {w}" for k, w, _, _ in BROKEN])
def test_both_reject(tmp_path: Path, kind: str, what: str, old: str, new: str) -> None:
    text = variant(kind, old, new)
    assert "schema" in schema_rules(project_with(tmp_path, kind, text), kind), what
    assert not schema_accepts(kind, text), what


@pytest.mark.parametrize(("kind", "what", "old", "new"), VALID, ids=[f"{k}: {w}" for k, w, _, _ in VALID])
def test_both_accept(tmp_path: Path, kind: str, what: str, old: str, new: str) -> None:
    text = variant(kind, old, new)
    assert schema_rules(project_with(tmp_path, kind, text), kind) == set(), what
    assert schema_accepts(kind, text), what


def test_documented_gap_float_year(tmp_path: Path) -> None:
    """JSON Schema can't tell 2021.0 from 2021: psc validate is the stricter of the two."""
    text = variant("roadmap", "    start: 2021\n", "    start: 2021.0\n")
    assert schema_rules(project_with(tmp_path, "roadmap", text), "roadmap") == {"schema"}
    assert schema_accepts("roadmap", text)


def _valid_files() -> list[tuple[str, Path]]:
    found = []
    for folder in (REPO / "data", PROJECTS / "demo", PROJECTS / "edit", PROJECTS / "edit-empty"):
        for path in sorted(folder.glob("*.yaml")):
            kind = "roadmap" if path.name.endswith("_roadmap.yaml") else path.stem
            found.append((kind, path))
    return found


@pytest.mark.parametrize(("kind", "path"), _valid_files(), ids=lambda v: v if isinstance(v, str) else v.name)
def test_every_valid_file_passes_both(kind: str, path: Path) -> None:
    _, findings = validate_folder(str(path.parent))
    assert not [f for f in findings if f.is_error]
    text = path.read_text(encoding="utf-8")
    errors = list(Draft202012Validator(json_schema(kind)).iter_errors(parse_text(text, path.name, [])))
    assert errors == []


@pytest.mark.parametrize("name", ["axes.yaml", "governance.yaml", "main_roadmap.yaml"])
def test_the_blank_skeleton_passes_the_schema(name: str) -> None:
    kind = "roadmap" if name.endswith("_roadmap.yaml") else name.removesuffix(".yaml")
    assert schema_accepts(kind, project_files(blank=True, year=2025)[name])


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_up_to_date(kind: str) -> None:
    code, out, _ = psc("schema", kind)
    assert code == 0
    assert out == (REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert out == schema_text(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_schema_shape(kind: str) -> None:
    schema = json_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    text = schema_text(kind)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert json.loads(text) == schema
    assert schema_text(kind) == text  # deterministic

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                assert node.get("additionalProperties") is False
                for name, prop in node["properties"].items():
                    assert prop.get("description"), f"{kind}: {name} has no description"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)


def test_schema_patterns_and_enums() -> None:
    roadmap = json_schema("roadmap")
    action = roadmap["$defs"]["Action"]["properties"]
    assert action["id"]["pattern"] == r"^\s*(?:[A-Za-z][A-Za-z0-9_.-]{0,39})\s*$"
    assert roadmap["$defs"]["Status"]["enum"] == ["planned", "in_progress", "done", "on_hold", "cancelled"]
    assert {"type": "integer", "minimum": 1900, "maximum": 2999} in action["start"]["anyOf"]


def test_schema_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = psc("schema", "governance", "-o", str(target))
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8") == schema_text("governance")


def test_schema_unknown_kind() -> None:
    code, _, err = psc("schema", "actions")
    assert code == 2
    assert "actions" in err
