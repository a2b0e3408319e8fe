"""The language server end to end: a real LSP client (pytest-lsp) talking to `kerascheck server`
over stdio. Diagnostics on open, change and save; hover on a layer call, a tensor variable and
fit; inlay hints; code actions that fix; a parse error mid-edit; settings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = Path(__file__).resolve().parents[2]
SEED2 = ROOT / "fixtures" / "seeds" / "seed2_per_timestep_labels_broken.py"
BROKEN = """import keras
from keras import layers

inputs = keras.Input(shape=(10, 8))
x = layers.LSTM(150, return_sequences=True)(inputs)
x = layers.RepeatVector(3)(x)
model = keras.Model(inputs, x)
"""
FIXED = BROKEN.replace("return_sequences=True", "return_sequences=False")
KERAS1 = """from keras.models import Sequential
from keras.layers import Dense
import numpy as np
X = np.zeros((100, 20))
y = np.zeros((100, 1))
model = Sequential([Dense(32, input_dim=20), Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, nb_epoch=3)
"""


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "kerascheck", "server"],
                            server_env={"PYTHONPATH": str(ROOT)})


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=ROOT.as_uri(), initialization_options={"debounce": 0.05}))
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)))
    await _published(client, uri, version)
    return uri


async def _published(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    """Wait for the diagnostics of ``uri`` at ``version`` (older ones must not arrive after)."""
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri:
            assert params.version <= version, "a result for a newer version came before"
            if params.version == version:
                return list(params.diagnostics)


def _change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        [types.TextDocumentContentChangeWholeDocument(text=text)]))


def _whole(text: str) -> types.Range:
    return types.Range(types.Position(0, 0), types.Position(len(text.splitlines()), 0))


@pytest.mark.asyncio(loop_scope="module")
async def test_diagnostics_with_code_link_severity_and_range(client: LanguageClient) -> None:
    uri = await _open(client, SEED2, SEED2.read_text())
    [found] = client.diagnostics[uri]
    assert found.code == "KC402"
    assert found.severity == types.DiagnosticSeverity.Error
    assert found.source == "kerascheck"
    assert found.code_description.href.endswith("rules.md#kc402-label-shape-mismatch") or \
        "#kc402-" in found.code_description.href
    # `model.fit(X, y, ...)` on line 17: y is the third argument, at column 14 (0-based 13).
    assert found.range.start == types.Position(16, 13)
    assert found.range.end == types.Position(16, 14)
    assert found.message.startswith("y of fit has shape (476, 400, 1), the model output is (None, 1)")


@pytest.mark.asyncio(loop_scope="module")
async def test_a_change_that_fixes_the_file_clears_the_diagnostic(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    uri = await _open(client, path, BROKEN)
    assert [d.code for d in client.diagnostics[uri]] == ["KC101"]
    _change(client, uri, 2, FIXED)
    assert await _published(client, uri, 2) == []
    _change(client, uri, 3, BROKEN)
    assert [d.code for d in await _published(client, uri, 3)] == ["KC101"]


@pytest.mark.asyncio(loop_scope="module")
async def test_typing_fast_publishes_only_the_last_version(client: LanguageClient, tmp_path: Path) -> None:
    uri = await _open(client, tmp_path / "typing.py", FIXED)
    for version in range(2, 12):
        _change(client, uri, version, BROKEN if version % 2 else FIXED)
    # 11 is odd: the broken text; _published fails if an older version's result comes after.
    assert [d.code for d in await _published(client, uri, 11)] == ["KC101"]


@pytest.mark.asyncio(loop_scope="module")
async def test_save_checks_again(client: LanguageClient, tmp_path: Path) -> None:
    uri = await _open(client, tmp_path / "saved.py", BROKEN)
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))
    assert [d.code for d in await _published(client, uri, 1)] == ["KC101"]


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_on_a_layer_call_a_tensor_and_fit(client: LanguageClient) -> None:
    uri = await _open(client, SEED2, SEED2.read_text())

    async def hover(line: int, character: int) -> str | None:
        found = await client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)))
        return found.contents.value if found else None

    # Line 13: `summary = LSTM(32)(pooled)`, the cursor on LSTM.
    assert await hover(12, 11) == "`LSTM → (None, 32) · 8,320 params`\n\ninput: `(None, 98, 32)`"
    # The tensor variable `pooled` on line 13, assigned by the MaxPooling1D on line 12.
    assert await hover(12, 22) == "`pooled: (None, 98, 32)` (from MaxPooling1D, line 12)"
    assert await hover(9, 2) == "`signal: (None, 400, 16)` (Input, line 10)"
    # model.fit(X, y, ...) on line 17.
    fit = await hover(16, 7)
    assert "- x: `(476, 400, 16)` → model input `(None, 400, 16)`" in fit
    assert "- y: `(476, 400, 1)` → model output `(None, 1)`" in fit
    assert await hover(1, 3) is None  # `import numpy`


@pytest.mark.asyncio(loop_scope="module")
async def test_inlay_hints_at_the_end_of_each_layer_line(client: LanguageClient) -> None:
    text = SEED2.read_text()
    uri = await _open(client, SEED2, text)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        types.TextDocumentIdentifier(uri), _whole(text)))
    lines = text.splitlines()
    shown = {hint.position.line + 1: hint.label for hint in hints}
    assert shown == {11: "→ (None, 393, 32)", 12: "→ (None, 98, 32)", 13: "→ (None, 32)", 14: "→ (None, 1)"}
    assert all(hint.position.character == len(lines[hint.position.line]) for hint in hints)


@pytest.mark.asyncio(loop_scope="module")
async def test_a_parse_error_mid_edit_keeps_the_last_hints(client: LanguageClient, tmp_path: Path) -> None:
    uri = await _open(client, tmp_path / "editing.py", FIXED)
    half_typed = FIXED.replace("model = keras.Model(inputs, x)", "model = keras.Model(inputs,")
    _change(client, uri, 2, half_typed)
    assert [d.code for d in await _published(client, uri, 2)] == ["KC001"]
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        types.TextDocumentIdentifier(uri), _whole(FIXED)))
    assert [hint.label for hint in hints] == ["→ (None, 150)", "→ (None, 3, 150)"]
    found = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(5, 8)))
    assert found.contents.value.startswith("`RepeatVector → (None, 3, 150)")


@pytest.mark.asyncio(loop_scope="module")
async def test_code_actions_fix_one_and_all(client: LanguageClient, tmp_path: Path) -> None:
    uri = await _open(client, tmp_path / "keras1.py", KERAS1)
    codes = sorted(d.code for d in client.diagnostics[uri])
    assert "KC522" in codes  # nb_epoch=
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), _whole(KERAS1), types.CodeActionContext(client.diagnostics[uri])))
    titles = [a.title for a in actions]
    quick = next(a for a in actions if a.title.startswith("KC522"))
    assert quick.kind == types.CodeActionKind.QuickFix
    [edit] = quick.edit.changes[uri]
    assert edit.range == types.Range(types.Position(7, 0), types.Position(8, 0))
    assert edit.new_text == "model.fit(X, y, epochs=3)\n"
    fix_all = actions[-1]
    assert fix_all.kind == "source.fixAll.kerascheck" and titles[-1].startswith("Fix all kerascheck problems")
    fixed = _applied(KERAS1, fix_all.edit.changes[uri])
    assert "epochs=3" in fixed and "nb_epoch" not in fixed
    _change(client, uri, 2, fixed)
    left = [d for d in await _published(client, uri, 2) if d.code in ("KC522",)]
    assert left == []


@pytest.mark.asyncio(loop_scope="module")
async def test_an_unsafe_fix_is_labelled_and_left_out_of_fix_all(client: LanguageClient, tmp_path: Path) -> None:
    source = (ROOT / "tests" / "fixes" / "cases" / "loss_sparse" / "before.py").read_text()
    uri = await _open(client, tmp_path / "loss.py", source)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), _whole(source), types.CodeActionContext(client.diagnostics[uri])))
    # fit and evaluate both get class ids: two diagnostics, one repair each; no "fix all".
    assert len(actions) == 2
    for quick in actions:
        assert quick.title == "KC402: use loss='sparse_categorical_crossentropy' in the compile on line 10 (unsafe fix)"
        assert quick.kind == types.CodeActionKind.QuickFix and not quick.is_preferred
        assert "sparse_categorical_crossentropy" in _applied(source, quick.edit.changes[uri])


def _applied(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e.range.start.line, reverse=True):
        lines[edit.range.start.line:edit.range.end.line] = [edit.new_text]
    return "".join(lines)


@pytest.mark.asyncio(loop_scope="module")
async def test_inlay_hints_switched_off(client: LanguageClient) -> None:
    text = SEED2.read_text()
    uri = await _open(client, SEED2, text)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"kerascheck": {"inlayHints": False}}))
    params = types.InlayHintParams(types.TextDocumentIdentifier(uri), _whole(text))
    assert not await client.text_document_inlay_hint_async(params)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"kerascheck": {"inlayHints": True}}))
    assert len(await client.text_document_inlay_hint_async(params)) == 4


@pytest.mark.asyncio(loop_scope="module")
async def test_config_from_the_documents_project(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.kerascheck]\nignore = ["KC101"]\n')
    uri = await _open(client, tmp_path / "pkg" / "model.py", BROKEN)
    assert not client.diagnostics[uri]


@pytest.mark.asyncio(loop_scope="module")
async def test_a_notebook_file_gets_its_diagnostics_where_the_cell_line_is_written(
        client: LanguageClient, tmp_path: Path) -> None:
    from tests.cli.helpers import notebook

    text = notebook(("markdown", "# A model"), ("code", BROKEN))
    uri = await _open(client, tmp_path / "model.ipynb", text)
    [found] = client.diagnostics[uri]
    assert found.code == "KC101" and "in cell 1, line 5" in found.message
    line = text.splitlines()[found.range.start.line]
    written = line[found.range.start.character:found.range.end.character]
    assert written == "layers.RepeatVector(3)(x)"


@pytest.mark.asyncio(loop_scope="module")
async def test_notebook_cells_through_notebook_document_sync(client: LanguageClient, tmp_path: Path) -> None:
    notebook_uri = (tmp_path / "explore.ipynb").as_uri()
    head, model = BROKEN.split("inputs = ")
    sources = {"imports": head, "notes": "# Notes", "model": "%matplotlib inline\ninputs = " + model}
    kinds = {"imports": types.NotebookCellKind.Code, "notes": types.NotebookCellKind.Markup,
             "model": types.NotebookCellKind.Code}
    uris = {name: f"{notebook_uri}#cell-{name}" for name in sources}
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        types.NotebookDocument(uri=notebook_uri, notebook_type="jupyter-notebook", version=1,
                               cells=[types.NotebookCell(kinds[n], uris[n]) for n in sources]),
        [types.TextDocumentItem(uris[n], "python" if kinds[n] == types.NotebookCellKind.Code else "markdown", 1,
                                sources[n]) for n in sources]))
    while uris["model"] not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    [found] = client.diagnostics[uris["model"]]
    assert found.code == "KC101"
    # `x = layers.RepeatVector(3)(x)` is line 4 of the model cell (0-based 3), after the magic.
    assert found.range == types.Range(types.Position(3, 4), types.Position(3, 29))
    assert not client.diagnostics[uris["imports"]]
    fixed = sources["model"].replace("return_sequences=True", "return_sequences=False")
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        types.VersionedNotebookDocumentIdentifier(version=2, uri=notebook_uri),
        types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                types.VersionedTextDocumentIdentifier(version=2, uri=uris["model"]),
                [types.TextDocumentContentChangeWholeDocument(fixed)])]))))
    while client.diagnostics[uris["model"]]:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


def test_an_internal_error_is_logged_and_the_server_goes_on() -> None:
    from kerascheck.lsp.server import KerascheckServer

    logged: list[types.LogMessageParams] = []
    ls = KerascheckServer()
    ls.window_log_message = logged.append

    def broken() -> list:
        raise RuntimeError("a bug in kerascheck")

    assert ls.guarded("inlay hints", broken, []) == []
    [message] = logged
    assert message.type == types.MessageType.Error
    assert "inlay hints failed" in message.message and "RuntimeError: a bug in kerascheck" in message.message
