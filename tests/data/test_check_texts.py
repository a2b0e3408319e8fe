"""The data checks' exact findings (codes at lines and columns, messages, hints, fixes) in the
corners mutation testing showed unguarded: which compile a call uses, outputs of unknown shape,
the fields of each message. Programs go through ``check_source`` as a user's file does."""

from __future__ import annotations

import ast

import pytest

from kerascheck import check_source
from kerascheck.config import Options

EVERY_CODE = Options(select=("KC",))


def found(program: str) -> list[tuple[str, int, int, str]]:
    """(code, line, column, message and hint) of every diagnostic."""
    return [(d.code, d.position.line, d.position.column, d.text)
            for d in check_source(program, "program.py", EVERY_CODE).diagnostics]


RECOMPILED = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.build((None, 4))
model.compile(loss="categorical_crossentropy")
model.fit(np.zeros((8, 4)), np.zeros((8,), dtype=int))
model.compile(loss="sparse_categorical_crossentropy")
model.fit(np.zeros((8, 4)), np.zeros((8,), dtype=int))
"""


def test_each_call_uses_the_compile_in_effect_where_it_runs():
    # Before any compile no loss is known; each later fit is checked against the compile above it.
    assert found(RECOMPILED) == [
        ("KC402", 8, 29, "y of fit has shape (8,), the model output is (None, 3): categorical_crossentropy "
                         "needs labels of the output's rank; the labels look like class ids: use "
                         "loss='sparse_categorical_crossentropy' or "
                         "keras.utils.to_categorical(np.zeros((8,), dtype=int), 3)")]


def test_the_compile_fix_names_the_compile_in_effect():
    (diagnostic,) = check_source(RECOMPILED, "program.py", EVERY_CODE).diagnostics
    assert diagnostic.fix.description == "use loss='sparse_categorical_crossentropy' in the compile on line 7"
    assert [edit.target.line for edit in diagnostic.fix.edits] == [7]


def test_softmax_over_one_unit_per_step():
    # The last axis decides, not the second: (None, 5, 1) is one unit per step.
    program = """\
import keras
from keras import layers

inputs = keras.Input((5, 3))
outputs = layers.Dense(1, activation="softmax")(layers.Dense(4)(inputs))
model = keras.Model(inputs, outputs)
"""
    assert found(program) == [
        ("KC604", 5, 11, "Dense applies softmax to a single unit: it always outputs 1.0; "
                         "use activation='sigmoid' with one unit, or one unit per class")]


def test_softmax_over_one_step_of_several_units_is_not_one_unit():
    program = """\
import keras
from keras import layers

model = keras.Sequential([keras.Input((1, 3)), layers.Dense(4, activation="softmax")])
"""
    assert found(program) == []


def test_a_fit_before_any_compile_checks_no_labels():
    # Keras refuses to fit a model not compiled yet; the compile below does not apply to it.
    program = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.fit(np.zeros((8, 4)), np.zeros((8,), dtype=int))
model.compile(loss="categorical_crossentropy")
"""
    assert found(program) == []


INPUT_AS_OUTPUT = """\
import numpy as np
import keras
from keras import layers

inputs = keras.Input((4,))
model = keras.Model(inputs, [layers.Dense(3)(inputs), inputs])
model.compile(loss="mse")
model.fit(np.zeros((8, 4)), [np.zeros((8, 3)), np.zeros((8, 2))])
"""


def test_an_input_that_is_also_an_output_is_checked_as_one():
    # The second output is the input itself, made by no layer: it has no layer name.
    assert found(INPUT_AS_OUTPUT) == [
        ("KC402", 8, 29, "y[1] of fit has shape (8, 2), the model output is (None, 4): "
                         "mean_squared_error cannot broadcast the labels against the output")]


TWO_IN_TWO_OUT = """\
import numpy as np
import keras
from keras import layers

a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
merged = layers.Concatenate()([a, b])
model = keras.Model([a, b], [layers.Dense(3, name="left")(merged), layers.Dense(1, name="right")(merged)])
model.compile(loss="mse")
model.fit([np.zeros((8, 4))], [np.zeros((8, 3)), np.zeros((8, 1))])
model.fit([np.zeros((8, 4)), np.zeros((8, 2))], [np.zeros((8, 3)), np.zeros((8, 1)), np.zeros((8, 1))])
model.fit([np.zeros((8, 4)), np.zeros((8, 2))], [np.zeros((8, 3)), np.zeros((6, 1))])
model.fit([np.zeros((8, 4)), np.zeros((8, 2))], [np.zeros((8, 3)), np.zeros((8, 1))], sample_weight=np.ones(5))
model.fit({"a": np.zeros((8, 4)), "b": np.zeros((8, 3))}, [np.zeros((8, 3)), np.zeros((8, 1))])
model.fit({"a": np.zeros((8, 4)), "b": np.zeros((8, 2))}, {"left": np.zeros((8, 2)), "right": np.zeros((8, 1))})
model.fit([np.zeros((8, 4)), np.zeros((8, 2))], [np.zeros((8, 3)), np.zeros((8, 1))],
          validation_data=([np.zeros((4, 4)), np.zeros((5, 2))], [np.zeros((4, 3)), np.zeros((4, 1))]))
model.fit([np.zeros((8, 4)), np.zeros((8, 2))], [np.zeros((8, 3)), np.zeros((8, 1))],
          validation_data=([np.zeros((4, 4)), np.zeros((4, 5))], [np.zeros((4, 3)), np.zeros((4, 1))]))
model.fit([np.zeros((8, 4)), np.zeros((8, 2))], [np.zeros((8, 3)), np.zeros((8, 1))],
          validation_data=([np.zeros((4, 4)), np.zeros((4, 2))], [np.zeros((4, 3)), np.zeros((4, 2))]))
"""


def test_arrays_of_a_two_input_two_output_model():
    # Counts first (KC404), then samples (KC403 at the argument that disagrees), then shapes,
    # each array named as written: x[0], x['b'], y['left'], validation x[1]...
    assert found(TWO_IN_TWO_OUT) == [
        ("KC404", 9, 11, "x of fit gives 1 array(s), the model has 2 inputs"),
        ("KC404", 10, 49, "y of fit gives 3 array(s), the model has 2 outputs"),
        ("KC403", 11, 49, "x[0] has 8 samples but y[1] has 6; give every array the same samples"),
        ("KC403", 12, 101, "x[0] has 8 samples but sample_weight has 5; give every array the same samples"),
        ("KC401", 13, 11, "x['b'] of fit has shape (8, 3), the model input is (None, 2): "
                          "a functional model checks every dimension of its input"),
        ("KC402", 14, 59, "y['left'] of fit has shape (8, 2), the model output is (None, 3): mean_squared_error "
                          "cannot broadcast the labels against the output; the Dense on line 7 has 3 units; "
                          "the labels have 2"),
        ("KC403", 16, 28, "validation x[0] has 4 samples but validation x[1] has 5; give every array the same samples"),
        # made inside the call, on its second line: no "it comes from the array made on line 18"
        ("KC401", 18, 28, "validation x[1] of fit has shape (4, 5), the model input is (None, 2): "
                          "a functional model checks every dimension of its input"),
        ("KC601", 20, 28, "validation y[1] of fit has shape (4, 2), the model output is (None, 1): "
                          "mean_squared_error broadcasts the labels against the output; "
                          "the Dense on line 7 has 1 units; the labels have 2"),
    ]


