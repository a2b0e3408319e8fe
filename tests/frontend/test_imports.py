"""Every import style finds the model, its layer types and its input shape."""

from __future__ import annotations

import pytest

from kerascheck.frontend.imports import canonical
from tests.frontend.helpers import frontend, input_shapes, models, only, types

STYLES = {
    "from keras.models/layers": """
        from keras.models import Sequential
        from keras.layers import LSTM, Dense
        model = Sequential()
        model.add(LSTM(4, input_shape=(10, 3)))
        model.add(Dense(1))
    """,
    "star imports": """
        from keras.models import *
        from keras.layers import *
        model = Sequential()
        model.add(LSTM(4, input_shape=(10, 3)))
        model.add(Dense(1))
    """,
    "tensorflow.keras layers, models": """
        from tensorflow.keras import layers, models
        model = models.Sequential([layers.LSTM(4, input_shape=(10, 3)), layers.Dense(1)])
    """,
    "import tensorflow as tf": """
        import tensorflow as tf
        model = tf.keras.models.Sequential([tf.keras.layers.LSTM(4, input_shape=(10, 3)),
                                            tf.keras.layers.Dense(1)])
    """,
    "from tensorflow import keras": """
        from tensorflow import keras
        model = keras.Sequential([keras.layers.LSTM(4, input_shape=(10, 3)), keras.layers.Dense(1)])
    """,
    "import keras": """
        import keras
        model = keras.models.Sequential()
        model.add(keras.layers.LSTM(4, input_shape=(10, 3)))
        model.add(keras.layers.Dense(1))
    """,
    "tensorflow.python.keras": """
        from tensorflow.python.keras import Sequential
        from tensorflow.python.keras.layers import LSTM, Dense
        model = Sequential()
        model.add(LSTM(4, input_shape=(10, 3)))
        model.add(Dense(1))
    """,
    "import tensorflow.keras.layers as L": """
        import tensorflow.keras.layers as L
        import tensorflow.keras as K
        model = K.Sequential([L.LSTM(4, input_shape=(10, 3)), L.Dense(1)])
    """,
    "tf_keras": """
        import tf_keras
        model = tf_keras.Sequential([tf_keras.layers.LSTM(4, input_shape=(10, 3)), tf_keras.layers.Dense(1)])
    """,
    "keras_core": """
        import keras_core as keras
        model = keras.Sequential([keras.layers.LSTM(4, input_shape=(10, 3)), keras.layers.Dense(1)])
    """,
    "Keras 2 submodules": """
        from keras.models import Sequential
        from keras.layers.core import Dense
        from keras.layers.recurrent import LSTM
        model = Sequential()
        model.add(LSTM(4, input_shape=(10, 3)))
        model.add(Dense(1))
    """,
    "keras.src": """
        from keras.src.models import Sequential
        from keras.src.layers import LSTM, Dense
        model = Sequential([LSTM(4, input_shape=(10, 3)), Dense(1)])
    """,
}


@pytest.mark.parametrize("source", STYLES.values(), ids=STYLES.keys())
def test_import_style_finds_the_model(source):
    model = only(source)
    assert model.kind == "sequential"
    assert types(model) == ["LSTM", "Dense"]
    assert input_shapes(model) == [(None, 10, 3)]


FUNCTIONAL = {
    "keras.Input + keras.Model": """
        import keras
        inp = keras.Input(shape=(8,))
        model = keras.Model(inp, keras.layers.Dense(2)(inp))
    """,
    "keras.layers.Input + keras.models.Model": """
        import keras
        inp = keras.layers.Input(shape=(8,))
        model = keras.models.Model(inputs=inp, outputs=keras.layers.Dense(2)(inp))
    """,
    "tf.keras.models.Model": """
        import tensorflow as tf
        inp = tf.keras.layers.Input(batch_shape=(None, 8))
        model = tf.keras.models.Model(inputs=[inp], outputs=[tf.keras.layers.Dense(2)(inp)])
    """,
    "Keras 2 convolutional submodule": """
        from keras.layers import Input
        from keras.layers.convolutional import Conv1D
        from keras.models import Model
        inp = Input((8,))
        model = Model(inp, Conv1D(2, 3)(inp))
    """,
}


@pytest.mark.parametrize("source", FUNCTIONAL.values(), ids=FUNCTIONAL.keys())
def test_functional_import_styles(source):
    model = only(source)
    assert model.kind == "functional"
    assert len(types(model)) == 1 and types(model)[0] in ("Dense", "Conv1D")
    assert input_shapes(model) == [(None, 8)]


@pytest.mark.parametrize("written, expected", [
    ("tensorflow.keras.layers.LSTM", "keras.layers.LSTM"),
    ("tensorflow.python.keras.layers.LSTM", "keras.layers.LSTM"),
    ("tf_keras.layers.Dense", "keras.layers.Dense"),
    ("keras_core.layers.Dense", "keras.layers.Dense"),
    ("keras.src.layers.core.dense.Dense", "keras.layers.Dense"),
    ("keras.layers.core.Dense", "keras.layers.Dense"),
    ("keras.layers.experimental.preprocessing.Rescaling", "keras.layers.Rescaling"),
    ("keras.Sequential", "keras.models.Sequential"),
    ("keras.engine.training.Model", "keras.models.Model"),
    ("keras.Input", "keras.layers.Input"),
    ("keras.utils.np_utils.to_categorical", "keras.utils.to_categorical"),
    ("numpy.random.rand", "numpy.random.rand"),
    ("tensorflow.nn.relu", "tensorflow.nn.relu"),
])
def test_canonical_names(written, expected):
    assert canonical(written) == expected


def test_imports_are_recorded_with_positions():
    result = frontend("""
        import numpy as np
        from tensorflow.keras.layers import Dense, LSTM
        from keras.utils import np_utils
    """)
    found = [(r.module, r.names, r.canonical, r.position.line) for r in result.imports]
    assert found == [("numpy", (), "numpy", 2),
                     ("tensorflow.keras.layers", ("Dense", "LSTM"), "keras.layers", 3),
                     ("keras.utils", ("np_utils",), "keras.utils", 4)]


def test_star_import_of_unknown_module_does_not_claim_layer_names():
    found = models("""
        from keras.models import Sequential
        from mylib import *
        model = Sequential()
        model.add(Dense(3, input_dim=2))
    """)
    assert found == []
