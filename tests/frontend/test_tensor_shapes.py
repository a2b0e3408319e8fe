"""Sizes read from tensors (``x.shape[-1]``, ``K.int_shape(x)[-1]``, ``keras.ops.shape(x)[-1]``,
``x.shape.as_list()``) take the tensor's size in the layers they size; what is not known
stays a named dim. Each spelling is checked against the Keras it exists in."""

from __future__ import annotations

import textwrap

import pytest

from kerascheck import check_source
from tests.keras_run import run_quietly

# spelling -> (program, the Keras it runs on)
READS = {
    "shape": ("import keras\nfrom keras import layers\n", "x.shape[-1]", 3),
    "ops.shape": ("import keras\nfrom keras import layers\n", "keras.ops.shape(x)[-1]", 3),
    "int_shape": ("import tf_keras as keras\nfrom tf_keras import layers\nfrom tf_keras import backend as K\n",
                  "K.int_shape(x)[-1]", 2),
    "as_list": ("import tf_keras as keras\nfrom tf_keras import layers\n", "x.shape.as_list()[-1]", 2),
}
BODY = """
inputs = keras.Input(shape=(10, 6))
x = layers.Dense(12)(inputs)
y = layers.Dense({read} * 2)(x)
z = layers.Reshape(({read}, -1))(y)
model = keras.Model(inputs, z)
"""


def _program(spelling: str) -> str:
    header, read, _ = READS[spelling]
    return header + BODY.format(read=read)


@pytest.mark.parametrize("spelling", sorted(READS))
def test_a_read_size_sizes_the_next_layers(spelling):
    result = check_source(_program(spelling), "model.py")
    assert result.diagnostics == []
    rows = [(row.type, row.output, row.params) for row in result.models[0].layers]
    assert rows[-2:] == [("Dense", (None, 10, 24), 312), ("Reshape", (None, 12, 20), 0)]


@pytest.mark.parametrize("spelling", sorted(READS))
def test_keras_builds_the_same(spelling, keras3, keras2, monkeypatch):
    keras = keras3 if READS[spelling][2] == 3 else keras2
    source = _program(spelling)
    if keras is keras2:
        source = source.replace("tf_keras", keras.__name__)
    model = run_quietly(source, "model.py", keras, monkeypatch)["model"]
    assert [tuple(layer.output.shape) for layer in model.layers[-2:]] == [(None, 10, 24), (None, 12, 20)]
    assert model.layers[-2].count_params() == 312


def test_a_size_unknown_where_it_is_read_stays_named():
    result = check_source(textwrap.dedent("""
        import numpy as np
        import keras
        from keras import layers
        X = np.load("features.npy")
        inputs = keras.Input(shape=(X.shape[1], 4))
        x = layers.Dense(8)(inputs)
        y = layers.Dense(inputs.shape[1])(x)
        model = keras.Model(inputs, y)
        """), "model.py")
    assert result.diagnostics == []
    dense = result.models[0].layers[-1]
    assert str(dense.output[-1]) == "X.shape[1]" and str(dense.params) == "9*X.shape[1]"


