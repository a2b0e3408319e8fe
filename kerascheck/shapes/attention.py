"""Attention layers: MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention.

MultiHeadAttention and GroupQueryAttention are called with separate tensors,
``mha(query, value)`` or ``mha(query, value, key)``: their input is the list
``[query, value]`` or ``[query, value, key]`` in that order (the frontend folds the
``query=``/``value=``/``key=`` call keywords into it). Attention and AdditiveAttention take one
list ``[query, value]`` or ``[query, value, key]``.

Keras 3 builds the projections of MultiHeadAttention as EinsumDense layers sized from the last
axis of each input; it does not compare the query's and value's ranks or lengths, and
Attention checks nothing but the number of inputs.

tf-keras (Keras 2) gives Attention and AdditiveAttention the shape of the TensorFlow ops it runs:
the scores are ``matmul(query, key, transpose_b=True)`` (or a sum over the broadcast query and
key), the output ``matmul(softmax(scores), value)``, each matmul broadcasting the axes before
its last two, which must agree.
"""

from __future__ import annotations

import string
from typing import Any

from kerascheck.graph import LayerNode
from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Output,
    Shape,
    ShapeError,
    describe,
    format_shape,
    format_value,
    is_int,
    is_known,
    register,
)
from kerascheck.shapes.einsum_dense import Einsum, EinsumProblem, analyze, weight_count
from kerascheck.shapes.merging import Unbroadcastable, needs_list, nested, tensorflow_op_shape
from kerascheck.shapes.symbolic import certainly

def _letters(start: int, count: int) -> str:
    return string.ascii_lowercase[start:start + count]


def projection(free: int, bound: int, outputs: int) -> tuple[str, str, int]:
    """Keras's MultiHeadAttention projection: (equation, bias axes, output rank)."""
    inputs = _letters(0, free + bound)
    kernel = _letters(free, bound + outputs)
    output = _letters(0, free) + _letters(free + bound, outputs)
    return f"{inputs},{kernel}->{output}", _letters(free + bound, outputs), len(output)


def split_inputs(a: Args, shape: Output) -> tuple[Shape, Shape, Shape | None] | None:
    """(query, value, key) from the call's input list; None when the call is not understood."""
    if isinstance(shape, tuple) or (isinstance(shape, list) and len(shape) == 1):
        raise ShapeError("KC304", "call it as layer(query, value) or layer(query, value, key)",
                         layer=a.layer, argument="value")
    if not isinstance(shape, list) or len(shape) > 3 or nested(shape):
        return None  # more positional arguments are masks: not modelled
    return shape[0], shape[1], (shape[2] if len(shape) == 3 else None)


def check_value_key(a: Args, value: Shape, key: Shape) -> None:
    if value[1:-1] != key[1:-1]:
        raise ShapeError("KC203", "value and key must have the same shape except the last axis",
                         layer=a.layer, detail=f"value {format_shape(value)} and key {format_shape(key)}")


class Projections:
    """The EinsumDense weights of an attention layer, counted as Keras builds them."""

    def __init__(self, a: Args) -> None:
        self.a = a
        self.total = 0

    def add(self, equation: str, bias_axes: str | None, shape: Shape, partial: list,
            role: str) -> Einsum:
        try:
            result = analyze(equation, bias_axes, shape, tuple(partial))
        except EinsumProblem:
            raise ShapeError("KC101", layer=self.a.layer, expected=f"a 3D {role} (batch, sequence, features)",
                             actual=describe(shape)) from None
        self.total += weight_count([result.kernel, result.bias], self.a.layer, shape)
        return result


def _sliding_window(a: Args) -> None:
    window = a["sliding_window"]
    if is_known(window) and window is not None and (not isinstance(window, int) or window <= 0):
        raise ShapeError("KC303", layer=a.layer, argument="sliding_window", value=format_value(window),
                         detail="expected None or a positive integer")


def _flash_dropout(a: Args) -> None:
    flash, dropout = a["flash_attention"], a["dropout"]
    if flash is True and isinstance(dropout, (int, float)) and dropout > 0:
        raise ShapeError("KC303", "set dropout=0.0 or flash_attention=False", layer=a.layer,
                         argument="dropout", value=format_value(dropout),
                         detail="dropout is not supported with flash attention")


class BuiltRule(LayerRule):
    """A rule whose ``_build(a, shape)`` gives ``(output, weights)`` at once, or None."""

    def _build(self, a: Args, shape: Output) -> tuple[Output, int] | None:
        raise NotImplementedError

    def output_shape(self, a: Args, shape: Output) -> Output:
        built = self._build(a, shape)
        return None if built is None else built[0]

    def params(self, a: Args, shape: Output) -> int | None:
        built = self._build(a, shape)
        return None if built is None else built[1]


