"""Where the Keras ``None`` a layer would size its weights from came from, and how to fix it.

A ``None`` past the batch axis starts at a model input (``Input(shape=(None, 20))``) or at a
layer that makes one, and the layers after it keep it (Flatten folds the variable time axis into
the features). The hint names the start, the layers that kept it and the usual repair; where a
Flatten folded a variable time axis into the features, the fix (unsafe: the model then averages
over time) is GlobalAveragePooling1D in its place.
"""

from __future__ import annotations

from typing import Any, Callable

from kerascheck.graph import LayerNode, ModelGraph, TensorRef
from kerascheck.repairs import Fix, ReplaceLayer
from kerascheck.shapes.base import UnsizedAxis, format_shape, rule_for

# Layers that turn a variable-length axis into features (their output's last axis is None).
_FOLDING = ("Flatten", "Reshape")
_FOLD_ADVICE = ("use GlobalAveragePooling1D or GlobalMaxPooling1D, an LSTM without return_sequences, "
                "or a fixed length instead")


def unsized_hint(error: UnsizedAxis, ref: TensorRef, shape_of: Callable[[TensorRef], Any],
                 model: ModelGraph) -> str:
    """``the None comes from Input(shape=(None, 20)) on line 3, kept by Flatten (line 5); use...``"""
    kept: list[tuple[str, int]] = []
    origin = "the input"
    while True:
        if ref.call is None:
            spec = model.inputs[ref.input]
            shape = spec.shape
            shown = format_shape(shape[1:]) if isinstance(shape, tuple) else "?"
            origin = f"Input(shape={shown}) on line {spec.position.line}"
            break
        call = model.calls[ref.call]
        source = call.inputs if isinstance(call.inputs, TensorRef) else None
        if source is None or not _has_none(shape_of(source)):
            origin = f"the {_type(call.layer)} on line {call.position.line}"
            break
        kept.append((_type(call.layer), call.position.line))
        ref = source
    kept.reverse()
    parts = [f"the None comes from {origin}"]
    if kept:
        parts[0] += ", kept by " + ", ".join(f"{name} (line {line})" for name, line in kept)
    if error.axis == -1 and any(name in _FOLDING for name, _ in kept):
        parts.append(_FOLD_ADVICE)
    elif not kept and ref.call is None:
        parts.append(f"give that Input a known size on axis {error.axis}")
    else:
        parts.append("give that axis a fixed size")
    keras3, tf_keras = error.keras_errors
    quoted = f"Keras 3 raises '{keras3}'" + (f", tf-keras '{tf_keras}'" if tf_keras else "")
    return "; ".join(parts + [quoted])


def unsized_fix(error: UnsizedAxis, ref: TensorRef, shape_of: Callable[[TensorRef], Any],
                model: ModelGraph) -> Fix | None:
    """GlobalAveragePooling1D instead of the Flatten that folded a ``None`` time axis of
    (batch, None, features) into the last axis a weight is sized from; the Flatten's output
    read by nothing else."""
    if error.axis != -1:
        return None
    while ref.call is not None:
        call = model.calls[ref.call]
        source = call.inputs if isinstance(call.inputs, TensorRef) else None
        if source is None or not _has_none(shape_of(source)):
            return None
        node, shape = call.layer, shape_of(source)
        if _type(node) == "Flatten":
            if node.args or set(node.kwargs) - {"name"} or len(shape) != 3 or shape[1] is not None \
                    or not isinstance(shape[2], int) or len(model.readers(ref)) != 1:
                return None
            return Fix(f"GlobalAveragePooling1D() instead of the Flatten on line {node.position.line}",
                       (ReplaceLayer(node.position, "GlobalAveragePooling1D()"),), Fix.UNSAFE)
        if _type(node) in _FOLDING:
            return None
        ref = source
    return None


def _has_none(shape: Any) -> bool:
    return isinstance(shape, tuple) and None in shape[1:]


def _type(node: Any) -> str:
    if isinstance(node, LayerNode):
        rule = rule_for(node.type)
        return rule.types[0] if rule else node.type
    return "model"
