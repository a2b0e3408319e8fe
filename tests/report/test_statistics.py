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
y = layers.Lambda(lambda t: tf.signal.dct(t))(tokens)
y = layers.Dense(8)(y)
y = layers.Dropout(0.1)(y)
second = keras.Model(tokens, y)
"""


def test_what_stopped_inference_is_listed_with_the_layers_left_unknown():
    result = check_source(textwrap.dedent(PARTLY_CHECKED), "model.py")
    statistics = Statistics()
    statistics.add(FileReport(result.path, result.diagnostics, result.models))
    # the custom layer (its call not followed: tf.signal) stops the first model, but the LSTM fixes (None, 16) after it; the
    # Lambda (tf.signal again) stops the second, and both layers after it
    assert (statistics.inferred, statistics.partial) == (3, 1)
    assert statistics.text().splitlines()[-1] == \
        "inference stopped at (first unknown output in a model): Lambda x1, custom layer Scale x1; " \
        "2 layers after them unknown"


UNKNOWN_TYPES = """
import keras
from keras import layers

inputs = keras.Input(shape=(20, 8))
x = layers.Fancy()(inputs)
x = layers.Odd()(x)
x = layers.Odd()(x)
x = layers.LSTM(16)(x)
x = keras.ops.relu(x) + 1
first = keras.Model(inputs, layers.Dense(4)(x))

tokens = keras.Input(shape=(20,))
second = keras.Model(tokens, layers.Dense(8)(layers.Fancy()(tokens)))
third = keras.Sequential([keras.Input((3,)), layers.Odd(), layers.Dense(2)])
fourth = keras.Sequential([keras.Input((3,)), layers.Able(), layers.Able(), layers.Dense(2)])
fifth = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
"""


def statistics_of(source: str) -> Statistics:
    result = check_source(textwrap.dedent(source), "model.py")
    statistics = Statistics()
    statistics.add(FileReport(result.path, result.diagnostics, result.models))
    return statistics


def test_unknown_types_and_stops_are_listed_most_frequent_first_then_by_name():
    # 15 layers: the keras.ops calls are none, a Sequential's Input no row. Inferred: both
    # InputLayers, the Dense(4) after the LSTM and fifth's Dense; the LSTM's count is unknown
    # (its input's features are), so it is known in part.
    assert statistics_of(UNKNOWN_TYPES).text() == "\n".join([
        "models found: 5",
        "layers: 15, fully inferred: 4 (27%), known in part: 1",
        "unknown layer types: Odd x3, Able x2, Fancy x2",
        "inference stopped at (first unknown output in a model): custom layer Fancy x2, custom layer Able x1, "
        "custom layer Odd x1; 6 layers after them unknown"])


def test_a_run_where_everything_is_inferred_says_so():
    source = """
import keras
from keras import layers

model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
"""
    assert statistics_of(source).text() == \
        "models found: 1\nlayers: 1, fully inferred: 1 (100%)\nunknown layer types: none"


def test_a_run_without_models_gives_no_share():
    assert statistics_of("x = 1\n").text() == "models found: 0\nlayers: 0, fully inferred: 0\nunknown layer types: none"


def test_statistics_add_up_over_files():
    statistics = statistics_of(UNKNOWN_TYPES)
    result = check_source(textwrap.dedent(UNKNOWN_TYPES), "other.py")
    statistics.add(FileReport(result.path, result.diagnostics, result.models))
    assert (statistics.models, statistics.layers, statistics.inferred, statistics.partial, statistics.unchecked) == \
        (10, 30, 8, 2, 12)
    assert statistics.unknown_types == {"Odd": 6, "Able": 4, "Fancy": 4}


def test_one_layer_left_unknown_is_one_layer():
    source = """
import keras
from keras import layers

inputs = keras.Input(shape=(4,))
second = keras.Model(inputs, layers.Dense(2)(layers.Fancy()(inputs)))
"""
    assert statistics_of(source).text().splitlines()[-1] == \
        "inference stopped at (first unknown output in a model): custom layer Fancy x1; 1 layer after them unknown"
