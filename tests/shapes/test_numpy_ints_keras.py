"""NumPy integers as layer arguments (``Dense(np.prod(img_shape))``, GAN tutorials' habit;
``Dense(np.max(y) + 1)`` of a known value or not), against
real Keras 3 and tf-keras: where Keras tests ``isinstance(value, int)`` it rejects them (KC303),
elsewhere it takes them as ints, and kerascheck must say the same for each Keras version."""

from __future__ import annotations

import numpy as np
import pytest

from kerascheck import check_source
from kerascheck.config import Options
from tests.frontend.keras_recording import for_tf_keras

N = "np.prod((2, 2))"  # 4, a NumPy integer
# (layer call, input shape, rejected by Keras 3, rejected by tf-keras)
CASES = [
    (f"Dense({N})", (8,), True, False),
    (f"Dense(int({N}))", (8,), False, False),
    (f"Dense(np.int64(3) + 1)", (8,), True, False),
    (f"LSTM({N})", (5, 8), True, False),
    (f"GRU({N})", (5, 8), True, False),
    (f"SimpleRNN({N})", (5, 8), True, False),
    (f"Embedding(10, {N})", (5,), True, False),
    (f"Embedding({N}, 3)", (5,), True, False),
    (f"Conv2D({N}, 3)", (8, 8, 1), False, False),
    (f"Conv2D(4, {N})", (8, 8, 1), True, True),
    (f"Conv2D(4, ({N}, {N}))", (8, 8, 1), False, False),
    (f"Conv2D(4, 3, strides={N})", (8, 8, 1), True, True),
    (f"Conv1D(4, {N})", (8, 2), True, True),
    (f"MaxPooling2D({N})", (8, 8, 1), True, True),
    (f"MaxPooling2D(({N}, {N}))", (8, 8, 1), False, False),
    (f"AveragePooling1D({N})", (8, 2), True, True),
    (f"UpSampling1D({N})", (8, 2), True, False),
    (f"UpSampling2D({N})", (8, 8, 1), True, True),
    (f"ZeroPadding1D({N})", (8, 2), True, True),
    (f"RepeatVector({N})", (8,), True, True),
    (f"Reshape(({N}, -1))", (8,), False, False),
    (f"MultiHeadAttention({N}, 8)", (5, 8), True, False),
    (f"MultiHeadAttention(2, {N})", (5, 8), True, False),
    (f"GroupNormalization({N})", (8, 8, 8), True, False),
    ("LayerNormalization(axis=np.int64(-1))", (8,), True, True),
    ("BatchNormalization(axis=np.int64(-1))", (8,), False, True),
    ("Dense(np.max(labels) + 1)", (8,), True, False),
    ("Dense(labels.max() + 1)", (8,), True, False),
    ("Dense(len(np.unique(labels)))", (8,), False, False),
    ("Conv1D(4, labels.max())", (8, 2), True, True),
    # one draw of the legacy samplers is a Python int, unless a dtype is given
    ("Embedding(np.random.randint(2, 10), 3)", (5,), False, False),
    ("Dense(np.random.choice(4) + 1)", (8,), False, False),
    ("Dense(np.random.randint(2, 10, dtype='int64'))", (8,), True, False),
]


def _program(call: str, shape: tuple) -> str:
    inputs = "x, x" if call.startswith("MultiHeadAttention") else "x"
    return ("import numpy as np\nimport keras\nfrom keras import layers\n"
            "labels = np.random.randint(1, 4, size=(20,))\n"
            f"x = keras.Input(shape={shape!r})\ny = layers.{call}({inputs})\n")


def _keras_rejects(text: str, keras) -> bool:
    namespace: dict = {}
    head, last = text.rsplit("y = ", 1)
    exec(compile(head, "<case>", "exec"), namespace)
    try:
        exec(compile("y = " + last, "<case>", "exec"), namespace)
    except (ValueError, TypeError):
        return True
    return False


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("call, shape, keras3_rejects, keras2_rejects", CASES, ids=[c[0] for c in CASES])
def test_numpy_integers_are_rejected_where_keras_rejects_them(call, shape, keras3_rejects, keras2_rejects, version,
                                                              keras3, keras2):
    text = _program(call, shape)
    rejects = keras3_rejects if version == 3 else keras2_rejects
    keras_text = text if version == 3 else for_tf_keras(text)
    assert _keras_rejects(keras_text, keras3 if version == 3 else keras2) == rejects
    found = [(d.code, d.position.line) for d in check_source(text, "case.py", Options(keras_version=version)).diagnostics]
    assert found == ([("KC303", 6)] if rejects else [])


def test_the_message_names_the_numpy_integer_and_the_fix():
    text = _program(f"Dense({N})", (8,))
    (found,) = check_source(text, "case.py", Options(keras_version=3)).diagnostics
    assert found.message == ("Dense units=np.int64(4): a NumPy integer, which Keras 3 rejects here "
                             "(it wants a Python int)")
    assert found.hint == "wrap it in int(): units=int(...)"


def test_of_an_unknown_version_a_keras3_only_rejection_is_a_warning(no_installed_keras, tmp_path):
    path = tmp_path / "case.py"
    (found,) = check_source(_program(f"Dense({N})", (8,)), str(path)).diagnostics
    assert (found.code, found.severity, found.position.line) == ("KC303", "warning", 6)
    assert "Keras 3" in found.message


def test_a_numpy_integer_of_unknown_value_is_named_by_its_source():
    (found,) = check_source(_program("Dense(np.max(labels) + 1)", (8,)), "case.py", Options(keras_version=3)).diagnostics
    assert found.message == ("Dense units=np.max(labels) + 1: a NumPy integer, which Keras 3 rejects here "
                             "(it wants a Python int)")


def test_numpy_products_and_integers_are_numpy_integers():
    from kerascheck.data.arrays import evaluate_call
    from kerascheck.graph import NumpyInt

    product = evaluate_call("numpy.prod", ((28, 28, 1),), {})
    assert (type(product), product, repr(product)) == (NumpyInt, 784, "np.int64(784)")
    assert repr(evaluate_call("numpy.int32", (5,), {}) * 2) == "np.int32(10)"
    assert type(int(product)) is int
    assert repr(np.prod((28, 28, 1))) == repr(product)


REDUCED = ("import tensorflow as tf\nimport keras\nfrom keras import layers\n"
           "shape = (28, 28)\nx = keras.Input(shape=(8,))\n"
           "y = layers.Dense(tf.math.reduce_prod(shape).numpy(), activation='sigmoid')(x)\n")


@pytest.mark.parametrize("version", [3, 2])
def test_a_tensor_product_read_with_numpy_is_a_numpy_integer(version):
    """TensorFlow's autoencoder tutorial sizes a Dense with ``tf.math.reduce_prod(shape).numpy()``:
    an int32 NumPy integer, which Keras 3 rejects as units and tf-keras takes."""
    found = [(d.code, d.position.line, d.message) for d in
             check_source(REDUCED, "case.py", Options(keras_version=version)).diagnostics]
    assert found == ([("KC303", 6, "Dense units=np.int32(784): a NumPy integer, which Keras 3 rejects here "
                                   "(it wants a Python int)")] if version == 3 else [])


@pytest.mark.parametrize("version", [3, 2])
def test_keras_on_a_tensor_product_read_with_numpy(version, keras3, keras2):
    text = REDUCED if version == 3 else for_tf_keras(REDUCED)
    assert _keras_rejects(text, keras3 if version == 3 else keras2) == (version == 3)
