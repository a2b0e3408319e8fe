"""Convolution rules: exact shapes, params and codes, each checked against real Keras 3."""

from __future__ import annotations

import pytest

from kerascheck.graph import UNKNOWN, Opaque
from kerascheck.shapes.base import format_shape
from kerascheck.shapes.propagate import propagate
from tests.differential.harness import sequential
from tests.differential.strategies_convolutional import STRATEGIES
from tests.shapes.helpers import agree, layer, real, shape_error, static
from tests.shapes.tables import (
    agrees_with_keras_on,
    infers_each,
    rejects_each,
    shows_each,
    strategies_agree_with_keras,
)

CASES = [
    # seed 2: Conv1D(filters=32, kernel_size=8) on 400 steps of 16 channels
    (layer("Conv1D", filters=32, kernel_size=8, strides=1, activation="relu"), (None, 400, 16), (None, 393, 32), 4128),
    (layer("Conv1D", 32, 8, padding="same"), (None, 400, 16), (None, 400, 32), 4128),
    (layer("Conv1D", 32, 8, padding="causal"), (None, 400, 16), (None, 400, 32), 4128),
    # seed 4: Conv1D(filters=32, kernel_size=5, padding="causal", input_shape=[None, 1])
    (layer("Conv1D", filters=32, kernel_size=5, strides=1, padding="causal", activation="relu"), (None, None, 1),
     (None, None, 32), 192),
    (layer("Convolution1D", 32, 8), (None, 400, 16), (None, 393, 32), 4128),
    (layer("Conv1D", 4, 6), (None, 6, 2), (None, 1, 4), 52),  # kernel as long as the input
    (layer("Conv1D", 4, 2, strides=5), (None, 10, 3), (None, 2, 4), 28),  # strides > kernel
    (layer("Conv1D", 4, 3, dilation_rate=2), (None, 10, 3), (None, 6, 4), 40),
    (layer("Conv1D", 4, 3, strides=2, padding="causal"), (None, 9, 2), (None, 5, 4), 28),
    (layer("Conv1D", 4, 3), (None, None, 2), (None, None, 4), 28),
    (layer("Conv1D", 4, 10), (None, None, 2), (None, None, 4), 84),  # unknown length: never too short
    (layer("Conv1D", 4, 3, padding="causal", data_format="channels_first"), (None, 2, 9), (None, 4, 9), 28),
    (layer("Conv1D", 4, 3, data_format="channels_first"), (None, 2, 9), (None, 4, 7), 28),
    (layer("Conv1D", 6, 3, groups=3), (None, 10, 6), (None, 8, 6), 42),
    (layer("Conv1D", 4, 3, use_bias=False), (None, 5, 2), (None, 3, 4), 24),
    (layer("Conv1D", 4, 3, padding="SAME"), (None, 9, 2), (None, 9, 4), 28),  # conv padding is case-insensitive
    (layer("Conv1D", 4, 3, padding="same"), (None, 0, 2), (None, 0, 4), 28),  # empty stays empty
    (layer("Conv2D", 8, (3, 5), strides=(2, 1)), (None, 28, 28, 1), (None, 13, 24, 8), 128),
    (layer("Conv2D", 4, 3, data_format="channels_first"), (None, 3, 9, 7), (None, 4, 7, 5), 112),
    (layer("Conv2D", 4, 3), (2, 9, 7, 3), (2, 7, 5, 4), 112),
    (layer("Conv2D", 4, 3, padding="same", strides=2), (None, None, 7, 3), (None, None, 4, 4), 112),
    (layer("Conv2D", 4, 3, groups=2), (None, 9, 9, 6), (None, 7, 7, 4), 112),
    (layer("Convolution2D", 4, 3, dilation_rate=(1, 2)), (None, 9, 9, 1), (None, 7, 5, 4), 40),
    (layer("Conv3D", 2, 3), (None, 5, 5, 5, 1), (None, 3, 3, 3, 2), 56),
    (layer("Conv3D", 2, (1, 2, 3), padding="same", data_format="channels_first"), (None, 4, 3, 5, 7),
     (None, 2, 3, 5, 7), 50),
    (layer("Convolution3D", 2, 3, strides=(1, 2, 3)), (None, 5, 5, 5, 1), (None, 3, 2, 1, 2), 56),
    (layer("Conv1DTranspose", 4, 3), (None, 5, 2), (None, 7, 4), 28),
    (layer("Conv1DTranspose", 4, 2, strides=3), (None, 5, 2), (None, 15, 4), 20),
    (layer("Conv1DTranspose", 4, 3, strides=2, output_padding=1), (None, 5, 2), (None, 12, 4), 28),
    (layer("Conv1DTranspose", 4, 3, dilation_rate=2), (None, 5, 2), (None, 9, 4), 28),
    (layer("Conv1DTranspose", 4, 2, strides=2, padding="same", output_padding=0), (None, 1, 3), (None, 0, 4), 28),
    (layer("Convolution1DTranspose", 4, 3, padding="same", strides=2), (None, None, 2), (None, None, 4), 28),
    (layer("Conv2DTranspose", 4, 3, strides=2, padding="same"), (None, 5, None, 3), (None, 10, None, 4), 112),
    (layer("Convolution2DTranspose", 4, (3, 2), data_format="channels_first"), (None, 3, 5, 5),
     (None, 4, 7, 6), 76),
    (layer("Conv3DTranspose", 2, 2, strides=2), (None, 3, 3, 3, 1), (None, 6, 6, 6, 2), 18),
    # Conv3DTranspose alone takes data_format positionally before output_padding
    (layer("Conv3DTranspose", 2, 2, 2, "valid", "channels_first"), (None, 1, 3, 3, 3), (None, 2, 6, 6, 6), 18),
    (layer("DepthwiseConv1D", 3), (None, 9, 2), (None, 7, 2), 8),
    (layer("DepthwiseConv1D", 3, strides=2, dilation_rate=2), (None, 9, 2), (None, 3, 2), 8),  # no check here
    (layer("DepthwiseConv2D", 3, depth_multiplier=2), (None, 8, 8, 3), (None, 6, 6, 6), 60),
    (layer("DepthwiseConv2D", (3, 3), padding="same", data_format="channels_first"), (None, 3, 8, 8),
     (None, 3, 8, 8), 30),
    (layer("SeparableConv1D", 4, 3, strides=2, dilation_rate=2), (None, 9, 2), (None, 3, 4), 18),
    (layer("SeparableConv2D", 16, 3, depth_multiplier=2), (None, 32, 32, 3), (None, 30, 30, 16), 166),
    (layer("SeparableConvolution2D", 16, 3, use_bias=False, padding="same"), (None, 8, 8, 3), (None, 8, 8, 16), 75),
    (layer("SeparableConvolution1D", 4, 3, data_format="channels_first"), (None, 2, 9), (None, 4, 7), 18),
]

