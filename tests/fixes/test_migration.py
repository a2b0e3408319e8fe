"""Migration fixes (KC521, KC522, KC528, KC529, KC650): where they are offered, where not, and
the Keras 3 facts they rest on, one argument at a time (the cases/ files run several at once)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from kerascheck import check_source
from kerascheck.config import Options
from kerascheck.fixes.apply import apply_fixes

HEADER = """\
import numpy as np
import keras
from keras import layers
from keras.models import Sequential
from keras.layers import Dense, LSTM, Input

X = np.random.random((8, 4))
y = np.random.random((8, 1))
"""
MODEL = "model = Sequential([Input(shape=(4,)), Dense(1)])\nmodel.compile(loss='mse', optimizer='adam')\n"

EVERY_CODE = Options(select=("KC",))  # the opt-in migration codes (KC650, KC651) have fixes too


def fixed(source: str) -> tuple[list, str]:
    problems = check_source(source, "case.py", EVERY_CODE).diagnostics
    outcome = apply_fixes(source, [d.fix for d in problems if d.fix is not None])
    assert outcome.skipped == []
    return problems, outcome.text


@pytest.mark.parametrize("call, expected", [
    ("model.fit_generator(gen, 10, 2, 0)", "model.fit(gen, steps_per_epoch=10, epochs=2, verbose=0)"),
    ("model.fit_generator(gen, steps_per_epoch=10, validation_data=gen, validation_steps=2)",
     "model.fit(gen, steps_per_epoch=10, validation_data=gen, validation_steps=2)"),
    ("model.evaluate_generator(gen, 5, None, 10, 4, True)", "model.evaluate(gen, steps=5, callbacks=None)"),
    ("model.fit_generator(gen, steps_per_epoch=10, nb_epoch=3)", "model.fit(gen, steps_per_epoch=10, epochs=3)"),
    ("model.predict_generator(\n    generator=gen,\n    steps=5,\n)", "model.predict(\n    x=gen,\n    steps=5,\n)"),
])
def test_generator_methods_become_their_keras3_names(call, expected):
    problems, text = fixed(HEADER + MODEL + call + "\n")
    assert [d.code for d in problems] == ["KC529"]
    assert text == HEADER + MODEL + expected + "\n"


def test_no_generator_rename_when_an_argument_has_no_place_in_the_new_method():
    source = HEADER + MODEL + "model.fit_generator(gen, steps_per_epoch=10, nb_worker=2)\n"
    problems = check_source(source, "case.py", EVERY_CODE).diagnostics
    assert [(d.code, d.fix) for d in problems] == [("KC529", None)]


def test_no_generator_rename_that_would_check_array_data_against_the_model():
    source = HEADER + MODEL + "model.fit_generator(np.zeros((8, 7)), steps_per_epoch=1)\n"
    (problem,) = check_source(source, "case.py", EVERY_CODE).diagnostics
    assert problem.code == "KC529" and problem.fix is None


def test_input_length_on_a_first_layer_without_input_dim_is_not_removed():
    # Keras 2 read it as input_shape=(10, None): dropping it would lose the model's input
    source = HEADER + "model = Sequential()\nmodel.add(LSTM(8, input_length=10))\n"
    problems = check_source(source, "case.py", EVERY_CODE).diagnostics
    assert [(d.code, d.fix) for d in problems] == [("KC521", None)]


def test_input_dim_beside_input_shape_is_not_moved():
    source = HEADER + "model = Sequential()\nmodel.add(Dense(8, input_dim=4, batch_size=2))\n"
    problems = check_source(source, "case.py", EVERY_CODE).diagnostics
    assert sorted((d.code, d.fix) for d in problems) == [("KC521", None), ("KC650", None)]


def test_no_removal_on_a_layer_built_in_a_loop():
    source = HEADER + """\
model = Sequential([Input(shape=(10, 4))])
for units in (16, 8):
    model.add(layers.GRU(units, return_sequences=True, consume_less="gpu"))
