"""Hand-built models and data calls for the data checks (no frontend needed)."""

from __future__ import annotations

from typing import Any

from kerascheck.data import check_data
from kerascheck.data.arrays import Array
from kerascheck.graph import (
    CompileInfo,
    DataCall,
    InputSpec,
    LayerCall,
    LayerNode,
    ModelGraph,
    Position,
    TensorRef,
)
from kerascheck.shapes.propagate import propagate


def pos(line: int, column: int = 1) -> Position:
    return Position(line, column, line, column + 1)


def layer(type_name: str, *args: Any, line: int = 2, **kwargs: Any) -> LayerNode:
    return LayerNode(type_name, tuple(args), dict(kwargs), pos(line))


def sequential(input_shape: tuple | None, *layers: LayerNode, loss: Any = None,
               batch: int | None = None) -> ModelGraph:
    """A Sequential model; each layer is on its own line (2, 3, ...) unless it says otherwise."""
    for i, node in enumerate(layers):
        if node.position.line == 2:
            node.position = pos(2 + i)
    inputs = [InputSpec((batch,) + tuple(input_shape), pos(1))] if input_shape is not None else []
    calls = [LayerCall(node, TensorRef.of_input(0) if i == 0 else TensorRef.of_call(i - 1), node.position)
             for i, node in enumerate(layers)]
    model = ModelGraph("model", "sequential", pos(1), inputs, calls, TensorRef.of_call(len(calls) - 1))
    if loss is not None:
        model.compile = CompileInfo(loss, pos(50))
    return model


def fit(model: ModelGraph, method: str = "fit", line: int = 60, **args: Any) -> ModelGraph:
    """Add ``model.<method>(**args)``; arrays are given as shapes (tuples) for brevity."""
    values = {k: _arrays(v) for k, v in args.items()}
    positions = {k: pos(line, 10 + 5 * i) for i, k in enumerate(args)}
    model.data_calls.append(DataCall(method, values, pos(line), positions))
    return model


def _arrays(value: Any) -> Any:
    if isinstance(value, tuple) and all(isinstance(d, int) or d is None for d in value):
        return Array(value, "float")
    if isinstance(value, tuple):
        return tuple(_arrays(v) for v in value)
    if isinstance(value, list):
        return [_arrays(v) for v in value]
    if isinstance(value, dict):
        return {k: _arrays(v) for k, v in value.items()}
    return value


def codes(model: ModelGraph) -> list[tuple[str, int, int]]:
    """(code, line, column) of every data diagnostic for the model."""
    return [(d.code, d.position.line, d.position.column) for d in check_data(propagate(model))]


def diagnostics(model: ModelGraph):
    return check_data(propagate(model))
