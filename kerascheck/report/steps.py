"""Each layer call's input shape, output shape and parameters, for the pictures and the editor.

Propagation records every call's shapes when it can (``ModelResult.calls``); otherwise a call
that is its layer's first has that layer's row, and a later call of a shared layer is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kerascheck.graph import TensorRef
from kerascheck.report.summary_graph import layer_keys

if TYPE_CHECKING:
    from kerascheck.shapes.propagate import ModelResult


@dataclass(frozen=True)
class CallShapes:
    """One call of a model: the shape(s) it received and gave (None: unknown), its parameters."""

    input: Any
    output: Any
    params: Any


def call_shapes(result: ModelResult) -> list[CallShapes]:
    """One entry per call of ``result.model``, in build order."""
    model = result.model
    if result.calls is not None:
        return [CallShapes(step[0], step[1], step[2]) for step in result.calls]
    keys = layer_keys(model)
    rows = {id(key): row for key, row in zip(keys, result.layers)} if len(keys) == len(result.layers) else {}
    shapes: dict[tuple, Any] = {(None, 0, i): shape for i, shape in enumerate(result.inputs)}
    found, seen = [], set()
    for k, call in enumerate(model.calls):
        row = rows.get(id(call.layer)) if id(call.layer) not in seen else None
        seen.add(id(call.layer))
        output = row.output if row is not None else None
        for j, shape in enumerate(output if isinstance(output, list) else [output]):
            shapes[(k, j, None)] = shape
        found.append(CallShapes(tensor_shape(call.inputs, shapes), output, row.params if row is not None else None))
    return found


def tensor_shape(inputs: Any, shapes: dict[tuple, Any]) -> Any:
    """The shape of a call's input as the call was written: a tensor's, or a list of them."""
    if isinstance(inputs, TensorRef):
        return shapes.get((inputs.call, inputs.index, inputs.input))
    if isinstance(inputs, (list, tuple)):
        return [tensor_shape(item, shapes) for item in inputs]
    return None
