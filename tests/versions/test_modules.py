"""Keras 3 modules read through a Keras 2 package: KC524 at each use."""

from __future__ import annotations

from kerascheck import check_source
from kerascheck.config import Options

TF_KERAS = """\
import tf_keras as keras
from tf_keras import layers

inputs = keras.Input((4,))
hidden = layers.Dense(8)(inputs)
scores = keras.ops.softmax(hidden)
noise = keras.random.normal((2, 8))
model = keras.Model(inputs, scores)
"""

KERAS3_STYLE = """\
import keras
import tensorflow as tf
from tensorflow import keras as tfk

inputs = keras.Input((4,))
hidden = keras.layers.Dense(8)(inputs)
scores = keras.ops.softmax(hidden)
keras.config.set_floatx("float32")
shape = tf.keras.ops.shape(hidden)
tree = tfk.tree.flatten([inputs])
try:
    relu = keras.ops.relu
except AttributeError:
    relu = tf.nn.relu
model = keras.Model(inputs, scores)
"""


def found(text: str, version: int | None) -> list[tuple[str, int, int, str]]:
    options = Options(select=("KC",), keras_version=version)
    return [(d.code, d.position.line, d.position.column, d.text)
            for d in check_source(text, "program.py", options).diagnostics if d.code == "KC524"]


def test_tf_keras_has_no_keras3_modules_whatever_the_version():
    hint = "tf_keras is Keras 2 whatever TensorFlow runs it; use TensorFlow's functions there or Keras 3's keras."
    for version in (2, 3):
        assert found(TF_KERAS, version) == [
            ("KC524", 6, 10, f"keras.ops does not exist in Keras 2; {hint}ops"),
            ("KC524", 7, 9, f"keras.random does not exist in Keras 2; {hint}random")]


def test_keras2_has_no_keras3_modules_however_keras_is_named():
    hint = "this is Keras 3 API: check with --keras-version 3"
    assert found(KERAS3_STYLE, 2) == [
        ("KC524", 7, 10, f"keras.ops does not exist in Keras 2; {hint}"),
        ("KC524", 8, 1, f"keras.config does not exist in Keras 2; {hint}"),
        ("KC524", 9, 9, f"tf.keras.ops does not exist in Keras 2; {hint}"),
        ("KC524", 10, 8, f"tfk.tree does not exist in Keras 2; {hint}")]  # line 12: in a try catching it


def test_keras3_has_them():
    assert found(KERAS3_STYLE, 3) == []


def test_a_file_using_them_is_keras3_by_its_era(no_installed_keras, tmp_path):
    result = check_source(KERAS3_STYLE, str(tmp_path / "program.py"), Options(select=("KC",)))
    assert (result.diagnostics, result.keras_version) == ([], 3)
    assert result.keras_version_source == "the file uses `keras.ops.`, which only Keras 3 has"