REJECTIONS = [
    (layer("Conv1D", 32, 8), (None, 6, 16), "KC201"),
    (layer("Conv1D", 4, 3), (None, 10, 2, 3), "KC101"),
    (layer("Conv1D", 4, 3), (None, 10), "KC101"),
    (layer("Conv2D", 4, 3, padding="causal"), (None, 9, 9, 2), "KC302"),  # causal is Conv1D-only
    (layer("Conv1D", 4, 3, padding="full"), (None, 9, 2), "KC302"),
    (layer("Conv1D", 0, 3), (None, 9, 2), "KC301"),
    (layer("Conv1D", 4.0, 3), (None, 9, 2), "KC301"),
    (layer("Conv1D", 4, 0), (None, 9, 2), "KC303"),
    (layer("Conv1D", 4, (3, 3)), (None, 9, 2), "KC303"),
    (layer("Conv1D", 4, 3.0), (None, 9, 2), "KC303"),
    (layer("Conv2D", 4, 3, strides=2, dilation_rate=2), (None, 9, 9, 2), "KC303"),
    (layer("Conv2D", 4, 3, groups=3), (None, 9, 9, 6), "KC303"),
    (layer("Conv2D", 4, 3, groups=2), (None, 9, 9, 5), "KC204"),
    (layer("Conv2D", 4, 3, groups=0), (None, 9, 9, 6), "KC301"),
    (layer("Conv2D", 4, 3, data_format="channels_middle"), (None, 9, 9, 6), "KC302"),
    (layer("Conv1D", kernel_size=3), (None, 9, 2), "KC304"),
    (layer("Conv2D", 4, 5), (None, 9, 4, 3), "KC201"),
    (layer("Conv2D", 4, 3, dilation_rate=3), (None, 6, 9, 3), "KC201"),
    (layer("Conv2D", 4, 3, data_format="channels_first"), (None, 3, 2, 9), "KC201"),
    (layer("Conv3D", 2, 3), (None, 5, 5, 1), "KC101"),
    (layer("Conv1DTranspose", 4, 3, strides=2, output_padding=2), (None, 5, 2), "KC303"),
    (layer("Conv1DTranspose", 4, 2, padding="causal"), (None, 5, 2), "KC302"),
    (layer("Conv1DTranspose", 4, 2), (None, 1, 3, 3), "KC101"),
    (layer("Conv2DTranspose", 4, 3, strides=2, dilation_rate=2), (None, 5, 5, 2), "KC303"),
    (layer("DepthwiseConv1D", 10), (None, 9, 2), "KC201"),
    (layer("DepthwiseConv1D", 3, padding="causal"), (None, 9, 2), "KC302"),
    (layer("DepthwiseConv2D", 3, depth_multiplier=0), (None, 9, 9, 2), "KC301"),
    (layer("SeparableConv1D", 4, 3, padding="causal"), (None, 9, 2), "KC302"),
    (layer("SeparableConv2D", 0, 3), (None, 9, 9, 2), "KC301"),
]


