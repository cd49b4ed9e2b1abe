"""The language server's parts, in-process: positions between psc and LSP, the range of a
finding, the context of the cursor, the sites of ids, rename's spans and its proof,
completion and fixes on texts an editor holds while typing."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from lsprotocol import types

from psc_roadmap.edit.spans import compose
from psc_roadmap.errors import Finding, Position
from psc_roadmap.lsp import completion, fixes, hover, navigation, rename
from psc_roadmap.lsp.analysis import Analysis
from psc_roadmap.lsp.context import context_at
from psc_roadmap.lsp.diagnostics import finding_range, token_end
from psc_roadmap.lsp.parsing import analyse
from psc_roadmap.lsp.positions import TextLines, units
from psc_roadmap.lsp.rename import RenameRefused
from psc_roadmap.lsp.sites import scalar_length
from tests.conftest import MakeProject

UTF8 = types.PositionEncodingKind.Utf8
UTF32 = types.PositionEncodingKind.Utf32


# --- positions ---------------------------------------------------------------------------


def test_columns_outside_the_bmp_count_two_utf16_units() -> None:
    lines = TextLines("a: x\nb: 🎨𝄞 é AX9\n")
    assert lines.from_psc(2, 9) == types.Position(1, 10)  # 🎨 and 𝄞 take two units each, é one
    assert lines.psc_at(types.Position(1, 10)) == (2, 9)
    assert TextLines(lines.text, UTF8).from_psc(2, 9) == types.Position(1, 4 + 4 + 4 + 3)
    assert TextLines(lines.text, UTF32).from_psc(2, 9) == types.Position(1, 8)
    # A position inside a surrogate pair falls back to the character it splits.
    assert lines.offset_at(types.Position(1, 4)) == lines.offset_at(types.Position(1, 3))
    assert units("🎨é", types.PositionEncodingKind.Utf16) == 3


def test_a_bom_and_line_breaks_as_libyaml_counts_them() -> None:
    bom = TextLines("\ufeffa: 1\r\nb: 2\rc: 3\n")
    assert bom.from_psc(1, 1) == types.Position(0, 1)  # psc's column 1 is after the BOM
    assert bom.from_psc(2, 1) == types.Position(1, 0) and bom.from_psc(3, 4) == types.Position(2, 3)
    # NEL breaks a line for libyaml (psc's line 2) but not for LSP (same line).
    nel = TextLines("a: x\x85b: y\n")
    assert nel.from_psc(2, 1) == types.Position(0, 5)
    assert nel.psc_at(types.Position(0, 5)) == (2, 1)
    # Past the end of a line or of the text: kept inside.
    assert bom.from_psc(9, 9) == types.Position(3, 0)
    assert bom.from_psc(1, 99) == types.Position(0, 5)


@pytest.mark.parametrize(("line", "start", "end"), [
    ("    axes: [AX1, AX9]", 16, 19),
    ("    axes: AX9 # note", 10, 13),
    ("    owner: DSI, DRH", 11, 19),
    ('    title: "a, b" # c', 11, 17),
    ("    title: 'it''s'", 11, 18),
    ("  - id: SI-01", 4, 6),
    ("    axes: []", 10, 12),
    ("    description: >-", 17, 19),
    ("    x: ", 7, 7),
])
def test_token_end(line: str, start: int, end: int) -> None:
    assert token_end(line, start) == end


def test_a_finding_at_the_end_of_the_text_has_an_empty_range() -> None:
    lines = TextLines("a: [1,\n")
    found = finding_range(lines, Finding(Position("f", 2, 1), "yaml-syntax", "x"))
    assert found.start == found.end == types.Position(1, 0)


# --- the cursor's context ----------------------------------------------------------------

ROADMAP = """\
roadmap:
  id: si
  themes:
    - id: t1
      title: T
actions:
  - id: SI-01
    title: A
    axes:
      - AX1
      -
    st
  - id: SI-02
    axes: [AX1, ]
"""


@pytest.mark.parametrize(("line", "column", "path", "key", "siblings"), [
    (1, 5, ("roadmap",), "id", set()),
    (4, 6, ("roadmap", "themes"), None, {"id"}),
    (10, 8, ("actions",), "axes", set()),
    (11, 6, ("actions",), None, {"id", "title", "axes"}),
    (13, 16, ("actions",), "axes", set()),
    (12, 4, ("actions",), None, {"axes"}),
])
def test_context_from_the_lines(line: int, column: int, path: tuple[str, ...], key: str | None,
                                siblings: set[str]) -> None:
    found = context_at(TextLines(ROADMAP), "roadmap", line, column)
    assert (found.path, found.key) == (path, key)
    if key is None:
        assert found.siblings == siblings


# --- sites and rename --------------------------------------------------------------------


def test_scalar_lengths() -> None:
    assert scalar_length("x: AX1\n", 3, "AX1") == (3, 0)
    assert scalar_length("x: 'AX1'\n", 3, "AX1") == (5, 1)
    assert scalar_length('x: "A\\"X"\n', 3, 'A"X') == (6, 1)
    assert scalar_length("x: 'it''s'\n", 3, "it's") == (7, 1)


QUOTED = """\
roadmap: {id: si, title: SI, horizon: 2021}
actions:
  - id: "SI-01"
    title: A
    axes: 'AX1'
    start: 2020
    end: 2021
    owner: DSI
  - {id: SI-02, title: B, axes: [AX1, "AX2"], start: 2020, end: 2021, owner: DSI, depends_on: SI-01}
