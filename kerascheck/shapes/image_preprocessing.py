"""Image preprocessing layers: resizing and cropping, and the random augmentations.

Keras 3 computes these layers' symbolic outputs from ``compute_output_shape`` alone: most
image augmentations keep any input shape (no rank check at all), Resizing/RandomCrop
overwrite two axes found by position.
tf-keras (Keras 2) differs: its RandomFlip, RandomBrightness, RandomRotation, RandomTranslation,
RandomZoom, Resizing and RandomCrop take a 3D or 4D input only, RandomContrast at least 3D.
"""

from __future__ import annotations

from typing import Any, ClassVar

from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Output,
    Shape,
    ShapeError,
    describe,
    is_int,
    is_known,
    register,
)
from kerascheck.shapes.ops import data_format
from kerascheck.shapes.preprocessing import bad_argument, is_number

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def check_base_factor(a: Args, name: str, low: float, high: float, allow_none: bool = True) -> None:
    """The image layers' ``factor``: a number in [low, high], or a pair that overlaps it.
    ``None`` means 0 where the base class receives the factor (``allow_none``)."""
    value = a[name]
    if (value is None and allow_none) or not is_known(value):
        return
    detail = f"expected a number or a pair of numbers in [{low}, {high}]"
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise bad_argument(a, name, detail)
        first, second = value
        if not all(map(is_known, value)):
            return
        if not (is_number(first) and is_number(second)) or first > high or second < low:
            raise bad_argument(a, name, detail)
    elif is_number(value):
        if not low <= value <= high:
            raise bad_argument(a, name, detail)
    else:
        raise bad_argument(a, name, detail)


def check_each_factor(a: Args, name: str, low_open: bool) -> None:
    """RandomZoom / RandomTranslation factors: each number in (-1, 1] (zoom) or [-1, 1]."""
    value = a[name]
    if not is_known(value) or (isinstance(value, (tuple, list)) and not all(map(is_known, value))):
        return
    detail = "expected a number or a pair of numbers in " + ("(-1, 1]" if low_open else "[-1, 1]")
    items = value if isinstance(value, (tuple, list)) else [value]
    if isinstance(value, (tuple, list)) and len(value) != 2:
        raise bad_argument(a, name, detail)
    for item in items:
        if not is_number(item):
            raise bad_argument(a, name, detail)
        if item > 1.0 or item < -1.0 or (low_open and item == -1.0):
            raise bad_argument(a, name, detail)


def keras2_bounds(a: Args, name: str, detail: str, symmetric: bool = True) -> tuple[Any, Any] | None:
    """tf-keras's (lower, upper) of a factor: a list or tuple gives its first two items (it
    ignores any more), a number x gives (-x, x), or (x, x) unless ``symmetric``. None when
    unknown; KC303 for what tf-keras fails on (fewer than two items, not numbers)."""
    value = a[name]
    items = list(value[:2]) if isinstance(value, (tuple, list)) else [value]
    if not is_known(value) or not all(map(is_known, items)):
        return None
    if not all(map(is_number, items)) or (isinstance(value, (tuple, list)) and len(items) < 2):
        raise bad_argument(a, name, detail)
    if len(items) == 2:
        return items[0], items[1]
    return (-value if symmetric else value), value


def check_ordered(a: Args, name: str, detail: str, limit: float | None = None) -> None:
    """KC303 unless tf-keras's (lower, upper) of factor ``name`` are ordered (and both within
    [-limit, limit])."""
    bounds = keras2_bounds(a, name, detail)
    if bounds and (bounds[1] < bounds[0] or (limit is not None and max(map(abs, bounds)) > limit)):
        raise bad_argument(a, name, detail)


def check_value_range(a: Args) -> None:
    value = a["value_range"]
    if is_known(value) and (not isinstance(value, (tuple, list)) or len(value) != 2):
        raise bad_argument(a, "value_range", "expected a list of two numbers")


