"""check_api on hand-built graphs: each rule's code at its line, per Keras version."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kerascheck.data.arrays import Array
from kerascheck.graph import UNKNOWN, DataCall
from kerascheck.versions import check_api
from kerascheck.versions.api import check_layer

from tests.versions.helpers import at, found, node, sequential


def codes(layer, version):
    return [d.code for d in check_layer(layer, version)]


@pytest.mark.parametrize("name, value", [("batch_input_shape", (8, 5, 3)), ("batch_size", 8),
                                         ("weights", None), ("dynamic", False), ("implementation", 1)])
def test_keras2_layer_arguments_removed_in_keras3(name, value):
    layer = node("Dense", 4, line=3, **{name: value})
    assert found(check_layer(layer, 3)) == [("KC521", 3)]
    assert check_layer(layer, 2) == []


def test_batch_input_shape_hint_shows_the_input():
    [d] = check_layer(node("Dense", 3, batch_input_shape=(50, 10)), 3)
    assert "keras.Input(batch_shape=(50, 10))" in d.hint


def test_input_length_is_removed_from_rnns_but_only_ignored_on_embedding():
    assert codes(node("LSTM", 4, input_length=5), 3) == ["KC521"]
    assert codes(node("Embedding", 100, 8, input_length=5), 3) == ["KC651"]
    assert codes(node("Embedding", 100, 8, input_length=5), 2) == []


@pytest.mark.parametrize("name, value", [("input_shape", (40, 1)), ("input_dim", 8)])
def test_input_shape_on_a_layer_warns_under_keras3_only(name, value):
    layer = node("LSTM", 12, line=2, **{name: value})
    [d] = check_layer(layer, 3)
    assert (d.code, d.severity, d.position.line) == ("KC650", "warning", 2)
    shape = value if isinstance(value, tuple) else (value,)
    assert f"keras.Input(shape={shape})" in d.hint
    assert check_layer(layer, 2) == []


def test_input_layer_input_shape_is_renamed_shape_in_keras3():
    [d] = check_layer(node("InputLayer", input_shape=(3,)), 3)
    assert d.code == "KC650" and "keras.Input(shape=(3,))" in d.hint
    assert codes(node("InputLayer", shape=(3,)), 3) == []
    assert codes(node("InputLayer", input_shape=(3,)), 2) == []


def test_input_length_on_a_layer_no_version_took_gets_the_input_hint():
    [d] = check_layer(node("Conv1D", 8, 3, input_length=5), 2)
    assert d.code == "KC520" and "keras.Input(shape=(5, features))" in d.hint


@pytest.mark.parametrize("layer_type, args, name, new", [
    ("Dense", (3,), "init", "kernel_initializer"),
    ("Dense", (), "output_dim", "units"),
    ("Conv1D", (8, 3), "border_mode", "padding"),
    ("Conv1D", (8, 3), "subsample_length", "strides"),
    ("Conv1D", (), "nb_filter", "filters"),
    ("Conv1D", (8,), "filter_length", "kernel_size"),
    ("LSTM", (4,), "dropout_W", "dropout"),
    ("LSTM", (4,), "inner_init", "recurrent_initializer"),
    ("MaxPooling1D", (), "pool_length", "pool_size"),
])
@pytest.mark.parametrize("version", [2, 3])
def test_keras1_argument_names(layer_type, args, name, new, version):
    [d] = check_layer(node(layer_type, *args, line=4, **{name: 1}), version)
    assert (d.code, d.position.line) == ("KC522", 4)
    assert f"use {new}=" in d.hint


def test_embedding_output_dim_is_not_keras1():
    assert codes(node("Embedding", input_dim=10, output_dim=4), 3) == []


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("layer_type, args", [("Dense", (3,)), ("Conv1D", (8, 3)), ("TimeDistributed", (None,))])
def test_return_sequences_on_a_non_recurrent_layer(layer_type, args, version):
    [d] = check_layer(node(layer_type, *args, return_sequences=True), version)
    assert d.code == "KC520" and "not a recurrent layer" in d.hint


def test_return_sequences_on_recurrent_layers_is_fine():
    for layer_type in ("LSTM", "GRU", "SimpleRNN", "ConvLSTM2D"):
        assert codes(node(layer_type, 4, return_sequences=True, return_state=True), 3) == []


def test_misspelt_argument_suggests_the_real_one():
    [d] = check_layer(node("Dense", 3, activaton="relu"), 3)
    assert d.code == "KC520" and d.hint == "did you mean activation=?"
    assert "Keras 3" in d.message


def test_custom_layers_are_left_alone():
    assert codes(node("MyAttention", 3, return_sequences=True, anything=1), 3) == []


def test_wrapped_layers_are_checked():
    model = sequential(node("TimeDistributed", node("Dense", 3, init="uniform", line=5), line=5))
    assert found(check_api(model, 3)) == [("KC522", 5)]


@pytest.mark.parametrize("version", [2, 3])
def test_removed_layers(version):
    [d] = check_layer(node("Merge", [], mode="concat", line=7), version)
    if version == 3:
        assert (d.code, d.severity, d.position.line, d.text) == (
            "KC523", "error", 7, "Merge does not exist in Keras 3; use Concatenate()([a, b])")
    else:  # standalone Keras 2.0-2.1 has it: which release runs the file is not known here
        assert (d.code, d.severity, d.position.line, d.text) == (
            "KC523", "warning", 7, "Merge does not exist in Keras 2.2 and later; standalone Keras 2.0-2.1 has it; "
                                   "use Concatenate()([a, b])")
    assert codes(node("TimeDistributedDense", 3), version) == ["KC523"]


def test_a_removed_layer_of_early_keras2_releases_depends_on_the_release():
    def told(releases):
        model = sequential(node("CuDNNLSTM", 8, line=4))
        model.keras_releases = releases
        return [(d.code, d.severity, d.message) for d in check_api(model, 2)]

    assert told(("2.2.4",)) == []
    assert told(("2.0.9", "2.3.1")) == []
    assert told(("2.4.3",)) == [("KC523", "error", "CuDNNLSTM does not exist in Keras 2.4 and later")]
    assert told(("2.3.1", "2.4.0")) == [("KC523", "warning", "CuDNNLSTM does not exist in Keras 2.4 and later")]
    assert told(None) == [("KC523", "warning", "CuDNNLSTM does not exist in Keras 2.4 and later")]


def test_keras2_only_layers_are_removed_only_in_keras3():
    assert codes(node("LocallyConnected1D", 8, 3), 3) == ["KC523"]
    assert codes(node("LocallyConnected1D", 8, 3), 2) == []
    assert codes(node("ThresholdedReLU", theta=0.5), 3) == ["KC523"]


@pytest.mark.parametrize("version", [2, 3])
def test_keras1_convolution2d_positional_kernel(version):
    [d] = check_layer(node("Convolution2D", 32, 3, 3, line=2), version)
    assert (d.code, d.severity, d.position.line) == ("KC652", "warning", 2)
    assert "Conv2D(32, (3, 3))" in d.hint and "Convolution2D(32, 3, 3)" in d.message


def test_modern_convolutions_with_positional_strides_are_not_flagged():
    assert codes(node("Conv2D", 32, 3, 2), 3) == []
    assert codes(node("Convolution2D", 32, (3, 3), 2), 3) == []
    assert codes(node("Convolution2D", 32, 3), 3) == []


def fit(line=9, **args):
    positions = {name: at(line) for name in args}
    return DataCall("fit", dict(args), at(line), positions)


@pytest.mark.parametrize("version", [2, 3])
def test_fit_nb_epoch(version):
    model = sequential(node("Dense", 1), data=(fit(line=9, x=UNKNOWN, y=UNKNOWN, nb_epoch=10),))
    [d] = check_api(model, version)
    assert (d.code, d.position.line, d.hint) == ("KC522", 9, "use epochs= (Keras 2 renamed it)")


def test_fit_workers_removed_in_keras3():
    model = sequential(node("Dense", 1), data=(fit(x=UNKNOWN, workers=4, use_multiprocessing=True),))
    assert found(check_api(model, 3)) == [("KC528", 9), ("KC528", 9)]
    assert check_api(model, 2) == []


# ---- stateful RNNs ---------------------------------------------------------------------------

def stateful_model(batch, *data, line=2):
    lstm = node("LSTM", 4, stateful=True, line=line)
    return sequential(lstm, node("Dense", 1, line=line + 1), input_shape=(batch, 5, 3), data=data)


@pytest.mark.parametrize("version", [2, 3])
def test_stateful_without_fixed_batch_size_is_left_to_the_shape_rule(version):
    assert check_api(stateful_model(None), version) == []


def test_stateful_with_fixed_batch_size_and_matching_fit_is_fine():
    data = fit(x=Array((16, 5, 3)), y=UNKNOWN, batch_size=4, shuffle=False)
    assert check_api(stateful_model(4, data), 3) == []


def test_stateful_batch_from_keras2_batch_input_shape():
    lstm = node("LSTM", 4, stateful=True, batch_input_shape=(4, 5, 3), line=2)
    model = sequential(lstm, input_shape=UNKNOWN, data=(fit(x=Array((16, 5, 3)), batch_size=8, shuffle=False),))
    assert found(check_api(model, 2)) == [("KC527", 9)]


@pytest.mark.parametrize("args, detail", [
    (dict(batch_size=8), "uses batch_size=8"),
    (dict(), "uses the default batch_size=32"),
])
def test_stateful_fit_with_another_batch_size(args, detail):
    model = stateful_model(4, fit(x=Array((16, 5, 3)), shuffle=False, **args))
    [d] = check_api(model, 3)
    assert (d.code, d.position.line) == ("KC527", 9)
    assert d.message == f"stateful model needs batches of exactly 4 samples, fit {detail}"


def test_stateful_fit_with_a_partial_last_batch():
    [d] = check_api(stateful_model(4, fit(x=Array((10, 5, 3)), batch_size=4, shuffle=False)), 3)
    assert d.code == "KC527" and "the last batch has 2" in d.message


def test_stateful_single_batch_of_the_fixed_size_is_fine():
    assert check_api(stateful_model(4, fit(x=Array((4, 5, 3)), shuffle=False)), 3) == []


def test_stateful_fit_on_a_dataset_is_not_checked():
    assert check_api(stateful_model(4, fit(x=UNKNOWN, batch_size=8)), 3) == []


@pytest.mark.parametrize("args", [dict(), dict(shuffle=True)])
def test_stateful_fit_shuffling(args):
    [d] = check_api(stateful_model(4, fit(x=Array((16, 5, 3)), batch_size=4, **args)), 3)
    assert (d.code, d.severity) == ("KC653", "warning")


def test_stateful_predict_batch_size_checked_but_no_shuffle_warning():
    call = DataCall("predict", {"x": Array((16, 5, 3)), "batch_size": 8}, at(11))
    assert found(check_api(stateful_model(4, call), 3)) == [("KC527", 11)]


def test_unknown_input_shape_is_not_a_missing_batch_size():
    lstm = node("LSTM", 4, stateful=True)
    assert check_api(sequential(lstm, input_shape=UNKNOWN), 3) == []
    assert check_api(sequential(lstm), 3) == []


def test_removed_model_methods():
    call = DataCall("fit_generator", {"steps_per_epoch": 10}, at(12))
    model = sequential(node("Dense", 1), data=(call,))
    [d] = check_api(model, 3)
    assert (d.code, d.position.line) == ("KC529", 12) and d.hint.startswith("call fit(generator")
    assert check_api(model, 2) == []
    predict_classes = sequential(node("Dense", 1), data=(DataCall("predict_classes", {}, at(3)),))
    [d] = check_api(predict_classes, 2)  # tf.keras's Sequential had it up to TensorFlow 2.5
    assert (d.code, d.severity) == ("KC529", "warning")
    assert d.message == "predict_classes() does not exist in Keras 2 from TensorFlow 2.6 on"
    assert d.hint.startswith("Keras 2 up to TensorFlow 2.5 has it on a Sequential; use np.argmax")
    assert [(d.code, d.severity) for d in check_api(predict_classes, 3)] == [("KC529", "error")]
    functional = replace(predict_classes, kind="functional")  # only Sequential ever had it
    assert [(d.code, d.severity) for d in check_api(functional, 2)] == [("KC529", "error")]


def test_input_call_keywords():
    from kerascheck.versions import check_input_call

    [d] = check_input_call({"batch_input_shape": (4, 10)}, at(2), 3)
    assert (d.code, d.position.line, d.hint) == ("KC521", 2, "write keras.Input(batch_shape=(4, 10))")
    assert check_input_call({"batch_input_shape": (4, 10)}, at(2), 2) == []
    assert [d.code for d in check_input_call({"input_shape": (10,)}, at(2), 3)] == ["KC520"]
    assert check_input_call({"shape": (10,), "batch_size": 4, "name": "x"}, at(2), 3) == []


def test_every_known_layer_with_odd_values_never_raises():
    from kerascheck.graph import Opaque
    from kerascheck.versions import signatures

    odd = {"input_shape": UNKNOWN, "input_dim": Opaque("n"), "input_length": [UNKNOWN], "stateful": True,
           "batch_input_shape": (UNKNOWN, 3), "batch_size": "x", "nb_filter": node("Dense", 1), "zzz": None}
    for version in (2, 3):
        for layer_type in signatures.LAYERS[version]:
            layer = node(layer_type, 1, 2, 3, **odd)
            model = sequential(layer, input_shape=(UNKNOWN, 3),
                               data=(DataCall("fit", {"x": Array(None), "batch_size": UNKNOWN}, at(2)),))
            for d in check_api(model, version):
                assert d.message and d.code.startswith(("KC52", "KC65"))
