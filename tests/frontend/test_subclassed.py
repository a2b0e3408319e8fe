"""Subclassed models: layers from __init__, call chained on a built input, every build style."""

from __future__ import annotations

import pytest

from kerascheck import check_source
from kerascheck.graph import UNKNOWN, LayerNode, TensorRef
from kerascheck.shapes.symbolic import Sym
from tests.frontend.helpers import frontend, input_shapes, models, types

CLASS = """
import numpy as np
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, units=32, depth=2, **kwargs):
        super().__init__(**kwargs)
        self.inp = layers.Dense(units, activation="relu")
        self.blocks = [layers.Dense(units) for _ in range(depth)]
        self.out = layers.Dense(10)

    def call(self, inputs, training=None):
        x = self.inp(inputs)
        for block in self.blocks:
            x = block(x)
        return self.out(x)
"""


def subclassed(source: str):
    return [m for m in models(source) if m.kind == "subclassed"]


def test_build_runs_call_with_layers_from_init():
    [model] = subclassed(CLASS + """
model = Net(units=64)
model.build((None, 20))
""")
    assert model.name == "model" and model.position.line == 20
    assert types(model) == ["Dense"] * 4
    assert input_shapes(model) == [(None, 20)]
    # layers where __init__ constructs them, calls where call() applies them
    assert [c.layer.position.line for c in model.calls] == [10, 11, 11, 12]
    assert [c.position.line for c in model.calls] == [15, 17, 17, 18]
    assert [c.inputs for c in model.calls] == [TensorRef.of_input(0), TensorRef.of_call(0),
                                               TensorRef.of_call(1), TensorRef.of_call(2)]
    assert model.outputs == TensorRef.of_call(3)
    assert model.calls[0].layer.args == (64,)  # the constructor argument flowed into __init__
    assert model.calls[1].layer is not model.calls[2].layer


@pytest.mark.parametrize("build, shape", [
    ("model(np.zeros((4, 20)))", (4, 20)),
    ("model(keras.Input(shape=(20,)))", (None, 20)),
    ("model.fit(np.zeros((100, 20)), np.zeros((100, 10)))", (None, 20)),
    ("model.predict(np.ones((7, 20)))", (7, 20)),  # Keras 3 builds it on the first batch: all 7
    ("model.build(input_shape=[None, 20])", (None, 20)),
])
def test_build_styles(build, shape):
    [model] = subclassed(CLASS + "model = Net()\n" + build + "\n")
    assert input_shapes(model) == [shape]
    assert len(model.calls) == 4


def test_first_build_wins_and_data_calls_kept_when_they_match():
    [model] = subclassed(CLASS + """
model = Net()
model.compile(loss="mse")
model.fit(np.zeros((100, 20)), np.zeros((100, 10)))
model.predict(np.zeros((5, 20)))
model.predict(np.zeros((5, 3, 20)))
""")
    assert input_shapes(model) == [(None, 20)]
    # the 3D predict would run call() again on another shape: not checked against this graph
    assert [c.method for c in model.data_calls] == ["fit", "predict"]


def test_unbuilt_model_and_uninstantiated_class_check_arguments_only():
    found = subclassed(CLASS + "model = Net()\n")
    assert len(found) == 1 and input_shapes(found[0]) == [UNKNOWN]
    assert len(found[0].calls) == 4
    [never] = subclassed(CLASS)
    assert never.name == "Net" and never.position.line == 7
    # depth unknown: how many blocks is unknown, so none is assumed
    [[units], [classes]] = [c.layer.args for c in never.calls]
    assert isinstance(units, Sym) and str(units) == "units" and classes == 10


@pytest.mark.parametrize("base, imports", [
    ("tf.keras.Model", "import tensorflow as tf\nfrom tensorflow.keras import layers"),
    ("Model", "from keras.models import Model\nfrom keras import layers"),
    ("keras.Model", "from tensorflow import keras\nfrom tensorflow.keras import layers"),
])
def test_import_styles_inheritance_and_super_forms(base, imports):
    [model] = subclassed(imports + f"""
class Base({base}):
    def __init__(self, units):
        super(Base, self).__init__()
        self.first = layers.Dense(units)
        self.rest = []
        for _ in range(2):
            self.rest.append(layers.Dense(units))

class Child(Base):
    def __init__(self):
        super().__init__(16)
        self.last = layers.Dense(3)

    def helper(self, x):
        for layer in self.rest:
            x = layer(x)
        return x

    def call(self, inputs):
        return self.last(self.helper(self.first(inputs)))

model = Child()
model.build((None, 5))
""")
    assert types(model) == ["Dense"] * 4
    assert [c.layer.args for c in model.calls] == [(16,), (16,), (16,), (3,)]


