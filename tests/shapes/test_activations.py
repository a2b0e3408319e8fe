"""Activation rules: exact shapes, params and codes, checked against real Keras 3."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.differential.strategies_activations import STRATEGIES
from tests.shapes.helpers import agree, layer, static

CASES = [
    (layer("Activation", "relu"), (None, 4), (None, 4), 0),
    (layer("Activation", None), (None, 4, 2), (None, 4, 2), 0),
    (layer("Activation", "swish"), (None,), (None,), 0),
    (layer("ReLU", max_value=6.0), (None, 4), (None, 4), 0),
    (layer("LeakyReLU", 0.1), (None, 4), (None, 4), 0),
    (layer("LeakyReLU", alpha=0.1), (None, 4), (None, 4), 0),
    (layer("ELU"), (None, 4), (None, 4), 0),
    (layer("Softmax", axis=1), (None, 4, 3), (None, 4, 3), 0),
    (layer("Softmax", axis=3), (None, 4), (None, 4), 0),
    (layer("PReLU"), (None, 4, 5), (None, 4, 5), 20),
    (layer("PReLU", shared_axes=[1]), (None, 4, 5), (None, 4, 5), 5),
    (layer("PReLU", shared_axes=1), (None, 4, 5), (None, 4, 5), 5),
    (layer("PReLU", shared_axes=[1, 2]), (None, 4, 5, 6), (None, 4, 5, 6), 6),
    (layer("PReLU", shared_axes=[1]), (None, None, 5), (None, None, 5), 5),
    (layer("PReLU", shared_axes=[-1]), (None, 4, 5), (None, 4, 5), 5),
    (layer("PReLU"), (None,), (None,), 1),
]

REJECTS = [
    (layer("Activation", "foo"), (None, 4), "KC303"),
    (layer("Activation", "Relu"), (None, 4), "KC303"),
    (layer("Activation"), (None, 4), "KC304"),
    (layer("ReLU", max_value=-1), (None, 4), "KC303"),
    (layer("ReLU", negative_slope=None), (None, 4), "KC303"),
    (layer("ReLU", threshold=-0.5), (None, 4), "KC303"),
    (layer("LeakyReLU", -0.1), (None, 4), "KC303"),
    (layer("PReLU", shared_axes=[3]), (None, 4, 5), "KC303"),
]


@pytest.mark.parametrize("node, shape, output, params", CASES)
def test_shapes_and_params(node, shape, output, params):
    result = static(node, shape)
    assert (result.output, result.params) == (output, params)


@pytest.mark.parametrize("node, shape, code", REJECTS)
def test_rejections(node, shape, code):
    assert static(node, shape) == code


@pytest.mark.parametrize("node, shape, output, params", CASES)
def test_cases_agree_with_keras(node, shape, output, params, keras3):
    agree(node, shape, keras3)


@pytest.mark.parametrize("node, shape, code", REJECTS)
def test_rejections_agree_with_keras(node, shape, code, keras3):
    agree(node, shape, keras3)


def test_activation_hint_suggests_the_name():
    from kerascheck.shapes.base import ShapeError, infer

    with pytest.raises(ShapeError) as error:
        infer(layer("Activation", "Relu"), None)
    assert error.value.hint == "did you mean 'relu'?"


def test_thresholded_relu_is_tf_keras_only_and_stays_unknown(keras2, keras3):
    assert hasattr(keras2.layers, "ThresholdedReLU") and not hasattr(keras3.layers, "ThresholdedReLU")
    assert static(layer("ThresholdedReLU", theta=0.5), (None, 3, 4)).output is None


@pytest.mark.parametrize("name", sorted(STRATEGIES))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_strategies_agree_with_keras(name, data, keras3):
    node, shape = data.draw(STRATEGIES[name])
    agree(node, shape, keras3)
