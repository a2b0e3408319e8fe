"""Attention layer rules: exact shapes, parameter counts and codes, checked against Keras 3.

MultiHeadAttention and GroupQueryAttention take ``[query, value(, key)]`` as separate call
arguments; ``verify.build.apply_layer`` spreads the list for them.
"""

from __future__ import annotations

from tests.differential.strategies_attention import STRATEGIES
from tests.shapes.helpers import layer
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras

MHA, GQA = "MultiHeadAttention", "GroupQueryAttention"

ACCEPTED = [
    (layer(MHA, 2, 4), [(None, 5, 8), (None, 7, 16)], (None, 5, 8), 416),
    (layer(MHA, num_heads=8, key_dim=64), [(None, 10, 512), (None, 10, 512)], (None, 10, 512), 1050624),
    (layer(MHA, 2, 4, output_shape=(3, 2), attention_axes=-1), [(None, 5, 8), (None, 7, 16)], (None, 5, 3, 2), 398),
    (layer(MHA, 2, 4), [(None, 8), (None, 16)], (None, 8), 416),
    (layer(MHA, 2, 4), [(None, 5, 8), (None, 2, 7, 16)], (None, 5, 8), 416),  # ranks not compared
    (layer(MHA, 2, 4), [(None, 5, 8), (None, 7, 16), (None, 7, 3)], (None, 5, 8), 312),
    (layer(MHA, 2, 4, use_gate=True, value_dim=3), [(None, 5, 8), (None, 7, 16), (None, 7, 3)], (None, 5, 8), 316),
    (layer(MHA, 2, 4, output_shape=0), [(None, 5, 8), (None, 7, 16)], (None, 5, 8), 416),
    (layer(MHA, 2, 4), [(None, 5, 8), (None, None, 16)], (None, 5, 8), 416),
    (layer(MHA, 2, 4, use_bias=False), [(None, 3, 5, 8), (None, 3, 7, 16)], (None, 3, 5, 8), 384),
    (layer(MHA, 2, 4, attention_axes=(3,)), [(None, 5, 8), (None, 7, 16)], (None, 5, 8), 416),
    (layer(MHA, 2, 4, attention_axes=(-6,)), [(None, 5, 8), (None, 7, 16)], (None, 5, 8), 416),
    (layer(GQA, 4, 4, 2), [(None, 5, 8), (None, 7, 8)], (None, 5, 8), 424),
    (layer(GQA, 4, 0, 2), [(None, 5, 8), (None, 7, 8)], (None, 5, 8), 152),
    (layer(GQA, 4, 4, 2), [(None, 2, 5, 8), (None, 7, 8)], (None, 2, 5, 8), 376),
    (layer(GQA, 4, 4, 2, use_gate=True, use_bias=False), [(None, 5, 8), (None, 7, 8), (None, 7, 3)], (None, 5, 8), 472),
    (layer("Attention"), [(None, 5, 8), (None, 7, 16)], (None, 5, 16), 0),  # sizes are not compared
    (layer("Attention", use_scale=True, score_mode="concat"), [(None, 5, 8), (None, 7, 16), (None, 7, 3)],
     (None, 5, 16), 2),
    (layer("Attention"), [(None, 8), (None, 16)], (None, 16), 0),
    (layer("AdditiveAttention"), [(None, 5, 8), (None, 7, 16)], (None, 5, 16), 8),
    (layer("AdditiveAttention", use_scale=False), [(None, 5, None), (None, 7, 16)], (None, 5, 16), 0),
]

REJECTED = [
    (layer(MHA, 2, 4), [(None,), (None, 16)], "KC204"),
    (layer(MHA, 2, 4), [(None, 5, None), (None, 7, 16)], "KC204"),
    (layer(MHA, 2, 4, output_shape=[2, None]), [(None, 5, 8), (None, 7, 16)], "KC204"),
    (layer(MHA, 2, 4, attention_axes=(4,)), [(None, 5, 8), (None, 7, 16)], "KC303"),
    (layer(MHA, 2, 4), [(None, 5, 8), (None, 7, 16), (None, 6, 16)], "KC203"),
    (layer(MHA, 0, 4), [(None, 5, 8), (None, 7, 16)], "KC301"),
    (layer(MHA, 2, 4, value_dim=0), [(None, 5, 8), (None, 7, 16)], "KC301"),
    (layer(MHA, 2), [(None, 5, 8), (None, 7, 16)], "KC304"),
    (layer(MHA, 2, 4), (None, 5, 8), "KC304"),  # called on the query alone
    (layer(MHA, 2, 4, dropout=0.5, flash_attention=True), [(None, 5, 8), (None, 7, 16)], "KC303"),
    (layer(GQA, 4, 4, 2), [(None, 5, 8), (None, 7, 6)], "KC203"),
    (layer(GQA, 4, 4, 2), [(None, 8), (None, 8)], "KC101"),
    (layer(GQA, 4, 4, 3), [(None, 5, 8), (None, 7, 8)], "KC303"),
    (layer("Attention"), [(None, 8)], "KC203"),
    (layer("Attention"), (None, 8), "KC203"),
    (layer("Attention", score_mode="general"), [(None, 8), (None, 8)], "KC302"),
    (layer("AdditiveAttention"), [(None, 5, None), (None, 7, 16)], "KC204"),
]


test_shapes_and_params = infers_each(ACCEPTED)
test_rejections = rejects_each(REJECTED)
test_agrees_with_keras = agrees_with_keras_on(ACCEPTED, REJECTED)


test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)
