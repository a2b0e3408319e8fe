"""Activation layers: Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax.

All keep their input's shape. Keras facts worth knowing (Keras 3.15):
- ``Activation('foo')`` is rejected when the layer is created; names are case-sensitive.
- ``PReLU`` learns one slope per input element: ``prod(shape[1:])`` weights, with a 1 on every
  ``shared_axes`` axis (counted from 1; negative axes index the non-batch dims from the end).
- ``ThresholdedReLU`` was removed in Keras 3 (``ReLU(threshold=...)`` replaces it); it exists in
  tf-keras only, so it has no rule here: its output is unknown, never a guess.
- ``Softmax(axis=3)`` on a 2D input is accepted when the model is built.
tf-keras (Keras 2) differs: it has no ``celu``, ``glu``, ``hard_shrink``, ``hard_silu``,
``hard_swish``, ``hard_tanh``, ``log_sigmoid``, ``soft_shrink``, ``sparse_plus``,
``sparse_sigmoid``, ``sparsemax``, ``squareplus``, ``tanh_shrink``, ``threshold`` activation;
``Activation('softmax')`` rejects a 1D input; ``LeakyReLU(alpha)`` takes a negative slope.
"""

from __future__ import annotations

import math

from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Output,
    Shape,
    ShapeError,
    format_value,
    is_int,
    is_known,
    rank_error,
    register,
)

ACTIVATIONS = (
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu",
    "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish",
    "relu", "relu6", "selu", "sigmoid", "silu", "soft_shrink", "softmax", "softplus",
    "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "swish", "tanh",
    "tanh_shrink", "threshold",
)
NOT_IN_KERAS2 = frozenset({
    "celu", "glu", "hard_shrink", "hard_silu", "hard_swish", "hard_tanh", "log_sigmoid", "soft_shrink",
    "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "tanh_shrink", "threshold",
})


def check_activation(a: Args, name: str = "activation") -> None:
    """KC303 for an activation Keras cannot look up (an unknown name, a number, a sequence).

    Keras takes any callable, so every other value (a layer, an object of the user's class, a
    function) is accepted: only values known not to be callable are refused."""
    value = a[name]
    if not isinstance(value, (str, int, float, tuple, list)):
        return
    if isinstance(value, str) and value in ACTIVATIONS and not (a.context.keras_version == 2 and value in NOT_IN_KERAS2):
        return
    import difflib  # only a rejected activation needs it

    close = difflib.get_close_matches(str(value).lower(), ACTIVATIONS, n=1)
    hint = f"did you mean {close[0]!r}?" if close else "use a name from keras.activations"
    raise ShapeError("KC303", hint, layer=a.layer, argument=name, value=format_value(value),
                     detail="not a Keras activation")


def non_negative(a: Args, name: str, allow_none: bool) -> None:
    """KC303 when a number argument is negative (or None where Keras forbids it)."""
    value = a[name]
    if not is_known(value) or (value is None and allow_none):
        return
    if value is None or (isinstance(value, (int, float)) and value < 0):
        raise ShapeError("KC303", layer=a.layer, argument=name, value=format_value(value),
                         detail="must be a non-negative number")


class SameShape(LayerRule):
    """A layer whose output has its input's shape and which has no weights."""

    def output_shape(self, a: Args, shape: Output) -> Output:
        return shape


@register
class Activation(SameShape):
    """``Activation(activation)``."""

    types = ("Activation",)
    signature = (("activation", REQUIRED),)

    def check_args(self, a: Args) -> None:
        a.required("activation")
        check_activation(a)

    def output_shape(self, a: Args, shape: Output) -> Output:
        if a.context.keras_version == 2 and a["activation"] == "softmax" and isinstance(shape, tuple) and len(shape) < 2:
            error = rank_error(a.layer, "at least 2D", shape, "(batch, features)")
            error.hint = "tf-keras cannot apply softmax to a 1D tensor"
            raise error
        return shape


@register
class ReLU(SameShape):
    """``ReLU(max_value=None, negative_slope=0.0, threshold=0.0)``: all non-negative."""

    types = ("ReLU",)
    signature = (("max_value", None), ("negative_slope", 0.0), ("threshold", 0.0))

    def check_args(self, a: Args) -> None:
        non_negative(a, "max_value", allow_none=True)
        non_negative(a, "negative_slope", allow_none=False)
        non_negative(a, "threshold", allow_none=False)


@register
class LeakyReLU(SameShape):
    """``LeakyReLU(negative_slope=0.3)`` (``alpha=`` is the deprecated spelling)."""

    types = ("LeakyReLU",)
    signature = (("negative_slope", 0.3),)

    def check_args(self, a: Args) -> None:
        name = "alpha" if "alpha" in a else "negative_slope"
        if a.context.keras_version == 2:  # tf-keras's alpha (its first argument) may be negative
            if a[name] is None:
                raise ShapeError("KC303", layer=a.layer, argument=name, value="None", detail="must be a number")
            return
        non_negative(a, name, allow_none=False)


@register
class ELU(SameShape):
    """``ELU(alpha=1.0)``."""

    types = ("ELU",)
    signature = (("alpha", 1.0),)


@register
class Softmax(SameShape):
    """``Softmax(axis=-1)``."""

    types = ("Softmax",)
    signature = (("axis", -1),)


@register
class PReLU(SameShape):
    """``PReLU(alpha_initializer, alpha_regularizer, alpha_constraint, shared_axes=None)``."""

    types = ("PReLU",)
    signature = (("alpha_initializer", "Zeros"), ("alpha_regularizer", None), ("alpha_constraint", None),
                 ("shared_axes", None))

    def shared_axes(self, a: Args) -> list[int] | None:
        value = a["shared_axes"]
        if not is_known(value):
            return None
        axes = [] if value is None else list(value) if isinstance(value, (tuple, list)) else [value]
        return axes if all(is_int(axis) for axis in axes) else None

    unsized_errors = ("Shapes used to initialize variables must be fully-defined",
                      "Can't convert Python sequence with mixed types to Tensor")

    def alpha_shape(self, a: Args, shape: Shape) -> list | None:
        """``alpha``'s shape: the input's without the batch, 1 on the shared axes."""
        axes = self.shared_axes(a)
        if axes is None:
            return None
        weights = list(shape[1:])
        for axis in axes:
            if not -len(weights) <= axis - 1 < len(weights):
                raise ShapeError("KC303", f"axes count from 1 to {len(weights)} for a {len(shape)}D input",
                                 layer=a.layer, argument="shared_axes", value=format_value(a["shared_axes"]),
                                 detail=f"axis {axis} is not an axis of the input")
            weights[axis - 1] = 1
        return weights

    def weight_axes(self, a: Args, shape: Shape) -> tuple[int, ...]:
        weights = self.alpha_shape(a, shape)
        return () if weights is None else tuple(i + 1 for i, size in enumerate(weights) if size is None)

    def params(self, a: Args, shape: Output) -> int | None:
        weights = self.alpha_shape(a, shape)
        return None if weights is None or None in weights else math.prod(weights)
