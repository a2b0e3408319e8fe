"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization,
RMSNormalization, UnitNormalization, and the wrapper SpectralNormalization.

All keep their input shape. Those with weights size them from the normalized axes when the
layer is built, so those axes must exist and have a known size.
``SpectralNormalization(layer)`` gives its layer's output and adds one non-trainable vector as
long as the last axis of the layer's ``kernel`` (or ``embeddings``); Keras refuses layers with
neither (SeparableConv, recurrent layers): kerascheck leaves those unknown.
tf-keras's BatchNormalization also takes a list of axes (an int or a list of ints only: Keras 3
calls ``int(axis)``), its weights sized by the product of their sizes; it and UnitNormalization
reject an axis given twice; its GroupNormalization fails on a 1D input (and on ``axis=-rank``).
"""

from __future__ import annotations

from math import prod
from typing import Any

from kerascheck.graph import LayerNode
from kerascheck.shapes.core import Dense
from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Output,
    Shape,
    ShapeError,
    UnsizedAxis,
    describe,
    format_value,
    is_int,
    is_known,
    non_trainable_params,
    register,
    rule_for,
)


def _axis_error(a: Args, axis: Any, shape: Shape) -> ShapeError:
    return ShapeError("KC303", layer=a.layer, argument="axis", value=format_value(axis),
                      detail=f"out of range for {describe(shape)}")


def sizes_on(a: Args, axes: list[int], shape: Shape, given: Any, weighted: bool = True) -> list:
    """The input's sizes on ``axes``: in range, and known when weights are made of them."""
    sizes = []
    for axis in axes:
        if not -len(shape) <= axis < len(shape):
            raise _axis_error(a, given, shape)
        if shape[axis] is None and weighted:
            raise UnsizedAxis(a.layer, axis, shape, a.rule.unsized_errors)
        sizes.append(shape[axis])
    return sizes


def axis_list(a: Args) -> list[int] | None:
    """``axis`` as an int or a list/tuple of ints; None when unknown."""
    axis = a["axis"]
    if not is_known(axis):
        return None
    if isinstance(axis, (list, tuple)):
        if not all(is_known(x) for x in axis):
            return None
        if all(isinstance(x, int) for x in axis):
            return list(axis)
    elif isinstance(axis, int):
        return [axis]
    raise ShapeError("KC303", layer=a.layer, argument="axis", value=format_value(axis),
                     detail="expected an int or a list/tuple of ints")


def check_range(a: Args, axes: list[int], shape: Shape) -> None:
    for axis in axes:
        if not -len(shape) <= axis < len(shape):
            raise _axis_error(a, a["axis"], shape)


def check_distinct(a: Args, axes: list[int], shape: Shape) -> None:
    """tf-keras's ``validate_axis``: each axis in range, none twice."""
    check_range(a, axes, shape)
    if len({axis % len(shape) for axis in axes}) != len(axes):
        raise ShapeError("KC303", layer=a.layer, argument="axis", value=format_value(a["axis"]),
                         detail="the same axis twice")


class ShapeKeeping(LayerRule):
    """A normalization: the output shape is the input shape."""

    def output_shape(self, a: Args, shape: Output) -> Output:
        axes = axis_list(a)
        if axes is not None:
            check_range(a, axes, shape)
        return shape


@register
class BatchNormalization(ShapeKeeping):
    """``BatchNormalization(axis=-1)``: gamma, beta, moving mean and variance of size C."""

    types = ("BatchNormalization",)
    python_int_arguments = {"axis": (2,)}
    signature = (("axis", -1), ("momentum", 0.99), ("epsilon", 1e-3), ("center", True),
                 ("scale", True), ("renorm", False), ("renorm_clipping", None))
    unsized_errors = ("Shapes used to initialize variables must be fully-defined",
                      "Input has undefined `axis` dimension")

    def _axis(self, a: Args) -> int | None:
        axis = a["axis"]
        if not is_known(axis):
            return None
        try:
            return int(axis)  # Keras calls int(axis): 1.7 means 1, a list is an error
        except (TypeError, ValueError):
            raise ShapeError("KC303", layer=a.layer, argument="axis", value=format_value(axis),
                             detail="expected an integer") from None

    def check_args(self, a: Args) -> None:
        if a.context.keras_version == 2:
            axis_list(a)
        else:
            self._axis(a)
        clipping = a["renorm_clipping"]
        if a["renorm"] is True and isinstance(clipping, dict):
            unknown = set(clipping) - {"rmax", "rmin", "dmax"}
            if unknown:
                raise ShapeError("KC303", layer=a.layer, argument="renorm_clipping",
                                 value=format_value(clipping),
                                 detail="the only keys allowed are 'rmax', 'rmin', 'dmax'")

    def _sizes(self, a: Args, shape: Shape) -> list | None:
        """The sizes of the normalized axes (known, in range); None when the axis is unknown.
        tf-keras also takes a list of distinct axes (its weights span all of them)."""
        if a.context.keras_version == 2:
            axes = axis_list(a)
            if axes is None:
                return None
            check_distinct(a, axes, shape)
            return sizes_on(a, axes, shape, a["axis"])
        axis = self._axis(a)
        return None if axis is None else sizes_on(a, [axis], shape, a["axis"])

    def output_shape(self, a: Args, shape: Output) -> Output:
        self._sizes(a, shape)
        return shape

    def params(self, a: Args, shape: Output) -> int | None:
        sizes, center, scale, renorm = self._sizes(a, shape), a.bool("center"), a.bool("scale"), a.bool("renorm")
        if None in (sizes, center, scale, renorm):
            return None
        weights = 2 + center + scale + (3 if renorm else 0)
        return weights * prod(sizes)

    def non_trainable_params(self, a: Args, shape: Output) -> int | None:
        """The moving mean and variance (and renorm's three statistics) are not trained."""
        sizes, renorm = self._sizes(a, shape), a.bool("renorm")
        if sizes is None or renorm is None:
            return None
        return (5 if renorm else 2) * prod(sizes)


