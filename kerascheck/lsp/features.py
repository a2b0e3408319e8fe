"""What the language server answers, computed from one analysed text (no protocol state here).

Diagnostics, hovers, inlay hints and code actions as ``lsprotocol`` types. kerascheck's
positions are 1-based lines and 1-based code-point columns; LSP's are 0-based lines and
UTF-16 code units, converted with the document's own lines.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from kerascheck.graph import DataCall, LayerCall, LayerNode, ModelGraph, Position
from kerascheck.report.steps import CallShapes, call_shapes
from kerascheck.shapes.base import format_shape

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.report import FileReport

SOURCE = "kerascheck"
FIX_ALL = types.CodeActionKind.SourceFixAll + ".kerascheck"
_ASSIGNED = re.compile(r"(?:^|[;:]\s*)([A-Za-z_]\w*)\s*=\s*$")  # `x = ` just before a call
_WORD = re.compile(r"[A-Za-z_]\w*")


@dataclass
class Analysis:
    """One version of a document and what kerascheck found in it."""

    uri: str
    version: int | None
    text: str
    report: FileReport
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines()

    @cached_property
    def sites(self) -> list[Site]:
        """Every layer call of the file's models with its shapes (a call shared by models once)."""
        found: dict[int, Site] = {}
        if not self.placed:
            return []
        for result in self.report.models:
            for call, shapes in zip(result.model.calls, call_shapes(result)):
                if id(call) not in found or found[id(call)].shapes.output is None:
                    found[id(call)] = Site(call, shapes, _target(self, call.position))
        return sorted(found.values(), key=lambda s: (s.call.position.line, s.call.position.column))

    @property
    def placed(self) -> bool:
        """Whether the program kerascheck analysed is this text (not a notebook's JSON, where
        only diagnostics are placed: hovers, hints and fixes are not offered)."""
        return self.report.cells is None

    @property
    def parsed(self) -> bool:
        """Whether the text parsed (a syntax error keeps the last good hints in the editor)."""
        return not any(d.code == "KC001" for d in self.report.diagnostics)

    def lsp_position(self, line: int, column: int) -> types.Position:
        """LSP position of a 1-based line and code-point column."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return types.Position(max(line - 1, 0), _utf16(text[:max(column - 1, 0)]))

    def lsp_range(self, position: Position) -> types.Range:
        """The range of a program position in this text (a notebook's: in its JSON)."""
        line, column, end_line, end_column = self.report.in_file(position)
        start = self.lsp_position(line, column)
        end = self.lsp_position(end_line, end_column)
        if (end.line, end.character) <= (start.line, start.character):  # an empty range is hard to see
            end = types.Position(start.line, start.character + max(_utf16(self._word_at(start)), 1))
        return types.Range(start, end)

    def point(self, position: types.Position) -> tuple[int, int]:
        """1-based line and code-point column of an LSP position."""
        text = self.lines[position.line] if position.line < len(self.lines) else ""
        units, column = 0, 0
        while column < len(text) and units < position.character:
            units += _utf16(text[column])
            column += 1
        return position.line + 1, column + 1

    def _word_at(self, start: types.Position) -> str:
        text = self.lines[start.line] if start.line < len(self.lines) else ""
        match = _WORD.match(text, self.point(start)[1] - 1)
        return match.group() if match else ""


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# ---- diagnostics -----------------------------------------------------------------------------


def rule_url(code: str, base: str | None) -> str | None:
    """The rule's section in docs/rules.md under ``base`` (default: the docs beside this
    package, when it runs from a source checkout)."""
    from kerascheck.diagnostics import CATALOG

    if base is None:
        docs = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                            "docs", "rules.md")
        if not os.path.isfile(docs):
            return None
        from pathlib import Path

        base = Path(docs).as_uri()
    return f"{base}#{code.lower()}-{CATALOG[code].name}"


def diagnostics(analysis: Analysis, rules_url: str | None = None) -> list[types.Diagnostic]:
    return [lsp_diagnostic(analysis, d, rules_url) for d in analysis.report.diagnostics]


def lsp_diagnostic(analysis: Analysis, d: Diagnostic, rules_url: str | None = None) -> types.Diagnostic:
    url = rule_url(d.code, rules_url)
    return types.Diagnostic(
        range=analysis.lsp_range(d.position), message=d.text, source=SOURCE, code=d.code,
        code_description=types.CodeDescription(href=url) if url else None,
        severity={"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
                  "info": types.DiagnosticSeverity.Information}[d.severity],
        data={"fix": d.fix.description} if d.fix is not None else None)


# ---- what each call and tensor is ------------------------------------------------------------