test_shapes_and_params = infers_each(CASES)
test_rejections = rejects_each(REJECTIONS)
test_agrees_with_keras = agrees_with_keras_on(CASES, REJECTIONS)


def test_too_short_message_states_the_sizes():
    e = shape_error(layer("Conv1D", 32, 8), (None, 6, 16))
    assert e.code == "KC201"
    assert e.fields == {"layer": "Conv1D", "detail": "length -1 (input (None, 6, 16) has length 6, kernel 8, "
                                                     "strides 1, padding 'valid')"}
    assert e.hint == "use padding='same' or a kernel of at most 6"


def test_too_short_message_names_the_axis_and_dilation():
    e = shape_error(layer("Conv2D", 4, 3, dilation_rate=3), (None, 9, 6, 3))
    assert e.fields["detail"] == ("length 0 along width (spatial axis 2) (input (None, 9, 6, 3) has length 6, "
                                  "kernel 3 dilated to 7, strides 1, padding 'valid')")
    assert e.hint == "use padding='same', or a smaller kernel or dilation_rate (span at most 6)"


def test_channels_first_data_is_named_as_the_cause():
    # Theano-ordered images (channels, height, width) in a channels-last model: the 1 or 3
    # channels are taken for the height, and the last axis, taken for channels, would fit.
    e = shape_error(layer("Conv2D", 32, 5), (None, 3, 32, 32))
    assert e.hint == ("the input looks channels-first (3 channels before 32, 32): make it (None, 32, 32, 3) "
                      "(arrays: np.moveaxis(x, 1, -1)), or set data_format='channels_first' on the layers")
    grey = shape_error(layer("MaxPooling2D", 2), (None, 1, 28, 28))
    assert grey.hint.startswith("the input looks channels-first (1 channel before 28, 28): make it (None, 28, 28, 1)")
    # a short first axis whose last axis is no image side, or a later axis, keeps the general advice
    assert shape_error(layer("Conv2D", 32, 3), (None, 2, 32, 32)).hint == "use padding='same' or a kernel of at most 2"
    assert shape_error(layer("Conv2D", 32, 5), (None, 3, 32, 4)).hint == "use padding='same' or a kernel of at most 3"
    assert shape_error(layer("Conv2D", 32, 5), (None, 32, 3, 32)).hint == "use padding='same' or a kernel of at most 3"