@register
class MultiHeadAttention(BuiltRule):
    """``MultiHeadAttention(num_heads, key_dim, value_dim=None, ..., output_shape=None,
    attention_axes=None)``: output is the query's shape, its last axis replaced by
    ``output_shape`` when given."""

    types = ("MultiHeadAttention",)
    python_int_arguments = {"num_heads": (3,), "key_dim": (3,), "value_dim": (3,)}
    signature = (("num_heads", REQUIRED), ("key_dim", REQUIRED), ("value_dim", None),
                 ("dropout", 0.0), ("use_bias", True), ("output_shape", None),
                 ("attention_axes", None), ("sliding_window", None), ("flash_attention", None),
                 ("use_gate", False))
    multi_input = True

    def check_args(self, a: Args) -> None:
        a.positive_int("num_heads")
        a.positive_int("key_dim")
        if a["value_dim"] is not None:
            a.positive_int("value_dim")
        self._output_dims(a)
        axes = a["attention_axes"]
        if is_known(axes) and axes and not isinstance(axes, (int, list, tuple)):
            raise ShapeError("KC303", layer=a.layer, argument="attention_axes", value=format_value(axes),
                             detail="expected an int, list or tuple")
        _sliding_window(a)
        _flash_dropout(a)

    def _output_dims(self, a: Args) -> tuple | None:
        """``output_shape`` as a tuple; ``()`` when not given (the query's last axis is kept)."""
        value = a["output_shape"]
        if not is_known(value):
            return None
        if not value:
            return ()
        if isinstance(value, int):
            return (value,)
        if not isinstance(value, (list, tuple)):
            raise ShapeError("KC303", layer=a.layer, argument="output_shape", value=format_value(value),
                             detail="expected an int, tuple or list")
        if not all(is_known(d) for d in value):
            return None
        if not all(d is None or is_int(d) for d in value):
            raise ShapeError("KC303", layer=a.layer, argument="output_shape", value=format_value(value),
                             detail="dims must be integers")
        return tuple(value)

    def _build(self, a: Args, shape: Output) -> tuple[Shape, int] | None:
        inputs = split_inputs(a, shape)
        if inputs is None:
            return None
        query, value, key = inputs
        key = value if key is None else key
        check_value_key(a, value, key)
        heads, key_dim, value_dim = a["num_heads"], a["key_dim"], a["value_dim"]
        out_dims, axes = self._output_dims(a), a["attention_axes"]
        use_bias, use_gate = a.bool("use_bias"), a.bool("use_gate")
        if not all(map(is_known, (heads, key_dim, value_dim, axes))) or None in (out_dims, use_bias, use_gate):
            return None
        value_dim = value_dim or key_dim
        weights = Projections(a)

        def project(role: str, tensor: Shape, size: int) -> Einsum:
            equation, bias, rank = projection(len(tensor) - 1, 1, 2)
            return weights.add(equation, bias if use_bias else None, tensor,
                               [None] * (rank - 3) + [heads, size], role)

        projected_query = project("query", query, key_dim)
        project("key", key, key_dim)
        if use_gate:
            project("query", query, value_dim)
        project("value", value, value_dim)
        rank = projection(len(value) - 1, 1, 2)[2]
        self._check_attention_axes(a, axes, rank)
        out_dims = out_dims or (query[-1],)
        equation, bias, out_rank = projection(len(query) - 1, 2, len(out_dims))
        combined = tuple(projected_query.output[:-1]) + (value_dim,)
        weights.add(equation, bias if use_bias else None, combined,
                    [None] * (out_rank - 1 - len(out_dims)) + list(out_dims), "query")
        return query[:-1] + tuple(out_dims), weights.total

    def _check_attention_axes(self, a: Args, axes: Any, rank: int) -> None:
        if axes is None:
            return
        for axis in (axes,) if isinstance(axes, int) else axes:
            if not is_int(axis):
                return
            position = axis if axis >= 0 else rank - 1 + axis
            if not -rank <= position < rank:
                raise ShapeError("KC303", layer=a.layer, argument="attention_axes", value=format_value(axes),
                                 detail=f"axis {axis} is out of range for the {rank - 1}D projected value")


