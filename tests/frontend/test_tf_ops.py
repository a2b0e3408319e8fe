"""KC503: TensorFlow functions on a functional graph's KerasTensors, which Keras 3 rejects and
Keras 2 accepted (TFOpLambda). Each listed function is run on a KerasTensor in real Keras 3."""

from __future__ import annotations

import textwrap
import traceback
from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.config import Options
from kerascheck.frontend.tf_functions import TF_FUNCTIONS
from kerascheck.shapes.base import format_shape

FIXTURE = Path(__file__).resolve().parent.parent.parent / "fixtures" / "programs" / "tf_functions_on_keras_tensors.py"
KERAS3_MESSAGE = "A KerasTensor cannot be used as input to a TensorFlow function"

# Arguments each function needs besides the tensor (default: the tensor alone).
SAMPLES = {
    "concat": "f([x, x], axis=-1)", "stack": "f([x, x])", "reshape": "f(x, (-1, 2, 2))", "expand_dims": "f(x, 1)",
    "split": "f(x, 2, axis=1)", "tile": "f(x, [1, 2])", "gather": "f(x, [0], axis=1)", "cast": "f(x, 'float16')",
    "add": "f(x, 2.0)", "subtract": "f(x, 2.0)", "multiply": "f(x, 2.0)", "divide": "f(x, 2.0)",
    "maximum": "f(x, 0.0)", "minimum": "f(x, 0.0)", "pow": "f(x, 2.0)", "matmul": "f(x, x, transpose_b=True)",
    "einsum": "f('ij->i', x)", "tensordot": "f(x, x, 1)", "clip_by_value": "f(x, 0.0, 1.0)",
    "where": "f(x > 0, x, 0.0)", "one_hot": "f(x, 5)", "pad": "f(x, [[0, 0], [1, 1]])", "roll": "f(x, 1, axis=1)",
    "reverse": "f(x, [1])", "broadcast_to": "f(x, (2, 4))", "resize": "f(image, (2, 2))",
    "moments": "f(x, axes=[0])", "boolean_mask": "f(x, x > 0)", "dropout": "f(x, 0.5)",
}


def sample(qualname: str) -> str:
    return SAMPLES.get(qualname.rsplit(".", 1)[1], "f(x)")


def tf_name(qualname: str) -> str:
    return "tf." + qualname[len("tensorflow."):]


@pytest.mark.parametrize("qualname", sorted(TF_FUNCTIONS))
def test_every_listed_function_raises_on_a_keras_tensor_in_keras3(qualname, keras3):
    import tensorflow as tf

    function = tf
    for part in qualname.split(".")[1:]:
        function = getattr(function, part)
    namespace = {"f": function, "x": keras3.Input(shape=(4,)), "image": keras3.Input(shape=(8, 8, 3))}
    with pytest.raises(ValueError, match=KERAS3_MESSAGE):
        eval(sample(qualname), namespace)


@pytest.mark.parametrize("qualname", sorted(TF_FUNCTIONS))
def test_every_listed_function_is_reported_with_its_keras_ops_twin(qualname, keras3):
    call = sample(qualname).replace("f(", tf_name(qualname) + "(")
    source = textwrap.dedent(f"""\
        import tensorflow as tf
        import keras
        x = keras.Input(shape=(4,))
        image = keras.Input(shape=(8, 8, 3))
        y = {call}
        """)
    [found] = check_source(source).diagnostics
    assert (found.code, found.position.line, found.position.column) == ("KC503", 5, 5)
    assert found.message == f"{tf_name(qualname)} cannot take a KerasTensor in Keras 3"
    op = TF_FUNCTIONS[qualname]
    if op is not None:
        assert f"keras.ops.{op}" in found.hint
        owner = keras3.ops
        for part in op.split("."):
            owner = getattr(owner, part)  # the suggested op exists


def test_fixture_fails_in_keras3_on_the_reported_line_only(keras3):
    text = FIXTURE.read_text(encoding="utf-8")
    [reported] = [d.position.line for d in check_source(text, str(FIXTURE)).diagnostics]
    with pytest.raises(ValueError, match=KERAS3_MESSAGE) as raised:
        exec(compile(text, str(FIXTURE), "exec"), {"__name__": "__fixture__"})
    lines = [frame.lineno for frame in traceback.extract_tb(raised.value.__traceback__)
             if frame.filename == str(FIXTURE)]
    assert lines == [reported]


