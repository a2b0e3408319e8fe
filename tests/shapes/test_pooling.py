"""Pooling rules: exact shapes and codes (no weights), each checked against real Keras 3."""

from __future__ import annotations

import pytest

from tests.differential.strategies_pooling import STRATEGIES
from tests.shapes.helpers import fails_when_run, layer, rank_fix, shape_error, static
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras, weightless

CASES = [
    (layer("MaxPooling1D", pool_size=4), (None, 393, 32), (None, 98, 32)),  # seed 2
    (layer("MaxPooling1D"), (None, 9, 3), (None, 4, 3)),  # default pool_size 2
    (layer("MaxPool1D", 3, strides=1), (None, 5, 2), (None, 3, 2)),
    (layer("MaxPooling1D", 2, strides=3), (None, 10, 2), (None, 3, 2)),  # strides > pool
    (layer("MaxPooling1D", 4, padding="same"), (None, 9, 2), (None, 3, 2)),
    (layer("MaxPooling1D", 5), (None, 5, 2), (None, 1, 2)),  # pool as long as the input
    (layer("MaxPooling1D", 2), (None, None, 2), (None, None, 2)),
    (layer("MaxPooling1D", 2, data_format="channels_first"), (None, 3, 9), (None, 3, 4)),
    (layer("MaxPooling1D", 2, None, "valid", "Channels_First"), (None, 3, 9), (None, 3, 4)),
    (layer("MaxPooling2D"), (None, 28, 28, 1), (None, 14, 14, 1)),
    (layer("MaxPooling2D", (2, 3), strides=(1, 2)), (None, 5, 7, 2), (None, 4, 3, 2)),
    (layer("MaxPool2D", 2, data_format="channels_first"), (None, 3, 9, 7), (None, 3, 4, 3)),
    (layer("MaxPooling3D"), (None, 4, 4, 4, 1), (None, 2, 2, 2, 1)),
    (layer("MaxPool3D", 3, padding="same"), (2, 4, None, 7, 1), (2, 2, None, 3, 1)),
    (layer("AveragePooling1D", 3), (None, 10, 4), (None, 3, 4)),
    (layer("AvgPool1D", pool_size=2, strides=1, padding="same"), (None, 10, 4), (None, 10, 4)),
    (layer("AvgPool2D", 2, padding="same"), (None, 5, 5, 3), (None, 3, 3, 3)),
    (layer("AveragePooling2D", (3, 1)), (None, 3, 1, 3), (None, 1, 1, 3)),
    (layer("AveragePooling3D", (1, 2, 2)), (None, 3, 4, 5, 2), (None, 3, 2, 2, 2)),
    (layer("AvgPool3D", 2, data_format="channels_first"), (None, 2, 4, 4, 5), (None, 2, 2, 2, 2)),
    (layer("GlobalMaxPooling1D"), (None, 10, 4), (None, 4)),
    (layer("GlobalMaxPool1D", data_format="channels_first"), (None, 10, 4), (None, 10)),
    (layer("GlobalAveragePooling1D", keepdims=True), (None, 10, 4), (None, 1, 4)),
    (layer("GlobalAvgPool1D"), (None, None, 4), (None, 4)),
    (layer("GlobalAveragePooling2D", data_format="channels_first", keepdims=True), (None, 9, 7, 3), (None, 9, 1, 1)),
    (layer("GlobalMaxPool2D"), (None, None, None, 3), (None, 3)),
    (layer("GlobalMaxPooling2D", keepdims=True), (3, 5, 5, 3), (3, 1, 1, 3)),
    (layer("GlobalAvgPool3D"), (None, 2, 2, 2, 5), (None, 5)),
    (layer("GlobalMaxPooling3D", keepdims=True), (None, 2, 2, 2, 5), (None, 1, 1, 1, 5)),
    (layer("GlobalAveragePooling3D", "channels_first"), (None, 2, 2, 2, 5), (None, 2)),
    (layer("AdaptiveMaxPooling1D", 4), (None, 10, 3), (None, 4, 3)),
    (layer("AdaptiveMaxPooling1D", 40), (None, 10, 3), (None, 40, 3)),  # larger than the input
    (layer("AdaptiveMaxPooling1D", 4), (None, 10, 3, 2), (None, 4, 2)),  # no InputSpec: any rank builds
    (layer("AdaptiveAveragePooling2D", 1), (None, 1, 1), (None, 1, 1, 1)),
    (layer("AdaptiveAveragePooling2D", (2, 3), data_format="channels_first"), (None, 3, 10, 10), (None, 3, 2, 3)),
    (layer("AdaptiveAveragePooling2D", (2, 5)), (None, None, None, 3), (None, 2, 5, 3)),
    (layer("AdaptiveMaxPooling3D", output_size=1), (None, 4, 4, 4, 3), (None, 1, 1, 1, 3)),
    (layer("AdaptiveAveragePooling3D", (1, 2, 3)), (None, 4, 4, 4, 3), (None, 1, 2, 3, 3)),
]