VALIDATION_AND_COUNTS = """\
import numpy as np
import keras
import tensorflow as tf
from keras import layers

X_train, y_train = np.zeros((8, 4)), np.zeros((8, 3))
X_val, y_val = np.zeros((4, 4)), np.zeros((4,), dtype=int)
ragged = [[1], [2, 3]]
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(loss="categorical_crossentropy")
model.fit(X_train, y_train, validation_data=(X_val, y_val))
model.fit(X_train, y_train, validation_data=(X_val, np.zeros((5, 3))))
model.fit(X_train, y_train, validation_data=(np.zeros((4, 5)), np.zeros((4, 3))))
model.fit(X_train, y_train[:6])
model.fit(X_train, ragged)
model.fit(tf.data.Dataset.from_tensor_slices((X_train, y_train)).batch(4), validation_data=(X_val, y_val))
a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
merged = layers.Concatenate()([a, b])
two = keras.Model([a, b], [layers.Dense(3)(merged), layers.Dense(1)(merged)])
two.compile(loss="mse")
two.fit([X_train, np.zeros((6, 2))], [y_train, np.zeros((8, 1))])
two.fit([X_train, np.zeros((8, 2))], [y_train, np.zeros((8, 1))],
        validation_data=([X_val], [np.zeros((4, 3)), np.zeros((4, 1))]))
two.fit([X_train, np.zeros((8, 2))], [y_train, np.zeros((8, 1))],
        validation_data=([X_val, np.zeros((4, 2))], [np.zeros((4, 3))]))
X_flat = np.zeros((8, 30))
rnn = keras.Sequential([keras.Input((10, 3)), layers.LSTM(4), layers.Dense(1)])
rnn.compile(loss="mse")
rnn.fit(X_flat, np.zeros(8))
rnn.fit(np.zeros((8, 10, 3)), np.zeros(8), validation_data=(X_flat, np.zeros(8)))
"""


def test_validation_data_and_sample_counts_name_each_array_where_it_is_written():
    # The arrays of validation_data are "validation x" and "validation y" (not the tuple), found
    # at validation_data; a count mismatch is found at the argument that disagrees (y, or x for
    # the inputs of one model); hints write each array as the call does, a dataset's too.
    class_ids = ("categorical_crossentropy needs labels of the output's rank; the labels look like class ids: "
                 "use loss='sparse_categorical_crossentropy' or keras.utils.to_categorical(y_val, 3); "
                 "it comes from the array made on line 7")
    rnn_reshape = ("an RNN needs (samples, timesteps, features): use X_flat.reshape(-1, 10, 3); "
                   "it comes from the array made on line 26")
    assert found(VALIDATION_AND_COUNTS) == [
        ("KC402", 11, 46, f"validation y of fit has shape (4,), the model output is (None, 3): {class_ids}"),
        ("KC403", 12, 46, "validation x has 4 samples but validation y has 5; give every array the same samples"),
        ("KC401", 13, 46, "validation x of fit has shape (4, 5), the model input is (None, 4): "
                          "the Dense on line 9 was built for (None, 4) and would get (None, 5)"),
        ("KC403", 14, 20, "x has 8 samples but y has 6; give every array the same samples"),
        ("KC405", 15, 20, "y of fit holds sequences of different lengths (1, 2): Keras needs arrays of one shape; "
                          "pad them to one length: ragged = keras.utils.pad_sequences(ragged, padding='post')"),
        ("KC402", 16, 93, f"validation y of fit has shape (4,), the model output is (None, 3): {class_ids}"),
        ("KC403", 21, 9, "x[0] has 8 samples but x[1] has 6; give every array the same samples"),
        ("KC404", 23, 26, "validation x of fit gives 1 array(s), the model has 2 inputs"),
        ("KC404", 25, 26, "validation y of fit gives 1 array(s), the model has 2 outputs"),
        ("KC401", 29, 9, f"x of fit has shape (8, 30), the model input is (None, 10, 3): 2D data for a 3D input; "
                         f"{rnn_reshape}"),
        ("KC401", 30, 61, "validation x of fit has shape (8, 30), the model input is (None, 10, 3): "
                          f"2D data for a 3D input; {rnn_reshape}"),
    ]


LOSSES_AND_BATCHES = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="softmax")])
model.compile(loss="categorical_crossentropy")
model.fit(np.zeros((8, 4)), np.zeros((8, 1)))
wide = keras.Sequential([keras.Input((4,)), layers.Dense(5, activation="sigmoid")])
wide.compile(loss="binary_crossentropy")
wide.fit(np.zeros((8, 4)), keras.utils.to_categorical(np.zeros(8), 5))
pairs = keras.Sequential([keras.Input((4,)), layers.Dense(2, activation="sigmoid")])
pairs.compile(loss="binary_crossentropy")
pairs.fit(np.zeros((8, 4)), keras.utils.to_categorical(np.zeros(8), 2))
units = keras.Sequential([keras.Input((4,)), layers.Dense(8)])
units.compile(loss="mse")
units.train_on_batch(np.zeros((8, 4)), np.zeros((8,)))
units.train_on_batch(np.zeros((5, 4)), np.zeros((5,)))
units.fit(np.zeros((8, 4)), np.zeros((8,)), batch_size=None)
units.fit(np.zeros((16, 4)), np.zeros((16,)), batch_size=8)
units.fit(np.zeros((16, 4)), np.zeros((16,)), batch_size=6)
units.fit(np.zeros((6, 4)), np.zeros((6,)), batch_size=8)
units.fit(np.zeros((16, 4)), np.zeros((16,)), batch_size=None)
forty = keras.Sequential([keras.Input((4,)), layers.Dense(40)])
forty.compile(loss="mse")
forty.train_on_batch(np.zeros((40, 4)), np.zeros((40,)))
"""


def test_loss_warnings_and_the_batches_a_call_runs():
    # mse broadcasts (n,) labels against (batch, 8) only when every batch holds exactly 8
    # samples: train_on_batch runs one batch of all its samples (40 too), fit batches of
    # batch_size (None, or none given: 32), the last one the rest, none larger than the samples.
    broadcasts = "mean_squared_error broadcasts the labels against the output"
    fails = "mean_squared_error broadcasts the labels' batch axis against the output's other axes"
    assert found(LOSSES_AND_BATCHES) == [
        ("KC604", 5, 46, "Dense applies softmax to a single unit: it always outputs 1.0; "
                         "use activation='sigmoid' with one unit, or one unit per class"),
        ("KC606", 7, 29, "categorical_crossentropy on an output with a single unit: the loss is always 0; "
                         "use loss='binary_crossentropy' with one sigmoid unit, or one softmax unit per class"),
        ("KC605", 10, 28, "binary_crossentropy with one-hot labels of 5 classes; "
                          "use a softmax output with loss='categorical_crossentropy'"),
        # two one-hot classes (line 13) are one sigmoid unit each: nothing to say
        ("KC601", 16, 40, f"y of train_on_batch has shape (8,), the model output is (None, 8): {broadcasts}"),
        ("KC402", 17, 40, f"y of train_on_batch has shape (5,), the model output is (None, 8): {fails}"),
        ("KC601", 18, 29, f"y of fit has shape (8,), the model output is (None, 8): {broadcasts}"),
        ("KC601", 19, 30, f"y of fit has shape (16,), the model output is (None, 8): {broadcasts}"),
        ("KC402", 20, 30, f"y of fit has shape (16,), the model output is (None, 8): {fails}"),
        ("KC402", 21, 29, f"y of fit has shape (6,), the model output is (None, 8): {fails}"),
        ("KC402", 22, 30, f"y of fit has shape (16,), the model output is (None, 8): {fails}"),
        ("KC601", 25, 41, f"y of train_on_batch has shape (40,), the model output is (None, 40): {broadcasts}"),
    ]


def test_a_batch_size_of_zero_runs_no_known_batches():
    # Keras refuses batch_size=0 (not checked here): the batches are unknown, as for a size
    # that is not a literal, and mse's broadcast is only a warning.
    program = """\
