"""Preprocessing layers: image resizing/cropping, random augmentations, Rescaling,
Normalization, CategoryEncoding, Hashing, Discretization, the lookups and TextVectorization.

Keras 3 computes these layers' symbolic outputs from ``compute_output_shape`` alone: most
image augmentations keep any input shape (no rank check at all), Resizing/RandomCrop
overwrite two axes found by position. Lookup and TextVectorization depths depend on the
vocabulary: known only from ``max_tokens`` with ``pad_to_max_tokens`` or a literal vocabulary,
otherwise an unknown dim, as Keras itself reports before ``adapt()``.
tf-keras (Keras 2) differs: its RandomFlip, RandomBrightness, RandomRotation, RandomTranslation,
RandomZoom, Resizing and RandomCrop take a 3D or 4D input only, RandomContrast at least 3D;
Discretization encodes (output_mode other than 'int') at most a 2D output.
"""

from __future__ import annotations

from math import prod
from typing import Any, ClassVar

from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Output,
    Shape,
    ShapeError,
    describe,
    format_value,
    is_int,
    is_known,
    register,
)
from kerascheck.shapes.ops import data_format
from kerascheck.shapes.symbolic import is_sym

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float))


def _bad(a: Args, name: str, detail: str) -> ShapeError:
    return ShapeError("KC303", layer=a.layer, argument=name, value=format_value(a[name]), detail=detail)


def check_base_factor(a: Args, name: str, low: float, high: float, allow_none: bool = True) -> None:
    """The image layers' ``factor``: a number in [low, high], or a pair that overlaps it.
    ``None`` means 0 where the base class receives the factor (``allow_none``)."""
    value = a[name]
    if (value is None and allow_none) or not is_known(value):
        return
    detail = f"expected a number or a pair of numbers in [{low}, {high}]"
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise _bad(a, name, detail)
        first, second = value
        if not all(map(is_known, value)):
            return
        if not (_number(first) and _number(second)) or first > high or second < low:
            raise _bad(a, name, detail)
    elif _number(value):
        if not low <= value <= high:
            raise _bad(a, name, detail)
    else:
        raise _bad(a, name, detail)


def check_each_factor(a: Args, name: str, low_open: bool) -> None:
    """RandomZoom / RandomTranslation factors: each number in (-1, 1] (zoom) or [-1, 1]."""
    value = a[name]
    if not is_known(value) or (isinstance(value, (tuple, list)) and not all(map(is_known, value))):
        return
    detail = "expected a number or a pair of numbers in " + ("(-1, 1]" if low_open else "[-1, 1]")
    items = value if isinstance(value, (tuple, list)) else [value]
    if isinstance(value, (tuple, list)) and len(value) != 2:
        raise _bad(a, name, detail)
    for item in items:
        if not _number(item):
            raise _bad(a, name, detail)
        if item > 1.0 or item < -1.0 or (low_open and item == -1.0):
            raise _bad(a, name, detail)


def check_value_range(a: Args) -> None:
    value = a["value_range"]
    if is_known(value) and (not isinstance(value, (tuple, list)) or len(value) != 2):
        raise _bad(a, "value_range", "expected a list of two numbers")


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
    """``RandomFlip(mode)``: Keras 3 does not validate ``mode``."""

    types = ("RandomFlip",)
    signature = (("mode", "horizontal_and_vertical"), ("seed", None), ("data_format", None))
    keras2_ranks = (3, 4)


@register
class RandomRotation(ImageLayer):
    """``RandomRotation(factor)``: factor in [-1, 1]."""

    types = ("RandomRotation",)
    signature = (("factor", REQUIRED), ("fill_mode", "reflect"), ("interpolation", "bilinear"),
                 ("seed", None), ("fill_value", 0.0), ("data_format", None))
    keras2_ranks = (3, 4)
    fill_and_interpolation = True

    def check_factors(self, a: Args) -> None:
        a.required("factor")
        check_base_factor(a, "factor", -1, 1)


