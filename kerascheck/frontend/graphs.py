"""The objects the model interpreter creates (tensors, layer calls, models, functions) and how
they become ``ModelGraph`` parts: functional graphs traced back from outputs, layer arguments,
data-call values, and model inputs declared by a first layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from kerascheck.data.arrays import Array
from kerascheck.frontend.imports import Symbol
from kerascheck.frontend.state import Scope
from kerascheck.frontend.values import MAX_SEQUENCE, Builtin, BoundMethod, LambdaValue, is_plain, source
from kerascheck.graph import DEFAULT_BATCH_SIZE, UNKNOWN, InputSpec, LayerCall, LayerNode, ModelGraph, NumpyScalar, Opaque, Position, TensorRef
from kerascheck.shapes.symbolic import Sym


@dataclass(eq=False)
class CallRecord:
    """One layer (or model) applied to tensors, in creation order across the file."""

    layer: Any  # LayerNode or ModelGraph
    inputs: Any  # Tensor, list of them, or UNKNOWN
    position: Position
    order: int
    call_kwargs: dict[str, Any] = field(default_factory=dict)
    extra: tuple = ()  # tensors passed by keyword (initial_state=...): dependencies too
    guarded: bool = False  # see LayerCall.guarded
    inside_lambda: bool = False  # see LayerCall.inside_lambda
    unpacked: tuple[int, Position] | None = None  # see LayerCall.unpacked
    certain: bool = False  # see LayerCall.certain
    eager: bool = False  # see LayerCall.eager
    tensor_kwargs: dict[str, Any] = field(default_factory=dict)  # the keywords given tensors, with them


@dataclass(eq=False)
class Tensor:
    """A symbolic tensor: output ``index`` of a call, a model input, or an unknown combination."""

    producer: Any  # CallRecord, InputSpec, or None (computed by something we do not model)
    index: int = 0
    parents: tuple = ()
    complete: bool = True  # False: it may depend on tensors we did not see


@dataclass(eq=False)
class ModelValue:
    """A model object: its graph, and for a Sequential where the next layer's input comes from.

    A subclassed model also has its class, the attributes ``__init__`` set on it, and whether
    ``call`` has run (Keras builds such a model once, on its first input).
    """

    graph: ModelGraph
    tail: Any = None  # Sequential: TensorRef of the last output, UNKNOWN, or None before any layer
    inputs: Any = None  # functional: the tensors given as inputs/outputs
    outputs: Any = None
    named: bool = False
    index: int = 0  # order of creation in the file
    cls: ClassValue | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    built: bool = False
    declared: list[InputSpec] | None = None  # model.build(shape) of a subclassed model
    depth: int = 0  # undecided branches around its creation (writes inside more are uncertain)


@dataclass(eq=False)
class Function:
    """A ``def``: run when called, in a new scope enclosed by the one it was defined in."""

    node: cst.FunctionDef
    tree: Any  # the same def in CPython's ast
    scope: Scope
    top: Any
    defaults: dict[str, Any]
    called: bool = False


@dataclass(eq=False)
class ClassValue:
    """A class defined in the file: a ``keras.Model`` subclass (``is_model``), a plain class
    (``plain``: its bases are ``object`` or plain classes), or anything else, whose instances are
    then layers of that (custom, unknown) type."""

    name: str
    bases: tuple = ()  # evaluated base classes: Symbol, ClassValue or other values
    methods: dict[str, Function] = field(default_factory=dict)
    instantiated: bool = False
    position: Position | None = None  # the class statement
    plain: bool = False
    attributes: dict[str, Any] = field(default_factory=dict)  # assigned in the class body: img_size = 64

    @property
    def is_model(self) -> bool:
        return any((isinstance(b, Symbol) and b.qualname == "keras.models.Model")
                   or (isinstance(b, ClassValue) and b.is_model) for b in self.bases)

    @property
    def is_layer(self) -> bool:
        """A subclass of ``keras.layers.Layer`` itself (through classes of the file): every
        method its instances run is one the frontend can see or Layer's own."""
        return any((isinstance(b, Symbol) and b.is_keras() and b.last == "Layer")
                   or (isinstance(b, ClassValue) and b.is_layer) for b in self.bases)

    def attribute(self, name: str) -> tuple[bool, Any]:
        """(found, value) of a class-level attribute, searching the bases depth-first."""
        if name in self.attributes:
            return True, self.attributes[name]
        for base in self.bases:
            if isinstance(base, ClassValue):
                found = base.attribute(name)
                if found[0]:
                    return found
        return False, None

    def lookup(self, name: str, skip_own: bool = False) -> tuple[Function, ClassValue] | None:
        """The method ``name`` and the class defining it, searching the bases depth-first."""
        if not skip_own and name in self.methods:
            return self.methods[name], self
        for base in self.bases:
            if isinstance(base, ClassValue):
                found = base.lookup(name)
                if found is not None:
                    return found
        return None


