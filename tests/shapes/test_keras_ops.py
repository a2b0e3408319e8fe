"""keras.ops pseudo layers (shapes/keras_ops.py, shapes/tensor_ops.py): exact shapes, no weights,
Keras's rejections (checked against Keras 3)."""

from __future__ import annotations

import pytest

from tests.shapes.helpers import agree, layer, static

CASES = [
    # (node, input shape(s) incl. batch, expected output or error code)
    (layer("ops.concatenate", axis=-1), [(None, 3), (None, 4)], (None, 7)),
    (layer("ops.concatenate"), [(None, 3), (None, 3)], (None, 3)),  # axis=0: the batch axis
    (layer("ops.concatenate"), [(None, 3), (None, 4)], "KC203"),
    (layer("ops.concatenate", axis=1), [(None, 3), (2, 4)], (None, 7)),  # first tensor's sizes kept
    (layer("ops.concatenate", axis=1), [(None, None, 2), (None, 4, 2)], (None, None, 2)),
    (layer("ops.concatenate", axis=1), [(None, 3, 2), (None, 4)], "KC203"),
    (layer("ops.concatenate", axis=2), [(None, 3), (None, 3)], "KC303"),
    (layer("ops.concatenate", axis=None), [(None, 3)], "KC303"),
    (layer("ops.reshape", (-1, 4)), (None, 8), (None, 4)),
    (layer("ops.reshape", (2, 2, 2)), (2, 4), (2, 2, 2)),
    (layer("ops.reshape", (3, 4)), (2, 4), "KC202"),
    (layer("ops.reshape", (-1, 3)), (2, 4), "KC202"),
    (layer("ops.reshape", (-1, -1)), (2, 4), "KC303"),
    (layer("ops.reshape", (-2, 4)), (2, 4), "KC303"),
    (layer("ops.reshape", 8), (2, 4), (8,)),
    (layer("ops.reshape", (None, 2, 2)), (2, 4), (None, 2, 2)),
    (layer("ops.expand_dims", 1), (None, 4), (None, 1, 4)),
    (layer("ops.expand_dims", (0, -1)), (None, 4), (1, None, 4, 1)),
    (layer("ops.expand_dims", (1, 1)), (None, 4), "KC303"),
    (layer("ops.expand_dims", 3), (None, 4), "KC303"),
    (layer("ops.expand_dims", None), (None, 4), "KC303"),
    (layer("ops.squeeze"), (None, 1, 4, 1), (None, 4)),
    (layer("ops.squeeze", axis=1), (None, 1, 4), (None, 4)),
    (layer("ops.squeeze", axis=0), (None, 1, 4), "KC303"),  # an unknown size is not 1
    (layer("ops.squeeze", axis=(1, 1)), (None, 1, 1), (None,)),  # a repeated axis deletes twice
    (layer("ops.squeeze", axis=(2, 2)), (None, 1, 1), "KC303"),
    (layer("ops.squeeze", axis=5), (None, 1, 1), "KC303"),
    # element-wise, reduction and matrix ops (shapes/tensor_ops.py); numbers as keyword operands
    (layer("ops.add"), [(None, 4), (None, 4)], (None, 4)),
    (layer("ops.add"), [(None, 4), (4,)], (None, 4)),
    (layer("ops.multiply"), [(None, 5, 1), (None, 1, 3)], (None, 5, 3)),
    (layer("ops.subtract"), [(None, 4), (None, 3)], "KC203"),
    (layer("ops.maximum"), [(None, None, 8), (None, 6, 8)], (None, 6, 8)),
    (layer("ops.divide"), [(2, 3), (None, 3)], (2, 3)),
    (layer("ops.add"), [(None, 1), (None, 6)], (None, 6)),
    (layer("ops.subtract", x2=1), (None, 4), (None, 4)),
    (layer("ops.divide", x1=1.0), (None, 4, 2), (None, 4, 2)),
    (layer("ops.greater", x2=0.5), (None, 3), (None, 3)),
    (layer("ops.power"), [(None, 4, 2), (None, 3, 2)], "KC203"),
    (layer("ops.exp"), (None, 4, 2), (None, 4, 2)),
    (layer("ops.softmax", axis=1), (None, 4, 2), (None, 4, 2)),
    (layer("ops.cast", dtype="float16"), (None, 7), (None, 7)),
    (layer("ops.clip", x_min=0.0, x_max=1.0), (None, 7), (None, 7)),
    (layer("ops.mean", axis=1), (None, 5, 3), (None, 3)),
    (layer("ops.mean", axis=-1, keepdims=True), (None, 5, 3), (None, 5, 1)),
    (layer("ops.sum"), (None, 5, 3), ()),
    (layer("ops.max", keepdims=True), (None, 5, 3), (1, 1, 1)),
    (layer("ops.min", axis=(1, 2)), (None, 5, 3), (None,)),
    (layer("ops.argmax", axis=-1), (None, 5, 3), (None, 5)),
    (layer("ops.argmin", axis=1, keepdims=True), (None, 5, 3), (None, 1, 3)),
    (layer("ops.mean", axis=3), (None, 5, 3), "KC303"),
    (layer("ops.matmul"), [(None, 5, 3), (3, 4)], (None, 5, 4)),
    (layer("ops.matmul"), [(None, 5, 3), (None, 3, 4)], (None, 5, 4)),
    (layer("ops.matmul"), [(None, 5, 3), (4, 4)], "KC203"),
    (layer("ops.matmul"), [(None, 5, 3), (3,)], (None, 5)),
    (layer("ops.matmul"), [(3,), (None, 3, 2)], (None, 2)),
    (layer("ops.matmul"), [(None, 2, 5, 3), (7, 3, 4)], "KC203"),
    (layer("ops.matmul"), [(None, 5, None), (6, 4)], (None, 5, 4)),
    (layer("ops.transpose"), (None, 5, 3), (3, 5, None)),
    (layer("ops.transpose", axes=(0, 2, 1)), (None, 5, 3), (None, 3, 5)),
    (layer("ops.transpose", axes=(0, 2)), (None, 5, 3), "KC303"),
    (layer("ops.transpose", axes=(0, 1, 1)), (None, 5, 3), "KC303"),
]


