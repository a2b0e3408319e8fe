"""Sequential and functional models: layers, inputs, positions, values, functions, loops, branches."""

from __future__ import annotations

from kerascheck.data.arrays import Array
from kerascheck.graph import UNKNOWN, LayerNode, ModelGraph, Opaque, TensorRef
from kerascheck.shapes.base import format_shape
from kerascheck.shapes.symbolic import Sym
from tests.frontend.helpers import codes, frontend, input_shapes, models, only, types

HEADER = """
from keras.models import Sequential, Model
from keras.layers import *
import numpy as np
"""


def test_sequential_add_chain_inputs_and_positions():
    model = only(HEADER + """
model = Sequential()
model.add(LSTM(12, input_shape=(40, 2), return_sequences=True))
model.add(RepeatVector(3))
model.add((Dense((10, 2))))
""")
    assert model.name == "model" and (model.position.line, model.position.column) == (6, 9)
    assert types(model) == ["LSTM", "RepeatVector", "Dense"]
    assert [c.inputs for c in model.calls] == [TensorRef.of_input(0), TensorRef.of_call(0), TensorRef.of_call(1)]
    assert model.outputs == TensorRef.of_call(2)
    spec = model.inputs[0]
    assert spec.shape == (None, 40, 2) and spec.from_layer_argument and spec.position.line == 7
    positions = [(c.position.line, c.position.column) for c in model.calls]
    assert positions == [(7, 11), (8, 11), (9, 12)]
    assert model.calls[0].layer.kwargs == {"input_shape": (40, 2), "return_sequences": True}
    assert model.calls[2].layer.args == ((10, 2),)


def test_sequential_list_keyword_and_input_variants():
    found = models(HEADER + """
a = Sequential(layers=[Dense(4, input_dim=3), Dense(1)])
b = Sequential([InputLayer(input_shape=(5,)), Dense(2)])
c = Sequential([Input(shape=(6, 2), batch_size=8), Flatten()])
d = Sequential([LSTM(3, batch_input_shape=(16, None, 4))])
e = Sequential([Dense(3, input_shape=[None, 1])])
f = Sequential()
f.add(Dense(3))
f.build((None, 7))
""")
    assert {m.name: input_shapes(m) for m in found} == {
        "a": [(None, 3)], "b": [(None, 5)], "c": [(8, 6, 2)], "d": [(16, None, 4)],
        "e": [(None, None, 1)], "f": [(None, 7)]}
    assert types(found[1]) == ["Dense"] and types(found[2]) == ["Flatten"]


def test_shape_of_numpy_arrays_resolves_input_shape():
    model = only(HEADER + """
X_stack = np.zeros((1200, 40, 2))
n = 5
model = Sequential()
model.add(LSTM(12, input_shape=(X_stack.shape[1], X_stack.shape[2]), return_sequences=True))
model.add(Dense(n * 2))
model.add(Dense(len((1, 2, 3)) - 10 // 4))
model.add(Reshape(X_stack.shape[1:]))
""")
    assert input_shapes(model) == [(None, 40, 2)]
    assert [c.layer.args for c in model.calls[1:]] == [(10,), (1,), ((40, 2),)]


def test_unknown_values_stay_unknown_and_functions_are_opaque():
    model = only(HEADER + """
import tensorflow as tf
model = Sequential([Dense(width, activation=tf.nn.relu, input_dim=load()), Dense(2, activation=my_act)])
""")
    first = model.calls[0].layer
    assert first.args == (UNKNOWN,)
    assert first.kwargs["activation"] == Opaque("tf.nn.relu")
    assert input_shapes(model) == [(None, None)]


def test_functional_graph_shared_layers_and_return_state():
    model = only(HEADER + """
inp = Input(shape=(400, 16))
x = Conv1D(filters=32, kernel_size=8)(inp)
out, h, c = LSTM(4, return_state=True)(x)
shared = Dense(8)
a = shared(out)
b = shared(h)
merged = Concatenate()([a, b])
model = Model(inputs=inp, outputs=[merged, c])
""")
    assert types(model) == ["Conv1D", "LSTM", "Dense", "Dense", "Concatenate"]
    assert model.calls[2].layer is model.calls[3].layer
    assert model.calls[2].layer.var_name == "shared"
    assert [c.inputs for c in model.calls] == [
        TensorRef.of_input(0), TensorRef.of_call(0), TensorRef.of_call(1, 0), TensorRef.of_call(1, 1),
        [TensorRef.of_call(2), TensorRef.of_call(3)]]
    assert model.outputs == [TensorRef.of_call(4), TensorRef.of_call(1, 2)]
    assert model.inputs[0].var_name == "inp" and input_shapes(model) == [(None, 400, 16)]
    assert (model.calls[3].position.line, model.calls[3].position.column) == (11, 5)


