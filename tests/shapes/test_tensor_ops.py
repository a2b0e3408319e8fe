"""Element-wise, reduction and matrix keras.ops pseudo layers: exact shapes and Keras's rejections
(checked against Keras 3), numbers given as keyword operands."""

from __future__ import annotations

import pytest

from tests.shapes.helpers import agree, layer, static

CASES = [
    # (node, input shape(s) incl. batch, expected output or error code)
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


def test_an_operand_neither_tensor_nor_number_gives_an_unknown_shape():
    from kerascheck.graph import UNKNOWN

    assert static(layer("ops.add", x2=UNKNOWN), (None, 4)).output is None
    assert static(layer("ops.mean", axis=UNKNOWN), (None, 4)).output is None
    assert static(layer("ops.add"), [(None, 4), None]).output is None
