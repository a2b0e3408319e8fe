"""Through ``check_source``: the frontend evaluates the NumPy code, the data checks report."""

from __future__ import annotations

from pathlib import Path

from kerascheck import check_source

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_seed2_fit_reports_both_shapes_and_both_fixes():
    path = FIXTURES / "seeds" / "seed2_per_timestep_labels_broken.py"
    text = path.read_text(encoding="utf-8")
    (found,) = [d for d in check_source(text, str(path)).diagnostics if d.code == "KC402"]
    line = text.splitlines()[found.position.line - 1]
    assert line[found.position.column - 1:].startswith("y,")  # the y argument of fit
    assert "(476, 400, 1)" in found.message and "(None, 1)" in found.message
    assert "the LSTM on line 13" in found.hint and "return_sequences=True" in found.hint
    assert "padding='same' on the Conv1D" in found.hint and "remove the MaxPooling1D" in found.hint
    assert "Dense(400) and y = y.reshape(-1, 400)" in found.hint
    assert found.hint.endswith("; it comes from the array made on line 8")  # y = np.random...


SNIPPET = '''
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten, Input, LSTM
from keras.datasets import mnist

(x_train, y_train), _ = mnist.load_data()
cnn = Sequential([Input((28, 28, 1)), Conv2D(8, 3), Flatten(), Dense(10, activation="softmax")])
cnn.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
cnn.fit(x_train / 255.0, y_train)
cnn.fit(np.expand_dims(x_train, -1) / 255.0, y_train)
cnn.fit(x_train.reshape(-1, 28, 28, 1)[:1000], y_train[:1000])
cnn.fit(x_train.reshape(-1, 28, 28, 1)[:1000], y_train)
cnn.compile(loss="categorical_crossentropy", optimizer="adam")
cnn.fit(x_train[..., None], np.eye(10)[y_train])

rnn = Sequential([Input((40, 16)), LSTM(8), Dense(1)])
rnn.compile(loss="mse", optimizer="adam")
X = np.random.rand(64, 640)
rnn.fit(X, np.zeros((64, 1)))
rnn.fit(X.reshape(64, 40, 16), np.zeros((64, 1)))
rnn.predict(X.reshape(64, 40, 16)[0])
'''


def test_realistic_snippet_codes_and_lines():
    found = [(d.position.line, d.code) for d in check_source(SNIPPET).diagnostics if d.code.startswith("KC4")]
    assert found == [(13, "KC403"), (20, "KC401"), (22, "KC401")]
