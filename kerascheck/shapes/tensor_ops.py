"""Element-wise, reduction and matrix ``keras.ops`` (and the Python operators on tensors) as
pseudo layers ``ops.<name>``, like those of ``keras_ops.py``.

The frontend passes the operands that are tensors as the call's inputs (one shape, or a list
in parameter order) and an operand that is a Python number as a keyword argument under its
parameter name (``x - 1`` is ``ops.subtract`` on ``x`` with ``x2=1``): a number has shape ``()``.
Keras 3.15 facts (``ops/operation_utils.py``):
- ``broadcast_shapes`` aligns on the right; ``None`` against 1 is ``None``, against ``k`` is ``k``;
  two different known sizes, neither 1, raise (so does TensorFlow for tf-keras's tensors).
- ``reduce_shape``: ``axis=None`` reduces every axis (all ones with ``keepdims``); each axis is
  canonicalised (out of range raises).
- ``compute_matmul_output_shape``: a 1-D operand is promoted and the added axis dropped again;
  known inner sizes must be equal; the leading axes broadcast.
- ``compute_transpose_output_shape``: ``axes`` must be a permutation of every axis.
No op has weights.
"""

from __future__ import annotations

from typing import Any

from kerascheck.shapes.base import Args, Output, Shape, ShapeError, format_shape, is_known, register
from kerascheck.shapes.keras_ops import Op, axes_tuple, axis_error, canonical_axis

NUMBER_TYPES = (int, float, bool)

BINARY = ("add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "mod", "power", "maximum",
          "minimum", "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
          "logical_or", "logical_xor")
UNARY = ("abs", "absolute", "negative", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "square", "sign", "floor",
         "ceil", "round", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "relu6", "elu", "selu", "gelu", "silu",
         "swish", "softplus", "softsign", "hard_sigmoid", "leaky_relu", "erf", "reciprocal", "logical_not",
         "ones_like", "zeros_like", "stop_gradient", "copy", "cast", "clip", "softmax", "log_softmax")
REDUCTIONS = ("mean", "sum", "max", "min", "prod", "std", "var", "any", "all", "logsumexp", "argmax", "argmin")


def broadcast_shapes(a: Args, first: Shape, second: Shape) -> Shape:
    """Keras's ``broadcast_shapes``, raising KC203 where it raises."""
    width = max(len(first), len(second))
    left = (1,) * (width - len(first)) + tuple(first)
    right = (1,) * (width - len(second)) + tuple(second)
    out = []
    for i, j in zip(left, right):
        if i == 1:
            out.append(j)
        elif i is None:
            out.append(None if j == 1 else j)
        elif j == 1 or j is None or i == j:
            out.append(i)
        else:
            raise ShapeError("KC203", layer=a.layer,
                             detail=f"{format_shape(first)} and {format_shape(second)} cannot be broadcast "
                                    f"({i} against {j})")
    return tuple(out)


def _operands(a: Args, shape: Output, names: tuple[str, ...]) -> list[Shape] | None:
    """Each operand's shape in parameter order: the tensors' in turn, ``()`` for a number."""
    tensors = list(shape) if isinstance(shape, list) else [shape]
    if not all(isinstance(s, tuple) for s in tensors):
        return None
    shapes = []
    for name in names:
        if name in a.node.kwargs:
            if not isinstance(a.node.kwargs[name], NUMBER_TYPES):
                return None
            shapes.append(())
        elif tensors:
            shapes.append(tensors.pop(0))
        else:
            return None
    return shapes if not tensors else None


class _Binary(Op):
    """``keras.ops.add(x1, x2)`` and the other element-wise functions of two tensors."""

    signature = (("x1", None), ("x2", None))
    operands = ("x1", "x2")

    def output_shape(self, a: Args, shape: Output) -> Output:
        shapes = _operands(a, shape, ("x1", "x2"))
        return None if shapes is None else broadcast_shapes(a, *shapes)


class _Unary(Op):
    """``keras.ops.exp(x)`` and the other functions whose output has their input's shape."""

    signature = (("x", None),)

    def output_shape(self, a: Args, shape: Output) -> Output:
        return shape if isinstance(shape, tuple) else None


class _Reduction(Op):
    """``keras.ops.mean(x, axis=None, keepdims=False)``: Keras's ``reduce_shape``."""

    signature = (("axis", None), ("keepdims", False))

    def output_shape(self, a: Args, shape: Output) -> Output:
        value, keepdims = a["axis"], a["keepdims"]
        if not isinstance(shape, tuple) or not is_known(value) or not is_known(keepdims):
            return None
        if value is None:
            return (1,) * len(shape) if keepdims else ()
        axes = axes_tuple(value)
        if axes is None or not all(is_known(x) for x in axes):
            return None
        canonical = [canonical_axis(a, "axis", value, x, len(shape)) for x in axes]
        if len(set(canonical)) < len(canonical):
            return None  # a repeated axis: Keras deletes neighbouring axes, NumPy raises
        if keepdims:
            return tuple(1 if i in canonical else d for i, d in enumerate(shape))
        return tuple(d for i, d in enumerate(shape) if i not in canonical)


