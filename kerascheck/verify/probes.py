"""What verify runs in Keras for a data call: zero arrays of the call's shapes, the same loss.

Made on the static side from a ``DataCall`` (no TensorFlow here). The sample counts are made
small without changing what a shape check depends on: arrays fed together keep equal counts
equal and different ones different (Keras rejects different counts before any step), and the
batches Keras cuts keep their sizes (``batch + n % batch`` samples give the same full and last
batch as ``n``), since a loss broadcasting the batch axis or an input with a fixed batch size
fails on one batch size and not another.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from math import prod
from typing import TYPE_CHECKING, Any

from kerascheck.data.arrays import Array
from kerascheck.data.checks import ModelData
from kerascheck.data.pipelines import Batches
from kerascheck.graph import DEFAULT_BATCH_SIZE, UNKNOWN, DataCall, Opaque
from kerascheck.shapes.base import format_shape

if TYPE_CHECKING:
    from kerascheck.shapes.propagate import ModelResult

METHODS = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch")
WITH_LABELS = ("fit", "evaluate", "train_on_batch", "test_on_batch")
# Arguments that change which samples Keras uses or how labels are weighted: not reproduced,
# so a call giving them is not verified.
NOT_REPRODUCED = ("validation_split", "class_weight")
MAX_ELEMENTS = 50_000_000  # zeros beyond this (200 MB of float32) are not made


@dataclass(frozen=True)
class Zeros:
    """A zero array of this shape and NumPy dtype, made in the worker."""

    shape: tuple
    dtype: str


@dataclass(frozen=True)
class LossCall:
    """A loss object written as a literal call: ``CategoricalCrossentropy(from_logits=True)``."""

    name: str
    args: tuple
    kwargs: dict


@dataclass(frozen=True)
class DataProbe:
    """One data call as the worker runs it: ``arguments`` (``x``, ``y``, ``sample_weight``,
    ``validation_data``) hold ``Zeros`` in the call's structure; ``loss`` is a string, a
    ``LossCall``, a list/dict of them, or None (no compile needed: predict)."""

    method: str
    line: int
    arguments: dict[str, Any]
    batch_size: int | None
    loss: Any
    builds_model: bool = False  # the call that builds a Sequential declared without an input


class NotProbed(Exception):
    """The call cannot be run in Keras as it is written (the reason says why)."""


def make_probe(call: DataCall, loss: Any, builds_model: bool = False) -> DataProbe:
    """The probe for ``call`` with the compiled ``loss`` in effect; raises NotProbed."""
    method = call.method
    if method not in METHODS:
        raise NotProbed(f"{method} is not run by verify")
    given = [name for name in NOT_REPRODUCED if call.args.get(name) not in (None, UNKNOWN)]
    if given:
        raise NotProbed(f"{given[0]}= is not reproduced")
    batch = call.args.get("batch_size")
    if batch is not None and (not isinstance(batch, int) or isinstance(batch, bool) or batch <= 0):
        raise NotProbed("its batch_size is not a known positive integer")
    step = DEFAULT_BATCH_SIZE if batch is None else batch
    whole = method.endswith("_on_batch")
    if any(isinstance(call.args.get(name), Batches) for name in ("x", "generator")):
        raise NotProbed("its data comes from a generator or dataset, which verify does not rebuild")
    names = ("x", "y", "sample_weight") if method in WITH_LABELS else ("x",)
    fed = {name: call.args[name] for name in names if call.args.get(name) is not None}
    if "x" not in fed:
        raise NotProbed("it has no x")
    if method in WITH_LABELS and "y" not in fed:
        raise NotProbed("its labels are not given as arrays")
    arguments = _zeros(fed, step, whole)
    validation = call.args.get("validation_data")
    if method == "fit" and validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) not in (2, 3):
            raise NotProbed("its validation_data is not a tuple of arrays")
        names = ("x", "y", "sample_weight")[:len(validation)]
        made = _zeros(dict(zip(names, validation)), step, whole=False, label="validation ")
        arguments["validation_data"] = tuple(made[name] for name in names)
    if sum(_elements(value) for value in arguments.values()) > MAX_ELEMENTS:
        raise NotProbed("its arrays are too large to make")
    needs_loss = method in WITH_LABELS
    return DataProbe(method, call.position.line, arguments, batch, literal_loss(loss) if needs_loss else None,
                     builds_model)


def literal_loss(loss: Any) -> Any:
    """The loss as the worker rebuilds it; raises NotProbed when it is not a literal."""
    if loss is None:
        raise NotProbed("no compile gives it a loss")
    if isinstance(loss, str):
        return loss
    if isinstance(loss, (list, tuple)):
        return [None if item is None else literal_loss(item) for item in loss]
    if isinstance(loss, dict) and all(isinstance(k, str) for k in loss):
        return {k: literal_loss(v) for k, v in loss.items()}
    if isinstance(loss, Opaque):
        return _loss_call(loss.text)
    raise NotProbed("its loss is not a literal")


def _loss_call(text: str) -> LossCall:
    """``keras.losses.CategoricalCrossentropy(from_logits=True)`` read, never run: a dotted name
    called with literal arguments."""
    try:
        node = ast.parse(text, mode="eval").body
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            args = tuple(ast.literal_eval(arg) for arg in node.args)
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg is not None}
            if len(kwargs) == len(node.keywords):
                return LossCall(name, args, kwargs)
    except (SyntaxError, ValueError):
        pass
    raise NotProbed(f"its loss {text} is not a literal call")


def _zeros(fed: dict[str, Any], step: int, whole: bool, label: str = "") -> dict[str, Any]:
    """``fed``'s arrays as Zeros, their sample counts made small (see the module docstring)."""
    arrays = [a for value in fed.values() for a in _arrays(value, label)]
    counts = sorted({a.shape[0] for a in arrays if a.shape})
    if whole:
        small = {n: n for n in counts}  # one batch of every sample
    elif len(counts) > 1:  # Keras rejects them before any step: only their difference matters
        exact = sum(prod(a.shape) for a in arrays) <= MAX_ELEMENTS
        small = {n: n if exact else i + 1 for i, n in enumerate(counts)}
    else:
        small = {n: n if n <= step else step + n % step for n in counts}
    return {name: _replace(value, small) for name, value in fed.items()}


