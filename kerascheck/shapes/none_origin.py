"""Where the Keras ``None`` a layer would size its weights from came from, and how to fix it.

A ``None`` past the batch axis starts at a model input (``Input(shape=(None, 20))``) or at a
layer that makes one, and the layers after it keep it (Flatten folds the variable time axis into
the features). The hint names the start, the layers that kept it and the usual repair; where a
Flatten or a ``Reshape((-1,))`` folded variable steps or image sides into the features, the fix
(unsafe: the model then averages over them) is the global average pooling of that rank in its
place: GlobalAveragePooling1D for (batch, None, features), 2D and 3D for images and volumes.
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
_FOLD_ADVICE_SPATIAL = "use GlobalAveragePooling{n}D or GlobalMaxPooling{n}D, or a fixed size instead"


def unsized_hint(error: UnsizedAxis, ref: TensorRef, shape_of: Callable[[TensorRef], Any],
                 model: ModelGraph) -> str:
    """``the None comes from Input(shape=(None, 20)) on line 3, kept by Flatten (line 5); use...``"""
    kept: list[tuple[str, int]] = []
    folded = None  # (shape received, type, line) of the folding layer nearest the error
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
        if _type(call.layer) in _FOLDING and folded is None:
            folded = (shape_of(source), _type(call.layer), call.position.line)
        ref = source
    kept.reverse()
    parts = [f"the None comes from {origin}"]
    if kept:
        parts[0] += ", kept by " + ", ".join(f"{name} (line {line})" for name, line in kept)
    if error.axis == -1 and folded is not None:
        received, name, line = folded
        if None not in received[1:-1]:  # only the features were None: no pooling sizes them
            parts.append(f"give the last axis a fixed size before the {name} on line {line}")
        else:
            parts.append(_FOLD_ADVICE_SPATIAL.format(n=len(received) - 2) if len(received) in (4, 5) else _FOLD_ADVICE)
    elif not kept and ref.call is None:
        parts.append(f"give that Input a known size on axis {error.axis}")
    else:
        parts.append("give that axis a fixed size")
    keras3, tf_keras = error.keras_errors
    quoted = f"Keras 3 raises '{keras3}'" + (f", tf-keras '{tf_keras}'" if tf_keras else "")
    return "; ".join(parts + [quoted])


def unsized_fix(error: UnsizedAxis, ref: TensorRef, shape_of: Callable[[TensorRef], Any],
                model: ModelGraph) -> Fix | None:
    """The global average pooling of its rank instead of the Flatten or ``Reshape((-1,))`` that
    folded a ``None`` step or side of (batch, ..., features) into the last axis a weight is sized
    from; the folded output read by nothing else."""
    if error.axis != -1:
        return None
    while ref.call is not None:
        call = model.calls[ref.call]
        source = call.inputs if isinstance(call.inputs, TensorRef) else None
        if source is None or not _has_none(shape_of(source)):
            return None
        node, shape = call.layer, shape_of(source)
        if _type(node) in _FOLDING:
            if not _folds_everything(node) or not 3 <= len(shape) <= 5 or not isinstance(shape[-1], int) \
                    or None not in shape[1:-1] or len(model.readers(ref)) != 1:
                return None
            pooling = f"GlobalAveragePooling{len(shape) - 2}D()"
            return Fix(f"{pooling} instead of the {_type(node)} on line {node.position.line}",
                       (ReplaceLayer(node.position, pooling),), Fix.UNSAFE)
        ref = source
    return None


def _folds_everything(node: Any) -> bool:
    """``Flatten()`` or ``Reshape((-1,))`` (a ``name=`` aside): all but the batch axis into one."""
    if not isinstance(node, LayerNode):
        return False
    if _type(node) == "Flatten":
        return not node.args and set(node.kwargs) <= {"name"}
    target = node.args[0] if node.args else node.kwargs.get("target_shape")
    return len(node.args) <= 1 and set(node.kwargs) <= {"name", "target_shape"} \
        and isinstance(target, (tuple, list)) and tuple(target) == (-1,)


def _has_none(shape: Any) -> bool:
    return isinstance(shape, tuple) and None in shape[1:]


def _type(node: Any) -> str:
    if isinstance(node, LayerNode):
        rule = rule_for(node.type)
        return rule.types[0] if rule else node.type
    return "model"