import numpy as np
import keras
from keras import layers

units = keras.Sequential([keras.Input((4,)), layers.Dense(8)])
units.compile(loss="mse")
units.fit(np.zeros((16, 4)), np.zeros((16,)), batch_size=0)
"""
    assert found(program) == [
        ("KC601", 7, 30, "y of fit has shape (16,), the model output is (None, 8): "
                         "mean_squared_error broadcasts the labels against the output")]


LABELS_OUTPUT_BY_OUTPUT = """\
import sys
import numpy as np
import keras
import tensorflow as tf
from keras import layers


def spread(y_true, y_pred):
    return keras.ops.var(y_pred)


width = int(sys.argv[1])
a = keras.Input((5, 3))
sequences = layers.LSTM(4, return_sequences=True)(a)
two = keras.Model(a, [layers.Dense(2)(sequences), layers.Dense(3)(layers.LSTM(4)(a))])
two.compile(loss=[spread, "mse"])
two.fit(np.zeros((8, 5, 3)), [np.zeros((8, 1)), np.zeros((8, 4))])
two.compile(loss=["crossentropy", "mse"])
two.fit(np.zeros((8, 5, 3)), [np.zeros((8, width)), np.zeros((8, 4))])
auto = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
auto.compile(loss="crossentropy")
auto.fit(np.zeros((8, 4)), np.zeros((8, 4)))
auto.fit(np.zeros((8, 4)), np.zeros((8,)))
y_boxed = np.zeros((8, 1, 5))
five = keras.Sequential([keras.Input((4,)), layers.Dense(5)])
five.compile(loss="mse")
five.fit(np.zeros((8, 4)), y_boxed)
five.fit(np.zeros((8, 4)), np.zeros(()))
five.fit(np.zeros((6, 4)), np.zeros((6,)), batch_size=5)
tags = keras.Sequential([keras.Input((5, 4)), layers.Dense(1, activation="sigmoid")])
tags.compile(loss="categorical_crossentropy")
tags.fit(np.zeros((8, 5, 4)), np.zeros((8, 5, 1)))
pairs = keras.Sequential([keras.Input((2, 4)), layers.Dense(3, activation="sigmoid")])
pairs.compile(loss="binary_crossentropy")
pairs.fit(np.zeros((8, 2, 4)), keras.utils.to_categorical(np.zeros((8, 2)), 3))
five.fit(tf.data.Dataset.from_tensor_slices((np.zeros((8, 4)), np.zeros((8, 1, 5)))).batch(4))
"""


def test_labels_are_checked_output_by_output_with_the_loss_as_keras_resolves_it():
    # An output whose loss is the user's (line 17) or whose labels' unknown width may be its 5
    # steps (line 19) is skipped, not the next one; "crossentropy" is categorical for 3 classes;
    # labels with no sample axis are not compared; a last batch of 1 broadcasts like any (line
    # 29: 6 samples in batches of 5); KC606 and KC605 read the class axis, the last; labels of a
    # dataset are "y" in a hint.
    units = "mean_squared_error cannot broadcast the labels against the output; the Dense on line 15 has 3 units"
    assert found(LABELS_OUTPUT_BY_OUTPUT) == [
        ("KC402", 17, 30, f"y[1] of fit has shape (8, 4), the model output is (None, 3): {units}; the labels have 4"),
        ("KC402", 19, 30, f"y[1] of fit has shape (8, 4), the model output is (None, 3): {units}; the labels have 4"),
        ("KC402", 22, 28, "y of fit has shape (8, 4), the model output is (None, 3): categorical_crossentropy needs "
                          "labels of the output's shape; the Dense on line 20 has 3 units; the labels have 4"),
        ("KC601", 27, 28, "y of fit has shape (8, 1, 5), the model output is (None, 5): mean_squared_error "
                          "broadcasts the labels against the output; the labels hold as many values as the "
                          "output: y_boxed = y_boxed.reshape(-1, 5)"),
        ("KC601", 29, 28, "y of fit has shape (6,), the model output is (None, 5): mean_squared_error "
                          "broadcasts the labels against the output"),
        ("KC606", 32, 31, "categorical_crossentropy on an output with a single unit: the loss is always 0; "
                          "use loss='binary_crossentropy' with one sigmoid unit, or one softmax unit per class"),
        ("KC605", 35, 32, "binary_crossentropy with one-hot labels of 3 classes; "
                          "use a softmax output with loss='categorical_crossentropy'"),
        ("KC601", 36, 1, "y of fit has shape (None, 1, 5), the model output is (None, 5): mean_squared_error "
                         "broadcasts the labels against the output; the labels hold as many values as the "
                         "output: y = y.reshape(-1, 5)"),
    ]


PER_STEP = """\
import numpy as np
import keras
from keras import layers

tagger = keras.Sequential([keras.Input((5, 3)),
                           layers.LSTM(8, return_sequences=True),
                           layers.TimeDistributed(layers.Dense(4)),
                           layers.TimeDistributed(layers.Dense(1))])
tagger.compile(loss="binary_crossentropy")
tagger.fit(np.zeros((8, 5, 3)), np.zeros((8,)))
flat = keras.Sequential([keras.Input((5, 3)), layers.Dense(4), layers.Dense(2)])
flat.compile(loss="mse")
flat.fit(np.zeros((8, 5, 3)), np.zeros((8, 3)))
conv = keras.Sequential([keras.Input((10, 3)),
                         layers.Conv1D(4, 3),
                         layers.Conv1D(1, 3)])
