"""``match`` statements run like if/elif chains: a known subject picks its case (shapes checked
against real Keras 3), an unknown one makes every case an undecided branch (no false alarm)."""

from __future__ import annotations

import textwrap

import pytest

from kerascheck import check_source
from kerascheck.graph import UNKNOWN
from tests.frontend.helpers import models, types

UNDECIDED = "layers are added under a condition kerascheck cannot decide"

BUILDER = """
import keras
from keras import layers


def build(kind, width=16):
    inputs = keras.Input(shape=(width,))
    x = inputs
    match kind:
        case "small":
            x = layers.Dense(8)(x)
        case "big" | "huge":
            x = layers.Dense(64)(x)
            x = layers.Dense(32)(x)
        case ("stack", n):
            for _ in range(n):
                x = layers.Dense(12)(x)
        case ("seq", steps) if steps > 1:
            x = layers.Reshape((steps, width // steps))(x)
            x = layers.LSTM(5)(x)
        case None:
            pass
        case _:
            x = layers.Dense(4)(x)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


model = build({kind})
"""


def rows(source: str) -> list[tuple]:
    [model] = [m for m in check_source(source).models if m.model.kind == "functional"]
    return [(row.type, row.output, row.params) for row in model.layers if row.type != "InputLayer"]


def keras_rows(source: str, keras) -> list[tuple]:
    namespace: dict = {}
    exec(compile(source, "<match>", "exec"), namespace)
    model = namespace["model"]
    return [(type(layer).__name__, tuple(layer.output.shape), layer.count_params())
            for layer in model.layers if type(layer).__name__ != "InputLayer"]


@pytest.mark.parametrize("kind", ['"small"', '"huge"', '("stack", 3)', '("seq", 4)', '("seq", 1)', "None",
                                  '"other"', "7", '("stack",)'])
def test_known_subject_picks_the_case_keras_runs(kind, keras3):
    source = textwrap.dedent(BUILDER).replace("{kind}", kind)
    ours = rows(source)
    assert all(output is not None for _, output, _ in ours)
    assert ours == keras_rows(source, keras3)


def test_captures_bind_the_matched_values():
    [model] = models(BUILDER.replace("{kind}", '("stack", 2)'))
    assert types(model) == ["Dense", "Dense", "Dense"]


def test_unknown_subject_makes_cases_undecided_branches():
    source = textwrap.dedent("""
    import sys
    import keras
    from keras import layers

    inputs = keras.Input(shape=(16,))
    match sys.argv[1]:
        case "dense":
            x = layers.Dense(8)(inputs)
        case "sequence":
            x = layers.Reshape((4, 4))(inputs)
    y = layers.LSTM(3)(x)
    model = keras.Model(inputs, y)

    seq = keras.Sequential([keras.Input(shape=(16,))])
    match len(sys.argv):
        case 1:
            seq.add(layers.Reshape((4, 4)))
        case _:
            seq.add(layers.Dense(8))
    seq.add(layers.LSTM(3))
    """)
    result = check_source(source)
    # Dense then LSTM fails in Keras, Reshape then LSTM does not: which runs is unknown
    assert result.diagnostics == []
    functional, sequential = result.models
    assert [(row.type, row.output) for row in functional.layers] == [
        ("InputLayer", (None, 16)), ("Dense", (None, 8)), ("Reshape", (None, 4, 4)),
        ("LSTM", (None, 3))]  # its input is unknown, its output (None, units) is not
    assert sequential.model.incomplete_reason == UNDECIDED
    assert sequential.layers[-1].type == "LSTM" and sequential.layers[-1].output == (None, 3)


def test_certain_match_after_undecided_cases_ends_the_branches():
    source = textwrap.dedent("""
    import sys
    import keras
    from keras import layers

    inputs = keras.Input(shape=(16,))
    units = 0
    match sys.argv[1], 3:
        case ("a", 3):
            units = 8
        case (_, 3):
            units = 8
        case _:
            units = 99
    y = layers.Dense(units)(inputs)
    model = keras.Model(inputs, y)
    """)
    result = check_source(source)
    [model] = result.models
    # "_, 3" certainly matches: units is 8 on every path (never 0, never 99)
    assert [(row.output, row.params) for row in model.layers] == [((None, 16), 0), ((None, 8), 136)]


def test_no_case_may_match():
    [model] = models("""
    import sys
    import keras
    from keras import layers

    units = 4
    match sys.argv[1]:
        case "wide":
            units = 64
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(units)])
    """)
    assert model.calls[0].layer.args == (UNKNOWN,)  # 64 if the case runs, else still 4


def test_errors_in_the_case_that_runs_are_reported():
    source = textwrap.dedent("""
    import keras
    from keras import layers

    MODE = "flat"
    model = keras.Sequential([keras.Input(shape=(16,))])
    match MODE:
        case "flat":
            model.add(layers.Dense(8))
        case "sequence":
            model.add(layers.Reshape((4, 4)))
    model.add(layers.LSTM(3))
    """)
    assert [(d.code, d.position.line) for d in check_source(source).diagnostics] == [("KC101", 12)]


def test_loop_with_break_in_a_case_is_not_unrolled():
    [model] = models("""
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(3,))])
    for units in [8, 4, 2]:
        match units:
            case 4:
                break
        model.add(layers.Dense(units))
    """)
    assert model.incomplete_reason == UNDECIDED


CONFIGURED = """
import keras
from keras import layers

config = {"kind": "dense", "units": 8}
{mutation}
model = keras.Sequential([keras.Input(shape=(16,))])
match config:
    case {"kind": "sequence", "steps": steps}:
        model.add(layers.Reshape((steps, 16 // steps)))
        model.add(layers.LSTM(3))
    case {"kind": "dense", "units": units, **rest}:
        model.add(layers.Dense(units))
    case _:
        model.add(layers.Dense(1))
"""


@pytest.mark.parametrize("mutation", [
    "",
    'config["kind"] = "sequence"\nconfig["steps"] = 4',
    'config["units"] += 4',
    'del config["units"]',
    'config = {"kind": "sequence", "steps": 2, "units": 5}',
])
def test_mapping_patterns_and_item_assignments_follow_python(mutation, keras3):
    source = textwrap.dedent(CONFIGURED).replace("{mutation}", mutation)
    [model] = check_source(source).models
    ours = [(row.type, row.output, row.params) for row in model.layers]
    assert all(output is not None for _, output, _ in ours)
    assert ours == keras_rows(source, keras3)


@pytest.mark.parametrize("mutation", [
    'if len(sys.argv) > 1:\n    config["kind"] = "sequence"\n    config["steps"] = 4',
    'config[sys.argv[1]] = "sequence"',
    'for key in load():\n    config[key] = 1',
])
def test_item_assignments_that_may_not_run_make_the_dict_unknown(mutation):
    source = "import sys\n" + textwrap.dedent(CONFIGURED).replace("{mutation}", mutation)
    result = check_source(source)
    assert result.diagnostics == []
    [model] = result.models
    assert model.model.incomplete_reason == UNDECIDED


def test_list_item_assignment_is_followed():
    source = textwrap.dedent("""
    import keras
    from keras import layers

    sizes = [4, 4]
    sizes[1] = 2
    sizes[-1] *= 4
    model = keras.Sequential([keras.Input(shape=(16,)), layers.Reshape((sizes[0], sizes[1] // 2))])
    """)
    result = check_source(source)
    assert result.diagnostics == []
    assert result.models[0].layers[0].output == (None, 4, 4)