@register
class RandomZoom(ImageLayer):
    """``RandomZoom(height_factor, width_factor=None)``: factors in (-1, 1]."""

    types = ("RandomZoom",)
    signature = (("height_factor", REQUIRED), ("width_factor", None), ("fill_mode", "reflect"),
                 ("interpolation", "bilinear"), ("seed", None), ("fill_value", 0.0), ("data_format", None))
    keras2_ranks = (3, 4)
    fill_and_interpolation = True

    def check_factors(self, a: Args) -> None:
        a.required("height_factor")
        check_each_factor(a, "height_factor", low_open=True)
        if a["width_factor"] is not None:
            check_each_factor(a, "width_factor", low_open=True)


@register
class RandomTranslation(ImageLayer):
    """``RandomTranslation(height_factor, width_factor)``: factors in [-1, 1]."""

    types = ("RandomTranslation",)
    signature = (("height_factor", REQUIRED), ("width_factor", REQUIRED), ("fill_mode", "reflect"),
                 ("interpolation", "bilinear"), ("seed", None), ("fill_value", 0.0), ("data_format", None))
    keras2_ranks = (3, 4)
    fill_and_interpolation = True

    def check_factors(self, a: Args) -> None:
        a.required("height_factor")
        a.required("width_factor")
        check_each_factor(a, "height_factor", low_open=False)
        check_each_factor(a, "width_factor", low_open=False)


@register
class RandomContrast(ImageLayer):
    """``RandomContrast(factor)``: factor in [0, 1]."""

    types = ("RandomContrast",)
    signature = (("factor", REQUIRED), ("value_range", (0, 255)), ("seed", None))
    keras2_ranks = (3, None)

    def check_factors(self, a: Args) -> None:
        a.required("factor")
        check_base_factor(a, "factor", 0, 1, allow_none=False)


@register
class RandomHue(RandomContrast):
    """``RandomHue(factor)``: factor in [0, 1]."""

    types = ("RandomHue",)
    signature = (("factor", REQUIRED), ("value_range", (0, 255)), ("data_format", None), ("seed", None))


@register
class RandomBrightness(ImageLayer):
    """``RandomBrightness(factor, value_range=(0, 255))``: factor in [-1, 1]."""

    types = ("RandomBrightness",)
    signature = (("factor", REQUIRED), ("value_range", (0, 255)), ("seed", None))
    keras2_ranks = (3, 4)
    value_range = True

    def check_factors(self, a: Args) -> None:
        a.required("factor")
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
        raise _bad(a, name, "expected a non-negative integer")
    return value


class TwoAxes(ImageLayer):
    """Resizing / CenterCrop: set height and width at positions fixed by rank and format."""

    signature = (("height", REQUIRED), ("width", REQUIRED))
    ranks: ClassVar[tuple[int, ...] | None] = None

    def output_shape(self, a: Args, shape: Output) -> Output:
        if self.ranks and len(shape) not in self.ranks:
            raise ShapeError("KC101", layer=a.layer, expected="3D or 4D", actual=describe(shape))
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


@register
class Resizing(TwoAxes):
    """``Resizing(height, width)``: on 4D input axes 1, 2 (channels_last); on any other rank
    the first two axes, batch included, as Keras does."""

    types = ("Resizing",)
    signature = (("height", REQUIRED), ("width", REQUIRED), ("interpolation", "bilinear"),
                 ("crop_to_aspect_ratio", False), ("pad_to_aspect_ratio", False),
                 ("fill_mode", "constant"), ("fill_value", 0.0), ("antialias", False), ("data_format", None))
    keras2_ranks = (3, 4)


@register
class CenterCrop(TwoAxes):
    """``CenterCrop(height, width)``: 3D or 4D input."""

    types = ("CenterCrop",)
    signature = (("height", REQUIRED), ("width", REQUIRED), ("data_format", None))
    ranks = (3, 4)


@register
class RandomCrop(ImageLayer):
    """``RandomCrop(height, width)``: sets axes -3, -2 (channels_last) or -2, -1."""

    types = ("RandomCrop",)
    signature = (("height", REQUIRED), ("width", REQUIRED), ("seed", None), ("data_format", None))
    keras2_ranks = (3, 4)

    def output_shape(self, a: Args, shape: Output) -> Output:
        height, width, fmt = _size(a, "height"), _size(a, "width"), data_format(a)
        if fmt is None:
            return None
        axes = (-3, -2) if fmt == "channels_last" else (-2, -1)
        if len(shape) < -axes[0]:
            raise ShapeError("KC101", layer=a.layer, expected=f"at least {-axes[0]}D", actual=describe(shape))
        out = list(shape)
        out[axes[0]], out[axes[1]] = height, width
        return tuple(out)