def _describe(case) -> str:
    node, shape, _ = case
    return f"{node.type}{node.args}{node.kwargs}-{shape}"


@pytest.mark.parametrize("node, shape, expected", CASES, ids=[_describe(c) for c in CASES])
def test_static_answer(node, shape, expected):
    ours = static(node, shape)
    if isinstance(expected, str):
        assert ours == expected
    else:
        assert not isinstance(ours, str), ours
        assert (ours.output, ours.params) == (expected, 0)


@pytest.mark.parametrize("node, shape, expected", CASES, ids=[_describe(c) for c in CASES])
def test_agrees_with_keras(node, shape, expected, keras3):
    agree(node, shape, keras3)


def test_unknown_arguments_and_inputs_give_unknown_shapes():
    from kerascheck.graph import UNKNOWN

    assert static(layer("ops.reshape", UNKNOWN), (None, 4)).output is None
    assert static(layer("ops.reshape", (UNKNOWN, 2)), (None, 4)).output is None
    assert static(layer("ops.squeeze", axis=UNKNOWN), (None, 1)).output is None
    assert static(layer("ops.expand_dims", UNKNOWN), (None, 4)).output is None
    assert static(layer("ops.concatenate", axis=-1), [(None, 3), None]).output is None
    assert static(layer("ops.concatenate", axis=UNKNOWN), [(None, 3), (None, 2)]).output is None


def test_an_operand_neither_tensor_nor_number_gives_an_unknown_shape():
    from kerascheck.graph import UNKNOWN

    assert static(layer("ops.add", x2=UNKNOWN), (None, 4)).output is None
    assert static(layer("ops.mean", axis=UNKNOWN), (None, 4)).output is None
    assert static(layer("ops.add"), [(None, 4), None]).output is None


def test_a_slice_of_a_negative_size_is_unknown_not_an_internal_error():
    """A negative size reaches a slice only after a layer Keras rejects (a mutated program did
    it); the slice's length is then unknown, where slice.indices raised."""
    result = static(layer("ops.get_item", key=(slice(None), slice(1, None))), (None, -3))
    assert not isinstance(result, str) and result.output == (None, None)
