"""Pooling layers: Max/AveragePooling1D/2D/3D, their global versions (with the short aliases) and
Keras 3.15's AdaptiveMax/AveragePooling1D/2D/3D.

Keras 3 semantics (``keras/src/layers/pooling/``): input rank exactly ``rank + 2``; ``strides``
defaults to ``pool_size``; unlike convolutions, ``padding`` is case-sensitive and only checked
when the layer is built (kerascheck reports it at the layer either way); ``strides=0`` passes
construction and fails at build with a division by zero. Pooling has no weights.
tf-keras (Keras 2) differs: ``padding`` is lower-cased like a convolution's, and
AveragePooling's ``pool_size`` defaults to 2 per axis like MaxPooling's (Keras 3 requires it).
On TensorFlow, AdaptiveMaxPooling kills the Python process (SIGFPE, no exception) when the
last spatial axis or its output size is 1 (Keras 3.15); AdaptiveAveragePooling does not.
"""

from __future__ import annotations

from typing import Any

from kerascheck.shapes import ops
from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    Output,
    Shape,
    ShapeError,
    describe,
    format_value,
    is_known,
    rank_error,
    register,
)
from kerascheck.shapes.convolutional import SpatialRule
from kerascheck.shapes.symbolic import certainly

PADDINGS = ("valid", "same")


def _signature(default_pool: Any) -> tuple:
    return (("pool_size", default_pool), ("strides", None), ("padding", "valid"), ("data_format", None))


class _Pooling(SpatialRule):
    """A window of ``pool_size`` moved by ``strides`` over each spatial axis."""

    signature = _signature(REQUIRED)

    def window(self, a: Args) -> tuple[Any, Any, str | None]:
        """``(pool_size, strides, padding)`` standardised; parts None when unknown."""
        pool = ops.int_tuple(a, "pool_size", self.rank)
        name = "pool_size" if a["strides"] is None else "strides"
        strides = ops.int_tuple(a, name, self.rank, allow_zero=True)
        padding = a["padding"]
        if a.context.keras_version == 2:
            return pool, strides, a.option("padding", PADDINGS)
        if isinstance(padding, str) and padding.lower() in PADDINGS and padding not in PADDINGS:
            raise ShapeError("KC302", f"pooling layers compare padding case-sensitively; use {padding.lower()!r}",
                             layer=a.layer, argument="padding", value=format_value(padding),
                             allowed=", ".join(repr(p) for p in PADDINGS))
        return pool, strides, a.option("padding", PADDINGS, lower=False)

    def check_args(self, a: Args) -> None:
        a.required("pool_size")
        _, strides, _ = self.window(a)
        ops.data_format(a)
        ops.check_nonzero_strides(a, strides)

    def output_shape(self, a: Args, shape: Output) -> Output:
        fmt = ops.data_format(a)
        if fmt is None:
            return None
        spatial, channels = ops.split(shape, fmt)
        pool, strides, padding = self.window(a)
        lengths = []
        for i, length in enumerate(spatial):
            p = pool[i] if pool else None
            s = strides[i] if strides else None
            out = ops.pool_length(length, p, s, padding)
            if padding == "valid" and out is not None and certainly(lambda: out <= 0):
                raise ops.non_positive(a.layer, shape, i, self.rank, length, out, "pool_size", p, p, s, padding)
            lengths.append(out)
        return ops.join(shape[0], lengths, channels, fmt)

    def params(self, a: Args, shape: Output) -> int | None:
        return 0


@register
class MaxPooling1D(_Pooling):
    types = ("MaxPooling1D", "MaxPool1D")
    rank = 1
    signature = _signature(2)


@register
class MaxPooling2D(_Pooling):
    types = ("MaxPooling2D", "MaxPool2D")
    rank = 2
    signature = _signature((2, 2))


@register
class MaxPooling3D(_Pooling):
    types = ("MaxPooling3D", "MaxPool3D")
    rank = 3
    signature = _signature((2, 2, 2))


@register
class AveragePooling1D(_Pooling):
    types = ("AveragePooling1D", "AvgPool1D")
    rank = 1
    keras2_defaults = {"pool_size": 2}


@register
class AveragePooling2D(_Pooling):
    types = ("AveragePooling2D", "AvgPool2D")
    rank = 2
    keras2_defaults = {"pool_size": (2, 2)}


@register
class AveragePooling3D(_Pooling):
    types = ("AveragePooling3D", "AvgPool3D")
    rank = 3
    keras2_defaults = {"pool_size": (2, 2, 2)}


