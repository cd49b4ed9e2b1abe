"""The language server on pygls: one session per project folder with an open file, its
analyses run off the event loop, debounced, the stale ones dropped; every request
answered from the analysis of the current text.

An edit runs a validation at once when it comes alone, and QUIET seconds after the last
edit when edits come in a burst (typing): a burst costs one validation, a lone edit
shows its findings as fast as validation allows. One worker thread runs them, so that
two validations never compete for the interpreter; the loop only publishes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from psc_roadmap import __version__
from psc_roadmap.errors import PscError, UsageError
from psc_roadmap.lsp import completion, fixes, hover, navigation, rename
from psc_roadmap.lsp.analysis import Analysis, file_kind, folder_of
from psc_roadmap.lsp.parsing import ParseCache, analyse_cached
from psc_roadmap.lsp.positions import TextLines
from psc_roadmap.lsp.rename import RenameRefused
from psc_roadmap.project import Project

#: Edits closer together than this are a burst: its validation waits for a pause this long.
QUIET = 0.2
#: How long a request waits for the analysis of the current text before using the last one.
REQUEST_WAIT = 10.0

logger = logging.getLogger("psc_roadmap.lsp")
T = TypeVar("T")


class Refusal(JsonRpcException):
    """A request the server answers with a reason (a rename to a taken id): the client
    shows the message."""

    CODE = types.LSPErrorCodes.RequestFailed


class Outdated(Refusal):
    """A request about a version of the document that is no longer the one analysed (an
    edit came in while it waited): its position may point at other text, so it is not
    answered from the new analysis; the client asks again (LSP's ContentModified)."""

    CODE = types.LSPErrorCodes.ContentModified


@dataclass
class Session:
    """One project folder with open files: its latest analysis and the runs in flight."""

    folder: str
    #: Bumped by every change to a file of the folder; an analysis of an older one is stale.
    generation: int = 0
    analysis: Analysis | None = None
    #: Per file, the latest analysis in which it parsed: completion reads its ids there
    #: while the file is being typed.
    parsed: dict[str, Analysis] = field(default_factory=dict)
    last_change: float = 0.0
    timer: asyncio.TimerHandle | None = None
    task: asyncio.Task[None] | None = None
    waiters: list[asyncio.Future[None]] = field(default_factory=list)
    #: What was last published for each file: its URI and diagnostics.
    published: dict[str, tuple[str, list[types.Diagnostic]]] = field(default_factory=dict)
    cache: ParseCache = field(default_factory=ParseCache)

    @property
    def current(self) -> Analysis | None:
        analysis = self.analysis
        return analysis if analysis is not None and analysis.generation == self.generation else None


class _HideRefusals(logging.Filter):
    """pygls logs every error response with its traceback; a refusal is an answer, not an
    error, and so is the error that answers a message pygls could not read (its traceback
    is pygls's own; `_Protocol.structure_message` logs one line instead)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], Refusal):
            return False
        return not (isinstance(record.msg, str) and record.msg.startswith("Unable to deserialize message"))


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, without the future it keeps for good after every notification
    it handles with a built-in generator (didOpen, didChange, didClose ...): pygls 2.1.1
    files it among the futures of requests, and only answering a request takes one out,
    so that a long editing session grew by about a kilobyte an edit."""

    def _handle_notification(self, method_name: str, params: Any) -> None:
        super()._handle_notification(method_name, params)
        futures = self._request_futures
        for key in [key for key, future in futures.items() if future.done()]:
            del futures[key]

    def structure_message(self, data: dict[str, Any]) -> Any:
        """pygls's reading of a message; a request whose params do not fit its method
        (a negative position, no position at all) is answered with the error, where pygls
        would drop it and leave the editor waiting; such a notification is ignored."""
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            method = str(data.get("method"))[:60]
            if "method" in data and type(data.get("id")) in (int, str):
                logger.warning("%s: its params do not fit the method: answered %s", method, type(exc).__name__)
                self._send_response(data["id"], None, exc.to_response_error())
            else:
                logger.warning("%s: a message that does not fit its method: ignored", method)
            return _ANSWERED

    def handle_message(self, message: Any) -> None:
        """After `shutdown`, a request gets InvalidRequest, as the protocol says (pygls
        drops it without an answer)."""
        if (self._shutdown and type(getattr(message, "id", None)) in (int, str)
                and getattr(message, "method", "exit") != "exit"):
            self._send_response(message.id, None, JsonRpcInvalidRequest(
                "the server is shutting down: no more requests").to_response_error())
            return
        super().handle_message(message)


#: What a message already answered (or ignored) stands for: a JSON-RPC version pygls ignores.
_ANSWERED = SimpleNamespace(jsonrpc="answered")


class PscLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("psc", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=_Protocol)
        self.sessions: dict[str, Session] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="psc-analysis")

    # --- documents and sessions -------------------------------------------------------

    def place(self, uri: str, open_session: bool = False) -> tuple[Session, str] | None:
        """The session of a document's project and the document's path; None for a file
        that is not a data file (any other YAML the editor opens), or whose project has
        no open file (unless `open_session`: a file is being opened or changed)."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        where = folder_of(path) if path else None
        if where is None:
            return None
        folder = where[0]
        session = self.sessions.get(folder)
        if session is None:
            if not open_session:
                return None
            session = self.sessions[folder] = Session(folder)
        return session, os.path.join(folder, where[1])

    def buffers(self, folder: str) -> tuple[dict[str, str], dict[str, str], dict[str, int]]:
        """The open documents of a folder: their texts by name, URIs and versions by path."""
        texts: dict[str, str] = {}
        uris: dict[str, str] = {}
        versions: dict[str, int] = {}
        for document in list(self.workspace.text_documents.values()):
            path = to_fs_path(document.uri) if document.uri.startswith("file:") else None
            where = folder_of(path) if path else None
            if where is None or where[0] != folder:
                continue
            shown = os.path.join(folder, where[1])
            texts[where[1]] = document.source
            uris[shown] = document.uri
            if document.version is not None:
                versions[shown] = document.version
        return texts, uris, versions

    def changed(self, uri: str, lone: bool = False) -> None:
        """A file of a project changed: validate now, or after the burst it belongs to."""
        found = self.place(uri, open_session=True)
        if found is None:
            return
        session = found[0]
        session.generation += 1
        now = time.monotonic()
        burst = not lone and now - session.last_change < QUIET
        session.last_change = now
        if session.timer is not None:
            session.timer.cancel()
        session.timer = asyncio.get_running_loop().call_later(QUIET if burst else 0, self.start, session)

    def start(self, session: Session) -> None:
        session.timer = None
        if session.task is None or session.task.done():
            session.task = asyncio.ensure_future(self.run(session))

    async def run(self, session: Session) -> None:
        """Analyse the session until an analysis is current (an edit during a run makes
        it stale: it is dropped and, unless a pause is awaited, run again)."""
        loop = asyncio.get_running_loop()
        while session.timer is None and session.current is None and session.folder in self.sessions:
            generation = session.generation
            began = time.monotonic()
            texts, uris, versions = self.buffers(session.folder)
            encoding = str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

            def stale(generation: int = generation) -> bool:
                return session.generation != generation

            try:
                analysis = await loop.run_in_executor(
                    self.worker, _collector_paused, analyse_cached, session.folder, texts, encoding, session.cache,
                    stale)
            except PscError as exc:
                self.log(f"{session.folder}: {exc}", types.MessageType.Warning)
                self.clear(session)
                self.wake(session)
                return
            except Exception as exc:  # a bug must not take the editor's server down
                logger.exception("analysis of %s failed", session.folder)
                self.log(f"psc: internal error while checking {session.folder}: {type(exc).__name__}: {exc}",
                         types.MessageType.Error)
                self.wake(session)
                return
            if analysis is None or stale():
                logger.info("%s: a newer edit came during the analysis: dropped", session.folder)
                continue
            logger.info("%s: %d findings in %.0f ms (files read whole %d, partially %d, so far)", session.folder,
                        len(analysis.findings), (time.monotonic() - began) * 1000, session.cache.whole,
                        session.cache.partial)
            analysis.generation, analysis.uris, analysis.versions = generation, uris, versions
            self.publish(session, analysis)
            self.install(session, analysis)
            self.wake(session)

    def wake(self, session: Session) -> None:
        """Let the requests waiting for an analysis go on."""
        for waiter in session.waiters:
            if not waiter.done():
                waiter.set_result(None)
        session.waiters.clear()

    # --- keeping analyses --------------------------------------------------------------

    def keep(self, analysis: Analysis | None) -> None:
        if analysis is not None:
            analysis.holds += 1

    def let_go(self, analysis: Analysis | None) -> None:
        """One holder fewer; the last one releases it (in the worker, after any work on it)."""
        if analysis is None:
            return
        analysis.holds -= 1
        if analysis.holds == 0:
            self.worker.submit(analysis.release)

    def install(self, session: Session, analysis: Analysis) -> None:
        """The session's current analysis, and the last one in which each of its files parsed."""
        self.keep(analysis)
        self.let_go(session.analysis)
        session.analysis = analysis
        for path in analysis.lines:
            if not analysis.has_syntax_error(path):
                self.keep(analysis)
                self.let_go(session.parsed.get(path))
                session.parsed[path] = analysis

    def publish(self, session: Session, analysis: Analysis) -> None:
        """The diagnostics of every file of the project; a file that is not open gets
        them only when they changed (an open one always: its version moved on)."""
        found = dict(analysis.diagnostics)
        for path in set(session.published) - set(found):
            found[path] = []
        for path, diagnostics in found.items():
            uri = analysis.uri(path)
            if path not in analysis.uris and session.published.get(path) == (uri, diagnostics):
                continue
            session.published[path] = (uri, diagnostics)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=analysis.versions.get(path)))

    def clear(self, session: Session) -> None:
        for uri, _ in session.published.values():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        session.published.clear()

    def closed(self, uri: str) -> None:
        found = self.place(uri)
        if found is None:
            return
        session = found[0]
        if self.buffers(session.folder)[0]:
            self.changed(uri, lone=True)
            return
        if session.timer is not None:
            session.timer.cancel()
        self.clear(session)
        del self.sessions[session.folder]
        self.let_go(session.analysis)
        for analysis in session.parsed.values():
            self.let_go(analysis)
        session.analysis = None
        session.parsed.clear()

    @contextlib.asynccontextmanager
    async def analysis_for(self, uri: str) -> AsyncIterator[tuple[Analysis, str] | None]:
        """The analysis of the current text of a document's project (its ids indexed) and
        the document's path, kept while the request uses it."""
        found = await self._current(uri)
        if found is None:
            yield None
            return
        analysis = found[0]
        self.keep(analysis)
        try:
            await asyncio.get_running_loop().run_in_executor(self.worker, getattr, analysis, "index")
            yield found
        finally:
            self.let_go(analysis)

    async def _current(self, uri: str) -> tuple[Analysis, str] | None:
        """The analysis of the document's text as it was when the request came (its
        position is in that text), once it is done; Outdated when a newer edit of the
        document came meanwhile."""
        found = self.place(uri)
        if found is None:
            return None
        session, path = found
        document = self.workspace.text_documents.get(uri)
        asked = document.version if document is not None else None
        if session.current is None:
            if session.timer is not None:
                session.timer.cancel()
                self.start(session)
            elif session.task is None or session.task.done():
                self.start(session)
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            session.waiters.append(waiter)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter, REQUEST_WAIT)
        analysis = session.current or session.analysis
        if analysis is None:
            return None
        if asked is not None and analysis.versions.get(path) != asked:
            raise Outdated(f"{os.path.basename(path)} changed while the request waited; ask again")
        return analysis, path

    async def off_loop(self, work: Callable[..., T], *args: Any) -> T:
        """Work that walks a whole project (every site, every item), in the worker."""
        return await asyncio.get_running_loop().run_in_executor(self.worker, work, *args)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def document_lines(self, uri: str) -> TextLines:
        encoding = str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)
        return TextLines(self.workspace.get_text_document(uri).source, encoding)

    def project_for_completion(self, session: Session, path: str) -> Project | None:
        analysis = session.analysis
        if analysis is not None and not analysis.has_syntax_error(path):
            return analysis.project
        previous = session.parsed.get(path)
        return previous.project if previous is not None else analysis.project if analysis else None


