"""--statistics counts what was understood: named dims count as inferred, ``?`` does not."""

from __future__ import annotations

import textwrap

from kerascheck import check_source
from kerascheck.report import FileReport
from kerascheck.report.statistics import Statistics

SOURCE = """
import keras
from keras import layers

def build(n_features):
    inputs = keras.Input(shape=(n_features,))
    x = layers.Dense(8)(inputs)
    x = layers.Dense(int(x.shape[-1] * 0.5))(x)
    x = layers.LayerNormalization()(x)
    x = layers.Activation("relu")(x)
    return keras.Model(inputs, layers.Lambda(lambda t: t * 2)(x))
"""


def test_named_dims_are_inferred_anonymous_ones_are_not():
    result = check_source(textwrap.dedent(SOURCE), "model.py")
    statistics = Statistics()
    statistics.add(FileReport(result.path, result.diagnostics, result.models))
    # InputLayer and Dense(8) have named dims; Dense(unknown units), LayerNormalization and
    # Activation have a '?' dim, and so has the Lambda, whose function gives its input's shape;
    # the keras.ops multiply the function makes is no layer.
    assert (statistics.models, statistics.layers, statistics.inferred, statistics.named) == (1, 6, 2, 2)
    assert statistics.text().splitlines()[1] == "layers: 6, fully inferred: 2 (33%), 2 of them with named dims"