conv.compile(loss="mse")
conv.fit(np.zeros((8, 10, 3)), np.zeros((8, 10, 1)))
pooled = keras.Sequential([keras.Input((12, 3)),
                           layers.Conv1D(4, 3),
                           layers.MaxPooling1D(2),
                           layers.GRU(4),
                           layers.Dense(1)])
pooled.compile(loss="binary_crossentropy")
pooled.fit(np.zeros((8, 12, 3)), np.zeros((8, 12, 1)))
"""


def test_labels_per_sample_or_per_step_name_the_layers_and_repairs():
    fixes = {d.position.line: (d.fix.description, [(type(e).__name__, e.target.line) for e in d.fix.edits])
             for d in check_source(PER_STEP, "program.py", EVERY_CODE).diagnostics if d.fix is not None}
    assert found(PER_STEP) == [
        ("KC402", 10, 33, "y of fit has shape (8,), the model output is (None, 5, 1): binary_crossentropy "
                          "needs labels of the output's rank; the LSTM on line 6 returns sequences; "
                          "set return_sequences=False there and drop the TimeDistributed on line 7, 8"),
        ("KC402", 13, 31, "y of fit has shape (8, 3), the model output is (None, 5, 2): mean_squared_error "
                          "cannot broadcast the labels against the output; the Dense on line 11 is applied to "
                          "each step of (None, 5, 4); add Flatten() or GlobalAveragePooling1D() before it"),
        # the steps differ (6 for 10), not the units: no "has 1 units; the labels have 1"
        ("KC402", 18, 32, "y of fit has shape (8, 10, 1), the model output is (None, 6, 1): mean_squared_error "
                          "cannot broadcast the labels against the output"),
        ("KC402", 25, 34, "y of fit has shape (8, 12, 1), the model output is (None, 1): binary_crossentropy "
                          "needs labels of the output's shape; the GRU on line 22 returns only its last step; "
                          "for one output per step set return_sequences=True there, keeping 12 steps: "
                          "padding='same' on the Conv1D (line 20), remove the MaxPooling1D (line 21); "
                          "or make the output Dense(12) and use np.zeros((8, 12, 1)).reshape(-1, 12)"),
    ]
    assert fixes == {
        10: ("set return_sequences=False on the LSTM on line 6, and apply the Dense on line 7, 8 without "
             "TimeDistributed", [("SetKeyword", 6), ("UnwrapLayer", 7), ("UnwrapLayer", 8)]),
        18: ("padding='same' on the Conv1D on line 15, 16", [("SetKeyword", 15), ("SetKeyword", 16)]),
        25: ("return_sequences=True on the GRU on line 22, padding='same' on the Conv1D on line 20, "
             "remove the MaxPooling1D on line 21", [("SetKeyword", 22), ("SetKeyword", 20), ("RemoveLayer", 21)]),
    }


RAGGED_AND_FEATURES = """\
import numpy as np
import keras
from keras import layers

texts = keras.Sequential([keras.Input((None,)), layers.Embedding(50, 8), layers.GlobalAveragePooling1D(),
                          layers.Dense(1)])
texts.compile(loss="mse")
texts.predict([[1, 2, 3], [4], [5, 6], [7, 8, 9, 10], [1]])
texts.predict([[0.5, 2.0], [1.5]])
texts.fit(np.zeros((2, 3)), np.zeros(2), validation_data=([[1], [2, 3]], np.zeros(2)))
reviews = np.array([[1, 2, 3], [4]], dtype=object)
texts.fit(reviews, np.zeros(2))
images = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(10)])
images.compile(loss="sparse_categorical_crossentropy")
images.fit(np.zeros((8, 28, 28)), np.zeros(8))
images.fit(np.zeros((8, 28, 28, 1, 1, 1)), np.zeros(8))
images.fit(np.zeros((8, 32, 32, 1)), np.zeros(8))
images.predict(np.zeros((8, 28, 28, 1)))
steps = keras.Sequential([keras.Input((20, 3)), layers.LSTM(4), layers.Dense(1)])
steps.compile(loss="mse")
steps.fit(np.zeros((8, 30, 3)), np.zeros(8))
steps.fit(np.zeros((8, 20, 5)), np.zeros(8))
"""


def test_ragged_sequences_and_features_the_model_cannot_take():
    pad = "pad them to one length: "
    assert found(RAGGED_AND_FEATURES) == [
        # four lengths shown, then "...": integers need no dtype, floats dtype='float32'
        ("KC405", 8, 15, "x of predict holds sequences of different lengths (3, 1, 2, 4, ...): Keras needs arrays "
                         f"of one shape; {pad}use keras.utils.pad_sequences(sequences, padding='post')"),
        ("KC405", 9, 15, "x of predict holds sequences of different lengths (2, 1): Keras needs arrays of one shape; "
                         f"{pad}use keras.utils.pad_sequences(sequences, padding='post', dtype='float32')"),
        ("KC405", 10, 59, "validation x of fit holds sequences of different lengths (1, 2): Keras needs arrays of "
                          f"one shape; {pad}use keras.utils.pad_sequences(sequences, padding='post')"),
        # an object array of values of unknown kind, named where it is made
        ("KC405", 12, 11, "x of fit holds sequences of different lengths (3, 1): Keras needs arrays of one shape; "
                          f"{pad}reviews = keras.utils.pad_sequences(reviews, padding='post') (with dtype='float32' "
                          "for values that are not integers); it comes from the array made on line 11"),
        # (8, 28, 28) gets its trailing axis of 1 from Keras (line 15): no finding
        ("KC401", 16, 12, "x of fit has shape (8, 28, 28, 1, 1, 1), the model input is (None, 28, 28, 1): "
                          "6D data for a 4D input"),
        ("KC401", 17, 12, "x of fit has shape (8, 32, 32, 1), the model input is (None, 28, 28, 1): "
                          "the Dense on line 13 was built for (None, 2704) and would get (None, 3600)"),
        # a Sequential's LSTM takes 30 steps for 20 (line 21), not 5 features for 3
        ("KC401", 22, 11, "x of fit has shape (8, 20, 5), the model input is (None, 20, 3): "
                          "the LSTM on line 19 was built for (None, 20, 3) and would get (None, 20, 5)"),
    ]


def test_features_skip_an_input_of_no_axes_and_leave_the_labels_checked():
    # x[0], a scalar, is not compared (line 8) but x[1] still is; features that do not fit the
    # model (not its input shape counting the samples) leave the labels to check (line 9), and
    # so do features a Sequential takes (30 steps for 20, line 12).
    program = """\
import numpy as np
import keras
from keras import layers

