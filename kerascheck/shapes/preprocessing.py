"""Preprocessing layers other than the image ones (``image_preprocessing``): Rescaling,
Normalization, CategoryEncoding, Hashing, Discretization, the lookups and TextVectorization.

Lookup and TextVectorization depths depend on the vocabulary: known only from ``max_tokens``
with ``pad_to_max_tokens`` or a literal vocabulary, otherwise an unknown dim, as Keras itself
reports before ``adapt()``. tf-keras (Keras 2) differs: Discretization encodes (output_mode
other than 'int') at most a 2D output.
"""

from __future__ import annotations

from math import prod
from typing import Any, ClassVar

from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Shape,
    ShapeError,
    Output,
    describe,
    format_value,
    is_int,
    is_known,
    register,
)
from kerascheck.shapes.symbolic import is_sym


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float))


def bad_argument(a: Args, name: str, detail: str) -> ShapeError:
    """KC303 for argument ``name``'s value."""
    return ShapeError("KC303", layer=a.layer, argument=name, value=format_value(a[name]), detail=detail)


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
    if is_number(value):
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
        raise bad_argument(a, "axis", "expected an int or a tuple of ints")

    def _stats(self, a: Args) -> tuple | None:
        """The shape of the given mean (None: not given or not a literal)."""
        mean, variance = a["mean"], a["variance"]
        if not is_known(mean) or not is_known(variance):
            return None
        if (mean is None) != (variance is None):
            raise bad_argument(a, "mean" if mean is None else "variance",
                       "mean and variance must be given together")
        if mean is None:
            return None
        shape, other = nested_shape(mean), nested_shape(variance)
        if shape is None or other is None:
            return None
        if shape != other:
            raise bad_argument(a, "variance", f"must have the shape of mean, {shape}")
        axes = self._axes(a)
        if axes is not None and len(shape) > len(axes):
            raise bad_argument(a, "mean", f"its rank must be at most the number of axes ({len(axes)})")
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
            raise bad_argument(a, "axis", f"out of range for {describe(shape)}")
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
                    raise bad_argument(a, "mean", f"shape {stats} does not broadcast to {describe(shape)}")
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
        if is_known(tokens) and is_number(tokens) and tokens < 1:
            raise bad_argument(a, "num_tokens", "must be >= 1")

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
        if bins is None or (is_number(bins) and bins <= 0):
            raise bad_argument(a, "num_bins", "must be a positive integer")
        mode = _output_mode(a, self.modes)
        if mode == "int" and a["sparse"] is True:
            raise bad_argument(a, "sparse", "only for output_mode 'one_hot', 'multi_hot' or 'count'")
        salt = a["salt"]
        if is_known(salt) and salt is not None and not is_int(salt) and not (
                isinstance(salt, (tuple, list)) and len(salt) == 2):
            raise bad_argument(a, "salt", "expected an integer or a pair of integers")

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
            raise bad_argument(a, "sparse", "only for output_mode 'one_hot', 'multi_hot' or 'count'")
        _output_mode(a, self.modes)
        bins, boundaries = a["num_bins"], a["bin_boundaries"]
        if is_known(bins) and is_number(bins) and bins < 0:
            raise bad_argument(a, "num_bins", "must be >= 0")
        if bins is not None and boundaries is not None and is_known(bins) and is_known(boundaries):
            raise bad_argument(a, "num_bins", "give num_bins or bin_boundaries, not both")
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
        if is_known(max_tokens) and is_number(max_tokens) and max_tokens <= 1:
            raise bad_argument(a, "max_tokens", "must be greater than 1 (or None)")
        if a["pad_to_max_tokens"] is True and max_tokens is None:
            raise bad_argument(a, "pad_to_max_tokens", "needs max_tokens")
        if is_known(oov) and is_number(oov) and oov < 0:
            raise bad_argument(a, "num_oov_indices", "must be >= 0")
        mode = _output_mode(a, self.modes, {"binary": "multi_hot", "tf-idf": "tf_idf"})
        if a["invert"] is True and mode not in (None, "int"):
            raise bad_argument(a, "invert", "only for output_mode 'int'")
        if a["sparse"] is True and mode == "int":
            raise bad_argument(a, "sparse", "only for output_mode 'one_hot', 'multi_hot', 'count' or 'tf_idf'")
        if is_known(a["idf_weights"]) and a["idf_weights"] is not None and mode not in (None, "tf_idf"):
            raise bad_argument(a, "idf_weights", "only for output_mode 'tf_idf'")

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
            raise bad_argument(a, "max_tokens", f"is smaller than the vocabulary ({size} with the OOV indices)")
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
            raise bad_argument(a, "output_sequence_length", "expected None or an integer")
        if is_known(mode) and mode != "int" and length is not None:
            raise bad_argument(a, "output_sequence_length", "only for output_mode 'int'")
        if is_known(mode) and mode != "int" and a["ragged"] is True:
            raise bad_argument(a, "ragged", "only for output_mode 'int'")
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