def _arrays(value: Any, label: str) -> list[Array]:
    """The arrays in ``value`` (an array, or a list/tuple/dict of them), each of known shape."""
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [value]
    for item in items:
        if isinstance(item, Batches):
            raise NotProbed(f"its {label}data comes from a generator or dataset, which verify does not rebuild")
        if not isinstance(item, Array) or item.shape is None:
            raise NotProbed(f"its {label}data is not arrays of known shape")
        if not all(isinstance(d, int) and not isinstance(d, bool) for d in item.shape):
            raise NotProbed(f"its {label}data has an unknown dimension: {_text(item.shape)}")
        if item.dtype == "object":
            raise NotProbed(f"its {label}data holds Python objects")
    return items


def _replace(value: Any, small: dict[int, int]) -> Any:
    if isinstance(value, dict):
        return {k: _replace(v, small) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_replace(v, small) for v in value)
    shape = value.shape
    if shape:
        shape = (small[shape[0]],) + shape[1:]
    return Zeros(shape, {"int": "int32", "bool": "bool"}.get(value.dtype, "float32"))


def _elements(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_elements(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_elements(v) for v in value)
    return prod(value.shape)


def _text(shape: tuple) -> str:
    return format_shape(tuple(d if isinstance(d, int) else None for d in shape))


def described(probe: DataProbe) -> str:
    """``fit with x (63, 20), y (63, 1)``: the call and the shapes Keras was given."""
    def shapes(value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k!r}: {shapes(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(shapes(v) for v in value) + "]"
        return _text(value.shape)

    parts = ", ".join(f"{name} {shapes(value)}" for name, value in probe.arguments.items())
    return f"{probe.method} with {parts}"


def probes_for(result: ModelResult) -> tuple[list[tuple[DataCall, DataProbe]], list[tuple[DataCall, str]]]:
    """The probe of each of the model's data calls, and the calls not probed with the reason."""
    model = result.model
    data = ModelData(result)
    builder = next((spec.position for spec in model.inputs if spec.built_by is not None), None)
    probed, skipped = [], []
    for call in model.data_calls:
        try:
            if model.kind not in ("sequential", "functional"):
                raise NotProbed(f"a {model.kind} model is not rebuilt")
            probed.append((call, make_probe(call, data.loss_at(call), call.position == builder)))
        except NotProbed as reason:
            skipped.append((call, str(reason)))
    return probed, skipped