"""
    problems = check_source(source, "case.py", EVERY_CODE).diagnostics
    assert [d.code for d in problems] == ["KC522"] and problems[0].fix is None


def test_input_dim_moves_after_a_keras1_rename_on_the_same_layer():
    source = HEADER + "model = Sequential()\nmodel.add(Dense(output_dim=8, input_dim=4))\n"
    problems, text = fixed(source)
    assert sorted(d.code for d in problems) == ["KC304", "KC522", "KC650"]  # KC304: no units until renamed
    assert text.endswith("model.add(Input(shape=(4,)))\nmodel.add(Dense(units=8))\n")
    assert check_source(text, "case.py", EVERY_CODE).diagnostics == []


def _quietly(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


@pytest.mark.parametrize("method, argument", [
    ("fit", "workers"), ("fit", "use_multiprocessing"), ("fit", "max_queue_size"), ("fit", "show_accuracy"),
    ("evaluate", "workers"), ("evaluate", "show_accuracy"), ("predict", "use_multiprocessing"),
])
def test_keras3_rejects_the_method_arguments_the_fixes_remove(method, argument, keras3):
    model = keras3.Sequential([keras3.Input((4,)), keras3.layers.Dense(1)])
    model.compile(loss="mse")
    data = (np.zeros((8, 4)),) if method == "predict" else (np.zeros((8, 4)), np.zeros((8, 1)))
    with pytest.raises((TypeError, ValueError)):
        _quietly(lambda: getattr(model, method)(*data, verbose=0, **{argument: True}))
    _quietly(lambda: getattr(model, method)(*data, verbose=0))


@pytest.mark.parametrize("layer, argument", [
    ("GRU", "consume_less"), ("LSTM", "input_length"), ("Dense", "implementation"), ("Dense", "dynamic"),
])
def test_keras3_rejects_the_layer_arguments_the_fixes_remove(layer, argument, keras3):
    cls = getattr(keras3.layers, layer)
    with pytest.raises(ValueError, match="Unrecognized keyword"):
        cls(8, **{argument: 1})
    cls(8)


def test_keras3_generator_methods_are_gone_and_fit_takes_the_generator(keras3):
    model = keras3.Sequential([keras3.Input((4,)), keras3.layers.Dense(1)])
    model.compile(loss="mse")

    def gen():
        while True:
            yield np.zeros((2, 4)), np.zeros((2, 1))

    assert not any(hasattr(model, m) for m in ("fit_generator", "evaluate_generator", "predict_generator"))
    _quietly(lambda: model.fit(gen(), steps_per_epoch=2, epochs=1, verbose=0))
    assert _quietly(lambda: model.predict(gen(), steps=2, verbose=0)).shape == (4, 1)


def test_dim_ordering_th_becomes_channels_first():
    source = HEADER + "model = Sequential([Input(shape=(1, 8, 8)), layers.Conv2D(2, 3, dim_ordering='th')])\n"
    problems, text = fixed(source)
    assert [d.code for d in problems] == ["KC201", "KC522"]  # read channels-last, the 1 is a height
    assert text.endswith("layers.Conv2D(2, 3, data_format='channels_first')])\n")
    assert check_source(text, "case.py", EVERY_CODE).diagnostics == []


def test_dim_ordering_of_unknown_value_is_not_rewritten():
    source = HEADER + ("order = input()\n"
                       "model = Sequential([Input(shape=(8, 8, 1)), layers.Conv2D(2, 3, dim_ordering=order)])\n")
    (problem,) = check_source(source, "case.py", EVERY_CODE).diagnostics
    assert problem.code == "KC522" and problem.fix is None


def test_input_shape_of_a_first_layer_built_in_a_loop_is_not_removed():
    source = HEADER + """\
model = Sequential()
for units in (16, 8):
    model.add(Dense(units, input_shape=(4,)))
