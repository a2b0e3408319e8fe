"""Renderers of a run's results: flake8-style text, JSON, GitHub annotations, SARIF, summaries.

Every renderer reads ``FileReport`` objects, in the order the files were given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.graph import Position
    from kerascheck.notebooks import CellLine
    from kerascheck.shapes.propagate import ModelResult

FORMATS = ("text", "full", "json", "github", "sarif")


@dataclass
class FileReport:
    """One checked file: its diagnostics and models; for a notebook, where each program line
    comes from (``kerascheck.notebooks.CellLine``). ``fixable``: whether ``--fix`` can rewrite
    the file (not a notebook, not standard input). ``keras_version``: the Keras it was checked
    for (None: unknown, or not checked), ``keras_version_source`` why. ``quoted``: the program
    lines the diagnostics start on (line -> text), for ``--output-format full``."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    models: list[ModelResult] = field(default_factory=list)
    cells: list[CellLine] | None = None
    fixable: bool = True
    keras_version: int | None = None
    keras_version_source: str | None = None
    quoted: dict[int, str] = field(default_factory=dict)

    def locate(self, line: int) -> tuple[int | None, int]:
        """(cell, line in cell) of a program line; the cell is None for a plain file."""
        if self.cells is None:
            return None, line
        from kerascheck.notebooks import locate

        place = locate(self.cells, line)
        return place.cell, place.line

    def where(self, position: Position) -> tuple[int | None, int, int, int, int]:
        """(cell, line, column, end line, end column), relative to the cell in a notebook."""
        if self.cells is None:
            return None, position.line, position.column, position.end_line, position.end_column
        from kerascheck.notebooks import locate

        start, end = locate(self.cells, position.line), locate(self.cells, position.end_line)
        if end.cell != start.cell:  # a range across cells cannot be shown: keep it on one line
            end = start
        return start.cell, start.line, position.column + start.shift, end.line, position.end_column + end.shift

    def in_file(self, position: Position) -> tuple[int, int, int, int]:
        """(line, column, end line, end column) in the file as stored: for a notebook, in its
        JSON text, where the cell's source line is written (what viewers of .ipynb files in
        GitHub's diffs and code scanning show); the cell's own line when it is not found there.
        Columns count from the start of the JSON string, exact unless escapes precede them."""
        cell, line, column, end_line, end_column = self.where(position)
        if cell is None or self.cells is None:
            return line, column, end_line, end_column
        from kerascheck.notebooks import locate

        start, end = locate(self.cells, position.line), locate(self.cells, position.end_line)
        if start.file_line is None or start.file_column is None:
            return line, column, end_line, end_column
        first = start.file_column + column - 1
        if end.cell != start.cell or end.file_line is None or end.file_column is None:
            return start.file_line, first, start.file_line, first
        return start.file_line, first, end.file_line, end.file_column + end_column - 1


def quoted_lines(text: str, diagnostics: list[Diagnostic]) -> dict[int, str]:
    """The lines of ``text`` the diagnostics start on, by line number."""
    wanted = {d.position.line for d in diagnostics}
    if not wanted:
        return {}
    lines = text.splitlines()
    return {n: lines[n - 1] for n in wanted if 0 < n <= len(lines)}


def shape_json(shape: Any) -> Any:
    """A shape as JSON: a list with null for None dims and a string for symbolic ones
    (``"n_steps - 7"``), a list of those, or null if unknown."""
    if shape is None:
        return None
    if isinstance(shape, list):
        return [shape_json(s) for s in shape]
    return [count_json(d) for d in shape]


def count_json(value: Any) -> Any:
    """A dim or parameter count as JSON: an int, null, or the text of a symbolic one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None if value is None else str(value)


@dataclass
class Tally:
    """Counts for the closing line: ``3 errors, 1 warning, 2 info in 2 files``. Info lines are
    not problems: they never change the exit code."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    files: int = 0
    files_with_problems: int = 0

    def add(self, report: FileReport) -> FileReport:
        self.files += 1
        severities = [d.severity for d in report.diagnostics]
        self.errors += severities.count("error")
        self.warnings += severities.count("warning")
        self.infos += severities.count("info")
        self.files_with_problems += bool(severities)
        return report

    @property
    def problems(self) -> int:
        """The diagnostics that fail the run."""
        return self.errors + self.warnings

    def line(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n:,} {word}{'' if n == 1 else 's'}"

        if not self.problems and not self.infos:
            return f"no problems in {plural(self.files, 'file')}"
        parts = [plural(self.errors, "error")] if self.errors else []
        parts += [plural(self.warnings, "warning")] if self.warnings else []
        parts += [f"{self.infos:,} info"] if self.infos else []
        return f"{', '.join(parts)} in {plural(self.files_with_problems, 'file')}"
