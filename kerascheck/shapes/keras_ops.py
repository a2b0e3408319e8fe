"""``keras.ops`` functions applied to symbolic tensors, as pseudo layers ``ops.<name>``.

The frontend turns ``keras.ops.concatenate([a, b], axis=-1)`` into a LayerCall of type
``ops.concatenate`` whose inputs are the tensors and whose arguments are the rest. Shapes
include the batch dim (ops do not treat it specially). Keras 3.15 facts (ops/numpy.py
``compute_output_spec`` on KerasTensors):
- ``concatenate`` defaults to ``axis=0``; sizes off the axis are compared with ``None``
  matching anything, and the output keeps the *first* tensor's sizes there.
- ``reshape``'s ``-1`` (and any non-int target dim) is ``None`` as soon as an input dim is.
- ``squeeze(axis=...)`` rejects an axis whose size is unknown (``None != 1``); with duplicate
  axes it deletes that many dims.
- ``expand_dims`` with duplicate axes fails.
- ``arange(start, stop, step)`` has ``ceil((stop - start) / step)`` elements (the frontend
  passes start and stop both, ``arange(n)`` as ``arange(0, n)``); a range going the other way
  than its step is empty for NumPy and JAX but raises in TensorFlow: unknown.
No op has weights.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Output,
    Shape,
    ShapeError,
    format_shape,
    format_value,
    is_int,
    is_known,
    register,
)
from kerascheck.shapes.symbolic import is_sym


def _is_index(value: Any) -> bool:
    """What ``operator.index`` accepts (bool included)."""
    return isinstance(value, int)


def axis_error(a: Args, name: str, value: Any, detail: str) -> ShapeError:
    return ShapeError("KC303", layer=a.layer, argument=name, value=format_value(value), detail=detail)


def canonical_axis(a: Args, name: str, value: Any, axis: Any, rank: int) -> int:
    """Keras's ``canonicalize_axis``: an int in [-rank, rank)."""
    if not _is_index(axis):
        raise axis_error(a, name, value, "expected an integer axis")
    if not -rank <= axis < rank:
        raise axis_error(a, name, value, f"axis {int(axis)} is out of range for rank {rank}")
    return int(axis) % rank


def axes_tuple(value: Any) -> tuple | None:
    """``to_tuple_or_list``: an int becomes a 1-tuple; None when not an int/tuple/list."""
    if isinstance(value, int):
        return (value,)
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return None


class Op(LayerRule):
    # Ops take their tensors as the frontend passes them (a list for concatenate); marked
    # multi-input so no rank spec applies and nothing wraps them in TimeDistributed.
    multi_input = True
    # The parameters an op of several tensors takes them in (``x1``, ``x2``): its inputs fill
    # those the node's keyword arguments do not give. Empty: the inputs are its first argument.
    operands: ClassVar[tuple[str, ...]] = ()

    def display_name(self, node: Any) -> str:
        return "keras." + self.types[0]

    def params(self, a: Args, shape: Output) -> int | None:
        return 0


@register
class Concatenate(Op):
    """``keras.ops.concatenate(xs, axis=0)``."""

    types = ("ops.concatenate",)
    signature = (("axis", 0),)

    def check_args(self, a: Args) -> None:
        if a["axis"] is None:
            raise axis_error(a, "axis", None, "axis cannot be None")

    def output_shape(self, a: Args, shape: Output) -> Output:
        if not isinstance(shape, list) or not all(isinstance(s, tuple) for s in shape):
            return None
        value = a["axis"]
        if not is_known(value):
            return None
        if not shape:
            raise ShapeError("KC203", layer=a.layer, detail="it needs at least one tensor, got none")
        first = shape[0]
        axis = canonical_axis(a, "axis", value, value, len(first))
        total: int | None = 0
        for s in shape:
            if not _equal_off_axis(s, first, axis):
                raise ShapeError("KC203", layer=a.layer,
                                 detail=f"{format_shape(s)} differs from the first tensor's "
                                        f"{format_shape(first)} off the concatenation axis {value}")
            total = None if total is None or s[axis] is None else total + s[axis]
        out = list(first)
        out[axis] = total
        return tuple(out)


def _equal_off_axis(shape: Shape, first: Shape, axis: int) -> bool:
    if len(shape) != len(first):
        return False
    return all(i == axis or x is None or y is None or x == y for i, (x, y) in enumerate(zip(shape, first)))


