"""``kerascheck server``: a Language Server (LSP 3.17 over stdio) built on pygls.

A document is analysed after a pause in typing (``debounce`` seconds), on open and at once on
save, in one worker process: libcst parses without releasing the GIL, so in a thread a long
file's analysis would hold up hovers for seconds; in a process requests are answered meanwhile
(and a crash of the parser costs one result, not the server). A result is published only
if the document is still at the version analysed: a stale result is dropped. Hovers and inlay
hints read the last text that parsed, so a syntax error mid-edit keeps them. A failure inside
the server is logged to the client (window/logMessage) and the server goes on.
"""

from __future__ import annotations

import asyncio
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from kerascheck.lsp import features
from kerascheck.lsp.features import Analysis
from kerascheck.lsp.worker import analyse_text, start_worker

T = TypeVar("T")


@dataclass
class Settings:
    """Client settings: ``initializationOptions`` or ``{"kerascheck": {...}}`` in
    workspace/didChangeConfiguration."""

    inlay_hints: bool = True
    debounce: float = 0.3  # seconds without a change before analysing
    rules_url: str | None = None  # where docs/rules.md is (default: the source checkout's)

    def update(self, values: Any) -> None:
        if not isinstance(values, dict):
            return
        values = values.get("kerascheck", values)
        if isinstance(values.get("inlayHints"), bool):
            self.inlay_hints = values["inlayHints"]
        if isinstance(values.get("debounce"), (int, float)) and values["debounce"] >= 0:
            self.debounce = float(values["debounce"])
        if isinstance(values.get("rulesUrl"), str):
            self.rules_url = values["rulesUrl"]