a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
model = keras.Model([a, b], layers.Dense(3)(layers.Concatenate()([a, b])))
model.compile(loss="mse")
model.fit([np.zeros(()), np.zeros((8, 3))], np.zeros((8, 3)))
model.fit([np.zeros((8, 5)), np.zeros((8, 2))], np.zeros((8, 7)))
steps = keras.Sequential([keras.Input((20, 3)), layers.LSTM(4), layers.Dense(1)])
steps.compile(loss="mse")
steps.fit(np.zeros((8, 30, 3)), np.zeros((8, 2)))
steps.fit(np.zeros((8, 20, 5)), np.zeros((6, 1)))
"""
    assert found(program) == [
        ("KC401", 8, 11, "x[1] of fit has shape (8, 3), the model input is (None, 2): "
                         "a functional model checks every dimension of its input"),
        ("KC401", 9, 11, "x[0] of fit has shape (8, 5), the model input is (None, 4): "
                         "a functional model checks every dimension of its input"),
        ("KC402", 9, 49, "y of fit has shape (8, 7), the model output is (None, 3): mean_squared_error cannot "
                         "broadcast the labels against the output; the Dense on line 6 has 3 units; the labels have 7"),
        ("KC601", 12, 33, "y of fit has shape (8, 2), the model output is (None, 1): mean_squared_error "
                          "broadcasts the labels against the output; the Dense on line 10 has 1 units; "
                          "the labels have 2"),
        # Keras counts the samples before it calls the model: nothing said of the features
        ("KC403", 13, 33, "x has 8 samples but y has 6; give every array the same samples"),
    ]


PARTIAL_LOSSES = """\
import numpy as np
import keras
from keras import layers

a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
merged = layers.Concatenate()([a, b])
model = keras.Model([a, b], [layers.Dense(3)(merged), layers.Dense(1)(merged)])
model.compile(loss=[None, "mse"])
model.fit([np.zeros((8, 4)), np.zeros((8, 2))], [np.zeros((8, 5))])
model.fit([np.zeros((8, 4)), np.zeros((8, 2))], [np.zeros((8, 1))])
model.fit([np.zeros((8, 4))], [np.zeros((8, 1))])
model.fit({"a": np.zeros((8, 4)), "b": keras.ops.zeros((8, 2))}, [np.zeros((8, 1))])
"""


def test_a_loss_list_with_none_takes_one_label_array_per_loss():
    # y[0] goes to the second output, the only one with a loss; x still needs both inputs, and
    # a dict of them may hold a value whose shape is unknown (line 12).
    assert found(PARTIAL_LOSSES) == [
        ("KC601", 9, 49, "y[0] of fit has shape (8, 5), the model output is (None, 1): mean_squared_error "
                         "broadcasts the labels against the output; the Dense on line 7 has 1 units; "
                         "the labels have 5"),
        ("KC404", 11, 11, "x of fit gives 1 array(s), the model has 2 inputs"),
    ]


def test_ragged_validation_labels_are_named_so():
    program = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
model.compile(loss="mse")
model.fit(np.zeros((2, 3)), np.zeros((2, 1)), validation_data=(np.zeros((2, 3)), [[1], [2, 3]]))
"""
    assert found(program) == [
        ("KC405", 7, 64, "validation y of fit holds sequences of different lengths (1, 2): Keras needs arrays of "
                         "one shape; pad them to one length: use keras.utils.pad_sequences(sequences, "
                         "padding='post')")]


def test_ragged_lengths_unknown_or_four_and_a_validation_data_named_whole():
    program = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input((None,)), layers.Embedding(50, 8), layers.GlobalAveragePooling1D(),
                          layers.Dense(1)])
model.predict([[1, 2, 3], np.array(read_tokens()), [4]])
model.predict([[1], [2, 3], [4], [5, 6]])
model.compile(loss="mse")
validation = ([[1], [2, 3]], np.zeros(2))
model.fit(np.zeros((2, 3)), np.zeros(2), validation_data=validation)
"""
    # Four lengths are all shown (no "..."); the sequences of a validation_data named as a
    # whole have no name of their own to pad.
    pad = "Keras needs arrays of one shape; pad them to one length: use keras.utils.pad_sequences(sequences, "
    assert found(program) == [
        ("KC405", 7, 15, f"x of predict holds sequences of different lengths (3, ?, 1): {pad}padding='post') "
                         "(with dtype='float32' for values that are not integers)"),
        ("KC405", 8, 15, f"x of predict holds sequences of different lengths (1, 2, 1, 2): {pad}padding='post')"),
        ("KC405", 11, 58, f"validation x of fit holds sequences of different lengths (1, 2): {pad}padding='post')"),
    ]


LIST_FOR_ONE_INPUT = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(loss="mse")
model.fit([np.zeros((8, 4)), np.zeros((8, 4))], np.zeros((8, 1)))
model.fit([np.zeros((8, 5))], np.zeros((8, 1)))
model.fit([np.zeros((8, 3)), np.zeros((8, 4))], np.zeros((8, 1)))
model.fit(np.zeros((8, 4)), [np.zeros((8, 1)), np.zeros((8, 1))])
inputs = keras.Input((4,))
functional = keras.Model(inputs, layers.Dense(1)(inputs))
functional.compile(loss="mse")
functional.predict((np.zeros((8, 4)), np.zeros((8, 4))))
"""


def _list_for_one_input(version):
    return [(d.code, d.position.line, d.position.column, d.text) for d in
            check_source(LIST_FOR_ONE_INPUT, "program.py", Options(select=("KC",), keras_version=version)).diagnostics]


def test_a_list_for_a_model_of_one_input_on_keras3():
    # Measured: Keras 3's Sequential runs on the first array of x, a functional model rejects the
    # list, and labels for one output must be one array. A list of one array is that array.
    assert _list_for_one_input(3) == [
        ("KC401", 8, 11, "x of fit has shape (8, 5), the model input is (None, 4): "
                         "the Dense on line 5 was built for (None, 4) and would get (None, 5)"),
        ("KC401", 9, 11, "x[0] of fit has shape (8, 3), the model input is (None, 4): "
                         "the Dense on line 5 was built for (None, 4) and would get (None, 3)"),
        ("KC404", 10, 29, "y of fit gives 2 array(s), the model has 1 output"),
        ("KC404", 14, 21, "x of predict gives 2 array(s), the model has 1 input")]


def test_a_list_for_a_model_of_one_input_on_keras2():
    # Measured: tf-keras rejects several arrays for one input, and fits one output on the first
    # of several label arrays.
    assert _list_for_one_input(2) == [
        ("KC404", 7, 11, "x of fit gives 2 array(s), the model has 1 input"),
        ("KC401", 8, 11, "x of fit has shape (8, 5), the model input is (None, 4): "
                         "Keras 2 checks every dimension of its input"),
        ("KC404", 9, 11, "x of fit gives 2 array(s), the model has 1 input"),
        ("KC404", 14, 21, "x of predict gives 2 array(s), the model has 1 input")]


