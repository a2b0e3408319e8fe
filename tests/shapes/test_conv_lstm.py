"""ConvLSTM rules: exact shapes, params and codes, each checked against real Keras 3."""

from __future__ import annotations

import pytest

from kerascheck.shapes.propagate import propagate
from tests.differential.harness import sequential
from tests.differential.strategies_conv_lstm import STRATEGIES
from tests.shapes.helpers import layer, rank_fix, real, static
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras

CASES = [
    (layer("ConvLSTM1D", 2, 3, return_state=True), (None, None, 9, 2), [(None, 7, 2)] * 3, 104),
    (layer("ConvLSTM1D", 2, 3), (None, 5, 9, 2), (None, 7, 2), 104),
    (layer("ConvLSTM1D", 0, 3), (None, 5, 9, 2), (None, 7, 0), 0),  # filters=0 is accepted
    (layer("ConvLSTM1D", 2, 3, stateful=True), (3, 5, 9, 2), (3, 7, 2), 104),
    (layer("ConvLSTM1D", 2, 3, dilation_rate=2), (3, 5, 9, 2), (3, 5, 2), 104),
    (layer("ConvLSTM1D", 2, 3, strides=2, padding="SAME"), (None, 5, 9, 2), (None, 5, 2), 104),
    (layer("ConvLSTM2D", 2, 3, return_sequences=True), (None, 4, 9, 9, 2), (None, 4, 7, 7, 2), 296),
    (layer("ConvLSTM2D", 8, (3, 3), padding="same", return_sequences=True), (None, 10, 40, 40, 1),
     (None, 10, 40, 40, 8), 2624),
    (layer("ConvLSTM2D", 4, 3, strides=2, data_format="channels_first"), (None, 5, 3, 9, 9), (None, 4, 4, 4), 1024),
    (layer("ConvLSTM2D", 4, 3, use_bias=False), (None, 2, 5, 5, 1), (None, 3, 3, 4), 720),
    (layer("ConvLSTM2D", 4, 3, return_sequences=True, data_format="channels_first"), (None, 2, 1, 5, 5),
     (None, 2, 4, 3, 3), 736),
    (layer("ConvLSTM3D", 2, 2, return_sequences=True, return_state=True), (None, 3, 4, 4, 4, 1),
     [(None, 3, 3, 3, 3, 2), (None, 3, 3, 3, 2), (None, 3, 3, 3, 2)], 200),
]

REJECTIONS = [
    (layer("ConvLSTM1D", 2, 3, stateful=True), (None, 5, 9, 2), "KC526"),
    (layer("ConvLSTM1D", 2, 3), (None, 5, 2, 2), "KC201"),
    (layer("ConvLSTM2D", 2, 3), (None, 9, 9, 2), "KC101"),  # a single image, not a sequence
    (layer("ConvLSTM1D", 2, 3, strides=0), (None, 5, 9, 2), "KC303"),
    (layer("ConvLSTM1D", 2, 3, strides=2, dilation_rate=2), (None, 5, 9, 2), "KC303"),
    (layer("ConvLSTM1D", 2, 3, padding="causal"), (None, 5, 9, 2), "KC302"),
    (layer("ConvLSTM1D", -1, 3), (None, 5, 9, 2), "KC301"),
    (layer("ConvLSTM1D", 2, 0), (None, 5, 9, 2), "KC303"),
    (layer("ConvLSTM3D", 2, 2, data_format="channels_middle"), (None, 3, 4, 4, 4, 1), "KC302"),
    (layer("ConvLSTM1D", 2), (None, 5, 9, 2), "KC304"),
    (layer("ConvLSTM1D", 2, 3), (None, 5, None, 2), "KC204"),
    (layer("ConvLSTM2D", 2, 3, data_format="channels_first"), (None, None, 1, 8, None), "KC204"),
    (layer("ConvLSTM2D", 2, 3, stateful=True), (None, None, 1, None, 8), "KC204"),  # before the batch check
]


# Keras divides by strides=0 before rejecting it
KERAS_DIVIDES_BY_ZERO = pytest.mark.filterwarnings("ignore:divide by zero")

test_shapes_and_params = infers_each(CASES)
test_rejections = rejects_each(REJECTIONS)
test_agrees_with_keras = KERAS_DIVIDES_BY_ZERO(agrees_with_keras_on(CASES, REJECTIONS))
test_strategies_agree_with_keras = KERAS_DIVIDES_BY_ZERO(strategies_agree_with_keras(STRATEGIES))


def test_a_none_channel_axis_is_rejected_as_keras_rejects_it(keras3, keras2):
    node = layer("ConvLSTM1D", 2, 3)
    assert static(node, (None, 5, 9, None)) == "KC204"
    assert real(node, (None, 5, 9, None), keras3) == real(node, (None, 5, 9, None), keras2) == "rejected"


def test_unknown_frame_size_is_a_keras3_error_not_a_keras2_one(keras2):
    node = layer("ConvLSTM2D", 2, 3)
    assert static(node, (None, None, None, None, 1)) == "KC204"
    assert real(node, (None, None, None, None, 1), keras2) == ((None, None, None, 2), 224)


def test_stacked_conv_lstm_hint_says_return_sequences():
    model = sequential([layer("ConvLSTM2D", 4, 3), layer("ConvLSTM2D", 4, 3)], (None, 10, 9, 9, 1))
    [diagnostic] = propagate(model).diagnostics
    assert (diagnostic.code, diagnostic.position.line) == ("KC101", 3)
    assert diagnostic.text == ("ConvLSTM2D needs 5D (batch, time, height, width, channels) input, got 4D "
                               "(None, 7, 7, 4); the ConvLSTM2D on line 2 returns only its last step, 4D "
                               "(None, 7, 7, 4); set return_sequences=True there")


@pytest.mark.parametrize("node, produced, wanted, fix", [
    (layer("ConvLSTM2D", 4, 3, return_sequences=True), (None, 10, 7, 7, 4), "4D (batch, height, width, channels)",
     "returns every step, 5D (None, 10, 7, 7, 4); set return_sequences=False there"),
    (layer("ConvLSTM1D", 4, 3), (None, 7, 4), "2D (batch, features)",
     "outputs 3D (None, 7, 4); add Flatten() (or a global pooling layer) after it"),
])
def test_rank_fix(node, produced, wanted, fix):
    assert rank_fix(node, produced, wanted) == fix