class _GlobalPooling(SpatialRule):
    """Reduces every spatial axis: ``(batch, channels)``, or size-1 axes with ``keepdims=True``."""

    signature = (("data_format", None), ("keepdims", False))

    def check_args(self, a: Args) -> None:
        ops.data_format(a)

    def output_shape(self, a: Args, shape: Output) -> Output:
        fmt, keepdims = ops.data_format(a), a.bool("keepdims")
        if fmt is None or keepdims is None:
            return None
        _, channels = ops.split(shape, fmt)
        return ops.join(shape[0], (1,) * self.rank if keepdims else (), channels, fmt)

    def params(self, a: Args, shape: Output) -> int | None:
        return 0

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        if len(produced) != 2:
            return super().rank_fix(a, produced, wanted)
        local = self.types[0].replace("Global", "")
        return (f"pools away every spatial axis, giving {describe(produced)}; remove it to keep them, "
                f"or use {local} to shorten them")


@register
class GlobalMaxPooling1D(_GlobalPooling):
    types = ("GlobalMaxPooling1D", "GlobalMaxPool1D")
    rank = 1


@register
class GlobalMaxPooling2D(_GlobalPooling):
    types = ("GlobalMaxPooling2D", "GlobalMaxPool2D")
    rank = 2


@register
class GlobalMaxPooling3D(_GlobalPooling):
    types = ("GlobalMaxPooling3D", "GlobalMaxPool3D")
    rank = 3


@register
class GlobalAveragePooling1D(_GlobalPooling):
    types = ("GlobalAveragePooling1D", "GlobalAvgPool1D")
    rank = 1


@register
class GlobalAveragePooling2D(_GlobalPooling):
    types = ("GlobalAveragePooling2D", "GlobalAvgPool2D")
    rank = 2


@register
class GlobalAveragePooling3D(_GlobalPooling):
    types = ("GlobalAveragePooling3D", "GlobalAvgPool3D")
    rank = 3


class _AdaptivePooling(SpatialRule):
    """AdaptiveMax/AveragePoolingND (Keras 3.15+): resizes the spatial axes to ``output_size``.

    Keras gives these layers no InputSpec and checks nothing when building: any rank builds to
    ``(batch, *output_size, channels)`` (kerascheck follows the build), a size of 0 or None
    too. Sizes that are not positive integers always fail when the model runs (a division by
    zero, an uncomputable None): kerascheck reports them. ``data_format`` is case-sensitive.
    """

    signature = (("output_size", REQUIRED), ("data_format", None))

    def output_size(self, a: Args) -> tuple | None:
        """An int or a tuple of ``rank`` positive ints; items None when unknown."""
        value = a.required("output_size")
        if not is_known(value):
            return None
        if isinstance(value, int):
            items: tuple = (value,) * self.rank
        elif isinstance(value, (tuple, list)) and len(value) == self.rank:
            items = tuple(value)
        else:
            raise ShapeError("KC303", layer=a.layer, argument="output_size", value=format_value(value),
                             detail=f"expected an int or a tuple of {self.rank} ints")
        if not all(not is_known(v) or (isinstance(v, int) and v > 0) for v in items):
            raise ShapeError("KC303", layer=a.layer, argument="output_size", value=format_value(value),
                             detail="expected positive integers (the layer fails when it runs)")
        return tuple(int(v) if is_known(v) else None for v in items)

    def data_format(self, a: Args) -> str | None:
        value = a["data_format"]
        if value is None:
            return ops.default_data_format(a)
        if not is_known(value):
            return None
        if value not in ops.DATA_FORMATS:
            raise ShapeError("KC302", layer=a.layer, argument="data_format", value=format_value(value),
                             allowed=", ".join(repr(f) for f in ops.DATA_FORMATS))
        return value

    def check_args(self, a: Args) -> None:
        self.output_size(a)
        self.data_format(a)

    def check_input(self, a: Args, shape: Output) -> None:
        if isinstance(shape, tuple) and len(shape) < 2 and self.data_format(a) == "channels_first":
            raise rank_error(a.layer, "at least 2D", shape, ops.axes_hint(self.rank, "channels_first"))

    def output_shape(self, a: Args, shape: Output) -> Output:
        size, fmt = self.output_size(a), self.data_format(a)
        if fmt is None:
            return None
        channels = shape[1] if fmt == "channels_first" else shape[-1]
        return ops.join(shape[0], size if size is not None else (None,) * self.rank, channels, fmt)

    def params(self, a: Args, shape: Output) -> int | None:
        return 0


@register
class AdaptiveMaxPooling1D(_AdaptivePooling):
    types = ("AdaptiveMaxPooling1D",)
    rank = 1


@register
class AdaptiveMaxPooling2D(_AdaptivePooling):
    types = ("AdaptiveMaxPooling2D",)
    rank = 2


@register
class AdaptiveMaxPooling3D(_AdaptivePooling):
    types = ("AdaptiveMaxPooling3D",)
    rank = 3


@register
class AdaptiveAveragePooling1D(_AdaptivePooling):
    types = ("AdaptiveAveragePooling1D",)
    rank = 1


@register
class AdaptiveAveragePooling2D(_AdaptivePooling):
    types = ("AdaptiveAveragePooling2D",)
    rank = 2


@register
class AdaptiveAveragePooling3D(_AdaptivePooling):
    types = ("AdaptiveAveragePooling3D",)
    rank = 3
