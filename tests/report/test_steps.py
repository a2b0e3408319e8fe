"""Each call's shapes for the pictures and the editor (``report.steps.call_shapes``): the shapes
propagation recorded, or, when it recorded none (a model used as a layer, a shared layer), each
layer's row for its first call and unknown for a shared layer's later calls."""

from __future__ import annotations

from kerascheck import check_source
from kerascheck.report.steps import CallShapes, call_shapes

SHARED = """\
import keras
from keras import layers

inner = keras.Sequential([keras.Input((4,)), layers.Dense(3)], name="inner")
shared = layers.Dense(4)
a, b = keras.Input((4,)), keras.Input((6,))
x = shared(a)
y = shared(layers.Dense(4)(b))
z = layers.Concatenate()([inner(x), y])
model = keras.Model([a, b], z)
"""


def test_recorded_calls_are_given_as_propagation_recorded_them():
    inner, _ = check_source(SHARED, "shared.py").models
    assert inner.calls is not None
    assert call_shapes(inner) == [CallShapes((None, 4), (None, 3), 15)]


def test_without_recorded_calls_a_shared_layer_is_known_at_its_first_call_only():
    _, model = check_source(SHARED, "shared.py").models
    assert model.calls is None  # a model used as a layer: propagation records no calls
    assert call_shapes(model) == [
        CallShapes((None, 4), (None, 4), 20),  # shared(a)
        CallShapes((None, 6), (None, 4), 28),  # Dense(4)(b)
        CallShapes((None, 4), None, None),  # shared(...) again: its row is its first call's
        CallShapes((None, 4), (None, 3), 15),  # inner(x)
        CallShapes([(None, 3), None], (None, 7), 0),  # a list input as written, the unknown one None
    ]