def _collector_paused(work: Callable[..., T], *args: Any) -> T:
    """Run work with Python's cyclic collector off: an analysis allocates a whole project,
    which collections would walk again and again while it grows (as `psc validate` does,
    cli.common.collector_paused); the old projects are freed by `Analysis.release`."""
    gc.disable()
    try:
        return work(*args)
    finally:
        gc.enable()


def _guard(default: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A request handler that answers `default` instead of failing on a bug, logged."""

    def wrap(handler: Callable[..., Any]) -> Callable[..., Any]:
        async def guarded(ls: PscLanguageServer, params: Any) -> Any:
            try:
                return await handler(ls, params)
            except (Refusal, asyncio.CancelledError):
                raise
            except Exception as exc:
                logger.exception("%s failed", handler.__name__)
                ls.log(f"psc: internal error in {handler.__name__}: {type(exc).__name__}: {exc}",
                       types.MessageType.Error)
                return default

        guarded.__name__ = handler.__name__
        return guarded

    return wrap


def create_server() -> PscLanguageServer:
    server = PscLanguageServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PscLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, lone=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PscLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PscLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, lone=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PscLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: PscLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = to_fs_path(change.uri) if change.uri.startswith("file:") else None
            where = folder_of(path) if path else None
            if where is not None and where[0] in ls.sessions:
                ls.changed(change.uri, lone=True)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @_guard(None)
    async def definition(ls: PscLanguageServer, params: types.DefinitionParams) -> Any:
        async with ls.analysis_for(params.text_document.uri) as found:
            return navigation.definition(*found, params.position) if found else None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @_guard(None)
    async def references(ls: PscLanguageServer, params: types.ReferenceParams) -> Any:
        async with ls.analysis_for(params.text_document.uri) as found:
            if found is None:
                return None
            return await ls.off_loop(navigation.references, *found, params.position,
                                     params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    @_guard(None)
    async def prepare_rename(ls: PscLanguageServer, params: types.PrepareRenameParams) -> Any:
        async with ls.analysis_for(params.text_document.uri) as found:
            if found is None:
                return None
            try:
                return rename.prepare(*found, params.position)
            except RenameRefused as exc:
                raise Refusal(str(exc)) from None

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    @_guard(None)
    async def rename_id(ls: PscLanguageServer, params: types.RenameParams) -> Any:
        async with ls.analysis_for(params.text_document.uri) as found:
            if found is None:
                return None
            analysis, path = found
            loop = asyncio.get_running_loop()
            try:
                site, new, splices = await loop.run_in_executor(
                    ls.worker, rename.plan, analysis, path, params.position, params.new_name)
                fresh = await loop.run_in_executor(ls.worker, rename.prove, analysis, site.target, new, splices)
            except RenameRefused as exc:
                raise Refusal(str(exc)) from None
            if fresh:
                first = fresh[0]
                raise Refusal(f"renaming '{site.target}' to '{new}' would bring a new finding: "
                              f"{first.position.file}:{first.position.line}:{first.position.column}: "
                              f"{first.rule}: {first.message}")
            capabilities = ls.client_capabilities.workspace
            edit_caps = capabilities.workspace_edit if capabilities else None
            return rename.workspace_edit(analysis, splices, analysis.versions,
                                         bool(edit_caps and edit_caps.document_changes))

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[":", " ", "[", ",", '"', "-"]),
    )
    @_guard(None)
    async def complete(ls: PscLanguageServer, params: types.CompletionParams) -> Any:
        found = ls.place(params.text_document.uri)
        if found is None:
            return None
        session, path = found
        lines = ls.document_lines(params.text_document.uri)
        project = ls.project_for_completion(session, path)
        items = completion.complete(lines, file_kind(path) or "roadmap", path, params.position, project)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @_guard(None)
    async def hover_at(ls: PscLanguageServer, params: types.HoverParams) -> Any:
        async with ls.analysis_for(params.text_document.uri) as found:
            if found is None:
                return None
            analysis, path = found
            return hover.hover(analysis, path, file_kind(path) or "roadmap", params.position)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    @_guard(None)
    async def code_action(ls: PscLanguageServer, params: types.CodeActionParams) -> Any:
        async with ls.analysis_for(params.text_document.uri) as found:
            return fixes.code_actions(*found, params.range) if found else None

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @_guard(None)
    async def document_symbol(ls: PscLanguageServer, params: types.DocumentSymbolParams) -> Any:
        async with ls.analysis_for(params.text_document.uri) as found:
            return await ls.off_loop(navigation.document_symbols, *found) if found else None

    @server.feature(types.WORKSPACE_SYMBOL)
    @_guard(None)
    async def workspace_symbol(ls: PscLanguageServer, params: types.WorkspaceSymbolParams) -> Any:
        analyses = [s.analysis for s in ls.sessions.values() if s.analysis is not None]
        for analysis in analyses:
            ls.keep(analysis)
        try:
            for analysis in analyses:
                await asyncio.get_running_loop().run_in_executor(ls.worker, getattr, analysis, "index")
            return await ls.off_loop(navigation.workspace_symbols, analyses, params.query)
        finally:
            for analysis in analyses:
                ls.let_go(analysis)

    return server


def serve(log: Path | None = None) -> None:
    """Speak LSP on stdin and stdout until the client says exit; the log goes to `log`
    (everything from INFO up: each analysis and how long it took), else its warnings to
    stderr."""
    handler: logging.Handler
    try:
        handler = logging.FileHandler(log, encoding="utf-8") if log is not None else logging.StreamHandler(sys.stderr)
    except OSError as exc:
        raise UsageError(f"--log: cannot write to '{log}': {exc.strerror or exc}") from None
    handler.addFilter(_HideRefusals())
    handler.setFormatter(logging.Formatter("%(asctime)s psc lsp: %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO if log is not None else logging.WARNING, handlers=[handler])
    create_server().start_io()
