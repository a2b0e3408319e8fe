"""Version rules end to end: source text through kerascheck.check_source.

Skipped until the frontend builds graphs and analysis calls kerascheck.versions.
"""

from __future__ import annotations

import inspect

import pytest

from kerascheck import check_source
from kerascheck.config import Options


def _wired() -> bool:
    try:
        from kerascheck.frontend import build_graphs  # noqa: F401
    except ImportError:
        return False
    import kerascheck.analysis as analysis

    return "versions" in inspect.getsource(analysis)


pytestmark = pytest.mark.skipif(not _wired(), reason="frontend or versions wiring not in analysis yet")

VERSION_CODES = ("KC52", "KC65")


def codes(text: str, version: int | None = None) -> list[tuple[str, int]]:
    result = check_source(text, "t.py", Options(keras_version=version))
    return sorted((d.code, d.position.line) for d in result.diagnostics if d.code.startswith(VERSION_CODES))


SEED3 = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense
import numpy as np
model = Sequential()
model.add(LSTM(100, return_sequences=True, stateful=True, input_shape=(None, 100),
               batch_input_shape=(200, None, 100)))
model.add(LSTM(100))
model.add(Dense(2, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
x_train = np.random.random((1000, 50, 100))
y_train = np.random.random((1000, 2))
x_val = np.random.random((200, 50, 100))
y_val = np.random.random((200, 2))
model.fit(x_train, y_train, batch_size=200, nb_epoch=1, shuffle=False, validation_data=(x_val, y_val))
score = model.evaluate(x_val, y_val, batch_size=200, verbose=1)
"""


def test_seed3_keras1_code_under_keras3():
    assert codes(SEED3, 3) == [("KC521", 5), ("KC522", 14), ("KC650", 5)]


def test_seed3_keras1_code_under_keras2():
    assert codes(SEED3, 2) == [("KC522", 14)]


SEED1 = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed, RepeatVector
batch_size = 50
model = Sequential()
model.add(LSTM(150, batch_input_shape=(batch_size, 1, 10), stateful=True))
model.add(RepeatVector(5))
model.add(LSTM(150, return_sequences=True, stateful=True))
model.add(TimeDistributed(Dense(10, activation='softmax')))
"""


def test_seed1_batch_input_shape_is_an_error_only_under_keras3():
    assert codes(SEED1) == [("KC521", 5)]
    assert codes(SEED1, 2) == []


def test_private_import_detected_as_keras2_and_missing_names_flagged():
    text = ("from tensorflow.python.keras import Sequential\n"
            "from tensorflow.python.keras.layers import LSTM, Dense\n"
            "model = Sequential()\nmodel.add(LSTM(12, input_shape=(40, 1)))\nmodel.add(Dense(10))\n")
    assert codes(text) == [("KC525", 2), ("KC654", 1)]


def test_keras1_convolution_and_arguments():
    text = ("from keras.models import Sequential\nfrom keras.layers import Convolution2D\n"
            "model = Sequential()\n"
            "model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1)))\n")
    assert codes(text, 2) == [("KC522", 4), ("KC652", 4)]


def test_stateful_without_batch_size():
    text = ("import keras\nmodel = keras.Sequential([keras.Input((5, 3)),\n"
            "    keras.layers.LSTM(4, stateful=True)])\n")
    assert codes(text) == [("KC526", 3)]
