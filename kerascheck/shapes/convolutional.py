"""Convolution layers: Conv1D/2D/3D, their transposes, separable and depthwise convolutions.

Keras 3 semantics (``keras/src/layers/convolutional/``): arguments are validated when the layer
is created, the input must have exactly ``rank + 2`` dims (InputSpec ``min_ndim`` plus the kernel
shape check of ``compute_conv_output_shape``), and a 'valid' window longer than the input is
rejected when the layer is built, as is a channel axis that is ``None`` (the kernel is
sized from it: KC204).

Keras facts worth knowing (Keras 3.15, TensorFlow backend):
- ``padding`` is case-insensitive here ('SAME' works), unlike pooling layers.
- 'causal' exists for Conv1D only: SeparableConv1D, DepthwiseConv1D and Conv1DTranspose reject it.
- ``strides > 1`` with ``dilation_rate > 1`` is refused by Conv and ConvTranspose layers, but
  DepthwiseConv and SeparableConv accept (and run) it.
- Conv3DTranspose alone takes ``data_format`` positionally before ``output_padding``.
- A transposed convolution never fails on length, yet 'same' with ``output_padding`` gives
  ``(length - 1) * strides + span % 2 + output_padding``, which can be 0 (Keras builds it).
- Input channels not divisible by ``groups`` are refused when building (KC204), filters not
  divisible when creating (KC303).

tf-keras (Keras 2) differs: a Conv1D/2D/3D takes any input of at least ``rank + 2`` dims (InputSpec
``min_ndim`` only) and convolves its last ``rank + 1`` axes, the axes before them being batch
axes: Conv1D(10, 2) on (None, 28, 28, 1) gives (None, 28, 27, 10); ``groups`` None or 0 means 1;
SeparableConv1D takes 'causal' padding too; DepthwiseConv1D/2D build ``depth_multiplier=0`` and
reject strides and dilation both above 1.
"""

from __future__ import annotations

from typing import Any, ClassVar

from kerascheck.shapes import ops
from kerascheck.shapes.activations import check_activation
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
    rank_error,
    register,
)


class SpatialRule(LayerRule):
    """A layer over ``rank`` spatial axes plus channels: exact input rank ``rank + 2``."""

    rank: ClassVar[int] = 1
    axes_prefix: ClassVar[tuple[str, ...]] = ("batch",)

    def rank_on_unknown_input(self) -> int | None:
        return self.rank + len(self.axes_prefix) + 1

    def check_input(self, a: Args, shape: Output) -> None:
        expected = self.rank + len(self.axes_prefix) + 1
        if isinstance(shape, tuple) and len(shape) != expected:
            hint = ops.axes_hint(self.rank, ops.data_format(a), self.axes_prefix)
            raise rank_error(a.layer, f"{expected}D", shape, hint)

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        return ops.reshape_advice(produced, wanted, "outputs")


class _BaseConv(SpatialRule):
    """Shared by every convolution: kernel_size, strides, dilation_rate, padding, data_format."""

    paddings: ClassVar[tuple[str, ...]] = ("valid", "same")
    keras2_paddings: ClassVar[tuple[str, ...] | None] = None  # where tf-keras takes others

    def window(self, a: Args) -> tuple[Any, Any, Any, str | None]:
        """``(kernel_size, strides, dilation_rate, padding)`` standardised; parts None when unknown."""
        kernel = ops.int_tuple(a, "kernel_size", self.rank)
        strides = ops.int_tuple(a, "strides", self.rank)
        dilation = ops.int_tuple(a, "dilation_rate", self.rank)
        keras2 = a.context.keras_version == 2 and self.keras2_paddings is not None
        padding = a.option("padding", self.keras2_paddings if keras2 else self.paddings)
        return kernel, strides, dilation, padding

    def out_channels(self, a: Args, channels: Any) -> Any:
        return a.positive_int("filters")

    def spatial_output(self, a: Args, shape: Shape, spatial: tuple) -> list:
        return ops.conv_lengths(a.layer, shape, spatial, *self.window(a))

    def check_channels(self, a: Args, shape: Shape, channels: Any) -> None:
        """Build-time checks on the input channels (groups)."""

    def output_shape(self, a: Args, shape: Output) -> Output:
        fmt = ops.data_format(a)
        if fmt is None:
            return None
        spatial, channels = ops.split(shape, fmt)
        self.check_channels(a, shape, channels)
        lengths = self.spatial_output(a, shape, spatial)
        return ops.join(shape[0], lengths, self.out_channels(a, channels), fmt)

    def input_channels(self, a: Args, shape: Shape) -> Any:
        fmt = ops.data_format(a)
        return None if fmt is None else ops.split(shape, fmt)[1]

    unsized_errors = ("unsupported operand type(s) for %: 'NoneType' and 'int'",
                      "The channel dimension of the inputs should be defined")

    def weight_axes(self, a: Args, shape: Shape) -> tuple[int, ...]:
        return channel_axis(a)