@register
class GroupQueryAttention(BuiltRule):
    """``GroupQueryAttention(head_dim, num_query_heads, num_key_value_heads)``: output is the
    query's shape; query and value need equal feature sizes."""

    types = ("GroupQueryAttention",)
    signature = (("head_dim", REQUIRED), ("num_query_heads", REQUIRED), ("num_key_value_heads", REQUIRED),
                 ("dropout", 0.0), ("use_bias", True), ("sliding_window", None),
                 ("flash_attention", None), ("use_gate", False))
    multi_input = True

    def check_args(self, a: Args) -> None:
        a.positive_int("head_dim")
        query_heads = a.required("num_query_heads")
        if is_known(query_heads) and (not is_int(query_heads) or query_heads < 0):
            raise ShapeError("KC301", layer=a.layer, argument="num_query_heads",
                             value=format_value(query_heads))
        kv_heads = a.positive_int("num_key_value_heads")
        if is_int(query_heads) and kv_heads and query_heads % kv_heads:
            raise ShapeError("KC303", "each key/value head serves the same number of query heads",
                             layer=a.layer, argument="num_query_heads", value=format_value(query_heads),
                             detail=f"must be divisible by num_key_value_heads={kv_heads}")
        _sliding_window(a)
        _flash_dropout(a)

    def _build(self, a: Args, shape: Output) -> tuple[Shape, int] | None:
        inputs = split_inputs(a, shape)
        if inputs is None:
            return None
        query, value, key = inputs
        key = value if key is None else key
        head_dim, q_heads, kv_heads = a["head_dim"], a["num_query_heads"], a["num_key_value_heads"]
        use_bias, use_gate = a.bool("use_bias"), a.bool("use_gate")
        if not all(map(is_known, (head_dim, q_heads, kv_heads))) or None in (use_bias, use_gate):
            return None
        weights = Projections(a)
        weights.add("bqm,muh->bquh", "uh" if use_bias else None, query, [None, q_heads, head_dim], "query")
        weights.add("bkm,mvh->bkvh", "vh" if use_bias else None, key, [None, kv_heads, head_dim], "key")
        if use_gate:
            weights.add("bqm,muh->bquh", "uh" if use_bias else None, query, [None, q_heads, head_dim], "query")
        weights.add("bkm,mvh->bkvh", "vh" if use_bias else None, value, [None, kv_heads, head_dim], "value")
        weights.add("bquh,uhm->bqm", "m" if use_bias else None, (None, None, q_heads, head_dim),
                    [None, query[-1]], "query")
        if query[-1] != value[-1]:
            raise ShapeError("KC203", "the attention output is projected back to the query's size, "
                             "which the value must share", layer=a.layer,
                             detail=f"query {format_shape(query)} and value {format_shape(value)} "
                             "differ on the last axis")
        check_value_key(a, value, key)
        return query, weights.total


def keras2_matmul(a: Args, first: Shape, second: Shape, transpose_b: bool = False) -> Shape:
    """The static shape of TensorFlow's ``matmul(first, second)`` as tf-keras's attention runs it."""
    if len(first) < 2 or len(second) < 2:
        raise ShapeError("KC101", layer=a.layer, expected="at least 2D inputs (batch, features)",
                         actual=describe(first if len(first) < 2 else second))
    inner, other = first[-1], (second[-1] if transpose_b else second[-2])
    try:
        if inner is not None and other is not None and inner != other:
            raise Unbroadcastable(inner, other, -1)
        batch = tensorflow_op_shape(first[:-2], second[:-2])
    except Unbroadcastable as clash:
        raise ShapeError("KC203", "tf-keras multiplies them as matrices (TensorFlow's matmul)", layer=a.layer,
                         detail=f"{format_shape(first)} and {format_shape(second)}: {clash.first} vs "
                         f"{clash.second}") from None
    return batch + (first[-2], second[-2] if transpose_b else second[-1])


def keras2_summed_scores(a: Args, query: Shape, key: Shape, scale: Shape = ()) -> Shape:
    """tf-keras's additive scores: ``sum(scale * tanh(query[..., :, None, :] + key[..., None, :, :]), -1)``."""
    try:
        summed = tensorflow_op_shape(query[:-1] + (1,) + query[-1:], key[:-2] + (1,) + key[-2:])
        return tensorflow_op_shape(summed, scale)[:-1]
    except Unbroadcastable as clash:
        raise ShapeError("KC203", "tf-keras adds the query and key along every axis but their steps",
                         layer=a.layer, detail=f"query {format_shape(query)} and key {format_shape(key)}: "
                         f"{clash.first} vs {clash.second}") from None


