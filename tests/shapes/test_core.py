"""Core layer rules: exact shapes, params and codes, checked against real Keras."""

from __future__ import annotations

import pytest

from tests.shapes.helpers import agree, layer, static

DENSE_CASES = [
    (layer("Dense", 10), (None, 6), (None, 10), 70),
    (layer("Dense", 1, activation="sigmoid"), (None, 400, 32), (None, 400, 1), 33),
    (layer("Dense", 400), (None, 32), (None, 400), 13200),
    (layer("Dense", 8, use_bias=False), (None, 3, 4, 5), (None, 3, 4, 8), 40),
]


@pytest.mark.parametrize("node, shape, output, params", DENSE_CASES)
def test_dense_shapes_and_params(node, shape, output, params):
    result = static(node, shape)
    assert (result.output, result.params) == (output, params)


@pytest.mark.parametrize("node, shape, code", [
    (layer("Dense", (10, 2)), (None, 6), "KC301"),
    (layer("Dense", 0), (None, 6), "KC301"),
    (layer("Dense", 10.0), (None, 6), "KC301"),
    (layer("Dense", 10), (None,), "KC101"),
    (layer("Dense"), (None, 6), "KC304"),
])
def test_dense_rejections(node, shape, code):
    assert static(node, shape) == code


@pytest.mark.parametrize("node, shape, output, params", DENSE_CASES)
def test_dense_agrees_with_keras(node, shape, output, params, keras3):
    agree(node, shape, keras3)
