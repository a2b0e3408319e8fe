"""Sizes read from tensors: ``x.shape[-1]``, ``K.int_shape(x)[1]``, ``keras.ops.shape(x)[2]``.

The frontend knows no shape, so such a size is a named dim (shown as its source,
``x.shape[-1]``) that remembers which tensor and axis it reads. Once the models are built,
each model records where the tensors it computes are (``ModelGraph.dim_sources``), and shape
propagation gives the dim that tensor's size when it knows it (``Dense(x.shape[-1])`` is a
``Dense`` of that many units); otherwise it stays a named dim, never a guess. Every reading of
the same axis of the same tensor is the same dim. ``x.shape.as_list()`` (tf-keras) is the
same shape; a slice (``x.shape[1:]``) is unknown, since the rank is not known here. In a
layer's ``call``, ``tf.shape(x)[0]`` is read the same way, ``keras.random.normal(shape)`` or
``tf.zeros(shape)`` of such sizes is a tensor of that shape (a VAE's sampling layer), and
``keras.ops.arange(ops.shape(x)[-1])`` or ``tf.range(maxlen)`` the positions a positional
embedding looks up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from kerascheck.frontend.graphs import CallRecord, Tensor
from kerascheck.frontend.imports import Symbol
from kerascheck.frontend.values import source
from kerascheck.graph import UNKNOWN, InputSpec, LayerNode, ModelGraph, TensorRef
from kerascheck.shapes.symbolic import Sym

# Functions giving a tensor's static shape (a tuple of ints and None, as ``x.shape``).
_SHAPE_FUNCTIONS = frozenset({"keras.backend.int_shape", "keras.ops.shape", "keras.ops.core.shape"})
# Functions giving its dynamic shape, whose sizes are the same where Keras runs them on backend
# tensors (a layer's call); on a KerasTensor TensorFlow's raise (KC503).
_DYNAMIC_SHAPE_FUNCTIONS = frozenset({"tensorflow.shape", "keras.backend.shape"})
# Functions making a tensor of the shape given first (``shape=``).
FILLED_TENSORS = frozenset({*(f"{module}.{name}" for module in ("keras.random", "tensorflow.random")
                              for name in ("normal", "uniform", "truncated_normal")),
                            *(f"{module}.{name}" for module in ("tensorflow", "keras.ops") for name in ("zeros", "ones"))})
# Functions making positions (``range(start, stop, step)`` as a tensor) -> their parameters' names.
RANGE_TENSORS = {"keras.ops.arange": ("start", "stop", "step"), "keras.ops.numpy.arange": ("start", "stop", "step"),
                 "tensorflow.range": ("start", "limit", "delta")}
_MAX_LABEL = 30


@dataclass(eq=False)
class TensorShape:
    """``x.shape`` of a tensor the frontend follows; ``label`` shows how it was read."""

    tensor: Tensor
    label: str


@dataclass(eq=False)
class _AsList:
    """``x.shape.as_list`` waiting for its call."""

    shape: TensorShape


class TensorShapes:
    """Mixin of the interpreter (``interpreter.Interpreter``): sizes read from tensors."""

    dim_reads: dict[Any, tuple[Tensor, int]]  # uid of a named dim -> the tensor and axis it reads
    read_dims: dict[tuple, Sym]  # (producer id, output index, axis) -> its dim, once
    in_model_call: Any

    def attribute_of_object(self, value: Any, name: str, node: cst.Attribute) -> Any:
        if isinstance(value, Tensor) and name == "shape":
            return TensorShape(value, _label(node))
        if isinstance(value, TensorShape) and name == "as_list":
            return _AsList(value)
        return super().attribute_of_object(value, name, node)

    def call_object(self, func: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(func, _AsList):
            return func.shape if not args and not kwargs else UNKNOWN
        if isinstance(func, Symbol) and len(args) == 1 and not kwargs and isinstance(args[0], Tensor) and (
                func.qualname in _SHAPE_FUNCTIONS or (func.qualname in _DYNAMIC_SHAPE_FUNCTIONS and self.in_model_call)):
            return TensorShape(args[0], _label(node))
        if isinstance(func, Symbol) and func.qualname in FILLED_TENSORS and self.in_model_call:
            made = self.filled_tensor(node, args, kwargs)
            if made is not None:
                return made
        if isinstance(func, Symbol) and func.qualname in RANGE_TENSORS:
            made = self.range_tensor(RANGE_TENSORS[func.qualname], node, args, kwargs)
            if made is not None:
                return made
        return super().call_object(func, node, args, kwargs)

    def range_tensor(self, names: tuple[str, str, str], node: cst.Call, args: list[Any],
                     kwargs: dict[str, Any]) -> Any:
        """``keras.ops.arange(0, ops.shape(x)[1])``, ``tf.range(maxlen)``: the pseudo layer
        ``ops.arange`` on the tensors its bounds are read from (on none for numbers); None when
        a bound is neither an int nor such a size, or an argument is not one of the three.
        Outside a layer's call it is a constant (a KerasTensor's sizes are ints there), and a
        layer applied to it runs at once (``LayerCall.eager``)."""
        if len(args) > 3 or any(k not in names and k not in ("dtype", "name") for k in kwargs):
            return None
        values = {**dict(zip(names, args)), **{k: v for k, v in kwargs.items() if k in names}}
        start, stop, step = (values.get(name) for name in names)
        if stop is None:
            start, stop = 0, start
        bounds = {"start": start, "stop": stop, "step": 1 if step is None else step}
        if not all(type(v) is int or isinstance(v, Sym) for v in bounds.values()):
            return None
        uids = {atom[2] for d in bounds.values() if isinstance(d, Sym) for atom, _ in d.terms if atom[0] == "name"}
        read = [self.dim_reads[uid][0] for uid in sorted(uids) if uid in self.dim_reads]
        if len(read) < len(uids):
            return None  # a size not read from a tensor (a builder's parameter): not a tensor's
        layer = LayerNode("ops.arange", (), bounds, self.call_position(node))
        return self.apply(layer, read[0] if len(read) == 1 else read, {}, self.call_position(node),
                          eager=not self.in_model_call)

    def filled_tensor(self, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """``keras.random.normal((tf.shape(z)[0], 2))``: the pseudo layer ``ops.filled`` on the
        tensors its sizes are read from (None when it reads none, or the shape is not a tuple)."""
        shape = kwargs.get("shape", args[0] if args else UNKNOWN)
        if not isinstance(shape, (tuple, list)) or not all(d is None or isinstance(d, (int, Sym)) for d in shape):
            return None
        uids = {atom[2] for d in shape if isinstance(d, Sym) for atom, _ in d.terms if atom[0] == "name"}
        read = [self.dim_reads[uid][0] for uid in sorted(uids) if uid in self.dim_reads]
        if not read:
            return None
        layer = LayerNode("ops.filled", (), {"shape": tuple(shape)}, self.call_position(node))
        return self.apply(layer, read[0] if len(read) == 1 else read, {}, self.call_position(node))

    def is_symbolic(self, value: Any) -> bool:
        return isinstance(value, TensorShape) or super().is_symbolic(value)

    def subscript_object(self, value: Any, index: Any, node: cst.Subscript) -> Any:
        if isinstance(value, TensorShape):
            return self.read_dim(value, index) if type(index) is int else UNKNOWN
        return super().subscript_object(value, index, node)

    def read_dim(self, shape: TensorShape, axis: int) -> Any:
        """The named dim of ``shape``'s axis (the same one at every reading)."""
        tensor = shape.tensor
        if not isinstance(tensor.producer, (CallRecord, InputSpec)):
            return UNKNOWN
        key = (id(tensor.producer), tensor.index, axis)
        dim = self.read_dims.get(key)
        if dim is None:
            dim = self.read_dims[key] = self.fresh_dim(f"{shape.label}[{axis}]")
            self.dim_reads[self.unknown_dims] = (tensor, axis)
        return dim


def record_dim_sources(reads: dict[Any, tuple[Tensor, int]], graphs: list[ModelGraph],
                       placement: dict[int, tuple[ModelGraph, int]]) -> None:
    """Tell each model which of its tensors each named dim reads (``ModelGraph.dim_sources``)."""
    for uid, (tensor, axis) in reads.items():
        producer = tensor.producer
        if isinstance(producer, CallRecord) and id(producer) in placement:
            graph, index = placement[id(producer)]
            graph.dim_sources[uid] = (TensorRef.of_call(index, tensor.index), axis)
        elif isinstance(producer, InputSpec):
            for graph in graphs:
                for i, spec in enumerate(graph.inputs):
                    if spec is producer:
                        graph.dim_sources[uid] = (TensorRef.of_input(i), axis)


def _label(node: cst.CSTNode) -> str:
    text = " ".join(source(node).split())
    return text if len(text) <= _MAX_LABEL else "tensor"
