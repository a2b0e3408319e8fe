"""A layer reused by another model must get inputs its weights fit (Keras checks the built
InputSpec): reported where the program certainly runs both calls, never for a call that may not
run (in a function nothing calls, under an undecided condition)."""

from __future__ import annotations

import textwrap

import pytest

from kerascheck import check_source

SHARED = """
import keras
from keras import layers

dense = layers.Dense(4)
a = keras.Input((8,))
first = keras.Model(a, dense(a))
{second}
"""


def _codes(second: str) -> list[tuple[str, int]]:
    text = textwrap.dedent(SHARED).format(second=textwrap.dedent(second))
    return [(d.code, d.position.line) for d in check_source(text, "t.py").diagnostics]


def test_a_reuse_on_another_size_is_reported_where_it_is():
    assert _codes("""
        b = keras.Input((6,))
        second = keras.Model(b, dense(b))
        """) == [("KC204", 10)]


@pytest.mark.parametrize("second", [
    """
    def small_model():
        b = keras.Input((6,))
        return keras.Model(b, dense(b))
    """,
    """
    import sys
    if len(sys.argv) > 1:
        b = keras.Input((6,))
        second = keras.Model(b, dense(b))
    """,
    """
    import sys
    b = keras.Input((6,))
    y = b
    if len(sys.argv) > 1:
        y = dense(b)
    second = keras.Model(b, y)
    """,
])
def test_nothing_for_a_call_that_may_never_run(second):
    assert _codes(second) == []


def test_a_reuse_on_the_same_size_is_fine():
    assert _codes("""
        b = keras.Input((8,))
        second = keras.Model(b, dense(b))
        """) == []
