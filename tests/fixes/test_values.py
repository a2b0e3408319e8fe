"""Fix texts are read as literals from their tree: no text is ever evaluated by Python."""

from __future__ import annotations

import pytest

from kerascheck.fixes.simulate import value_of


@pytest.mark.parametrize("code, value", [
    ("10 * 2", 20), ("(28, 28, 1)", (28, 28, 1)), ("'same'", "same"), ("-1", -1), ("[3, 4 - 1]", [3, 3]),
    ("(None, 8)", (None, 8)), ("-0.5", -0.5), ("True", True),
])
def test_literals(code, value):
    assert value_of(code) == value and type(value_of(code)) is type(value)


@pytest.mark.parametrize("code", ["__import__('os').getcwd()", "x", "2 ** 4", "'a' * 3", "[i for i in ()]", "f(1)"])
def test_anything_else_is_refused(code):
    with pytest.raises(ValueError):
        value_of(code)
