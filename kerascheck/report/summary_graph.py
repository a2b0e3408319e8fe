"""The graph a functional model's ``model.summary()`` walks in Keras 3, from kerascheck's graph.

Two things differ from the calls the frontend records:

- A Lambda's function runs on backend tensors: the ``keras.ops`` calls it makes are no
  operations of the model. They are folded away and the Lambda is connected to the tensors
  they took.
- Masks are tensors of the graph. ``Masking`` computes its mask with ``ops.not_equal`` and
  ``ops.any``, ``Embedding(mask_zero=True)`` with ``ops.not_equal``; a layer whose ``call``
  takes ``mask`` (a nested functional or Sequential model too) is connected to the mask of its
  input, which passes through the layers that support masking (keras/src/layers/layer.py,
  ``__call__`` steps 6 and 7). Those operations are rows of their own, named by Keras's
  session-wide counters (``not_equal_1``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from kerascheck.graph import UNKNOWN, LayerCall, LayerNode, ModelGraph, Position, TensorRef

if TYPE_CHECKING:
    from kerascheck.shapes.propagate import LayerResult, ModelResult

# Layers whose ``call`` takes ``mask`` (Keras passes the input's mask when it has one).
MASK_TAKERS = frozenset({
    "AdditiveAttention", "Attention", "BatchNormalization", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D",
    "ConvLSTM3D", "GRU", "GlobalAveragePooling1D", "GlobalAvgPool1D", "LSTM", "Lambda", "RNN", "SimpleRNN",
    "Softmax", "TimeDistributed"})
# Layers that support masking with Layer's own ``compute_mask``: the input's mask goes on.
MASK_KEEPERS = frozenset({
    "Activation", "ActivityRegularization", "AlphaDropout", "BatchNormalization", "Dense", "Dropout", "ELU",
    "GaussianDropout", "GaussianNoise", "GroupNormalization", "Identity", "LayerNormalization", "LeakyReLU",
    "Normalization", "PReLU", "ReLU", "Softmax", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
    "TimeDistributed", "UnitNormalization"})
# Recurrent layers: the mask goes on with the sequences (``return_sequences``), not the states.
_RECURRENT = frozenset({"LSTM", "GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"})
_DROPS_MASK = frozenset({"GlobalAveragePooling1D", "GlobalAvgPool1D", "Lambda"})  # compute_mask: None


@dataclass
class MaskOp:
    """An operation Keras adds to compute a mask: ``NotEqual`` or ``Any`` (its class name)."""

    type: str
    name: str | None  # None: Keras's number for it cannot be known


def mask_makers(call: LayerCall) -> list[str] | None:
    """The mask operations a call makes ([] none; None: it may make some, unknown which)."""
    layer = call.layer
    if isinstance(layer, ModelGraph):
        return [] if all(mask_makers(inner) == [] for inner in layer.calls) else None
    if not isinstance(layer, LayerNode) or call.inside_lambda:
        return []
    if layer.type == "Masking":
        return ["NotEqual", "Any"]
    if layer.type == "Embedding":
        zero = layer.kwargs.get("mask_zero", False)
        return ["NotEqual"] if zero is True else [] if zero is False else None
    return []


def _op_key(call: LayerCall) -> tuple[int, int, int]:
    return id(call.layer), call.position.line, call.position.column


def mask_op_names(events: list[tuple[ModelGraph, str, Position | None]]) -> dict[tuple[int, int, int], list[MaskOp]]:
    """Keras's names for the mask operations of the file's calls (keyed by ``_op_key``).

    ``events`` are the file's models as Keras makes and builds them (``summary.session_events``).
    Each call of a mask-making layer makes its operations again, so each build of a Sequential
    does. After anything whose operations kerascheck cannot count (an explicit
    ``ops.not_equal``, a model used as a layer that makes masks, a subclassed model's calls, a
    build at an unknown time), the names are unknown. A subclassed model's calls are taken after
    the models it uses are made (those its ``__init__`` makes come after it in ``events``):
    Keras runs them only when the model is called.
    """
    counts = {"NotEqual": 0, "Any": 0}
    names: dict[tuple[int, int, int], list[MaskOp]] = {}
    certain = True

    def take(kind: str) -> str | None:
        n = counts[kind]
        counts[kind] = n + 1
        prefix = "not_equal" if kind == "NotEqual" else "any"
        return (prefix if n == 0 else f"{prefix}_{n}") if certain else None

    def run(model: ModelGraph, what: str, build: Position | None) -> None:
        nonlocal certain
        if model.kind == "sequential" and what == "made":
            return  # its layers are called when it is built
        if model.kind == "sequential":
            present = [c for c in model.calls if build is None or not _after(c.position, build)]
        else:
            present = model.calls
        for call in present:
            if isinstance(call.layer, LayerNode) and call.layer.type in ("ops.not_equal", "ops.any"):
                certain = False  # named by propagate, with the layers
            makers = mask_makers(call)
            if makers is None or (makers and (model.kind == "subclassed" or what == "built later")):
                certain = False
                continue
            if model.kind == "sequential" or _op_key(call) not in names:
                made = [MaskOp(kind, take(kind)) for kind in makers]
                if model.kind != "sequential":
                    names[_op_key(call)] = made

    waiting: list[tuple[ModelGraph, str, Position | None, set[int]]] = []  # subclassed, innermost last
    for model, what, build in events:
        while waiting and id(model) not in waiting[-1][3]:
            run(*waiting.pop()[:3])
        if model.kind == "subclassed":
            waiting.append((model, what, build, _models_used(model)))
        else:
            run(model, what, build)
    while waiting:
        run(*waiting.pop()[:3])
    return names


def _models_used(model: ModelGraph) -> set[int]:
    """The models (by ``id``) a model calls, and those they call."""
    found: set[int] = set()
    stack = [model]
    while stack:
        for call in stack.pop().calls:
            if isinstance(call.layer, ModelGraph) and id(call.layer) not in found:
                found.add(id(call.layer))
                stack.append(call.layer)
    return found


def _after(position: Position, build: Position) -> bool:
    return (position.line, position.column) > (build.line, build.column)


def _first_input(inputs: Any) -> Any:
    while isinstance(inputs, list):
        if not inputs:
            return UNKNOWN
        inputs = inputs[0]
    return inputs


def layer_keys(model: ModelGraph) -> list[Any]:
    """The objects propagate made rows for, in its order: functional inputs, then layers, each
    once (an input given twice, ``keras.Model([x, x], ...)``, has one row; a layer run at once
    on constants, ``LayerCall.eager``, none for that call)."""
    keys: list[Any] = []
    seen: set[int] = set()
    for key in model.inputs if model.kind == "functional" else []:
        if id(key) not in seen:
            seen.add(id(key))
            keys.append(key)
    for call in model.calls:
        if call.eager and isinstance(call.layer, LayerNode):
            continue
        if id(call.layer) not in seen and isinstance(call.layer, (LayerNode, ModelGraph)):
            seen.add(id(call.layer))
            keys.append(call.layer)
    return keys


def flat(inputs: Any) -> list[Any]:
    if isinstance(inputs, (list, tuple)):
        return [ref for item in inputs for ref in flat(item)]
    return [inputs]


def _takes_mask(layer: Any) -> bool:
    """Whether Keras passes the input's mask to the layer's ``call``: a layer of MASK_TAKERS, or
    a functional or Sequential model (``Functional.call`` and ``Sequential.call`` take it)."""
    if isinstance(layer, ModelGraph):
        return layer.kind in ("functional", "sequential")
    return isinstance(layer, LayerNode) and layer.type in MASK_TAKERS


def _output_masks(layer: Any, mask: Any, made: Any) -> Any:
    """A call's output mask (one, or a list per output) from its input's ``mask``: None, a
    TensorRef, or UNKNOWN. ``made``: the mask its own operations compute."""
    if made is not None:
        return made
    if isinstance(layer, ModelGraph):
        return None if mask is None else UNKNOWN
    kind = layer.type if isinstance(layer, LayerNode) else None
    if mask is None or kind in _DROPS_MASK:
        return None
    if kind in _RECURRENT or kind == "Bidirectional":
        found = layer
        if kind == "Bidirectional":
            inner = layer.kwargs.get("layer", layer.args[0] if layer.args else None)
            found = inner if isinstance(inner, LayerNode) else None
        sequences = found.kwargs.get("return_sequences", False) if found is not None else UNKNOWN
        states = found.kwargs.get("return_state", False) if found is not None else UNKNOWN
        if sequences not in (True, False) or states not in (True, False):
            return UNKNOWN
        out = mask if sequences else None
        if kind == "Bidirectional" and layer.kwargs.get("merge_mode", "concat") is None:
            return [out, out]
        return out
    if kind in MASK_KEEPERS:
        return mask
    if kind in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
                "Attention", "AdditiveAttention", "MultiHeadAttention", "GroupQueryAttention", "Embedding"):
        return UNKNOWN  # their own compute_mask, with operations of its own
    return None  # the layer does not support masking: Keras drops the mask


def keras_graph(result: ModelResult, op_names: dict[tuple[int, int, int], list[MaskOp]]) -> ModelResult:
    """``result`` with its model and rows as Keras's summary has them: Lambda bodies folded,
    layers run at once on constants left out (their results are constants), mask operations
    added (named from ``op_names``, see ``mask_op_names``). Unchanged when its rows cannot be
    matched to its calls."""
    from kerascheck.shapes.propagate import LayerResult

    model = result.model
    keys = layer_keys(model)
    if len(keys) != len(result.layers):
        return result
    row_of: dict[int, LayerResult] = {id(key): row for key, row in zip(keys, result.layers)}
    inside = {i for i, call in enumerate(model.calls) if call.inside_lambda}
    new_index: dict[int, int] = {}
    masks: dict[tuple[int, int], Any] = {}  # (new call index, output) -> mask
    calls: list[LayerCall] = []

    def moved(ref: Any) -> Any:
        if isinstance(ref, list):
            return [moved(item) for item in ref]
        if isinstance(ref, TensorRef) and ref.call is not None:
            return TensorRef.of_call(new_index[ref.call], ref.index) if ref.call in new_index else UNKNOWN
        return ref

    def outside(ref: Any) -> list[Any]:
        """The tensors a Lambda's function took, for a reference to what it computed."""
        if isinstance(ref, TensorRef) and ref.call in inside:
            return [found for parent in flat(model.calls[ref.call].inputs) for found in outside(parent)]
        return [moved(ref)]

    def mask_of(ref: Any) -> Any:
        if isinstance(ref, TensorRef) and ref.call is not None:
            return masks.get((ref.call, ref.index))
        return None if isinstance(ref, TensorRef) else UNKNOWN

    for index, call in enumerate(model.calls):
        if index in inside:
            continue
        if call.eager and isinstance(call.layer, LayerNode):
            continue  # run at once on constants: its result is a constant of the model, read by no node
        if any(isinstance(r, TensorRef) and r.call in inside for r in flat(call.inputs)):
            taken: list[Any] = []
            for ref in flat(call.inputs):
                taken += [r for r in outside(ref) if r not in taken]
            inputs = taken[0] if len(taken) == 1 else taken
        else:
            inputs = moved(call.inputs)
        mask = mask_of(_first_input(inputs))
        if isinstance(inputs, list) and any(mask_of(ref) is not None for ref in flat(inputs)):
            mask = UNKNOWN  # the masks of several tensors: their layers' own compute_mask
        if _takes_mask(call.layer) and mask is not None:
            if isinstance(inputs, list) or mask is UNKNOWN or UNKNOWN in call.call_kwargs.values():
                mask = UNKNOWN  # several tensors, or a mask kerascheck cannot follow
            else:
                inputs = [inputs, mask]
        new_index[index] = len(calls)
        calls.append(replace(call, inputs=inputs))
        makers = mask_makers(call)
        ops = op_names.get(_op_key(call), [])
        made: Any = UNKNOWN if makers is None or (makers and not ops) else None
        shape = _input_shape(result, index, call, row_of)
        for op in ops:
            made_from = TensorRef.of_call(len(calls) - 1) if op.type == "Any" else inputs
            node = LayerNode(op.type, (), {}, call.position)
            out = shape[:-1] if op.type == "Any" and isinstance(shape, tuple) and shape else shape
            row_of[id(node)] = LayerResult(op.name or "?", op.type, call.position.line, out, 0, True)
            calls.append(LayerCall(node, made_from, call.position))
            made = TensorRef.of_call(len(calls) - 1)
        out_masks = _output_masks(call.layer, mask, made)  # the other outputs (states) carry none
        for k, value in enumerate(out_masks if isinstance(out_masks, list) else [out_masks]):
            masks[(new_index[index], k)] = value
    view = replace(model, calls=calls, outputs=moved(model.outputs))
    rows = [row_of[id(key)] for key in layer_keys(view)]
    return replace(result, model=view, layers=rows)


def _input_shape(result: ModelResult, index: int, call: LayerCall, row_of: dict[int, LayerResult]) -> Any:
    """The shape of a call's (first) input, as propagate found it (None: unknown)."""
    if result.calls is not None and index < len(result.calls):
        shape = result.calls[index][0]
        return shape[0] if isinstance(shape, list) and shape else shape
    ref = _first_input(call.inputs)
    model = result.model
    if isinstance(ref, TensorRef) and ref.input is not None and ref.input < len(model.inputs):
        row = row_of.get(id(model.inputs[ref.input]))
        return row.output if row is not None else None
    if isinstance(ref, TensorRef) and ref.call is not None:
        producer = model.calls[ref.call].layer
        if sum(c.layer is producer for c in model.calls) == 1 and id(producer) in row_of:
            output = row_of[id(producer)].output
            return output[ref.index] if isinstance(output, list) and ref.index < len(output) else output
    return None
