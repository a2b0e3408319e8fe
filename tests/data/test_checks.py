"""Data checks on hand-built models; each scenario is also run for one step in real Keras 3,
which must fail exactly where we report an error and run where we report none."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from kerascheck import check_source

from kerascheck.data.arrays import Array
from kerascheck.data.pipelines import Batches
from kerascheck.diagnostics import CATALOG
from kerascheck.graph import UNKNOWN, CompileInfo, InputSpec, LayerCall, ModelGraph, Position, TensorRef
from tests.data.helpers import diagnostics, fit, layer, pos, sequential


@dataclass
class Scenario:
    name: str
    input_shape: tuple
    layers: list
    loss: Any
    call: dict
    expected: list  # codes, in order of position
    method: str = "fit"
    hint_has: list = field(default_factory=list)


def seed2(*, fixed: str = "", loss: str = "binary_crossentropy") -> tuple:
    """Seed 2's Conv1D -> MaxPooling1D -> LSTM -> Dense model, or one of its two fixes."""
    if fixed == "return_sequences":
        return [layer("Conv1D", filters=32, kernel_size=8, strides=1, activation="relu", padding="same"),
                layer("LSTM", 32, return_sequences=True), layer("Dense", 1, activation="sigmoid")]
    units = 400 if fixed == "dense400" else 1
    return [layer("Conv1D", filters=32, kernel_size=8, strides=1, activation="relu"),
            layer("MaxPooling1D", pool_size=4), layer("LSTM", 32), layer("Dense", units, activation="sigmoid")]


def mnist_conv() -> list:
    return [layer("Conv2D", 4, 3, activation="relu"), layer("Flatten"), layer("Dense", 10, activation="softmax")]


def lstm_classifier() -> list:
    return [layer("LSTM", 8), layer("Dense", 1)]