class _Matmul(Op):
    """``keras.ops.matmul(x1, x2)`` (and ``@``)."""

    types = ("ops.matmul",)
    operands = ("x1", "x2")

    def output_shape(self, a: Args, shape: Output) -> Output:
        if not (isinstance(shape, list) and len(shape) == 2 and all(isinstance(s, tuple) and s for s in shape)):
            return None
        first, second = shape
        one_d = (len(first) == 1, len(second) == 1)
        left = (1, first[0]) if one_d[0] else first
        right = (second[0], 1) if one_d[1] else second
        if left[-1] is not None and right[-2] is not None and left[-1] != right[-2]:
            raise ShapeError("KC203", layer=a.layer,
                             detail=f"the inner sizes of {format_shape(first)} and {format_shape(second)} differ "
                                    f"({left[-1]} against {right[-2]})")
        out = list(broadcast_shapes(a, left[:-2], right[:-2])) + [left[-2], right[-1]]
        if one_d[0]:
            del out[-2]
        if one_d[1]:
            del out[-1]
        return tuple(out)


register(_Matmul)


class _Transpose(Op):
    """``keras.ops.transpose(x, axes=None)``."""

    types = ("ops.transpose",)
    signature = (("axes", None),)

    def output_shape(self, a: Args, shape: Output) -> Output:
        value = a["axes"]
        if not isinstance(shape, tuple) or not is_known(value):
            return None
        if value is None:
            return shape[::-1]
        axes = axes_tuple(value)
        if axes is None or not all(is_known(x) for x in axes):
            return None
        if len(axes) != len(shape):
            raise axis_error(a, "axes", value, f"expected a permutation of the {len(shape)} axes")
        canonical = [canonical_axis(a, "axes", value, x, len(shape)) for x in axes]
        if len(set(canonical)) != len(shape):
            raise axis_error(a, "axes", value, "repeated axis")
        return tuple(shape[i] for i in canonical)


register(_Transpose)

for _name in BINARY:
    register(type(f"Op_{_name}", (_Binary,), {"types": (f"ops.{_name}",)}))
for _name in UNARY:
    register(type(f"Op_{_name}", (_Unary,), {"types": (f"ops.{_name}",)}))
for _name in REDUCTIONS:
    register(type(f"Op_{_name}", (_Reduction,), {"types": (f"ops.{_name}",)}))


@register
class GetItem(Op):
    """``x[key]`` (``keras.ops.get_item``): an int, or a tuple of ints, slices of ints, ``...``
    and ``None`` (newaxis); an axis of unknown size sliced stays unknown, an int index is checked
    against a known size. A bare slice is no key for a KerasTensor (TensorFlow's tensors take it:
    the frontend makes no call for one)."""

    types = ("ops.get_item",)
    signature = (("key", None),)

    def output_shape(self, a: Args, shape: Output) -> Output:
        key = a["key"]
        if not isinstance(shape, tuple):
            return None
        if not isinstance(key, (int, tuple)):
            raise _key_error(a, key, "a KerasTensor takes an int or a tuple as index")
        items = list(key) if isinstance(key, tuple) else [key]
        if items.count(Ellipsis) > 1:
            raise _key_error(a, key, "an index can only have a single ellipsis")
        if Ellipsis not in items:
            items.append(Ellipsis)
        remaining, out = list(shape), []
        while items:
            item = items.pop(0)
            if item is Ellipsis:
                consumed = len(remaining) - (len(items) - items.count(None))
                out += remaining[:consumed]
                remaining = remaining[consumed:]
            elif item is None:
                out.append(1)
            elif not remaining:
                raise _key_error(a, key, f"too many indices for rank {len(shape)}")
            else:
                length = remaining.pop(0)
                if isinstance(item, slice):
                    # a negative size (made upstream by a layer Keras rejects) has no slices to count
                    unsized = length is None or (isinstance(length, int) and length < 0)
                    out.append(None if unsized else len(range(*item.indices(length))))
                elif length is not None and not -length <= item < length:
                    raise _key_error(a, key, f"index {item} is out of bounds for size {length}")
        return tuple(out)


def _key_error(a: Args, key: Any, detail: str) -> ShapeError:
    items = key if isinstance(key, tuple) else (key,)
    text = ", ".join(_item_text(item) for item in items)
    return ShapeError("KC303", layer=a.layer, argument="key", value=f"[{text}]", detail=detail)


def _item_text(item: Any) -> str:
    """An index item as written: ``:``, ``2:10``, ``::2``, ``...``, ``None``, ``-1``."""
    if isinstance(item, slice):
        parts = ["" if p is None else str(p) for p in (item.start, item.stop)]
        return ":".join(parts) + ("" if item.step is None else f":{item.step}")
    return "..." if item is Ellipsis else str(item)
