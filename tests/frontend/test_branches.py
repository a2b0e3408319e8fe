"""A name an undecided branch binds to different tensors is one of them (``ops.either``): what
their shapes agree on is kept, so the checks after it go on."""

from __future__ import annotations

import textwrap

from kerascheck import check_source
from kerascheck.shapes.symbolic import has_anonymous

PROJECTED = """
import keras
from keras import layers

def block(x, filters):
    shortcut = x
    x = layers.Conv2D(filters, 3, padding="same")(x)
    if shortcut.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1)(shortcut)
    x = layers.Add()([x, shortcut])
    return layers.{after}(x)

inputs = keras.Input((32, 32, 3))
model = keras.Model(inputs, block(inputs, 16))
"""


def _rows(source: str):
    result = check_source(textwrap.dedent(source), "t.py")
    return result, {row.type: row for model in result.models for row in model.layers}


def test_sizes_both_branches_agree_on_are_kept():
    result, rows = _rows(PROJECTED.format(after="ReLU()"))
    assert result.diagnostics == []
    either = rows["ops.either"]
    assert either.output[:3] == (None, 32, 32) and has_anonymous(either.output[3]) and either.params is None
    assert rows["ReLU"].output[:3] == (None, 32, 32)
    assert result.models[0].total_params is None  # which branch holds the projection is unknown


def test_a_sum_with_a_tensor_of_unknown_channels_has_the_known_ones():
    _, rows = _rows(PROJECTED.replace("Input((32, 32, 3))", "Input((32, 32, 8))").format(after="ReLU()"))
    assert rows["Add"].output == rows["ReLU"].output == (None, 32, 32, 16)  # 1 or 16, or Keras raises


def test_checks_go_on_after_the_branch():
    result, _ = _rows(PROJECTED.format(after="LSTM(4)"))
    assert [(d.code, d.position.line) for d in result.diagnostics] == [("KC101", 11)]


def test_tensors_of_other_ranks_leave_the_shape_unknown():
    result, rows = _rows("""
        import keras
        from keras import layers

        def head(x):
            if x.shape[1] > 8:
                x = layers.Flatten()(x)
            return layers.Dense(4)(x)

        inputs = keras.Input((16, 16, 3))
        model = keras.Model(inputs, head(inputs))
        """)
    assert [(d.code, d.message) for d in result.diagnostics] == [(
        "KC920", "model 'model' checked only in part: inference stopped at the tensors of different ranks "
                 "from branches kerascheck cannot decide on line 6 (1 layer after it unchecked)")]
    assert rows["ops.either"].output is None and rows["Dense"].output is None


def test_a_loop_run_an_unknown_number_of_times_is_no_choice_of_two():
    result, rows = _rows("""
        import keras
        from keras import layers

        def tower(x, depth):
            for _ in range(depth):
                x = layers.MaxPooling2D()(x)
            return layers.Conv2D(8, 3)(x)

        inputs = keras.Input((64, 64, 3))
        model = keras.Model(inputs, tower(inputs, 3))
        tower(keras.Input((64, 64, 3)), int(input()))
        """)
    assert result.diagnostics == []
    assert "ops.either" not in rows
