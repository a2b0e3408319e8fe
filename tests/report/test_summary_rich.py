"""The summary table's cells wrap and its columns shrink as rich's do (Keras draws
``model.summary()`` with rich): our ``wrap_cell`` and ``_ratio_reduce`` against rich itself,
on words like the table's (names, classes, shapes, connections)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kerascheck.report.summary import _ratio_reduce, wrap_cell

WORDS = ["a", "dense", "batch_normalization", "(BatchNormalization)", "[0][0],", "global_average_pooling1d[0][0],",
         "x", "", "  ", "lstm_1", "(None, 10, 64)", "4,160", "…"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=6), st.integers(1, 30))
def test_cells_wrap_as_rich_wraps_them(words, width):
    from rich.console import Console
    from rich.text import Text

    text = " ".join(words)
    lines = Text(text, overflow="ellipsis").wrap(Console(width=200), width)
    assert wrap_cell(text, width) == [line.plain.rstrip() for line in lines]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=1, max_size=7), st.data())
def test_columns_shrink_as_rich_shrinks_them(widths, data):
    from rich._ratio import ratio_reduce

    excess = data.draw(st.integers(0, sum(widths)))
    assert _ratio_reduce(excess, widths) == ratio_reduce(excess, [1] * len(widths), widths, widths)


def test_examples_of_both():
    assert wrap_cell("global_average_pooling1d[0][0], dense[0][0]", 12) == ["global_aver…", "dense[0][0]"]
    assert _ratio_reduce(7, [10, 20, 30]) == [8, 18, 27]
