"""Loss objects rewritten to the other cross-entropy only when every argument keeps its meaning."""

from __future__ import annotations

import pytest

from kerascheck import check_source
from kerascheck.data.loss_code import swapped_loss
from kerascheck.graph import Opaque

SPARSE, CATEGORICAL = "sparse_categorical_crossentropy", "categorical_crossentropy"


@pytest.mark.parametrize("written, expected", [
    ("keras.losses.CategoricalCrossentropy()", "keras.losses.SparseCategoricalCrossentropy()"),
    ("CategoricalCrossentropy(True, name='ce')", "SparseCategoricalCrossentropy(True, name='ce')"),
    ("losses.categorical_crossentropy", "losses.sparse_categorical_crossentropy"),
])
def test_categorical_to_sparse(written, expected):
    assert swapped_loss(Opaque(written), CATEGORICAL, SPARSE) == (expected, Opaque(expected))


@pytest.mark.parametrize("written", [
    "keras.losses.CategoricalCrossentropy(label_smoothing=0.1)",  # Sparse has no label smoothing
    "keras.losses.CategoricalCrossentropy(False, 0.1)",  # positional label_smoothing
    "keras.losses.CategoricalCrossentropy(**options)",
    "make_loss()",
    "keras.losses.categorical_crossentropy(y_true, y_pred)",  # a value, not the function
])
def test_not_rewritten_when_uncertain(written):
    assert swapped_loss(Opaque(written), CATEGORICAL, SPARSE) is None


def test_a_loss_object_with_an_argument_of_one_class_only_gets_no_fix():
    source = """\
import numpy as np
import keras

X = np.random.random((64, 20))
y = np.random.randint(0, 5, size=(64,))
model = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(5)])
model.compile(loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1))
model.fit(X, y)
"""
    (problem,) = check_source(source, "case.py").diagnostics
    assert problem.code == "KC402" and problem.fix is None