class ImageLayer(LayerRule):
    """An image preprocessing layer that keeps its input's shape, whatever its rank."""

    fill_and_interpolation = False
    value_range = False
    keras2_ranks: ClassVar[tuple[int, int | None] | None] = None  # the (least, most) ranks tf-keras takes

    def check_input(self, a: Args, shape: Output) -> None:
        super().check_input(a, shape)
        if a.context.keras_version != 2 or self.keras2_ranks is None or not isinstance(shape, tuple):
            return
        least, most = self.keras2_ranks
        if len(shape) < least or (most is not None and len(shape) > most):
            expected = f"{least}D or {most}D" if most == least + 1 else f"at least {least}D"
            raise ShapeError("KC101", layer=a.layer, expected=f"{expected} (an image or a batch of images)",
                             actual=describe(shape))

    def check_args(self, a: Args) -> None:
        self.check_factors(a)
        if self.fill_and_interpolation:
            a.option("fill_mode", FILL_MODES, lower=False)
            a.option("interpolation", INTERPOLATIONS, lower=False)
        if self.value_range:
            check_value_range(a)
        data_format(a)

    def check_factors(self, a: Args) -> None:
        """Raise for factor arguments Keras rejects at construction."""

    def output_shape(self, a: Args, shape: Output) -> Output:
        return shape


def _image_layer(name: str, signature: tuple = (), **attributes: Any) -> type[ImageLayer]:
    cls = type(name, (ImageLayer,), {"types": (name,), "signature": signature, **attributes,
                                     "__doc__": f"``{name}``: keeps its input's shape, no weights."})
    return register(cls)


# Layers whose factors Keras checks are modelled below; these keep the shape and their
# argument checks beyond data_format are not modelled (no error is reported for them).
for _name in ("RandomSaturation", "RandomSharpness", "RandomGrayscale", "RandomInvert",
              "RandomPosterization", "RandomColorJitter", "RandomShear", "RandomPerspective",
              "RandomElasticTransform", "RandomErasing", "RandomGaussianBlur", "AutoContrast",
              "Equalization", "Solarization", "CutMix", "MixUp", "AugMix", "RandAugment",
              "ContrastLimitedAdaptiveHistogramEqualization", "MaxNumBoundingBoxes"):
    _image_layer(_name)


@register
class RandomFlip(ImageLayer):
    """``RandomFlip(mode)``: Keras 3 does not validate ``mode``; tf-keras takes only
    'horizontal', 'vertical' or 'horizontal_and_vertical'."""

    types = ("RandomFlip",)
    signature = (("mode", "horizontal_and_vertical"), ("seed", None), ("data_format", None))
    keras2_ranks = (3, 4)

    def check_factors(self, a: Args) -> None:
        if a.context.keras_version == 2:
            a.option("mode", ("horizontal", "vertical", "horizontal_and_vertical"), lower=False)


@register
class RandomRotation(ImageLayer):
    """``RandomRotation(factor)``: factor in [-1, 1]. tf-keras checks only that its
    (lower, upper) are ordered: any number from 0 (1.5 turns by up to 1.5 * 2 pi), or a pair
    lower <= upper (of a longer list it reads the first two)."""

    types = ("RandomRotation",)
    signature = (("factor", REQUIRED), ("fill_mode", "reflect"), ("interpolation", "bilinear"),
                 ("seed", None), ("fill_value", 0.0), ("data_format", None))
    keras2_ranks = (3, 4)
    fill_and_interpolation = True

    def check_factors(self, a: Args) -> None:
        a.required("factor")
        if a.context.keras_version == 2:
            check_ordered(a, "factor", "expected a number from 0 or a pair (lower, upper), lower <= upper")
        else:
            check_base_factor(a, "factor", -1, 1)


