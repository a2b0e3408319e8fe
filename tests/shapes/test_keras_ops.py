"""keras.ops pseudo layers: exact shapes, no weights, Keras's rejections (checked against Keras 3)."""

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