@register
class Rescaling(LayerRule):
    """``Rescaling(scale, offset=0.0)``: keeps the shape."""

    types = ("Rescaling",)
    signature = (("scale", REQUIRED), ("offset", 0.0))

    def check_args(self, a: Args) -> None:
        a.required("scale")

    def output_shape(self, a: Args, shape: Output) -> Output:
        return shape


def nested_shape(value: Any) -> tuple | None:
    """NumPy's shape of a literal number or nested list; None when not a regular literal."""
    if _number(value):
        return ()
    if isinstance(value, (list, tuple)) and value:
        inner = {nested_shape(v) for v in value}
        if len(inner) == 1 and None not in inner:
            return (len(value),) + inner.pop()
    return None


@register
class Normalization(LayerRule):
    """``Normalization(axis=-1, mean=None, variance=None)``: keeps the shape; without
    mean/variance it holds mean and variance (the kept axes' size each) and a count."""

    types = ("Normalization",)
    signature = (("axis", -1), ("mean", None), ("variance", None), ("invert", False))

    def _axes(self, a: Args) -> tuple | None:
        axis = a["axis"]
        if axis is None:
            return ()
        if not is_known(axis):
            return None
        if isinstance(axis, int):
            return (axis,)
        if isinstance(axis, (list, tuple)) and all(is_int(x) for x in axis):
            return tuple(axis)
        if isinstance(axis, (list, tuple)) and not all(map(is_known, axis)):
            return None
        raise _bad(a, "axis", "expected an int or a tuple of ints")

    def _stats(self, a: Args) -> tuple | None:
        """The shape of the given mean (None: not given or not a literal)."""
        mean, variance = a["mean"], a["variance"]
        if not is_known(mean) or not is_known(variance):
            return None
        if (mean is None) != (variance is None):
            raise _bad(a, "mean" if mean is None else "variance",
                       "mean and variance must be given together")
        if mean is None:
            return None
        shape, other = nested_shape(mean), nested_shape(variance)
        if shape is None or other is None:
            return None
        if shape != other:
            raise _bad(a, "variance", f"must have the shape of mean, {shape}")
        axes = self._axes(a)
        if axes is not None and len(shape) > len(axes):
            raise _bad(a, "mean", f"its rank must be at most the number of axes ({len(axes)})")
        return shape

    def check_args(self, a: Args) -> None:
        self._axes(a)
        self._stats(a)

    def _kept(self, a: Args, shape: Shape) -> list[int] | None:
        axes = self._axes(a)
        if axes is None:
            return None
        ndim = len(shape)
        if any(x < -ndim or x >= ndim for x in axes):
            raise _bad(a, "axis", f"out of range for {describe(shape)}")
        kept = sorted(x if x >= 0 else x + ndim for x in axes)
        for axis in kept:
            if shape[axis] is None:
                raise ShapeError("KC204", "the layer keeps one statistic per position on these axes",
                                 layer=a.layer, expected=f"a known size on axis {axis}",
                                 actual=describe(shape))
        stats = self._stats(a)
        if stats:
            expanded = [1] * ndim
            for i in range(1, len(stats) + 1):
                expanded[kept[-i]] = stats[-i]
            for axis, size in enumerate(expanded):
                wanted = shape[axis] if axis in kept else 1
                if size not in (1, wanted):
                    raise _bad(a, "mean", f"shape {stats} does not broadcast to {describe(shape)}")
        return kept

    def output_shape(self, a: Args, shape: Output) -> Output:
        self._kept(a, shape)
        return shape

    def params(self, a: Args, shape: Output) -> int | None:
        kept, mean = self._kept(a, shape), a["mean"]
        if kept is None or not is_known(mean):
            return None
        if mean is not None:
            return 0
        return 2 * prod(shape[axis] for axis in kept) + 1

    def non_trainable_params(self, a: Args, shape: Output) -> int | None:
        """Its statistics are adapted, not trained: every weight is non-trainable."""
        return self.params(a, shape)

    def int64_weights(self, a: Args) -> int:
        return 0 if a["mean"] is not None else 1  # the count of samples seen