@dataclass(eq=False)
class MethodValue:
    """``self.helper`` / ``super().__init__``: a user-defined method bound to a model object."""

    owner: ModelValue
    function: Function
    cls: ClassValue  # the class that defines it (where ``super()`` inside it starts looking)


@dataclass(eq=False)
class SuperValue:
    """``super()`` inside a method of ``cls`` called on ``owner``."""

    owner: ModelValue
    cls: ClassValue


@dataclass(eq=False)
class Partial:
    """``functools.partial(f, *args, **kwargs)`` of a function of the file (a block handed to a
    builder with some arguments fixed), or of a Keras layer class with keywords only
    (``partial(layers.Conv2D, padding="same")``): called, ``f`` is called with them first."""

    function: Any  # Function, LambdaValue, or the Symbol of a layer class
    args: tuple
    kwargs: dict[str, Any]


@dataclass(eq=False)
class BoundCall:
    """``model.fit``, ``layer.output``...: a method of a model or layer waiting for its call."""

    owner: Any
    name: str


# ---- functional graph building ---------------------------------------------------------------


def build_functional(graph: ModelGraph, inputs: Any, outputs: Any) -> tuple[InputSpec | None, list[CallRecord]]:
    """Fill ``graph`` with the calls reachable backwards from ``outputs``, stopping at ``inputs``.

    Returns an Input the outputs certainly depend on that is not among ``inputs`` (Keras's
    "Graph disconnected"), else None; and the calls used.
    """
    input_tensors = flatten([inputs])
    input_keys: dict[tuple[int, int], int] = {}
    for i, tensor in enumerate(input_tensors):
        if isinstance(tensor, Tensor) and isinstance(tensor.producer, InputSpec):
            graph.inputs.append(tensor.producer)
        else:
            graph.inputs.append(InputSpec(UNKNOWN, graph.position))
            graph.incomplete_reason = "an input kerascheck cannot trace to an Input"
        if isinstance(tensor, Tensor) and tensor.producer is not None:
            input_keys[(id(tensor.producer), tensor.index)] = i
    records: dict[int, CallRecord] = {}
    seen: set[int] = set()
    uncertain = False
    foreign: InputSpec | None = None
    stack = list(flatten([outputs]))
    while stack:
        tensor = stack.pop()
        if not isinstance(tensor, Tensor):
            uncertain = True
            continue
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        if tensor.producer is not None and (id(tensor.producer), tensor.index) in input_keys:
            continue
        if tensor.producer is None:
            uncertain = uncertain or not tensor.complete
            stack.extend(tensor.parents)
        elif isinstance(tensor.producer, InputSpec):
            foreign = foreign or tensor.producer
        elif id(tensor.producer) not in records:
            record = tensor.producer
            records[id(record)] = record
            stack.extend(flatten([record.inputs]))
            stack.extend(record.extra)
    ordered = sorted(records.values(), key=lambda r: r.order)
    index = {id(r): i for i, r in enumerate(ordered)}

    def ref(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [ref(v) for v in value]
        if isinstance(value, dict):
            return [ref(v) for v in value.values()]
        if isinstance(value, Tensor) and value.producer is not None:
            key = (id(value.producer), value.index)
            if key in input_keys:
                return TensorRef.of_input(input_keys[key])
            if id(value.producer) in index:
                return TensorRef.of_call(index[id(value.producer)], value.index)
        return UNKNOWN

    graph.calls = [LayerCall(r.layer, ref(r.inputs), r.position, {**r.call_kwargs, **{k: ref(v) for k, v in r.tensor_kwargs.items()}},
                             r.guarded, r.inside_lambda, r.unpacked, r.certain, r.eager) for r in ordered]
    graph.outputs = ref(outputs)
    if uncertain:
        graph.incomplete_reason = (graph.incomplete_reason
                                   or "part of the graph goes through values kerascheck cannot follow")
    return (foreign if not uncertain and graph.incomplete_reason is None else None), ordered


def call_refs(value: Any, graph: ModelGraph, placement: dict[int, tuple[ModelGraph, int]], add_inputs: bool) -> Any:
    """A call's input tensors as references inside ``graph`` (UNKNOWN where it has none)."""
    if isinstance(value, (list, tuple)):
        return [call_refs(v, graph, placement, add_inputs) for v in value]
    if not isinstance(value, Tensor) or value.producer is None:
        return UNKNOWN
    if isinstance(value.producer, InputSpec):
        for i, spec in enumerate(graph.inputs):
            if spec is value.producer:
                return TensorRef.of_input(i)
        if add_inputs:
            graph.inputs.append(value.producer)
            return TensorRef.of_input(len(graph.inputs) - 1)
        return UNKNOWN
    host, index = placement.get(id(value.producer), (None, 0))
    return TensorRef.of_call(index, value.index) if host is graph else UNKNOWN


_SCALARS = frozenset({int, float, str, bool, type(None)})


def export(value: Any, node: cst.CSTNode | None) -> Any:
    """A value as a layer argument: plain values, LayerNode, ModelGraph, Opaque or UNKNOWN."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, LambdaValue):
        return Opaque(value.text)
    if isinstance(value, (LayerNode, Opaque, Sym)) or value is UNKNOWN:
        return value
    if isinstance(value, ModelValue):
        return value.graph
    if isinstance(value, range):
        return list(value) if len(value) <= MAX_SEQUENCE else UNKNOWN
    if isinstance(value, (tuple, list)):
        items = [export(v, None) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {k: export(v, None) for k, v in value.items()}
    if is_plain(value):
        return value
    if isinstance(value, (Symbol, Function, ClassValue, Builtin, BoundMethod, BoundCall)):
        return Opaque(source(node) if node is not None else _symbol_text(value))
    if isinstance(value, Array) and value.shape == () and value.dtype == "int":
        return NumpyScalar(source(node) if node is not None else "a NumPy integer")  # np.max(y) + 1
    return UNKNOWN


def export_loss(value: Any, node: cst.CSTNode | None) -> Any:
    """A loss or metrics argument: strings stay, anything else is its source text (Opaque)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict)):
        parts = element_nodes(node)
        items = list(value.values()) if isinstance(value, dict) else list(value)
        exported = [export_loss(v, parts[i] if parts and i < len(parts) else None)
                    for i, v in enumerate(items)]
        if isinstance(value, dict):
            return dict(zip(value.keys(), exported))
        return tuple(exported) if isinstance(value, tuple) else exported
    if node is not None:
        return Opaque(source(node))
    return export(value, None)


