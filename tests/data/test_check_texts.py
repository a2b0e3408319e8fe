"""The data checks' exact findings (codes at lines and columns, messages, hints, fixes) in the
corners mutation testing showed unguarded: which compile a call uses, outputs of unknown shape,
the fields of each message. Programs go through ``check_source`` as a user's file does."""

from __future__ import annotations

import re

import pytest

from kerascheck import check_source
from kerascheck.config import Options

EVERY_CODE = Options(select=("KC",))


def found(program: str) -> list[tuple[str, int, int, str]]:
    """(code, line, column, message and hint) of every diagnostic."""
    return [(d.code, d.position.line, d.position.column, d.text)
            for d in check_source(program, "program.py", EVERY_CODE).diagnostics]


RECOMPILED = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.build((None, 4))
model.compile(loss="categorical_crossentropy")
model.fit(np.zeros((8, 4)), np.zeros((8,), dtype=int))
model.compile(loss="sparse_categorical_crossentropy")
model.fit(np.zeros((8, 4)), np.zeros((8,), dtype=int))
"""


def test_each_call_uses_the_compile_in_effect_where_it_runs():
    # Before any compile no loss is known; each later fit is checked against the compile above it.
    assert found(RECOMPILED) == [
        ("KC402", 8, 29, "y of fit has shape (8,), the model output is (None, 3): categorical_crossentropy "
                         "needs labels of the output's rank; the labels look like class ids: use "
                         "loss='sparse_categorical_crossentropy' or keras.utils.to_categorical(y, 3)")]


def test_the_compile_fix_names_the_compile_in_effect():
    (diagnostic,) = check_source(RECOMPILED, "program.py", EVERY_CODE).diagnostics
    assert diagnostic.fix.description == "use loss='sparse_categorical_crossentropy' in the compile on line 7"
    assert [edit.target.line for edit in diagnostic.fix.edits] == [7]


def test_softmax_over_one_unit_per_step():
    # The last axis decides, not the second: (None, 5, 1) is one unit per step.
    program = """\
import keras
from keras import layers

inputs = keras.Input((5, 3))
outputs = layers.Dense(1, activation="softmax")(layers.Dense(4)(inputs))
model = keras.Model(inputs, outputs)
"""
    assert found(program) == [
        ("KC604", 5, 11, "Dense applies softmax to a single unit: it always outputs 1.0; "
                         "use activation='sigmoid' with one unit, or one unit per class")]


def test_softmax_over_one_step_of_several_units_is_not_one_unit():
    program = """\
import keras
from keras import layers

model = keras.Sequential([keras.Input((1, 3)), layers.Dense(4, activation="softmax")])
"""
    assert found(program) == []


def test_a_fit_before_any_compile_checks_no_labels():
    # Keras refuses to fit a model not compiled yet; the compile below does not apply to it.
    program = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.fit(np.zeros((8, 4)), np.zeros((8,), dtype=int))
model.compile(loss="categorical_crossentropy")
"""
    assert found(program) == []


INPUT_AS_OUTPUT = """\
import numpy as np
import keras
from keras import layers

inputs = keras.Input((4,))
model = keras.Model(inputs, [layers.Dense(3)(inputs), inputs])
model.compile(loss="mse")
model.fit(np.zeros((8, 4)), [np.zeros((8, 3)), np.zeros((8, 2))])
"""


def test_an_input_that_is_also_an_output_is_checked_as_one():
    # The second output is the input itself, made by no layer: it has no layer name.
    assert found(INPUT_AS_OUTPUT) == [
        ("KC402", 8, 29, "y[1] of fit has shape (8, 2), the model output is (None, 4): "
                         "mean_squared_error cannot broadcast the labels against the output")]


DATA_CALL = re.compile(r"\.(fit|evaluate|predict|train_on_batch|test_on_batch)\(")


@pytest.mark.parametrize("program", [RECOMPILED, INPUT_AS_OUTPUT])
def test_keras_fails_at_each_error_and_runs_every_other_call(program, keras3, monkeypatch):
    """Each data call run alone (the others left out) fails in Keras 3 exactly when an error is
    reported at its line."""
    from tests.keras_run import run_quietly

    errors = {d.position.line for d in check_source(program, "program.py", EVERY_CODE).diagnostics
              if d.severity == "error"}
    lines = program.splitlines()
    calls = [n for n, text in enumerate(lines, 1) if DATA_CALL.search(text)]
    for line in calls:
        alone = "\n".join(text for n, text in enumerate(lines[:line], 1) if n == line or n not in calls)
        if line in errors:
            with pytest.raises(Exception):
                run_quietly(alone, "program.py", keras3, monkeypatch)
        else:
            run_quietly(alone, "program.py", keras3, monkeypatch)
