"""KC533: Keras 2 backend functions through standalone Keras's ``keras.backend``, which Keras 3 cut
down; ``tf.keras.backend`` keeps them. Checked against the installed Keras 3 and TensorFlow."""

from __future__ import annotations

import pytest

from kerascheck import check_source
from kerascheck.config import Options

PROGRAM = """\
from keras import backend as K
import keras
x = keras.Input(shape=(4,))
y = keras.layers.Lambda(lambda t: K.sum(t, axis=1))(x)
print(K.int_shape(x), K.epsilon(), keras.backend.mean, K.image_data_format())
K.set_value(opt.lr, 0.1)
"""


def _found(text: str, version: int | None) -> list[tuple]:
    options = Options(keras_version=version) if version else Options()
    return [(d.code, d.position.line, d.position.column, d.message, d.hint)
            for d in check_source(text, "case.py", options).diagnostics]


def test_each_missing_function_is_reported_at_its_use_with_what_to_write():
    assert _found(PROGRAM, 3) == [
        ("KC533", 4, 35, "K.sum does not exist in Keras 3", "use keras.ops.sum"),
        ("KC533", 5, 7, "K.int_shape does not exist in Keras 3", "use x.shape (a tuple of ints and None)"),
        ("KC533", 5, 36, "keras.backend.mean does not exist in Keras 3", "use keras.ops.mean"),
        ("KC533", 6, 1, "K.set_value does not exist in Keras 3",
         "use variable.assign(value) (model.optimizer.learning_rate.assign(...) for the learning rate)"),
    ]


def test_keras2_has_them():
    assert _found(PROGRAM, 2) == []


def test_of_an_unknown_version_they_are_warnings(no_installed_keras, tmp_path):
    found = check_source(PROGRAM, str(tmp_path / "case.py")).diagnostics
    assert [(d.code, d.severity, d.position.line) for d in found] == [("KC533", "warning", line) for line in (4, 5, 5, 6)]


def test_tf_keras_backend_keeps_most_of_them():
    text = PROGRAM.replace("from keras import backend as K", "from tensorflow.keras import backend as K")
    text = text.replace("keras.backend.mean", "K.mean") + "f = K.function([x], [y])\n"
    assert _found(text, 3) == [("KC533", 7, 5, "K.function does not exist in Keras 3",
                                "build a keras.Model from the tensors and call it")]
    assert _found("import tensorflow as tf\ntf.keras.backend.sum\ntf.keras.backend.placeholder\n", 3) == [
        ("KC533", 3, 1, "tf.keras.backend.placeholder does not exist in Keras 3", "use keras.Input")]


def test_an_import_of_a_missing_function_says_what_to_write():
    (found,) = _found("from keras.backend import int_shape, epsilon\n", 3)
    assert found == ("KC532", 1, 1, "int_shape cannot be imported from keras.backend in Keras 3",
                     "int_shape: use x.shape (a tuple of ints and None)")


def test_a_misspelt_keras_ops_name_gets_the_closest():
    (found,) = _found("from keras.ops import summ\n", 3)
    assert found[3:] == ("summ cannot be imported from keras.ops in Keras 3", "did you mean sum?")


NAMES = ("sum", "int_shape", "set_value", "mean", "square", "epsilon", "clear_session", "image_data_format",
         "floatx", "is_keras_tensor", "function", "variable", "expand_dims")


@pytest.mark.parametrize("name", NAMES)
def test_what_is_reported_is_what_keras3_lacks(name, keras3):
    import tensorflow as tf

    assert bool(_found(f"from keras import backend as K\nK.{name}\n", 3)) == (not hasattr(keras3.backend, name))
    assert bool(_found(f"import tensorflow as tf\ntf.keras.backend.{name}\n", 3)) == (not hasattr(tf.keras.backend, name))


def test_a_function_without_a_keras_ops_twin_is_told_what_replaces_it():
    text = ("from keras import backend as K\nK.set_image_dim_ordering('th')\n"
            "y = K.in_train_phase(a, b, training=t)\nK.random_bernoulli((2, 3), p=0.5)\nK.batch_gather\n")
    assert [found[1:] for found in _found(text, 3)] == [
        (2, 1, "K.set_image_dim_ordering does not exist in Keras 3",
         "use keras.config.set_image_data_format('channels_first') for 'th', 'channels_last' for 'tf'"),
        (3, 5, "K.in_train_phase does not exist in Keras 3",
         "in a layer's call, choose with its training argument (x if training else alt)"),
        (4, 1, "K.random_bernoulli does not exist in Keras 3",
         "use keras.random.binomial(shape, counts=1, probabilities=p)"),
        (5, 1, "K.batch_gather does not exist in Keras 3", "Keras 3 has no such function: write it with keras.ops"),
    ]


def test_each_replacement_named_exists_in_keras3_and_the_function_does_not(keras3):
    """Every keras.* name a hint gives resolves in the installed Keras 3, and every function the
    table replaces is missing from its keras.backend (else the table says something untrue)."""
    import re

    from kerascheck.versions.backend import _INSTEAD

    for name, hint in _INSTEAD.items():
        assert not hasattr(keras3.backend, name), name
        for dotted in re.findall(r"keras((?:\.[A-Za-z_][A-Za-z0-9_]*)+)", hint):
            owner = keras3
            for part in dotted.strip(".").split("."):
                owner = getattr(owner, part)  # AttributeError: the hint names what Keras 3 lacks