def data_value(value: Any) -> Any:
    """A fit/evaluate/predict argument: arrays, batches and plain values kept, tensors and objects unknown."""
    from kerascheck.data.pipelines import batches

    if isinstance(value, Array) or value is None:
        return value
    if batches(value) is not None:  # a generator or dataset
        return batches(value)
    if isinstance(value, (tuple, list)):
        items = [data_value(v) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {k: data_value(v) for k, v in value.items()}
    return value if is_plain(value) else UNKNOWN


def _symbol_text(value: Any) -> str:
    if isinstance(value, Symbol):
        return value.qualname
    if isinstance(value, Function):
        return value.node.name.value
    if isinstance(value, ClassValue):
        return value.name
    return type(value).__name__


def batch_shape(given: Any, shape: Any, batch_size: Any) -> Any:
    """``given`` (a full batch shape) or ``(batch,) + shape``, unknown dims as None; else UNKNOWN."""
    if given is not None:
        return dims(given)
    sizes = dims(shape)
    if sizes is UNKNOWN:
        return UNKNOWN
    batch = batch_size if isinstance(batch_size, int) and not isinstance(batch_size, bool) else None
    return (batch,) + sizes


def dims(shape: Any) -> Any:
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)):
        return UNKNOWN
    return tuple(d if isinstance(d, (int, Sym)) and not isinstance(d, bool) else None for d in shape)


# Keras 2's recurrent layers read input_length= with input_dim= as their input's (steps, features).
_RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN", "CuDNNLSTM", "CuDNNGRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")


