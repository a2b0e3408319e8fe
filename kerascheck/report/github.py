"""GitHub Actions workflow commands: ``::error file=...,line=...,col=...,title=KC101::message``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.report import FileReport


_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def line(report: FileReport, diagnostic: Diagnostic) -> str:
    """One annotation. In a notebook it stands where the cell's line is written in the .ipynb
    file (the line GitHub's diff shows) and the message starts with ``cell_N:line:col:``."""
    cell, row, column, _, _ = report.where(diagnostic.position)
    file_row, file_column, end_row, end_column = report.in_file(diagnostic.position)
    level = _LEVELS[diagnostic.severity]
    properties = [f"file={_property(report.path)}", f"line={file_row}", f"col={file_column}",
                  f"endLine={end_row}", f"endColumn={end_column}",
                  f"title={_property(diagnostic.code)}"]
    prefix = f"cell_{cell}:{row}:{column}: " if cell is not None else ""
    return f"::{level} {','.join(properties)}::{_data(prefix + diagnostic.text)}"


def lines(report: FileReport) -> list[str]:
    return [line(report, d) for d in report.diagnostics]
