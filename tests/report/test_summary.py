"""`kerascheck summary` tables: character for character what Keras 3's model.summary() prints."""

from __future__ import annotations

import re

import pytest

from kerascheck import check_source
from kerascheck.report.summary import column_widths, readable_memory_size, render_model, render_models, wrap_cell
from tests.report.graphs import lstm_stack, two_branches
from tests.report.test_summary_keras import recorded


def keras_summary(model, monkeypatch, columns: int) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    captured: list[str] = []
    model.summary(print_fn=captured.append)
    lines = "".join(captured).splitlines()
    last = next(i for i, line in enumerate(lines) if line.startswith(" Non-trainable params"))
    return [line.rstrip() for line in lines[: last + 1]]


@pytest.mark.parametrize("columns", [200, 80, 60])
def test_sequential_matches_keras(keras3, monkeypatch, columns):
    layers = keras3.layers
    model = keras3.Sequential([keras3.Input((40, 2)), layers.LSTM(12, return_sequences=True, name="encoder"),
                               layers.Dense(1, name="head")], name="stack")
    expected = keras_summary(model, monkeypatch, columns)
    result = lstm_stack()
    result.model.given_name = "stack"
    assert render_model(result, columns).splitlines() == expected
    assert recorded(f"stack_{columns}") == [expected]


@pytest.mark.parametrize("columns", [200, 100])
def test_branching_functional_has_connected_to_and_matches_keras(keras3, monkeypatch, columns):
    layers = keras3.layers
    inp = keras3.Input((4,), name="inp")
    a, b = layers.Dense(3, name="a")(inp), layers.Dense(3, name="b")(inp)
    total = layers.Add(name="sum")([a, b])
    model = keras3.Model(inp, [total, a], name="branches")
    expected = keras_summary(model, monkeypatch, columns)
    result = two_branches()
    result.model.given_name = "branches"
    ours = render_model(result, columns).splitlines()
    assert "Connected to" in ours[2]
    assert ours == expected
    assert recorded(f"branches_{columns}") == [expected]


def test_the_narrowest_terminal_is_that_of_keras(keras3, monkeypatch):
    """At 20 columns the last column is 4 characters wide before rich shrinks the columns (to
    the widths of ``test_sizes_and_widths``); at 19 it would be 3, and Keras refuses."""
    model = keras3.Sequential([keras3.Input((40, 2)), keras3.layers.Dense(1)])
    monkeypatch.setenv("COLUMNS", "20")
    captured: list[str] = []
    model.summary(print_fn=captured.append)
    top = next(line for line in "".join(captured).splitlines() if line.startswith("┏"))  # after the name's lines
    assert top == "┏" + "┳".join("━" * (w + 2) for w in [4, 1, 1]) + "┓"
    with pytest.raises(ValueError, match=r"^Insufficient console width to print summary\.$"):
        keras_summary(model, monkeypatch, 19)


def test_sizes_and_widths():
    assert readable_memory_size(733 * 4) == "2.86 KB"
    assert readable_memory_size(92.0) == "92.00 B"
    assert readable_memory_size(3 * 1024 ** 2) == "3.00 MB"
    # the unit changes at 1024 exactly; past the petabytes Keras's function stays in PB
    assert [readable_memory_size(n) for n in (1023, 1024, 5 * 1024 ** 3, 2 * 1024 ** 4, 1024 ** 5, 3 * 1024 ** 6)] == \
        ["1023.00 B", "1.00 KB", "5.00 GB", "2.00 TB", "1.00 PB", "3.00 PB"]
    assert column_widths(88, (0.45, 0.80, 1.0), 200) == [36, 27, 15]
    assert column_widths(88, (0.45, 0.80, 1.0), 20) == [4, 1, 1]  # shrunk as rich does
    with pytest.raises(ValueError, match=r"^Insufficient console width to print summary\.$"):
        column_widths(88, (0.45, 0.80, 1.0), 19)


def test_symbolic_counts_fold_after_a_star_else_at_the_width():
    assert wrap_cell("12*n_features", 13, fold=True) == ["12*n_features"]  # it fits
    assert wrap_cell("24*n_steps*n_features + 8", 12, fold=True) == ["24*n_steps*", "n_features +", "8"]
    assert wrap_cell("2*sequence_length*n", 8, fold=True) == ["2*", "sequence", "_length*", "n"]
    # a word as wide as the cell moves to the next line whole; the last "*" that fits is the cut
    assert wrap_cell("12 + n_steps*units + n_features", 13, fold=True) == ["12 +", "n_steps*units", "+ n_features"]
    assert wrap_cell("12 + 12*3*n + n_features*n*units", 13, fold=True) == ["12 + 12*3*n +", "n_features*n*", "units"]


def test_unknown_params_are_question_marks():
    result = lstm_stack()
    result.layers[1].params = None
    result.layers[1].output = None
    text = render_model(result, 120)
    assert any(re.fullmatch(r"│ head \(Dense\) +│ \? +│ +\? │", line) for line in text.splitlines())
    assert text.splitlines()[-3:] == [" Total params: ? (some layers' parameters are unknown)",
                                      " Trainable params: ?", " Non-trainable params: ?"]


def test_totals_of_a_model_whose_frozen_weights_are_unknown():
    source = """import keras
from keras import layers


def build(flag):
    inp = keras.Input((4,))
    return keras.Model(inp, layers.Dense(3, trainable=flag)(inp))
"""
    (text,) = render_models(check_source(source, "frozen.py").models, 120)
    assert text.splitlines()[-3:] == [" Total params: 15", " Trainable params: ?", " Non-trainable params: ?"]
