"""What kerascheck does not know is an int it does not know, not Keras's None; and a layer
called under a condition on tensor shapes may be exactly what that condition prevents."""

from __future__ import annotations

import textwrap

from kerascheck import check_source
from kerascheck.shapes.base import format_shape


def _check(source: str):
    return check_source(textwrap.dedent(source).lstrip(), "model.py")


def _codes(source: str) -> list[tuple[int, str]]:
    return [(d.position.line, d.code) for d in _check(source).diagnostics]


def test_a_literal_none_is_still_kerass_none():
    assert _codes("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(None,))
        model = keras.Model(inputs, layers.LayerNormalization()(inputs))
        """) == [(4, "KC204")]


def test_a_size_read_from_data_on_disk_is_an_unknown_int():
    result = _check("""
        import numpy as np
        import keras
        from keras import layers
        X = np.load("features.npy")
        inputs = keras.Input(shape=(X.shape[1],))
        x = layers.LayerNormalization()(inputs)
        model = keras.Model(inputs, layers.Dense(4)(x))
        """)
    assert result.diagnostics == []
    rows = {row.type: row for row in result.models[0].layers}
    assert format_shape(rows["LayerNormalization"].output) == "(None, X.shape[1])"
    assert str(rows["LayerNormalization"].params) == "2*X.shape[1]"
    assert str(rows["Dense"].params) == "4*X.shape[1] + 4"


def test_an_unknown_size_argument_gives_an_anonymous_dim():
    result = _check("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(28, 28, 8))
        x = layers.Conv2D(int(inputs.shape[3] * 0.5), 1)(inputs)
        x = layers.BatchNormalization(axis=3)(x)
        model = keras.Model(inputs, x)
        """)
    assert result.diagnostics == []
    rows = {row.type: row for row in result.models[0].layers}
    assert format_shape(rows["BatchNormalization"].output) == "(None, 28, 28, ?)"
    assert rows["BatchNormalization"].params is None or str(rows["BatchNormalization"].params) == "?"


def test_a_call_under_an_undecided_condition_not_on_shapes_is_still_reported():
    # (one under a condition on shapes is not: tests/test_false_alarms.py, add_guarded_by_shape_condition)
    assert _codes("""
        import sys
        import keras
        from keras import layers

        inputs = keras.Input(shape=(32, 32, 32))
        x = layers.Conv2D(16, 1)(inputs)
        if sys.argv[1] == "residual":
            x = layers.Add()([inputs, x])
        model = keras.Model(inputs, x)
        """) == [(8, "KC203")]


def test_an_embedding_length_named_after_an_unbound_parameter_is_not_compared_to_zero():
    result = _check("""
        import keras
        from keras import layers

        def build(vocabulary, length):
            model = keras.Sequential()
            model.add(layers.Embedding(vocabulary, 8, input_length=length))
            model.add(layers.GlobalAveragePooling1D())
            return model
        """)
    assert [d.code for d in result.diagnostics] == []
