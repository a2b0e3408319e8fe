"""The JSON report: exactly ``schema.json`` beside this module (a public interface for tools
and editors), headed by the kerascheck version that wrote it.

Notebooks add ``cell`` (1-based, code cells) beside every ``line``, which is then within the cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator

from kerascheck.report import count_json, shape_json
from kerascheck.report.streaming import ITEMS, dumps_streaming

if TYPE_CHECKING:
    from kerascheck.report import FileReport
    from kerascheck.shapes.propagate import ModelResult


def file_json(report: FileReport) -> dict[str, Any]:
    notebook = report.cells is not None
    diagnostics = []
    for d in report.diagnostics:
        cell, line, column, end_line, end_column = report.where(d.position)
        fix = None if d.fix is None else {"description": d.fix.description, "applicability": d.fix.applicability}
        entry: dict[str, Any] = {"code": d.code, "severity": d.severity, "line": line,
                                 "column": column, "end_line": end_line,
                                 "end_column": end_column, "message": d.message, "hint": d.hint, "fix": fix}
        if notebook:
            entry["cell"] = cell
        diagnostics.append(entry)
    return {"path": report.path, "keras_version": report.keras_version,
            "keras_version_source": report.keras_version_source, "diagnostics": diagnostics,
            "models": [_model_json(report, m, notebook) for m in report.models]}


def _located(report: FileReport, line: int, notebook: bool) -> dict[str, Any]:
    cell, within = report.locate(line)
    return {"line": within, "cell": cell} if notebook else {"line": line}


def _model_json(report: FileReport, result: ModelResult, notebook: bool) -> dict[str, Any]:
    model = result.model
    layers = [{"name": row.name, "type": row.type, **_located(report, row.line, notebook),
               "output_shape": shape_json(row.output), "params": count_json(row.params)}
              for row in result.layers]
    return {"name": model.name, **_located(report, model.position.line, notebook),
            "kind": model.kind, "layers": layers, "total_params": count_json(result.total_params)}


def chunks(reports: Iterable[FileReport], version: str) -> Iterator[str]:
    """The document in pieces, one per file, each encoded as its report comes."""
    return dumps_streaming({"version": version, "files": [ITEMS]}, (file_json(r) for r in reports))


def render(reports: Iterable[FileReport], version: str) -> str:
    """The whole document as one string (``chunks`` joined)."""
    return "".join(chunks(reports, version))


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) every document follows, shipped as ``schema.json``."""
    import json
    from importlib.resources import files

    return json.loads(files("kerascheck.report").joinpath("schema.json").read_text(encoding="utf-8"))
