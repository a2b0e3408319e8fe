"""EinsumDense rule: exact shapes, parameter counts and codes, checked against Keras 3."""

from __future__ import annotations

from tests.differential.strategies_einsum_dense import STRATEGIES
from tests.shapes.helpers import layer
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras

ACCEPTED = [
    (layer("EinsumDense", "ab,bc->ac", 64, bias_axes="c"), (None, 32), (None, 64), 2112),
    (layer("EinsumDense", "abc,cd->abd", (None, 64), bias_axes="d"), (None, 10, 32), (None, None, 64), 2112),
    (layer("EinsumDense", "abc,cde->abde", (None, 2, 7), bias_axes="de"), (None, 3, 4), (None, None, 2, 7), 70),
    (layer("EinsumDense", "...c,cd->...d", 7), (None, 2, 3, 4), (None, 3, 2, 7), 28),  # Keras reverses elided dims
    (layer("EinsumDense", "ab...,bc->ac...", (7,), bias_axes="c"), (None, 3, 4, 5), (None, 7, 4, 5), 28),
    (layer("EinsumDense", "ab,bc->ac", (4, 5)), (None, 3), (None, 4, 5), 12),  # output_shape taken at its word
    (layer("EinsumDense", "ab,bc->ac", 0), (None, 3), (None, 0), 0),
    (layer("EinsumDense", "abc,cd->abd", (5, 8)), (None, 5, 4), (None, 5, 8), 32),
]

REJECTED = [
    (layer("EinsumDense", "abc,cde->abde", (None, 2, 7), bias_axes="be"), (None, 3, 4), "KC204"),
    (layer("EinsumDense", "ab,bc->ac", 5), (None, None), "KC204"),
    (layer("EinsumDense", "ab,bc->ac", -2), (None, 3), "KC303"),
    (layer("EinsumDense", "ab,bc->ac", (0, -1)), (None, 2), "KC303"),  # -1 is only in the output
    (layer("EinsumDense", "ab,bc->ac", ("a",)), (None, 2), "KC303"),
    (layer("EinsumDense", "abc,cd->abd", (4, 8)), (None, 5, 4), "KC303"),  # 'b' is 5 in the input
    (layer("EinsumDense", "ab,bc", 5), (None, 3), "KC303"),
    (layer("EinsumDense", "ab,cd->ac", 5), (None, 3), "KC303"),
    (layer("EinsumDense", "ab,bc->ac", 5, bias_axes="z"), (None, 3), "KC303"),
    (layer("EinsumDense", "abc,cd->abd", 5), (None, 3), "KC303"),
    (layer("EinsumDense", "ab,bc->ac", None), (None, 3), "KC303"),
    (layer("EinsumDense", "ab,bc->ac"), (None, 3), "KC304"),
]


test_shapes_and_params = infers_each(ACCEPTED)
test_rejections = rejects_each(REJECTED)
test_agrees_with_keras = agrees_with_keras_on(ACCEPTED, REJECTED)
test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES, max_examples=60)
