"""Shape arithmetic of NumPy operations, on shapes whose dims may be unknown (``None``).

Where NumPy itself knows the rule (broadcasting, reshape with ``-1``) it is asked, on
zero-byte arrays, so no data is ever allocated. Anything that cannot be decided statically
raises ``Unresolved`` (the caller then answers UNKNOWN); unknown dims never raise.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from kerascheck.graph import UNKNOWN

Shape = tuple  # tuple[int | None, ...]


class Unresolved(Exception):
    """The result cannot be known statically (or NumPy would raise: not our diagnosis)."""


class Raises(Unresolved):
    """NumPy raises here, whatever the data, with this message (a diagnosis: it is reported),
    and ``hint``, the call that would work when there is an obvious one."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def dim(value: Any) -> Optional[int]:
    """One dimension: a non-negative int, or None when unknown."""
    if value is None or value is UNKNOWN:
        return None
    if is_int(value) and value >= 0:
        return value
    raise Unresolved(value)


def shape_arg(value: Any) -> Shape:
    """A shape argument as NumPy reads it: an int or a sequence of ints."""
    if is_int(value):
        return (dim(value),)
    if isinstance(value, (tuple, list)):
        return tuple(dim(v) for v in value)
    raise Unresolved(value)


def product(shape: Shape) -> Optional[int]:
    total = 1
    for d in shape:
        if d is None:
            return None
        total *= d
    return total


def axis_arg(axis: Any, ndim: int) -> int:
    """A single axis, normalised to ``0 <= axis < ndim``."""
    if not is_int(axis) or not -ndim <= axis < ndim:
        raise Unresolved(axis)
    return axis % ndim


def axes_arg(axis: Any, ndim: int) -> tuple[int, ...]:
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    normalised = tuple(axis_arg(a, ndim) for a in axes)
    if len(set(normalised)) != len(normalised):
        raise Unresolved(axis)
    return normalised


def _zero_bytes(shape: Shape) -> Any:
    import numpy as np

    return np.empty(shape, dtype=[])  # itemsize 0: any shape costs nothing


def broadcast(a: Shape, b: Shape) -> Shape:
    """NumPy broadcasting; an unknown dim against 1 stays unknown, against k gives k."""
    import numpy as np

    try:
        known = np.broadcast_shapes(*(tuple(1 if d is None else d for d in s) for s in (a, b)))
    except ValueError as error:
        raise Unresolved((a, b)) from error
    n = len(known)
    padded = [(1,) * (n - len(s)) + tuple(s) for s in (a, b)]
    result = []
    for i, d in enumerate(known):
        unknown = any(s[i] is None for s in padded)
        result.append(None if unknown and d == 1 else d)
    return tuple(result)


def reshape(shape: Shape, new: Any) -> Shape:
    """``reshape(new)``: NumPy resolves ``-1`` and rejects size mismatches."""
    target = new if isinstance(new, (tuple, list)) else (new,)
    if not all(is_int(d) or d is UNKNOWN or d is None for d in target):
        raise Unresolved(new)
    if sum(1 for d in target if d == -1) > 1 or any(is_int(d) and d < -1 for d in target):
        raise Unresolved(new)
    if any(d is UNKNOWN or d is None for d in target) or None in shape:
        # -1 cannot be resolved against an unknown size; other dims are as written.
        return tuple(None if d is UNKNOWN or d is None or d == -1 else d for d in target)
    try:
        return tuple(_zero_bytes(shape).reshape(tuple(target)).shape)
    except ValueError as error:
        raise Raises(str(error), _reshape_hint(shape, tuple(target))) from error


def _reshape_hint(shape: Shape, target: Shape) -> str | None:
    """``reshape(-1, ...)`` when the array's size fits the target's trailing dims."""
    from kerascheck.shapes.base import format_shape
    size, rest = product(shape), product(target[1:])
    if len(target) < 2 or -1 in target or not rest or size % rest:
        return None
    dims = ", ".join(str(d) for d in target[1:])
    return f"reshape(-1, {dims}) gives {size // rest} samples of {format_shape(target[1:])}"


def expand_dims(shape: Shape, axis: Any) -> Shape:
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    ndim = len(shape) + len(axes)
    positions = axes_arg(axes, ndim)
    rest = iter(shape)
    return tuple(1 if i in positions else next(rest) for i in range(ndim))


def squeeze(shape: Shape, axis: Any = None) -> Optional[Shape]:
    """Drop length-1 axes; with unknown dims and no ``axis``, the result is unknown (None)."""
    if axis is None:
        if None in shape:
            return None
        return tuple(d for d in shape if d != 1)
    positions = axes_arg(axis, len(shape))
    if any(shape[i] not in (1, None) for i in positions):
        raise Unresolved(axis)
    return tuple(d for i, d in enumerate(shape) if i not in positions)


def transpose(shape: Shape, axes: Any = None) -> Shape:
    if axes is None:
        return tuple(reversed(shape))
    order = axes_arg(axes, len(shape))
    if len(order) != len(shape):
        raise Unresolved(axes)
    return tuple(shape[i] for i in order)


def swapaxes(shape: Shape, a: Any, b: Any) -> Shape:
    i, j = axis_arg(a, len(shape)), axis_arg(b, len(shape))
    dims = list(shape)
    dims[i], dims[j] = dims[j], dims[i]
    return tuple(dims)


