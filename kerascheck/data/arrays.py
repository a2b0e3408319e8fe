"""NumPy arrays known statically: their shapes, and how NumPy calls transform them.

The frontend evaluates expressions to plain values; when it meets a NumPy (or keras.utils /
keras.datasets) call, an array method, attribute, subscript or arithmetic on arrays, it asks
this module. Anything not modelled gives ``UNKNOWN``: checks needing it are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from kerascheck.graph import UNKNOWN, Position


@dataclass(frozen=True)
class Array:
    """An array whose shape is known (dims may be None) or not (``shape is None``)."""

    shape: Optional[tuple]
    dtype: Optional[str] = None  # "int", "float", "bool" or None when unknown
    position: Optional[Position] = None  # where it was created, for hints

    @property
    def ndim(self) -> int | None:
        return None if self.shape is None else len(self.shape)


def _shape_arg(value: Any) -> tuple | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, (tuple, list)) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return tuple(value)
    return None


def _sized(dtype: str, shape_position: int = 0, keyword: str = "shape"):
    def make(args: tuple, kwargs: dict) -> Any:
        value = kwargs.get(keyword, args[shape_position] if len(args) > shape_position else UNKNOWN)
        shape = _shape_arg(value)
        return Array(shape, dtype) if shape is not None else UNKNOWN
    return make


_CALLS = {
    "numpy.zeros": _sized("float"),
    "numpy.ones": _sized("float"),
    "numpy.empty": _sized("float"),
    "numpy.random.random": _sized("float", keyword="size"),
}


def evaluate_call(qualname: str, args: tuple, kwargs: dict, position: Position | None = None) -> Any:
    """The value of ``qualname(*args, **kwargs)`` (``numpy.zeros``, ``keras.utils.to_categorical``...)."""
    make = _CALLS.get(qualname)
    if make is None:
        return UNKNOWN
    value = make(args, kwargs)
    if isinstance(value, Array) and position is not None and value.position is None:
        value = Array(value.shape, value.dtype, position)
    return value


def evaluate_attribute(array: Array, name: str) -> Any:
    """``X.shape``, ``X.ndim``, ``X.T``... of a known array."""
    if name == "shape":
        return array.shape if array.shape is not None else UNKNOWN
    if name == "ndim":
        return array.ndim if array.ndim is not None else UNKNOWN
    return UNKNOWN


def evaluate_method(array: Array, name: str, args: tuple, kwargs: dict) -> Any:
    """``X.reshape(...)``, ``X.astype(...)``... of a known array."""
    return UNKNOWN


def evaluate_subscript(array: Array, index: Any) -> Any:
    """``X[:800]``, ``X[:, :, 0]``, ``X[..., None]``: slices are ``slice`` objects, ``...`` is Ellipsis."""
    return UNKNOWN


def evaluate_binary(op: str, left: Any, right: Any) -> Any:
    """Arithmetic with at least one array operand (broadcasting)."""
    return UNKNOWN