"""
    problems = check_source(source, "case.py", EVERY_CODE).diagnostics
    assert problems and all(d.code == "KC650" and d.fix is None for d in problems)


def test_keras3_ignores_input_arguments_of_layers_that_do_not_start_the_model(keras3):
    layers = keras3.layers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert layers.Dense(8, input_dim=99)(keras3.Input((16,))).shape == (None, 8)
        assert keras3.Sequential([keras3.Input((16,)), layers.Dense(8, input_shape=(99,))]).output_shape == (None, 8)
        stacked = keras3.Sequential([layers.Dense(4, input_dim=3), layers.Dense(8, input_dim=99)])
        assert stacked.output_shape == (None, 8)


def test_keras3_reads_keras1_positional_kernels_as_strides_and_the_tuple_as_the_kernel(keras3):
    layers = keras3.layers
    inputs = keras3.Input((28, 28, 1))
    assert layers.Convolution2D(32, 3, 3)(inputs).shape == (None, 9, 9, 32)
    assert layers.Convolution2D(32, (3, 3))(inputs).shape == (None, 26, 26, 32)


def test_no_kernel_grouping_when_more_positional_arguments_follow():
    source = HEADER + "model = Sequential([Input(shape=(28, 28, 1)), layers.Convolution2D(32, 3, 3, 'uniform')])\n"
    problems = check_source(source, "case.py", EVERY_CODE).diagnostics
    assert "KC652" in [d.code for d in problems] and all(d.fix is None for d in problems if d.code == "KC652")


def test_embedding_input_length_goes_where_the_model_has_its_input():
    source = HEADER + "model = Sequential([Input(shape=(10,)), layers.Embedding(100, 8, input_length=10)])\n"
    problems, text = fixed(source)
    assert [d.code for d in problems] == ["KC651"]
    assert text.endswith("layers.Embedding(100, 8)])\n")


def test_keras3_ignores_an_embedding_input_length(keras3):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = keras3.Sequential([keras3.layers.Embedding(100, 8, input_length=10)])
    assert not model.built and model(np.zeros((2, 7))).shape == (2, 7, 8)  # any length is taken


def test_nb_row_alone_is_not_turned_into_a_kernel():
    source = HEADER + "model = Sequential([Input(shape=(8, 8, 1)), layers.Convolution2D(4, nb_row=3)])\n"
    problems = check_source(source, "case.py", EVERY_CODE).diagnostics
    assert sorted((d.code, d.fix) for d in problems) == [("KC304", None), ("KC522", None)]


def test_batch_size_goes_from_a_layer_that_does_not_declare_the_input():
    source = HEADER + "model = Sequential([Input(shape=(5, 3)), LSTM(8, batch_size=4)])\n"
    problems, text = fixed(source)
    assert [d.code for d in problems] == ["KC521"]
    assert text.endswith("model = Sequential([Input(shape=(5, 3)), LSTM(8)])\n")


def test_edits_keep_the_layout_of_the_call():
    from kerascheck.repairs import Fix, GroupPositional, RemoveKeyword, RenameMethod
    from kerascheck.graph import Position

    text = "model.fit_generator(\n    gen,\n    10,\n    workers=4,\n)\nConv2D(8, 3, 3)\nDense(4, dynamic=True,)\n"
    fixes = [Fix("a", (RenameMethod(Position(1, 1, 5, 2), "fit", ("generator", "steps_per_epoch"), (), ("workers",)),)),
             Fix("b", (GroupPositional(Position(6, 1, 6, 16), 1, 2),)),
             Fix("c", (RemoveKeyword(Position(7, 1, 7, 23), "dynamic"),))]
    outcome = apply_fixes(text, fixes)
    assert outcome.skipped == []
    assert outcome.text == "model.fit(\n    gen,\n    steps_per_epoch=10,\n)\nConv2D(8, (3, 3))\nDense(4,)\n"
