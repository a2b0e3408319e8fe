"""One-hot encodings and reshapes as kerascheck evaluates them, against TensorFlow, Keras 3 and pandas."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from kerascheck.data.arrays import Array
from kerascheck.frontend import build_graphs

# (expression, the axes kerascheck cannot know: the number of categories seen, the size of data
# it does not follow)
CASES = [
    ("tf.one_hot(labels, 5)", []),
    ("tf.one_hot(labels, 5, axis=0)", []),
    ("tf.one_hot(labels, 5, axis=1)", []),
    ("tf.one_hot(grid, 4)", []),
    ("tf.one_hot(grid, 4, axis=1)", []),
    ("keras.ops.one_hot(labels, 5)", []),
    ("keras.ops.one_hot(grid, 4, axis=0)", []),
    ("keras.utils.to_categorical(labels, num_classes=5)", []),
    ("keras.utils.to_categorical(column, 5)", []),
    ("np.eye(5)[labels]", []),
    ("pd.get_dummies(labels).values", [1]),
    ("np.reshape(np.sort(grid), (-1, 3, 1))", [0]),
    ("np.array(np.sort(grid)).reshape(2, -1)", [1]),
    ("np.asarray(np.sort(grid)).reshape((-1, 2, 3))", [0]),
    ("np.reshape(np.sin(grid), (-1, 3, 1))", []),  # elementwise: followed
]
PRELUDE = """
import numpy as np
import pandas as pd
import tensorflow as tf
import keras
labels = np.random.randint(0, 5, size=(12,))
column = labels.reshape(-1, 1)
grid = np.random.randint(0, 4, size=(4, 6))
"""


def static_shape(expression: str):
    program = PRELUDE + f"keras.Sequential([keras.layers.Dense(1)]).predict({expression})\n"
    (model,) = build_graphs(textwrap.dedent(program)).models
    x = model.data_calls[0].args["x"]
    return x.shape if isinstance(x, Array) else x


@pytest.mark.parametrize("expression,unknown", CASES)
def test_shape_agrees_with_the_library(expression, unknown, keras3):
    pytest.importorskip("pandas")
    namespace: dict = {}
    exec(PRELUDE, namespace)
    real = tuple(np.asarray(eval(expression, namespace)).shape)
    got = static_shape(expression)
    assert isinstance(got, tuple) and len(got) == len(real)
    assert all(d is None or d == r for d, r in zip(got, real))
    assert [i for i, d in enumerate(got) if d is None] == unknown