def argument_input(layer: LayerNode) -> InputSpec | None:
    """The model input a first layer declares on Keras 3: batch_input_shape, input_dim or
    input_shape (an Embedding's input_dim is its vocabulary size, not a shape). A recurrent
    layer's input_length= with input_dim= is read as tf-keras reads it, as the only guess that
    makes the layer work (Keras 3 rejects input_length=)."""
    kwargs = layer.kwargs
    if "batch_input_shape" in kwargs:
        shape = dims(kwargs["batch_input_shape"])
    elif layer.type in _RECURRENT and "input_length" in kwargs and "input_dim" in kwargs and "input_shape" not in kwargs:
        shape = batch_shape(None, (kwargs["input_length"], kwargs.get("input_dim")), kwargs.get("batch_size"))
    elif "input_dim" in kwargs and layer.type != "Embedding":  # one feature axis, whatever its (maybe unknown) size
        shape = batch_shape(None, (kwargs["input_dim"],), kwargs.get("batch_size"))
    elif "input_shape" in kwargs:
        shape = batch_shape(None, kwargs["input_shape"], kwargs.get("batch_size"))
    else:
        return None
    return InputSpec(shape, layer.position, name=None, var_name=layer.var_name, from_layer_argument=True)


def keras2_argument_input(layer: LayerNode) -> InputSpec | None:
    """The model input a first layer declares on tf-keras (``tf_keras/src/layers/rnn/base_rnn.py``,
    ``core/embedding.py``, ``engine/base_layer.py``): without input_shape=, a recurrent layer's
    input_length= or input_dim= gives ``(input_length, input_dim)``, each None when not given;
    an Embedding always declares one, ``(input_length,)`` or ``(None,)``; batch_input_shape wins."""
    kwargs = layer.kwargs
    if "batch_input_shape" in kwargs or "input_shape" in kwargs:
        return argument_input(layer)
    if layer.type in _RECURRENT and ("input_length" in kwargs or "input_dim" in kwargs):
        sizes: tuple = (kwargs.get("input_length"), kwargs.get("input_dim"))
    elif layer.type == "Embedding":
        length = kwargs.get("input_length")
        sizes = (None if isinstance(length, int) and length == 0 else length,)  # X.shape[1] is a named dim
    else:
        return argument_input(layer)
    # A size the frontend could not resolve is not Keras's None: the input stays unknown.
    known = all(d is None or isinstance(d, (int, Sym)) for d in sizes)
    shape = batch_shape(None, sizes, kwargs.get("batch_size")) if known else UNKNOWN
    return InputSpec(shape, layer.position, name=None, var_name=layer.var_name, from_layer_argument=True)


def input_layer_shape(layer: LayerNode) -> Any:
    kwargs = layer.kwargs
    if "batch_shape" in kwargs or "batch_input_shape" in kwargs:
        return dims(kwargs.get("batch_shape", kwargs.get("batch_input_shape")))
    shape = kwargs.get("shape", kwargs.get("input_shape", layer.args[0] if layer.args else None))
    if shape is None:
        return UNKNOWN
    return batch_shape(None, shape, kwargs.get("batch_size"))


def text_value(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def flatten(values: Any) -> list[Any]:
    out: list[Any] = []
    stack = [values]
    while stack:
        value = stack.pop()
        if isinstance(value, (list, tuple)):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            stack.extend(reversed(list(value.values())))
        else:
            out.append(value)
    return out


def element_nodes(node: cst.CSTNode | None) -> list[cst.BaseExpression] | None:
    if isinstance(node, (cst.List, cst.Tuple)) and not any(isinstance(e, cst.StarredElement) for e in node.elements):
        return [e.value for e in node.elements]
    if isinstance(node, cst.Dict):
        return [e.value for e in node.elements if isinstance(e, cst.DictElement)]
    return None


def first_batch(method: str, samples: int | None, batch_size: Any, keras_version: int) -> int | None:
    """The batch dim of the input Keras builds a Sequential (or, as Keras 3's summary shows, a
    subclassed model) on, given no input (TensorFlow backend, measured):
    a call or ``*_on_batch`` builds it on the whole array; ``fit`` and ``evaluate`` (and tf-keras's
    ``predict``) on batches of ``batch_size``, a static dim only if every batch is full; Keras 3's
    ``predict`` on its first batch."""
    if method == "call" or method.endswith("_on_batch"):
        return samples
    size = DEFAULT_BATCH_SIZE if batch_size is None else batch_size
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0 or samples is None:
        return None
    if method.startswith("predict") and keras_version == 3:
        return min(size, samples)
    return size if samples % size == 0 else None
