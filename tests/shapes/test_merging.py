"""Merge layer rules: exact shapes and codes, each checked against real Keras 3."""

from __future__ import annotations

import pytest

from tests.differential.strategies_merging import STRATEGIES
from tests.shapes.helpers import layer, shape_error, static
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras, weightless

ACCEPTED = [
    (layer("Add"), [(None, 3), (None, 3)], (None, 3)),
    (layer("Add"), [(None, 3), (None, 4, 3)], (None, 4, 3)),  # ranks aligned on the right
    (layer("Add"), [(None, None), (None, 4)], (None, None)),
    (layer("Add"), [(None,), (None, 4)], (None, 4)),
    (layer("Add"), [(None, 3)], (None, 3)),  # one input is enough
    (layer("Multiply"), [(None, 1, 5), (None, 4, 1)], (None, 4, 5)),
    (layer("Average"), [(2, 3), (None, 3)], (2, 3)),
    (layer("Maximum"), [(None, 3), (None, 3), (None, 1)], (None, 3)),
    (layer("Minimum"), [(None, 2, 3), (None, 3)], (None, 2, 3)),
    (layer("Subtract"), [(None, 8), (None, 8)], (None, 8)),
    (layer("Concatenate"), [(None, 3, 4), (None, 3, 5)], (None, 3, 9)),
    (layer("Concatenate", axis=1), [(None, 3, 4), (None, 2, 4)], (None, 5, 4)),
    (layer("Concatenate"), [(None, None, 4), (None, 3, 4)], (None, None, 8)),
    (layer("Concatenate"), [(None, 3, 4), (None, None, 4)], (None, 3, 8)),  # the first input's dims win
    (layer("Concatenate", axis=0), [(2, 3, 4), (5, 3, 4)], (7, 3, 4)),
    (layer("Concatenate", axis=2), [(None, 3, None), (None, 3)], (None, 3, None)),
    (layer("Concatenate", axis=1), [(None,)], (None,)),  # one input: the axis is never used
    # axis=-rank is the first axis on every rank (axis=-rank-1 is out of range: REJECTED).
    (layer("Concatenate", axis=-2), [(2, 3), (5, 3)], (7, 3)),
    (layer("Concatenate", axis=-3), [(2, 3, 4), (5, 3, 4)], (7, 3, 4)),
    (layer("Concatenate", axis=-4), [(2, 3, 4, 5), (1, 3, 4, 5)], (3, 3, 4, 5)),
    (layer("Concatenate", axis=-5), [(2, 3, 4, 5, 6), (1, 3, 4, 5, 6)], (3, 3, 4, 5, 6)),
    (layer("Dot", axes=1), [(None, 3), (None, 3)], (None, 1)),
    (layer("Dot", axes=(1, 2)), [(None, 3, 5), (None, 10, 3)], (None, 5, 10)),
    (layer("Dot", axes=-1), [(None, 3, 5), (None, 10, 5)], (None, 3, 10)),
    (layer("Dot", axes=1), [(None, None), (None, None)], (None, 1)),
    (layer("Dot", axes=0), [(None, 3), (None, 3)], (3, 1)),  # batch axis: Keras computes a shape anyway
    (layer("Dot", axes=1, normalize=True), [(2, 3), (4, 3)], (2, 1)),
]

REJECTED = [
    (layer("Add"), [(None, 3), (None, 4)], "KC203"),
    (layer("Add"), [(None, 3), (None, 3, 4)], "KC203"),
    (layer("Add"), [(2, 3), (3, 3)], "KC203"),
    (layer("Add"), (None, 3), "KC203"),  # not a list
    (layer("Subtract"), [(None, 3), (None, 3), (None, 3)], "KC203"),
    (layer("Subtract"), [(None, 3)], "KC203"),
    (layer("Concatenate", axis=1), [(None, 3, 4), (None, 3, 5)], "KC203"),
    (layer("Concatenate"), [(None, 3, 4), (None, 3)], "KC203"),
    (layer("Concatenate", axis=3), [(None, 3, 4), (None, 3, 4)], "KC303"),
    (layer("Concatenate", axis=-4), [(None, 3, 4), (None, 3, 4)], "KC303"),
    (layer("Concatenate", axis=-3), [(None, 3), (None, 3)], "KC303"),
    (layer("Concatenate", axis=-5), [(None, 3, 4, 5), (None, 3, 4, 5)], "KC303"),
    (layer("Concatenate", axis=-6), [(None, 3, 4, 5, 6), (None, 3, 4, 5, 6)], "KC303"),
    (layer("Concatenate", axis=2), [(None, 3, 4), (None, 3)], "KC303"),
    (layer("Concatenate", axis="x"), [(None, 3), (None, 3)], "KC303"),
    (layer("Dot", axes=1), [(None, 3), (None, 4)], "KC203"),
    (layer("Dot", axes=1), [(None, 3), (None, None)], "KC203"),  # Keras compares exactly
    (layer("Dot", axes=2), [(None, 3), (None, 3)], "KC303"),
    (layer("Dot", axes=(1, 2, 3)), [(None, 3), (None, 3)], "KC303"),
    (layer("Dot", axes=None), [(None, 3), (None, 3)], "KC303"),
    (layer("Dot"), [(None, 3), (None, 3)], "KC304"),
    (layer("Dot", axes=1), [(None, 3), (None, 3), (None, 3)], "KC203"),
]


test_shapes_without_params = infers_each(weightless(ACCEPTED))
test_rejections = rejects_each(REJECTED)
test_agrees_with_keras = agrees_with_keras_on(ACCEPTED, REJECTED)


def test_mismatch_message_names_both_shapes():
    assert shape_error(layer("Add"), [(None, 32), (None, 64)]).fields["detail"] == (
        "(None, 32), (None, 64) cannot be broadcast: 32 vs 64 on axis -1")


test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)


@pytest.mark.parametrize("node", [layer("Add"), layer("Concatenate"), layer("Dot", axes=1), layer("Attention"),
                                  layer("AdditiveAttention"), layer("MultiHeadAttention", 2, 4)])
def test_nested_inputs_are_unknown_not_errors(node):
    result = static(node, [(None, 3), [(None, 3), (None, 3)]])
    assert result.output is None
