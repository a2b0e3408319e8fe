"""Reshaping rules: exact shapes, params and codes, checked against real Keras 3."""

from __future__ import annotations

import pytest

from kerascheck.diagnostics import diagnostic
from tests.differential.strategies_reshaping import STRATEGIES
from tests.shapes.helpers import POS, fails_when_run, layer, shape_error, static
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras

CASES = [
    (layer("Reshape", (2, 40, 1)), (None, 80), (None, 2, 40, 1), 0),
    (layer("Reshape", (2, -1)), (None, 12), (None, 2, 6), 0),
    (layer("Reshape", [3, 4]), (None, 12), (None, 3, 4), 0),
    (layer("Reshape", (2, -1)), (None, None), (None, 2, None), 0),
    (layer("Reshape", (2, 6)), (None, None, 3), (None, 2, 6), 0),
    (layer("Reshape", (None, 4)), (None, 12), (None, None, 4), 0),
    (layer("Reshape", (None, 4)), (None, None), (None, None, 4), 0),
    (layer("Reshape", (12,)), (3, 4, 3), (3, 12), 0),
    (layer("Flatten"), (None, 3, 4), (None, 12), 0),
    (layer("Flatten"), (None, 3), (None, 3), 0),
    (layer("Flatten"), (None,), (None, 1), 0),
    (layer("Flatten"), (None, None, 4), (None, None), 0),
    (layer("Flatten", data_format="channels_first"), (None, 3, 4, 5), (None, 60), 0),
    (layer("RepeatVector", 3), (None, 32), (None, 3, 32), 0),
    (layer("Permute", (2, 1)), (None, 3, 4), (None, 4, 3), 0),
    (layer("Permute", [3, 1, 2]), (None, 3, None, 5), (None, 5, 3, None), 0),
    (layer("Cropping1D", (2, 2)), (None, 5, 3), (None, 1, 3), 0),
    (layer("Cropping1D", 2), (None, None, 3), (None, None, 3), 0),
    (layer("Cropping2D", 2), (None, 5, 5, 3), (None, 1, 1, 3), 0),
    (layer("Cropping2D", ((1, 0), (2, 1))), (None, 5, 6, 3), (None, 4, 3, 3), 0),
    (layer("Cropping2D", 3, data_format="channels_first"), (None, 3, 7, 7), (None, 3, 1, 1), 0),
    (layer("Cropping3D", 1), (None, 3, 4, 5, 2), (None, 1, 2, 3, 2), 0),
    (layer("Cropping3D", (0, 1, (1, 0))), (None, 3, None, 5, 2), (None, 3, None, 4, 2), 0),
    (layer("ZeroPadding1D", (1, 2), data_format="channels_first"), (None, 5, 3), (None, 5, 6), 0),
    (layer("ZeroPadding1D"), (None, None, 3), (None, None, 3), 0),
    (layer("ZeroPadding2D", (1, 2)), (None, 5, 5, 3), (None, 7, 9, 3), 0),
    (layer("ZeroPadding2D", ((1, 2), (0, 3)), data_format="channels_first"), (None, 3, 5, 5), (None, 3, 8, 8), 0),
    (layer("ZeroPadding3D", 2), (None, 5, 5, 5, 3), (None, 9, 9, 9, 3), 0),
    (layer("UpSampling1D", 3), (None, 4, 2), (None, 12, 2), 0),
    (layer("UpSampling2D", 3), (None, 4, 2, 3), (None, 12, 6, 3), 0),
    (layer("UpSampling2D", 2, interpolation="bilinear"), (None, 4, None, 3), (None, 8, None, 3), 0),
    (layer("UpSampling2D", 2, data_format="channels_first"), (None, 4, 2, 3), (None, 4, 4, 6), 0),
    (layer("UpSampling3D", (1, 2, 3), data_format="channels_first"), (None, 4, 2, 3, 1), (None, 4, 2, 6, 3), 0),
]

