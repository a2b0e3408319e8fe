"""``return_attention_scores=True``: the scores follow the output. Keras 3's symbolic
MultiHeadAttention scores take the query's steps twice (the computed ones the value's), so
across sequences of other lengths they are unknown there; tf-keras gives the value's steps."""

from __future__ import annotations

import pytest

from kerascheck.shapes.attention import attention_scores
from tests.shapes.helpers import layer


@pytest.mark.parametrize(("version", "expected"), [(3, None), (2, (None, 4, 9, 12))])
def test_cross_attention_scores(version, expected):
    node = layer("MultiHeadAttention", num_heads=4, key_dim=8)
    assert attention_scores(node, [(None, 9, 32), (None, 12, 32)], version) == expected


def test_keras_3_symbolic_scores_take_the_query_steps_twice(keras3, keras2):
    shapes = []
    for keras in (keras3, keras2):
        query, value = keras.Input((9, 32)), keras.Input((12, 32))
        _, scores = keras.layers.MultiHeadAttention(num_heads=4, key_dim=8)(query, value, return_attention_scores=True)
        shapes.append(tuple(scores.shape))
    assert shapes == [(None, 4, 9, 9), (None, 4, 9, 12)]


def test_self_attention_and_attention_layer_scores_are_known_on_both():
    mha = layer("MultiHeadAttention", num_heads=2, key_dim=8)
    assert attention_scores(mha, [(None, 12, 32), (None, 12, 32)], 3) == (None, 2, 12, 12)
    assert attention_scores(layer("Attention"), [(None, 9, 32), (None, 12, 32)], 3) == (None, 9, 12)
