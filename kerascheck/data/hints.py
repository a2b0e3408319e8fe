"""Hints: the likely cause of a data/model mismatch and its fix, in the user's terms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from kerascheck.data import losses, ops
from kerascheck.data.acceptance import adjust_rank, same_dims
from kerascheck.data.arrays import Array
from kerascheck.data.graphwalk import Step, recurrent, returns_sequences
from kerascheck.graph import LayerNode, TensorRef
from kerascheck.shapes.base import format_shape, rule_for

if TYPE_CHECKING:
    from kerascheck.data.checks import ModelData


def greater(value: Any, bound: int) -> bool:
    return isinstance(value, int) and value > bound


def counts_samples(shape: tuple, declared: tuple) -> bool:
    """The model's input is declared as the data's whole shape (``input_shape=X.shape``), samples first."""
    return len(shape) == len(declared) - 1 and len(shape) > 1 and None not in shape and same_dims(shape, declared[1:])


def feature_hint(shape: tuple, declared: tuple, method: str, data: ModelData, x: str = "X") -> Optional[str]:
    """The classic causes: a single sample, the sample count in input_shape, no channel axis,
    2D data for an RNN, time steps and features swapped; ``x`` is the array as written."""
    inner = declared[1:]
    if method.startswith("predict") and len(shape) < len(declared):
        one = adjust_rank((1,) + tuple(shape), declared)
        if one is not None and same_dims(one[1:], inner):
            return f"a single sample needs its batch axis: pass {x}[np.newaxis] (or np.expand_dims({x}, 0))"
    if len(shape) == len(declared) - 1:
        if counts_samples(shape, declared):
            written = "input_shape={}" if any(spec.from_layer_argument for spec in data.model.inputs) \
                else "keras.Input(shape={})"
            return (f"the input shape includes the sample count; use {written.format(x + '.shape[1:]')}, "
                    f"that is {format_shape(shape[1:])}")
        if len(shape) >= 3 and inner[0] == 1 and same_dims(shape[1:], inner[1:]):
            return f"the model expects the channel axis first (channels_first): use np.expand_dims({x}, 1)"
        if len(shape) >= 3 and same_dims(shape[1:], inner[:-1]):
            return (f"the arrays have no channel axis but the model expects {inner[-1]} channels; "
                    f"use input_shape={format_shape(tuple(shape[1:]) + (1,))} or give the data {inner[-1]} channels")
        if len(shape) == 2 and len(declared) == 3 and _feeds_rnn(data):
            steps, features = inner
            if greater(steps, 0) and greater(features, 0) and shape[1] == steps * features:
                return f"an RNN needs (samples, timesteps, features): use {x}.reshape(-1, {steps}, {features})"
            return (f"an RNN needs (samples, timesteps, features): reshape {x} to 3D, "
                    f"e.g. {x}.reshape(len({x}), -1, features)")
    if len(shape) == 3 and len(declared) == 3 and inner[0] != inner[1] and (shape[2], shape[1]) == tuple(inner):
        return (f"time steps and features are swapped: use np.transpose({x}, (0, 2, 1)) or "
                f"input_shape={format_shape(shape[1:])}")
    return None


def reshaped(name: str, shape: tuple) -> str:
    """``y = y.reshape(-1, 400)``: the call giving ``name`` this shape (its samples kept), or
    the shape in words when a size is unknown."""
    rest = shape[1:]
    if not all(isinstance(d, int) for d in rest):
        return f"reshape {name} to {format_shape(shape)}"
    return assigned(name, f"{name}.reshape({', '.join(['-1'] + [str(d) for d in rest])})")


def assigned(name: str, call: str) -> str:
    """``name = call`` when ``name`` can be assigned to as written (a name, ``data.x``), else ``use call``."""
    return f"{name} = {call}" if all(part.isidentifier() for part in name.split(".")) else f"use {call}"


def _feeds_rnn(data: ModelData) -> bool:
    first = TensorRef.of_input(0)
    return any(recurrent(step.node) is not None and data.model.calls[step.index].inputs == first
               for step in data.steps)


def label_hint(loss: losses.Loss, array: Array, output: tuple, data: ModelData, i: int, y: str = "y") -> Optional[str]:
    """Why labels do not fit output ``i`` under the loss, and the fix; ``y`` is the array as written."""
    labels = array.shape
    classes = output[-1]
    same_size = ops.product(labels[1:]) is not None and ops.product(labels[1:]) == ops.product(output[1:])
    if same_size and len(labels) != len(output) and not (len(labels) == len(output) + 1 and labels[-1] == 1):
        return f"the labels hold as many values as the output: {reshaped(y, labels[:1] + output[1:])}"
    if len(labels) == len(output) + 1 and len(output) == 2 and labels[-1] == 1:
        return _per_step_hint(labels, output, data, i, y)
    if len(labels) == 3 and len(output) == 2:
        return _per_step_hint(labels, output, data, i, y)
    if loss.name == "categorical_crossentropy" and greater(classes, 1) and (
            len(labels) == len(output) - 1 or (len(labels) == len(output) and labels[-1] == 1)):
        return (f"the labels look like class ids: use loss='sparse_categorical_crossentropy' "
                f"or keras.utils.to_categorical({y}, {classes})")
    if loss.name == "sparse_categorical_crossentropy" and len(labels) == len(output) and greater(labels[-1], 1):
        return ("the labels look one-hot: use loss='categorical_crossentropy' "
                f"or pass np.argmax({y}, axis=-1)")
    steps = data.output_chain(i)
    if steps and len(labels) == len(output) and isinstance(labels[-1], int) and labels[-1] != classes:
        return f"the {steps[0].type} on line {steps[0].line} has {classes} units; the labels have {labels[-1]}"
    return None


def _per_step_hint(labels: tuple, output: tuple, data: ModelData, i: int, y: str) -> str:
    """Seeds 0 and 2: labels per time step, a model that returns one value per sample."""
    length, per_step = labels[1], labels[2:]
    flat = length * ops.product(per_step) if isinstance(length, int) and ops.product(per_step) else None
    if flat is None:
        dense_fix = "or flatten the labels to match the output"
    elif per_step in ((), (1,)):
        dense_fix = f"or make the output Dense({flat}) and {reshaped(y, (labels[0], flat))}"
    else:
        dense_fix = f"or end the model with Dense({flat}) and Reshape({format_shape(labels[1:])})"
    plan = per_step_plan(length, data, i)
    if plan is None:
        return f"the output has no time axis; {dense_fix[3:]}"
    step, shrinking = plan
    keep = f", keeping {length} steps: {', '.join(f'{time_fix(s)} (line {s.line})' for s in shrinking)}" \
        if shrinking else ""
    return (f"the {step.type} on line {step.line} returns only its last step; for one output per step "
            f"set return_sequences=True there{keep}; {dense_fix}")


def per_step_plan(length: Any, data: ModelData, i: int) -> Optional[tuple[Step, list[Step]]]:
    """For labels of ``length`` steps and an output with none: the RNN (before output ``i``)
    that returns only its last step, and the layers before it that shorten the steps (last
    first), when returning sequences there with those layers keeping the length would give
    ``length`` steps."""
    steps = data.output_chain(i)
    for step in steps:
        rnn = recurrent(step.node)
        if rnn is None or returns_sequences(rnn):
            continue
        shrinking = [s for s in reversed(steps) if s.index < step.index
                     and isinstance(s.input, tuple) and isinstance(s.output, tuple) and len(s.input) == 3
                     and len(s.output) == 3 and s.input[1] != s.output[1]]
        model_length = data.inputs[0][1] if data.inputs and data.inputs[0] and len(data.inputs[0]) == 3 else None
        reaches = isinstance(step.input, tuple) and len(step.input) == 3 and step.input[1] == length
        return (step, shrinking) if reaches or (shrinking and model_length == length) else None
    return None


# the layers of steps that keep them all with padding='same' and a stride of 1
CONVOLUTIONS_1D = ("Conv1D", "SeparableConv1D", "DepthwiseConv1D", "Conv1DTranspose")


def time_fix(step: Step) -> str:
    """How a layer that changes the count of steps keeps them all: padding='same' on a 1D
    convolution (and strides=1 on a strided one), else the layer removed (a pooling, a
    cropping, a padding, an upsampling...)."""
    if step.type in CONVOLUTIONS_1D and isinstance(step.node, LayerNode):
        if rule_for(step.type).bind(step.node)["strides"] in (1, (1,), [1]):
            return f"padding='same' on the {step.type}"
        return f"strides=1 and padding='same' on the {step.type}"
    return f"remove the {step.type}"