def test_a_list_for_a_model_of_one_input_of_an_unknown_keras(no_installed_keras, tmp_path):
    # Line 9 fails on both, each its own way: two errors, each naming its Keras and the other's code.
    found = check_source(LIST_FOR_ONE_INPUT, str(tmp_path / "program.py"), EVERY_CODE).diagnostics
    assert [(d.code, d.severity, d.position.line) for d in found] == [
        ("KC404", "warning", 7), ("KC401", "error", 8), ("KC401", "error", 9), ("KC404", "error", 9),
        ("KC404", "warning", 10), ("KC404", "error", 14)]
    assert found[2].text.endswith("; on Keras 3 (TensorFlow 2.16 and later); "
                                  "Keras 2 (tf-keras, TensorFlow 2.15 and earlier) fails here with KC404")
    assert found[3].text.endswith("; on Keras 2 (tf-keras, TensorFlow 2.15 and earlier); "
                                  "Keras 3 (TensorFlow 2.16 and later) fails here with KC401")


MADE_ELSEWHERE = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(loss="mse")
features = np.zeros((8, 5))
model.fit(features, np.zeros((8, 1)))
"""


def test_the_line_an_array_was_made_on_is_the_whole_hint_when_there_is_no_other():
    assert found(MADE_ELSEWHERE) == [
        ("KC401", 8, 11, "x of fit has shape (8, 5), the model input is (None, 4): the Dense on line 5 was built "
                         "for (None, 4) and would get (None, 5); it comes from the array made on line 7")]


LOSS_FIXES = """\
import numpy as np
import keras
from keras import layers

two = keras.Sequential([keras.Input((4,)), layers.Dense(2, activation="softmax")])
two.compile(loss="categorical_crossentropy")
two.fit(np.zeros((8, 4)), np.random.randint(0, 2, (8,)))
steps = keras.Sequential([keras.Input((5, 4)), layers.Dense(3, activation="softmax")])
steps.compile(loss="categorical_crossentropy")
steps.fit(np.zeros((8, 5, 4)), np.random.randint(0, 3, (8, 5)))
steps.fit(np.zeros((8, 5, 4)), np.random.randint(0, 3, (8, 5, 1)))
sparse = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
sparse.compile(loss="sparse_categorical_crossentropy")
sparse.fit(np.zeros((8, 4)), keras.utils.to_categorical(np.random.randint(0, 3, (8,)), 3))
sparse.fit(np.zeros((8, 4)), np.random.rand(8, 3))
sparse.fit(np.zeros((8, 4)), np.random.randint(0, 2, (8, 3)))
sparse.fit(np.zeros((8, 4)), np.random.randint(0, 2, (8, 4)))
inputs = keras.Input((4,))
pair = keras.Model(inputs, [layers.Dense(3, activation="softmax")(inputs), layers.Dense(3, activation="softmax")(inputs)])
pair.compile(loss="categorical_crossentropy")
pair.fit(np.zeros((8, 4)), [np.random.randint(0, 3, (8,)), np.random.randint(0, 3, (8,))])
binary = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
binary.compile(loss="binary_crossentropy")
binary.fit(np.zeros((8, 4)), np.random.randint(0, 3, (8,)))
per_step = keras.Sequential([keras.Input((5, 4)), layers.Dense(3, activation="softmax")])
per_step.compile(loss="sparse_categorical_crossentropy")
per_step.fit(np.zeros((8, 5, 4)), keras.utils.to_categorical(np.random.randint(0, 3, (8, 5)), 3))
"""


def test_a_cross_entropy_the_labels_do_not_fit_is_swapped_for_the_one_they_do():
    # Two classes or a class per step, labels (samples,) or (samples, steps, 1); a sparse loss
    # given one-hot, float or 0/1 integer rows of the class count, per sample or per step. Not
    # for labels of another width, where one loss serves several outputs, nor from a loss other
    # than the two (binary cross-entropy on class ids is left as written).
    sparse, categorical = ("use loss='sparse_categorical_crossentropy' in the compile on line {}",
                           "use loss='categorical_crossentropy' in the compile on line {}")
    fixes = [(d.position.line, d.code, d.fix.description if d.fix else None)
             for d in check_source(LOSS_FIXES, "program.py", EVERY_CODE).diagnostics]
    assert fixes == [(7, "KC402", sparse.format(6)), (10, "KC402", sparse.format(9)), (11, "KC402", sparse.format(9)),
                     (14, "KC402", categorical.format(13)), (15, "KC402", categorical.format(13)),
                     (16, "KC402", categorical.format(13)), (17, "KC402", None),
                     (21, "KC402", None), (21, "KC402", None), (24, "KC402", None),
                     (27, "KC402", categorical.format(26))]


SEQUENCE_WARNINGS = """\
import numpy as np
import keras
from keras import layers

dense = keras.Sequential([keras.Input((5, 3)), layers.Dense(4), layers.Dense(1)])
dense.compile(loss="mse")
dense.fit(np.zeros((8, 5, 3)), np.zeros((8, 1)))
rnn = keras.Sequential([keras.Input((5, 3)), layers.LSTM(4, return_sequences=True), layers.Dense(1)])
rnn.compile(loss="mse")
rnn.fit(np.zeros((8, 5, 3)), np.zeros((8, 1)))
odd = keras.Sequential([keras.Input((4,)), layers.Dense(8)])
odd.compile(loss="mse")
odd.fit(np.zeros((16, 4)), np.zeros((16,)), batch_size=np.random.randint(8, 9))
"""


def test_per_sample_labels_a_per_step_output_broadcasts_are_named_by_their_cause():
    fixes = [(d.position.line, d.fix.description, d.fix.applicability)
             for d in check_source(SEQUENCE_WARNINGS, "program.py", EVERY_CODE).diagnostics if d.fix is not None]
    assert found(SEQUENCE_WARNINGS) == [
        ("KC602", 7, 32, "the Dense on line 5 is applied to each step of (None, 5, 4) but the labels (8, 1) have "
                         "one value per sample; add Flatten() or GlobalAveragePooling1D() before it"),
        ("KC603", 10, 30, "the model outputs a sequence (None, 5, 1) but the labels (8, 1) have one value per "
                          "sample; the LSTM on line 8 returns sequences; set return_sequences=False there"),
        # a batch size not known: the batches may or may not hold 8 samples each
        ("KC601", 13, 28, "y of fit has shape (16,), the model output is (None, 8): "
                          "mean_squared_error broadcasts the labels against the output"),
    ]
    assert fixes == [(7, "insert Flatten() before the Dense on line 5", "unsafe"),
                     (10, "set return_sequences=False on the LSTM on line 8", "safe")]


UNBATCHED = """\
import numpy as np
import tensorflow as tf
import keras
from keras import layers