SCENARIOS = [
    Scenario("seed 2: per-step labels, per-sample output", (400, 16), seed2(), "binary_crossentropy",
             {"x": (8, 400, 16), "y": (8, 400, 1)}, ["KC402"],
             hint_has=["LSTM on line 4", "return_sequences=True", "padding='same' on the Conv1D",
                       "remove the MaxPooling1D", "Dense(400)", "y = y.reshape(-1, 400)"]),
    Scenario("seed 2 with mse broadcasts silently", (400, 16), seed2(), "mse",
             {"x": (8, 400, 16), "y": (8, 400, 1)}, ["KC601"]),
    Scenario("seed 2 fix 1: return_sequences", (400, 16), seed2(fixed="return_sequences"), "binary_crossentropy",
             {"x": (8, 400, 16), "y": (8, 400, 1)}, []),
    Scenario("seed 2 fix 2: Dense(400)", (400, 16), seed2(fixed="dense400"), "binary_crossentropy",
             {"x": (8, 400, 16), "y": (8, 400)}, []),
    Scenario("MNIST without channel axis: Keras 3 adds it", (28, 28, 1), mnist_conv(),
             "sparse_categorical_crossentropy", {"x": (8, 28, 28), "y": (8,)}, []),
    Scenario("grayscale arrays for an RGB model", (28, 28, 3), mnist_conv(),
             "sparse_categorical_crossentropy", {"x": (8, 28, 28), "y": (8,)}, ["KC401"],
             hint_has=["no channel axis", "3 channels"]),
    Scenario("images of another size reach the Dense", (28, 28, 1), mnist_conv(),
             "sparse_categorical_crossentropy", {"x": (8, 30, 30, 1), "y": (8,)}, ["KC401"],
             hint_has=[]),
    Scenario("class ids with categorical cross-entropy", (4,), [layer("Dense", 10, activation="softmax")],
             "categorical_crossentropy", {"x": (8, 4), "y": (8,)}, ["KC402"],
             hint_has=["sparse_categorical_crossentropy", "to_categorical(y, 10)"]),
    Scenario("one-hot labels with sparse loss", (4,), [layer("Dense", 10, activation="softmax")],
             "sparse_categorical_crossentropy", {"x": (8, 4), "y": (8, 10)}, ["KC402"],
             hint_has=["np.argmax(y, axis=-1)"]),
    Scenario("labels with the wrong number of classes", (4,), [layer("Dense", 10, activation="softmax")],
             "categorical_crossentropy", {"x": (8, 4), "y": (8, 5)}, ["KC402"],
             hint_has=["Dense on line 2 has 10 units"]),
    Scenario("LSTM fed 2D data", (40, 16), lstm_classifier(), "mse", {"x": (8, 640), "y": (8, 1)},
             ["KC401"], hint_has=["X.reshape(-1, 40, 16)"]),
    Scenario("LSTM with time steps and features swapped", (40, 16), lstm_classifier(), "mse",
             {"x": (8, 16, 40), "y": (8, 1)}, ["KC401"], hint_has=["np.transpose(X, (0, 2, 1))"]),
    Scenario("LSTM fed another number of time steps: fine", (40, 16), lstm_classifier(), "mse",
             {"x": (8, 30, 16), "y": (8, 1)}, []),
    Scenario("sample count in input_shape", (8, 40, 16), [layer("Conv2D", 4, 3)], "mse",
             {"x": (8, 40, 16), "y": (8, 6, 38, 4)}, ["KC401"],
             hint_has=["the input shape includes the sample count; use keras.Input(shape=X.shape[1:]), that is (40, 16)"]),
    Scenario("sample weights for another number of samples", (10,), [layer("Dense", 1)], "mse",
             {"x": (8, 10), "y": (8, 1), "sample_weight": (7,)}, ["KC403"]),
    Scenario("channels_first images without their channel axis", (1, 28, 28),
             [layer("Conv2D", 2, 3, data_format="channels_first"), layer("Flatten"), layer("Dense", 1)], "mse",
             {"x": (8, 28, 28), "y": (8, 1)}, ["KC401"], hint_has=["np.expand_dims(X, 1)"]),
    Scenario("x and y sample counts differ", (10,), [layer("Dense", 1)], "mse",
             {"x": (8, 10), "y": (7, 1)}, ["KC403"]),
    Scenario("validation sample counts differ", (10,), [layer("Dense", 1)], "mse",
             {"x": (8, 10), "y": (8, 1), "validation_data": ((4, 10), (3, 1))}, ["KC403"]),
    Scenario("validation features of another size", (10,), [layer("Dense", 1)], "mse",
             {"x": (8, 10), "y": (8, 1), "validation_data": ((4, 11), (4, 1))}, ["KC401"]),
    Scenario("predict on one sample", (10,), [layer("Dense", 1)], "mse", {"x": (10,)}, ["KC401"],
             method="predict", hint_has=["np.expand_dims(X, 0)"]),
    Scenario("predict on a batch: fine", (10,), [layer("Dense", 1)], "mse", {"x": (3, 10)}, [], method="predict"),
    Scenario("return_sequences output, per-sample labels, squeezed by the loss", (5, 4),
             [layer("LSTM", 8, return_sequences=True), layer("Dense", 1)], "sparse_categorical_crossentropy",
             {"x": (8, 5, 4), "y": (8, 1)}, ["KC603"], hint_has=["return_sequences=False"]),
    Scenario("return_sequences output of unknown length, labels for each step: fine", (None, 4),
             [layer("LSTM", 8, return_sequences=True), layer("Dense", 1)], "mse",
             {"x": (8, 5, 4), "y": (8, 5)}, []),
    Scenario("return_sequences output of unknown length, class ids for each step: fine", (None, 4),
             [layer("LSTM", 8, return_sequences=True), layer("Dense", 3, activation="softmax")],
             "sparse_categorical_crossentropy", {"x": (8, 5, 4), "y": (8, 5)}, []),
    Scenario("return_sequences output of unknown length, one value per sample", (None, 4),
             [layer("LSTM", 8, return_sequences=True), layer("Dense", 1)], "mse",
             {"x": (8, 5, 4), "y": (8, 1)}, ["KC603"], hint_has=["return_sequences=False"]),
    Scenario("return_sequences output, one-hot per-sample labels", (5, 4),
             [layer("LSTM", 8, return_sequences=True), layer("Dense", 3, activation="softmax")],
             "categorical_crossentropy", {"x": (8, 5, 4), "y": (8, 3)}, ["KC402"],
             hint_has=["LSTM on line 2 returns sequences"]),
    Scenario("Dense on embeddings, per-sample labels", (5,),
             [layer("Embedding", 100, 8), layer("Dense", 1, activation="sigmoid")], "mse",
             {"x": (8, 5), "y": (8,)}, ["KC602"], hint_has=["GlobalAveragePooling1D"]),
    Scenario("regression labels broadcast against the batch axis", (5, 4), [layer("Dense", 3)], "mse",
             {"x": (8, 5, 4), "y": (8,)}, ["KC402"]),
    Scenario("categorical cross-entropy on one sigmoid unit", (4,), [layer("Dense", 1, activation="sigmoid")],
             "categorical_crossentropy", {"x": (8, 4), "y": (8, 1)}, ["KC606"]),
    Scenario("softmax over one unit", (4,), [layer("Dense", 1, activation="softmax")], "binary_crossentropy",
             {"x": (8, 4), "y": (8, 1)}, ["KC604"]),
]


