"""During a propagation a layer is inferred once per input: a wrapper's rule asks for its wrapped
layer's inference several times (output, params, non-trainable params)."""

from __future__ import annotations

import pytest

from kerascheck.graph import InputSpec, LayerCall, ModelGraph, TensorRef
from kerascheck.shapes import base
from kerascheck.shapes.base import ShapeError, infer
from kerascheck.shapes.propagate import propagate
from tests.shapes.helpers import POS, layer


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list:
    """The layer types ``_infer`` works on, one entry per inference actually made."""
    made: list = []
    original = base._infer

    def counting(node, shape, check_args, context):
        made.append(node.type)
        return original(node, shape, check_args, context)

    monkeypatch.setattr(base, "_infer", counting)
    return made


def test_wrapped_layer_inferred_once_per_input(counted: list) -> None:
    wrapper = layer("Bidirectional", layer("LSTM", 8))
    model = ModelGraph("m", "sequential", POS, [InputSpec((None, 5, 4), POS)],
                       [LayerCall(wrapper, TensorRef.of_input(0), POS)], TensorRef.of_call(0))
    result = propagate(model)
    assert (result.outputs, result.layers[0].params) == ((None, 16), 2 * (4 * (8 * (4 + 8) + 8)))
    assert counted.count("LSTM") == 2  # its argument check, then once on the input


def test_nothing_kept_outside_a_propagation(counted: list) -> None:
    node, shape = layer("Dense", 3), (None, 4)
    assert infer(node, shape) == infer(node, shape)
    assert counted == ["Dense", "Dense"]


def test_an_error_is_not_kept(counted: list) -> None:
    node, wrong, right = layer("Dense", 3), (None,), (None, 4)  # Dense needs at least 2D
    context = base.Context(remember=True)  # as propagate makes
    for _ in range(2):
        with pytest.raises(ShapeError):
            infer(node, wrong, check_args=False, context=context)
        infer(node, right, check_args=False, context=context)
    assert counted == ["Dense", "Dense", "Dense"]
