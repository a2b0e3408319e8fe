"""Regularization rules: exact shapes and codes, checked against real Keras 3."""

from __future__ import annotations

from tests.differential.strategies_regularization import STRATEGIES
from tests.shapes.helpers import layer
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras

CASES = [
    (layer("Dropout", 0.5), (None, 4), (None, 4), 0),
    (layer("Dropout", 1.0), (None, 4), (None, 4), 0),
    (layer("Dropout", 0), (None,), (None,), 0),
    (layer("Dropout", 0.5, noise_shape=(None, 1, 3)), (None, 4, 3), (None, 4, 3), 0),
    (layer("SpatialDropout1D", 0.5), (None, 4, 3), (None, 4, 3), 0),
    (layer("SpatialDropout2D", 0.5, data_format="channels_first"), (None, 4, 3, 2), (None, 4, 3, 2), 0),
    (layer("SpatialDropout3D", 0.5), (None, 4, 3, 2, 1), (None, 4, 3, 2, 1), 0),
    (layer("GaussianNoise", 0.1), (None, 4), (None, 4), 0),
    (layer("GaussianDropout", 0.1), (None, 4, 2), (None, 4, 2), 0),
    (layer("AlphaDropout", 0.1), (None, 4), (None, 4), 0),
    (layer("ActivityRegularization", 0.1, 0.2), (None, 4), (None, 4), 0),
]

REJECTS = [
    (layer("Dropout", 1.5), (None, 4), "KC303"),
    (layer("Dropout", -0.1), (None, 4), "KC303"),
    (layer("Dropout", "0.5"), (None, 4), "KC303"),
    (layer("Dropout"), (None, 4), "KC304"),
    (layer("Dropout", 0.5, noise_shape=(None, 0)), (None, 4), "KC303"),
    (layer("Dropout", 0.5, noise_shape="a"), (None, 4), "KC303"),
    (layer("SpatialDropout1D", 0.5), (None, 4), "KC101"),
    (layer("SpatialDropout2D", 0.5), (None, 4, 3), "KC101"),
    (layer("SpatialDropout3D", 1.5), (None, 4, 3, 2, 1), "KC303"),
    (layer("GaussianNoise", 1.5), (None, 4), "KC303"),
    (layer("GaussianDropout", 1.1), (None, 4), "KC303"),
    (layer("AlphaDropout", -1), (None, 4), "KC303"),
]

test_shapes = infers_each(CASES)
test_rejections = rejects_each(REJECTS)
test_agrees_with_keras = agrees_with_keras_on(CASES, REJECTS)
test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)