model = keras.Sequential([keras.Input((20, 3)), layers.LSTM(4), layers.Dense(1)])
model.compile(loss="mse")
samples = tf.data.Dataset.from_tensor_slices((np.zeros((8, 20, 3)), np.zeros((8, 1))))
model.fit(samples)
model.fit(samples.batch(4))
"""


def test_a_dataset_of_single_samples_is_told_to_batch_not_to_count_its_samples():
    # Keras takes each element as a batch: x (20, 3) and y (1,) are no 20 and 1 samples.
    assert found(UNBATCHED) == [
        ("KC401", 9, 11, "x of fit has shape (20, 3), the model input is (None, 20, 3): 2D data for a 3D input; "
                         "the dataset's elements are single samples: batch it (dataset.batch(32)); "
                         "it comes from the array made on line 8")]


SEQUENCE_FIXES = """\
import numpy as np
import keras
from keras import layers

dropped = keras.Sequential([keras.Input((5, 3)),
                            layers.LSTM(4, return_sequences=True),
                            layers.TimeDistributed(layers.Dropout(0.1)),
                            layers.TimeDistributed(layers.Dense(1))])
dropped.compile(loss="mse")
dropped.fit(np.zeros((8, 5, 3)), np.zeros((8, 1)))
nested = keras.Sequential([keras.Input((5, 3)),
                           layers.LSTM(4, return_sequences=True),
                           layers.TimeDistributed(keras.Sequential([keras.Input((4,)), layers.Dense(1)]))])
nested.compile(loss="mse")
nested.fit(np.zeros((8, 5, 3)), np.zeros((8, 1)))
words = keras.Sequential([keras.Input((None, 3)), layers.Dense(4), layers.Dense(1)])
words.compile(loss="mse")
words.fit(np.zeros((8, 5, 3)), np.zeros((8, 1)))
einsum = keras.Sequential([keras.Input((5, 3)), layers.EinsumDense("...b,bc->...c", 1)])
einsum.compile(loss="mse")
einsum.fit(np.zeros((8, 5, 3)), np.zeros((8, 1)))
pointwise = keras.Sequential([keras.Input((5, 3)), layers.Conv1D(1, 1)])
pointwise.compile(loss="mse")
pointwise.fit(np.zeros((8, 5, 3)), np.zeros((8, 1)))
"""


def test_no_sequence_fix_where_a_layer_would_not_take_one_vector_per_sample():
    # The hints stand, but no candidate fix: unwrapping a TimeDistributed that holds no Dense
    # (a Dropout, a nested model); Flatten() before a Dense over steps of unknown count (it
    # could not build), nor before an EinsumDense, even one whose equation takes any rank.
    diagnostics = check_source(SEQUENCE_FIXES, "program.py", EVERY_CODE).diagnostics
    assert found(SEQUENCE_FIXES) == [
        ("KC603", 10, 34, "the model outputs a sequence (None, 5, 1) but the labels (8, 1) have one value per "
                          "sample; the LSTM on line 6 returns sequences; set return_sequences=False there and "
                          "drop the TimeDistributed on line 7, 8"),
        ("KC603", 15, 33, "the model outputs a sequence (None, 5, 1) but the labels (8, 1) have one value per "
                          "sample; the LSTM on line 12 returns sequences; set return_sequences=False there and "
                          "drop the TimeDistributed on line 13"),
        ("KC602", 18, 32, "the Dense on line 16 is applied to each step of (None, None, 4) but the labels (8, 1) "
                          "have one value per sample; add Flatten() or GlobalAveragePooling1D() before it"),
        ("KC602", 21, 33, "the EinsumDense on line 19 is applied to each step of (None, 5, 3) but the labels "
                          "(8, 1) have one value per sample; add Flatten() or GlobalAveragePooling1D() before it"),
        # a Conv1D over the steps is no Dense applied to each step: a plain broadcast
        ("KC601", 24, 36, "y of fit has shape (8, 1), the model output is (None, 5, 1): mean_squared_error "
                          "broadcasts the labels against the output"),
    ]
    assert [d.fix for d in diagnostics] == [None] * 5


PADDING_FIXES = """\
import numpy as np
import keras
from keras import layers

pointwise = keras.Sequential([keras.Input((10, 3)),
                              layers.Conv1D(4, 1),
                              layers.Conv1D(1, 3)])
pointwise.compile(loss="mse")
pointwise.fit(np.zeros((8, 10, 3)), np.zeros((8, 10, 1)))
six = keras.Sequential([keras.Input((10, 3)), layers.Conv1D(6, 5)])
six.compile(loss="mse")
six.fit(np.zeros((8, 10, 3)), np.zeros((8, 10, 6)))
ten = keras.Sequential([keras.Input((10, 3)), layers.Conv1D(10, 5)])
ten.compile(loss="mse")
ten.fit(np.zeros((8, 10, 3)), np.zeros((8, 10, 10)))
pooled = keras.Sequential([keras.Input((10, 3)),
                           layers.Conv1D(4, 3),
                           layers.MaxPooling1D(2, strides=1),
                           layers.Dense(1)])
pooled.compile(loss="mse")
pooled.fit(np.zeros((8, 10, 3)), np.zeros((8, 10, 1)))
inputs = keras.Input((10, 3))
conv = layers.Conv1D(4, 3)(inputs)
shared = keras.Model(inputs, [layers.Conv1D(1, 3, padding="same")(conv), layers.GlobalAveragePooling1D()(conv)])
shared.compile(loss="mse")
shared.fit(np.zeros((8, 10, 3)), [np.zeros((8, 10, 1)), np.zeros((8, 4))])
tagger = keras.Sequential([keras.Input((10, 3)), layers.Conv1D(3, 3, activation="softmax")])
tagger.compile(loss="categorical_crossentropy")
tagger.fit(np.zeros((8, 10, 3)), np.random.randint(0, 2, (8, 10, 3)))
"""


def test_padding_same_only_on_the_convolutions_that_shorten_the_steps():
    # Labels of 10 steps: only the Conv1D that shortens them gets padding='same' (line 7, not
    # the pointwise one on line 6), whatever the output's units (6 or 10, equal to the output's
    # steps or to the labels'). None when a pooling shortens them too (line 21), nor when another
    # output reads the convolution's steps (line 26). Integer labels of the output's rank that
    # are no class ids (line 29) leave the cross-entropy as it is, and the padding is the fix.
    diagnostics = check_source(PADDING_FIXES, "program.py", EVERY_CODE).diagnostics
    assert [(d.code, d.position.line) for d in diagnostics] == [
        ("KC402", 9), ("KC402", 12), ("KC402", 15), ("KC402", 21), ("KC402", 26), ("KC402", 29)]
    assert [(d.fix.description, [(type(e).__name__, e.target.line) for e in d.fix.edits]) if d.fix else None
            for d in diagnostics] == [
        ("padding='same' on the Conv1D on line 7", [("SetKeyword", 7)]),
        ("padding='same' on the Conv1D on line 10", [("SetKeyword", 10)]),
        ("padding='same' on the Conv1D on line 13", [("SetKeyword", 13)]),
        None, None,
        ("padding='same' on the Conv1D on line 27", [("SetKeyword", 27)])]


PER_STEP_FIXES = """\
import numpy as np
import keras
from keras import layers

