"""Reshaping layers: Reshape, Flatten, RepeatVector, Permute, Cropping, ZeroPadding, UpSampling.

Keras facts worth knowing (Keras 3.15):
- ``Reshape`` checks the element count when the model is built only when every input and target
  dim is known; a ``None`` in the target builds and stays ``None``, but the run reshapes with it
  as ``-1``, so kerascheck checks it like ``-1``. ``Reshape(12)`` (not a tuple) is rejected.
- ``Flatten`` of a 2D input is unchanged and of a 1D input ``(batch,)`` gives ``(batch, 1)``.
- ``ZeroPadding2D``/``3D`` accept a negative int when the layer is created and even build a
  smaller output (``ZeroPadding2D(-1)`` on 5x5 says 3x3), but TensorFlow's pad rejects negative
  paddings whenever the model runs: kerascheck reports it (KC303) like ``ZeroPadding1D(-1)``.
- Cropping must leave at least one step of every known spatial dim.
- ``UpSampling2D``'s ``interpolation`` is not validated when the layer is created.
tf-keras (Keras 2) differs: ``Reshape`` takes no ``None`` in the target (``tf.reshape`` fails on
it); ``Cropping3D`` slices, so over-cropping gives a length of 0 instead of an error;
``RepeatVector(0)`` builds; ``UpSampling1D`` takes ``int(size)`` (0 builds on unknown steps);
``UpSampling2D`` loses both spatial sizes when one is unknown; ``UpSampling3D`` takes any rank
that has its three axes.
"""

from __future__ import annotations

import math
from typing import Any

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
    rank_error,
    register,
)
from kerascheck.shapes.core import rank_word, strict_positive_int
from kerascheck.shapes.ops import data_format
from kerascheck.shapes.symbolic import certainly, is_sym

def spatial_axes(a: Args, rank: int, count: int) -> list[int] | None:
    """The indices of the ``count`` spatial axes of a ``rank``-D input, per data_format."""
    fmt = data_format(a)
    if fmt is None:
        return None
    first = 2 if fmt == "channels_first" else 1
    return list(range(first, first + count))


# ---- Reshape ---------------------------------------------------------------------------------