@dataclass
class Site:
    """A layer call of a model, with its shapes and the variable it is assigned to, if any."""

    call: LayerCall
    shapes: CallShapes
    target: str | None


def _target(analysis: Analysis, position: Position) -> str | None:
    if not 0 < position.line <= len(analysis.lines):
        return None
    match = _ASSIGNED.search(analysis.lines[position.line - 1][:position.column - 1])
    return match.group(1) if match else None


def _contains(outer: Position, line: int, column: int) -> bool:
    return (outer.line, outer.column) <= (line, column) <= (outer.end_line, outer.end_column)


def _size(position: Position) -> tuple[int, int]:
    return position.end_line - position.line, position.end_column - position.column


def _layer_title(node: Any) -> str:
    if isinstance(node, LayerNode):
        return node.type.rsplit(".", 1)[-1]
    if isinstance(node, ModelGraph):
        return f"model {node.name}"
    return "layer"


def _params(value: Any) -> str:
    if value is None:
        return "? params"
    return f"{value:,} params" if isinstance(value, int) else f"{value} params"


def hover(analysis: Analysis, position: types.Position) -> types.Hover | None:
    """The tensor variable under the cursor, else the innermost layer call, else ``fit(``."""
    line, column = analysis.point(position)
    all_sites = analysis.sites
    word = _word(analysis, line, column)
    if word is not None:
        text = _tensor_text(analysis, all_sites, word[0], line, column)
        if text is not None:
            return _markdown(text, analysis.lsp_range(Position(line, word[1], line, word[2])))
    here = [s for s in all_sites if _contains(s.call.position, line, column)]
    if here:
        site = min(here, key=lambda s: _size(s.call.position))
        return _markdown(_call_text(site), analysis.lsp_range(site.call.position))
    for result in analysis.report.models:
        for call in result.model.data_calls:
            if _contains(call.position, line, column):
                return _markdown(_data_text(call, result), analysis.lsp_range(call.position))
    return None


def _markdown(text: str, where: types.Range) -> types.Hover:
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text), where)


def _call_text(site: Site) -> str:
    shapes = site.shapes
    return (f"`{_layer_title(site.call.layer)} → {format_shape(shapes.output)} · {_params(shapes.params)}`\n\n"
            f"input: `{format_shape(shapes.input)}`")


def _word(analysis: Analysis, line: int, column: int) -> tuple[str, int, int] | None:
    text = analysis.lines[line - 1] if 0 < line <= len(analysis.lines) else ""
    for match in _WORD.finditer(text):
        if match.start() < column <= match.end() + 1:
            return match.group(), match.start() + 1, match.end() + 1
    return None


def _tensor_text(analysis: Analysis, all_sites: list[Site], name: str, line: int, column: int) -> str | None:
    """The shape of the tensor variable ``name`` at the cursor: assigned on this line when the
    cursor is on the assignment's target, else by the last assignment before (the ``x`` read by
    ``x = Dense(4)(x)`` is the previous ``x``)."""
    latest: tuple[tuple[int, int], str] | None = None

    def consider(at: Position, text: str) -> None:
        nonlocal latest
        before = at.line < line or (at.line == line and column < at.column)
        if before and (latest is None or (at.line, at.column) >= latest[0]):
            latest = ((at.line, at.column), text)

    for site in all_sites:
        if site.target == name:
            consider(site.call.position, f"`{name}: {format_shape(site.shapes.output)}` "
                                         f"(from {_layer_title(site.call.layer)}, line {site.call.position.line})")
    for result in analysis.report.models:
        for spec, shape in zip(result.model.inputs, result.inputs):
            if spec.var_name == name:
                consider(spec.position, f"`{name}: {format_shape(shape)}` (Input, line {spec.position.line})")
    return latest[1] if latest else None


def _data_text(call: DataCall, result: Any) -> str:
    """``fit``'s x and y against the model's inputs and outputs."""
    rows = [f"`{call.method}` of model `{result.model.name}`", ""]
    for argument, model_side, label in (("x", result.inputs, "model input"), ("y", result.outputs, "model output")):
        value = call.args.get(argument)
        shape = getattr(value, "shape", None)
        if value is None and argument == "y":
            continue
        theirs = model_side[0] if isinstance(model_side, list) and len(model_side) == 1 else model_side
        rows.append(f"- {argument}: `{format_shape(shape)}` → {label} `{format_shape(theirs)}`")
    return "\n".join(rows)


# ---- inlay hints -----------------------------------------------------------------------------