tupled = keras.Sequential([keras.Input((12, 3)),
                           layers.Conv1D(4, 3, strides=(1,)),
                           layers.GRU(4),
                           layers.Dense(1, activation="sigmoid")])
tupled.compile(loss="binary_crossentropy")
tupled.fit(np.zeros((8, 12, 3)), np.zeros((8, 12, 1)))
listed = keras.Sequential([keras.Input((12, 3)),
                           layers.Conv1D(4, 3, strides=[1]),
                           layers.GRU(4),
                           layers.Dense(1, activation="sigmoid")])
listed.compile(loss="binary_crossentropy")
listed.fit(np.zeros((8, 12, 3)), np.zeros((8, 12, 1)))
strided = keras.Sequential([keras.Input((12, 3)),
                            layers.Conv1D(4, 3, strides=2),
                            layers.GRU(4),
                            layers.Dense(1, activation="sigmoid")])
strided.compile(loss="binary_crossentropy")
strided.fit(np.zeros((8, 12, 3)), np.zeros((8, 12, 1)))
separable = keras.Sequential([keras.Input((12, 3)),
                              layers.SeparableConv1D(4, 3),
                              layers.GRU(4),
                              layers.Dense(1, activation="sigmoid")])
separable.compile(loss="binary_crossentropy")
separable.fit(np.zeros((8, 12, 3)), np.zeros((8, 12, 1)))
inputs = keras.Input((12, 3))
conv = layers.Conv1D(4, 3)(inputs)
shared = keras.Model(inputs, [layers.Dense(1, activation="sigmoid")(layers.GRU(4)(conv)),
                              layers.GlobalAveragePooling1D()(conv)])
shared.compile(loss=["binary_crossentropy", "mse"])
shared.fit(np.zeros((8, 12, 3)), [np.zeros((8, 12, 1)), np.zeros((8, 4))])
cropped = keras.Sequential([keras.Input((12, 3)),
                            layers.Cropping1D(1),
                            layers.GRU(4),
                            layers.Dense(1, activation="sigmoid")])
cropped.compile(loss="binary_crossentropy")
cropped.fit(np.zeros((8, 12, 3)), np.zeros((8, 12, 1)))
"""


def test_return_sequences_with_padding_same_on_convolutions_of_stride_one():
    # Strides of 1 written as a tuple or a list are stride 1. No fix where a strided convolution
    # would keep fewer steps with padding='same' (line 22), for a convolution other than a
    # Conv1D (line 28), where another output reads the convolution's steps (line 34), nor for
    # a cropping (line 40). The hints keep the steps each layer's way: a strided convolution
    # needs strides=1 too, a cropping is removed (it has no padding).
    diagnostics = check_source(PER_STEP_FIXES, "program.py", EVERY_CODE).diagnostics
    assert [(d.code, d.position.line) for d in diagnostics] == [
        ("KC402", 10), ("KC402", 16), ("KC402", 22), ("KC402", 28), ("KC402", 34), ("KC402", 40)]
    kept = [d.text.split("keeping 12 steps: ")[1].split(";")[0] for d in diagnostics]
    assert kept == ["padding='same' on the Conv1D (line 6)", "padding='same' on the Conv1D (line 12)",
                    "strides=1 and padding='same' on the Conv1D (line 18)",
                    "padding='same' on the SeparableConv1D (line 24)", "padding='same' on the Conv1D (line 30)",
                    "remove the Cropping1D (line 36)"]
    assert [(d.fix.description, [(type(e).__name__, e.target.line) for e in d.fix.edits]) if d.fix else None
            for d in diagnostics] == [
        ("return_sequences=True on the GRU on line 7, padding='same' on the Conv1D on line 6",
         [("SetKeyword", 7), ("SetKeyword", 6)]),
        ("return_sequences=True on the GRU on line 13, padding='same' on the Conv1D on line 12",
         [("SetKeyword", 13), ("SetKeyword", 12)]),
        None, None, None, None]


MAPPED_TO_A_NAMED_ARRAY = """\
import numpy as np
import tensorflow as tf
import keras
from keras import layers

windows = np.zeros((8, 60))
labels = np.zeros((8, 1))
model = keras.Sequential([keras.Input((20, 3)), layers.LSTM(4), layers.Dense(1)])
model.compile(loss="mse")
batches = tf.data.Dataset.from_tensor_slices((np.zeros((8, 20, 3)), labels)).batch(4).map(lambda x, y: (windows, y))
model.fit(batches, validation_data=(windows, labels))
"""


def test_an_array_a_dataset_gives_is_named_where_the_call_writes_it():
    # The dataset's features are the array written as validation_data[0]: both hints name it.
    reshape = ("x of fit has shape (8, 60), the model input is (None, 20, 3): 2D data for a 3D input; an RNN "
               "needs (samples, timesteps, features): use windows.reshape(-1, 20, 3); it comes from the array "
               "made on line 6")
    assert found(MAPPED_TO_A_NAMED_ARRAY) == [("KC401", 11, 11, reshape),
                                              ("KC401", 11, 37, "validation " + reshape)]


DATA_METHODS = {"fit", "evaluate", "predict", "train_on_batch", "test_on_batch"}


def data_call_statements(program: str) -> list[tuple[int, int]]:
    """(first line, last line) of each top-level ``model.fit(...)``-like statement."""
    return [(statement.lineno, statement.end_lineno) for statement in ast.parse(program).body
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute) and statement.value.func.attr in DATA_METHODS]


@pytest.mark.parametrize("program", [RECOMPILED, INPUT_AS_OUTPUT, TWO_IN_TWO_OUT, LOSSES_AND_BATCHES,
                                     PER_STEP, RAGGED_AND_FEATURES, PARTIAL_LOSSES,
                                     LIST_FOR_ONE_INPUT, SEQUENCE_WARNINGS, UNBATCHED, SEQUENCE_FIXES,
                                     PADDING_FIXES, PER_STEP_FIXES, MAPPED_TO_A_NAMED_ARRAY])
def test_keras_fails_at_each_error_and_runs_every_other_call(program, keras3, monkeypatch):
    """Each data call run alone (the others left out) fails in Keras 3 exactly when an error is
    reported in it."""
    from tests.keras_run import run_quietly

    errors = {d.position.line for d in check_source(program, "program.py", EVERY_CODE).diagnostics
              if d.severity == "error"}
    lines = program.splitlines()
    calls = data_call_statements(program)
    for first, last in calls:
        others = {n for start, end in calls if start != first for n in range(start, end + 1)}
        alone = "\n".join(text for n, text in enumerate(lines[:last], 1) if n not in others)
        if any(first <= line <= last for line in errors):
            with pytest.raises(Exception):
                run_quietly(alone, "program.py", keras3, monkeypatch)
        else:
            run_quietly(alone, "program.py", keras3, monkeypatch)