def moveaxis(shape: Shape, source: Any, destination: Any) -> Shape:
    i, j = axis_arg(source, len(shape)), axis_arg(destination, len(shape))
    dims = [d for k, d in enumerate(shape) if k != i]
    dims.insert(j, shape[i])
    return tuple(dims)


def _unify(dims: list[Optional[int]]) -> Optional[int]:
    known = {d for d in dims if d is not None}
    if len(known) > 1:
        raise Unresolved(dims)
    return known.pop() if known else None


def concatenate(shapes: list[Shape], axis: Any = 0) -> Shape:
    if not shapes:
        raise Unresolved(shapes)
    if axis is None:  # flattens every input
        return (_sum([product(s) for s in shapes]),)
    ndim = len(shapes[0])
    if ndim == 0 or any(len(s) != ndim for s in shapes):
        raise Unresolved(shapes)
    k = axis_arg(axis, ndim)
    return tuple(_sum([s[i] for s in shapes]) if i == k else _unify([s[i] for s in shapes])
                 for i in range(ndim))


def _sum(dims: list[Optional[int]]) -> Optional[int]:
    return None if None in dims else sum(dims)


def stack(shapes: list[Shape], axis: Any = 0) -> Shape:
    if not shapes:
        raise Unresolved(shapes)
    ndim = len(shapes[0])
    if any(len(s) != ndim for s in shapes):
        raise Unresolved(shapes)
    common = tuple(_unify([s[i] for s in shapes]) for i in range(ndim))
    k = axis_arg(axis, ndim + 1)
    return common[:k] + (len(shapes),) + common[k:]


def at_least(shape: Shape, n: int) -> Shape:
    """``np.atleast_1d/2d/3d``."""
    if len(shape) >= n:
        return shape
    if n == 3:
        return {0: (1, 1, 1), 1: (1,) + shape + (1,), 2: shape + (1,)}[len(shape)]
    return (1,) * (n - len(shape)) + shape


def reduce(shape: Shape, axis: Any = None, keepdims: bool = False) -> Shape:
    """``sum/mean/max/argmax(axis=...)``."""
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    positions = axes_arg(axis, len(shape))
    if keepdims:
        return tuple(1 if i in positions else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in positions)


def matmul(a: Shape, b: Shape) -> Shape:
    if not a or not b:
        raise Unresolved((a, b))
    a2 = (1,) + a if len(a) == 1 else a
    b2 = b + (1,) if len(b) == 1 else b
    inner = a2[-1], b2[-2]
    if None not in inner and inner[0] != inner[1]:
        raise Unresolved((a, b))
    batch = broadcast(a2[:-2], b2[:-2])
    out = batch + (a2[-2], b2[-1])
    if len(a) == 1:
        out = out[:-2] + out[-1:]
    if len(b) == 1:
        out = out[:-1]
    return out


def slice_length(length: Optional[int], piece: slice) -> Optional[int]:
    parts = (piece.start, piece.stop, piece.step)
    if any(p is UNKNOWN for p in parts) or any(p is not None and not is_int(p) for p in parts):
        return None
    if piece.step == 0:
        raise Unresolved(piece)
    if length is None:
        return None
    return len(range(*piece.indices(length)))


def index(shape: Shape, key: Any, to_array: Callable[[Any], Any]) -> Shape:
    """The shape of ``array[key]`` (basic and single-advanced indexing)."""
    pieces = list(key) if isinstance(key, tuple) else [key]
    if any(p is UNKNOWN for p in pieces) or sum(1 for p in pieces if p is Ellipsis) > 1:
        raise Unresolved(key)
    arrays = [to_array(p) for p in pieces]
    advanced = [i for i, p in enumerate(pieces) if _is_advanced(p)]
    if len(advanced) > 1:
        raise Unresolved(key)
    consumed = sum(_consumes(p, a) for p, a in zip(pieces, arrays))
    if consumed > len(shape):
        raise Unresolved(key)
    if Ellipsis in pieces:
        e = pieces.index(Ellipsis)
        fill = [slice(None)] * (len(shape) - consumed)
        pieces = pieces[:e] + fill + pieces[e + 1:]
        arrays = arrays[:e] + [None] * len(fill) + arrays[e + 1:]
    else:
        pieces += [slice(None)] * (len(shape) - consumed)
        arrays += [None] * (len(shape) - consumed)
    out: list[Optional[int]] = []
    axis = 0
    for piece, arr in zip(pieces, arrays):
        if piece is None:
            out.append(1)
        elif isinstance(piece, slice):
            out.append(slice_length(shape[axis], piece))
            axis += 1
        elif is_int(piece):
            if shape[axis] is not None and not -shape[axis] <= piece < shape[axis]:
                raise Unresolved(key)
            axis += 1
        else:
            out.extend(_advanced_dims(arr))
            axis += _consumes(piece, arr)
    return tuple(out)


def _is_advanced(piece: Any) -> bool:
    return not (piece is None or piece is Ellipsis or isinstance(piece, slice) or is_int(piece))


def _consumes(piece: Any, array: Any) -> int:
    if piece is None or piece is Ellipsis:
        return 0
    if _is_advanced(piece):
        if array is None or array.shape is None:
            raise Unresolved(piece)
        return len(array.shape) if array.dtype == "bool" else 1
    if isinstance(piece, slice) or is_int(piece):
        return 1
    raise Unresolved(piece)


def _advanced_dims(array: Any) -> list[Optional[int]]:
    if array.dtype == "bool":
        return [None]  # how many are True is a runtime fact
    if array.dtype != "int":
        raise Unresolved(array)
    return list(array.shape)
