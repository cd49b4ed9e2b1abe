"""`psc lsp` end to end: the server runs as a subprocess and a client talks LSP to it over
stdio, as an editor does (pygls's own client, on its own event loop thread, every call
bounded in time). Findings are compared with those of `psc validate` on the same text."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcMethodNotFound
from pygls.lsp.client import LanguageClient

from tests.conftest import REPO, MakeProject, run_psc

T = TypeVar("T")
#: The longest any one exchange with the server may take.
TIMEOUT = 30.0


class Editor:
    """A language client with its own event loop thread: each request and each wait for
    diagnostics is bounded by TIMEOUT, and the server's stderr is kept for the asserts."""

    def __init__(self, root: Path, capabilities: types.ClientCapabilities | None = None,
                 args: tuple[str, ...] = ()) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = LanguageClient("psc-tests", "1")
        self.diagnostics: dict[str, types.PublishDiagnosticsParams] = {}
        self.changed = threading.Condition()
        self.stderr: list[str] = []
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.stderr_reader: asyncio.Future[None] | None = None

        self.log: list[types.PublishDiagnosticsParams] = []

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            with self.changed:
                self.diagnostics[params.uri] = params
                self.log.append(params)
                self.changed.notify_all()

        self.run(self.client.start_io(sys.executable, "-m", "psc_roadmap", "lsp", *args))
        self.run(self._drain_stderr())
        self.result = self.run(self.client.initialize_async(types.InitializeParams(
            capabilities=capabilities or types.ClientCapabilities(
                workspace=types.WorkspaceClientCapabilities(
                    workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)),
            ),
            root_uri=root.as_uri(),
        )))
        self.call(self.client.initialized, types.InitializedParams())

    async def _drain_stderr(self) -> None:
        server = self.client._server
        assert server is not None and server.stderr is not None
        stream = server.stderr

        async def read() -> None:
            async for line in stream:
                self.stderr.append(line.decode("utf-8", "replace"))

        self.stderr_reader = asyncio.ensure_future(read())

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = TIMEOUT) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def call(self, notify: Callable[[Any], None], params: Any) -> None:
        async def send() -> None:
            notify(params)

        self.run(send())

    # --- documents ------------------------------------------------------------------

    def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.texts[uri] = path.read_text(encoding="utf-8")
        self.versions[uri] = 1
        self.call(self.client.text_document_did_open, types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=self.texts[uri])))
        return uri

    def change(self, uri: str, text: str) -> int:
        """Replace the whole buffer; the new version."""
        self.versions[uri] += 1
        self.texts[uri] = text
        self.call(self.client.text_document_did_change, types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        ))
        return self.versions[uri]

    def wait(self, uri: str, version: int | None = None,
             until: Callable[[list[types.Diagnostic]], bool] = lambda found: True) -> list[types.Diagnostic]:
        """The diagnostics of a file once they are of that version and `until` holds."""
        deadline = time.monotonic() + TIMEOUT
        with self.changed:
            while True:
                params = self.diagnostics.get(uri)
                if params is not None and (version is None or params.version == version) \
                        and until(list(params.diagnostics)):
                    return list(params.diagnostics)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no such diagnostics for {uri} in {TIMEOUT} s; last: {params}; "
                                         f"server stderr: {''.join(self.stderr)[-2000:]}")
                self.changed.wait(left)

    def close(self) -> None:
        try:
            self.run(self.client.shutdown_async(None), timeout=10)
            self.call(self.client.exit, None)
            self.run(self.client.stop(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)


def position_of(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> types.Position:
    """The LSP position (UTF-16) of the `occurrence`-th `needle` in text, plus `offset` characters."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    return position_at(text, at + offset)


def position_at(text: str, at: int) -> types.Position:
    """The LSP position (UTF-16) of an offset."""
    line = text.count("\n", 0, at)
    column = text[text.rfind("\n", 0, at) + 1:at]
    return types.Position(line, len(column.encode("utf-16-le")) // 2)


def offset_of(text: str, position: types.Position) -> int:
    start = 0
    for _ in range(position.line):
        start = text.index("\n", start) + 1
    units = 0
    index = start
    while units < position.character:
        units += 2 if ord(text[index]) > 0xFFFF else 1
        index += 1
    return index


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    spans = sorted(((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_by_uri(edit: types.WorkspaceEdit) -> dict[str, list[types.TextEdit]]:
    found: dict[str, list[types.TextEdit]] = {}
    for uri, edits in (edit.changes or {}).items():
        found.setdefault(uri, []).extend(edits)
    for change in edit.document_changes or []:
        assert isinstance(change, types.TextDocumentEdit)
        found.setdefault(change.text_document.uri, []).extend(
            e for e in change.edits if isinstance(e, types.TextEdit))
    return found


def validate_json(folder: Path) -> list[dict[str, Any]]:
    _, out, _ = run_psc("validate", "-d", str(folder), "--format", "json")
    return list(json.loads(out)["diagnostics"])


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


@pytest.fixture
def louvre(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(REPO / "data", folder)
    return folder


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[Editor]:
    session = Editor(tmp_path)
    yield session
    session.close()
    assert "Traceback" not in "".join(session.stderr), "".join(session.stderr)


# --- diagnostics -------------------------------------------------------------------------


def test_a_broken_reference_is_reported_at_its_range_then_cleared(editor: Editor, make_project: MakeProject) -> None:
    folder = make_project()
    uris = {name: editor.open(folder / name) for name in ("axes.yaml", "governance.yaml", "si_roadmap.yaml")}
    roadmap = uris["si_roadmap.yaml"]
    assert editor.wait(roadmap, 1) == []
    text = editor.texts[roadmap]
    broken = text.replace("axes: [AX1]", "axes: [AX7]")
    found = editor.wait(roadmap, editor.change(roadmap, broken), lambda d: bool(d))
    assert len(found) == 1
    diagnostic = found[0]
    start = position_of(broken, "AX7")
    assert (diagnostic.code, diagnostic.source, diagnostic.severity) == (
        "unknown-reference", "psc", types.DiagnosticSeverity.Error)
    assert diagnostic.range == types.Range(start, types.Position(start.line, start.character + 3))
    (folder / "si_roadmap.yaml").write_text(broken, encoding="utf-8")
    [expected] = [e for e in validate_json(folder) if e["file"].endswith("si_roadmap.yaml")]
    assert diagnostic.message == expected["message"]
    assert (diagnostic.range.start.line + 1, diagnostic.range.start.character + 1) == (
        expected["line"], expected["column"])
    assert editor.wait(roadmap, editor.change(roadmap, text)) == []


def test_an_edit_of_axes_updates_every_roadmap(editor: Editor, louvre: Path) -> None:
    axes = editor.open(louvre / "axes.yaml")
    editor.wait(axes, 1)
    si, numerique, governance = ((louvre / name).as_uri() for name in
                                 ("si_roadmap.yaml", "numerique_roadmap.yaml", "governance.yaml"))
    assert editor.wait(si) == [] and editor.wait(governance) == []
    renamed = editor.texts[axes].replace("- id: AX2", "- id: AXE2")
    editor.change(axes, renamed)
    for uri in (si, numerique, governance):
        found = editor.wait(uri, until=lambda d: any("'AX2' does not exist" in x.message for x in d))
        assert {d.code for d in found} == {"unknown-reference"}
    assert [d.code for d in editor.wait(axes, 2)] == ["unused-axis"]
    editor.change(axes, editor.texts[axes].replace("- id: AXE2", "- id: AX2"))
    for uri in (si, numerique, governance, axes):
        editor.wait(uri, until=lambda d: d == [])


def test_a_burst_of_edits_is_checked_once_its_last_edit_is_in(editor: Editor, make_project: MakeProject) -> None:
    folder = make_project()
    roadmap = editor.open(folder / "si_roadmap.yaml")
    editor.wait(roadmap, 1)
    text = editor.texts[roadmap]
    before = len(editor.log)
    typed = ""
    for letter in "AXE-BIS":  # typed one key at a time, as fast as the client sends them
        typed += letter
        last = editor.change(roadmap, text.replace("axes: [AX1]", f"axes: [{typed}]"))
    [found] = editor.wait(roadmap, last, lambda d: bool(d))
    assert "axis 'AXE-BIS' does not exist" in found.message
    during = [p for p in editor.log[before:] if p.uri == roadmap]
    assert len(during) <= 2, [p.version for p in during]  # not one per edit
    assert during[-1].version == last


def test_diagnostics_are_those_of_validate(editor: Editor, make_project: MakeProject) -> None:
    roadmap = """\
roadmap:
  id: si
  title: Feuille de route des SI
  start: 2019
  horizon: 2021
actions:
  - id: SI-01
    title: Base collections
    axes: [AX1, AX3]
    start: 2020
    end: 2022
    stauts: done
  - id: SI-02
    title: Billetterie
    axes: AX2
    start: 2020
    end: 2019
    depends_on: [SI-01, SI-01]
    feasibility: maybe
  - id: SI-03
    axes: [AX1]
    start: 2020-09-01
    end: 2021
"""
    folder = make_project({"si_roadmap.yaml": roadmap})
    uri = editor.open(folder / "si_roadmap.yaml")
    found = editor.wait(uri, 1, lambda d: bool(d))
    expected = validate_json(folder)
    shown = [(d.range.start.line + 1, d.range.start.character + 1, d.code, d.message,
              "error" if d.severity == types.DiagnosticSeverity.Error else "warning") for d in found]
    wanted = [(e["line"], e["column"], e["rule"], e["message"], e["severity"])
              for e in expected if e["file"].endswith("si_roadmap.yaml")]
    assert sorted(shown) == sorted(wanted)
    assert {rule for *_, rule, _, _ in wanted} >= {"schema", "unknown-reference", "beyond-horizon", "period-order",
                                                 "duplicate-reference", "missing-owner"}
    for name in ("axes.yaml", "governance.yaml"):
        others = [(e["line"], e["rule"]) for e in expected if e["file"].endswith(name)]
        got = editor.wait((folder / name).as_uri())
        assert [(d.range.start.line + 1, d.code) for d in got] == others


def test_columns_count_utf16_units(editor: Editor, make_project: MakeProject) -> None:
    roadmap = """\
roadmap: {id: si, title: Feuille, start: 2019, horizon: 2021}
actions:
  - {id: SI-01, title: "Musée 🎨 d'𝄞 art", axes: [AX9], start: 2019, end: 2020, owner: DSI}
"""
    folder = make_project({"si_roadmap.yaml": roadmap})
    uri = editor.open(folder / "si_roadmap.yaml")
    [found] = [d for d in editor.wait(uri, 1, lambda d: bool(d)) if d.code == "unknown-reference"]
    line = roadmap.splitlines()[2]
    code_points = line.index("AX9")
    assert found.range.start == types.Position(2, code_points + 2)  # two characters outside the BMP
    assert found.range.end == types.Position(2, code_points + 2 + 3)
    [expected] = [e for e in validate_json(folder) if e["rule"] == "unknown-reference"]
    assert expected["column"] == code_points + 1


# --- navigation --------------------------------------------------------------------------


def test_definition_of_every_kind_of_reference(editor: Editor, louvre: Path) -> None:
    si = editor.open(louvre / "si_roadmap.yaml")
    governance = editor.open(louvre / "governance.yaml")
    text = editor.texts[si]
    axes_text = (louvre / "axes.yaml").read_text(encoding="utf-8")
    cases = [
        (si, "axes: [AX1, AX3]", 7, "axes.yaml", "id: AX1"),
        (si, "principles: [P1, P4]", 17, "axes.yaml", "id: P4"),
        (si, "theme: si-donnees", 8, "si_roadmap.yaml", "id: si-donnees"),
        (si, "body: hub-collections", 7, "governance.yaml", "id: hub-collections"),
        (si, "depends_on: [SI-01", 14, "si_roadmap.yaml", "id: SI-01"),
        (governance, "reports_to: direction", 13, "governance.yaml", "id: direction"),
    ]
    for uri, needle, offset, file, target in cases:
        source = text if uri == si else editor.texts[governance]
        [place] = editor.run(editor.client.text_document_definition_async(
            types.DefinitionParams(doc(uri), position_of(source, needle, offset=offset))))
        assert isinstance(place, types.Location)
        assert place.uri == (louvre / file).as_uri()
        target_text = axes_text if file == "axes.yaml" else (louvre / file).read_text(encoding="utf-8")
        assert place.range.start == position_of(target_text, target, offset=4), needle
    nothing = editor.run(editor.client.text_document_definition_async(
        types.DefinitionParams(doc(si), position_of(text, "title: Achever", offset=9))))
    assert nothing is None


def test_references_from_an_id_and_from_a_use(editor: Editor, louvre: Path) -> None:
    axes = editor.open(louvre / "axes.yaml")
    at_id = position_of(editor.texts[axes], "id: AX2", offset=5)
    found = editor.run(editor.client.text_document_references_async(types.ReferenceParams(
        context=types.ReferenceContext(include_declaration=False), text_document=doc(axes), position=at_id)))
    uses = sum(p.read_text(encoding="utf-8").count("AX2") for p in louvre.glob("*.yaml")) - 1
    assert found is not None and len(found) == uses == 12
    assert {p.uri.rsplit("/", 1)[-1] for p in found} == {"governance.yaml", "si_roadmap.yaml",
                                                        "numerique_roadmap.yaml"}
    si = editor.open(louvre / "si_roadmap.yaml")
    with_declaration = editor.run(editor.client.text_document_references_async(types.ReferenceParams(
        context=types.ReferenceContext(include_declaration=True), text_document=doc(si),
        position=position_of(editor.texts[si], "axes: [AX2]", offset=7))))
    assert with_declaration is not None and len(with_declaration) == uses + 1
    declaration = position_of(editor.texts[axes], "id: AX2", offset=4)
    assert any(p.uri == axes and p.range.start == declaration for p in with_declaration)


# --- rename ------------------------------------------------------------------------------


def findings_as_keys(folder: Path, old: str = "", new: str = "") -> list[tuple[str, str, str]]:
    return sorted((e["file"].rsplit("/", 1)[-1], e["rule"], e["message"].replace(f"'{old}'", f"'{new}'"))
                  for e in validate_json(folder))


def test_rename_changes_every_file_and_nothing_else(editor: Editor, louvre: Path) -> None:
    # A warning in the project, so that "the same findings" is not just "none".
    axes_path = louvre / "axes.yaml"
    axes_path.write_text(axes_path.read_text(encoding="utf-8") + "  - id: P9\n    title: Inutilisé\n",
                         encoding="utf-8")
    before = findings_as_keys(louvre, "AX2", "VISITEURS")
    assert before
    originals = {p.name: p.read_text(encoding="utf-8") for p in louvre.glob("*.yaml")}
    si = editor.open(louvre / "si_roadmap.yaml")
    at = position_of(editor.texts[si], "axes: [AX2, AX3]", offset=8)
    prepared = editor.run(editor.client.text_document_prepare_rename_async(types.PrepareRenameParams(doc(si), at)))
    assert isinstance(prepared, types.PrepareRenamePlaceholder) and prepared.placeholder == "AX2"
    edit = editor.run(editor.client.text_document_rename_async(types.RenameParams(doc(si), at, "VISITEURS")))
    assert edit is not None
    changes = edits_by_uri(edit)
    assert set(changes) == {(louvre / n).as_uri() for n in
                            ("axes.yaml", "governance.yaml", "si_roadmap.yaml", "numerique_roadmap.yaml")}
    assert all(len(e.new_text) == len("VISITEURS") for edits in changes.values() for e in edits)
    for uri, edits in changes.items():
        path = louvre / uri.rsplit("/", 1)[-1]
        path.write_text(apply_edits(path.read_text(encoding="utf-8"), edits), encoding="utf-8")
    for name, old in originals.items():
        new = (louvre / name).read_text(encoding="utf-8")
        assert new == old.replace("AX2", "VISITEURS"), name
    assert findings_as_keys(louvre) == before


def test_rename_refuses_a_taken_or_invalid_id_and_a_non_id(editor: Editor, louvre: Path) -> None:
    si = editor.open(louvre / "si_roadmap.yaml")
    text = editor.texts[si]
    at = position_of(text, "id: SI-01", offset=5)
    for new, reason in (("SI-02", "already the id of action"), ("AX1", "already the id of axis"),
                        ("2021", "not a valid id"), ("a b", "not a valid id")):
        with pytest.raises(JsonRpcException, match=reason):
            editor.run(editor.client.text_document_rename_async(types.RenameParams(doc(si), at, new)))
    with pytest.raises(JsonRpcException, match="psc renames ids"):
        editor.run(editor.client.text_document_prepare_rename_async(
            types.PrepareRenameParams(doc(si), position_of(text, "title: Achever", offset=10))))
    # The server is still there.
    assert editor.run(editor.client.text_document_prepare_rename_async(types.PrepareRenameParams(doc(si), at)))


# --- completion, hover, code actions, symbols --------------------------------------------


def complete(editor: Editor, uri: str, text: str) -> list[types.CompletionItem]:
    """Completion at the `|` of `text`, which becomes the buffer."""
    at = text.index("|")
    buffer = text[:at] + text[at + 1:]
    editor.change(uri, buffer)
    result = editor.run(editor.client.text_document_completion_async(
        types.CompletionParams(doc(uri), position_at(buffer, at))))
    assert isinstance(result, types.CompletionList)
    return list(result.items)


def test_completion(editor: Editor, louvre: Path) -> None:
    si = editor.open(louvre / "si_roadmap.yaml")
    text = editor.texts[si]
    editor.wait(si, 1)
    items = complete(editor, si, text.replace("axes: [AX1, AX3]", "axes: [AX1, |]", 1))
    assert [(i.label, i.detail) for i in items][:1] == [("AX2", "Le numérique pour mieux connaître et servir le "
                                                          "visiteur du musée")]
    assert {i.label for i in items} == {"AX2", "AX3"}
    items = complete(editor, si, text.replace("status: done", "status: |", 1))
    assert [(i.label, i.detail) for i in items] == [
        ("planned", "Prévu / Planned"), ("in_progress", "En cours / In progress"), ("done", "Réalisé / Done"),
        ("on_hold", "Suspendu / On hold"), ("cancelled", "Abandonné / Cancelled")]
    items = complete(editor, si, text.replace("    status: done\n", "    status: done\n    f|\n", 1))
    labels = [i.label for i in items]
    assert "feasibility" in labels and "status" not in labels and "title" not in labels
    assert items[0].text_edit is not None and items[0].text_edit.new_text.endswith(": ")
    items = complete(editor, si, text.replace('start: "2018-Q3"', "start: |", 1))
    labels = [i.label for i in items]
    assert labels[0] == "2018" and labels[-1] == "2021-12" and "2021-Q3" in labels and "2022" not in labels
    assert {i.text_edit.new_text for i in items if i.label == "2019-Q2" and i.text_edit} == {'"2019-Q2"'}
    items = complete(editor, si, text.replace("theme: si-donnees", "theme: si-|", 1))
    assert [i.label for i in items][:2] == ["si-besoins", "si-socles"] and len(items) == 9


def test_hover(editor: Editor, louvre: Path) -> None:
    si = editor.open(louvre / "si_roadmap.yaml")
    text = editor.texts[si]
    hover = editor.run(editor.client.text_document_hover_async(
        types.HoverParams(doc(si), position_of(text, "depends_on: [SI-01", offset=14))))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    shown = hover.contents.value
    assert hover.contents.kind == types.MarkupKind.Markdown
    for part in ("**SI-01**", "MuseumPlus", "2018-Q1 → 2018-Q2", "`done` (Réalisé)", "si (Feuille de route"):
        assert part in shown, shown
    key = editor.run(editor.client.text_document_hover_async(
        types.HoverParams(doc(si), position_of(text, "depends_on: [SI-01", offset=3))))
    assert key is not None and isinstance(key.contents, types.MarkupContent)
    # From the field table of docs/format.md, as the user's reference says it.
    assert key.contents.value.startswith("**depends_on** in `actions`\n\nthe actions it waits for, in any roadmap")
    assert "Example: `depends_on: [SI-02]`" in key.contents.value


def test_code_actions_apply_what_validate_suggests(editor: Editor, make_project: MakeProject) -> None:
    roadmap = """\
roadmap:
  id: si
  title: Feuille de route des SI
  start: 2019
  horizon: 2021
actions:
  - id: SI-01
    title: Base collections
    axes: [AX1]
    start: 2020-09-01
    end: 2021
    owner: DSI
  - id: SI-02
    axes: [AX2]
    start: 2020
    end: 2021
    owner: DSI
  - id: SI-03
    title: Billetterie
    axes: [AX2, AXl]
    start: 2020
    end: 2021
    owner: DSI
    stauts: done
"""
    folder = make_project({"si_roadmap.yaml": roadmap})
    uri = editor.open(folder / "si_roadmap.yaml")
    found = editor.wait(uri, 1, lambda d: len(d) >= 4)
    titles, edits = [], []
    for diagnostic in found:
        actions = editor.run(editor.client.text_document_code_action_async(types.CodeActionParams(
            doc(uri), diagnostic.range, types.CodeActionContext(diagnostics=[diagnostic]))))
        assert actions, diagnostic.message
        first = actions[0]
        assert isinstance(first, types.CodeAction) and first.edit is not None and first.is_preferred
        titles.append(first.title)
        edits += edits_by_uri(first.edit)[uri]
    assert titles == ['Write the month "2020-09"', "Add the field 'title'", "Replace with 'AX1'",
                      "Replace with 'status'"]
    # The preferred fixes together repair the file.
    fixed = apply_edits(roadmap, edits)
    assert "    owner: DSI\n    title: TODO\n" in fixed and "axes: [AX2, AX1]" in fixed and 'start: "2020-09"' in fixed
    (folder / "si_roadmap.yaml").write_text(fixed, encoding="utf-8")
    assert [e for e in validate_json(folder) if e["file"].endswith("si_roadmap.yaml")] == []


def test_symbols(editor: Editor, louvre: Path) -> None:
    si = editor.open(louvre / "si_roadmap.yaml")
    symbols = editor.run(editor.client.text_document_document_symbol_async(types.DocumentSymbolParams(doc(si))))
    assert symbols is not None
    names = [s.name for s in symbols]
    assert names[0] == "si" and names[1:3] == ["SI-01", "SI-02"]
    roadmap = symbols[0]
    assert isinstance(roadmap, types.DocumentSymbol) and roadmap.children is not None
    assert [c.name for c in roadmap.children][:2] == ["si-besoins", "si-socles"]
    for symbol in symbols:
        assert isinstance(symbol, types.DocumentSymbol)
        assert (symbol.range.start.line, symbol.range.start.character) <= (
            symbol.selection_range.start.line, symbol.selection_range.start.character)
        assert symbol.range.end.line >= symbol.selection_range.end.line
    numerique = editor.open(louvre / "numerique_roadmap.yaml")
    editor.wait(numerique, 1)
    found = editor.run(editor.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="AGILITE ET CO")))
    assert found is not None and [s.name for s in found] == ["num-agilite Agilité et co-création"]
    ids = editor.run(editor.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="si-01")))
    assert ids and ids[0].name.startswith("SI-01 ")


# --- robustness --------------------------------------------------------------------------


def test_unknown_requests_and_broken_files_leave_the_server_alive(editor: Editor, louvre: Path,
                                                                 tmp_path: Path) -> None:
    si = editor.open(louvre / "si_roadmap.yaml")
    text = editor.texts[si]
    async def unknown() -> Any:
        return await editor.client.protocol.send_request_async("psc/noSuchThing", {})

    with pytest.raises(JsonRpcMethodNotFound):
        editor.run(unknown())
    for broken in ("actions: [\n  - id: SI-01\n", "\x00\x01 binary", "- just\n- a list\n", "", "roadmap: {id: [}"):
        editor.wait(si, editor.change(si, broken))
    syntax = editor.wait(si, editor.change(si, text.replace("  - id: SI-02\n", "  - id: SI-02\n   bad: [\n", 1)))
    assert [d.code for d in syntax] == ["yaml-syntax"]
    position = position_of(text, "depends_on: [SI-01", offset=14)
    editor.run(editor.client.text_document_definition_async(types.DefinitionParams(doc(si), position)))
    # Files outside any project: a YAML file of another kind, a roadmap with no axes.yaml beside it.
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "notes.yaml").write_text("a: [\n", encoding="utf-8")
    (other / "x_roadmap.yaml").write_text("roadmap: {id: x}\n", encoding="utf-8")
    notes = editor.open(other / "notes.yaml")
    lonely = editor.open(other / "x_roadmap.yaml")
    assert any(d.code == "missing-file" for d in editor.wait(lonely, 1, lambda d: bool(d)))
    assert editor.run(editor.client.text_document_hover_async(types.HoverParams(doc(notes), types.Position(0, 0)))) \
        is None
    editor.change(si, text)
    assert editor.wait(si, editor.versions[si]) == []
    [place] = editor.run(editor.client.text_document_definition_async(types.DefinitionParams(doc(si), position)))
    assert place.uri == si


def test_the_log_says_what_each_analysis_found_and_took(tmp_path: Path, make_project: MakeProject) -> None:
    log = tmp_path / "psc-lsp.log"
    session = Editor(tmp_path, args=("--stdio", "--log", str(log)))
    try:
        uri = session.open(make_project() / "si_roadmap.yaml")
        session.wait(uri, 1)
    finally:
        session.close()
    assert re.search(r"psc lsp: INFO psc_roadmap\.lsp: .*/data: 0 findings in \d+ ms", log.read_text(encoding="utf-8"))
    code, _, err = run_psc("lsp", "--log", str(tmp_path / "no" / "such" / "folder" / "log"))
    assert code == 2 and "--log: cannot write to" in err


def test_without_the_extra_the_command_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pygls", None)
    code, out, err = run_psc("lsp")
    assert code == 2 and out == ""
    assert "psc lsp" in err and "pip install 'psc-roadmap[lsp]'" in err


def test_other_commands_do_not_import_the_server() -> None:
    import subprocess

    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from psc_roadmap.cli import app\n"
        f"CliRunner().invoke(app, ['validate', '-d', {str(REPO / 'data')!r}])\n"
        "CliRunner().invoke(app, ['--version'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_a_request_is_answered_on_the_text_it_was_asked_about(editor: Editor, louvre: Path) -> None:
    """A rename asked on one version of the buffer, then an edit that moves every line: the
    answer is for the version it was asked on (an edit the client refuses as outdated) or
    LSP's ContentModified, never the old position read in the new text (which held AX1)."""
    si = editor.open(louvre / "si_roadmap.yaml")
    editor.wait(si, 1)
    text = editor.texts[si]
    at = position_of(text, "axes: [AX2]", offset=7)
    moved = "# a comment\n" * 14 + text
    # At the same position, the moved text holds another axis: an answer read there is wrong.
    assert moved.splitlines()[at.line][at.character - 7:].startswith("axes: [AX1")
    for _ in range(3):
        asked = editor.change(si, text)

        async def race() -> Any:
            request = asyncio.ensure_future(editor.client.text_document_rename_async(
                types.RenameParams(doc(si), at, "VISITEURS")))
            await asyncio.sleep(0)
            editor.versions[si] += 1
            editor.client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=si, version=editor.versions[si]),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=moved)]))
            return await request

        try:
            edit = editor.run(race())
        except JsonRpcException as exc:
            assert "changed while the request waited" in str(exc)
            continue
        assert edit is not None and edit.document_changes
        for change in edit.document_changes:
            assert isinstance(change, types.TextDocumentEdit)
            if change.text_document.uri == si:
                assert change.text_document.version == asked
        axes = next(c for c in edit.document_changes
                    if isinstance(c, types.TextDocumentEdit) and c.text_document.uri.endswith("/axes.yaml"))
        axes_text = (louvre / "axes.yaml").read_text(encoding="utf-8")
        [renamed] = axes.edits
        assert axes_text[offset_of(axes_text, renamed.range.start):offset_of(axes_text, renamed.range.end)] == "AX2"


