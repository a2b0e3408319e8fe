"""Propagation over hand-built graphs: chaining, unknowns, shared layers, nested models."""

from __future__ import annotations

import pytest

from kerascheck import check_source
from kerascheck.config import Options
from kerascheck.graph import UNKNOWN, InputSpec, LayerCall, ModelGraph, Position, TensorRef
from kerascheck.shapes.propagate import propagate
from tests.frontend.keras_recording import for_tf_keras
from tests.shapes.helpers import layer


def at(line: int) -> Position:
    return Position(line, 1, line, 10)


def sequential(input_shape, *nodes) -> ModelGraph:
    calls = [LayerCall(node, TensorRef.of_input(0) if i == 0 else TensorRef.of_call(i - 1), node.position)
             for i, node in enumerate(nodes)]
    return ModelGraph("model", "sequential", at(1), [InputSpec(input_shape, at(1))], calls)


def placed(line: int, type_name: str, *args, **kwargs):
    node = layer(type_name, *args, **kwargs)
    node.position = at(line)
    return node


def test_chain_outputs_params_and_names():
    result = propagate(sequential((None, 6), placed(2, "Dense", 10), placed(3, "Dense", 2)))
    assert [(r.name, r.output, r.params) for r in result.layers] == [
        ("dense", (None, 10), 70), ("dense_1", (None, 2), 22)]
    assert result.outputs == (None, 2)
    assert result.total_params == 92
    assert result.diagnostics == []


def test_error_makes_downstream_unknown_but_later_argument_errors_still_reported():
    result = propagate(sequential((None, 6), placed(2, "Dense", 10), placed(3, "Dense", 0),
                                  placed(4, "Dense", 3), placed(5, "Dense", (4, 2))))
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC301", 3), ("KC301", 5)]
    assert result.layers[2].output is None and result.layers[2].params is None


def test_unknown_input_shape_still_checks_arguments():
    result = propagate(sequential(UNKNOWN, placed(2, "Dense", 10), placed(3, "Dense", (10, 2))))
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC301", 3)]
    assert result.layers[0].output is None


def test_unknown_layer_type_is_silent_and_unknown():
    result = propagate(sequential((None, 6), placed(2, "MyCustomBlock", 3), placed(3, "Dense", 2)))
    assert result.diagnostics == []
    assert [(r.known, r.output, r.params) for r in result.layers] == [(False, None, None), (True, None, None)]


def test_shared_layer_on_incompatible_input_is_kc204():
    shared = placed(4, "Dense", 8)
    model = ModelGraph("m", "functional", at(1), [InputSpec((None, 4), at(2)), InputSpec((None, 5), at(3))],
                       [LayerCall(shared, TensorRef.of_input(0), at(4)),
                        LayerCall(shared, TensorRef.of_input(1), at(5))],
                       [TensorRef.of_call(0), TensorRef.of_call(1)])
    result = propagate(model)
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC204", 5)]
    assert "line 4" in result.diagnostics[0].message
    shared_rows = [r for r in result.layers if r.type == "Dense"]
    assert len(shared_rows) == 1 and shared_rows[0].params == 40


def test_nested_model_as_layer():
    inner = sequential((None, 7, 4), placed(2, "Dense", 3))  # Keras checks the call against this
    outer = ModelGraph("outer", "functional", at(5), [InputSpec((None, 7, 4), at(6))],
                       [LayerCall(inner, TensorRef.of_input(0), at(7))], TensorRef.of_call(0))
    result = propagate(outer)
    assert result.outputs == (None, 7, 3)
    assert [(r.type, r.params) for r in result.layers] == [("InputLayer", 0), ("Sequential", 15)]


def test_wrong_unpacking_names_what_the_layer_returns():
    lstm = placed(2, "LSTM", 8, return_state=True)
    bidirectional = placed(3, "Bidirectional", layer("GRU", 4, return_state=True))
    calls = [LayerCall(lstm, TensorRef.of_input(0), lstm.position, unpacked=(2, at(2))),
             LayerCall(bidirectional, TensorRef.of_input(0), bidirectional.position, unpacked=(5, at(3)))]
    model = ModelGraph("model", "functional", at(1), [InputSpec((None, 5, 3), at(1))], calls)
    assert [(d.code, d.position.line, d.text) for d in propagate(model).diagnostics] == [
        ("KC504", 2, "LSTM returns 3 tensors, unpacked into 2 names; "
                     "with return_state=True an LSTM returns output, h, c: unpack 3 names"),
        ("KC504", 3, "Bidirectional returns 3 tensors, unpacked into 5 names; with return_state=True "
                     "it returns the output, then the forward GRU's 1 state, then the backward one's: "
                     "unpack 3 names")]


UNET_SKIPS_IN_MAKING_ORDER = """import keras
from keras import layers

inputs = keras.Input(shape=(64, 64, 3))
x = inputs
skips = []
for filters in [16, 32, 64]:
    x = layers.Conv2D(filters, 3, padding="same")(x)
    skips.append(x)
    x = layers.MaxPooling2D()(x)
for filters, skip in zip([64, 32, 16], skips):
    x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(x)
    x = layers.Concatenate()([x, skip])
model = keras.Model(inputs, x)
"""


@pytest.mark.parametrize("version", [3, 2])
def test_a_call_in_a_loop_that_fails_again_is_told_once(version):
    """The decoder reads the skips in the order they were made: the first and the last pass of
    the loop join maps of other sizes. tf-keras's Concatenate keeps the sizes the skip gives,
    so without care Keras 2 got a second KC203 on line 13; one mistake, told as Keras meets it."""
    result = check_source(UNET_SKIPS_IN_MAKING_ORDER, "unet.py", Options(keras_version=version))
    assert [(d.code, d.position.line, d.message) for d in result.diagnostics] == [
        ("KC203", 13, "Concatenate inputs do not match: (None, 16, 16, 64), (None, 64, 64, 16) on axis=-1: "
                      "sizes differ outside the concatenation axis")]


@pytest.mark.parametrize("version", [3, 2])
def test_keras_fails_on_the_first_pass_of_the_loop(version, keras3, keras2):
    text = UNET_SKIPS_IN_MAKING_ORDER if version == 3 else for_tf_keras(UNET_SKIPS_IN_MAKING_ORDER)
    namespace: dict = {}
    with pytest.raises(ValueError) as raised:
        exec(compile(text, "unet.py", "exec"), namespace)
    assert namespace["skip"] is namespace["skips"][0]  # the first pass
    assert [entry.lineno + 1 for entry in raised.traceback if str(entry.path) == "unet.py"] == [13]
