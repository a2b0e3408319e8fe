"""Output-length arithmetic of convolution, pooling and transposed convolution, as Keras 3 does it.

Keras computes these in ``keras/src/ops/operation_utils.py`` (``compute_conv_output_shape``,
``compute_pooling_output_shape``) and ``backend/common/backend_utils.py``
(``compute_conv_transpose_output_shape``). Every function here takes one spatial axis and
returns ``None`` when the length or an argument is unknown; lengths of zero or less are
returned as computed, and the rule decides whether Keras rejects them.

Also here: reading ``data_format``, splitting a shape into spatial axes and channels, the
KC201 error for a non-positive length, and the advice when a conv/pool output has the wrong
rank for the next layer.
"""

from __future__ import annotations

import re
from math import prod
from typing import Optional, Sequence

from kerascheck.shapes.base import Args, Dim, Shape, ShapeError, format_shape, format_value, is_int, is_known
from kerascheck.shapes.symbolic import certainly

DATA_FORMATS = ("channels_last", "channels_first")
AXIS_NAMES = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}


# ---- one spatial axis ------------------------------------------------------------------------


def dilated(kernel: int, dilation: int) -> int:
    """The span of a kernel with holes: ``dilation * (kernel - 1) + 1``."""
    return dilation * (kernel - 1) + 1


def conv_length(length: Dim, kernel: Optional[int], stride: Optional[int], padding: Optional[str],
                dilation: Optional[int] = 1) -> Dim:
    """``floor((length - span) / stride) + 1`` for 'valid'; ``ceil(length / stride)`` for 'same'/'causal'."""
    if length is None or stride is None or padding is None:
        return None
    if padding in ("same", "causal"):
        return (length - 1) // stride + 1
    if kernel is None or dilation is None:
        return None
    return (length - dilated(kernel, dilation)) // stride + 1


def pool_length(length: Dim, pool: Optional[int], stride: Optional[int], padding: Optional[str]) -> Dim:
    """``floor((length - pool) / stride) + 1`` for 'valid'; ``ceil(length / stride)`` for 'same'."""
    return conv_length(length, pool, stride, padding, 1)


def transpose_length(length: Dim, kernel: Optional[int], stride: Optional[int], padding: Optional[str],
                     output_padding: Optional[int], dilation: Optional[int] = 1) -> Dim:
    """The length a transposed convolution produces (Keras's ``_get_output_shape_given_tf_padding``).

    Without ``output_padding``: 'valid' gives ``(length - 1) * stride + max(span, stride)``,
    'same' gives ``length * stride``. With it: ``(length - 1) * stride + span + output_padding``
    ('valid') or ``(length - 1) * stride + span % 2 + output_padding`` ('same'), which can be 0.
    """
    if length is None or stride is None or padding is None:
        return None
    if padding == "same" and output_padding is None:
        return length * stride
    if kernel is None or dilation is None:
        return None
    span = dilated(kernel, dilation)
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return (length - 1) * stride + span + extra
    return (length - 1) * stride + span % 2 + output_padding


# ---- arguments -------------------------------------------------------------------------------


def int_tuple(a: Args, name: str, n: int, allow_zero: bool = False) -> tuple | None:
    """Keras's ``standardize_tuple`` like ``Args.int_tuple``, keeping the known items of a tuple
    with unknown ones: ``(3, UNKNOWN)`` gives ``(3, None)``."""
    value = a[name]
    if not (isinstance(value, (tuple, list)) and len(value) == n and not all(is_known(v) for v in value)):
        return a.int_tuple(name, n, allow_zero)
    lowest = 0 if allow_zero else 1
    if not all(is_int(v) and v >= lowest for v in value if is_known(v)):
        what = "non-negative" if allow_zero else "positive"
        raise ShapeError("KC303", layer=a.layer, argument=name, value=format_value(value),
                         detail=f"expected {what} integers")
    return tuple(v if is_known(v) else None for v in value)


def known(values: Sequence[Optional[int]] | None) -> list[int]:
    """The known items of a standardised tuple (none when it is unknown)."""
    return [v for v in values or () if v is not None]


def check_dilated_strides(a: Args, strides: tuple | None, dilation: tuple | None) -> None:
    """KC303 for strides > 1 with dilation_rate > 1, which Keras 3 convolutions refuse at creation."""
    if max(known(strides), default=1) > 1 and max(known(dilation), default=1) > 1:
        raise ShapeError("KC303", "use strides=1 with dilation_rate > 1, or dilation_rate=1 with strides > 1",
                         layer=a.layer, argument="dilation_rate", value=format_value(a["dilation_rate"]),
                         detail="Keras 3 does not support dilation_rate > 1 together with "
                         f"strides={format_value(a['strides'])}")


def check_nonzero_strides(a: Args, strides: tuple | None) -> None:
    """KC303 for strides of 0, which some layers accept at creation and divide by when built."""
    if 0 in known(strides):
        raise ShapeError("KC303", layer=a.layer, argument="strides", value=format_value(a["strides"]),
                         detail="strides must be positive (Keras divides by them when the layer is built)")


# ---- data_format and axes --------------------------------------------------------------------


def data_format(a: Args) -> str | None:
    """Keras's ``standardize_data_format``: None means the backend's image data format when the
    layer was made; case-insensitive."""
    value = a["data_format"]
    if value is None:
        # Keras reads image_data_format() from ~/.keras/keras.json: unless the program set it, its default is assumed.
        return default_data_format(a)
    if not is_known(value):
        return None
    text = str(value).lower()
    if text not in DATA_FORMATS:
        raise ShapeError("KC302", layer=a.layer, argument="data_format", value=format_value(value),
                         allowed=", ".join(repr(f) for f in DATA_FORMATS))
    return text


