"""Activation rules: exact shapes, params and codes, checked against real Keras 3."""

from __future__ import annotations

from tests.differential.strategies_activations import STRATEGIES
from tests.shapes.helpers import layer, shape_error, static
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras

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


test_shapes_and_params = infers_each(CASES)
test_rejections = rejects_each(REJECTS)
test_agrees_with_keras = agrees_with_keras_on(CASES, REJECTS)


def test_activation_hint_suggests_the_name():
    assert shape_error(layer("Activation", "Relu"), None).hint == "did you mean 'relu'?"


def test_thresholded_relu_is_tf_keras_only_and_stays_unknown(keras2, keras3):
    assert hasattr(keras2.layers, "ThresholdedReLU") and not hasattr(keras3.layers, "ThresholdedReLU")
    assert static(layer("ThresholdedReLU", theta=0.5), (None, 3, 4)).output is None


test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)