REJECTIONS = [
    (layer("MaxPooling1D", 10), (None, 9, 7), "KC201"),
    (layer("MaxPooling1D", 2, padding="SAME"), (None, 9, 7), "KC302"),  # case-sensitive, unlike Conv
    (layer("MaxPooling1D", 2, padding="causal"), (None, 9, 7), "KC302"),
    (layer("MaxPooling1D", 2, strides=0), (None, 9, 7), "KC303"),
    (layer("MaxPooling1D", 2, strides=-1), (None, 9, 7), "KC303"),
    (layer("MaxPooling1D", 2), (None, 9, 7, 3), "KC101"),
    (layer("MaxPooling1D", 2), (None, 9), "KC101"),
    (layer("MaxPooling2D", 0), (None, 9, 9, 3), "KC303"),
    (layer("MaxPooling2D", (2, 3, 4)), (None, 9, 9, 3), "KC303"),
    (layer("MaxPooling2D", (2, 3)), (None, 5, 2, 1), "KC201"),
    (layer("MaxPooling2D", 2, data_format="channels_first"), (None, 9, 1, 9), "KC201"),
    (layer("AveragePooling1D"), (None, 9, 7), "KC304"),
    (layer("AveragePooling3D", 2), (None, 9, 9, 3), "KC101"),
    (layer("GlobalAveragePooling1D"), (None, 9, 7, 3), "KC101"),
    (layer("GlobalMaxPooling2D"), (None, 9, 3), "KC101"),
    (layer("GlobalMaxPooling2D", data_format="channels_middle"), (None, 9, 9, 3), "KC302"),
    (layer("AdaptiveAveragePooling2D", 2, data_format="Channels_First"), (None, 3, 9, 9), "KC302"),  # case matters
    (layer("AdaptiveMaxPooling1D", -1), (None, 9, 3), "KC303"),
    (layer("AdaptiveMaxPooling2D", (2, 2.0)), (None, 9, 9, 3), "KC303"),
    (layer("AdaptiveMaxPooling2D", (2, 2, 2)), (None, 9, 9, 3), "KC303"),
    (layer("AdaptiveAveragePooling3D"), (None, 9, 9, 9, 3), "KC304"),
]


test_shapes_without_params = infers_each(weightless(CASES))
test_rejections = rejects_each(REJECTIONS)
test_agrees_with_keras = agrees_with_keras_on(CASES, REJECTIONS)
test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)


@pytest.mark.parametrize("node, shape, code", [
    (layer("AdaptiveAveragePooling1D", 0), (2, 10, 3), "KC303"),
    (layer("AdaptiveAveragePooling2D", (2, None)), (2, 4, 4, 3), "KC303"),
])
def test_adaptive_pooling_reports_sizes_that_fail_when_run_though_keras_builds_them(node, shape, code, keras3):
    assert static(node, shape) == code
    fails_when_run(node, shape, keras3)


def test_too_short_message_states_the_sizes():
    e = shape_error(layer("MaxPooling1D", 4), (None, 3, 8))
    assert e.fields["detail"] == ("length 0 (input (None, 3, 8) has length 3, pool_size 4, strides 4, "
                                  "padding 'valid')")
    assert e.hint == "use padding='same' or a pool_size of at most 3"


def test_uppercase_padding_hint():
    assert shape_error(layer("AveragePooling2D", 2, padding="Same"), (None, 4, 4, 1)).hint == (
        "pooling layers compare padding case-sensitively; use 'same'")


def test_rank_message_says_what_the_axes_mean():
    e = shape_error(layer("MaxPooling2D"), (None, 98, 32))
    assert (e.code, e.fields["expected"]) == ("KC101", "4D (batch, height, width, channels)")


def test_global_pooling_rank_fix_says_the_axes_are_gone():
    fix = rank_fix(layer("GlobalMaxPooling1D"), (None, 32), "3D (batch, timesteps, features)")
    assert fix == ("pools away every spatial axis, giving 2D (None, 32); remove it to keep them, "
                   "or use MaxPooling1D to shorten them")


def test_pooling_rank_fix_reshapes():
    fix = rank_fix(layer("MaxPooling2D"), (None, 14, 14, 8), "3D (batch, timesteps, features)")
    assert fix == ("outputs 4D (None, 14, 14, 8); add Reshape((14, 112)) (or TimeDistributed(Flatten())) after it "
                   "to merge the last 2 axes")