def test_a_buffer_of_a_link_out_of_the_project_is_not_read(editor: Editor, louvre: Path, tmp_path: Path) -> None:
    """The editor opens a data file that is a symbolic link out of the folder and sends the
    target's text: the server says what `psc validate` says and uses nothing of it."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    secret = elsewhere / "private_roadmap.yaml"
    secret.write_text((louvre / "si_roadmap.yaml").read_text(encoding="utf-8")
                      .replace("id: si\n", "id: prive\n", 1).replace("SI-", "PRIV-")
                      .replace("Achever la migration", "Licenciement confidentiel"), encoding="utf-8")
    (louvre / "private_roadmap.yaml").symlink_to(secret)
    link = (louvre / "private_roadmap.yaml").as_uri()
    editor.texts[link] = secret.read_text(encoding="utf-8")
    editor.versions[link] = 1
    editor.call(editor.client.text_document_did_open, types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=link, language_id="yaml", version=1, text=editor.texts[link])))
    [finding] = editor.wait(link, 1, lambda d: bool(d))
    assert finding.code == "file-error" and "outside the project folder: psc does not read it" in finding.message
    found = editor.run(editor.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="Licenciement")))
    assert not found
    si = editor.open(louvre / "si_roadmap.yaml")
    at = position_of(editor.texts[si], "axes: [AX2, AX3]", offset=8)
    with pytest.raises(JsonRpcException, match="can't be read"):
        editor.run(editor.client.text_document_rename_async(types.RenameParams(doc(si), at, "VISITEURS")))
    # A NUL in a buffer: the finding of validate, not a parser's message.
    editor.wait(si, editor.change(si, editor.texts[si].replace("title:", "ti\x00tle:", 1)), lambda d: bool(d))
    assert [(d.code, d.message) for d in editor.diagnostics[si].diagnostics] == [
        ("file-error", "the file holds NUL bytes: it is binary or UTF-16, not UTF-8 text; save it as UTF-8")]


def test_requests_that_do_not_fit_and_requests_after_shutdown_are_answered(louvre: Path, tmp_path: Path) -> None:
    session = Editor(tmp_path)
    try:
        si = session.open(louvre / "si_roadmap.yaml")
        protocol = session.client.protocol

        async def raw_hover(params: Any) -> Any:
            # The params as they are, not as lsprotocol's HoverParams would write them.
            typed = protocol.get_message_type
            protocol.get_message_type = lambda method: None  # type: ignore[method-assign]
            try:
                answer = protocol.send_request_async("textDocument/hover", params)
            finally:
                protocol.get_message_type = typed  # type: ignore[method-assign]
            return await answer

        for params in ({"textDocument": {"uri": si}, "position": {"line": -1, "character": 0}},
                       {"textDocument": {"uri": si}}, None):
            with pytest.raises(JsonRpcInvalidParams):
                session.run(raw_hover(params))
        session.run(session.client.shutdown_async(None))
        with pytest.raises(JsonRpcInvalidRequest):
            session.run(session.client.text_document_hover_async(types.HoverParams(doc(si), types.Position(0, 0))))
    finally:
        session.call(session.client.exit, None)
        session.run(session.client.stop(), timeout=10)
        session.loop.call_soon_threadsafe(session.loop.stop)
        session.thread.join(5)
    assert "Traceback" not in "".join(session.stderr), "".join(session.stderr)