def test_fixture_runs_in_keras2_and_is_not_reported_there(keras2):
    text = FIXTURE.read_text(encoding="utf-8").replace("import keras\nfrom keras import layers",
                                                       "import tf_keras as keras\nfrom tf_keras import layers")
    namespace = {"__name__": "__fixture__"}
    exec(compile(text, str(FIXTURE), "exec"), namespace)
    assert type(namespace["scores"]).__name__ == "KerasTensor"  # a TFOpLambda layer's output
    assert [d for d in check_source(text).diagnostics if d.fails] == []  # tf_keras: the file targets Keras 2
    assert [d for d in check_source(FIXTURE.read_text(encoding="utf-8"), options=Options(keras_version=2)).diagnostics
            if d.fails] == []


HEADER = """
import tensorflow as tf
import keras
from keras import layers
inputs = keras.Input(shape=(6,))
"""


@pytest.mark.parametrize("code", [
    # inside a Lambda layer, a custom layer's call or a subclassed model's call: TensorFlow tensors
    "y = layers.Lambda(lambda t: tf.nn.relu(t))(inputs)",
    "def act(t):\n    return tf.nn.relu(t)\ny = layers.Lambda(act)(inputs)",
    "class Act(layers.Layer):\n    def call(self, t):\n        return tf.nn.relu(t)\ny = Act()(inputs)",
    "class Net(keras.Model):\n    def call(self, t):\n        return tf.nn.relu(t)\ny = Net()(inputs)",
    # not KerasTensors, or not certainly: eager arrays, values of unknown origin, functions not listed
    "import numpy as np\ny = tf.nn.relu(layers.Dense(2)(np.zeros((3, 6))))",
    "y = tf.nn.relu(some_function(inputs))",
    "tf.print(inputs)",
    "unknown = load()\ny = tf.nn.relu(layers.Dense(2)(unknown))",
])
def test_no_report_where_keras3_does_not_fail(code):
    assert check_source(HEADER + code + "\n").diagnostics == []


def test_a_function_called_on_an_input_is_reported_inside_it():
    result = check_source(HEADER + "def head(t):\n    return tf.nn.softmax(t)\ny = head(layers.Dense(3)(inputs))\n")
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC503", 7)]


def test_shape_is_unknown_after_it_and_nothing_downstream_is_reported():
    result = check_source(HEADER + """
x = tf.reshape(inputs, (-1, 2, 3))
y = layers.LSTM(4)(x)
z = layers.Dense(2)(tf.expand_dims(y, 1))
model = keras.Model(inputs, z)
""")
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC503", 7)]
    [model] = result.models
    assert [(row.type, format_shape(row.output)) for row in model.layers] == [
        ("InputLayer", "(None, 6)"), ("LSTM", "(None, 4)"), ("Dense", "?")]


@pytest.mark.parametrize("code, reported", [
    ("y = tf.nn.relu(inputs * 2.0)", True),
    ("y = tf.expand_dims(inputs[:, 0], -1)", True),
    ("y = tf.nn.relu(-layers.Dense(3)(inputs))", True),
    ("y = tf.math.l2_normalize(keras.ops.sin(inputs), axis=-1)", True),
    ("y = tf.concat(keras.ops.split(inputs, 2, axis=1), axis=0)", True),
    ("y = tf.nn.relu(tf.nn.relu(inputs))", True),  # once: Keras stops at the inner call
    ("y = tf.reshape(tf.ones((2, 6)), keras.ops.shape(inputs)[1:])", False),
    ("y = tf.nn.relu(tf.nest.flatten(inputs))", False),  # not certain: an unlisted tf function's result
])
def test_tensors_computed_from_keras_tensors(code, reported, keras3):
    result = check_source(HEADER + code + "\n")
    assert [(d.code, d.position.line) for d in result.diagnostics] == ([("KC503", 6)] if reported else [])
    if reported:
        import tensorflow as tf

        namespace = {"tf": tf, "keras": keras3, "layers": keras3.layers, "inputs": keras3.Input(shape=(6,))}
        with pytest.raises(ValueError, match=KERAS3_MESSAGE) as raised:
            exec(compile(code, "<code>", "exec"), namespace)
        [frame] = [frame for frame in traceback.extract_tb(raised.value.__traceback__) if frame.filename == "<code>"]
        assert frame.colno == result.diagnostics[0].position.column - 1  # the call Keras fails in
