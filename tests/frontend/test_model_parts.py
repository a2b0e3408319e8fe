"""Parts of built models reused: ``model.layers[i]`` only where Keras's order is known (a
Sequential, a functional chain), ``get_layer(name)``, a layer's ``.output``; a layer frozen
through them counts as Keras counts it (checked in Keras 3 and tf-keras)."""

from __future__ import annotations

import math
import textwrap

import pytest

from kerascheck import check_source
from tests.keras_run import run_quietly

FROZEN = textwrap.dedent("""
    import keras
    from keras import layers
    head = keras.Sequential([keras.Input((16,)), layers.Dense(3), layers.BatchNormalization(), layers.Dense(2)])
    head.layers[0].trainable = False
    norm = head.get_layer(index=1)
    norm.trainable = False
    """)


def test_a_layer_frozen_through_model_layers_counts_as_non_trainable():
    model = check_source(FROZEN, "model.py").models[0]
    assert (model.total_params, model.non_trainable_params) == (71, 63)


@pytest.mark.parametrize("version", [3, 2])
def test_keras_counts_the_same(version, keras3, keras2, monkeypatch):
    keras = keras3 if version == 3 else keras2
    source = FROZEN.replace("import keras\nfrom keras", f"import {keras.__name__} as keras\nfrom {keras.__name__}")
    head = run_quietly(source, "model.py", keras, monkeypatch)["head"]
    assert (head.count_params(), sum(math.prod(w.shape) for w in head.non_trainable_weights)) == (71, 63)


def test_a_branching_model_has_no_layer_order_to_read():
    result = check_source(textwrap.dedent("""
        import keras
        from keras import layers
        x = keras.Input((16,))
        branchy = keras.Model(x, layers.Add()([layers.Dense(4)(x), layers.Dense(4)(x)]))
        reused = branchy.layers[1](keras.Input((16,)))
        model = keras.Model(x, layers.Dense(2, name="named")(x))
        tapped = model.get_layer("named").output
        unnamed = model.get_layer("dense_9")
        out = layers.Dense(3)(tapped)
        """), "model.py")
    assert result.diagnostics == []
    rows = {row.line: (row.output, row.params) for m in result.models for row in m.layers}
    assert rows[10] == ((None, 3), 9)  # .output of the named layer: its one call
    assert all(line != 6 for line in rows)  # branchy.layers[1] is not known: no layer called there