"""


def test_rename_spans_keep_quotes_and_flow_style(make_project: MakeProject) -> None:
    folder = make_project({"si_roadmap.yaml": QUOTED})
    analysis = analyse(str(folder))
    path = analysis.shown("si_roadmap.yaml")
    text = analysis.lines[path].text
    at = analysis.lines[path].position(text.index("AX1"))
    site, new, splices = rename.plan(analysis, path, at, "AXE1")
    assert (site.kind, site.target, new) == ("axis", "AX1", "AXE1")
    renamed = rename.apply(text, splices[path])
    assert "axes: 'AXE1'" in renamed and 'axes: [AXE1, "AX2"]' in renamed
    assert rename.prove(analysis, "AX1", "AXE1", splices) == []
    at = analysis.lines[path].position(text.index("SI-01"))
    _, _, splices = rename.plan(analysis, path, at, "on")
    renamed = rename.apply(text, splices[path])
    assert 'id: "on"' in renamed and 'depends_on: "on"' in renamed  # a YAML 1.1 boolean stays text
    root = compose(renamed, path)
    assert len(rename.spans_in(root, path, "action", "on")) == 2


def test_rename_refusals(make_project: MakeProject) -> None:
    folder = make_project()
    analysis = analyse(str(folder))
    path = analysis.shown("si_roadmap.yaml")
    lines = analysis.lines[path]
    at = lines.position(lines.text.index("SI-01"))
    for name, reason in (("SI-02", "already the id of action"), ("socles", "already the id of theme"),
                         ("1X", "not a valid id"), ("x" * 41, "not a valid id")):
        with pytest.raises(RenameRefused, match=reason):
            rename.plan(analysis, path, at, name)
    assert rename.plan(analysis, path, at, " SI-01 ")[2] == {}
    with pytest.raises(RenameRefused, match="psc renames ids"):
        rename.prepare(analysis, path, lines.position(lines.text.index("Base collections")))


def test_rename_refused_when_a_file_does_not_parse(make_project: MakeProject) -> None:
    folder = make_project({"governance.yaml": "bodies: [\n"})
    analysis = analyse(str(folder))
    path = analysis.shown("si_roadmap.yaml")
    lines = analysis.lines[path]
    with pytest.raises(RenameRefused, match=r"governance\.yaml can't be read"):
        rename.plan(analysis, path, lines.position(lines.text.index("SI-01")), "SI-1")


def test_rename_refused_when_it_brings_a_finding(make_project: MakeProject) -> None:
    roadmap = (Path(make_project()) / "si_roadmap.yaml").read_text(encoding="utf-8")
    folder = make_project({"si_roadmap.yaml": roadmap.replace("axes: AX2", "axes: [AX2, AXE]")})
    analysis = analyse(str(folder))
    path = analysis.shown("axes.yaml")
    lines = analysis.lines[path]
    site, new, splices = rename.plan(analysis, path, lines.position(lines.text.index("AX2")), "AXE")
    # SI-02 would name AXE twice: a duplicate-reference it did not have.
    fresh = rename.prove(analysis, site.target, new, splices)
    assert [(f.rule, f.about) for f in fresh] == [("duplicate-reference", ("SI-02", "axes", "AXE"))]


def test_workspace_edit_without_document_changes(make_project: MakeProject) -> None:
    folder = make_project()
    analysis = analyse(str(folder))
    path = analysis.shown("axes.yaml")
    lines = analysis.lines[path]
    _, _, splices = rename.plan(analysis, path, lines.position(lines.text.index("AX2")), "VISITEURS")
    edit = rename.workspace_edit(analysis, splices, {}, document_changes=False)
    assert edit.document_changes is None and edit.changes is not None
    assert {uri.rsplit("/", 1)[-1] for uri in edit.changes} == {"axes.yaml", "governance.yaml", "si_roadmap.yaml"}


# --- completion and fixes on texts being typed -------------------------------------------


def completions(analysis: Analysis, text: str) -> list[str]:
    at = text.index("|")
    lines = TextLines(text[:at] + text[at + 1:])
    path = analysis.shown("si_roadmap.yaml")
    items = completion.complete(lines, "roadmap", path, lines.position(at), analysis.project)
    return [item.label for item in items]


def test_completion_while_the_file_does_not_parse(make_project: MakeProject) -> None:
    analysis = analyse(str(make_project()))
    base = analysis.lines[analysis.shown("si_roadmap.yaml")].text
    assert completions(analysis, base.replace("axes: [AX1]", "axes: [|", 1)) == ["AX1", "AX2"]
    keys = completions(analysis, base.replace("    owner: DSI\n", "    ow|\n", 1))
    assert "owner" in keys and "status" in keys and "title" not in keys and "theme" not in keys
    assert completions(analysis, base.replace("depends_on: [SI-01]", "depends_on: [|]", 1)) == ["SI-01", "SI-02"]
    assert completions(analysis, base.replace("theme: socles", "theme: |", 1)) == ["socles"]
    assert completions(analysis, base.replace("body: hub", "body: |", 1)) == ["comite", "hub"]
    periods = completions(analysis, base.replace('end: "2019-Q4"', "end: |", 1))
    assert periods[0] == "2019" and periods[-1] == "2021-12" and len(periods) == 3 * 17
    assert completions(analysis, base.replace("  - id: SI-02\n", "  - |\n  - id: SI-02\n", 1))[:1] == ["id"]


def test_fixes_keep_the_line_breaks_of_the_file(make_project: MakeProject) -> None:
    roadmap = (Path(make_project()) / "si_roadmap.yaml").read_text(encoding="utf-8")
    broken = roadmap.replace("    title: Billetterie\n", "").replace("\n", "\r\n")
    folder = make_project({"si_roadmap.yaml": broken})
    analysis = analyse(str(folder))
    path = analysis.shown("si_roadmap.yaml")
    everything = types.Range(types.Position(0, 0), types.Position(99, 0))
    [action] = fixes.code_actions(analysis, path, everything)
    assert action.title == "Add the field 'title'" and action.edit is not None and action.edit.changes
    [edit] = next(iter(action.edit.changes.values()))
    assert edit.new_text == "\r\n    title: TODO"


def test_document_symbols_nest_themes_in_their_roadmap(make_project: MakeProject) -> None:
    analysis = analyse(str(make_project()))
    symbols = navigation.document_symbols(analysis, analysis.shown("si_roadmap.yaml"))
    assert [(s.name, s.detail) for s in symbols] == [
        ("si", "Feuille de route des SI"), ("SI-01", "Base collections"), ("SI-02", "Billetterie")]
    assert [c.name for c in symbols[0].children or []] == ["socles"]
    assert symbols[1].range.end.line == symbols[2].range.start.line - 1


# --- hostile input: the YAML test suite ----------------------------------------------------

CORPUS = Path(__file__).resolve().parent / "corpus" / "yaml-test-suite"
CASES = sorted(CORPUS.glob("*/*.yaml")) if CORPUS.is_dir() else []


def test_every_feature_answers_on_the_yaml_test_suite(make_project: MakeProject) -> None:
    """Each input of the YAML test suite (valid, broken, odd encodings), typed into a roadmap
    file, an axes file and a governance file of a project: the analysis and every feature
    at positions across the text answer (a rename may be refused, nothing else may fail)."""
    assert len(CASES) > 300
    folder = make_project()
    for case in CASES:
        text = case.read_bytes().decode("utf-8", "replace")
        for name, kind in (("si_roadmap.yaml", "roadmap"), ("axes.yaml", "axes"), ("governance.yaml", "governance")):
            analysis = analyse(str(folder), {str(folder / name): text})
            path = analysis.shown(name)
            lines = TextLines(text)
            last = text.count("\n") + 1
            for line in range(min(last, 12)):
                for character in (0, 3, 9, 30):
                    position = types.Position(line, character)
                    navigation.definition(analysis, path, position)
                    navigation.references(analysis, path, position, True)
                    hover.hover(analysis, path, kind, position)
                    completion.complete(lines, kind, path, position, analysis.project)
                    with contextlib.suppress(RenameRefused):
                        rename.prepare(analysis, path, position)
            navigation.document_symbols(analysis, path)
            fixes.code_actions(analysis, path, types.Range(types.Position(0, 0), types.Position(last, 0)))
            navigation.workspace_symbols([analysis], "a")


def test_every_field_an_editor_can_hover_is_in_the_reference() -> None:
    """Hover on a key reads docs/format.md's field tables: every field of every model the
    server can place the cursor in has its row there (links kept as their words)."""
    from psc_roadmap.lsp.context import MODELS
    from psc_roadmap.lsp.hover import field_docs

    rows = field_docs()
    missing = sorted({f"{model.__name__}.{name}" for model in MODELS.values() for name in model.model_fields
                      if (model.__name__, name) not in rows})
    assert missing == []
    assert all("](#" not in row.meaning for row in rows.values())