def test_functional_only_reachable_calls_in_creation_order():
    found = models(HEADER + """
a = Input((4,))
b = Input((5,))
x = Dense(3)(a)
unused = Dense(9)(a)
y = Dense(2)(b)
z = concatenate([x, y], axis=-1)
model = Model([a, b], z)
""")
    model = found[0]
    assert types(model) == ["Dense", "Dense", "Concatenate"]
    assert model.calls[2].layer.kwargs == {"axis": -1}
    assert input_shapes(model) == [(None, 4), (None, 5)]


def test_disconnected_output_is_kc501_and_its_layers_are_only_unattached():
    result = frontend(HEADER + """
a = Input((4,))
b = Input((4,))
out = Dense(1)(b)
model = Model(inputs=a, outputs=out)
""")
    assert [(m.kind, types(m)) for m in result.models] == [("unattached", ["Dense"])]
    assert codes(result) == [("KC501", 9, 33)]
    assert "b (the Input on line 7)" in result.diagnostics[0].hint


def test_undefined_tensor_is_kc502_only_when_certain():
    result = frontend(HEADER + """
inp = Input((4,))
y = Dense(1)(hidden)
def f(t):
    return Dense(1)(t)
later = Dense(2)(defined_below)
defined_below = inp
""")
    assert codes(result) == [("KC502", 7, 14)]


def test_model_built_in_a_called_function_uses_argument_values():
    found = models(HEADER + """
def build_model(n_steps, n_features=3, units=8):
    model = Sequential()
    model.add(LSTM(units, input_shape=(n_steps, n_features)))
    model.add(Dense(1))
    return model

m = build_model(20, units=16)
m.compile(loss="mse", optimizer="adam")
m.fit(np.zeros((10, 20, 3)), np.zeros((10, 1)), epochs=2)
""")
    model = found[0]
    assert model.name == "model" and input_shapes(model) == [(None, 20, 3)]
    assert model.calls[0].layer.args == (16,)
    assert model.compile.loss == "mse"
    fit = model.data_calls[0]
    assert fit.method == "fit" and fit.args["x"] == Array((10, 20, 3), "float", fit.args["x"].position)
    assert fit.args["epochs"] == 2 and (fit.arg_positions["x"].line, fit.arg_positions["x"].column) == (14, 7)


def test_uncalled_function_parameters_are_named_dims():
    model = only(HEADER + """
def build(n):
    model = Sequential()
    model.add(Dense(n, input_shape=(n, 2)))
    model.add(Flatten())
    return model
""")
    [shape] = input_shapes(model)
    [n] = model.calls[0].layer.args
    assert isinstance(n, Sym) and format_shape(shape) == "(None, n, 2)" and shape[1] is n


def test_recursive_function_terminates():
    found = models(HEADER + """
def grow(model, k):
    model.add(Dense(k))
    return grow(model, k + 1)
m = Sequential([Dense(1, input_dim=2)])
grow(m, 1)
""")
    # Each nested call adds a layer until the call depth limit (8) gives an unknown result.
    assert len(found) == 1
    assert [(c.layer.type, c.layer.args) for c in found[0].calls] == \
        [("Dense", (1,))] + [("Dense", (k,)) for k in range(1, 9)]


def test_loop_over_range_is_unrolled():
    model = only(HEADER + """
model = Sequential([Input((4,))])
for units in [8, 16]:
    model.add(Dense(units))
for i in range(3):
    model.add(Dropout(0.1 * i))
""")
    assert types(model) == ["Dense", "Dense", "Dropout", "Dropout", "Dropout"]
    assert model.calls[1].layer.args == (16,)
    assert model.incomplete_reason is None


def test_unknown_condition_makes_the_next_input_unknown():
    model = only(HEADER + """
import sys
model = Sequential([Dense(4, input_dim=3)])
if len(sys.argv) > 1:
    model.add(Dropout(0.5))
model.add(Dense(1))
""")
    assert types(model) == ["Dense", "Dropout", "Dense"]
    assert model.calls[1].inputs == TensorRef.of_call(0)
    assert model.calls[2].inputs is UNKNOWN
    assert model.incomplete_reason


