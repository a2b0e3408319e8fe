"""Turn graph objects into real Keras objects (TensorFlow imported by the caller's process).

``build_model`` rebuilds a whole ModelGraph call by call from the graph alone (layer types,
resolved arguments, connections): the user's file is never imported or run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kerascheck.data.arrays import Array
from kerascheck.graph import UNKNOWN, LayerNode, ModelGraph, Opaque, TensorRef
from kerascheck.shapes.base import rule_for


class NotBuildable(Exception):
    """The graph holds something that cannot be rebuilt (an unknown value, a Lambda body...)."""


@dataclass
class Built:
    """What Keras made of a layer on an input: its output shape(s) and parameter count."""

    output: Any  # tuple, or list of tuples
    params: int


def import_keras(version: int = 3) -> Any:
    """The Keras module for a major version: ``keras`` (3) or ``tf_keras`` (2)."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if version == 2:
        import tf_keras

        return tf_keras
    import keras

    return keras


def to_python(value: Any, keras: Any) -> Any:
    """A resolved argument value as Keras should receive it."""
    if value is UNKNOWN:
        raise NotBuildable("an argument could not be resolved statically")
    if isinstance(value, Opaque):
        raise NotBuildable(f"the argument {value.text} is not rebuilt")
    if isinstance(value, LayerNode):
        return make_layer(value, keras)
    if isinstance(value, Array):  # initial weights=: zeros of the array's shape
        if value.shape is None or not all(isinstance(d, int) for d in value.shape):
            raise NotBuildable("an array argument of unknown shape is not rebuilt")
        import numpy as np

        return np.zeros(value.shape, dtype="float32")
    if isinstance(value, tuple):
        return tuple(to_python(v, keras) for v in value)
    if isinstance(value, list):
        return [to_python(v, keras) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v, keras) for k, v in value.items()}
    return value


def make_layer(node: LayerNode, keras: Any) -> Any:
    """Instantiate the layer a node describes (raises what Keras raises for bad arguments)."""
    if isinstance(node, ModelGraph):
        raise NotBuildable("a model used as a layer is not rebuilt")
    if node.type == "Lambda":
        return _lambda_stand_in(node, keras)
    if node.type.startswith("ops."):
        return _OpStandIn(node, keras)
    cls = getattr(keras.layers, node.type, None)
    if cls is None:
        raise NotBuildable(f"{node.type} is not a layer of keras.layers (custom layers are not rebuilt)")
    args = [to_python(v, keras) for v in node.args]
    kwargs = {k: to_python(v, keras) for k, v in node.kwargs.items()}
    if node.image_data_format is UNKNOWN:
        raise NotBuildable("the image data format it was made under is not known")
    # A layer takes the backend's image data format of when it is made (K.set_image_data_format).
    saved = keras.backend.image_data_format()
    keras.backend.set_image_data_format(node.image_data_format)
    try:
        return cls(*args, **kwargs)
    finally:
        keras.backend.set_image_data_format(saved)


def _lambda_stand_in(node: LayerNode, keras: Any) -> Any:
    """A Lambda whose function is never run: Keras 3 takes a literal ``output_shape`` on trust.

    (tf-keras runs the function on symbolic inputs, so nothing can stand in for it there.)
    """
    declared = node.args[1] if len(node.args) > 1 else node.kwargs.get("output_shape")
    if not isinstance(declared, tuple) or not keras.__version__.startswith("3"):
        raise NotBuildable("a Lambda runs your code, which verify never executes")
    rest = [to_python(v, keras) for v in node.args[2:]]
    kwargs = {k: to_python(v, keras) for k, v in node.kwargs.items() if k not in ("function", "output_shape")}
    return keras.layers.Lambda(lambda x: x, to_python(declared, keras), *rest, **kwargs)


class _OpStandIn:
    """A ``keras.ops`` pseudo layer (``ops.reshape``): the op applied to the tensors, no weights."""

    def __init__(self, node: LayerNode, keras: Any) -> None:
        self.type = node.type
        self.function = getattr(keras.ops, node.type[len("ops."):], None)
        if self.function is None:
            raise NotBuildable(f"keras.ops has no {node.type[len('ops.'):]}")
        self.args = [to_python(v, keras) for v in node.args]
        self.kwargs = {k: to_python(v, keras) for k, v in node.kwargs.items()}

    def __call__(self, inputs: Any, **kwargs: Any) -> Any:
        operands = rule_for(self.type).operands
        if not operands:
            return self.function(inputs, *self.args, **self.kwargs, **kwargs)
        tensors = iter(inputs if isinstance(inputs, list) else [inputs])
        filled = {name: next(tensors) for name in operands if name not in self.kwargs}
        return self.function(*self.args, **self.kwargs, **filled, **kwargs)

    def count_params(self) -> int:
        return 0