class AxesWeighted(ShapeKeeping):
    """LayerNormalization / RMSNormalization: weights shaped like the input on ``axis``."""

    def has_weights(self, a: Args) -> bool:
        return True

    def weight_size(self, a: Args, shape: Shape) -> int | None:
        axes = axis_list(a)
        if axes is None:
            return None
        sizes = sizes_on(a, sorted(axes), shape, a["axis"], self.has_weights(a))
        return None if None in sizes else prod(sizes)

    def output_shape(self, a: Args, shape: Output) -> Output:
        self.weight_size(a, shape)
        return super().output_shape(a, shape)


@register
class LayerNormalization(AxesWeighted):
    """``LayerNormalization(axis=-1, center=True, scale=True)``; ``rms_scaling`` keeps gamma only."""

    types = ("LayerNormalization",)
    python_int_arguments = {"axis": (2, 3)}
    signature = (("axis", -1), ("epsilon", 1e-3), ("center", True), ("scale", True),
                 ("rms_scaling", False))

    def check_args(self, a: Args) -> None:
        axis_list(a)

    def has_weights(self, a: Args) -> bool:
        """Whether gamma or beta certainly exists (unknown flags: not certain)."""
        center, scale, rms = a.bool("center"), a.bool("scale"), a.bool("rms_scaling")
        return scale is True or rms is True or (center is True and rms is False)

    def params(self, a: Args, shape: Output) -> int | None:
        center, scale, rms = a.bool("center"), a.bool("scale"), a.bool("rms_scaling")
        if None in (center, scale, rms):
            return None
        if not self.has_weights(a):
            return 0  # the flags are known here, so no gamma and no beta
        size = self.weight_size(a, shape)
        return None if size is None else size * ((scale or rms) + (center and not rms))


@register
class RMSNormalization(AxesWeighted):
    """``RMSNormalization(axis=-1)``: one scale weight."""

    types = ("RMSNormalization",)
    signature = (("axis", -1), ("epsilon", 1e-6))

    def weight_size(self, a: Args, shape: Shape) -> int | None:
        axis = a["axis"]
        if is_known(axis) and not isinstance(axis, (int, list, tuple)):
            raise ShapeError("KC303", layer=a.layer, argument="axis", value=format_value(axis),
                             detail="expected an int or a list/tuple of ints")
        return super().weight_size(a, shape)

    def params(self, a: Args, shape: Output) -> int | None:
        return self.weight_size(a, shape)