def test_a_size_keras_does_not_know_is_not_guessed():
    result = check_source(textwrap.dedent("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(None, 4))
        y = layers.Dense(8)(inputs)
        z = layers.Reshape((y.shape[1], 2, 4))(y)
        model = keras.Model(inputs, z)
        """), "model.py")
    assert result.diagnostics == []


# maker of the noise -> the Keras it runs on
NOISE = {
    "keras.random": ("import keras\nfrom keras import layers\n",
                     "keras.random.normal(shape=(keras.ops.shape(m)[0], keras.ops.shape(m)[1]))", 3),
    "tf.random": ("import tensorflow as tf\nimport keras\nfrom keras import layers\n",
                  "tf.random.normal((tf.shape(m)[0], tf.shape(m)[1]))", 3),
    "tf.zeros, tf-keras": ("import tensorflow as tf\nimport tf_keras as keras\nfrom tf_keras import layers\n",
                           "tf.zeros(shape=(tf.shape(m)[0], 3))", 2),
}
NOISE_BODY = """
class Noisy(layers.Layer):
    def call(self, m):
        return m + {noise}

inputs = keras.Input(shape=(3,))
out = Noisy()(inputs)
model = keras.Model(inputs, out)
"""


def _ours_and_keras(text: str, keras, monkeypatch) -> tuple:
    """The last layer's output shape as inferred (nothing reported) and ``out``'s as Keras builds it."""
    result = check_source(text, "model.py")
    assert result.diagnostics == []
    namespace = run_quietly(text, "model.py", keras, monkeypatch)
    return result.models[0].layers[-1].output, tuple(namespace["out"].shape)


@pytest.mark.parametrize("maker", sorted(NOISE))
def test_a_tensor_made_of_sizes_read_in_a_call_has_that_shape(maker, keras3, keras2, monkeypatch):
    header, noise, version = NOISE[maker]
    text = header + textwrap.dedent(NOISE_BODY).format(noise=noise)
    assert _ours_and_keras(text, keras3 if version == 3 else keras2, monkeypatch) == ((None, 3), (None, 3))


def test_a_noise_of_another_shape_does_not_broadcast():
    header, noise, _ = NOISE["tf.random"]
    text = header + textwrap.dedent(NOISE_BODY).format(noise=noise).replace("shape=(3,)", "shape=(5, 3)")
    found = [(d.code, d.position.line) for d in check_source(text, "model.py").diagnostics]
    assert found == [("KC203", 7)]


# positions -> (program header, the Keras it runs on)
POSITIONS = {
    "keras.ops.arange(n)": ("import keras\nfrom keras import layers\n", "keras.ops.arange(keras.ops.shape(x)[1])", 3),
    "keras.ops.arange(start=, stop=, step=)": ("import keras\nfrom keras import layers\n",
                                               "keras.ops.arange(start=2, stop=keras.ops.shape(x)[1], step=1)", 3),
    "keras.ops.arange(0, 12, 5)": ("import keras\nfrom keras import layers\n", "keras.ops.arange(0, 12, 5)", 3),
    "keras.ops.arange(9, 1, -3)": ("import keras\nfrom keras import layers\n", "keras.ops.arange(9, 1, -3)", 3),
    "tf.range(limit=, delta=)": ("import tensorflow as tf\nimport keras\nfrom keras import layers\n",
                                 "tf.range(start=1, limit=tf.shape(x)[-2], delta=2)", 3),
    "tf.range, tf-keras": ("import tensorflow as tf\nimport tf_keras as keras\nfrom tf_keras import layers\n",
                           "tf.range(tf.shape(x)[1])", 2),
}
POSITIONS_BODY = """
class Positions(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.table = layers.Embedding(input_dim=20, output_dim=4)

    def call(self, x):
        return self.table({positions})

inputs = keras.Input(shape=(7, 3))
out = Positions()(inputs)
"""


@pytest.mark.parametrize("spelling", sorted(POSITIONS))
def test_positions_made_in_a_call_have_keras_length(spelling, keras3, keras2, monkeypatch):
    header, positions, version = POSITIONS[spelling]
    text = header + textwrap.dedent(POSITIONS_BODY).format(positions=positions)
    ours, theirs = _ours_and_keras(text, keras3 if version == 3 else keras2, monkeypatch)
    assert ours == theirs and ours[-1] == 4 and ours[0] is not None


@pytest.mark.parametrize(("positions", "shape"), [
    ("keras.ops.arange(keras.ops.shape(x)[1])", (None, 4)),  # the length is the input's, unknown
    ("keras.ops.arange(5, 2)", None),  # empty in NumPy and JAX, raises in TensorFlow
    ("keras.ops.arange(0, 5, 0)", None),
])
def test_positions_of_an_unknown_length_stay_unknown(positions, shape):
    header = POSITIONS["keras.ops.arange(n)"][0]
    text = header + textwrap.dedent(POSITIONS_BODY).format(positions=positions).replace("(7, 3)", "(None, 3)")
    result = check_source(text, "model.py")
    assert result.diagnostics == []
    assert result.models[0].layers[-1].output == shape