def keras_model(model: ModelGraph, keras: Any) -> Any:
    """The ModelGraph rebuilt in real Keras: a Sequential, or a functional Model (layers shared by identity)."""
    from kerascheck.verify.build import make_layer

    if model.kind == "sequential":
        layers = [make_layer(call.layer, keras) for call in model.calls]
        return keras.Sequential([keras.Input(batch_shape=model.inputs[0].shape)] + layers)
    tensors = {TensorRef.of_input(i): keras.Input(batch_shape=spec.shape, name=spec.name)
               for i, spec in enumerate(model.inputs)}
    built: dict[int, Any] = {}

    def value(ref: Any) -> Any:
        return [value(r) for r in ref] if isinstance(ref, list) else tensors[ref]

    for index, call in enumerate(model.calls):
        if id(call.layer) not in built:
            built[id(call.layer)] = make_layer(call.layer, keras)
        tensors[TensorRef.of_call(index)] = built[id(call.layer)](value(call.inputs))
    inputs = [tensors[TensorRef.of_input(i)] for i in range(len(model.inputs))]
    return keras.Model(inputs if len(inputs) > 1 else inputs[0], value(model.outputs))


def keras_fails(model: ModelGraph, keras: Any) -> bool:
    """Run the model's data call for one epoch on zeros (class id 0 as label)."""
    call = model.data_calls[0]

    def real(value: Any) -> Any:
        if isinstance(value, Array):
            return np.zeros(value.shape, dtype="float32")
        if isinstance(value, (list, tuple)):
            return type(value)(real(v) for v in value)
        if isinstance(value, dict):
            return {k: real(v) for k, v in value.items()}
        return value

    net = keras_model(model, keras)
    net.compile(loss=model.compile.loss, optimizer="sgd")
    args = {k: real(v) for k, v in call.args.items()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            getattr(net, call.method)(**args, verbose=0)
    except Exception:
        return True
    return False


def build(scenario: Scenario) -> ModelGraph:
    model = sequential(scenario.input_shape, *scenario.layers, loss=scenario.loss)
    return fit(model, scenario.method, **scenario.call)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_codes_and_hints(scenario):
    found = diagnostics(build(scenario))
    assert [d.code for d in found] == scenario.expected
    for text in scenario.hint_has:
        assert text in found[0].text, found[0].text


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_keras_fails_exactly_where_we_report_an_error(scenario, keras3):
    model = build(scenario)
    we_report_error = any(CATALOG[d.code].severity == "error" for d in diagnostics(model))
    assert keras_fails(model, keras3) == we_report_error


def test_seed2_message_shows_both_shapes_at_the_y_argument():
    model = sequential((400, 16), *seed2(), loss="binary_crossentropy")
    fit(model, x=(476, 400, 16), y=(476, 400, 1))
    (found,) = diagnostics(model)
    assert found.position == model.data_calls[0].arg_positions["y"]
    assert "(476, 400, 1)" in found.message and "(None, 1)" in found.message
    assert "y = y.reshape(-1, 400)" in found.hint


def test_functional_models_check_every_input_dimension(keras3):
    node = layer("LSTM", 8, line=2)
    dense = layer("Dense", 1, line=3)
    calls = [LayerCall(node, TensorRef.of_input(0), pos(2)), LayerCall(dense, TensorRef.of_call(0), pos(3))]
    model = ModelGraph("m", "functional", pos(4), [InputSpec((None, 40, 16), pos(1))], calls, TensorRef.of_call(1))
    model.compile = CompileInfo("mse", pos(5))
    fit(model, x=(8, 30, 16), y=(8, 1))
    assert [d.code for d in diagnostics(model)] == ["KC401"]  # the Sequential form runs: see SCENARIOS
    assert keras_fails(model, keras3)


def test_sequential_without_input_is_built_on_the_data(keras3):
    """The frontend gives the model the input its first fit builds it on."""
    source = ("import numpy as np\nimport keras\n"
              "model = keras.Sequential([keras.layers.Dense(64, activation='relu'),\n"
              "                          keras.layers.Dense(10, activation='softmax')])\n"
              "model.compile(loss='categorical_crossentropy')\n"
              "model.fit(np.zeros((8, 20)), np.zeros((8,)))\n")
    assert [d.code for d in check_source(source).diagnostics] == ["KC402"]
    net = keras3.Sequential([keras3.layers.Dense(64, activation="relu"), keras3.layers.Dense(10, activation="softmax")])
    net.compile(loss="categorical_crossentropy", optimizer="sgd")
    with pytest.raises(ValueError):
        net.fit(np.zeros((8, 20)), np.zeros((8,)), verbose=0)


def test_seed3_stateful_variable_length_has_no_data_error():
    model = sequential((None, 100), layer("LSTM", 100, return_sequences=True, stateful=True),
                       layer("LSTM", 100), layer("Dense", 2, activation="softmax"),
                       loss="categorical_crossentropy", batch=200)
    fit(model, x=(1000, 50, 100), y=(1000, 2), batch_size=200, shuffle=False,
        validation_data=((200, 50, 100), (200, 2)))
    fit(model, x=(1000, 10, 100), y=(1000, 2), batch_size=200, shuffle=False,
        validation_data=((200, 50, 100), (200, 2)))
    fit(model, "evaluate", x=(200, 50, 100), y=(200, 2), batch_size=200)
    assert diagnostics(model) == []


def test_keras2_labels_are_judged_by_tf_keras_losses():
    """tf-keras's binary cross-entropy broadcasts (n, 3) labels against a linear (n, 1) output
    but compares shapes behind a sigmoid (tests/data/test_losses_keras2.py runs both in tf-keras)."""
    model = sequential((4,), layer("Dense", 1), loss="binary_crossentropy")
    model.keras_version = 2
    fit(model, x=(8, 4), y=(8, 3))
    assert [d.code for d in diagnostics(model)] == ["KC601"]
    model.keras_version = 3
    assert [d.code for d in diagnostics(model)] == ["KC402"]
    model = sequential((4,), layer("Dense", 1, activation="sigmoid"), loss="binary_crossentropy")
    model.keras_version = 2
    fit(model, x=(8, 4), y=(8, 3))
    assert [d.code for d in diagnostics(model)] == ["KC402"]


def test_unknown_dims_and_values_never_report():
    model = sequential((40, 16), *lstm_classifier(), loss="binary_crossentropy")
    fit(model, x=Array((None, None, 16)), y=Array(None))
    fit(model, x=Array((None, 40, 16)), y=Array((None, 1)))
    model.data_calls[1].args["y"] = Array((None, None))
    assert diagnostics(model) == []
    unknown_loss = fit(sequential((4,), layer("Dense", 10), loss="my_loss"), x=(8, 4), y=(8,))
    assert diagnostics(unknown_loss) == []


def test_binary_loss_with_many_class_one_hot_labels(keras3):
    model = sequential((4,), layer("Dense", 10, activation="sigmoid"), loss="binary_crossentropy")
    fit(model, x=(8, 4), y=Array((8, 10), "float", one_hot=True))
    assert [d.code for d in diagnostics(model)] == ["KC605"]
    assert not keras_fails(model, keras3)


def two_input_model() -> ModelGraph:
    a, b = InputSpec((None, 4), pos(1), name="a"), InputSpec((None, 6), pos(2), name="b")
    concat = layer("Concatenate", line=3)
    dense = layer("Dense", 1, line=4)
    calls = [LayerCall(concat, [TensorRef.of_input(0), TensorRef.of_input(1)], pos(3)),
             LayerCall(dense, TensorRef.of_call(0), pos(4))]
    model = ModelGraph("model", "functional", pos(5), [a, b], calls, TensorRef.of_call(1))
    model.compile = CompileInfo("mse", pos(6))
    return model


@pytest.mark.parametrize("x, expected", [
    ([(8, 4), (8, 6)], []),
    ([(8, 6), (8, 4)], ["KC401"]),
    ((8, 4), ["KC404"]),
    ([(8, 4), (7, 6)], ["KC403"]),
    ({"a": (8, 4), "b": (8, 6)}, []),
    ({"a": (8, 4), "b": (8, 7)}, ["KC401"]),
    ([(8, 4, 1), (8, 6)], []),
])
def test_multi_input_functional(x, expected, keras3):
    model = fit(two_input_model(), x=x, y=(8, 1))
    found = diagnostics(model)
    assert [d.code for d in found] == expected
    assert keras_fails(model, keras3) == bool(expected)


def test_seed0_stacked_targets_hint_reshapes_the_output(keras3):
    model = sequential((40, 2), layer("LSTM", 12, return_sequences=True), layer("LSTM", 6), layer("Dense", 10),
                       loss="mse")
    fit(model, x=(64, 40, 2), y=(64, 10, 2), batch_size=32)
    (found,) = diagnostics(model)
    assert found.code == "KC402" and found.hint.endswith("Dense(20) and Reshape((10, 2))")
    assert "return_sequences" not in found.hint  # it would give 40 steps, not 10
    assert keras_fails(model, keras3)


RAGGED_PRELUDE = """\
import numpy as np
import keras
from keras import layers
model = keras.Sequential([keras.Input((None,)), layers.Embedding(50, 8), layers.GlobalAveragePooling1D(),
                          layers.Dense(1)])
model.compile(loss="mse")
"""


@pytest.mark.parametrize("program, expected", [
    ("model.fit(np.array([[1, 2, 3], [4]], dtype=object), np.zeros(2))", ["KC405"]),
    ("model.fit(np.array([[1, 2, 3], [4]], dtype='O'), np.zeros(2))", ["KC405"]),
    ("model.predict([[1, 2, 3], [4], [5, 6]])", ["KC405"]),
    ("model.fit(np.zeros((2, 3)), np.zeros(2), validation_data=([[1], [2, 3]], np.zeros(2)))", ["KC405"]),
    ("model.predict([[1, 2, 3], np.loadtxt('review.txt')])", []),  # the other length is unknown
    ("model.predict([[1, 2, 3], [4, 5, 6]])", []),  # one length: not ragged
])
def test_ragged_sequences_only_when_lengths_certainly_differ(program, expected):
    result = check_source(RAGGED_PRELUDE + program + "\n", "ragged.py")
    assert [d.code for d in result.diagnostics] == expected


def test_ragged_hint_pads_the_named_argument():
    found = check_source(RAGGED_PRELUDE + "windows = [np.zeros((5, 2)), np.zeros((3, 2))]\n"
                         "model.predict(windows)\n", "ragged.py").diagnostics
    assert [d.text for d in found] == [
        "x of predict holds sequences of different lengths (5, 3): Keras needs arrays of one shape; "
        "pad them to one length: windows = keras.utils.pad_sequences(windows, padding='post', dtype='float32')"]


def test_ragged_list_for_a_multi_input_model_is_a_sample_count_mismatch():
    program = """\
import numpy as np
import keras
a, b = keras.Input((4,)), keras.Input((4,))
model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
model.compile(loss="mse")
model.fit([np.zeros((10, 4)), np.zeros((8, 4))], np.zeros((10, 1)))
"""
    assert [d.code for d in check_source(program, "two.py").diagnostics] == ["KC403"]


HINTED = """\
import numpy as np
import keras
from keras import layers
X_train, y_train = np.zeros((64, 640)), np.zeros((64, 20))
model = keras.Sequential([keras.Input((40, 16)), layers.LSTM(8), layers.Dense(20)])
model.compile(loss="mse")
model.fit(X_train, y_train)
stacked = keras.Sequential([keras.Input((20,)), layers.Dense(20), layers.Reshape((10, 2))])
stacked.compile(loss="mse")
stacked.fit(X_train[:, :20], y_train)
"""


UNNAMED = """\
import numpy as np
import keras
from keras import layers
X_train, y_train = np.zeros((64, 640)), np.zeros((64, 20))
X_val = np.zeros((16, 640))
model = keras.Sequential([keras.Input((40, 16)), layers.LSTM(8), layers.Dense(20)])
model.compile(loss="mse")
"""


@pytest.mark.parametrize("call, hint, fixed", [
    ("model.fit(np.random.rand(64, 640), y_train)", "use np.random.rand(64, 640).reshape(-1, 40, 16)",
     "model.fit(np.random.rand(64, 640).reshape(-1, 40, 16), y_train)"),
    ("model.fit(X_train / 255.0, y_train)", "use (X_train / 255.0).reshape(-1, 40, 16)",
     "model.fit((X_train / 255.0).reshape(-1, 40, 16), y_train)"),
    ("model.fit(X_train.reshape(-1, 40, 16), y_train, validation_data=(X_val, y_train[:16]))",
     "use X_val.reshape(-1, 40, 16)",  # an item of the literal tuple
     "model.fit(X_train.reshape(-1, 40, 16), y_train, validation_data=(X_val.reshape(-1, 40, 16), y_train[:16]))"),
    ("model.predict(X_train.reshape(-1, 40, 16)[0])",
     "pass X_train.reshape(-1, 40, 16)[0][np.newaxis] (or np.expand_dims(X_train.reshape(-1, 40, 16)[0], 0))",
     "model.predict(X_train.reshape(-1, 40, 16)[0][np.newaxis])"),
    ("model.fit(np.concatenate([X_train, X_train, X_train, X_train]), np.concatenate([y_train] * 4))",
     "use X.reshape(-1, 40, 16)", None),  # too long to repeat: named by its role
])
def test_hints_write_the_fix_on_the_expression_given(call, hint, fixed, keras3, monkeypatch):
    """Any short expression, or item of a literal tuple, is named as written; the fix runs in Keras."""
    from tests.keras_run import run_quietly

    (found,) = check_source(UNNAMED + call + "\n", "unnamed.py").diagnostics
    assert found.code == "KC401" and hint in found.hint
    if fixed is not None:
        assert not check_source(UNNAMED + fixed + "\n", "fixed.py").diagnostics
        run_quietly(UNNAMED + fixed + "\n", "fixed.py", keras3, monkeypatch)


def test_hints_give_the_call_on_the_arrays_as_written(keras3, monkeypatch):
    from tests.keras_run import run_quietly

    first, second = check_source(HINTED, "hinted.py").diagnostics
    assert first.code == "KC401" and "use X_train.reshape(-1, 40, 16)" in first.hint
    assert second.code == "KC402" and "y_train = y_train.reshape(-1, 10, 2)" in second.hint
    fixed = HINTED.replace("model.fit(X_train, y_train)", "model.fit(X_train.reshape(-1, 40, 16), y_train)")
    fixed = fixed.replace("stacked.fit(", "y_train = y_train.reshape(-1, 10, 2)\nstacked.fit(")
    assert not check_source(fixed, "fixed.py").diagnostics
    run_quietly(fixed, "fixed.py", keras3, monkeypatch)
    with pytest.raises(Exception):
        run_quietly(HINTED, "hinted.py", keras3, monkeypatch)


DATASET_PRELUDE = """\
import numpy as np
import tensorflow as tf
import keras
x, y = np.zeros((64, 28, 28)), np.zeros((64,))
model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
model.compile(loss="sparse_categorical_crossentropy")
ds = tf.data.Dataset.from_tensor_slices((x, y))
"""
MAPPED = [  # (the dataset given to fit, kerascheck's codes, whether Keras 3 runs it: None when nothing is claimed)
    ("ds.map(lambda a, b: (tf.expand_dims(a, -1), b)).batch(8)", [], True),
    ("ds.map(lambda a, b: (tf.image.resize(tf.expand_dims(a, -1), (32, 32)), b)).batch(8)", ["KC401"], False),
    ("ds.map(lambda a, b: (tf.image.resize(tf.expand_dims(a, -1), (28, 28), 'nearest'), b)).batch(8)", [], True),
    ("ds.map(lambda a, b: (a, tf.one_hot(tf.cast(b, tf.int32), 10))).batch(8)", ["KC402"], False),
    ("ds.map(lambda a, b: (tf.reshape(a, (-1,)), b)).batch(8)", ["KC401"], False),
    ("ds.map(lambda a, b: (tf.transpose(a)[..., None], tf.squeeze(b))).batch(8)", [], True),
    ("ds.map(random_crop).batch(8)", [], None),  # a function kerascheck cannot read: unknown elements
    ("ds.map(lambda *pair: pair).batch(8)", [], True),
    ("ds.map(lambda a, b: (tf.image.resize(a, (32, 32)), b)).unbatch().batch(8)", [], None),  # TF: 2D images
    ("ds.batch(8).unbatch().padded_batch(8)", [], True),
    ("ds.batch(8).unbatch().padded_batch(8).map(lambda a, b: (a[..., None], b))", [], True),
    ("ds.batch(8).map(lambda a, b: (a[..., None, None], b))", [], True),  # Keras squeezes the last 1
    ("ds.batch(8).map(lambda a, b: (a[:, :14], b))", ["KC401"], False),
    ("ds.padded_batch(8, padded_shapes=([40, 28], [])).map(lambda a, b: (a[..., None], b))", [], None),
    # NumPy on constants and arithmetic with them run on the traced tensors: followed
    ("ds.map(lambda a, b: (a[..., None] / np.float32(255.0), b)).batch(8)", [], True),
    ("ds.map(lambda a, b: (a[:14, :, None] * np.ones((14, 28, 1)), b)).batch(8)", ["KC401"], False),
]
# NumPy functions, array methods and attributes, and indexing by arrays on the tensors a mapped
# function is traced with fail in TensorFlow, or differ (a list index): their results are
# unknown, never taken as NumPy's.
ON_TENSORS = [
    "np.reshape(a, (784,))",  # NumPy would give (784,): a false KC401
    "np.reshape(a, (600, 784))",  # NumPy would raise: a false KC205
    "np.expand_dims(a, -1)[:14]",
    "a.reshape(784)",
    "a.T",
    "a[[0, 1]]",
    "np.eye(10)[a]",
]


@pytest.mark.parametrize("mapped, expected, runs", MAPPED)
def test_mapped_datasets_follow_the_function_or_know_nothing(mapped, expected, runs):
    program = DATASET_PRELUDE + "from augment import random_crop\n" + f"model.fit({mapped})\n"
    assert [d.code for d in check_source(program, "mapped.py").diagnostics] == expected


@pytest.mark.parametrize("expression", ON_TENSORS)
def test_numpy_on_a_mapped_functions_tensors_is_unknown(expression):
    from kerascheck.frontend import build_graphs

    program = DATASET_PRELUDE + f"model.fit(ds.map(lambda a, b: ({expression}, b)).batch(8))\n"
    assert check_source(program, "mapped.py").diagnostics == []
    (model,) = build_graphs(program).models
    assert model.data_calls[0].args["x"] == Batches(UNKNOWN, Array((None,), "float", Position(4, 32, 4, 47)))


@pytest.mark.parametrize("expression", ON_TENSORS)
def test_numpy_on_a_mapped_functions_tensors_fails_in_tensorflow(expression, keras3):
    import numpy as np
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices((np.zeros((64, 28, 28), dtype="int64"), np.zeros((64,))))
    try:
        spec = ds.map(eval(f"lambda a, b: ({expression}, b)", {"np": np, "tf": tf})).element_spec[0]
    except (NotImplementedError, AttributeError, TypeError):
        return  # "Cannot convert a symbolic tf.Tensor to a numpy array", no such attribute, no such index
    on_array = eval(expression, {"np": np, "a": np.zeros((28, 28), dtype="int64")})
    assert tuple(spec.shape) != on_array.shape  # a[[0, 1]]: TensorFlow takes the list as a[0, 1]


@pytest.mark.parametrize("mapped, expected, runs", [case for case in MAPPED if case[2] is not None])
def test_mapped_datasets_fail_in_keras_where_reported(mapped, expected, runs, keras3, monkeypatch):
    from tests.keras_run import run_quietly

    assert runs == (not expected)
    program = DATASET_PRELUDE + f"model.fit({mapped})\n"
    if runs:
        run_quietly(program, "mapped.py", keras3, monkeypatch)
    else:
        with pytest.raises(Exception):
            run_quietly(program, "mapped.py", keras3, monkeypatch)


UNKNOWN_WIDTH = """import sys
import numpy as np
import keras
from keras import layers
width = int(sys.argv[1])
x, y = np.zeros((100, width)), np.zeros((100, 1))
stacked = keras.Sequential([layers.Dense(4), layers.Dense(1)])
stacked.compile(loss="mse", optimizer="sgd")
stacked.fit(x, y, verbose=0)


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(4)

    def call(self, inputs):
        return self.hidden(inputs)


net = Net()
net.predict(x, verbose=0)
"""


def test_models_built_on_data_of_a_width_known_only_when_run_are_not_flagged():
    """The width is a size the run gives, not Keras's None: the Dense layers are built on it
    (a KC204 "Dense needs a known size" was reported on both models)."""
    result = check_source(UNKNOWN_WIDTH, "width.py")
    assert result.diagnostics == []
    assert [[layer.output for layer in model.layers] for model in result.models][0][1] == (None, 1)


def test_keras_builds_models_on_data_of_any_width(keras3, monkeypatch):
    monkeypatch.setattr("sys.argv", ["width.py", "5"])
    exec(compile(UNKNOWN_WIDTH, "width.py", "exec"), {"__name__": "__fixture__"})


SINGLE_SAMPLES = """import numpy as np
import tensorflow as tf
import keras
x, y = np.zeros((64, 4), "float32"), np.zeros((64, 1), "float32")
model = keras.Sequential([keras.layers.Dense(3)])
model.compile(loss="mse", optimizer="sgd")
model.fit(tf.data.Dataset.from_tensor_slices((x, y)), epochs=1, verbose=0)
"""


def test_a_sequential_fit_on_single_samples_is_built_on_one_of_them():
    """Keras takes each element of a dataset as a batch: a Sequential given no input is built on
    one sample, (4,), which a Dense refuses."""
    (found,) = check_source(SINGLE_SAMPLES, "single.py").diagnostics
    assert (found.code, found.position.line, found.message) == ("KC101", 5, "Dense needs at least 2D input, got 1D (4,)")


def test_keras_refuses_a_sequential_fit_on_single_samples(keras3):
    with pytest.raises(ValueError, match="min_ndim=2"):
        exec(compile(SINGLE_SAMPLES, "single.py", "exec"), {"__name__": "__fixture__"})
