"""A layer class whose weight or declared output size is an attribute never set (a typo Keras
raises AttributeError for when it builds the layer): the size is unknown, never a crash, and
what follows it stays unknown."""

from __future__ import annotations

from kerascheck import check_source

WEIGHT = '''
import keras
from keras import layers


class Linear(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.size = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units))

    def call(self, inputs):
        return inputs @ self.w


inputs = keras.Input((8,))
outputs = layers.Dense(2)(Linear(4)(inputs))
model = keras.Model(inputs, outputs)
'''

DECLARED = '''
import keras
from keras import layers


class Pool(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def call(self, inputs):
        return unknown_function(inputs)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.width)


inputs = keras.Input((8, 3))
outputs = layers.Dense(2)(Pool()(inputs))
model = keras.Model(inputs, outputs)
'''


def _rows(source: str) -> dict[str, tuple]:
    result = check_source(source, "model.py")
    assert [d.code for d in result.diagnostics] == ["KC920"]  # said to be checked only in part
    (model,) = result.models
    return {row.type: (row.output, row.params) for row in model.layers}


def test_a_weight_sized_by_an_unset_attribute_is_unknown():
    rows = _rows(WEIGHT)
    assert rows["Linear"] == (None, None) and rows["Dense"] == (None, None)


def test_a_declared_output_size_from_an_unset_attribute_is_unknown():
    rows = _rows(DECLARED)
    assert rows["Pool"] == (None, 0) and rows["Dense"] == (None, None)
