"""Version rules on source text, through kerascheck.check_source."""

from __future__ import annotations

from kerascheck import check_source
from kerascheck.config import Options

VERSION_CODES = ("KC52", "KC65")


def codes(text: str, version: int | None = None) -> list[tuple[str, int]]:
    """The version diagnostics of ``text`` under ``version`` (None: resolved from the text)."""
    result = check_source(text, "<string>", Options(select=("KC",), keras_version=version))
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


def test_private_import_is_keras_2_era_and_missing_names_fail_on_keras_3s_tensorflow():
    text = ("from tensorflow.python.keras import Sequential\n"
            "from tensorflow.python.keras.layers import LSTM, Dense\n"
            "model = Sequential()\nmodel.add(LSTM(12, input_shape=(40, 1)))\nmodel.add(Dense(10))\n")
    assert codes(text) == codes(text, 2) == [("KC654", 1)]
    assert codes(text, 3) == [("KC525", 2), ("KC650", 4), ("KC654", 1)]


def test_keras1_convolution_and_arguments():
    text = ("from keras.models import Sequential\nfrom keras.layers import Convolution2D\n"
            "model = Sequential()\n"
            "model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1)))\n")
    assert codes(text, 2) == [("KC522", 4), ("KC652", 4)]


def test_stateful_without_batch_size():
    text = ("import keras\nmodel = keras.Sequential([keras.Input((5, 3)),\n"
            "    keras.layers.LSTM(4, stateful=True)])\n")
    from kerascheck import check_source

    assert [(d.code, d.position.line) for d in check_source(text).diagnostics] == [("KC526", 3)]


MERGE = """\
from keras.models import Sequential
from keras.layers import Merge, Dense
left = Sequential()
left.add(Dense(4, input_dim=3))
right = Sequential()
right.add(Dense(4, input_dim=3))
model = Sequential()
model.add(Merge([left, right], mode='concat'))
model.add(Dense(1))
"""


def test_keras1_merge_is_detected_as_old_keras_and_flagged_at_its_import():
    assert codes(MERGE) == [("KC523", 2)]  # Keras 2 (the era): standalone Keras 2.0-2.1 had it
    [d] = [d for d in check_source(MERGE, "<string>", Options(select=("KC",))).diagnostics if d.code == "KC523"]
    assert (d.severity, d.message) == ("warning", "Merge does not exist in Keras 2.2 and later")
    assert codes(MERGE, 3) == [("KC523", 2), ("KC650", 4), ("KC650", 6)]


CUDNN = """import keras
from keras.layers import CuDNNLSTM, Dense
model = keras.Sequential([keras.Input((10, 4)), CuDNNLSTM(8), Dense(1)])
other = keras.Sequential([keras.Input((10, 4)), keras.layers.CuDNNGRU(8), Dense(1)])
"""


def test_a_removed_layer_is_reported_at_its_import_once_and_an_attribute_at_its_use():
    assert codes(CUDNN, 3) == [("KC523", 2), ("KC523", 4)]
    assert codes(CUDNN, 2) == [("KC523", 2), ("KC523", 4)]
    guarded = "try:\n    from keras.layers import CuDNNLSTM\nexcept ImportError:\n    from keras.layers import LSTM as CuDNNLSTM\n"
    assert codes(guarded + CUDNN.replace("from keras.layers import CuDNNLSTM, Dense", "from keras.layers import Dense"), 3) == [("KC523", 8)]


def test_removed_methods_and_fit_arguments():
    text = ("import keras\nimport numpy as np\n"
            "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
            "model.compile('sgd', 'mse')\n"
            "model.fit_generator(gen(), steps_per_epoch=10, nb_epoch=2)\n"
            "model.fit(np.zeros((4, 3)), np.zeros((4, 1)), workers=2)\n")
    assert codes(text, 3) == [("KC528", 6), ("KC529", 5)]
    assert codes(text, 2) == [("KC522", 5)]
    assert codes(text) == codes(text, 2)  # fit_generator: the file is written for Keras 2


def test_stateful_fit_batches():
    text = ("import keras\nimport numpy as np\nmodel = keras.Sequential()\n"
            "model.add(keras.Input(batch_shape=(4, 5, 3)))\n"
            "model.add(keras.layers.LSTM(8, stateful=True))\n"
            "model.add(keras.layers.Dense(1))\nmodel.compile('adam', 'mse')\n"
            "X = np.zeros((100, 5, 3))\ny = np.zeros((100, 1))\n"
            "model.fit(X, y, batch_size=8, epochs=3)\n"
            "model.fit(X, y, batch_size=4, epochs=3, shuffle=False)\n"
            "model.predict(X[:8], batch_size=4)\n"
            "model.predict(X[:10], batch_size=4)\n")
    assert codes(text) == [("KC527", 10), ("KC527", 13), ("KC653", 10)]


def test_keras2_module_paths_and_keras1_arguments():
    text = ("from keras.layers.recurrent import LSTM\n"
            "from keras.layers.core import Dense, Activation\n"
            "from keras.layers import Convolution1D\nfrom keras.models import Sequential\n"
            "model = Sequential()\n"
            "model.add(Convolution1D(nb_filter=64, filter_length=3, border_mode='same', input_shape=(10, 8)))\n"
            "model.add(LSTM(32))\nmodel.add(Dense(1, init='uniform'))\n")
    expected = [("KC522", 6)] * 3 + [("KC522", 8), ("KC524", 1), ("KC524", 2)]
    assert codes(text, 2) == expected
    assert codes(text, 3) == sorted(expected + [("KC650", 6)])


LSTM_DIMS = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense
model = Sequential()
model.add(LSTM(32, input_dim=8, input_length=20))
model.add(Dense(1))
"""


def test_keras2_input_dim_and_input_length_are_one_input_shape(keras2):
    result = check_source(LSTM_DIMS, "<string>", Options(keras_version=3))
    assert [(d.code, d.position.line, d.hint) for d in result.diagnostics] == [
        ("KC521", 4, "start the model with keras.Input(shape=(20, 8)) instead")]
    result = check_source(LSTM_DIMS, "<string>", Options(keras_version=2))
    assert result.diagnostics == []
    [model] = result.models
    lstm = keras2.layers.LSTM(32, input_dim=8, input_length=20)
    real = keras2.Sequential([lstm, keras2.layers.Dense(1)])
    assert real.input_shape == (None, 20, 8)
    assert [(row.output, row.params) for row in model.layers if row.type == "LSTM"] == [
        (tuple(lstm.output_shape), lstm.count_params())]


def test_an_embeddings_input_dim_is_its_vocabulary_not_its_input():
    text = ("import numpy as np\nfrom tensorflow import keras\nmodel = keras.models.Sequential()\n"
            "model.add(keras.layers.Embedding(input_shape=(None,), input_dim=5, output_dim=16))\n"
            "model.add(keras.layers.LSTM(8))\nmodel.add(keras.layers.Dense(2, activation='softmax'))\n"
            "model.compile('adam', 'sparse_categorical_crossentropy')\n"
            "model.fit(np.random.randint(0, 5, (1024, 15)), np.zeros(1024), epochs=1)\n")
    for version in (2, 3):
        assert [d.code for d in check_source(text, "<string>", Options(keras_version=version)).diagnostics
                if d.severity == "error"] == []
