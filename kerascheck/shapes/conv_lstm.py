"""Convolutional LSTMs: ConvLSTM1D/2D/3D.

Keras 3 semantics (``keras/src/layers/rnn/conv_lstm.py``): input ``(batch, time, *spatial,
channels)`` of rank exactly ``rank + 3``; each step is a convolution of the step input
(``kernel_size``, ``strides``, ``padding``, ``dilation_rate``) and a 'same' stride-1 convolution
of the state, for 4 gates. ``filters`` is not validated: ``filters=0`` builds an empty output.
Keras 3 rejects unknown spatial dims when building (tf-keras accepted them): reported (KC204)
for Keras 3 files. Both reject an unknown channel dim (KC204: the kernels are sized from it).
tf-keras rejects ``filters=0``.
"""

from __future__ import annotations

from typing import Any

from kerascheck.shapes import ops
from kerascheck.shapes.activations import check_activation
from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    Output,
    Shape,
    ShapeError,
    format_shape,
    format_value,
    is_int,
    is_known,
    register,
)
from kerascheck.shapes.convolutional import SpatialRule, channel_axis

PADDINGS = ("valid", "same")


class _ConvLSTM(SpatialRule):
    """A ConvLSTM over ``rank`` spatial axes."""

    unsized_errors = ("The channel dimension of the inputs (last axis) should be defined",
                      "The channel dimension of the inputs (last axis) should be defined")

    def weight_axes(self, a: Args, shape: Shape) -> tuple[int, ...]:
        return tuple(axis + 1 if axis > 0 else axis for axis in channel_axis(a))  # past the time axis

    axes_prefix = ("batch", "time")
    signature = (("filters", REQUIRED), ("kernel_size", REQUIRED), ("strides", 1), ("padding", "valid"),
                 ("data_format", None), ("dilation_rate", 1), ("activation", "tanh"),
                 ("recurrent_activation", "sigmoid"), ("use_bias", True), ("kernel_initializer", "glorot_uniform"),
                 ("recurrent_initializer", "orthogonal"), ("bias_initializer", "zeros"), ("unit_forget_bias", True),
                 ("kernel_regularizer", None), ("recurrent_regularizer", None), ("bias_regularizer", None),
                 ("activity_regularizer", None), ("kernel_constraint", None), ("recurrent_constraint", None),
                 ("bias_constraint", None), ("dropout", 0.0), ("recurrent_dropout", 0.0), ("seed", None),
                 ("return_sequences", False), ("return_state", False), ("go_backwards", False),
                 ("stateful", False))

    def filters(self, a: Args) -> int | None:
        """A non-negative int (Keras does not check it; a negative count fails building the kernel)."""
        value = a.required("filters")
        if not is_known(value):
            return None
        if not is_int(value) or value < 0 or (value == 0 and a.context.keras_version == 2):
            raise ShapeError("KC301", layer=a.layer, argument="filters", value=format_value(value))
        return value

    def window(self, a: Args) -> tuple[Any, Any, Any, str | None]:
        kernel = ops.int_tuple(a, "kernel_size", self.rank)
        strides = ops.int_tuple(a, "strides", self.rank, allow_zero=True)
        padding = a.option("padding", PADDINGS)
        ops.data_format(a)
        dilation = ops.int_tuple(a, "dilation_rate", self.rank)
        return kernel, strides, dilation, padding

    def check_args(self, a: Args) -> None:
        a.required("kernel_size")
        _, strides, dilation, _ = self.window(a)
        ops.check_dilated_strides(a, strides, dilation)
        check_activation(a)
        check_activation(a, "recurrent_activation")
        ops.check_nonzero_strides(a, strides)
        self.filters(a)

    def state_shape(self, a: Args, shape: Shape) -> Shape | None:
        """One step's output ``(batch, *spatial, filters)`` (channels first: filters first)."""
        fmt = ops.data_format(a)
        if fmt is None:
            return None
        step = (shape[0],) + tuple(shape[2:])
        spatial, _ = ops.split(step, fmt)
        lengths = ops.conv_lengths(a.layer, shape, spatial, *self.window(a))
        return ops.join(shape[0], lengths, self.filters(a), fmt)

    def output_shape(self, a: Args, shape: Output) -> Output:
        fmt = ops.data_format(a)
        spatial = ops.split((shape[0],) + tuple(shape[2:]), fmt)[0] if fmt else ()
        if None in spatial and a.context.keras_version == 3:
            raise ShapeError("KC204", "Keras 3 builds ConvLSTM layers for a fixed frame size (tf-keras did not "
                             "need one); give the input known spatial sizes",
                             layer=a.layer, expected=f"known frame sizes ({', '.join(ops.AXIS_NAMES[self.rank])})",
                             actual=format_shape(shape))
        if a.bool("stateful") and shape[0] is None:
            raise ShapeError("KC526", "give the model a fixed batch size: Input(batch_shape=(n, ...))",
                             layer=a.layer)
        state = self.state_shape(a, shape)
        sequences, with_state = a.bool("return_sequences"), a.bool("return_state")
        if state is None or sequences is None or with_state is None:
            return None
        output = (state[0], shape[1]) + state[1:] if sequences else state
        return [output, state, state] if with_state else output

    def params(self, a: Args, shape: Output) -> int | None:
        fmt, filters, use_bias = ops.data_format(a), self.filters(a), a.bool("use_bias")
        volume = ops.kernel_volume(ops.int_tuple(a, "kernel_size", self.rank))
        if None in (fmt, filters, use_bias, volume):
            return None
        _, channels = ops.split((shape[0],) + tuple(shape[2:]), fmt)
        if channels is None:
            return None
        return volume * (channels + filters) * 4 * filters + (4 * filters if use_bias else 0)

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        stated = f"{len(produced)}D {format_shape(produced)}"
        if a.bool("return_sequences") is False and f"{len(produced) + 1}D" in wanted:
            return f"returns only its last step, {stated}; set return_sequences=True there"
        if a.bool("return_sequences") and f"{len(produced) - 1}D" in wanted:
            return f"returns every step, {stated}; set return_sequences=False there"
        return super().rank_fix(a, produced, wanted)


@register
class ConvLSTM1D(_ConvLSTM):
    types = ("ConvLSTM1D",)
    rank = 1


@register
class ConvLSTM2D(_ConvLSTM):
    types = ("ConvLSTM2D",)
    rank = 2


@register
class ConvLSTM3D(_ConvLSTM):
    types = ("ConvLSTM3D",)
    rank = 3
