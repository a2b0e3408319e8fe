"""Core layers: Dense, Embedding, Masking, Identity, Lambda and InputLayer inside a Sequential.

Keras facts worth knowing (Keras 3.15):
- ``Embedding`` rejects ``bool`` sizes (``Embedding(True, 3)``) although most layers accept
  ``True`` as 1; ``input_length`` is accepted, warned about and ignored; any input rank works.
- ``Lambda`` has no weights; its output is known from a literal ``output_shape=`` tuple (which
  excludes the batch dim), or from its function where the frontend followed it.
- A layer whose last input dim is ``None`` cannot build its kernel in Keras; kerascheck cannot
  tell an unknown dim from Keras's ``None``, so it keeps the output and leaves params unknown.
"""

from __future__ import annotations

import math

from kerascheck.graph import UNKNOWN, ModelGraph
from kerascheck.repairs import Fix, InsertLayer, ReplaceArgument
from kerascheck.shapes.activations import check_activation
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
    register,
)
from kerascheck.shapes.custom import through_body
from kerascheck.shapes.symbolic import is_sym


def strict_positive_int(a: Args, name: str) -> int | None:
    """A size Keras checks with ``isinstance(int) and not bool``: KC301 otherwise."""
    value = a.required(name)
    if is_sym(value):
        return value  # a parameter of a model-building function: the dim is named
    if not is_known(value):
        return None
    if not is_int(value) or value <= 0:
        raise ShapeError("KC301", layer=a.layer, argument=name, value=format_value(value))
    return value


def rank_word(wanted: str) -> int | None:
    """The rank a KC101 ``expected`` text asks for: ``"2D (batch, features)"`` -> 2."""
    for word in wanted.split():
        if word.endswith("D") and word[:-1].isdigit():
            return int(word[:-1])
    return None


@register
class Dense(LayerRule):
    """``Dense(units)``: acts on the last axis of any input of rank >= 2. tf-keras takes
    ``int(units)`` of a float (``Dense(n / 2)``) and 0 units, and fails on a bool."""

    types = ("Dense",)
    python_int_arguments = {"units": (3,)}
    signature = (("units", REQUIRED), ("activation", None), ("use_bias", True))
    min_ndim = 2
    unsized_errors = ("Shapes used to initialize variables must be fully-defined",
                      "The last dimension of the inputs to a Dense layer should be defined")

    def weight_axes(self, a: Args, shape: Shape) -> tuple[int, ...]:
        return (-1,)

    def check_args(self, a: Args) -> None:
        units = a["units"]
        hint = fix = None
        if isinstance(units, (tuple, list)) and units and all(isinstance(u, int) for u in units):
            product = " * ".join(str(u) for u in units)
            hint = f"Dense gives one vector per sample; use Dense({product}) then Reshape({tuple(units)!r})"
            fix = _dense_reshape_fix(a, product, tuple(units))
        try:
            self.units(a, hint)
        except ShapeError as error:
            error.fix = fix  # propagation keeps it only if the Reshape fits the Dense's input
            raise
        check_activation(a)

    def units(self, a: Args, hint: str | None = None) -> int | None:
        """The output size: Keras 3's positive int; tf-keras's ``int(units)``, from 0."""
        value = a["units"]
        if a.context.keras_version == 3 or not is_known(value) or is_sym(value):
            return a.positive_int("units", hint)
        if isinstance(value, float) and math.isfinite(value):
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ShapeError("KC301", hint, layer=a.layer, argument="units", value=format_value(a["units"]))
        return int(value)  # a NumPy integer too: tf-keras takes int(units)

    def output_shape(self, a: Args, shape: Output) -> Output:
        return shape[:-1] + (self.units(a),)

    def params(self, a: Args, shape: Output) -> int | None:
        units, features, use_bias = self.units(a), shape[-1], a.bool("use_bias")
        if units is None or features is None or use_bias is None:
            return None
        return features * units + (units if use_bias else 0)

    def weight_shapes(self, a: Args, shape: Shape) -> tuple[tuple[str, Shape], ...] | None:
        units, use_bias = self.units(a), a.bool("use_bias")
        if units is None or use_bias is None:
            return None
        return (("kernel", (shape[-1], units)),) + ((("bias", (units,)),) if use_bias else ())

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        rank = rank_word(wanted)
        if len(produced) > 2 and rank == 2:
            return (f"acts on the last axis only and keeps the {len(produced)}D rank; "
                    "add Flatten() or GlobalAveragePooling1D() before the Dense")
        return None


