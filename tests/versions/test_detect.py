"""detect_version: the option wins, then unambiguous markers, else Keras 3."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kerascheck.config import Options
from kerascheck.versions import detect_version


@pytest.mark.parametrize("text", [
    "import keras_core as keras\n",
    "from keras import ops\n",
    "import keras\ny = keras.ops.sum(x)\n",
    "import keras.src.layers\n",
    "from keras import Input\nx = Input(batch_shape=(4, 10))\n",
])
def test_keras3_markers(text):
    assert detect_version([], text, Options()) == 3


@pytest.mark.parametrize("text", [
    "import tf_keras as keras\n",
    "from tensorflow.python.keras import Sequential\n",
    "from tensorflow.python.keras.layers import Dense\n",
    "from keras.layers.merge import concatenate\n",
    "from keras.layers import Merge, Dense\n",
    "merged = Merge([left, right], mode='concat')\n",
])
def test_keras2_markers(text):
    assert detect_version([], text, Options()) == 2


@pytest.mark.parametrize("text", [
    "import keras\nfrom keras.layers import Dense\n",
    "from tensorflow.keras.layers import LSTM\n",
    "",
    "x = MyMerge(3)\nkeras.layers.Merger()\n",
])
def test_no_marker_means_keras3(text):
    assert detect_version([], text, Options()) == 3


def test_both_markers_are_ambiguous_so_keras3():
    text = "import tf_keras\nfrom keras import ops\n"
    assert detect_version([], text, Options()) == 3


def test_option_wins_over_markers():
    assert detect_version([], "from keras import ops\n", Options(keras_version=2)) == 2
    assert detect_version([], "import tf_keras\n", Options(keras_version=3)) == 3


def test_import_records_are_read():
    records = [SimpleNamespace(module="tensorflow.python.keras", names=("layers",))]
    assert detect_version(records, "", Options()) == 2
    assert detect_version([SimpleNamespace(module="keras", names=("ops",))], "", Options()) == 3
    assert detect_version(["tf_keras"], "", None) == 2


def test_every_marker_module_has_a_word_that_lets_its_import_lines_be_read():
    from kerascheck.versions.detect import _KERAS2_MODULES, _KERAS3_MODULES, _MARKER_WORDS

    for module in _KERAS3_MODULES + _KERAS2_MODULES:
        assert set(module.split(".")) & set(_MARKER_WORDS), module


@pytest.mark.parametrize(("text", "version"), [
    ("from tensorflow.python import keras\n", 2),
    ("from keras.layers import merge\n", 2),
    ("from keras import src\n", 3),
])
def test_import_lines_naming_a_marker_in_parts(text, version):
    assert detect_version([], text, Options()) == version