@register
class Reshape(Op):
    """``keras.ops.reshape(x, newshape)``: the whole shape, batch included."""

    types = ("ops.reshape",)
    signature = (("newshape", REQUIRED),)

    def _target(self, a: Args) -> tuple | None:
        value = a.required("newshape")
        if not is_known(value):
            return None
        if isinstance(value, (tuple, list, str)):  # Keras: tuple(newshape), else (newshape,)
            if not all(is_known(d) for d in value):
                return None
            return tuple(value)
        return (value,)

    def check_args(self, a: Args) -> None:
        target = self._target(a)
        if target is None:
            return
        ints = [d for d in target if _is_index(d)]
        if any(d < -1 for d in ints) or ints.count(-1) > 1:
            raise axis_error(a, "newshape", a["newshape"],
                              "each size must be non-negative, or -1 for one unknown size")

    def output_shape(self, a: Args, shape: Output) -> Output:
        target = self._target(a)
        if target is None or not isinstance(shape, tuple):
            return None
        target = tuple(int(d) if _is_index(d) else None for d in target)
        if None in shape or None in target:
            return tuple(None if d == -1 else d for d in target)
        size = math.prod(shape)
        known = math.prod(d for d in target if d != -1)
        if -1 not in target:
            if size != known:
                raise self._size_error(a, target, shape, size, known)
            return target
        if known == 0 or size % known:
            raise self._size_error(a, target, shape, size, known)
        return tuple(size // known if d == -1 else d for d in target)

    @staticmethod
    def _size_error(a: Args, target: tuple, shape: Shape, size: int, known: int) -> ShapeError:
        needed = str(known) if -1 not in target else f"a multiple of {known}"
        return ShapeError("KC202", layer=a.layer, target=format_shape(target), needed=needed,
                          actual=format_shape(shape), have=size,
                          hint="keras.ops.reshape counts the batch axis too")


@register
class ExpandDims(Op):
    """``keras.ops.expand_dims(x, axis)``."""

    types = ("ops.expand_dims",)
    signature = (("axis", REQUIRED),)

    def check_args(self, a: Args) -> None:
        value = a.required("axis")
        if is_known(value) and axes_tuple(value) is None:
            raise axis_error(a, "axis", value, "expected an integer, tuple or list")

    def output_shape(self, a: Args, shape: Output) -> Output:
        value = a["axis"]
        if not is_known(value) or not isinstance(shape, tuple):
            return None
        axes = axes_tuple(value)
        if not all(is_known(x) for x in axes):
            return None
        rank = len(axes) + len(shape)
        positions = {canonical_axis(a, "axis", value, x, rank) for x in axes}
        if len(positions) < len(axes):
            raise axis_error(a, "axis", value, "repeated axis")
        dims = iter(shape)
        return tuple(1 if i in positions else next(dims) for i in range(rank))


@register
class Squeeze(Op):
    """``keras.ops.squeeze(x, axis=None)``."""

    types = ("ops.squeeze",)
    signature = (("axis", None),)

    def output_shape(self, a: Args, shape: Output) -> Output:
        value = a["axis"]
        if not is_known(value) or not isinstance(shape, tuple):
            return None
        if value is None:
            if any(is_sym(d) for d in shape):
                return None  # whether a named dim is 1, and so the rank, depends on its value
            return tuple(d for d in shape if d != 1)
        axes = axes_tuple(value)
        if axes is None:
            raise axis_error(a, "axis", value, "expected an integer, tuple or list")
        if not all(is_known(x) for x in axes):
            return None
        for x in axes:
            if not is_int(x) and not isinstance(x, bool):
                raise axis_error(a, "axis", value, "expected integer axes")
            if not -len(shape) <= x < len(shape):
                raise axis_error(a, "axis", value, f"axis {int(x)} is out of range for rank {len(shape)}")
            if shape[x] != 1:
                size = "unknown" if shape[x] is None else shape[x]
                raise axis_error(a, "axis", value, f"the size of axis {int(x)} is {size}, not 1")
        out = list(shape)
        for x in sorted((int(x) % len(shape) for x in axes), reverse=True):
            if x >= len(out):  # a repeated axis deletes twice, then runs off the end
                raise axis_error(a, "axis", value, "repeated axis")
            del out[x]
        return tuple(out)


@register
class Filled(Op):
    """``keras.random.normal(shape)``, ``tf.zeros(shape)``... in a layer's ``call``: a tensor of
    the shape given, whose sizes are read from tensors (``(tf.shape(z)[0], tf.shape(z)[1])``).
    The frontend applies it to those tensors, which it does not otherwise use."""

    types = ("ops.filled",)
    signature = (("shape", REQUIRED),)

    def output_shape(self, a: Args, shape: Output) -> Output:
        given = a["shape"]
        if not isinstance(given, (tuple, list)) or not all(d is None or is_int(d) or is_sym(d) for d in given):
            return None
        return tuple(given)


@register
class Arange(Op):
    """``keras.ops.arange(start, stop, step)`` or ``tf.range(start, limit, delta)``: positions for a
    positional embedding. The frontend applies it to the tensors its bounds are read from
    (``ops.shape(x)[-1]``), or to no tensor."""

    types = ("ops.arange",)
    signature = (("start", 0), ("stop", REQUIRED), ("step", 1))

    def output_shape(self, a: Args, shape: Output) -> Output:
        start, stop, step = a["start"], a.required("stop"), a["step"]
        if start is None or stop is None:  # a dynamic size read in a call
            return (None,)
        if all(is_int(v) for v in (start, stop, step)):
            length = -((start - stop) // step) if step else -1
            return (length,) if length >= 0 else None
        if step == 1 and all(is_int(v) or is_sym(v) for v in (start, stop)):
            return (stop - start,)
        return None