@register
class RandomZoom(ImageLayer):
    """``RandomZoom(height_factor, width_factor=None)``: factors in (-1, 1]. tf-keras reads
    (lower, upper) as (-x, x) for a number x, the first two items of a list: the height's must
    be in [-1, 1] (so -1 too), the width's at least -1 (a pair may exceed 1)."""

    types = ("RandomZoom",)
    signature = (("height_factor", REQUIRED), ("width_factor", None), ("fill_mode", "reflect"),
                 ("interpolation", "bilinear"), ("seed", None), ("fill_value", 0.0), ("data_format", None))
    keras2_ranks = (3, 4)
    fill_and_interpolation = True

    def check_factors(self, a: Args) -> None:
        a.required("height_factor")
        if a.context.keras_version == 2:
            detail = "expected a number or a pair of numbers in [-1, 1]"
            bounds = keras2_bounds(a, "height_factor", detail)
            if bounds and max(map(abs, bounds)) > 1:
                raise bad_argument(a, "height_factor", detail)
            if a["width_factor"] is not None:
                detail = "expected a number in [-1, 1] or a pair of numbers from -1"
                bounds = keras2_bounds(a, "width_factor", detail)
                if bounds and min(bounds) < -1:
                    raise bad_argument(a, "width_factor", detail)
            return
        check_each_factor(a, "height_factor", low_open=True)
        if a["width_factor"] is not None:
            check_each_factor(a, "width_factor", low_open=True)


@register
class RandomTranslation(ImageLayer):
    """``RandomTranslation(height_factor, width_factor)``: factors in [-1, 1]. tf-keras reads
    (lower, upper) as (-x, x) for a number x (so x in [0, 1]), the first two items of a list
    (any more are ignored), and wants both in [-1, 1], lower <= upper."""

    types = ("RandomTranslation",)
    signature = (("height_factor", REQUIRED), ("width_factor", REQUIRED), ("fill_mode", "reflect"),
                 ("interpolation", "bilinear"), ("seed", None), ("fill_value", 0.0), ("data_format", None))
    keras2_ranks = (3, 4)
    fill_and_interpolation = True

    def check_factors(self, a: Args) -> None:
        a.required("height_factor")
        a.required("width_factor")
        for name in ("height_factor", "width_factor"):
            if a.context.keras_version == 2:
                check_ordered(a, name, "expected a number in [0, 1] or a pair (lower, upper) in [-1, 1], "
                                       "lower <= upper", limit=1)
            else:
                check_each_factor(a, name, low_open=False)


@register
class RandomContrast(ImageLayer):
    """``RandomContrast(factor)``: factor in [0, 1]. tf-keras reads (lower, upper) as (x, x)
    for a number x, the first two items of a list (any more are ignored), and wants lower in
    [0, 1], upper from 0 (a pair may exceed 1), not both 0."""

    types = ("RandomContrast",)
    signature = (("factor", REQUIRED), ("value_range", (0, 255)), ("seed", None))
    keras2_ranks = (3, None)

    def check_factors(self, a: Args) -> None:
        a.required("factor")
        if a.context.keras_version == 2:
            detail = ("expected a number in (0, 1] or a pair (lower, upper), lower in [0, 1], upper from 0, "
                      "not both 0")
            bounds = keras2_bounds(a, "factor", detail, symmetric=False)
            # the call draws the contrast from [1 - lower, 1 + upper), which must not be empty
            if bounds and not (0 <= bounds[0] <= 1 and bounds[1] >= 0 and bounds[0] + bounds[1] > 0):
                raise bad_argument(a, "factor", detail)
        else:
            check_base_factor(a, "factor", 0, 1, allow_none=False)


@register
class RandomHue(RandomContrast):
    """``RandomHue(factor)``: factor in [0, 1]."""

    types = ("RandomHue",)
    signature = (("factor", REQUIRED), ("value_range", (0, 255)), ("data_format", None), ("seed", None))


