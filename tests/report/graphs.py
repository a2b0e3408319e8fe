"""Hand-built models and reports for renderer tests (no frontend involved)."""

from __future__ import annotations

from kerascheck.diagnostics import diagnostic
from kerascheck.graph import InputSpec, LayerCall, ModelGraph, Position, TensorRef
from kerascheck.report import FileReport
from kerascheck.shapes.propagate import LayerNames, ModelResult, propagate
from tests.shapes.helpers import layer


def at(line: int, column: int = 1, end_column: int = 20) -> Position:
    return Position(line, column, line, end_column)


def placed(line: int, type_name: str, *args, **kwargs):
    node = layer(type_name, *args, **kwargs)
    node.position = at(line, 5)
    return node


def lstm_stack() -> ModelResult:
    """Input (40, 2) -> LSTM(12, return_sequences=True) -> Dense(1): a Sequential on lines 3-5."""
    nodes = [placed(4, "LSTM", 12, return_sequences=True, name="encoder"),
             placed(5, "Dense", 1, name="head")]
    calls = [LayerCall(n, TensorRef.of_input(0) if i == 0 else TensorRef.of_call(i - 1), n.position)
             for i, n in enumerate(nodes)]
    graph = ModelGraph("stack", "sequential", at(3), [InputSpec((None, 40, 2), at(4))], calls,
                       TensorRef.of_call(1))
    return propagate(graph, LayerNames())


def two_branches() -> ModelResult:
    """inp (4,) -> Dense(3) 'a' and Dense(3) 'b' -> Add 'sum'; outputs [sum, a]."""
    a, b, add = placed(3, "Dense", 3, name="a"), placed(4, "Dense", 3, name="b"), placed(5, "Add", name="sum")
    calls = [LayerCall(a, TensorRef.of_input(0), at(3)), LayerCall(b, TensorRef.of_input(0), at(4)),
             LayerCall(add, [TensorRef.of_call(0), TensorRef.of_call(1)], at(5))]
    graph = ModelGraph("branches", "functional", at(6), [InputSpec((None, 4), at(2), name="inp")],
                       calls, [TensorRef.of_call(2), TensorRef.of_call(0)])
    return propagate(graph, LayerNames())


def report_with_problems(path: str = "model.py") -> FileReport:
    """A file with the LSTM stack, one error (KC101, with hint) and one error without hint."""
    problems = [
        diagnostic("KC101", Position(7, 11, 7, 26), "the LSTM on line 6 returns sequences; "
                   "set return_sequences=False there", layer="RepeatVector", expected="2D",
                   actual="3D (None, 40, 12)"),
        diagnostic("KC301", Position(9, 11, 9, 25), layer="Dense", argument="units", value="(10, 2)"),
    ]
    return FileReport(path, problems, [lstm_stack()])