@register
class GroupNormalization(ShapeKeeping):
    """``GroupNormalization(groups=32, axis=-1)``: groups must divide the channels."""

    types = ("GroupNormalization",)
    python_int_arguments = {"groups": (3,)}
    signature = (("groups", 32), ("axis", -1), ("epsilon", 1e-3), ("center", True), ("scale", True))

    def check_args(self, a: Args) -> None:
        groups = a["groups"]
        # tf-keras checks no sign: a negative count passes while it divides the channels
        keras2_int = a.context.keras_version == 2 and isinstance(groups, int) and groups != 0
        if is_known(groups) and not keras2_int and (not isinstance(groups, int) or (groups <= 0 and groups != -1)):
            raise ShapeError("KC303", layer=a.layer, argument="groups", value=format_value(groups),
                             detail="expected a positive integer, or -1 for instance normalization")

    def _channels(self, a: Args, shape: Shape) -> int | None:
        axis, groups = a["axis"], a["groups"]
        if not is_known(axis) or not is_known(groups):
            return None
        if not is_int(axis):
            raise ShapeError("KC303", layer=a.layer, argument="axis", value=format_value(axis),
                             detail="expected an integer")
        (channels,) = sizes_on(a, [axis], shape, axis)
        if a.context.keras_version == 2 and not -len(shape) <= axis - 1 < len(shape):
            # tf-keras's call drops axis - 1 from the grouped tensor's reduction axes
            raise ShapeError("KC303", "give the layer an input with a feature axis", layer=a.layer,
                             argument="axis", value=format_value(axis),
                             detail=f"tf-keras cannot group along it on {describe(shape)}")
        groups = channels if groups == -1 else int(groups)
        if channels < groups or channels % groups:
            raise ShapeError("KC303", f"use a number of groups that divides {channels}",
                             layer=a.layer, argument="groups", value=format_value(a["groups"]),
                             detail=f"must divide the {channels} channels on axis {axis} of {describe(shape)}")
        return channels

    def output_shape(self, a: Args, shape: Output) -> Output:
        self._channels(a, shape)
        return super().output_shape(a, shape)

    def params(self, a: Args, shape: Output) -> int | None:
        channels, center, scale = self._channels(a, shape), a.bool("center"), a.bool("scale")
        if None in (channels, center, scale):
            return None
        return channels * (center + scale)


@register
class UnitNormalization(ShapeKeeping):
    """``UnitNormalization(axis=-1)``: no weights."""

    types = ("UnitNormalization",)
    signature = (("axis", -1),)

    def check_args(self, a: Args) -> None:
        axis_list(a)

    def output_shape(self, a: Args, shape: Output) -> Output:
        axes = axis_list(a)
        if axes is not None and a.context.keras_version == 2:
            check_distinct(a, axes, shape)
        return super().output_shape(a, shape)


# The argument that is the last axis of the layer's kernel, for the layers whose kernel ends with it.
_KERNEL_LAST_AXIS = {
    "Dense": "units", "Conv1D": "filters", "Conv2D": "filters", "Conv3D": "filters",
    "DepthwiseConv1D": "depth_multiplier", "DepthwiseConv2D": "depth_multiplier", "Embedding": "output_dim",
}


@register
class SpectralNormalization(LayerRule):
    """``SpectralNormalization(layer, power_iterations=1)``: the layer's output, its weights and
    a non-trainable vector ``u`` as long as the kernel's last axis. tf-keras's DepthwiseConv1D/2D
    name their kernel ``depthwise_kernel``, which it does not find."""

    types = ("SpectralNormalization",)
    signature = (("layer", REQUIRED), ("power_iterations", 1))
    min_ndim = 1
    wrapper = True

    def check_args(self, a: Args) -> None:
        inner = a.required("layer")
        iterations = a["power_iterations"]
        if isinstance(iterations, (int, float)) and iterations <= 0:
            raise ShapeError("KC303", layer=a.layer, argument="power_iterations",
                             value=format_value(iterations), detail="must be a positive integer")
        if isinstance(inner, LayerNode):
            a.infer(inner, None)
            if a.context.keras_version == 2 and inner.type.startswith("DepthwiseConv"):
                raise ShapeError("KC303", "tf-keras normalizes a layer's kernel or embeddings; its "
                                 f"{inner.type} has a depthwise_kernel", layer=a.layer, argument="layer",
                                 value=format_value(inner), detail="has no kernel nor embeddings in tf-keras")

    def inner(self, a: Args, shape: Shape):
        inner = a["layer"]
        return a.infer(inner, shape, check_args=False) if isinstance(inner, LayerNode) else None

    def vector(self, a: Args) -> int | None:
        """The length of ``u``, when the wrapped layer's kernel is known to end with an argument."""
        inner = a["layer"]
        argument = _KERNEL_LAST_AXIS.get(inner.type) if isinstance(inner, LayerNode) else None
        if argument is None:
            return None
        rule = rule_for(inner.type)
        bound = rule.bind(inner, a.context)
        size = rule.units(bound) if isinstance(rule, Dense) else bound.positive_int(argument)
        return size if is_int(size) else None

    def output_shape(self, a: Args, shape: Output) -> Output:
        result = self.inner(a, shape)
        if result is None or self.vector(a) is None:
            return None  # a layer with neither kernel nor embeddings fails in Keras: not known here
        return result.output

    def params(self, a: Args, shape: Output) -> int | None:
        result, vector = self.inner(a, shape), self.vector(a)
        return None if result is None or result.params is None or vector is None else result.params + vector

    def non_trainable_params(self, a: Args, shape: Output) -> int | None:
        result, vector = self.inner(a, shape), self.vector(a)
        if result is None or vector is None:
            return None
        inner = non_trainable_params(a["layer"], shape, result.params, a.context)
        return None if inner is None else inner + vector