def default_data_format(a: Args) -> str | None:
    """The format a layer given no ``data_format`` takes (None: unknown)."""
    fmt = a.node.image_data_format
    return fmt if is_known(fmt) else None


def split(shape: Shape, fmt: str) -> tuple[tuple, Dim]:
    """``(spatial dims, channels)`` of a batched shape in ``fmt``."""
    if fmt == "channels_first":
        return tuple(shape[2:]), shape[1]
    return tuple(shape[1:-1]), shape[-1]


def join(batch: Dim, spatial: Sequence[Dim], channels: Dim, fmt: str) -> Shape:
    """The inverse of ``split``."""
    if fmt == "channels_first":
        return (batch, channels) + tuple(spatial)
    return (batch,) + tuple(spatial) + (channels,)


def axes_hint(rank: int, fmt: str | None, prefix: tuple[str, ...] = ("batch",)) -> str:
    """What the axes mean, for rank messages: ``(batch, steps, channels)``."""
    spatial = AXIS_NAMES[rank]
    axes = ("channels",) + spatial if fmt == "channels_first" else spatial + ("channels",)
    return "(" + ", ".join(prefix + axes) + ")"


def kernel_volume(sizes: Sequence[Optional[int]] | None) -> int | None:
    """The number of positions in a kernel window, None when unknown."""
    if sizes is None or any(s is None for s in sizes):
        return None
    return prod(sizes)


def conv_lengths(layer: str, shape: Shape, spatial: Sequence[Dim], kernel: tuple | None, strides: tuple | None,
                 dilation: tuple | None, padding: str | None) -> list:
    """Every spatial axis's convolution output length; KC201 when a 'valid' kernel does not fit."""
    lengths = []
    for i, length in enumerate(spatial):
        k = kernel[i] if kernel else None
        s = strides[i] if strides else None
        d = dilation[i] if dilation else None
        out = conv_length(length, k, s, padding, d)
        if padding == "valid" and out is not None and certainly(lambda: out <= 0):
            raise non_positive(layer, shape, i, len(spatial), length, out, "kernel", k, dilated(k, d), s, padding)
        lengths.append(out)
    return lengths


# ---- errors and advice -----------------------------------------------------------------------


def non_positive(layer: str, shape: Shape, axis: int, rank: int, length: int, got: int,
                 window: str, window_size: int, span: int, stride: int, padding: str) -> ShapeError:
    """KC201 for a 'valid' window longer than the input along ``axis`` (0-based spatial axis).

    ``window`` is how the argument is called ("kernel", "pool_size"); ``span`` its dilated size.
    """
    where = "" if rank == 1 else f" along {AXIS_NAMES[rank][axis]} (spatial axis {axis + 1})"
    size = f"{window} {window_size}" if span == window_size else f"{window} {window_size} dilated to {span}"
    detail = (f"length {got}{where} (input {format_shape(shape)} has length {length}, {size}, "
              f"strides {stride}, padding {padding!r})")
    if _channels_first_input(shape, axis, rank, length, span):
        moved = format_shape((shape[0], *shape[2:], shape[1]))
        hint = (f"the input looks channels-first ({length} channel{'s' if length > 1 else ''} before "
                f"{format_shape(tuple(shape[2:]))[1:-1]}): make it {moved} (arrays: np.moveaxis(x, 1, -1)), "
                f"or set data_format='channels_first' on the layers")
    elif span == window_size:
        hint = f"use padding='same' or a {window} of at most {length}"
    else:
        hint = f"use padding='same', or a smaller {window} or dilation_rate (span at most {length})"
    return ShapeError("KC201", hint, layer=layer, detail=detail)


def _channels_first_input(shape: Shape, axis: int, rank: int, length: int, span: int) -> bool:
    """Whether a channels-last window fails on a first axis that reads as channels (1, 3 or 4:
    grey, RGB, RGBA) while the last axis, taken for channels, would fit it: Theano-ordered data."""
    if axis != 0 or rank < 2 or not isinstance(shape, tuple) or len(shape) != rank + 2 or length not in (1, 3, 4):
        return False
    last = shape[-1]
    return isinstance(last, int) and last >= span and last > 4


def reshape_advice(produced: Shape, wanted: str, what: str) -> str | None:
    """How to turn ``produced`` into the rank named in ``wanted`` ("3D (batch, ...)", "at least 4D").

    ``what`` names the output ("outputs", "pools to"), e.g. "outputs 4D (None, 8, 8, 16); add ...".
    """
    match = re.search(r"(\d+)D", wanted)
    if match is None:
        return None
    target, have = int(match.group(1)), len(produced)
    inner = produced[1:]
    stated = f"{what} {have}D {format_shape(produced)}"
    if target == have or target < 2:
        return None
    if target == 2:
        return f"{stated}; add Flatten() (or a global pooling layer) after it"
    if target < have:
        keep, merged = inner[: target - 2], inner[target - 2:]
        alternative = " (or TimeDistributed(Flatten()))" if target == 3 else ""
        if all(d is not None for d in keep):
            merged_size = prod(merged) if all(d is not None for d in merged) else -1
            new_shape = tuple(keep) + (merged_size,)
            return (f"{stated}; add Reshape({new_shape!r}){alternative} after it "
                    f"to merge the last {len(merged)} axes")
        if target == 3:
            return f"{stated}; add TimeDistributed(Flatten()) after it to merge the last {len(merged)} axes"
        return f"{stated}; add a Reshape to {target}D after it"
    if all(d is not None for d in inner):
        new_shape = tuple(inner) + (1,) * (target - have)
        return f"{stated}; add Reshape({new_shape!r}) after it, or use a {have - 2}D layer"
    return f"{stated}; add a Reshape to {target}D after it, or use a {have - 2}D layer"
