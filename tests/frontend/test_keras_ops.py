"""keras.ops calls on tensors become pseudo layer calls; other ops leave unknown tensors."""

from __future__ import annotations

from kerascheck import check_source
from kerascheck.graph import UNKNOWN, TensorRef
from tests.frontend.helpers import only, types

HEADER = """
import keras
from keras import layers, ops
import tensorflow as tf
a = keras.Input(shape=(8,))
b = keras.Input(shape=(4,))
"""


def test_ops_become_calls_with_their_tensors_and_arguments():
    model = only(HEADER + """
x = ops.concatenate([a, b], axis=-1)
x = keras.ops.reshape(x, (-1, 3, 4))
x = keras.ops.numpy.expand_dims(x=x, axis=1)
x = ops.squeeze(x, 1)
model = keras.Model([a, b], x)
""")
    assert types(model) == ["ops.concatenate", "ops.reshape", "ops.expand_dims", "ops.squeeze"]
    calls = model.calls
    assert calls[0].inputs == [TensorRef.of_input(0), TensorRef.of_input(1)]
    assert calls[0].layer.args == () and calls[0].layer.kwargs == {"axis": -1}
    assert calls[1].layer.args == ((-1, 3, 4),) and calls[1].inputs == TensorRef.of_call(0)
    assert calls[2].layer.kwargs == {"axis": 1} and calls[2].inputs == TensorRef.of_call(1)
    assert calls[3].layer.args == (1,)
    assert [(c.position.line, c.position.column) for c in calls] == [(8, 5), (9, 5), (10, 5), (11, 5)]


def test_other_ops_and_tf_functions_give_unknown_tensors():
    model = only(HEADER + """
x = ops.sort(a)
y = tf.concat([a, b], axis=-1)
z = layers.Concatenate()([x, y])
model = keras.Model([a, b], z)
""")
    assert types(model) == ["Concatenate"]
    assert model.calls[0].inputs == [UNKNOWN, UNKNOWN]


def test_ops_on_non_tensors_are_not_layers():
    model = only(HEADER + """
shape = ops.reshape([1, 2, 3, 4], (2, 2))
x = layers.Dense(3)(a)
model = keras.Model(a, x)
""")
    assert types(model) == ["Dense"]


def test_shapes_and_errors_end_to_end():
    result = check_source(HEADER + """
x = ops.concatenate([a, b], axis=-1)
x = layers.Dense(12)(x)
x = ops.reshape(x, (-1, 5, 4))
y = ops.concatenate([a, b])
c = keras.Input(shape=(6,), batch_size=2)
z = ops.reshape(c, (5, -1))
model = keras.Model([a, b, c], [x, y, z])
""", "m.py")
    # an unknown batch size silences the first reshape's size check, as in Keras
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC203", 11), ("KC202", 13)]
    [model] = result.models
    rows = {row.line: (row.output, row.params) for row in model.layers}
    assert rows[8] == ((None, 12), 0) and rows[9] == ((None, 12), 156) and rows[10] == ((None, 5, 4), 0)


def test_squeeze_inside_a_subclassed_call_stays_unknown():
    model = only("""
import keras
from keras import layers, ops

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(4)

    def call(self, x):
        x = ops.expand_dims(x, -1)
        x = ops.squeeze(x)
        return self.dense(x)

model = Net()
model.build((None, 3))
""")
    # TensorFlow runs call(): its squeeze of unknown sizes differs from Keras's symbolic one
    assert types(model) == ["ops.expand_dims", "Dense"]
    assert model.calls[1].inputs is UNKNOWN


def test_tf_functions_are_ops_inside_a_subclassed_call_only():
    result = check_source("""
import keras
import tensorflow as tf
from keras import layers

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(4)

    def call(self, x):
        y = tf.concat([x, x], axis=-1)
        y = tf.reshape(y, (-1, 2, 8), name="pairs")
        y = tf.expand_dims(y, 1)
        z = tf.concat([x, x])
        return self.dense(y)

model = Net()
model(keras.Input(shape=(8,), batch_size=2))
a = keras.Input(shape=(3,))
b = tf.concat([a, a], axis=-1)
""", "m.py")
    # only the functional graph's tf.concat fails in Keras 3 (KC503); the ones in call() run
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC503", 21)]
    [model] = [m for m in result.models if m.model.kind == "subclassed"]
    # tf.concat without its required axis is not modelled (TensorFlow raises a TypeError)
    assert [(row.type, row.output, row.params) for row in model.layers] == [
        ("ops.concatenate", (2, 16), 0), ("ops.reshape", (2, 2, 8), 0), ("ops.expand_dims", (2, 1, 2, 8), 0),
        ("Dense", (2, 1, 2, 4), 36)]
    assert model.model.calls[1].layer.kwargs == {}  # name= dropped
    outside = [getattr(c.layer, "type", None) for m in result.models if m.model.kind != "subclassed"
               for c in m.model.calls]
    assert "ops.concatenate" not in outside  # Keras 3 rejects tf.* on KerasTensors: left unknown