def channel_axis(a: Args) -> tuple[int, ...]:
    """The channel axis of a convolution's input, by ``data_format`` (none when unknown)."""
    fmt = ops.data_format(a)
    return () if fmt is None else (-1,) if fmt == "channels_last" else (1,)


class _Conv(_BaseConv):
    """Conv1D/2D/3D: ``kernel_size + (channels // groups, filters)`` weights plus a bias."""

    signature = (("filters", REQUIRED), ("kernel_size", REQUIRED), ("strides", 1), ("padding", "valid"),
                 ("data_format", None), ("dilation_rate", 1), ("groups", 1), ("activation", None),
                 ("use_bias", True))

    def check_args(self, a: Args) -> None:
        a.required("filters")
        a.required("kernel_size")
        _, strides, dilation, _ = self.window(a)
        ops.data_format(a)
        check_activation(a)
        filters = a.positive_int("filters")
        groups = groups_of(a)
        if filters is not None and groups is not None and filters % groups:
            raise ShapeError("KC303", f"use a number of filters divisible by {groups}", layer=a.layer,
                             argument="groups", value=format_value(groups),
                             detail=f"filters ({filters}) must be divisible by groups")
        ops.check_dilated_strides(a, strides, dilation)

    def check_input(self, a: Args, shape: Output) -> None:
        if a.context.keras_version == 2 and isinstance(shape, tuple) and len(shape) > self.rank + 2:
            return  # tf-keras: the leading axes are batch axes
        super().check_input(a, shape)

    def output_shape(self, a: Args, shape: Output) -> Output:
        batch_axes = _batch_axes(self.rank, shape)
        if batch_axes == 1:
            return super().output_shape(a, shape)
        inner = super().output_shape(a, (shape[0],) + shape[batch_axes:])
        return None if inner is None else shape[:batch_axes] + inner[1:]

    def input_channels(self, a: Args, shape: Shape) -> Any:
        return super().input_channels(a, (shape[0],) + shape[_batch_axes(self.rank, shape):])

    def check_channels(self, a: Args, shape: Shape, channels: Any) -> None:
        groups = groups_of(a)
        if channels is not None and groups is not None and channels % groups:
            raise ShapeError("KC204", layer=a.layer, expected=f"input channels divisible by groups={groups}",
                             actual=f"{channels} channels in {format_shape(shape)}")

    def params(self, a: Args, shape: Output) -> int | None:
        channels, groups = self.input_channels(a, shape), groups_of(a)
        filters, use_bias = a.positive_int("filters"), a.bool("use_bias")
        volume = ops.kernel_volume(ops.int_tuple(a, "kernel_size", self.rank))
        if None in (channels, groups, filters, use_bias, volume):
            return None
        return volume * (channels // groups) * filters + (filters if use_bias else 0)

    def weight_shapes(self, a: Args, shape: Shape) -> tuple[tuple[str, Shape], ...] | None:
        channels, groups = self.input_channels(a, shape), groups_of(a)
        filters, use_bias = a.positive_int("filters"), a.bool("use_bias")
        kernel = ops.int_tuple(a, "kernel_size", self.rank)
        if None in (groups, filters, use_bias, kernel):
            return None
        inputs = channels // groups if is_int(channels) else None
        return (("kernel", kernel + (inputs, filters)),) + ((("bias", (filters,)),) if use_bias else ())


def _batch_axes(rank: int, shape: Output) -> int:
    """How many leading axes tf-keras treats as batch axes (1 unless the input has more than
    ``rank + 2`` dims, which only tf-keras accepts)."""
    return max(1, len(shape) - rank - 1) if isinstance(shape, tuple) else 1


def groups_of(a: Args) -> Any:
    """``groups``: a positive int in Keras 3; tf-keras reads ``groups or 1`` (0 and None are 1)."""
    value = a["groups"]
    if a.context.keras_version == 2 and (value is None or (is_int(value) and value == 0)):
        return 1
    return a.positive_int("groups")


@register
class Conv1D(_Conv):
    types = ("Conv1D", "Convolution1D")
    rank = 1
    paddings = ("valid", "same", "causal")


@register
class Conv2D(_Conv):
    types = ("Conv2D", "Convolution2D")
    rank = 2


@register
class Conv3D(_Conv):
    types = ("Conv3D", "Convolution3D")
    rank = 3


class _ConvTranspose(_BaseConv):
    """ConvNDTranspose: ``kernel_size + (filters, channels)`` weights plus a bias; never too short."""

    unsized_errors = ("Shapes used to initialize variables must be fully-defined",
                      "The channel dimension of the inputs to `ConvNDTranspose` should be defined")

    signature = (("filters", REQUIRED), ("kernel_size", REQUIRED), ("strides", 1), ("padding", "valid"),
                 ("output_padding", None), ("data_format", None), ("dilation_rate", 1), ("activation", None),
                 ("use_bias", True))

    def output_padding(self, a: Args) -> tuple | None:
        """The standardised output_padding; ``()`` when it is None (Keras's default)."""
        if a["output_padding"] is None:
            return ()
        return ops.int_tuple(a, "output_padding", self.rank, allow_zero=True)

    def check_args(self, a: Args) -> None:
        a.required("filters")
        a.required("kernel_size")
        _, strides, dilation, _ = self.window(a)
        output_padding = self.output_padding(a)
        ops.data_format(a)
        check_activation(a)
        a.positive_int("filters")
        pairs = zip(output_padding or (), strides or ())
        if any(p is not None and s is not None and p >= s for p, s in pairs):
            raise ShapeError("KC303", layer=a.layer, argument="output_padding",
                             value=format_value(a["output_padding"]),
                             detail=f"each value must be less than the strides {strides}")
        ops.check_dilated_strides(a, strides, dilation)

    def spatial_output(self, a: Args, shape: Shape, spatial: tuple) -> list:
        kernel, strides, dilation, padding = self.window(a)
        output_padding = self.output_padding(a)
        lengths = []
        for i, length in enumerate(spatial):
            if output_padding is None or (output_padding and output_padding[i] is None):
                lengths.append(None)  # unknown; an empty tuple stands for Keras's None
                continue
            lengths.append(ops.transpose_length(
                length, kernel[i] if kernel else None, strides[i] if strides else None, padding,
                output_padding[i] if output_padding else None, dilation[i] if dilation else None))
        return lengths

    def params(self, a: Args, shape: Output) -> int | None:
        channels, filters, use_bias = self.input_channels(a, shape), a.positive_int("filters"), a.bool("use_bias")
        volume = ops.kernel_volume(ops.int_tuple(a, "kernel_size", self.rank))
        if None in (channels, filters, use_bias, volume):
            return None
        return volume * filters * channels + (filters if use_bias else 0)


@register
class Conv1DTranspose(_ConvTranspose):
    types = ("Conv1DTranspose", "Convolution1DTranspose")
    rank = 1


@register
class Conv2DTranspose(_ConvTranspose):
    types = ("Conv2DTranspose", "Convolution2DTranspose")
    rank = 2


@register
class Conv3DTranspose(_ConvTranspose):
    types = ("Conv3DTranspose", "Convolution3DTranspose")
    rank = 3
    # Conv3DTranspose alone takes data_format before output_padding.
    signature = (("filters", REQUIRED), ("kernel_size", REQUIRED), ("strides", 1), ("padding", "valid"),
                 ("data_format", None), ("output_padding", None), ("dilation_rate", 1), ("activation", None),
                 ("use_bias", True))


class _Depthwise(_BaseConv):
    """DepthwiseConvND: one ``kernel_size`` filter per channel and multiplier; no strides/dilation check."""

    unsized_errors = ("unsupported operand type(s) for *: 'int' and 'NoneType'",
                      "The channel dimension of the inputs to `DepthwiseConv` should be defined")

    signature = (("kernel_size", REQUIRED), ("strides", 1), ("padding", "valid"), ("depth_multiplier", 1),
                 ("data_format", None), ("dilation_rate", 1), ("activation", None), ("use_bias", True))

    def check_args(self, a: Args) -> None:
        a.required("kernel_size")
        _, strides, dilation, _ = self.window(a)
        ops.data_format(a)
        check_activation(a)
        self.multiplier(a)
        if a.context.keras_version == 2 and strides and dilation and max(strides) > 1 and max(dilation) > 1:
            raise ShapeError("KC303", "use strides=1 with a dilation_rate, or dilation_rate=1", layer=a.layer,
                             argument="strides", value=format_value(a["strides"]),
                             detail="tf-keras's depthwise convolution cannot stride and dilate at once")

    def multiplier(self, a: Args) -> Any:
        """``depth_multiplier``: tf-keras builds 0 (no output channels); Keras 3 needs >= 1."""
        value = a["depth_multiplier"]
        if a.context.keras_version == 2 and is_int(value) and value == 0:
            return 0
        return a.positive_int("depth_multiplier")

    def out_channels(self, a: Args, channels: Any) -> Any:
        multiplier = self.multiplier(a)
        return None if channels is None or multiplier is None else channels * multiplier

    def params(self, a: Args, shape: Output) -> int | None:
        channels, multiplier = self.input_channels(a, shape), self.multiplier(a)
        volume, use_bias = ops.kernel_volume(ops.int_tuple(a, "kernel_size", self.rank)), a.bool("use_bias")
        if None in (channels, multiplier, volume, use_bias):
            return None
        return volume * channels * multiplier + (channels * multiplier if use_bias else 0)


@register
class DepthwiseConv1D(_Depthwise):
    types = ("DepthwiseConv1D",)
    rank = 1


@register
class DepthwiseConv2D(_Depthwise):
    types = ("DepthwiseConv2D",)
    rank = 2


class _Separable(_BaseConv):
    """SeparableConvND: depthwise ``kernel_size x channels x multiplier``, then a 1x1 conv to filters."""

    unsized_errors = ("unsupported operand type(s) for *: 'int' and 'NoneType'",
                      "The channel dimension of the inputs should be defined")

    signature = (("filters", REQUIRED), ("kernel_size", REQUIRED), ("strides", 1), ("padding", "valid"),
                 ("data_format", None), ("dilation_rate", 1), ("depth_multiplier", 1), ("activation", None),
                 ("use_bias", True))

    def check_args(self, a: Args) -> None:
        a.required("filters")
        a.required("kernel_size")
        self.window(a)
        ops.data_format(a)
        check_activation(a)
        a.positive_int("depth_multiplier")
        a.positive_int("filters")

    def params(self, a: Args, shape: Output) -> int | None:
        channels, multiplier = self.input_channels(a, shape), a.positive_int("depth_multiplier")
        filters, use_bias = a.positive_int("filters"), a.bool("use_bias")
        volume = ops.kernel_volume(ops.int_tuple(a, "kernel_size", self.rank))
        if None in (channels, multiplier, filters, volume, use_bias):
            return None
        depthwise = volume * channels * multiplier
        return depthwise + channels * multiplier * filters + (filters if use_bias else 0)


@register
class SeparableConv1D(_Separable):
    types = ("SeparableConv1D", "SeparableConvolution1D")
    rank = 1
    keras2_paddings = ("valid", "same", "causal")


@register
class SeparableConv2D(_Separable):
    types = ("SeparableConv2D", "SeparableConvolution2D")
    rank = 2
