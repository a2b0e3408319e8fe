"""Normalization layer rules: exact shapes, parameter counts and codes, checked against Keras 3."""

from __future__ import annotations

import pytest

from kerascheck.graph import UNKNOWN
from tests.differential.strategies_normalization import STRATEGIES
from tests.shapes.helpers import agree, layer, static
from tests.shapes.tables import (
    agrees_with_keras_on,
    infers_each,
    rejects_each,
    shape_kept,
    shows_each,
    strategies_agree_with_keras,
)

ACCEPTED = [
    (layer("BatchNormalization"), (None, 8), 32),
    (layer("BatchNormalization", axis=1), (None, 3, 5), 12),
    (layer("BatchNormalization", axis=0), (4, 3), 16),
    (layer("BatchNormalization", axis=1.7), (None, 3, 5), 12),  # Keras calls int(axis)
    (layer("BatchNormalization", center=False, scale=False), (None, 6), 12),
    (layer("BatchNormalization", renorm=True), (None, 3, 5), 35),
    (layer("LayerNormalization"), (None, 10, 16), 32),
    (layer("LayerNormalization", axis=[1, 2]), (None, 3, 5), 30),
    (layer("LayerNormalization", axis=(1, 1)), (None, 3, 5), 18),
    (layer("LayerNormalization", axis=[]), (None, 3, 5), 2),
    (layer("LayerNormalization", rms_scaling=True), (None, 3, 5), 5),
    (layer("LayerNormalization", center=False), (None, 4), 4),
    (layer("LayerNormalization", center=False, scale=False), (None, None), 0),  # no weights: any size
    (layer("RMSNormalization"), (None, 5), 5),
    (layer("RMSNormalization", axis=[1, 2]), (None, 5, 3), 15),
    (layer("GroupNormalization", groups=2), (None, 6), 12),
    (layer("GroupNormalization", groups=-1), (None, 6), 12),
    (layer("GroupNormalization", groups=2, axis=1), (None, 4, 5), 8),
    (layer("GroupNormalization", groups=True), (None, 3, 5), 10),
    (layer("UnitNormalization"), (None,), 0),
    (layer("UnitNormalization", axis=[1, 2]), (None, 4, 5), 0),
]

REJECTED = [
    (layer("BatchNormalization"), (None, None), "KC204"),
    (layer("BatchNormalization", axis=0), (None, 3), "KC204"),
    (layer("BatchNormalization", axis=3), (None, 3), "KC303"),
    (layer("BatchNormalization", axis=[1]), (None, 3), "KC303"),
    (layer("LayerNormalization"), (None, None), "KC204"),
    (layer("LayerNormalization", axis=-4), (None, 3, 5), "KC303"),
    (layer("LayerNormalization", axis="x"), (None, 3), "KC303"),
    (layer("GroupNormalization", groups=4), (None, 6), "KC303"),
    (layer("GroupNormalization", groups=8), (None, 6), "KC303"),
    (layer("GroupNormalization", groups=0), (None, 6), "KC303"),
    (layer("GroupNormalization"), (None,), "KC204"),
    (layer("UnitNormalization", axis=3), (None, 5, 3), "KC303"),
    (layer("UnitNormalization", axis=1.5), (None, 5, 3), "KC303"),
]


test_keeps_shape_with_exact_params = infers_each(shape_kept(ACCEPTED))
test_rejections = rejects_each(REJECTED)
test_agrees_with_keras = agrees_with_keras_on(ACCEPTED, REJECTED)
test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)


# An unknown argument gives no error, and its output's unknown axis is an unknown size (?), not Keras's None.
test_unknown_arguments_never_raise = shows_each([
    (layer("LayerNormalization", center=UNKNOWN, scale=False), (None, None), "(None, ?)", None),
    (layer("BatchNormalization", axis=UNKNOWN), (None, None), "(None, ?)", None),
    (layer("GroupNormalization", groups=UNKNOWN), (None, None), "(None, ?)", None),
])


SPECTRAL = [  # (inner layer, input shape, output shape or code, params): read off Keras 3.15
    (layer("Dense", 5), (None, 3), (None, 5), 25),  # 20 weights + u of 5
    (layer("Dense", 5, use_bias=False), (None, 4, 3), (None, 4, 5), 20),
    (layer("Conv2D", 4, 3), (None, 8, 8, 2), (None, 6, 6, 4), 80),
    (layer("DepthwiseConv2D", 3, depth_multiplier=2), (None, 8, 8, 3), (None, 6, 6, 6), 62),
    (layer("Embedding", 10, 4), (None, 5), (None, 5, 4), 44),
    (layer("Dense", 0), (None, 3), "KC301", None),
    (layer("Conv2D", 4, 3), (None, 8, 2), "KC101", None),
]


@pytest.mark.parametrize("inner, shape, expected, params", SPECTRAL)
def test_spectral_normalization(inner, shape, expected, params, keras3):
    node = layer("SpectralNormalization", inner)
    result = static(node, shape)
    assert result == expected if isinstance(expected, str) else (result.output, result.params) == (expected, params)
    agree(node, shape, keras3)


def test_spectral_normalization_power_iterations(keras3):
    node = layer("SpectralNormalization", layer("Dense", 5), power_iterations=0)
    assert static(node, (None, 3)) == "KC303"
    agree(node, (None, 3), keras3)


def test_spectral_normalization_without_kernel_is_unknown():
    """Keras refuses a SeparableConv2D (no kernel attribute): kerascheck does not know it."""
    result = static(layer("SpectralNormalization", layer("SeparableConv2D", 4, 3)), (None, 8, 8, 3))
    assert (result.output, result.params) == (None, None)
