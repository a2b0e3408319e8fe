"""flake8-style lines: ``path:line:col: CODE message; hint`` (``path:cell_N:line:col:`` in notebooks),
ending in `` [fixable]`` when ``kerascheck --fix`` can repair the problem, `` [fixable with
--unsafe-fixes]`` when the repair changes what the model computes (never in a notebook or
standard input, which ``--fix`` does not rewrite); and the ``full`` format (as ruff's): the
severity, the source line with a caret under the range, then the hint.

Colour (code, shapes) only when asked: the CLI asks on a terminal without ``NO_COLOR``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.report import FileReport

_SHAPE = re.compile(r"\((?:None|\d+)(?:, (?:None|\d+))*,?\)")
_COMMENT = re.compile(r"\s*#[^'\"]*$")
_RESET = "\033[0m"
_STYLE = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;34m", "path": "\033[1m",
          "shape": "\033[36m"}


def _where(report: FileReport, diagnostic: Diagnostic) -> str:
    cell, row, column, _, _ = report.where(diagnostic.position)
    return f"{report.path}:cell_{cell}:{row}:{column}" if cell is not None else f"{report.path}:{row}:{column}"


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{_STYLE[style]}{text}{_RESET}" if colour else text


def _shapes(text: str, colour: bool) -> str:
    return _SHAPE.sub(lambda m: _paint(m.group(0), "shape", True), text) if colour else text


def line(report: FileReport, diagnostic: Diagnostic, colour: bool = False) -> str:
    """One diagnostic as one line."""
    fixable = _fixable(report, diagnostic)
    code = _paint(diagnostic.code, diagnostic.severity, colour)
    return f"{_paint(_where(report, diagnostic), 'path', colour)}: {code} {_shapes(diagnostic.text, colour)}{fixable}"


def _fixable(report: FileReport, diagnostic: Diagnostic) -> str:
    """The mark of a fix that ``--fix`` makes (`` [fixable]``) or ``--fix --unsafe-fixes`` does."""
    if diagnostic.fix is None or not report.fixable:
        return ""
    return " [fixable]" if diagnostic.fix.safe else " [fixable with --unsafe-fixes]"


def full(report: FileReport, diagnostic: Diagnostic, colour: bool = False) -> list[str]:
    """One diagnostic in the full format: a heading line with the severity, the source line it
    starts on with carets under its range (to the end of the line if it goes on), the hint."""
    position = diagnostic.position
    fixable = _fixable(report, diagnostic)
    severity = _paint(f"{diagnostic.severity}[{diagnostic.code}]", diagnostic.severity, colour)
    heading = f"{_paint(_where(report, diagnostic), 'path', colour)}: {severity} " \
              f"{_shapes(diagnostic.message, colour)}{fixable}"
    source = report.quoted.get(position.line)
    number = str(report.where(position)[1])
    gutter = " " * len(number)
    lines = [heading]
    if source is not None:
        # a range that goes on: up to the end of the line's code (a plain trailing comment left out)
        end = position.end_column if position.end_line == position.line else \
            len(_COMMENT.sub("", source)) + 1
        start = min(position.column - 1, len(source))
        before, marked = (part.replace("\t", "    ") for part in (source[:start], source[start:end - 1]))
        carets = _paint("^" * max(len(marked), 1), diagnostic.severity, colour)
        lines += [f"{gutter} |", f"{number} | {source.replace(chr(9), '    ')}".rstrip(),
                  f"{gutter} | {' ' * len(before)}{carets}", f"{gutter} |"]
    if diagnostic.hint:
        lines.append(f"{gutter} = help: {_shapes(diagnostic.hint, colour)}")
    return lines


def lines(report: FileReport, colour: bool = False) -> list[str]:
    return [line(report, d, colour) for d in report.diagnostics]


def full_lines(report: FileReport, colour: bool = False) -> list[str]:
    """Every diagnostic in the full format, each followed by an empty line."""
    return [text for d in report.diagnostics for text in (*full(report, d, colour), "")]