@register
class Attention(LayerRule):
    """``Attention(use_scale=False, score_mode='dot')`` on ``[query, value(, key)]``: output is
    the query's shape with the value's last axis. tf-keras's is TensorFlow's (module docstring):
    the query's and key's last axes must agree (score_mode 'dot'), the key's and value's steps,
    and the axes before are broadcast."""

    types = ("Attention",)
    signature = (("use_scale", False), ("score_mode", "dot"), ("dropout", 0.0))
    multi_input = True

    def check_args(self, a: Args) -> None:
        a.option("score_mode", ("dot", "concat"), lower=False)

    def _inputs(self, a: Args, shape: Output) -> list[Shape] | None:
        if nested(shape):
            return None
        if not isinstance(shape, list):
            raise needs_list(a.layer, shape, "a list [query, value] or [query, value, key]")
        if not 2 <= len(shape) <= 3:
            raise needs_list(a.layer, shape, "a list of 2 or 3 tensors [query, value(, key)]")
        return shape

    def output_shape(self, a: Args, shape: Output) -> Output:
        inputs = self._inputs(a, shape)
        if inputs is None:
            return None
        query, value = inputs[:2]
        if a.context.keras_version == 2:
            scores = self.keras2_scores(a, query, value, inputs[-1])
            return None if scores is None else keras2_matmul(a, scores, value)
        return query[:-1] + value[-1:]

    def keras2_scores(self, a: Args, query: Shape, value: Shape, key: Shape) -> Shape | None:
        """The scores' shape in tf-keras, (..., query steps, key steps)."""
        mode = a.option("score_mode", ("dot", "concat"), lower=False)
        if mode is None:
            return None
        return keras2_matmul(a, query, key, transpose_b=True) if mode == "dot" else keras2_summed_scores(a, query, key)

    def params(self, a: Args, shape: Output) -> int | None:
        use_scale, mode = a.bool("use_scale"), a.option("score_mode", ("dot", "concat"), lower=False)
        if use_scale is None or mode is None:
            return None
        return use_scale + (mode == "concat")


@register
class AdditiveAttention(Attention):
    """``AdditiveAttention(use_scale=True)``: a scale weight as long as the query's last axis.
    tf-keras sizes it from the value's last axis, and broadcasts it with the summed query and key."""

    types = ("AdditiveAttention",)
    signature = (("use_scale", True), ("dropout", 0.0))

    def check_args(self, a: Args) -> None:
        if "score_mode" in a.node.kwargs:
            super().check_args(a)

    def output_shape(self, a: Args, shape: Output) -> Output:
        inputs = self._inputs(a, shape)
        if inputs is None:
            return None
        sized = inputs[1 if a.context.keras_version == 2 else 0]
        if a.bool("use_scale") and sized[-1] is None:
            role = "value" if a.context.keras_version == 2 else "query"
            raise ShapeError("KC204", f"Keras sizes the scale weight from the {role}'s last axis",
                             layer=a.layer, expected=f"a known {role} size on the last axis",
                             actual=describe(sized))
        return super().output_shape(a, shape)

    def keras2_scores(self, a: Args, query: Shape, value: Shape, key: Shape) -> Shape | None:
        use_scale = a.bool("use_scale")
        if use_scale is None:
            return None
        return keras2_summed_scores(a, query, key, value[-1:] if use_scale else ())

    def params(self, a: Args, shape: Output) -> int | None:
        use_scale = a.bool("use_scale")
        if use_scale is None or nested(shape):
            return None
        return shape[1 if a.context.keras_version == 2 else 0][-1] if use_scale else 0


def attention_scores(node: LayerNode, shape: Output, keras_version: int) -> Output:
    """The scores an attention layer called with ``return_attention_scores=True`` returns after
    its output: (batch, heads, query steps, value steps) for MultiHeadAttention on 3D inputs
    attending over the steps, (batch, query steps, value steps) for Attention and
    AdditiveAttention; None where kerascheck does not model them (other ranks or axes). Keras 3
    gives MultiHeadAttention's symbolic scores (batch, heads, query steps, query steps), and
    the computed ones the value's steps: unknown unless both are the same."""
    if not isinstance(shape, list) or not 2 <= len(shape) <= 3 or nested(shape):
        return None
    query, value = shape[0], shape[1]
    if not all(isinstance(s, tuple) and len(s) == 3 for s in shape):
        return None
    if node.type == "MultiHeadAttention":
        heads = node.kwargs.get("num_heads", node.args[0] if node.args else None)
        if node.kwargs.get("attention_axes") is not None or not is_int(heads):
            return None
        if keras_version == 3 and certainly(lambda: query[1] == value[1]) is not True:
            return None
        return (query[0], heads, query[1], value[1])
    return (query[0], query[1], value[1])
