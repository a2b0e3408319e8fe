"""Output-length arithmetic: exact tables, and exhaustive comparison with Keras 3's own helpers."""

from __future__ import annotations

import itertools

import pytest

from kerascheck.shapes import ops
from kerascheck.shapes.base import ShapeError
from tests.shapes.helpers import layer


@pytest.mark.parametrize("length, kernel, stride, padding, dilation, expected", [
    (400, 8, 1, "valid", 1, 393),   # seed 2
    (400, 8, 1, "same", 1, 400),
    (400, 8, 1, "causal", 1, 400),  # seed 4
    (6, 6, 1, "valid", 1, 1),       # kernel == length
    (6, 8, 1, "valid", 1, -1),      # kernel longer: Keras's formula goes negative
    (10, 2, 5, "valid", 1, 2),      # strides larger than the kernel
    (10, 3, 1, "valid", 2, 6),      # dilation: span 5
    (9, 3, 2, "same", 1, 5),        # ceil(9 / 2)
    (9, 3, 2, "causal", 1, 5),
    (0, 3, 1, "same", 1, 0),        # 'same' on an empty axis stays empty (no error in Keras)
    (None, 3, 1, "valid", 1, None),
    (9, None, 2, "same", 1, 5),     # "same" does not depend on the kernel
    (9, None, 1, "valid", 1, None),
    (9, 3, None, "valid", 1, None),
])
def test_conv_length(length, kernel, stride, padding, dilation, expected):
    assert ops.conv_length(length, kernel, stride, padding, dilation) == expected


@pytest.mark.parametrize("length, pool, stride, padding, expected", [
    (393, 4, 4, "valid", 98),  # seed 2
    (9, 2, 2, "valid", 4),
    (10, 2, 3, "valid", 3),
    (9, 4, 4, "same", 3),
    (3, 4, 4, "valid", 0),
    (None, 2, 2, "valid", None),
])
def test_pool_length(length, pool, stride, padding, expected):
    assert ops.pool_length(length, pool, stride, padding) == expected


@pytest.mark.parametrize("length, kernel, stride, padding, output_padding, dilation, expected", [
    (5, 3, 1, "valid", None, 1, 7),
    (5, 2, 3, "valid", None, 1, 15),  # a stride longer than the kernel leaves gaps: max(span, stride)
    (5, 3, 2, "same", None, 1, 10),
    (5, 3, 2, "valid", 1, 1, 12),
    (1, 2, 2, "same", 0, 1, 0),       # output_padding with 'same': span % 2, here an empty axis
    (5, 3, 1, "valid", None, 2, 9),
    (None, 3, 2, "same", None, 1, None),
    (5, None, 2, "same", None, 1, 10),
])
def test_transpose_length(length, kernel, stride, padding, output_padding, dilation, expected):
    assert ops.transpose_length(length, kernel, stride, padding, output_padding, dilation) == expected


def _keras_helpers():
    pytest.importorskip("tensorflow")
    from kerascheck.verify.build import import_keras

    import_keras(3)
    from keras.src.backend.common.backend_utils import compute_conv_transpose_output_shape
    from keras.src.ops.operation_utils import compute_conv_output_shape, compute_pooling_output_shape

    return compute_conv_output_shape, compute_pooling_output_shape, compute_conv_transpose_output_shape


GRID = list(itertools.product(range(1, 11), range(1, 6), range(1, 5), range(1, 4), ("valid", "same")))


def test_conv_length_equals_keras_everywhere():
    conv, _, _ = _keras_helpers()
    for length, kernel, stride, dilation, padding in GRID:
        ours = ops.conv_length(length, kernel, stride, padding, dilation)
        try:
            theirs = conv((None, length, 1), 1, (kernel,), (stride,), padding, "channels_last", (dilation,))[1]
        except ValueError:
            theirs = "rejected"
        expected = "rejected" if padding == "valid" and ours <= 0 else ours
        assert expected == theirs, (length, kernel, stride, dilation, padding)


def test_pool_length_equals_keras_everywhere():
    _, pool, _ = _keras_helpers()
    for length, size, stride, _, padding in GRID:
        ours = ops.pool_length(length, size, stride, padding)
        try:
            theirs = pool((None, length, 1), (size,), (stride,), padding)[1]
        except ValueError:
            theirs = "rejected"
        assert ("rejected" if padding == "valid" and ours <= 0 else ours) == theirs


def test_transpose_length_equals_keras_everywhere():
    _, _, transpose = _keras_helpers()
    for (length, kernel, stride, dilation, padding), extra in itertools.product(GRID, (None, 0, 1, 2)):
        output_padding = None if extra is None else min(extra, stride - 1)
        ours = ops.transpose_length(length, kernel, stride, padding, output_padding, dilation)
        theirs = transpose((None, length, 1), (kernel,), 1, (stride,), padding,
                           None if output_padding is None else (output_padding,), "channels_last", (dilation,))[1]
        assert ours == theirs, (length, kernel, stride, dilation, padding, output_padding)


@pytest.mark.parametrize("value, expected", [
    (None, "channels_last"), ("channels_first", "channels_first"), ("Channels_First", "channels_first"),
])
def test_data_format(value, expected):
    from kerascheck.shapes.base import rule_for

    node = layer("Conv1D", 4, 3, data_format=value)
    assert ops.data_format(rule_for("Conv1D").bind(node)) == expected


def test_bad_data_format_is_kc302():
    from kerascheck.shapes.base import rule_for

    with pytest.raises(ShapeError) as error:
        ops.data_format(rule_for("Conv1D").bind(layer("Conv1D", 4, 3, data_format="channels_middle")))
    assert error.value.code == "KC302"


@pytest.mark.parametrize("produced, wanted, advice", [
    ((None, 30, 30, 32), "3D (batch, timesteps, features)",
     "outputs 4D (None, 30, 30, 32); add Reshape((30, 960)) (or TimeDistributed(Flatten())) after it to merge "
     "the last 2 axes"),
    ((None, 30, None, 32), "3D (batch, timesteps, features)",
     "outputs 4D (None, 30, None, 32); add Reshape((30, -1)) (or TimeDistributed(Flatten())) after it to merge "
     "the last 2 axes"),
    ((None, None, 30, 32), "3D (batch, timesteps, features)",
     "outputs 4D (None, None, 30, 32); add TimeDistributed(Flatten()) after it to merge the last 2 axes"),
    ((None, None, 4, 4, 2), "4D (batch, height, width, channels)",
     "outputs 5D (None, None, 4, 4, 2); add a Reshape to 4D after it"),
    ((None, 393, 32), "4D (batch, height, width, channels)",
     "outputs 3D (None, 393, 32); add Reshape((393, 32, 1)) after it, or use a 1D layer"),
    ((None, 8, 8, 4), "2D (batch, features)",
     "outputs 4D (None, 8, 8, 4); add Flatten() (or a global pooling layer) after it"),
    ((None, 8, 4), "3D", None),
])
def test_reshape_advice(produced, wanted, advice):
    assert ops.reshape_advice(produced, wanted, "outputs") == advice
