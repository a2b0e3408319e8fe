"""The table tests every rule module runs: a module lists its cases and names the tests built here.

An accepted case is ``(node, input shape, output shape, params)``, a rejected case
``(node, input shape, code)``; shapes include the batch axis (a list of shapes for layers
called on several tensors). A module binds each test to a ``test_*`` name, which pytest collects.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings

from kerascheck.shapes.base import format_shape
from tests.shapes.helpers import agree, static

Case = tuple[Any, ...]


def weightless(cases: list[Case]) -> list[Case]:
    """``(node, shape, output)`` cases of layers without weights, as accepted cases with 0 params."""
    return [(node, shape, output, 0) for node, shape, output in cases]


def shape_kept(cases: list[Case]) -> list[Case]:
    """``(node, shape, params)`` cases of layers that return their input shape, as accepted cases."""
    return [(node, shape, shape, params) for node, shape, params in cases]


def infers_each(cases: list[Case]) -> Callable[..., None]:
    """A test: kerascheck accepts each case with exactly its output shape and parameter count."""
    @pytest.mark.parametrize("node, shape, output, params", cases)
    def test(node, shape, output, params):
        result = static(node, shape)
        assert not isinstance(result, str), f"{result} on {shape}"
        assert (result.output, result.params) == (output, params)

    return test


def shows_each(cases: list[Case]) -> Callable[..., None]:
    """A test: kerascheck accepts each case with its output as kerascheck prints it (an unknown
    size or shape is ``?``) and exactly its parameter count."""
    @pytest.mark.parametrize("node, shape, output, params", cases)
    def test(node, shape, output, params):
        result = static(node, shape)
        assert not isinstance(result, str), f"{result} on {shape}"
        assert (format_shape(result.output), result.params) == (output, params)

    return test


def rejects_each(cases: list[Case]) -> Callable[..., None]:
    """A test: kerascheck rejects each case with exactly its code."""
    @pytest.mark.parametrize("node, shape, code", cases)
    def test(node, shape, code):
        assert static(node, shape) == code

    return test


def agrees_with_keras_on(*tables: list[Case]) -> Callable[..., None]:
    """A test: real Keras 3 accepts or rejects each case of the tables as kerascheck does, with
    the same output shape and parameter count."""
    @pytest.mark.parametrize("node, shape", [case[:2] for table in tables for case in table])
    def test(node, shape, keras3):
        agree(node, shape, keras3)

    return test


def strategies_agree_with_keras(strategies: dict[str, Any], max_examples: int = 25) -> Callable[..., None]:
    """A test per strategy: on ``max_examples`` drawn ``(node, shape)`` pairs, ``agree`` holds."""
    @pytest.mark.parametrize("name", sorted(strategies))
    def test(name, keras3):
        @settings(max_examples=max_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(strategies[name])
        def check(case):
            agree(*case, keras3)

        check()

    return test