@register
class Reshape(LayerRule):
    """``Reshape(target_shape)``: same elements per sample, new shape (one ``-1`` allowed)."""

    types = ("Reshape",)
    signature = (("target_shape", REQUIRED),)

    def target(self, a: Args) -> tuple | None:
        value = a.required("target_shape")
        if not is_known(value):
            return None
        if not isinstance(value, (tuple, list)):
            raise ShapeError("KC303", f"write a tuple: Reshape(({format_value(value)},))", layer=a.layer,
                             argument="target_shape", value=format_value(value), detail="expected a tuple of ints")
        return tuple(value)

    def check_args(self, a: Args) -> None:
        target = self.target(a)
        if target is None:
            return
        ints = [d for d in target if is_int(d)]
        if any(d < -1 for d in ints):
            raise ShapeError("KC303", layer=a.layer, argument="target_shape", value=format_value(target),
                             detail="dims must be non-negative, or -1 for one inferred dim")
        if ints.count(-1) > 1:
            raise ShapeError("KC303", "give every dim but one explicitly", layer=a.layer,
                             argument="target_shape", value=format_value(target),
                             detail="at most one dim can be -1")
        if a.context.keras_version == 2 and None in target:  # tf.reshape cannot take a None
            raise ShapeError("KC303", "write -1 for the one dim to infer", layer=a.layer,
                             argument="target_shape", value=format_value(target),
                             detail="tf-keras takes ints only")

    def output_shape(self, a: Args, shape: Output) -> Output:
        target = self.target(a)
        if target is None:
            return None
        dims = tuple(d if is_int(d) or is_sym(d) else None for d in target)
        have = shape[1:]
        if None in have or not all(is_known(d) for d in target):
            return (shape[0],) + tuple(None if is_int(d) and d == -1 else d for d in dims)
        size = math.prod(have)
        shown = format_shape(target)
        if None in dims:
            self.check_run(a, shape, dims, size)
            return (shape[0],) + tuple(None if d == -1 else d for d in dims)
        if -1 not in dims:
            if math.prod(dims) != size:
                raise ShapeError("KC202", layer=a.layer, target=shown, needed=math.prod(dims),
                                 actual=format_shape(shape), have=size)
            return (shape[0],) + dims
        known = math.prod(d for d in dims if d != -1)
        if known == 0 or size % known:
            raise ShapeError("KC202", layer=a.layer, target=shown, needed=f"a multiple of {known}",
                             actual=format_shape(shape), have=size)
        return (shape[0],) + tuple(size // known if d == -1 else d for d in dims)

    def check_run(self, a: Args, shape: Shape, dims: tuple, size: int) -> None:
        """A None in the target: Keras builds with it, then reshapes with None as -1 when it runs."""
        shown = format_shape(dims)
        if sum(d is None or d == -1 for d in dims) > 1:
            raise ShapeError("KC303", "give every dim but one explicitly", layer=a.layer, argument="target_shape",
                             value=shown, detail="None counts as -1 when the model runs; at most one is allowed")
        known = math.prod(d for d in dims if d is not None)
        if known == 0 or size % known:
            raise ShapeError("KC202", layer=a.layer, target=shown, needed=f"a multiple of {known}",
                             actual=format_shape(shape), have=size)


@register
class Flatten(LayerRule):
    """``Flatten(data_format=None)``: ``(batch, product of the other dims)``."""

    types = ("Flatten",)
    signature = (("data_format", None),)
    min_ndim = 1

    def rank_on_unknown_input(self) -> int | None:
        return 3  # any rank gives (batch, size): one stands for all

    def check_args(self, a: Args) -> None:
        data_format(a)

    def output_shape(self, a: Args, shape: Output) -> Output:
        rest = shape[1:]
        size = None if None in rest else math.prod(rest)
        return (shape[0], size)

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        if (rank_word(wanted) or 0) > 2:
            return "flattens every sample to 2D; remove it or Reshape to the rank needed"
        return None


@register
class RepeatVector(LayerRule):
    """``RepeatVector(n)``: ``(batch, features)`` -> ``(batch, n, features)``."""

    types = ("RepeatVector",)
    python_int_arguments = {"n": (2, 3)}
    signature = (("n", REQUIRED),)
    ndim = 2
    input_hint = "(batch, features)"

    def check_args(self, a: Args) -> None:
        self.repeats(a)

    def repeats(self, a: Args) -> Any:
        """``n``: tf-keras only checks ``isinstance(n, int)``, so 0 and True (1) build."""
        value = a["n"]
        if a.context.keras_version == 2 and isinstance(value, int) and value >= 0:
            return int(value)
        return strict_positive_int(a, "n")

    def output_shape(self, a: Args, shape: Output) -> Output:
        return (shape[0], self.repeats(a), shape[1])


@register
class Permute(LayerRule):
    """``Permute(dims)``: reorders the non-batch axes; ``dims`` is a permutation of 1..n."""

    types = ("Permute",)
    signature = (("dims", REQUIRED),)

    def dims(self, a: Args) -> tuple[int, ...] | None:
        value = a.required("dims")
        if not is_known(value) or not isinstance(value, (tuple, list)):
            return None
        if not all(is_known(d) for d in value):
            return None
        return tuple(value)

    def check_args(self, a: Args) -> None:
        dims = self.dims(a)
        if dims is not None and sorted(dims) != list(range(1, len(dims) + 1)):
            raise ShapeError("KC303", "dims numbers the non-batch axes from 1, e.g. Permute((2, 1))",
                             layer=a.layer, argument="dims", value=format_value(a["dims"]),
                             detail=f"expected a permutation of 1..{len(dims)}")

    def check_input(self, a: Args, shape: Output) -> None:
        dims = self.dims(a)
        if dims is not None and len(shape) != len(dims) + 1:
            raise rank_error(a.layer, f"{len(dims) + 1}D", shape)

    def output_shape(self, a: Args, shape: Output) -> Output:
        dims = self.dims(a)
        return None if dims is None else (shape[0],) + tuple(shape[d] for d in dims)


# ---- Cropping and ZeroPadding ----------------------------------------------------------------


def pairs(a: Args, name: str, count: int, negative_int: bool = False) -> tuple | None:
    """Keras's cropping/padding argument: an int (negative only where ``negative_int``),
    ``count`` ints, or ``count`` pairs of ints."""
    value = a[name]
    if not is_known(value):
        return None
    if is_int(value):
        if value < 0 and not negative_int:
            hint = f"use Cropping{count}D to remove rows" if name == "padding" else None
            raise ShapeError("KC303", hint, layer=a.layer, argument=name, value=format_value(value),
                             detail="cannot be negative")
        return ((value, value),) * count
    expected = f"expected an int, {count} ints or {count} pairs of ints"
    if not isinstance(value, (tuple, list)) or len(value) != count:
        raise ShapeError("KC303", layer=a.layer, argument=name, value=format_value(value), detail=expected)
    result = []
    for item in value:
        if not is_known(item) or (isinstance(item, (tuple, list)) and not all(is_known(v) for v in item)):
            return None
        if is_int(item):
            item = (item, item)
        if not (isinstance(item, (tuple, list)) and len(item) == 2 and all(is_int(v) for v in item)):
            raise ShapeError("KC303", layer=a.layer, argument=name, value=format_value(value), detail=expected)
        if any(v < 0 for v in item):
            raise ShapeError("KC303", layer=a.layer, argument=name, value=format_value(value),
                             detail="cannot be negative")
        result.append(tuple(item))
    return tuple(result)


class Spatial(LayerRule):
    """Shared shape of the 1D/2D/3D families: ``count`` spatial axes of a ``count + 2``-D input."""

    count = 1
    argument = ""

    def check_args(self, a: Args) -> None:
        data_format(a)
        self.amounts(a)

    def amounts(self, a: Args) -> tuple | None:
        raise NotImplementedError

    def output_shape(self, a: Args, shape: Output) -> Output:
        amounts, axes = self.amounts(a), spatial_axes(a, len(shape), self.count)
        if amounts is None or axes is None:
            return None
        out = list(shape)
        for axis, amount in zip(axes, amounts):
            if out[axis] is not None:
                out[axis] = self.resize(a, shape, out[axis], amount)
        return tuple(out)

    def resize(self, a: Args, shape: Shape, length: int, amount: object) -> int:
        raise NotImplementedError


class Cropping(Spatial):
    argument = "cropping"

    def amounts(self, a: Args) -> tuple | None:
        # tf-keras's Cropping3D checks only the pairs it is given for negatives, not an int.
        return pairs(a, "cropping", self.count, negative_int=a.context.keras_version == 2 and self.count == 3)

    def resize(self, a: Args, shape: Shape, length: int, amount: object) -> int:
        left, right = amount
        if a.context.keras_version == 2 and self.count == 3 and is_int(length):
            return len(range(length)[left:-right or None])  # tf-keras's Cropping3D slices x[left:-right]
        if certainly(lambda: length - left - right <= 0):
            raise ShapeError("KC201", f"crop less than {length} steps in total on that axis", layer=a.layer,
                             detail=f"length {length - left - right} ({length} - {left} - {right}) "
                             f"from input {format_shape(shape)}")
        return length - left - right


class Padding(Spatial):
    argument = "padding"

    def amounts(self, a: Args) -> tuple | None:
        return pairs(a, "padding", self.count)

    def resize(self, a: Args, shape: Shape, length: int, amount: object) -> int:
        return length + amount[0] + amount[1]


class UpSampling(Spatial):
    argument = "size"

    def amounts(self, a: Args) -> tuple | None:
        return a.int_tuple("size", self.count)

    def resize(self, a: Args, shape: Shape, length: int, amount: object) -> int:
        return length * amount


@register
class Cropping1D(Cropping):
    """``Cropping1D(cropping=(1, 1))`` on ``(batch, steps, features)``."""

    types = ("Cropping1D",)
    signature = (("cropping", (1, 1)),)
    ndim = 3
    input_hint = "(batch, steps, features)"

    def check_args(self, a: Args) -> None:
        self.amounts(a)

    def amounts(self, a: Args) -> tuple | None:
        pair = a.int_tuple("cropping", 2, allow_zero=True)
        return None if pair is None else (pair,)

    def output_shape(self, a: Args, shape: Output) -> Output:
        amounts = self.amounts(a)
        if amounts is None:
            return None
        steps = shape[1] if shape[1] is None else self.resize(a, shape, shape[1], amounts[0])
        return (shape[0], steps, shape[2])


@register
class Cropping2D(Cropping):
    """``Cropping2D(cropping=((0, 0), (0, 0)), data_format=None)`` on 4D images."""

    types = ("Cropping2D",)
    signature = (("cropping", ((0, 0), (0, 0))), ("data_format", None))
    ndim = 4
    count = 2


@register
class Cropping3D(Cropping):
    """``Cropping3D(cropping=((1, 1), (1, 1), (1, 1)), data_format=None)`` on 5D volumes."""

    types = ("Cropping3D",)
    signature = (("cropping", ((1, 1), (1, 1), (1, 1))), ("data_format", None))
    ndim = 5
    count = 3


@register
class ZeroPadding1D(Padding):
    """``ZeroPadding1D(padding=1, data_format=None)`` on ``(batch, steps, features)``."""

    types = ("ZeroPadding1D",)
    signature = (("padding", 1), ("data_format", None))
    ndim = 3
    input_hint = "(batch, steps, features)"

    def amounts(self, a: Args) -> tuple | None:
        pair = a.int_tuple("padding", 2, allow_zero=True)
        return None if pair is None else (pair,)


@register
class ZeroPadding2D(Padding):
    """``ZeroPadding2D(padding=(1, 1), data_format=None)`` on 4D images."""

    types = ("ZeroPadding2D",)
    signature = (("padding", (1, 1)), ("data_format", None))
    ndim = 4
    count = 2


@register
class ZeroPadding3D(Padding):
    """``ZeroPadding3D(padding=((1, 1), (1, 1), (1, 1)), data_format=None)`` on 5D volumes."""

    types = ("ZeroPadding3D",)
    signature = (("padding", ((1, 1), (1, 1), (1, 1))), ("data_format", None))
    ndim = 5
    count = 3


@register
class UpSampling1D(UpSampling):
    """``UpSampling1D(size=2)``: repeats every step ``size`` times."""

    types = ("UpSampling1D",)
    python_int_arguments = {"size": (3,)}
    signature = (("size", 2),)
    ndim = 3
    input_hint = "(batch, steps, features)"

    def check_args(self, a: Args) -> None:
        self.amounts(a)

    def amounts(self, a: Args) -> tuple | None:
        """``size``: tf-keras calls ``int(size)`` (a float is truncated, True is 1, 0 passes)."""
        value = a["size"]
        if a.context.keras_version == 2 and isinstance(value, (int, float)) and value >= 0:
            return (int(value),)
        size = strict_positive_int(a, "size")
        return None if size is None else (size,)

    def output_shape(self, a: Args, shape: Output) -> Output:
        amounts = self.amounts(a)
        if amounts is None:
            return None
        if amounts[0] == 0 and shape[1] is not None:
            # tf-keras concatenates size copies of each known step: none is an error
            raise ShapeError("KC301", "repeat every step at least once", layer=a.layer, argument="size",
                             value="0", detail=f"tf-keras cannot repeat the {shape[1]} steps 0 times")
        return (shape[0], None if shape[1] is None else shape[1] * amounts[0], shape[2])


@register
class UpSampling2D(UpSampling):
    """``UpSampling2D(size=(2, 2), data_format=None, interpolation='nearest')``."""

    types = ("UpSampling2D",)
    signature = (("size", (2, 2)), ("data_format", None), ("interpolation", "nearest"))
    ndim = 4
    count = 2

    def output_shape(self, a: Args, shape: Output) -> Output:
        out, axes = super().output_shape(a, shape), spatial_axes(a, len(shape), self.count)
        if a.context.keras_version == 2 and out is not None and axes and None in [shape[i] for i in axes]:
            # tf-keras resizes to a size computed at run time when a side is unknown: both are
            return tuple(None if i in axes else d for i, d in enumerate(out))
        return out


@register
class UpSampling3D(UpSampling):
    """``UpSampling3D(size=(2, 2, 2), data_format=None)``."""

    types = ("UpSampling3D",)
    signature = (("size", (2, 2, 2)), ("data_format", None))
    ndim = 5
    count = 3

    def check_input(self, a: Args, shape: Output) -> None:
        """tf-keras sets the layer's input spec before ``Layer.__init__`` resets it: any input
        with the three axes it repeats (1-3, or 2-4 for channels_first) is taken."""
        if a.context.keras_version != 2 or not isinstance(shape, tuple):
            return super().check_input(a, shape)
        axes = spatial_axes(a, len(shape), self.count)
        if axes is not None and len(shape) <= axes[-1]:
            raise rank_error(a.layer, f"at least {axes[-1] + 1}D", shape, self.input_hint)
        return None