@pytest.mark.parametrize("node, shape, expected", [
    (layer("Conv1D", 4, 3), (None, 10, 2, 3), "3D (batch, steps, channels)"),
    (layer("Conv2D", 4, 3, data_format="channels_first"), (None, 3, 9), "4D (batch, channels, height, width)"),
    (layer("Conv3DTranspose", 4, 3), (None, 3, 9, 9), "5D (batch, depth, height, width, channels)"),
])
def test_rank_message_says_what_the_axes_mean(node, shape, expected):
    assert shape_error(node, shape).fields["expected"] == expected


def test_a_none_channel_axis_is_rejected_as_keras_rejects_it(keras3):
    # kerascheck's own unknown is an anonymous dim, never None: None is Keras's None.
    node = layer("Conv1D", 4, 3)
    assert static(node, (None, 10, None)) == "KC204"
    assert real(node, (None, 10, None), keras3) == "rejected"


def test_rank_hint_points_at_the_conv_and_says_how_to_reshape():
    model = sequential([layer("Conv1D", 32, 8), layer("Conv2D", 8, 3)], (None, 400, 16))
    [diagnostic] = propagate(model).diagnostics
    assert diagnostic.code == "KC101" and diagnostic.position.line == 3
    assert diagnostic.text == ("Conv2D needs 4D (batch, height, width, channels) input, got 3D (None, 393, 32); "
                               "the Conv1D on line 2 outputs 3D (None, 393, 32); add Reshape((393, 32, 1)) after "
                               "it, or use a 1D layer")


test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)


UNKNOWN_ARGUMENTS = [  # give unknown sizes (?), not errors: (node, shape, output as printed, params)
    (layer("Conv1D", UNKNOWN, 3), (None, 10, 2), "(None, 8, ?)", None),
    (layer("Conv1D", 4, UNKNOWN), (None, 10, 2), "(None, ?, 4)", None),
    (layer("Conv1D", 4, UNKNOWN, padding="same", strides=2), (None, 10, 2), "(None, 5, 4)", None),
    (layer("Conv1D", 4, 3, padding=UNKNOWN), (None, 10, 2), "(None, ?, 4)", 28),
    (layer("Conv1D", 4, 3, data_format=UNKNOWN), (None, 10, 2), "?", None),
    (layer("Conv1D", 4, 3, activation=Opaque("tf.nn.relu")), (None, 10, 2), "(None, 8, 4)", 28),
    (layer("Conv2D", 4, (3, UNKNOWN)), (None, 10, 10, 2), "(None, 8, ?, 4)", None),
    (layer("Conv2D", 4, 3, groups=UNKNOWN), (None, 10, 10, 2), "(None, 8, 8, 4)", None),
    (layer("Conv2D", 4, 3, use_bias=UNKNOWN), (None, 10, 10, 2), "(None, 8, 8, 4)", None),
    (layer("Conv2DTranspose", 4, 3, output_padding=UNKNOWN), (None, 5, 5, 2), "(None, ?, ?, 4)", 76),
    (layer("DepthwiseConv2D", 3, depth_multiplier=UNKNOWN), (None, 5, 5, 2), "(None, 3, 3, ?)", None),
    (layer("SeparableConv1D", UNKNOWN, 3), (None, 5, 2), "(None, 3, ?)", None),
]

test_unknown_arguments_give_unknown_sizes_not_errors = shows_each(UNKNOWN_ARGUMENTS)


@pytest.mark.parametrize("node", [
    layer("Conv1D", 4, 3, activation="Relu"),
    layer("Conv2DTranspose", 4, 3, activation="softmaxx"),
    layer("DepthwiseConv1D", 3, activation="RELU"),
    layer("SeparableConv1D", 4, 3, activation=3),
])
def test_unknown_activation_is_rejected_like_keras(node, keras3):
    assert static(node, (None, 9, 9, 2) if "2D" in node.type else (None, 9, 2)) == "KC303"
    agree(node, (None, 9, 9, 2) if "2D" in node.type else (None, 9, 2), keras3)


def test_partly_unknown_output_padding_leaves_that_axis_unknown():
    result = static(layer("Conv2DTranspose", 4, 3, strides=2, output_padding=(1, UNKNOWN)), (None, 5, 5, 2))
    assert format_shape(result.output) == "(None, 12, ?, 4)"