@register
class RandomBrightness(ImageLayer):
    """``RandomBrightness(factor, value_range=(0, 255))``: factor in [-1, 1]. tf-keras wants
    each of a pair in [-1, 1] (Keras 3: a pair that overlaps it) and rejects None."""

    types = ("RandomBrightness",)
    signature = (("factor", REQUIRED), ("value_range", (0, 255)), ("seed", None))
    keras2_ranks = (3, 4)
    value_range = True

    def check_factors(self, a: Args) -> None:
        a.required("factor")
        if a.context.keras_version == 2:
            detail = "expected a number or a pair of numbers in [-1, 1]"
            if isinstance(a["factor"], (tuple, list)) and len(a["factor"]) != 2:
                raise bad_argument(a, "factor", detail)
            bounds = keras2_bounds(a, "factor", detail)
            if bounds and max(map(abs, bounds)) > 1:
                raise bad_argument(a, "factor", detail)
        else:
            check_base_factor(a, "factor", -1, 1)


@register
class RandomColorDegeneration(ImageLayer):
    """``RandomColorDegeneration(factor)``: a 3D or 4D image with 3 channels."""

    types = ("RandomColorDegeneration",)
    signature = (("factor", REQUIRED), ("value_range", (0, 255)), ("data_format", None), ("seed", None))

    def output_shape(self, a: Args, shape: Output) -> Output:
        if len(shape) not in (3, 4):
            raise ShapeError("KC101", layer=a.layer, expected="3D or 4D", actual=describe(shape))
        fmt = data_format(a)
        if fmt is None:
            return shape
        axis = -1 if fmt == "channels_last" else -3
        if shape[axis] is not None and shape[axis] != 3:
            raise ShapeError("KC204", "it works on RGB images", layer=a.layer,
                             expected=f"3 channels on axis {axis} ({fmt})", actual=describe(shape))
        return shape


def _size(a: Args, name: str) -> int | None:
    """Resizing/cropping targets are used as dims unchecked; Keras fails on non-ints < 0."""
    value = a.required(name)
    if not is_known(value):
        return None
    if not is_int(value) or value < 0:
        raise bad_argument(a, name, "expected a non-negative integer")
    return value


def _keras2_sizes(a: Args, least: int) -> list[int | None]:
    """tf-keras's target (height, width): integers from ``least``; -1 (which its Resizing
    takes) gives an unknown size."""
    sizes = []
    for name in ("height", "width"):
        value = a.required(name)
        if is_known(value) and (not is_int(value) or value < least):
            raise bad_argument(a, name, f"expected an integer from {least}" + (" (-1: unknown)" if least < 0 else ""))
        sizes.append(value if is_known(value) and value != -1 else None)
    return sizes


def keras2_resized(shape: Shape, sizes: list[int | None], cropped: bool) -> Shape:
    """tf-keras's image (3D or 4D, channels last) set to ``sizes`` on axes -3, -2. ``cropped``:
    it went through tf-keras's crop-or-resize, whose static shape keeps a batch size only
    when the height and width are known."""
    batch = shape[:-3]
    if cropped and batch and None in shape[-3:-1]:
        batch = (None,)
    return batch + tuple(sizes) + shape[-1:]


def _crop_box_fits(height: int, width: int, target_height: int, target_width: int) -> bool:
    """tf-keras's ``smart_resize`` crop box on a known image: each side is the float32 quotient
    of the aspect ratios, truncated (a division by zero gives int32's minimum), capped by the
    image; ``tf.slice`` takes sizes from -1."""
    import numpy as np

    def side(numerator: int, denominator: int, limit: int) -> int:
        if denominator == 0:
            return -2**31
        return min(limit, int(np.float32(numerator) / np.float32(denominator)))

    return min(side(width * target_height, target_width, height), side(height * target_width, target_height, width)) >= -1


