"""Labels against the loss under Keras 2: kerascheck's tf-keras contract (``--keras-version 2``)
reports KC402 exactly where tf-keras's fit raises, checked by running tf-keras."""

from __future__ import annotations

import numpy as np
import pytest

from kerascheck import check_source
from kerascheck.config import Options

N = 8
CASES = [  # (loss, final activation, output units, label shape)
    ("categorical_crossentropy", "softmax", 2, (N, 1)),
    ("categorical_crossentropy", "softmax", 10, (N,)),
    ("categorical_crossentropy", "softmax", 10, (N, 10)),
    ("binary_crossentropy", "sigmoid", 2, (N, 1)),
    ("binary_crossentropy", "softmax", 2, (N, 1)),
    ("binary_crossentropy", None, 2, (N, 1)),
    ("binary_crossentropy", "sigmoid", 1, (N,)),
    ("binary_crossentropy", "sigmoid", 1, (N, 3)),
    ("binary_crossentropy", "sigmoid", 3, (N,)),
    ("sparse_categorical_crossentropy", "softmax", 10, (N, 5)),
    ("sparse_categorical_crossentropy", "softmax", 10, (N,)),
    ("sparse_categorical_crossentropy", "softmax", 10, (N, 1)),
    ("sparse_categorical_crossentropy", "softmax", 10, (N, 10)),
    ("mse", None, 3, (N,)),
    ("mse", None, 3, (N, 2)),
    ("mse", None, 1, (N, 3)),
    ("mae", None, 3, (N, 1)),
    ("keras.losses.BinaryCrossentropy(from_logits=True)", None, 2, (N, 1)),
    ("keras.losses.BinaryCrossentropy(from_logits=False)", None, 2, (N, 1)),
]


def program(loss: str, act: str | None, units: int, labels: tuple) -> str:
    return ("import numpy as np\nimport tf_keras as keras\n"
            f"model = keras.Sequential([keras.Input((4,)), keras.layers.Dense({units}, activation={act!r})])\n"
            f"model.compile('sgd', {loss if loss.startswith('keras.') else repr(loss)})\n"
            f"model.fit(np.zeros(({N}, 4)), np.zeros({labels!r}), epochs=1)\n")


def reported(case: tuple) -> set[str]:
    result = check_source(program(*case), "<string>", Options(keras_version=2))
    return {d.code for d in result.diagnostics if d.code.startswith("KC4")}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}-{c[3]}")
def test_label_errors_are_those_tf_keras_raises(keras2, case):
    loss, act, units, labels = case
    model = keras2.Sequential([keras2.Input((4,)), keras2.layers.Dense(units, activation=act)])
    model.compile("sgd", eval(loss, {"keras": keras2}) if loss.startswith("keras.") else loss)
    try:
        model.fit(np.zeros((N, 4)), np.zeros(labels), epochs=1, verbose=0, batch_size=4)
        fails = False
    except Exception:  # whatever tf-keras raises is a rejection
        fails = True
    assert ("KC402" in reported(case)) == fails


def test_labels_are_checked_under_keras2_without_tensorflow():
    assert reported(CASES[0]) == {"KC402"}
    assert reported(CASES[2]) == set()


def test_binary_crossentropy_compares_logits_with_labels_of_their_shape():
    """tf-keras's binary cross-entropy on logits (a sigmoid or softmax output, or
    ``from_logits=True``) needs labels of the output's shape; on other outputs it broadcasts
    (the cases above check each verdict against tf-keras)."""
    assert reported(("binary_crossentropy", "softmax", 2, (N, 1))) == {"KC402"}
    assert reported(("binary_crossentropy", "sigmoid", 2, (N, 1))) == {"KC402"}
    assert reported(("binary_crossentropy", None, 2, (N, 1))) == set()
    assert reported(("keras.losses.BinaryCrossentropy(from_logits=True)", None, 2, (N, 1))) == {"KC402"}
    assert reported(("keras.losses.BinaryCrossentropy(from_logits=False)", None, 2, (N, 1))) == set()