def _call(layer: Any, node: Any, inputs: Any, kwargs: dict[str, Any]) -> Any:
    """Apply a built layer the way the source called it.

    A Sequential's ``InputLayer`` is not called: it *is* the model's input tensor. The layers
    in ``SEPARATE_TENSOR_ARGS`` get their list of tensors as positional arguments.
    """
    node_type = getattr(node, "type", None)
    if node_type == "InputLayer":
        return layer.output
    if node_type in SEPARATE_TENSOR_ARGS and isinstance(inputs, list):
        return layer(*inputs, **kwargs)
    return layer(inputs, **kwargs)


def wrapped_rejection(node: Any, input_shape: Any, keras: Any) -> str | None:
    """Keras's error for the layer inside ``TimeDistributed`` on one step's shape, if any.

    Keras 3's TimeDistributed computes its output shape without calling the inner layer, so
    an inner layer that rejects the per-step input (wrong rank...) still builds, and fails or
    computes garbage only on data: the inner layer's own rejection is Keras's answer.
    """
    if getattr(node, "type", None) != "TimeDistributed" or not isinstance(input_shape, tuple):
        return None
    inner = node.args[0] if node.args else node.kwargs.get("layer")
    if not isinstance(inner, LayerNode) or len(input_shape) < 3:
        return None
    try:
        make_layer(inner, keras)(keras.Input(batch_shape=(input_shape[0], *input_shape[2:])))
    except NotBuildable:
        return None
    except Exception as error:  # what the inner layer raises on one step
        return f"the wrapped {inner.type} rejects one step of shape {(input_shape[0], *input_shape[2:])}: " \
               f"{keras_message(error)}"
    return None


def _shape(tensor: Any) -> tuple:
    return tuple(None if d is None else int(d) for d in tensor.shape)


# Layers whose call takes its tensors as separate arguments: ``mha(query, value, key)``.
SEPARATE_TENSOR_ARGS = frozenset({"MultiHeadAttention", "GroupQueryAttention"})


def apply_layer(node: LayerNode, input_shape: Any, keras: Any, call_kwargs: dict | None = None) -> Built:
    """Build the layer on symbolic inputs of ``input_shape`` (a tuple, or a list for merges).

    For the layers in ``SEPARATE_TENSOR_ARGS`` the list is passed as positional arguments.
    ``call_kwargs`` are passed to the call; a tuple value there is a tensor of that shape.
    """
    layer = make_layer(node, keras)
    if isinstance(input_shape, list):
        inputs = [keras.Input(batch_shape=s) for s in input_shape]
    else:
        inputs = keras.Input(batch_shape=input_shape)
    kwargs = {k: keras.Input(batch_shape=v) if isinstance(v, tuple) else v
              for k, v in (call_kwargs or {}).items()}
    out = _call(layer, node, inputs, kwargs)
    output = [_shape(t) for t in out] if isinstance(out, (list, tuple)) else _shape(out)
    return Built(output, int(layer.count_params()))


@dataclass
class CallOutcome:
    """What Keras did with one call of a ModelGraph.

    ``status``: ``"built"`` (``output``, ``params``), ``"rejected"`` (``message`` is Keras's
    error), ``"unbuildable"`` (``message`` says why the graph cannot be rebuilt here) or
    ``"skipped"`` (an input was not built; ``blocked_by`` is the call index that stopped it,
    or ``-1 - i`` for model input *i*).
    """

    status: str
    output: Any = None
    params: int | None = None
    message: str = ""
    blocked_by: int | None = None


class _Missing(Exception):
    """An input tensor of a call was not built."""

    def __init__(self, blocked_by: int | None, message: str) -> None:
        super().__init__(message)
        self.blocked_by = blocked_by
        self.message = message