REJECTS = [
    (layer("Reshape", (2, -1)), (None, 11), "KC202"),
    (layer("Reshape", (5, 3)), (None, 12), "KC202"),
    (layer("Reshape", (2, 0)), (None, 12), "KC202"),
    (layer("Reshape", (0, -1)), (None, 12), "KC202"),
    (layer("Reshape", (-1, -1)), (None, 12), "KC303"),
    (layer("Reshape", (2, -2)), (None, 12), "KC303"),
    (layer("Reshape", 12), (None, 12), "KC303"),
    (layer("Flatten", data_format="foo"), (None, 3, 4), "KC302"),
    (layer("RepeatVector", 3), (None, 40, 12), "KC101"),
    (layer("RepeatVector", 0), (None, 4), "KC301"),
    (layer("RepeatVector", 2.0), (None, 4), "KC301"),
    (layer("RepeatVector", True), (None, 4), "KC301"),
    (layer("Permute", (2, 3)), (None, 3, 4), "KC303"),
    (layer("Permute", (1, 1)), (None, 3, 4), "KC303"),
    (layer("Permute", (2, 1)), (None, 3, 4, 5), "KC101"),
    (layer("Cropping1D", (2, 3)), (None, 5, 3), "KC201"),
    (layer("Cropping1D", -1), (None, 5, 3), "KC303"),
    (layer("Cropping2D", ((1, 1), (2, 3))), (None, 5, 5, 3), "KC201"),
    (layer("Cropping2D", -1), (None, 5, 5, 3), "KC303"),
    (layer("Cropping2D", (1, 2, 3)), (None, 5, 5, 3), "KC303"),
    (layer("Cropping2D", 1), (None, 5, 3), "KC101"),
    (layer("Cropping3D", 2), (None, 3, 4, 5, 2), "KC201"),
    (layer("Cropping3D", (1, 1)), (None, 3, 4, 5, 2), "KC303"),
    (layer("ZeroPadding1D", -1), (None, 5, 3), "KC303"),
    (layer("ZeroPadding2D", (1, 2, 3)), (None, 5, 5, 3), "KC303"),
    (layer("ZeroPadding2D", ((1, -1), (0, 0))), (None, 5, 5, 3), "KC303"),
    (layer("ZeroPadding1D", (0, -2)), (None, 5, 3), "KC303"),
    (layer("UpSampling1D", 0), (None, 4, 2), "KC301"),
    (layer("UpSampling2D", (0, 1)), (None, 4, 2, 3), "KC303"),
    (layer("UpSampling3D", 2), (None, 4, 2, 3), "KC101"),
]


test_shapes = infers_each(CASES)
test_rejections = rejects_each(REJECTS)
test_agrees_with_keras = agrees_with_keras_on(CASES, REJECTS)


# Keras builds these (it even says ZeroPadding2D(-1) makes 5x5 into 3x3) but fails whenever they run.
FAIL_WHEN_RUN = [
    (layer("ZeroPadding2D", -1), (None, 5, 5, 3)),
    (layer("ZeroPadding3D", -1), (None, 4, 4, 4, 2)),
    (layer("TimeDistributed", layer("RepeatVector", 3)), (None, 10, 16, 4)),
    (layer("TimeDistributed", layer("ZeroPadding1D", 1)), (None, 10, 16)),
    (layer("Reshape", (None, 2)), (None, 3)),
    (layer("Reshape", (None, -1)), (None, 4)),
    (layer("Reshape", (None, None)), (None, 4)),
]


@pytest.mark.parametrize("node, shape", FAIL_WHEN_RUN)
def test_what_keras_builds_but_cannot_run_is_reported(node, shape, keras3):
    fails_when_run(node, shape, keras3)
    assert static(node, shape) in ("KC101", "KC202", "KC303")


def test_reshape_message_shows_both_counts():
    e = shape_error(layer("Reshape", (10, 2)), (None, 40, 2))
    assert e.fields == {"layer": "Reshape", "target": "(10, 2)", "needed": 20, "actual": "(None, 40, 2)",
                        "have": 80}


def test_reshape_with_minus_one_says_what_must_divide():
    e = shape_error(layer("Reshape", (3, -1)), (None, 8))
    assert (e.fields["needed"], e.fields["have"]) == ("a multiple of 3", 8)


def test_repeat_vector_rank_message():
    e = shape_error(layer("RepeatVector", 10), (None, 40, 12))
    assert e.fields == {"layer": "RepeatVector", "expected": "2D (batch, features)", "actual": "3D (None, 40, 12)"}


def test_cropping_message_names_the_arithmetic():
    e = shape_error(layer("Cropping1D", (2, 3)), (None, 5, 3))
    assert diagnostic(e.code, POS, e.hint, **e.fields).text == (
        "Cropping1D output would have length 0 (5 - 2 - 3) from input (None, 5, 3); "
        "crop less than 5 steps in total on that axis")


test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)
