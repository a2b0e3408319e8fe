"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.

Each takes a list of tensors. Keras 3 checks them when the layer is built: element-wise
merges broadcast the per-sample shapes aligned on the right (a size-1 or unknown dim matches
anything), Concatenate needs equal shapes except the axis, Dot needs equal sizes on the axes.

tf-keras (Keras 2) checks the same at build, then takes the output shape from the TensorFlow op
it runs, which knows more: an element-wise merge broadcasts the whole shapes, batch included,
where a known size above 1 wins over None (``(None, 4)`` and ``(2, None)`` give ``(2, 4)``);
Concatenate gives each other axis its known size and rejects an axis out of range for any
input, even a single one.
"""

from __future__ import annotations

from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Output,
    Shape,
    ShapeError,
    format_shape,
    format_value,
    is_known,
    register,
)
from kerascheck.shapes.symbolic import is_sym


def _shapes(shape: Output) -> str:
    return ", ".join(format_shape(s) for s in shape)


def needs_list(layer: str, shape: Output, count: str = "a list of tensors") -> ShapeError:
    """A merge layer called on one tensor (or on the wrong number of them)."""
    if isinstance(shape, tuple):
        got = format_shape(shape)
    else:
        got = f"{len(shape)} input{'s' if len(shape) != 1 else ''} {_shapes(shape)}"
    return ShapeError("KC203", None, layer=layer, detail=f"it needs {count}, got {got}")


def nested(shape: Output) -> bool:
    """A list holding something other than plain shapes (a multi-output tensor): not modelled."""
    return isinstance(shape, list) and not all(isinstance(s, tuple) for s in shape)


class Unbroadcastable(Exception):
    """Two sizes that differ, neither 1, at ``axis`` counted from the end."""

    def __init__(self, first: int, second: int, axis: int) -> None:
        super().__init__(first, second, axis)
        self.first, self.second, self.axis = first, second, axis


def broadcast(first: Shape, second: Shape) -> Shape:
    """Keras's element-wise merge shape of two per-sample shapes, aligned on the right."""
    if len(first) < len(second):
        first, second = second, first
    if not second:
        return first
    out = list(first[: len(first) - len(second)])
    for axis, (i, j) in enumerate(zip(first[len(first) - len(second):], second), start=-len(second)):
        if i is None or j is None:
            out.append(None)
        elif is_sym(i) != is_sym(j) and (j if is_sym(i) else i) > 1:
            # A size kerascheck does not know against a known one above 1: it is 1 or that
            # size, or Keras raises; whenever the model builds, the output has that size.
            out.append(j if is_sym(i) else i)
        elif i == j:  # asked first: named dims are equal to themselves whatever their values
            out.append(i)
        elif i == 1:
            out.append(j)
        elif j == 1:
            out.append(i)
        else:
            raise Unbroadcastable(i, j, axis)
    return tuple(out)


def tensorflow_broadcast(first: Shape, second: Shape) -> Shape:
    """The static shape TensorFlow gives an element-wise op on two shapes of one rank that
    ``broadcast`` accepted: a known size above 1 wins over None, and 1 against None is None."""
    out = []
    for i, j in zip(first, second):
        if i is None or j is None:
            known = j if i is None else i
            out.append(known if isinstance(known, int) and known > 1 else None)
        else:
            out.append(j if i == 1 else i)
    return tuple(out)


def tensorflow_op_shape(first: Shape, second: Shape) -> Shape:
    """TensorFlow's static shape for an element-wise op on two shapes of any ranks (aligned on
    the right, the shorter padded with 1s); ``Unbroadcastable`` where they clash."""
    rank = max(len(first), len(second))
    first, second = (1,) * (rank - len(first)) + tuple(first), (1,) * (rank - len(second)) + tuple(second)
    broadcast(first, second)
    return tensorflow_broadcast(first, second)


def keras2_elementwise(shapes: list) -> Shape:
    """tf-keras's element-wise merge: lower ranks expanded at axis 1, then TensorFlow's op."""
    rank = max(len(s) for s in shapes)
    expanded = [(s[0],) + (1,) * (rank - len(s)) + tuple(s[1:]) if s else s for s in shapes]
    merged = expanded[0]
    for other in expanded[1:]:
        merged = tensorflow_broadcast(merged, other)
    return merged


