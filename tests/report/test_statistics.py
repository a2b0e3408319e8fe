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
    assert statistics.text().splitlines()[1] == \
        "layers: 6, fully inferred: 2 (33%), 2 of them with named dims, known in part: 4"


PARTLY_CHECKED = """
import keras
import tensorflow as tf
from keras import layers

class Scale(layers.Layer):
    def call(self, x):
        return tf.signal.dct(x)

inputs = keras.Input(shape=(20, 8))
x = Scale()(inputs)
x = layers.LSTM(16)(x)
x = layers.Dense(4)(x)
first = keras.Model(inputs, x)

tokens = keras.Input(shape=(20,))
y = layers.Lambda(lambda t, n=2: t * n)(tokens)
y = layers.Dense(8)(y)
y = layers.Dropout(0.1)(y)
second = keras.Model(tokens, y)
"""


def test_what_stopped_inference_is_listed_with_the_layers_left_unknown():
    result = check_source(textwrap.dedent(PARTLY_CHECKED), "model.py")
    statistics = Statistics()
    statistics.add(FileReport(result.path, result.diagnostics, result.models))
    # the custom layer (its call not followed: tf.signal) stops the first model, but the LSTM fixes (None, 16) after it; the
    # Lambda (a default argument: not followed) stops the second, and both layers after it
    assert (statistics.inferred, statistics.partial) == (3, 1)
    assert statistics.text().splitlines()[-1] == \
        "inference stopped at (first unknown output in a model): Lambda x1, custom layer Scale x1; " \
        "2 layers after them unknown"