def _dense_reshape_fix(a: Args, product: str, units: tuple[int, ...]) -> Fix | None:
    """``Dense((10, 2))`` -> ``Dense(10 * 2)`` followed by ``Reshape((10, 2))``."""
    if not all(u > 0 for u in units) or "name" in a.node.kwargs:
        return None  # a named Dense may be an output that losses and metrics refer to by name
    position = a.node.position
    return Fix(f"Dense({product}) then Reshape({units!r})",
               (ReplaceArgument(position, product, name="units", index=0),
                InsertLayer(position, f"Reshape({units!r})", after=True)), Fix.UNSAFE)


@register
class Embedding(LayerRule):
    """``Embedding(input_dim, output_dim)``: appends an ``output_dim`` axis to any input."""

    types = ("Embedding",)
    python_int_arguments = {"input_dim": (3,), "output_dim": (3,)}
    signature = (("input_dim", REQUIRED), ("output_dim", REQUIRED))
    takes_weights_in_keras3 = True

    def check_args(self, a: Args) -> None:
        strict_positive_int(a, "input_dim")
        strict_positive_int(a, "output_dim")

    def output_shape(self, a: Args, shape: Output) -> Output:
        return shape + (strict_positive_int(a, "output_dim"),)

    def params(self, a: Args, shape: Output) -> int | None:
        rows, columns = strict_positive_int(a, "input_dim"), strict_positive_int(a, "output_dim")
        return None if rows is None or columns is None else rows * columns

    def weight_shapes(self, a: Args, shape: Shape) -> tuple[tuple[str, Shape], ...] | None:
        rows, columns = strict_positive_int(a, "input_dim"), strict_positive_int(a, "output_dim")
        return None if rows is None or columns is None else (("embeddings", (rows, columns)),)

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        if rank_word(wanted) == len(produced) - 1:
            return (f"adds an embedding axis ({len(produced)}D); "
                    "add Flatten() or GlobalAveragePooling1D() after it")
        return None


@register
class PassThrough(LayerRule):
    """Layers whose output is their input: ``Masking``, ``Identity``."""

    types = ("Masking", "Identity")
    signature = (("mask_value", 0.0),)

    def display_name(self, node) -> str:
        return node.type

    def output_shape(self, a: Args, shape: Output) -> Output:
        return shape


@register
class Lambda(LayerRule):
    """``Lambda(function, output_shape=None)``: known from a literal ``output_shape``, else from
    the function when the frontend followed it (then each call's input is the function's result)."""

    types = ("Lambda",)
    signature = (("function", REQUIRED), ("output_shape", None), ("mask", None), ("arguments", None))

    def output_shape(self, a: Args, shape: Output) -> Output:
        if a.node.traced:
            return shape
        if a.node.body is not None:
            return through_body(a.node.body, shape)[0]
        declared = a["output_shape"]
        if isinstance(declared, tuple) and all(d is None or is_int(d) for d in declared):
            first = shape[0] if isinstance(shape, list) and shape else shape  # Keras: the first input's batch
            batch = first[0] if isinstance(first, tuple) and first else None
            return (batch,) + declared
        return None


@register
class InputLayer(LayerRule):
    """``InputLayer(shape=...)`` written as a Sequential's layer: its output is its declared shape."""

    types = ("InputLayer",)
    signature = (("shape", None), ("batch_size", None), ("dtype", None), ("sparse", None),
                 ("ragged", None), ("batch_shape", None))

    def check_args(self, a: Args) -> None:
        if a["shape"] is not None and a["batch_shape"] is not None:
            raise ShapeError("KC303", layer=a.layer, argument="batch_shape",
                             value=format_value(a["batch_shape"]),
                             detail="cannot be given together with shape")

    def declared(self, a: Args) -> Shape | None:
        shape = a["input_shape"] if a["shape"] is None and "input_shape" in a else a["shape"]
        batch_shape = a["batch_input_shape"] if "batch_input_shape" in a else a["batch_shape"]
        if batch_shape is not None:
            return _literal_shape(batch_shape)
        if shape is None:
            return None
        batch = a["batch_size"]
        if batch is not None and not is_int(batch):
            return None
        inner = _literal_shape(shape if isinstance(shape, (tuple, list)) else (shape,))
        return None if inner is None else (batch,) + inner

    def output_shape(self, a: Args, shape: Output) -> Output:
        return self.declared(a)


def _literal_shape(value: object) -> Shape | None:
    """A shape written as a tuple/list of ints and Nones; None when anything is unresolved."""
    if value is UNKNOWN or not isinstance(value, (tuple, list)):
        return None
    if not all(d is None or is_int(d) or is_sym(d) for d in value):
        return None
    return tuple(value)
