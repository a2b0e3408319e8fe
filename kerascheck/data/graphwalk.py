"""Per-call shapes of a model for given input shapes, and the facts the data checks read.

Propagation (shapes/propagate.py) keeps one row per layer; the data checks need every call's
input and output shape, for the declared inputs and again for the data's shapes, to see which
layer a mismatching array would break and which layers produce the output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from kerascheck.graph import LayerNode, ModelGraph, TensorRef
from kerascheck.shapes.base import KERAS3, ShapeError, UnsizedAxis, infer, rule_for
from kerascheck.shapes.symbolic import anonymous_dims, erase

if TYPE_CHECKING:
    from kerascheck.shapes.propagate import ModelResult


@dataclass
class Step:
    """One layer call: its input and output shapes, parameters, or the error Keras would raise."""

    index: int
    node: Any  # LayerNode or ModelGraph
    input: Any
    output: Any
    params: Optional[int]
    error: Optional[ShapeError] = None

    @property
    def type(self) -> str:
        if isinstance(self.node, LayerNode):
            rule = rule_for(self.node.type)
            return rule.types[0] if rule else self.node.type
        return "Model"

    @property
    def line(self) -> int:
        return self.node.position.line


def walk(model: ModelGraph, input_shapes: list) -> list[Step]:
    """Apply every call's rule in order, starting from ``input_shapes`` (batch dim included),
    with Keras 3's rules whatever the model's version."""
    shapes: dict[TensorRef, Any] = {TensorRef.of_input(i): s for i, s in enumerate(input_shapes)}
    steps = []
    for index, call in enumerate(model.calls):
        in_shape = lookup(call.inputs, shapes)
        output, params, error = None, None, None
        try:
            result = infer(call.layer, in_shape, False, KERAS3)
            output, params = result.output, result.params
        except UnsizedAxis:
            output, params = _unsized_data(call.layer, in_shape), None
        except ShapeError as raised:
            error = raised
        except Exception:  # a rule's bug on shapes it never saw must not cost the file its checks
            output, params = None, None
        for k, shape in enumerate(output if isinstance(output, list) else [output]):
            shapes[TensorRef.of_call(index, k)] = shape
        steps.append(_data_step(Step(index, call.layer, in_shape, output, params, error)))
    return steps


def _data_step(step: Step) -> Step:
    """The step as data checks read it: a size kerascheck does not know (an anonymous or named
    dim, from an unknown argument) is None there, like an unknown data dim."""
    step.input, step.output = erase(step.input), erase(step.output)
    return step


def _unsized_data(node: Any, shape: Any) -> Any:
    """The output for data whose unknown size (None) sits where the layer sizes its weights: a
    data dim is unknown, not Keras's None, so the layer's output with that dim unknown."""
    try:
        return erase(infer(node, anonymous_dims(shape, id(node)), False, KERAS3).output)
    except ShapeError:
        return None


def walked(result: ModelResult) -> list[Step]:
    """``walk`` from a propagation result's inputs, reusing the shapes propagation inferred
    for each call when they are ``recorded``."""
    if not recorded(result):
        return walk(result.model, list(result.inputs))
    return [_data_step(Step(index, call.layer, *shapes))
            for index, (call, shapes) in enumerate(zip(result.model.calls, result.calls))]


def recorded(result: ModelResult) -> bool:
    """Whether propagation recorded each call's shapes (``ModelResult.calls``) under the Keras
    version a walk infers with (propagation infers with the model's; ``walk`` with Keras 3's)."""
    return result.calls is not None and result.model.keras_version == KERAS3.keras_version


def recorded_step(result: ModelResult, index: int) -> Step:
    """``walked(result)[index]`` alone, for a result whose shapes are ``recorded``."""
    return _data_step(Step(index, result.model.calls[index].layer, *result.calls[index]))


def lookup(inputs: Any, shapes: dict) -> Any:
    if isinstance(inputs, TensorRef):
        return shapes.get(inputs)
    if isinstance(inputs, (list, tuple)):
        return [lookup(x, shapes) for x in inputs]
    return None


def output_refs(model: ModelGraph) -> list[Any]:
    """The model's outputs as a list of TensorRefs (UNKNOWN entries when not traced)."""
    outputs = model.outputs
    if isinstance(outputs, (list, tuple)):
        return list(outputs)
    return [outputs] if outputs is not None else []


def chain(model: ModelGraph, ref: Any) -> list[int]:
    """Call indices from the call producing ``ref`` back towards the input (first inputs only)."""
    indices: list[int] = []
    while isinstance(ref, TensorRef) and ref.call is not None and ref.call < len(model.calls) \
            and ref.call not in indices:
        indices.append(ref.call)
        inputs = model.calls[ref.call].inputs
        ref = inputs[0] if isinstance(inputs, list) and inputs else inputs
    return indices


def activation(node: Any) -> Optional[str]:
    """The activation a layer applies last, as a lower-case name ("softmax"), if known."""
    if not isinstance(node, LayerNode):
        return None
    if node.type in ("Softmax",):
        return "softmax"
    value = node.kwargs.get("activation")
    if value is None and node.type == "Activation" and node.args:
        value = node.args[0]
    text = getattr(value, "text", value)
    return text.rsplit(".", 1)[-1].lower() if isinstance(text, str) else None


RECURRENT = ("LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "CuDNNLSTM", "CuDNNGRU", "RNN")


def recurrent(node: Any) -> Optional[LayerNode]:
    """The recurrent layer a node is (or wraps, for Bidirectional)."""
    if not isinstance(node, LayerNode):
        return None
    if node.type in RECURRENT:
        return node
    if node.type == "Bidirectional":
        inner = wrapped(node)
        return inner if isinstance(inner, LayerNode) and inner.type in RECURRENT else None
    return None


def wrapped(wrapper: LayerNode) -> Any:
    """The layer a wrapper (Bidirectional, TimeDistributed) wraps, as the frontend holds it."""
    return wrapper.args[0] if wrapper.args else wrapper.kwargs.get("layer")


def returns_sequences(node: LayerNode) -> bool:
    value = node.kwargs.get("return_sequences")
    return value is True