def test_constant_conditions_and_main_guard_are_followed():
    model = only(HEADER + """
DEEP = False
if __name__ == "__main__":
    model = Sequential([Dense(4, input_dim=3)])
    if DEEP:
        model.add(Dense(8))
    else:
        model.add(Dense(2))
""")
    assert [c.layer.args for c in model.calls] == [(4,), (2,)]
    assert model.incomplete_reason is None


def test_with_try_and_nested_model_as_layer():
    found = models(HEADER + """
from keras import backend as K
with K.get_session():
    try:
        base = Sequential([Dense(4, input_dim=3)])
    except ImportError:
        pass
    top = Sequential()
    top.add(base)
    top.add(Dense(1))
""")
    base, top = found
    assert isinstance(top.calls[0].layer, ModelGraph) and top.calls[0].layer is base
    assert input_shapes(top) == [(None, 3)]


def test_wrapper_arguments_are_layer_nodes():
    model = only(HEADER + """
model = Sequential()
model.add(TimeDistributed(Dense(8), input_shape=(10, 16)))
model.add(Bidirectional(LSTM(4)))
""")
    wrapped = model.calls[0].layer.args[0]
    assert isinstance(wrapped, LayerNode) and wrapped.type == "Dense" and wrapped.args == (8,)
    assert input_shapes(model) == [(None, 10, 16)]


def test_datasets_and_to_categorical_reach_the_array_model():
    model = only(HEADER + """
from keras.datasets import mnist
from keras.utils import to_categorical
(x_train, y_train), (x_test, y_test) = mnist.load_data()
y = to_categorical(y_train, 10)
model = Sequential([Flatten(input_shape=(28, 28)), Dense(10)])
model.fit(x_train, y, validation_data=(x_test, y_test))
""")
    fit = model.data_calls[0]
    assert set(fit.args) == {"x", "y", "validation_data"}
    assert (fit.arg_positions["y"].line, fit.arg_positions["y"].column) == (11, 20)


def test_two_space_indentation_and_decorators_keep_positions():
    model = only(HEADER + """
import functools

@functools.lru_cache()
# a comment
def make():
  m = Sequential()
  m.add(Dense(3,
              input_dim=2))
  m.add(  Dense(1))
  return m
make()
""")
    assert [(c.position.line, c.position.column) for c in model.calls] == [(12, 9), (14, 11)]
    assert model.calls[0].position.end_line == 13


def test_semicolon_statements_and_leading_comments():
    model = only(HEADER + """
# comment one

# comment two
x = 1; model = Sequential(); model.add(Dense(2, input_dim=3))
""")
    call = model.calls[0]
    assert (call.position.line, call.position.column) == (9, 40)


def test_multiple_models_in_one_file():
    found = models(HEADER + """
encoder = Sequential([Dense(4, input_dim=8)])
decoder = Sequential([Dense(8, input_dim=4)])
empty = Sequential()
""")
    assert [m.name for m in found] == ["encoder", "decoder"]


def test_positions_in_nested_blocks_one_line_suites_and_continuations():
    model = only(HEADER + """
def build():
    model = Sequential()
    if True: model.add(Dense(3, input_dim=2))
    for _ in range(1):
        # a comment inside the loop

        model.add(
            Dense(4,
                  activation="relu"))
        model.add(Dropout(0.5)); model.add(Dense(1))
    return model
build()
""")
    assert [(c.position.line, c.position.column, c.position.end_line) for c in model.calls] == [
        (8, 24, 8), (13, 13, 14), (15, 19, 15), (15, 44, 15)]


def test_attention_tensors_become_one_ordered_input_list():
    found = models(HEADER + """
q = Input((10, 8))
v = Input((12, 8))
a = MultiHeadAttention(num_heads=2, key_dim=4)(q, v)
b = MultiHeadAttention(num_heads=2, key_dim=4)(q, value=v, key=v)
model = Model([q, v], [a, b])
""")
    model = found[0]
    assert [c.inputs for c in model.calls] == [
        [TensorRef.of_input(0), TensorRef.of_input(1)],
        [TensorRef.of_input(0), TensorRef.of_input(1), TensorRef.of_input(1)]]


def test_comprehensions_enumerate_and_zip_over_known_values():
    model = only(HEADER + """
sizes = (64, 32)
model = Sequential([Dense(n) for n in sizes if n > 40] + [Dense(1)])
for i, units in enumerate([8, 4]):
    model.add(Dense(units, name=f"d{i}"))
for units, rate in zip([2, 3], [0.1, 0.2]):
    model.add(Dropout(rate))
""")
    assert [c.layer.args for c in model.calls] == [(64,), (1,), (8,), (4,), (0.1,), (0.2,)]
    assert model.incomplete_reason is None


