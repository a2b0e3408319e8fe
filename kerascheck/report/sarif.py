"""SARIF 2.1.0 for code-scanning upload: one run, every catalog rule with its help text."""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Iterable, Iterator
from urllib.parse import quote

from kerascheck.diagnostics import CATALOG, Code
from kerascheck.report.streaming import ITEMS, dumps_streaming

if TYPE_CHECKING:
    from kerascheck.report import FileReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _level(severity: str) -> str:
    return {"error": "error", "warning": "warning", "info": "note"}[severity]


def rule_json(entry: Code) -> dict[str, Any]:
    from kerascheck.docs import code_markdown, code_text

    return {
        "id": entry.code,
        "name": "".join(part.capitalize() for part in entry.name.split("-")),
        "shortDescription": {"text": entry.what},
        "fullDescription": {"text": entry.why},
        "help": {"text": code_text(entry), "markdown": code_markdown(entry)},
        "defaultConfiguration": {"level": _level(entry.severity), "enabled": not entry.opt_in},
        "properties": {"tags": [entry.name]},
    }


def _artifact(path: str) -> dict[str, str]:
    if os.path.isabs(path):
        return {"uri": PurePath(path).as_uri()}
    return {"uri": quote(PurePath(os.path.normpath(path)).as_posix()), "uriBaseId": "%SRCROOT%"}


def results_json(report: FileReport, codes: list[str]) -> Iterator[dict[str, Any]]:
    """One SARIF result per diagnostic of the file; ``codes`` is the rules' order (ruleIndex).

    In a notebook the region is where the cell's line is written in the .ipynb file (what code
    scanning shows), and ``properties`` give the cell and the line and column within it.
    """
    for d in report.diagnostics:
        cell, cell_line, cell_column, _, _ = report.where(d.position)
        line, column, end_line, end_column = report.in_file(d.position)
        region = {"startLine": line, "startColumn": column,
                  "endLine": max(end_line, line), "endColumn": max(end_column, 1)}
        result: dict[str, Any] = {
            "ruleId": d.code, "ruleIndex": codes.index(d.code), "level": _level(d.severity),
            "message": {"text": d.text},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(report.path),
                                                "region": region}}],
        }
        if cell is not None:
            result["properties"] = {"cell": cell, "cellLine": cell_line, "cellColumn": cell_column}
        yield result


def chunks(reports: Iterable[FileReport], version: str) -> Iterator[str]:
    """The document in pieces: the tool and its rules, then the results as each file comes."""
    codes = list(CATALOG)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kerascheck", "version": version,
                                "rules": [rule_json(CATALOG[c]) for c in codes]}},
            "columnKind": "unicodeCodePoints",
            "results": [ITEMS],
        }],
    }
    results = (result for report in reports for result in results_json(report, codes))
    return dumps_streaming(document, results)


def render(reports: Iterable[FileReport], version: str) -> str:
    """The whole document as one string (``chunks`` joined)."""
    return "".join(chunks(reports, version))
