"""Through ``kerascheck.check_source``: the frontend's positions are where diagnostics land."""

from __future__ import annotations

import textwrap

import pytest

import kerascheck
from kerascheck.config import Options
from kerascheck.data.arrays import Array
from tests.frontend.helpers import only

SEED = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense, RepeatVector
import numpy as np

model = Sequential()
model.add(LSTM(12, input_shape=(40, 2), return_sequences=True))
model.add(RepeatVector(3))
model.add(LSTM(6, return_sequences=False))
model.add((Dense((10,2))))
"""


def found(text: str) -> list[tuple[str, int, int]]:
    """Errors only: warnings (KC6xx) and version advice (KC5xx) belong to other checks' tests."""
    options = Options(select=("KC1", "KC2", "KC3", "KC4", "KC501", "KC502"))
    result = kerascheck.check_source(textwrap.dedent(text), "model.py", options)
    return [(d.code, d.position.line, d.position.column) for d in result.diagnostics]


def test_seed_model_reports_repeatvector_rank_and_dense_units():
    assert found(SEED) == [("KC101", 7, 11), ("KC301", 9, 12)]


def test_rank_hint_names_the_lstm_line():
    result = kerascheck.check_source(SEED, "model.py")
    rank = [d for d in result.diagnostics if d.code == "KC101"]
    assert "line 6" in rank[0].text


def test_functional_model_in_a_function_reports_inside_it():
    assert found("""
        import tensorflow as tf

        def build(units):
            inp = tf.keras.Input(shape=(8,))
            x = tf.keras.layers.Dense(units)(inp)
            return tf.keras.Model(inp, x)

        model = build((4, 2))
    """) == [("KC301", 6, 9)]


def test_correct_model_reports_nothing():
    assert found("""
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(32, input_dim=32), keras.layers.RepeatVector(3)])
    """) == []


@pytest.mark.parametrize("imports, make", [
    ("import numpy as np", "np.zeros((10, 4))"),
    ("import numpy", "numpy.zeros((10, 4))"),
    ("from numpy import zeros", "zeros((10, 4))"),
    ("from numpy import *", "zeros((10, 4))"),
])
def test_numpy_import_styles_give_arrays(imports, make):
    model = only(f"""
{imports}
from keras.models import Sequential
from keras.layers import Dense
x = {make}
model = Sequential([Dense(1, input_dim=4)])
model.fit(x, x[:, :1])
""")
    value = model.data_calls[0].args["x"]
    assert isinstance(value, Array) and value.shape == (10, 4)
