"""A subclassed model used inside another model (an attribute called in ``call``, or a layer of a
functional graph) is a nested model graph built on its first call's input, as Keras builds it:
every layer's output shape and parameter count, inside and outside it, equal real Keras 3's."""

from __future__ import annotations

import textwrap
import traceback
from pathlib import Path

import pytest

from kerascheck import check_source
from tests.frontend.keras_recording import recording_layers

ENCODER = """
import numpy as np
import keras
from keras import layers


class Encoder(keras.Model):
    def __init__(self, units=8):
        super().__init__()
        self.hidden = layers.Dense(16, activation="relu")
        self.norm = layers.LayerNormalization()
        self.code = layers.Dense(units)

    def call(self, x):
        return self.code(self.norm(self.hidden(x)))
"""

PROGRAMS = {
    "attribute_after_a_layer": ENCODER + """
class AutoEncoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.stem = layers.Dense(32)
        self.encoder = Encoder(units=4)
        self.decoder = layers.Dense(10)

    def call(self, x):
        return self.decoder(self.encoder(self.stem(x)))


model = AutoEncoder()
model(np.zeros((2, 10)))
""",
    "shared_twice_and_given_from_outside": ENCODER + """
class Siamese(keras.Model):
    def __init__(self, encoder):
        super().__init__()
        self.left = layers.Dense(12)
        self.encoder = encoder
        self.join = layers.Concatenate()

    def call(self, x):
        return self.join([self.encoder(self.left(x)), self.encoder(self.left(x))])


shared = Encoder()
model = Siamese(shared)
model(np.zeros((3, 5)))
""",
    "twice_nested_on_a_sequence": ENCODER + """
class Block(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv1D(6, 3)
        self.inner = Encoder(units=5)

    def call(self, x):
        return self.inner(self.conv(x))


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.embed = layers.Embedding(50, 4)
        self.block = Block()
        self.pool = layers.GlobalAveragePooling1D()

    def call(self, x):
        return self.pool(self.block(self.embed(x)))


model = Net()
model(np.zeros((8, 12), dtype="int32"))
""",
    "in_a_functional_graph": ENCODER + """
inputs = keras.Input(shape=(20,))
hidden = layers.Dense(24)(inputs)
encoded = Encoder(units=3)(hidden)
model = keras.Model(inputs, layers.Dense(1)(encoded))
""",
}


def keras_layers(source: str, keras, filename: str = "<nested>", top: str = "model") -> dict[int, set]:
    """{line where a layer or nested model is constructed: {(output shape, params)}} in real Keras
    (the top-level model ``top`` aside: kerascheck's rows are what its summary lists)."""
    namespace = {"__name__": "__nested__"}
    with recording_layers(keras, filename, past_own_init=True) as recorded:
        exec(compile(source, filename, "exec"), namespace)
    found: dict[int, set] = {}
    for key, (line, layer) in recorded.created.items():
        if key in recorded.outputs and not isinstance(layer, keras.layers.InputLayer) and layer is not namespace[top]:
            found.setdefault(line, set()).add((recorded.outputs[key], layer.count_params()))
    return found


def static_layers(source: str) -> dict[int, set]:
    result = check_source(source)
    assert [d for d in result.diagnostics if d.fails] == []
    found: dict[int, set] = {}
    for model in result.models:
        for row in model.layers:
            if row.type != "InputLayer":
                found.setdefault(row.line, set()).add((row.output, row.params))
    return found


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_every_layer_inside_and_outside_equals_keras(name, keras3):
    source = textwrap.dedent(PROGRAMS[name])
    ours, theirs = static_layers(source), keras_layers(source, keras3)
    assert ours == theirs


def test_fixture_rows_equal_keras(keras3):
    path = Path(__file__).resolve().parent.parent.parent / "fixtures" / "programs" / "nested_subclassed_autoencoder.py"
    source = path.read_text(encoding="utf-8")
    theirs = keras_layers(source, keras3, str(path), top="autoencoder")
    assert static_layers(source) == theirs and len(theirs) == 11


def test_outer_model_holds_the_inner_one_as_a_nested_graph():
    result = check_source(textwrap.dedent(PROGRAMS["attribute_after_a_layer"]))
    outer, inner = result.models
    nested = outer.model.calls[1].layer
    assert nested is inner.model and nested.kind == "subclassed"
    assert [spec.shape for spec in inner.model.inputs] == [(2, 32)]  # the stem's output
    assert [(row.output, row.params) for row in outer.layers] == [((2, 32), 352), ((2, 4), 628), ((2, 10), 50)]
    assert outer.total_params == 1030


BROKEN = ENCODER.replace("self.norm = layers.LayerNormalization()", "self.norm = layers.LSTM(4)") + """
class Wrapper(keras.Model):
    def __init__(self):
        super().__init__()
        self.stem = layers.Dense(32)
        self.encoder = Encoder()
        self.head = layers.Dense(2)

    def call(self, x):
        return self.head(self.encoder(self.stem(x)))


model = Wrapper()
model(np.zeros((2, 10)))
"""


def test_an_error_inside_the_inner_model_is_reported_where_keras_raises(keras3):
    source = textwrap.dedent(BROKEN)
    result = check_source(source)
    # the LSTM gets the stem's (2, 32) through the Dense(16): where Encoder.call applies it
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC101", 15)]
    assert "LSTM" in result.diagnostics[0].message and "(2, 16)" in result.diagnostics[0].message
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2") as raised:
        exec(compile(source, "<broken>", "exec"), {"__name__": "__broken__"})
    lines = [frame.lineno for frame in traceback.extract_tb(raised.value.__traceback__) if frame.filename == "<broken>"]
    assert lines[-1] == 15


def test_inner_model_of_an_outer_never_built_stays_unknown():
    result = check_source(textwrap.dedent(ENCODER.replace("LayerNormalization()", "LSTM(4)") + """
class Wrapper(keras.Model):
    def __init__(self):
        super().__init__()
        self.stem = layers.Dense(32)
        self.encoder = Encoder()

    def call(self, x):
        return self.encoder(self.stem(x))


model = Wrapper()
"""))
    assert [d for d in result.diagnostics if d.fails] == []
    # unknown but for what a layer fixes whatever its input: the LSTM's (batch, units)
    assert {(row.type, row.output) for model in result.models for row in model.layers} == {
        ("Dense", None), ("LSTM", (None, 4)), ("Dense", (None, 8)), ("Functional", None)}


STATIC_AND_CLASS_METHODS = '''
import keras
from keras import layers, ops


class Fusion(keras.Model):
    def __init__(self):
        super().__init__()
        self.proj = layers.Dense(8)

    @staticmethod
    def _join(a, b):
        return ops.concatenate([a, b], axis=-1)

    @classmethod
    def _twice(cls, t):
        return t * 2

    def call(self, x):
        return self._twice(self._join(self.proj(x), x))


inp = keras.Input(shape=(4,))
model = keras.Model(inp, Fusion()(inp))
'''


def test_static_and_class_methods_get_their_own_first_argument(keras3):
    from kerascheck import check_source

    result = check_source(STATIC_AND_CLASS_METHODS)
    assert [d for d in result.diagnostics if d.fails] == []
    [found] = [m for m in result.models if m.model.name == "model"]
    namespace = {}
    exec(compile(STATIC_AND_CLASS_METHODS, "fusion.py", "exec"), namespace)
    assert found.outputs == tuple(namespace["model"].output.shape) == (None, 12)