def keras_message(error: BaseException | str) -> str:
    """Keras's error (or its text) as one line: the cause, without the call-context boilerplate."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("Exception encountered", "Arguments received", "Call arguments received", "\u2022")):
            continue
        lines.append(line)
    message = " ".join(lines) or type(error).__name__
    return message if len(message) <= 300 else message[:297] + "..."


def build_model(model: ModelGraph, keras: Any) -> list[CallOutcome]:
    """Rebuild ``model`` in Keras call by call; one outcome per call, never raises for a call."""
    return rebuild(model, keras)[0]


def rebuild(model: ModelGraph, keras: Any) -> tuple[list[CallOutcome], dict[TensorRef, Any]]:
    """``build_model``'s outcomes, and the Keras tensors built (keyed by the graph's refs)."""
    tensors: dict[TensorRef, Any] = {}
    missing: dict[TensorRef, _Missing] = {}
    for i, spec in enumerate(model.inputs):
        ref = TensorRef.of_input(i)
        shape = spec.shape
        if isinstance(shape, tuple) and all(d is None or (isinstance(d, int) and not isinstance(d, bool))
                                            for d in shape):
            dtype = spec.dtype if isinstance(spec.dtype, str) else None
            name = spec.name if isinstance(spec.name, str) else None  # data given as a dict names it
            tensors[ref] = keras.Input(batch_shape=shape, dtype=dtype, name=name)
        else:
            missing[ref] = _Missing(-1 - i, f"the shape of input {i} is not known")
    if not model.inputs:
        missing[TensorRef.of_input(0)] = _Missing(-1, "the model has no input shape")
    layers: dict[int, Any] = {}
    failed: dict[int, CallOutcome] = {}
    outcomes: list[CallOutcome] = []
    for index, call in enumerate(model.calls):
        outcome = _build_call(index, call, keras, tensors, missing, layers, failed)
        outcomes.append(outcome)
        if outcome.status != "built":
            blocked_by = index if outcome.blocked_by is None else outcome.blocked_by
            reason = _Missing(blocked_by, outcome.message)
            for k in range(_output_count(model, index)):
                missing[TensorRef.of_call(index, k)] = reason
    return outcomes, tensors


def _output_count(model: ModelGraph, index: int) -> int:
    """How many outputs of call ``index`` the graph uses (at least one)."""
    used = [0]

    def visit(value: Any) -> None:
        if isinstance(value, TensorRef) and value.call == index:
            used.append(value.index + 1)
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    for call in model.calls:
        visit(call.inputs)
        visit(call.call_kwargs)
    visit(model.outputs)
    return max(max(used), 1)


def _build_call(index: int, call: Any, keras: Any, tensors: dict, missing: dict, layers: dict,
                failed: dict) -> CallOutcome:
    node = call.layer
    if id(node) in failed:
        first = failed[id(node)]
        return CallOutcome("skipped", message=first.message, blocked_by=first.blocked_by)
    # The layer is created first: Keras checks its arguments even when its input is unknown.
    layer = layers.get(id(node))
    not_buildable = None
    if layer is None:
        try:
            layer = layers[id(node)] = make_layer(node, keras)
        except NotBuildable as error:
            not_buildable = str(error)
        except Exception as error:  # Keras rejects the arguments
            failed[id(node)] = CallOutcome("skipped", message=keras_message(error), blocked_by=index)
            return CallOutcome("rejected", message=keras_message(error))
    try:
        if getattr(node, "type", None) == "InputLayer":
            inputs = None  # a Sequential's InputLayer starts the model: it has no input
        else:
            inputs = tensors_of(call.inputs, tensors, missing)
        kwargs = {k: tensors_of(v, tensors, missing) for k, v in call.call_kwargs.items()}
    except _Missing as gap:
        return CallOutcome("skipped", message=gap.message, blocked_by=gap.blocked_by)
    except NotBuildable as error:
        return CallOutcome("unbuildable", message=str(error))
    if not_buildable is not None:
        failed[id(node)] = CallOutcome("skipped", message=not_buildable, blocked_by=index)
        return CallOutcome("unbuildable", message=not_buildable)
    try:
        out = _call(layer, node, inputs, kwargs)
    except Exception as error:  # Keras rejects the input
        return CallOutcome("rejected", message=keras_message(error))
    inner_error = wrapped_rejection(node, _shape(inputs) if hasattr(inputs, "shape") else None, keras)
    if inner_error is not None:
        return CallOutcome("rejected", message=inner_error)
    if isinstance(out, (list, tuple)):
        for k, tensor in enumerate(out):
            tensors[TensorRef.of_call(index, k)] = tensor
        output: Any = [_shape(t) for t in out]
    else:
        tensors[TensorRef.of_call(index, 0)] = out
        output = _shape(out)
    return CallOutcome("built", output, int(layer.count_params()))


def tensors_of(value: Any, tensors: dict, missing: dict) -> Any:
    """A call's inputs or keyword arguments with TensorRefs replaced by the built tensors."""
    if isinstance(value, TensorRef):
        if value in tensors:
            return tensors[value]
        raise missing.get(value) or _Missing(None, "an input tensor was not traced")
    if isinstance(value, list):
        return [tensors_of(v, tensors, missing) for v in value]
    if isinstance(value, tuple):
        return tuple(tensors_of(v, tensors, missing) for v in value)
    if isinstance(value, dict):
        return {k: tensors_of(v, tensors, missing) for k, v in value.items()}
    if value is UNKNOWN:
        raise NotBuildable("an input tensor could not be traced")
    if isinstance(value, Opaque):
        raise NotBuildable(f"the call argument {value.text} is not rebuilt")
    return value
