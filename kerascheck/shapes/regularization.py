"""Regularization layers: Dropout and its variants, GaussianNoise, ActivityRegularization.

All keep their input's shape and have no weights. Keras facts worth knowing (Keras 3.15):
- ``rate`` must be in [0, 1] *inclusive*: ``Dropout(1.0)`` is accepted.
- ``GaussianNoise``'s ``stddev`` must also be in [0, 1]: ``GaussianNoise(2.0)`` is rejected.
- ``SpatialDropout1D/2D/3D`` need 3D/4D/5D inputs; plain Dropout takes any rank.

tf-keras (Keras 2) differs: only Dropout and SpatialDropout check their rate, and only when it
is a number; GaussianNoise, GaussianDropout and AlphaDropout take any value (``GaussianNoise(15.0)``
builds), and Dropout's ``noise_shape`` is not validated when the layer is created.
"""

from __future__ import annotations

from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Output,
    ShapeError,
    format_value,
    is_int,
    is_known,
    register,
)


def fraction(a: Args, name: str, checked_by_tf_keras: bool = True) -> None:
    """KC303 unless the argument is a number in [0, 1] (in tf-keras: a number out of [0, 1],
    when tf-keras checks it at all)."""
    value = a.required(name)
    if not is_known(value):
        return
    if a.context.keras_version == 2 and not (checked_by_tf_keras and isinstance(value, (int, float))):
        return
    if not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ShapeError("KC303", "use a fraction such as 0.2", layer=a.layer, argument=name,
                         value=format_value(value), detail="expected a number between 0 and 1")


class Noise(LayerRule):
    """A regularizer that returns a tensor of its input's shape."""

    rate_argument = "rate"
    checked_by_tf_keras = False  # tf-keras checks only Dropout's and SpatialDropout's rate

    def check_args(self, a: Args) -> None:
        fraction(a, self.rate_argument, self.checked_by_tf_keras)

    def output_shape(self, a: Args, shape: Output) -> Output:
        return shape


@register
class Dropout(Noise):
    """``Dropout(rate, noise_shape=None, seed=None)``."""

    types = ("Dropout",)
    signature = (("rate", REQUIRED), ("noise_shape", None), ("seed", None))

    def check_args(self, a: Args) -> None:
        fraction(a, "rate")
        noise_shape = a["noise_shape"]
        if not is_known(noise_shape) or noise_shape is None or a.context.keras_version == 2:
            return
        valid = isinstance(noise_shape, (tuple, list)) and all(
            d is None or not is_known(d) or (is_int(d) and d > 0) for d in noise_shape)
        if not valid:
            raise ShapeError("KC303", layer=a.layer, argument="noise_shape", value=format_value(noise_shape),
                             detail="expected a tuple of positive ints or None")


@register
class AlphaDropout(Noise):
    """``AlphaDropout(rate, noise_shape=None, seed=None)``."""

    types = ("AlphaDropout",)
    signature = (("rate", REQUIRED), ("noise_shape", None), ("seed", None))


@register
class GaussianDropout(Noise):
    """``GaussianDropout(rate, seed=None)``."""

    types = ("GaussianDropout",)
    signature = (("rate", REQUIRED), ("seed", None))


@register
class GaussianNoise(Noise):
    """``GaussianNoise(stddev, seed=None)``: stddev in [0, 1]."""

    types = ("GaussianNoise",)
    signature = (("stddev", REQUIRED), ("seed", None))
    rate_argument = "stddev"


@register
class SpatialDropout1D(Noise):
    """``SpatialDropout1D(rate, seed=None)`` on ``(batch, steps, channels)``."""

    types = ("SpatialDropout1D",)
    signature = (("rate", REQUIRED), ("seed", None))
    checked_by_tf_keras = True
    ndim = 3
    input_hint = "(batch, steps, channels)"


@register
class SpatialDropout2D(Noise):
    """``SpatialDropout2D(rate, data_format=None, seed=None)`` on 4D feature maps."""

    types = ("SpatialDropout2D",)
    signature = (("rate", REQUIRED), ("data_format", None), ("seed", None))
    ndim = 4

    def check_args(self, a: Args) -> None:
        fraction(a, "rate")
        if a["data_format"] is not None:
            a.option("data_format", ("channels_last", "channels_first"))


@register
class SpatialDropout3D(SpatialDropout2D):
    """``SpatialDropout3D(rate, data_format=None, seed=None)`` on 5D volumes."""

    types = ("SpatialDropout3D",)
    ndim = 5


@register
class ActivityRegularization(Noise):
    """``ActivityRegularization(l1=0.0, l2=0.0)``: adds a loss, passes its input through."""

    types = ("ActivityRegularization",)
    signature = (("l1", 0.0), ("l2", 0.0))

    def check_args(self, a: Args) -> None:
        """Keras validates nothing here."""
