"""The loss contracts, checked against Keras 3's own losses on every label/output pairing."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from kerascheck.data.losses import BATCH, contract, identify, squeeze_or_expand, with_batch
from kerascheck.graph import Opaque

OUTPUTS = [(1,), (3,), (5, 1), (5, 3)]
LABELS = [(), (1,), (3,), (5,), (5, 1), (5, 3), (3, 1), (1, 1), (4,), (5, 5)]
LOSSES = ["CategoricalCrossentropy", "SparseCategoricalCrossentropy", "BinaryCrossentropy",
          "MeanSquaredError", "MeanAbsoluteError", "MeanSquaredLogarithmicError"]
BATCH_SIZE = 4


def static_fails(loss_name: str, labels: tuple, output: tuple) -> bool:
    """Our verdict for one step of BATCH_SIZE samples."""
    verdict = contract(identify(loss_name), with_batch((BATCH_SIZE,) + labels), with_batch((BATCH_SIZE,) + output))
    batch_clash = any(d != BATCH_SIZE for d in verdict.batch_dims)
    return verdict.status == "error" or batch_clash


@pytest.mark.parametrize("loss_name", LOSSES)
def test_contract_agrees_with_keras(loss_name, keras3):
    loss = getattr(keras3.losses, loss_name)()
    disagreements = []
    for output, labels in itertools.product(OUTPUTS, LABELS):
        y_true = np.zeros((BATCH_SIZE,) + labels, dtype="float32")
        y_pred = np.full((BATCH_SIZE,) + output, 0.5, dtype="float32")
        try:
            loss(y_true, y_pred)
            keras_fails = False
        except Exception:
            keras_fails = True
        if static_fails(loss_name, labels, output) != keras_fails:
            disagreements.append((output, labels, "Keras fails" if keras_fails else "Keras runs"))
    assert not disagreements


def test_loss_spellings():
    for spelling in ["categorical_crossentropy", "CategoricalCrossentropy",
                     Opaque("keras.losses.CategoricalCrossentropy(from_logits=True)"),
                     Opaque("tf.keras.losses.categorical_crossentropy")]:
        assert identify(spelling).name == "categorical_crossentropy"
    assert identify("mse").name == identify("MSE").name == identify("MeanSquaredError").name
    assert identify("sparse_categorical_crossentropy").kind == "sparse"
    assert identify(Opaque("my_custom_loss")) is None
    assert identify("hinge") is None  # not modelled: no check, no guess


def test_crossentropy_picks_like_keras():
    assert contract(identify("crossentropy"), (BATCH,), (BATCH, 3)).status == "ok"  # sparse
    assert contract(identify("crossentropy"), (BATCH, 5), (BATCH, 3)).status == "error"  # categorical


def test_squeeze_or_expand_is_keras():
    assert squeeze_or_expand((BATCH,), (BATCH, 1)) == ((BATCH, 1), (BATCH, 1))
    assert squeeze_or_expand((BATCH, 400, 1), (BATCH, 1)) == ((BATCH, 400), (BATCH, 1))
    assert squeeze_or_expand((BATCH, 1), (BATCH, 5, 1)) == ((BATCH, 1), (BATCH, 5))


def test_regression_broadcast_is_a_warning_not_an_error():
    verdict = contract(identify("mse"), (BATCH, 400, 1), (BATCH, 1))
    assert verdict.status == "broadcast" and verdict.batch_dims == ()
    assert contract(identify("mse"), (BATCH,), (BATCH, 5, 3)).batch_dims == (3,)


def test_an_unknown_dim_that_decides_the_squeeze_gives_no_verdict():
    assert contract(identify("sparse_categorical_crossentropy"), (BATCH, None), (BATCH, 5, 1)).status == "unknown"
    # Squeezed or not, (BATCH, 400) or (BATCH, 400, k) cannot be (BATCH, 1): an error either way.
    assert contract(identify("binary_crossentropy"), (BATCH, 400, None), (BATCH, 1)).status == "error"
    assert contract(identify("crossentropy"), (BATCH, None), (BATCH, 3)).status == "unknown"
    assert contract(identify("categorical_crossentropy"), (BATCH, None), (BATCH, 3)).status == "ok"


def _with_unknown(shape: tuple, axis: int) -> tuple:
    return shape[:axis] + (None,) + shape[axis + 1:]


def _runs(loss, labels: tuple, output: tuple) -> bool:
    try:
        loss(np.zeros((BATCH_SIZE,) + labels, dtype="float32"),
             np.full((BATCH_SIZE,) + output, 0.5, dtype="float32"))
    except Exception:
        return False
    return True


VALUES = (1, 2, 3, 5)  # what an unknown dim may turn out to be


@pytest.mark.parametrize("loss_name", ["CategoricalCrossentropy", "SparseCategoricalCrossentropy",
                                       "BinaryCrossentropy", "MeanSquaredError"])
def test_an_unknown_dim_decides_only_what_every_value_decides(loss_name, keras3):
    """An output or label dim unknown (a unit count read from the data): an error must fail in
    Keras whatever the dim is ("ok" only says no error is certain)."""
    loss = getattr(keras3.losses, loss_name)()
    wrong, checked = [], 0
    for output, labels in itertools.product(OUTPUTS + [(7, 3)], LABELS):
        for side, axis in [("output", len(output) - 1), ("labels", len(labels) - 1)]:
            if axis < 0:
                continue
            t = _with_unknown(labels, axis) if side == "labels" else labels
            p = _with_unknown(output, axis) if side == "output" else output
            verdict = contract(identify(loss_name), with_batch((BATCH_SIZE,) + t), with_batch((BATCH_SIZE,) + p))
            if verdict.status != "error":
                continue
            checked += 1
            if any(_runs(loss, tuple(v if d is None else d for d in t), tuple(v if d is None else d for d in p))
                   for v in VALUES):
                wrong.append((side, labels, output))
    assert checked and not wrong


def test_an_unknown_class_count_that_may_be_one_decides_nothing():
    """One-hot labels given an extra axis, (N, 1, k), for a (None, k) output: with k = 1 Keras
    squeezes the 1 and runs."""
    cce = identify("categorical_crossentropy")
    assert contract(cce, (BATCH, 1, None), (BATCH, None)).status == "unknown"
    assert contract(cce, (BATCH, 10, 3), (BATCH, None)).status == "error"
    assert contract(cce, (BATCH, 3), (BATCH, 7, None)).status == "error"  # (N, 7) or (N, 7, k): never (N, 3)
