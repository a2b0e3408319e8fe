"""file_era: the APIs only one Keras has say which one a file was written for."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kerascheck.versions.detect import file_era, imported_modules


def era(text: str, imports=()) -> int | None:
    found = file_era(imported_modules(imports), text)
    return None if found is None else found[0]


@pytest.mark.parametrize("text", [
    "import keras_core as keras\n",
    "from keras import ops\n",
    "import keras\ny = keras.ops.sum(x)\n",
    "import keras\nz = keras.random.normal((2, 3))\n",
    "import keras.src.layers\n",
])
def test_keras3_markers(text):
    assert era(text) == 3


@pytest.mark.parametrize("text", [
    "import tf_keras as keras\n",
    "from tensorflow.python.keras import Sequential\n",
    "from tensorflow.python.keras.layers import Dense\n",
    "from keras.layers.merge import concatenate\n",
    "from keras.layers import Merge, Dense\n",
    "merged = Merge([left, right], mode='concat')\n",
    "from keras.utils import np_utils\n",
    "from keras.utils.np_utils import to_categorical\n",
    "from keras.preprocessing.text import Tokenizer\n",
    "from keras.layers import CuDNNLSTM\n",
    "model.fit_generator(gen, steps_per_epoch=10)\n",
    "model.evaluate_generator(gen, steps=3)\n",
    "sess = keras.backend.get_session()\n",
    "K.set_session(sess)\n",
    "opt = keras.optimizers.Adam(lr=0.001)\n",
    "opt = SGD(momentum=0.9, lr=0.01)\n",
])
def test_keras2_markers(text):
    assert era(text) == 2


@pytest.mark.parametrize("text", [
    "import keras\nfrom keras.layers import Dense\n",
    "from tensorflow.keras.layers import LSTM\n",
    "",
    "x = MyMerge(3)\nkeras.layers.Merger()\n",
    "opt = Adam(learning_rate=0.01)\nlr = 0.1\n",
    "model.fit(make_generator(), epochs=3)\n",
    "from keras import Input\nx = Input(batch_shape=(4, 10))\n",  # Keras 2.0 named it; tf-keras takes it
])
def test_no_marker_says_nothing(text):
    assert era(text) is None


def test_both_eras_say_nothing():
    assert era("import tf_keras\nfrom keras import ops\n") is None


def test_the_marker_is_named():
    assert file_era([], "model.fit_generator(gen)\n") == (2, "`.fit_generator`")
    assert file_era([], "opt = Adam(lr=0.1)\n") == (2, "`Adam(lr=...)`")
    assert file_era([], "from keras import ops\n") == (3, "`keras.ops`")


def test_import_records_are_read():
    records = [SimpleNamespace(module="tensorflow.python.keras", names=("layers",))]
    assert era("", records) == 2
    assert era("ops", [SimpleNamespace(module="keras", names=("ops",))]) == 3


def test_every_marker_module_has_a_word_that_lets_its_import_lines_be_read():
    from kerascheck.versions.detect import _KERAS2_MODULES, _KERAS3_MODULES, _MARKER_WORDS

    for module in _KERAS3_MODULES + _KERAS2_MODULES:
        assert any(word in module for word in _MARKER_WORDS), module


@pytest.mark.parametrize(("text", "version"), [
    ("from tensorflow.python import keras\n", 2),
    ("from keras.layers import merge\n", 2),
    ("from keras import src\n", 3),
])
def test_import_lines_naming_a_marker_in_parts(text, version):
    assert era(text) == version
