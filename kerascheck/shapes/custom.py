"""Layer classes of the project (``class X(keras.layers.Layer)``) that the frontend followed.

There is no rule to look up: the node carries what the frontend found (``graph.CustomLayer``).
Its output is the result of its ``call`` when that was followed (the call's first input), else
what its ``compute_output_shape`` returned for the input, else unknown. Its parameters are the
sizes of the weights ``add_weight`` made (a weight sublayers own is counted on the sublayer's
own row, as the sublayer is called in the graph). Sizes read from the input shape in ``build``
(``input_shape[-1]``) take the input's sizes here; one that is unknown, or Keras's ``None``,
leaves what depends on it unknown.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kerascheck.diagnostics import ERROR
from kerascheck.graph import LayerNode, ModelGraph
from kerascheck.shapes.symbolic import Sym, evaluate_names, has_anonymous

Output = Any


def understood(node: LayerNode) -> bool:
    """Whether the frontend followed the layer far enough to know its output: its ``call``, or
    its ``compute_output_shape``."""
    custom = node.custom
    return custom is not None and (custom.weight or (custom.built and (node.traced or custom.output_shape is not None)))


class _Unsized(Exception):
    """A size read from an input axis that is unknown, or Keras's ``None``."""


def custom_inference(node: LayerNode, shape: Output) -> tuple[Output, int | None]:
    """The output shape and parameter count of a followed custom layer (or of ``ops.weight``)."""
    custom = node.custom
    assert custom is not None
    if node.traced:
        result, given = (shape[0], shape[1]) if isinstance(shape, list) and len(shape) == 2 else (None, None)
    else:
        result, given = None, shape
    if custom.weight:
        weight = _resolve(custom.weights[0][0], custom.axes, given)
        return (tuple(weight) if isinstance(weight, (tuple, list)) and all(_size(d) for d in weight) else None), 0
    if not node.traced and node.body is not None:  # added to a Sequential: its call is a small model
        result, inner, _ = through_body(node.body, shape)
        own = weight_count(node, shape, trainable=None)
        return result, None if own is None or inner is None else own + inner
    if not node.traced and custom.output_shape is not None:
        declared = _resolve(custom.output_shape, custom.axes, given)
        # a size the frontend could not evaluate (an attribute never set) leaves the output unknown
        known = isinstance(declared, (tuple, list)) and all(d is None or _size(d) for d in declared)
        result = tuple(declared) if known else None
    return result, weight_count(node, shape, trainable=None)


def through_body(body: ModelGraph, shape: Output) -> tuple[Output, int | None, int | None]:
    """A Sequential's tensor through a Lambda's function or a layer class's ``call`` the frontend
    followed (a one-input model): its output and the weights of the layers in it, all and
    non-trainable (None where unknown). Raises ``InnerError`` with the body's first error: Keras
    runs the body on the tensor as the Sequential is built."""
    from kerascheck.shapes.base import InnerError  # base imports this module
    from kerascheck.shapes.propagate import propagate  # the body is a small model

    if not isinstance(shape, tuple):
        return None, None, None
    result = propagate(replace(body, inputs=[replace(body.inputs[0], shape=shape)]))
    errors = [d for d in result.diagnostics if d.severity == ERROR]
    if errors:
        raise InnerError(errors[0])
    if result.diagnostics or not isinstance(result.outputs, tuple):
        return None, None, None
    return result.outputs, result.total_params, result.non_trainable_params


def weight_count(node: LayerNode, shape: Output, trainable: bool | None) -> int | None:
    """How many values the layer's weights hold (only the trainable or non-trainable ones when
    ``trainable`` says which; with those of the layers its ``call`` runs in a Sequential); None
    when a size or a weight's ``trainable`` is unknown."""
    custom = node.custom
    assert custom is not None
    given = shape[1] if node.traced and isinstance(shape, list) and len(shape) == 2 else shape
    total: Any = 0
    if node.body is not None and not node.traced and trainable is False:
        total = through_body(node.body, shape)[2]
        if total is None:
            return None
    for weight_shape, weight_trainable in custom.weights:
        if trainable is not None:
            if not isinstance(weight_trainable, bool):
                return None
            if weight_trainable is not trainable:
                continue
        sizes = _resolve(weight_shape, custom.axes, given)
        if not isinstance(sizes, (tuple, list)) or any(d is None or not _size(d) for d in sizes):
            return None
        count: Any = 1
        for d in sizes:
            count = count * d
        total = total + count
    return None if has_anonymous(total) else total


def _size(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool) and value >= 0) or isinstance(value, Sym)


def _resolve(value: Any, axes: dict[str, tuple[Any, int]], given: Output) -> Any:
    """``value`` (a dim, or a tuple or list of them) with its input-shape names replaced by the
    input's sizes; None for a dim that cannot be (an unknown or ``None`` input size)."""
    if isinstance(value, (tuple, list)):
        return type(value)(_resolve(v, axes, given) for v in value)
    if not isinstance(value, Sym):
        return value

    def lookup(name: str, uid: Any) -> Any:
        if name not in axes:
            return Sym.named(name, uid)  # a builder's parameter: stays named
        index, axis = axes[name]
        shape = given
        if index is not None:
            shape = given[index] if isinstance(given, list) and -len(given) <= index < len(given) else None
        if not isinstance(shape, tuple) or not -len(shape) <= axis < len(shape) or shape[axis] is None:
            raise _Unsized
        return shape[axis]

    try:
        return evaluate_names(value, lookup)
    except _Unsized:
        return None