def test_training_branches_follow_the_value_keras_passes():
    source = CLASS.replace("        return self.out(x)", """        if training:
            x = layers.Dropout(0.5)(x)
        return self.out(x)""")
    [built] = subclassed(source + "model = Net()\nmodel.build((None, 20))\n")
    assert types(built) == ["Dense"] * 4  # training=None at build: no Dropout
    [fitted] = subclassed(source + "model = Net()\nmodel.fit(np.zeros((9, 20)), np.zeros((9, 10)))\n")
    assert types(fitted) == ["Dense", "Dense", "Dense", "Dropout", "Dense"]  # fit passes training=True


def test_undecided_conditions_make_attributes_and_tensors_unknown():
    [model] = subclassed("""
import keras
from keras import layers
import random

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = []
        if random.random() > 0.5:
            self.extra = layers.Dense(4)
            self.blocks.append(layers.Dense(8))

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        if x.shape[-1] > 3:
            x = self.extra(x)
        return layers.Dense(2)(x)

model = Net()
model.build((None, 3))
""")
    assert [c.inputs for c in model.calls] == [UNKNOWN]  # nothing assumed about the chain
    assert types(model) == ["Dense"]


def test_custom_layer_in_a_subclassed_model_is_followed():
    result = check_source(CLASS.replace("self.out = layers.Dense(10)", "self.out = Scale()") + """
class Scale(layers.Layer):
    def call(self, x):
        return x * 2

model = Net()
model.build((None, 20))
""", "m.py")
    assert not result.diagnostics
    [model] = [m for m in result.models if m.model.kind == "subclassed"]
    assert [(row.type, row.output, row.params) for row in model.layers][-1] == ("Scale", (None, 32), 0)


def test_errors_at_the_constructor_line_and_shapes_through_the_chain():
    source = CLASS.replace("self.out = layers.Dense(10)", "self.out = layers.Dense((10, 2))")
    result = check_source(source + "model = Net(units=8)\nmodel.build((None, 20))\n", "m.py")
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC301", 12)]
    [model] = result.models
    rows = [(row.output, row.params) for row in model.layers][:3]
    assert rows == [((None, 8), 168), ((None, 8), 72), ((None, 8), 72)]


def test_subclassed_model_inside_a_functional_graph():
    found = models(CLASS + """
inputs = keras.Input(shape=(20,))
outputs = Net()(inputs)
outer = keras.Model(inputs, outputs)
""")
    inner = next(m for m in found if m.kind == "subclassed")
    outer = next(m for m in found if m.kind == "functional")
    assert input_shapes(inner) == [(None, 20)]
    assert outer.calls[0].layer is inner


def test_layer_subclass_is_not_a_model():
    result = frontend(CLASS.replace("class Net(keras.Model)", "class Net(layers.Layer)") + """
model = Net()
model.build((None, 3))
""")
    assert all(m.kind != "subclassed" for m in result.models)
    assert not result.diagnostics


def test_list_mutations_outside_models():
    [model] = models("""
from keras.models import Sequential
from keras.layers import Dense
hidden = []
for units in (8, 4):
    hidden.append(Dense(units))
hidden.insert(0, Dense(16, input_shape=(3,)))
hidden.extend([Dense(1)])
model = Sequential(hidden)
""")
    assert [c.layer.args for c in model.calls] == [(16,), (8,), (4,), (1,)]
    assert all(isinstance(c.layer, LayerNode) for c in model.calls)


def test_build_only_declares_the_shape_the_first_call_decides():
    # Keras 3's model.build(shape) runs nothing for a subclassed model: fit builds it on x
    [model] = subclassed(CLASS + """
model = Net()
model.build((None, 20))
model.fit(np.zeros((100, 8)), np.zeros((100, 10)))
""")
    assert input_shapes(model) == [(None, 8)]
    assert [c.method for c in model.data_calls] == ["fit"]


def test_subclass_without_init_or_call_given_a_graph_is_functional():
    [model] = models("""
import keras

class CustomModel(keras.Model):
    def train_step(self, data):
        return {}

inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)
""")
    assert model.kind == "functional" and types(model) == ["Dense"] and input_shapes(model) == [(None, 32)]