class TwoAxes(ImageLayer):
    """Resizing / CenterCrop: set height and width at positions fixed by rank and format."""

    signature = (("height", REQUIRED), ("width", REQUIRED))
    ranks: ClassVar[tuple[int, ...] | None] = None

    def output_shape(self, a: Args, shape: Output) -> Output:
        if self.ranks and len(shape) not in self.ranks:
            raise ShapeError("KC101", layer=a.layer, expected="3D or 4D", actual=describe(shape))
        if a.context.keras_version == 2:
            return self.keras2_output(a, shape)
        height, width, fmt = _size(a, "height"), _size(a, "width"), data_format(a)
        if fmt is None:
            return None
        first = 1 if len(shape) == 4 else 0
        if fmt == "channels_first":
            first += 1
        if first + 1 >= len(shape):
            raise ShapeError("KC101", layer=a.layer, expected=f"at least {first + 2}D", actual=describe(shape))
        out = list(shape)
        out[first], out[first + 1] = height, width
        return tuple(out)

    def keras2_output(self, a: Args, shape: Shape) -> Output:
        """CenterCrop's output in tf-keras: sizes from 1, a batch size kept as ``keras2_resized`` says."""
        return keras2_resized(shape, _keras2_sizes(a, 1), cropped=True)


@register
class Resizing(TwoAxes):
    """``Resizing(height, width)``: on 4D input axes 1, 2 (channels_last); on any other rank
    the first two axes, batch included, as Keras does. tf-keras sets axes -3, -2 and takes a
    size of -1 (an unknown size); with crop_to_aspect_ratio the output keeps a batch size only
    when the height and width are known, and then a size of 0 or -1 fails."""

    types = ("Resizing",)
    signature = (("height", REQUIRED), ("width", REQUIRED), ("interpolation", "bilinear"),
                 ("crop_to_aspect_ratio", False), ("pad_to_aspect_ratio", False),
                 ("fill_mode", "constant"), ("fill_value", 0.0), ("antialias", False), ("data_format", None))
    keras2_ranks = (3, 4)

    def keras2_output(self, a: Args, shape: Shape) -> Output:
        sizes, cropped = _keras2_sizes(a, -1), a.bool("crop_to_aspect_ratio")
        if cropped is None:
            return None
        height, width = shape[-3:-1]
        if cropped and is_int(height) and is_int(width) and is_int(a["height"]) and is_int(a["width"]) \
                and not _crop_box_fits(height, width, a["height"], a["width"]):
            raise bad_argument(a, "height", f"with width={a['width']}, tf-keras's crop_to_aspect_ratio cannot "
                                            f"crop a {height}x{width} image (its crop box has a size below -1)")
        return keras2_resized(shape, sizes, cropped)


@register
class CenterCrop(TwoAxes):
    """``CenterCrop(height, width)``: 3D or 4D input. tf-keras sets axes -3, -2, needs sizes
    from 1, and keeps a batch size only when the input's height and width are known."""

    types = ("CenterCrop",)
    signature = (("height", REQUIRED), ("width", REQUIRED), ("data_format", None))
    ranks = (3, 4)


@register
class RandomCrop(ImageLayer):
    """``RandomCrop(height, width)``: sets axes -3, -2 (channels_last) or -2, -1. tf-keras, as
    its CenterCrop, needs sizes from 1 and keeps a batch size only when the height and width
    are known."""

    types = ("RandomCrop",)
    signature = (("height", REQUIRED), ("width", REQUIRED), ("seed", None), ("data_format", None))
    keras2_ranks = (3, 4)

    def output_shape(self, a: Args, shape: Output) -> Output:
        if a.context.keras_version == 2:
            return keras2_resized(shape, _keras2_sizes(a, 1), cropped=True)
        height, width, fmt = _size(a, "height"), _size(a, "width"), data_format(a)
        if fmt is None:
            return None
        axes = (-3, -2) if fmt == "channels_last" else (-2, -1)
        if len(shape) < -axes[0]:
            raise ShapeError("KC101", layer=a.layer, expected=f"at least {-axes[0]}D", actual=describe(shape))
        out = list(shape)
        out[axes[0]], out[axes[1]] = height, width
        return tuple(out)
