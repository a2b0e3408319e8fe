"""Source positions of libcst nodes, one statement at a time, computed only when asked for."""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.graph import Position


class StatementPositions:
    """Positions of the nodes of one statement, computed once, only when one is asked for.

    The statement is rendered alone (inside an ``if _:`` block carrying its indentation when it
    is nested), so the cost is that statement's size, never the whole file's.
    """

    def __init__(self, node: cst.CSTNode, first_line: int, indent: str, module: cst.Module) -> None:
        self.node = node
        self.first_line = first_line
        self.indent = indent
        self.module = module
        self._positions: Any = None
        self._code_line = 1

    def position(self, node: cst.CSTNode, start: cst.CSTNode | None = None) -> Position:
        """The 1-based range of ``node`` (starting at ``start`` if given), in file coordinates."""
        positions = self._resolve()
        begin = positions.get(start if start is not None else node)
        end = positions.get(node)
        if begin is None or end is None:
            return Position(self.first_line, 1, self.first_line, 1)
        shift = self.first_line - self._code_line
        return Position(begin.start.line + shift, begin.start.column + 1,
                        end.end.line + shift, end.end.column + 1)

    def _resolve(self) -> Any:
        if self._positions is None:
            from libcst.metadata import MetadataWrapper, PositionProvider

            statement: Any = self.node
            header = 0
            if self.indent:
                block = cst.IndentedBlock(body=[statement], indent=self.indent)
                statement, header = cst.If(test=cst.Name("_"), body=block), 1
            mini = cst.Module(body=[statement], default_indent=self.module.default_indent,
                              default_newline=self.module.default_newline)
            self._code_line = header + len(getattr(self.node, "leading_lines", ())) + 1
            try:
                self._positions = _positions(MetadataWrapper(mini, unsafe_skip_copy=True), PositionProvider)
            except (RecursionError, cst.CSTValidationError):
                self._positions = {}
        return self._positions


def _positions(wrapper: Any, provider: Any) -> Any:
    # MetadataWrapper.resolve() also runs an (empty) batched visitor over every node, which costs
    # more than the positions themselves; the provider's own _gen does only the codegen pass.
    generate = getattr(provider(), "_gen", None)
    return generate(wrapper) if generate is not None else wrapper.resolve(provider)