def inlay_hints(analysis: Analysis, within: types.Range) -> list[types.InlayHint]:
    """``→ (None, 10, 150)`` at the end of each line that ends a layer call (the last call
    built there: the outer one of ``Dense(4)(Dropout(0.1)(x))``)."""
    by_line: dict[int, Site] = {}
    for site in sorted(analysis.sites, key=lambda s: (s.call.position.end_line, s.call.position.end_column)):
        by_line[site.call.position.end_line] = site
    hints = []
    for line, site in sorted(by_line.items()):
        if not within.start.line <= line - 1 <= within.end.line or line > len(analysis.lines):
            continue
        text = analysis.lines[line - 1]
        hints.append(types.InlayHint(
            position=types.Position(line - 1, _utf16(text)), label=f"→ {format_shape(site.shapes.output)}",
            kind=types.InlayHintKind.Type, padding_left=True,
            tooltip=f"{_layer_title(site.call.layer)}: {_params(site.shapes.params)}"))
    return hints


# ---- code actions ----------------------------------------------------------------------------


def code_actions(analysis: Analysis, within: types.Range, rules_url: str | None = None) -> list[types.CodeAction]:
    """A quick fix for each fixable diagnostic touching ``within`` (an unsafe one says so, and is
    never preferred), then "fix all" for the file's safe fixes, as ``--fix`` makes them."""
    from kerascheck.report import FileReport

    report = analysis.report
    fixable = [d for d in report.diagnostics if d.fix is not None and analysis.placed]
    actions = []
    for d in fixable:
        lsp = lsp_diagnostic(analysis, d, rules_url)
        if lsp.range.end.line < within.start.line or lsp.range.start.line > within.end.line:
            continue
        edits = _edits(analysis, FileReport(report.path, [d], report.models, report.cells), unsafe=True)
        if edits:
            title = f"{d.code}: {d.fix.description}" + ("" if d.fix.safe else " (unsafe fix)")
            actions.append(types.CodeAction(title, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp],
                                            is_preferred=d.fix.safe,
                                            edit=types.WorkspaceEdit(changes={analysis.uri: edits})))
    safe = [d for d in fixable if d.fix.safe]
    if safe:
        edits = _edits(analysis, report)
        if edits:
            actions.append(types.CodeAction(f"Fix all kerascheck problems in this file ({len(safe)})",
                                            kind=FIX_ALL, edit=types.WorkspaceEdit(changes={analysis.uri: edits})))
    return actions


def _edits(analysis: Analysis, report: FileReport, unsafe: bool = False) -> list[types.TextEdit]:
    """The fixes of ``report``'s diagnostics (unsafe ones only if ``unsafe``) as line edits of
    the analysed text."""
    from kerascheck.fixes.run import fix_report

    fixed = fix_report(report, analysis.text, unsafe)
    if fixed is None or not fixed.changed:
        return []
    before, after = fixed.before.splitlines(keepends=True), fixed.after.splitlines(keepends=True)
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag != "equal":
            edits.append(types.TextEdit(types.Range(_line_start(before, i1), _line_start(before, i2)),
                                        "".join(after[j1:j2])))
    return edits


def _line_start(lines: list[str], index: int) -> types.Position:
    """The start of line ``index``; past the last line, the end of the text."""
    if index < len(lines) or not lines or lines[-1].endswith(("\n", "\r")):
        return types.Position(index, 0)
    return types.Position(len(lines) - 1, _utf16(lines[-1]))


# ---- notebooks (notebook document sync) ------------------------------------------------------


def notebook_json(cells: list[str]) -> str:
    """An nbformat 4 notebook of these code cells, to check as the command line checks a file."""
    import json

    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                       "cells": [{"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
                                  "execution_count": None} for source in cells]})


def cell_diagnostics(report: FileReport, cells: list[tuple[str, str]],
                     rules_url: str | None = None) -> dict[str, list[types.Diagnostic]]:
    """Each code cell's diagnostics (``cells``: each code cell's uri and text, in order), placed
    in the cell they are in."""
    found: dict[str, list[types.Diagnostic]] = {uri: [] for uri, _ in cells}
    for d in report.diagnostics:
        cell, line, column, end_line, end_column = report.where(d.position)
        if cell is None or not 0 < cell <= len(cells):
            continue
        uri, text = cells[cell - 1]
        place = Analysis(uri, None, text, report)
        start, end = place.lsp_position(line, column), place.lsp_position(end_line, end_column)
        if (end.line, end.character) <= (start.line, start.character):
            end = types.Position(start.line, start.character + 1)
        diagnostic = lsp_diagnostic(place, d, rules_url)
        diagnostic.range = types.Range(start, end)
        found[uri].append(diagnostic)
    return found
