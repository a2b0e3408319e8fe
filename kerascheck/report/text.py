"""flake8-style lines: ``path:line:col: CODE message; hint`` (``path:cell_N:line:col:`` in notebooks),
ending in `` [fixable]`` when ``kerascheck --fix`` can repair the problem, `` [fixable with
--unsafe-fixes]`` when the repair changes what the model computes (never in a notebook or
standard input, which ``--fix`` does not rewrite).

Colour (code, shapes) only when asked: the CLI asks on a terminal without ``NO_COLOR``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.report import FileReport

_SHAPE = re.compile(r"\((?:None|\d+)(?:, (?:None|\d+))*,?\)")
_RESET = "\033[0m"
_STYLE = {"error": "\033[1;31m", "warning": "\033[1;33m", "path": "\033[1m", "shape": "\033[36m"}


def line(report: FileReport, diagnostic: Diagnostic, colour: bool = False) -> str:
    """One diagnostic as one line."""
    cell, row, column, _, _ = report.where(diagnostic.position)
    where = f"{report.path}:cell_{cell}:{row}:{column}" if cell is not None else \
        f"{report.path}:{row}:{column}"
    fixable = ""
    if diagnostic.fix is not None and report.fixable:
        fixable = " [fixable]" if diagnostic.fix.safe else " [fixable with --unsafe-fixes]"
    if not colour:
        return f"{where}: {diagnostic.code} {diagnostic.text}{fixable}"
    text = _SHAPE.sub(lambda m: f"{_STYLE['shape']}{m.group(0)}{_RESET}", diagnostic.text)
    code = f"{_STYLE.get(diagnostic.severity, _STYLE['error'])}{diagnostic.code}{_RESET}"
    return f"{_STYLE['path']}{where}{_RESET}: {code} {text}{fixable}"


def lines(report: FileReport, colour: bool = False) -> list[str]:
    return [line(report, d, colour) for d in report.diagnostics]