class KerascheckServer(LanguageServer):
    """The language server, with each open document's latest analysis."""

    def __init__(self) -> None:
        from kerascheck import version

        super().__init__("kerascheck", version(), notebook_document_sync=types.NotebookDocumentSyncOptions(
            notebook_selector=[types.NotebookDocumentFilterWithCells(
                notebook="jupyter-notebook", cells=[types.NotebookCellLanguage("python")])]))
        self.settings = Settings()
        self.latest: dict[str, Analysis] = {}  # the last result published, per document
        self.parsed: dict[str, Analysis] = {}  # the last result of a text that parsed
        self.pending: dict[str, asyncio.Task] = {}
        self.analyser: ProcessPoolExecutor | None = None  # the worker process, started by serve()

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(kind, message))

    def guarded(self, what: str, work: Callable[[], T], default: T) -> T:
        """``work()``; a failure is logged and ``default`` returned: the server never dies of it."""
        try:
            return work()
        except Exception:
            self.log(f"kerascheck: {what} failed:\n{traceback.format_exc()}", types.MessageType.Error)
            return default

    def schedule(self, uri: str, delay: float) -> None:
        """Analyse ``uri`` after ``delay`` seconds unless it changes again meanwhile."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._analyse_later(uri, delay))

    def _version(self, uri: str) -> int | None:
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        return notebook.version if notebook is not None else self.workspace.get_text_document(uri).version

    async def _analyse_later(self, uri: str, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            notebook = self.workspace.get_notebook_document(notebook_uri=uri)
            version = self._version(uri)
            if notebook is not None:
                cells = [(cell.document, self.workspace.get_text_document(cell.document).source)
                         for cell in notebook.cells if cell.kind == types.NotebookCellKind.Code]
                text = features.notebook_json([source for _, source in cells])
            else:
                text = self.workspace.get_text_document(uri).source
            path = to_fs_path(uri) or uri
            if notebook is not None and not path.endswith(".ipynb"):
                path += ".ipynb"
            try:
                report = await asyncio.get_running_loop().run_in_executor(self.analyser, analyse_text, text, path)
            except BrokenProcessPool:
                self.log(f"kerascheck: the analysis of {uri} crashed its worker process; starting another",
                         types.MessageType.Error)
                self.analyser = start_worker()
                return
            if self._version(uri) != version:
                return  # typed on meanwhile: this result is stale, the newer one is on its way
            if notebook is not None:
                self.guarded("publishing diagnostics", lambda: self._publish_cells(report, cells), None)
            else:
                self.guarded("publishing diagnostics",
                             lambda: self._publish(Analysis(uri, version, text, report)), None)
        except asyncio.CancelledError:
            raise
        except Exception:
            self.log(f"kerascheck: analysing {uri} failed:\n{traceback.format_exc()}", types.MessageType.Error)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    def _publish(self, analysis: Analysis) -> None:
        self.latest[analysis.uri] = analysis
        if analysis.parsed:
            self.parsed[analysis.uri] = analysis
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            analysis.uri, features.diagnostics(analysis, self.settings.rules_url), analysis.version))
        workspace = self.client_capabilities.workspace
        refresh = workspace.inlay_hint if workspace else None
        if refresh is not None and refresh.refresh_support:
            self.workspace_inlay_hint_refresh(None)

    def _publish_cells(self, report: Any, cells: list[tuple[str, str]]) -> None:
        for cell_uri, found in features.cell_diagnostics(report, cells, self.settings.rules_url).items():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(cell_uri, found))

    def forget(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.latest.pop(uri, None)
        self.parsed.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))


server = KerascheckServer()


@server.feature(types.INITIALIZE)
def initialize(ls: KerascheckServer, params: types.InitializeParams) -> None:
    ls.settings.update(params.initialization_options)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def configuration_changed(ls: KerascheckServer, params: types.DidChangeConfigurationParams) -> None:
    ls.settings.update(params.settings)


def _document(params: Any) -> str:
    """The uri of the document (text or notebook) a notification is about."""
    notebook = getattr(params, "notebook_document", None)
    return notebook.uri if notebook is not None else params.text_document.uri


def check_now(ls: KerascheckServer, params: Any) -> None:
    ls.schedule(_document(params), 0)


def check_after_a_pause(ls: KerascheckServer, params: Any) -> None:
    ls.schedule(_document(params), ls.settings.debounce)


for _method in (types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_SAVE,
                types.NOTEBOOK_DOCUMENT_DID_OPEN, types.NOTEBOOK_DOCUMENT_DID_SAVE):
    server.feature(_method)(check_now)
for _method in (types.TEXT_DOCUMENT_DID_CHANGE, types.NOTEBOOK_DOCUMENT_DID_CHANGE):
    server.feature(_method)(check_after_a_pause)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def closed(ls: KerascheckServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
def notebook_closed(ls: KerascheckServer, params: types.DidCloseNotebookDocumentParams) -> None:
    task = ls.pending.pop(params.notebook_document.uri, None)
    if task is not None:
        task.cancel()
    for cell in params.cell_text_documents:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(cell.uri, []))


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: KerascheckServer, params: types.HoverParams) -> types.Hover | None:
    analysis = ls.parsed.get(params.text_document.uri)
    if analysis is None:
        return None
    return ls.guarded("hover", lambda: features.hover(analysis, params.position), None)


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
def inlay_hints(ls: KerascheckServer, params: types.InlayHintParams) -> list[types.InlayHint]:
    analysis = ls.parsed.get(params.text_document.uri)
    if analysis is None or not ls.settings.inlay_hints:
        return []
    return ls.guarded("inlay hints", lambda: features.inlay_hints(analysis, params.range), [])


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, features.FIX_ALL]))
def code_actions(ls: KerascheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    analysis = ls.latest.get(uri)
    if analysis is None or ls.workspace.get_text_document(uri).version != analysis.version:
        return []  # the fixes were made for another text
    return ls.guarded("code actions", lambda: features.code_actions(analysis, params.range, ls.settings.rules_url), [])


@server.feature(types.SHUTDOWN)
def shutdown(ls: KerascheckServer, params: None) -> None:
    if ls.analyser is not None:
        ls.analyser.shutdown(wait=False, cancel_futures=True)


def serve() -> None:
    """Run the server on standard input and output until the client exits."""
    server.analyser = start_worker()
    server.start_io()