class ElementwiseMerge(LayerRule):
    """Add, Multiply, Average, Maximum, Minimum: one or more tensors, broadcast together."""

    multi_input = True
    exact_inputs: int | None = None

    def output_shape(self, a: Args, shape: Output) -> Output:
        if nested(shape):
            return None
        if not isinstance(shape, list) or not shape:
            raise needs_list(a.layer, shape)
        if self.exact_inputs is not None and len(shape) != self.exact_inputs:
            raise needs_list(a.layer, shape, f"exactly {self.exact_inputs} inputs")
        batches = {s[0] for s in shape if s} - {None}
        if len(batches) > 1:
            raise ShapeError("KC203", None, layer=a.layer,
                             detail=f"different batch sizes in {_shapes(shape)}")
        merged = shape[0][1:]
        try:
            for other in shape[1:]:
                merged = broadcast(merged, other[1:])
        except Unbroadcastable as clash:
            raise ShapeError("KC203", "sizes must be equal or 1, aligned from the last axis; project "
                             "a branch (Dense/Conv) to the other's size", layer=a.layer,
                             detail=f"{_shapes(shape)} cannot be broadcast: {clash.first} vs "
                             f"{clash.second} on axis {clash.axis}") from None
        if a.context.keras_version == 2 and all(shape):
            return keras2_elementwise(shape)
        return ((batches.pop() if batches else None),) + merged


@register
class Add(ElementwiseMerge):
    types = ("Add",)


@register
class Subtract(ElementwiseMerge):
    types = ("Subtract",)
    exact_inputs = 2


@register
class Multiply(ElementwiseMerge):
    types = ("Multiply",)


@register
class Average(ElementwiseMerge):
    types = ("Average",)


@register
class Maximum(ElementwiseMerge):
    types = ("Maximum",)


@register
class Minimum(ElementwiseMerge):
    types = ("Minimum",)


@register
class Concatenate(LayerRule):
    """``Concatenate(axis=-1)``: equal ranks, equal known sizes except on ``axis``."""

    types = ("Concatenate",)
    signature = (("axis", -1),)
    multi_input = True

    def check_args(self, a: Args) -> None:
        axis = a["axis"]
        if is_known(axis) and not isinstance(axis, int):
            raise ShapeError("KC303", layer=a.layer, argument="axis", value=format_value(axis),
                             detail="expected an integer")

    def output_shape(self, a: Args, shape: Output) -> Output:
        if nested(shape):
            return None
        if not isinstance(shape, list) or not shape:
            raise needs_list(a.layer, shape)
        axis = a["axis"]
        if not is_known(axis):
            return None
        axis = int(axis)
        if a.context.keras_version == 2:
            return self._keras2_output(a, axis, shape)
        # Keras drops index ``axis`` from each shape only when ``len(shape) > axis``, then
        # compares what is left; out-of-range axes fail while computing the output.
        reduced = []
        for s in shape:
            rest = list(s)
            if len(rest) > axis:
                if axis < -len(rest):
                    raise self._bad_axis(a, axis, s)
                del rest[axis]
            reduced.append(tuple(rest))
        if len({len(r) for r in reduced}) > 1:
            raise self._mismatch(a, shape, "different ranks")
        for dims in zip(*reduced):
            # Pairwise, not with a set: named dims answer == only when their values do not matter.
            known = [d for d in dims if d is not None]
            if any(d != known[0] for d in known[1:]):
                raise self._mismatch(a, shape, "sizes differ outside the concatenation axis")
        out = list(shape[0])
        for s in shape[1:]:  # Keras stops at the first unknown size, unchecked after it
            if not -len(out) <= axis < len(out):
                raise self._bad_axis(a, axis, shape[0])
            if out[axis] is None:
                break
            if not -len(s) <= axis < len(s):
                raise self._bad_axis(a, axis, s)
            if s[axis] is None:
                out[axis] = None
                break
            out[axis] += s[axis]
        return tuple(out)

    def _keras2_output(self, a: Args, axis: int, shape: list) -> Shape:
        """tf-keras: the same checks, then ``tf.concat``'s shape (each other axis its known size)."""
        for s in shape:
            if not -len(s) <= axis < len(s):
                raise self._bad_axis(a, axis, s)
        reduced = [s[:axis % len(s)] + s[axis % len(s) + 1:] for s in shape]
        if len({len(r) for r in reduced}) > 1:
            raise self._mismatch(a, shape, "different ranks")
        out = []
        for position, dims in enumerate(zip(*shape)):
            if position == axis % len(shape[0]):
                out.append(None if None in dims else sum(dims))
                continue
            known = [d for d in dims if d is not None]
            if any(d != known[0] for d in known[1:]):
                raise self._mismatch(a, shape, "sizes differ outside the concatenation axis")
            out.append(known[0] if known else None)
        return tuple(out)

    def _mismatch(self, a: Args, shape: list, why: str) -> ShapeError:
        return ShapeError("KC203", "only the concatenation axis may differ; project or reshape "
                          "a branch so the other axes match", layer=a.layer,
                          detail=f"{_shapes(shape)} on axis={a['axis']}: {why}")

    def _bad_axis(self, a: Args, axis: int, shape: Shape) -> ShapeError:
        return ShapeError("KC303", layer=a.layer, argument="axis", value=format_value(axis),
                          detail=f"out of range for {len(shape)}D input {format_shape(shape)}")