def test_kc502_in_a_function_called_twice_is_reported_once():
    result = frontend(HEADER + """
def head():
    return Dense(1)(features)
head()
head()
""")
    assert codes(result) == [("KC502", 7, 21)]


def test_a_function_building_the_same_model_twice_gives_it_once():
    found = models(HEADER + """
def build(units, rate=0.1):
    model = Sequential([Input((4,)), Dense(units), Dropout(rate)])
    model.compile(loss="mse")
    return model
a = build(3)
b = build(3)
c = build(5)
d = build(3, rate=0.2)
""")
    assert [[c.layer.args for c in m.calls] for m in found] == [[(3,), (0.1,)], [(5,), (0.1,)], [(3,), (0.2,)]]


def test_loose_layer_calls_join_their_model_or_an_unattached_graph():
    found = models(HEADER + """
inp = Input((32,))
x = Dense(64)(inp)
decoder = Model(inp, Reshape((8, 8))(x))
extra = Reshape((8, -1))(x)
side = Dense(3)(Input((5,)))
""")
    decoder, unattached = found
    assert types(decoder) == ["Dense", "Reshape", "Reshape"]
    assert decoder.calls[2].inputs == TensorRef.of_call(0) and decoder.outputs == TensorRef.of_call(1)
    assert unattached.kind == "unattached" and types(unattached) == ["Dense"]
    assert input_shapes(unattached) == [(None, 5)]


def test_data_calls_record_the_compile_in_effect():
    model = only(HEADER + """
model = Sequential([Dense(1, input_dim=3)])
model.fit(np.zeros((4, 3)), np.zeros((4, 1)))
model.compile(loss="mse")
model.fit(np.zeros((4, 3)), np.zeros((4, 1)))
""")
    assert [c.compile.loss if c.compile else None for c in model.data_calls] == [None, "mse"]


def test_positions_with_crlf_newlines_and_tab_indentation():
    text = ("from keras.layers import Dense\r\nfrom keras.models import Sequential\r\n"
            "if True:\r\n\tm = Sequential()\r\n\tm.add(Dense(2, input_dim=3))\r\n")
    from kerascheck.frontend import build_graphs

    (model,) = build_graphs(text).models
    assert (model.calls[0].position.line, model.calls[0].position.column) == (5, 8)


def test_add_of_layers_that_cannot_be_spread_leaves_the_rest_unknown():
    model = only(HEADER + """
import json
model = Sequential([Input((10,))])
model.add(*json.load(open("layers.json")))
model.add(Dense(4))
""")
    assert types(model) == ["Dense"]
    assert model.calls[0].inputs is UNKNOWN
    assert model.incomplete_reason


def test_an_embedding_length_read_from_data_of_unknown_size_is_a_named_dim_under_keras2():
    """``Embedding(..., input_length=X.shape[1])`` of padded sequences: tf-keras's declared input
    length is the named dim (it once raised while tested against Keras 2's length 0)."""
    from kerascheck import check_source
    from kerascheck.config import Options

    text = HEADER + """
X = np.array(sequences)
model = Sequential()
model.add(Embedding(5000, 128, input_length=X.shape[1]))
model.add(LSTM(16))
"""
    result = check_source(text, "case.py", Options(keras_version=2))
    assert result.diagnostics == []
    assert [format_shape(row.output) for row in result.models[0].layers] == ["(None, X.shape[1], 128)", "(None, 16)"]


def test_an_instance_of_a_plain_class_is_followed_when_called_and_unknown_in_a_sequential():
    from kerascheck import check_source

    text = """
import keras
from keras import layers

class Block:
    def __init__(self, units):
        self.dense = layers.Dense(units)

    def __call__(self, x):
        return self.dense(x)

inputs = keras.Input((4,))
model = keras.Model(inputs, layers.Dense(2)(Block(8)(inputs)))
stack = keras.Sequential([keras.Input((4,)), Block(5), layers.Dense(1)])
"""
    result = check_source(text, "case.py")
    assert [(row.type, row.output, row.params) for row in result.models[0].layers] == [
        ("InputLayer", (None, 4), 0), ("Dense", (None, 8), 40), ("Dense", (None, 2), 18)]
    assert [(d.code, d.position.line, d.message) for d in result.diagnostics] == [
        ("KC920", 14, "model 'stack' checked only in part: inference stopped at the custom layer Block on line 14 "
                      "(1 layer after it unchecked)")]