def _output_mode(a: Args, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> str | None:
    value = a["output_mode"]
    if not is_known(value):
        return None
    value = (aliases or {}).get(value, value)
    if value not in allowed:
        raise ShapeError("KC302", layer=a.layer, argument="output_mode", value=format_value(a["output_mode"]),
                         allowed=", ".join(repr(m) for m in allowed))
    return value


def one_hot_shape(shape: Shape, depth: int | None) -> Shape:
    """Lookup-style one-hot: a trailing axis of 1 is replaced by the depth, else one is added
    (None when a named last dim leaves that, and so the rank, to its value)."""
    if len(shape) > 1 and is_sym(shape[-1]):
        return None
    if len(shape) > 1 and shape[-1] == 1:
        return shape[:-1] + (depth,)
    return shape + (depth,)


@register
class CategoryEncoding(LayerRule):
    """``CategoryEncoding(num_tokens, output_mode='multi_hot')``."""

    types = ("CategoryEncoding",)
    signature = (("num_tokens", None), ("output_mode", "multi_hot"), ("sparse", False))
    modes = ("count", "one_hot", "multi_hot")

    def check_args(self, a: Args) -> None:
        _output_mode(a, self.modes, {"binary": "multi_hot"})
        tokens = a["num_tokens"]
        if tokens is None:
            raise ShapeError("KC304", "pass num_tokens, or use IntegerLookup when it is not known",
                             layer=a.layer, argument="num_tokens")
        if is_known(tokens) and _number(tokens) and tokens < 1:
            raise _bad(a, "num_tokens", "must be >= 1")

    def output_shape(self, a: Args, shape: Output) -> Output:
        mode, tokens = _output_mode(a, self.modes, {"binary": "multi_hot"}), a["num_tokens"]
        if mode is None or not is_known(tokens):
            return None
        if mode == "one_hot" and len(shape) > 1 and is_sym(shape[-1]):
            return None  # whether the last axis is replaced or one is added depends on its value
        if mode == "one_hot" and (shape[-1] != 1 or len(shape) == 1):
            return shape + (tokens,)
        return shape[:-1] + (tokens,)


@register
class Hashing(LayerRule):
    """``Hashing(num_bins, output_mode='int')``: int keeps the shape, other modes replace
    the last axis by ``num_bins``."""

    types = ("Hashing",)
    signature = (("num_bins", REQUIRED), ("mask_value", None), ("salt", None), ("output_mode", "int"),
                 ("sparse", False))
    modes = ("int", "one_hot", "multi_hot", "count")

    def check_args(self, a: Args) -> None:
        bins = a.required("num_bins")
        if bins is None or (_number(bins) and bins <= 0):
            raise _bad(a, "num_bins", "must be a positive integer")
        mode = _output_mode(a, self.modes)
        if mode == "int" and a["sparse"] is True:
            raise _bad(a, "sparse", "only for output_mode 'one_hot', 'multi_hot' or 'count'")
        salt = a["salt"]
        if is_known(salt) and salt is not None and not is_int(salt) and not (
                isinstance(salt, (tuple, list)) and len(salt) == 2):
            raise _bad(a, "salt", "expected an integer or a pair of integers")

    def output_shape(self, a: Args, shape: Output) -> Output:
        mode, bins = _output_mode(a, self.modes), a["num_bins"]
        if mode == "int":
            return shape
        if mode is None or not is_known(bins):
            return None
        return shape[:-1] + (bins,)


@register
class Discretization(LayerRule):
    """``Discretization(bin_boundaries=None, num_bins=None, output_mode='int')``."""

    types = ("Discretization",)
    signature = (("bin_boundaries", None), ("num_bins", None), ("epsilon", 0.01), ("output_mode", "int"),
                 ("sparse", False))
    modes = ("int", "one_hot", "multi_hot", "count")

    def check_args(self, a: Args) -> None:
        mode = a["output_mode"]
        if a["sparse"] is True and mode == "int":
            raise _bad(a, "sparse", "only for output_mode 'one_hot', 'multi_hot' or 'count'")
        _output_mode(a, self.modes)
        bins, boundaries = a["num_bins"], a["bin_boundaries"]
        if is_known(bins) and _number(bins) and bins < 0:
            raise _bad(a, "num_bins", "must be >= 0")
        if bins is not None and boundaries is not None and is_known(bins) and is_known(boundaries):
            raise _bad(a, "num_bins", "give num_bins or bin_boundaries, not both")
        if bins is None and boundaries is None and a.context.keras_version == 3:  # tf-keras waits for adapt()
            raise ShapeError("KC304", "pass bin_boundaries=[...] or num_bins=...", layer=a.layer,
                             argument="bin_boundaries or num_bins")

    def output_shape(self, a: Args, shape: Output) -> Output:
        mode = _output_mode(a, self.modes)
        if mode == "int":
            return shape
        bins, boundaries = a["num_bins"], a["bin_boundaries"]
        if mode is None:
            return None
        if boundaries is not None:
            depth = len(boundaries) + 1 if isinstance(boundaries, (list, tuple)) else None
        else:
            depth = bins if is_int(bins) else None
        # tf-keras encodes at most 2D: one_hot adds an axis unless the last one is 1
        if a.context.keras_version == 2 and len(shape) + (mode == "one_hot" and shape[-1] != 1) > 2:
            raise ShapeError("KC101", f"tf-keras encodes at most 2D in output_mode '{mode}'", layer=a.layer,
                             expected="(batch,) or (batch, 1)" if mode == "one_hot" else "1D or 2D",
                             actual=describe(shape))
        if mode == "one_hot":
            return one_hot_shape(shape, depth)
        if len(shape) >= 2:
            return (shape[0],) + shape[2:] + (depth,)  # Keras drops axis 1 here
        return (depth,)


class Lookup(LayerRule):
    """IntegerLookup / StringLookup: int keeps the shape; other modes encode a vocabulary."""

    modes = ("int", "one_hot", "multi_hot", "count", "tf_idf")
    fixed: ClassVar[dict[str, Any]] = {}  # lookup settings a layer does not take as arguments

    def setting(self, a: Args, name: str) -> Any:
        return self.fixed[name] if name in self.fixed else a[name]

    def check_args(self, a: Args) -> None:
        max_tokens, oov = a["max_tokens"], a["num_oov_indices"]
        if is_known(max_tokens) and _number(max_tokens) and max_tokens <= 1:
            raise _bad(a, "max_tokens", "must be greater than 1 (or None)")
        if a["pad_to_max_tokens"] is True and max_tokens is None:
            raise _bad(a, "pad_to_max_tokens", "needs max_tokens")
        if is_known(oov) and _number(oov) and oov < 0:
            raise _bad(a, "num_oov_indices", "must be >= 0")
        mode = _output_mode(a, self.modes, {"binary": "multi_hot", "tf-idf": "tf_idf"})
        if a["invert"] is True and mode not in (None, "int"):
            raise _bad(a, "invert", "only for output_mode 'int'")
        if a["sparse"] is True and mode == "int":
            raise _bad(a, "sparse", "only for output_mode 'one_hot', 'multi_hot', 'count' or 'tf_idf'")
        if is_known(a["idf_weights"]) and a["idf_weights"] is not None and mode not in (None, "tf_idf"):
            raise _bad(a, "idf_weights", "only for output_mode 'tf_idf'")

    def vocabulary_size(self, a: Args, mode: str) -> int | None:
        """OOV indices plus a literal vocabulary's tokens (plus the mask in int mode), as
        Keras counts them; None when the vocabulary is not a plain literal list."""
        vocabulary, oov, mask = a["vocabulary"], self.setting(a, "num_oov_indices"), self.setting(a, "mask_token")
        if not is_int(oov) or not isinstance(vocabulary, (list, tuple)) or not is_known(mask):
            return None
        tokens = list(vocabulary)
        if not tokens or not all(map(is_known, tokens)) or len(set(tokens)) != len(tokens):
            return None
        if {self.setting(a, "oov_token"), mask} & set(tokens):
            return None
        return (1 if mask is not None and mode == "int" else 0) + oov + len(tokens)

    def check_vocabulary(self, a: Args, mode: str) -> int | None:
        """The vocabulary size, after Keras's check that it fits in max_tokens."""
        size, max_tokens = self.vocabulary_size(a, mode), a["max_tokens"]
        if size is not None and is_int(max_tokens) and size > max_tokens:
            raise _bad(a, "max_tokens", f"is smaller than the vocabulary ({size} with the OOV indices)")
        return size

    def depth(self, a: Args, mode: str) -> int | None:
        """The encoding size: max_tokens when padded, else the vocabulary size (the mask token
        is not encoded); None when it depends on adapt()."""
        size = self.check_vocabulary(a, mode)
        if a["pad_to_max_tokens"] is True:
            max_tokens = a["max_tokens"]
            return max_tokens if is_int(max_tokens) else None
        return size

    def encode(self, a: Args, shape: Shape, mode: str | None) -> Output:
        if mode is None:
            return None
        depth = self.depth(a, mode)
        if mode == "one_hot":
            return one_hot_shape(shape, depth)
        return shape[:-1] + (depth,)

    def output_shape(self, a: Args, shape: Output) -> Output:
        mode = _output_mode(a, self.modes, {"binary": "multi_hot", "tf-idf": "tf_idf"})
        if mode == "int":
            self.check_vocabulary(a, mode)
            return shape
        return self.encode(a, shape, mode)


_LOOKUP_ARGS = (("max_tokens", None), ("num_oov_indices", 1), ("mask_token", None))
_LOOKUP_TAIL = (("vocabulary", None), ("vocabulary_dtype", "int64"), ("idf_weights", None),
                ("invert", False), ("output_mode", "int"), ("sparse", False), ("pad_to_max_tokens", False))


@register
class IntegerLookup(Lookup):
    """``IntegerLookup(max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, ...)``."""

    types = ("IntegerLookup",)
    signature = _LOOKUP_ARGS + (("oov_token", -1),) + _LOOKUP_TAIL


@register
class StringLookup(Lookup):
    """``StringLookup(max_tokens=None, num_oov_indices=1, mask_token=None, oov_token='[UNK]', ...)``."""

    types = ("StringLookup",)
    signature = _LOOKUP_ARGS + (("oov_token", "[UNK]"), ("vocabulary", None), ("idf_weights", None),
                                ("invert", False), ("output_mode", "int"), ("pad_to_max_tokens", False),
                                ("sparse", False))


@register
class TextVectorization(Lookup):
    """``TextVectorization(max_tokens=None, standardize=..., split='whitespace', ngrams=None,
    output_mode='int', output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None)``.

    int mode gives ``(batch, output_sequence_length)``; the other modes encode the split
    tokens, which adds an axis of unknown length (none with ``split=None``).
    """

    types = ("TextVectorization",)
    signature = (("max_tokens", None), ("standardize", "lower_and_strip_punctuation"),
                 ("split", "whitespace"), ("ngrams", None), ("output_mode", "int"),
                 ("output_sequence_length", None), ("pad_to_max_tokens", False),
                 ("vocabulary", None), ("idf_weights", None), ("sparse", False), ("ragged", False))
    fixed = {"num_oov_indices": 1, "oov_token": "[UNK]", "mask_token": ""}

    def check_args(self, a: Args) -> None:
        for name, allowed in (("standardize", ("lower_and_strip_punctuation", "lower", "strip_punctuation")),
                              ("split", ("whitespace", "character"))):
            value = a[name]
            if isinstance(value, str) and value not in allowed:
                raise ShapeError("KC302", layer=a.layer, argument=name, value=format_value(value),
                                 allowed=", ".join(repr(v) for v in allowed))
        mode, length = a["output_mode"], a["output_sequence_length"]
        if mode == "int" and is_known(length) and length is not None and not isinstance(length, int):
            raise _bad(a, "output_sequence_length", "expected None or an integer")
        if is_known(mode) and mode != "int" and length is not None:
            raise _bad(a, "output_sequence_length", "only for output_mode 'int'")
        if is_known(mode) and mode != "int" and a["ragged"] is True:
            raise _bad(a, "ragged", "only for output_mode 'int'")
        super().check_args(a)

    def output_shape(self, a: Args, shape: Output) -> Output:
        mode = _output_mode(a, self.modes, {"binary": "multi_hot", "tf-idf": "tf_idf"})
        if mode == "int":
            self.check_vocabulary(a, mode)
            length = a["output_sequence_length"]
            return (shape[0], length if is_int(length) else None)
        split = a["split"]
        if not is_known(split):
            return None
        if split is None:
            shape = shape + (1,) if len(shape) <= 1 else shape
        else:
            shape = shape + (None,)
        return self.encode(a, shape, mode)