@register
class Dot(LayerRule):
    """``Dot(axes, normalize=False)``: batched dot product of exactly two tensors. tf-keras's
    ``batch_dot`` also rejects the batch axis (axis 0, or a negative axis that is it) and
    known batch sizes that differ; the output takes the batch size either input knows."""

    types = ("Dot",)
    signature = (("axes", REQUIRED), ("normalize", False))
    multi_input = True

    def check_args(self, a: Args) -> None:
        axes = a.required("axes")
        if not is_known(axes) or isinstance(axes, int):
            return
        if not isinstance(axes, (list, tuple)):
            raise ShapeError("KC303", layer=a.layer, argument="axes", value=format_value(axes),
                             detail="expected an int or a list of two ints")
        if len(axes) != 2:
            raise ShapeError("KC303", layer=a.layer, argument="axes", value=format_value(axes),
                             detail="expected two elements")
        if any(is_known(x) and not isinstance(x, int) for x in axes):
            raise ShapeError("KC303", layer=a.layer, argument="axes", value=format_value(axes),
                             detail="elements must be integers")

    def output_shape(self, a: Args, shape: Output) -> Output:
        if nested(shape):
            return None
        if not isinstance(shape, list) or len(shape) != 2:
            raise needs_list(a.layer, shape, "a list of exactly 2 inputs")
        axes = a.required("axes")
        if not is_known(axes) or (isinstance(axes, (list, tuple)) and not all(map(is_known, axes))):
            return None
        first, second = shape
        if isinstance(axes, int):
            pair = [axes % len(first), axes % len(second)] if axes < 0 else [axes, axes]
        else:
            pair = list(axes)
        for s, axis in zip(shape, pair):
            if not -len(s) <= axis < len(s):
                raise ShapeError("KC303", layer=a.layer, argument="axes", value=format_value(axes),
                                 detail=f"axis {axis} is out of range for {len(s)}D input {format_shape(s)}")
        if first[pair[0]] != second[pair[1]]:  # Keras compares exactly: None differs from 8
            raise ShapeError("KC203", "the dot product sums over these axes; their sizes must be "
                             "equal and known alike", layer=a.layer,
                             detail=f"{format_shape(first)} axis {pair[0]} has size {first[pair[0]]}, "
                             f"{format_shape(second)} axis {pair[1]} has size {second[pair[1]]}")
        left, right = list(first), list(second)
        left.pop(pair[0])
        right.pop(pair[1])
        if not right:
            raise ShapeError("KC303", layer=a.layer, argument="axes", value=format_value(axes),
                             detail=f"leaves nothing of the second input {format_shape(second)}")
        right.pop(0)
        out = left + right
        if a.context.keras_version == 2:
            out[0] = self._keras2_batch(a, shape, pair)
        return tuple(out + [1] if len(out) == 1 else out)

    def _keras2_batch(self, a: Args, shape: list[Shape], pair: list[int]) -> int | None:
        """The output's batch size in tf-keras, after its batch_dot's own checks."""
        if 0 in [axis % len(s) for s, axis in zip(shape, pair)]:
            raise ShapeError("KC303", layer=a.layer, argument="axes", value=format_value(a["axes"]),
                             detail="tf-keras cannot take the dot product over the batch axis (0)")
        batches = {s[0] for s in shape} - {None}
        if len(batches) > 1:
            raise ShapeError("KC203", None, layer=a.layer, detail=f"different batch sizes in {_shapes(shape)}")
        return batches.pop() if batches else None
