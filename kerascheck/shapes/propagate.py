"""Walk a ModelGraph in build order, apply each layer's rule, collect every diagnostic.

An error on a layer makes its output unknown, which silences what depends on it and only
that: every independent problem in a model is reported in one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Optional, Tuple

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import InputSpec, LayerCall, LayerNode, ModelGraph, Position, TensorRef
from kerascheck.repairs import ExtendTuple, Fix
from kerascheck.shapes.base import (
    Context,
    Output,
    InnerError,
    ShapeError,
    UnsizedAxis,
    describe,
    format_shape,
    infer,
    is_int,
    non_trainable_params,
    rule_for,
    snake_case,
)
from kerascheck.shapes.attention import attention_scores
from kerascheck.shapes.branches import EITHER
from kerascheck.shapes.custom import understood
from kerascheck.shapes.none_origin import unsized_fix, unsized_hint
from kerascheck.shapes.rnn import check_initial_state
from kerascheck.shapes.symbolic import Sym, certainly, evaluate_names, has_symbols


@dataclass
class LayerResult:
    """One row of the model's summary: a layer (a shared layer once) and what was inferred."""

    name: str
    type: str
    line: int
    output: Output
    params: int | None
    known: bool  # kerascheck has a rule for this layer type
    non_trainable: int | None = 0  # of ``params``, those Keras does not train (None: unknown)


CallShapes = Tuple[Output, Output, Optional[int], Optional[ShapeError]]  # input, output, params, error


@dataclass
class ModelResult:
    """A model after propagation: its layers' rows, its output shape(s) and diagnostics (their
    fixes are candidates, for ``fixes.verify``)."""

    model: ModelGraph
    layers: list[LayerResult]
    inputs: list[Output]
    outputs: Output
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Each call's (input, output, params, error) as the data checks' walk would infer them from
    # ``inputs``; None when some call's differ (an argument error, a shared layer's conflict, a
    # model used as a layer) and the data checks must walk the graph themselves.
    calls: list[CallShapes] | None = None
    # Models built by their first call (``input_from_first_call``) that this one calls, each
    # with the inputs that call gives it: Keras builds it on them, so its own checks use them.
    first_calls: list[tuple[ModelGraph, list[InputSpec]]] = field(default_factory=list)

    @property
    def total_params(self) -> int | None:
        counts = [layer.params for layer in self.layers]
        return None if any(c is None for c in counts) else sum(counts)

    @property
    def non_trainable_params(self) -> int | None:
        """What the summary's "Non-trainable params" counts: all of them in a frozen model."""
        if self.model.trainable is False:
            return self.total_params
        counts = [layer.non_trainable for layer in self.layers]
        return None if self.model.trainable is not True or None in counts else sum(counts)


class LayerNames:
    """Keras's automatic layer names (``lstm``, ``lstm_1``...), counted per file as per session."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._given: dict[int, str] = {}

    def name(self, key: Any, type_name: str, explicit: str | None) -> str:
        if id(key) in self._given:
            return self._given[id(key)]
        if isinstance(key, LayerNode):
            # A wrapped layer is constructed, and so named, before its wrapper.
            for value in (*key.args, *key.kwargs.values()):
                if isinstance(value, LayerNode):
                    self.name(value, canonical_type(value), value.name)
        if explicit:
            name = explicit
        else:
            name = self._automatic(snake_case(type_name.rsplit(".", 1)[-1]))  # ops.concatenate -> concatenate
        self._given[id(key)] = name
        for prefix in _BUILT_INSIDE.get(type_name, ()):
            self._automatic(prefix)
        return name

    def unnamed(self, type_name: str) -> None:
        """A layer Keras makes and names that the source does not show (a Sequential's InputLayer
        when a call or ``fit`` builds it): it takes its automatic name all the same."""
        self._automatic(snake_case(type_name))

    def _automatic(self, prefix: str) -> str:
        n = self._counts.get(prefix, 0)
        self._counts[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"


# Layers Keras creates unnamed inside these when it builds them: they take automatic names.
_BUILT_INSIDE = {"MultiHeadAttention": ("softmax", "dropout"), "GroupedQueryAttention": ("softmax", "dropout")}
# keras.layers exports these classes under another name only.
_CLASS_NAMES = {"GroupQueryAttention": "GroupedQueryAttention"}


def canonical_type(node: LayerNode) -> str:
    """The Keras class name of a layer, aliases resolved (``MaxPool1D`` -> ``MaxPooling1D``)."""
    rule = rule_for(node.type)
    name = rule.types[0] if rule else node.type
    return _CLASS_NAMES.get(name, name)


@dataclass
class _Producer:
    """Where a tensor came from, for hints: a layer call or a model input."""

    position: Position
    call: LayerCall | None = None


def propagate(model: ModelGraph, names: LayerNames | None = None, built: BuiltLayers | None = None) -> ModelResult:
    """Infer every call's output shape and parameters; report what Keras (of the model's
    version) would reject. Nothing is written into ``model``. ``built``: the first input of each
    layer the models propagated before built (a layer reused by this one must fit it)."""
    names = names or LayerNames()
    context = Context(model.keras_version, remember=True)
    diagnostics: list[Diagnostic] = []
    shapes: dict[tuple, Output] = {}  # by _key(ref), (call, index, input): a tuple hashes faster than a TensorRef
    rows: dict[int, LayerResult] = {}
    checked: set[int] = set()
    built_on: dict[int, tuple[Output, int | None, int]] = {}  # layer -> first input, params, line
    input_shapes: list[Output] = []
    calls: list[CallShapes] | None = []
    first_calls: list[tuple[ModelGraph, list[InputSpec]]] = []
    context.apply_model = lambda inner, shape: _wrapped_model(inner, shape, first_calls)

    if model.kind == "sequential" and not model.inputs and model.data_calls:
        names.unnamed("InputLayer")  # fit builds it
    for i, spec in enumerate(model.inputs):
        shape = spec.shape if isinstance(spec.shape, tuple) else None
        shapes[(None, 0, i)] = shape
        input_shapes.append(shape)
        if model.kind in ("functional", "sequential"):
            # A Sequential's InputLayer has no row but takes its name (input_layer_1...) all the same.
            name = names.name(spec, "InputLayer", spec.name)
            if model.kind == "functional":
                rows[id(spec)] = LayerResult(name, "InputLayer", spec.position.line, shape, 0, True)

    for index, call in enumerate(model.calls):
        node = call.layer
        in_shape = _lookup(call.inputs, shapes)
        first_use = id(node) not in checked
        checked.add(id(node))
        known = isinstance(node, LayerNode) and (rule_for(node.type) is not None or understood(node) or node.type == EITHER)
        output: Output = None
        params: int | None = None
        frozen: int | None = None
        inferred = False
        try:
            if isinstance(node, ModelGraph):
                calls = None  # the data checks do not look inside a nested model
                output, params, frozen = _apply_model(node, in_shape, first_calls)
            else:
                # Arguments are checked once per layer instance, on its first call.
                result = infer(_with_read_dims(node, model.dim_sources, shapes), in_shape, first_use and known, context)
                if "initial_state" in call.call_kwargs:
                    check_initial_state(node, result.output, _lookup(call.call_kwargs["initial_state"], shapes))
                output, params, inferred = result.output, result.params, True
                if output is not None and node.type in _SCORED and call.call_kwargs.get("return_attention_scores") is True:
                    output = [output, attention_scores(node, in_shape, context.keras_version)]
                if known and node.custom is None:
                    _check_shared(node, in_shape, params, built_on.get(id(node)) if not first_use
                                  else built.get(id(node)) if built is not None and call.certain else None)
                built_on.setdefault(id(node), (in_shape, params, call.position.line))
                if built is not None and call.certain:
                    built.setdefault(id(node), (in_shape, params, call.position.line))
        except ShapeError as error:
            # A call made in a loop or by a block function called again fails there again: one
            # mistake in the source, told the first time Keras meets it.
            told = _report(error, call, in_shape, call.inputs, shapes, model) if not call.guarded else None
            if told is not None and not any((d.code, d.position) == (told.code, told.position) for d in diagnostics):
                diagnostics.append(told)
            if calls is not None:
                if inferred or (first_use and known):
                    calls = None  # the data checks infer without these checks: another output
                else:
                    calls.append((in_shape, None, None, error))
        else:
            if calls is not None:
                calls.append((in_shape, output, params, None))
        if call.unpacked is not None and isinstance(output, list) and len(output) != call.unpacked[0] \
                and not call.guarded:
            diagnostics.append(diagnostic("KC504", call.unpacked[1], _unpacking_hint(node, len(output)),
                                          layer=canonical_type(node) if isinstance(node, LayerNode) else "the model",
                                          actual=len(output), expected=call.unpacked[0]))
        if isinstance(output, list):
            for k, shape in enumerate(output):
                shapes[(index, k, None)] = shape
        else:
            shapes[(index, 0, None)] = output
        if isinstance(node, LayerNode) and call.eager:
            names.name(node, canonical_type(node), node.name)  # a layer of no model takes its name all the same
        elif isinstance(node, LayerNode):
            if id(node) not in rows:
                node_type = canonical_type(node)
                # Keras runs a Lambda's function on backend tensors: its operations take no name.
                name = node_type if call.inside_lambda else names.name(node, node_type, node.name)
                rows[id(node)] = LayerResult(name, node_type,
                                             node.position.line, output, params, known,
                                             non_trainable_params(node, in_shape, params, context))
        elif isinstance(node, ModelGraph) and id(node) not in rows:
            if node.kind == "sequential" and not node.inputs:
                names.unnamed("InputLayer")  # the call builds it
            model_type = "Sequential" if node.kind == "sequential" else "Functional"
            rows[id(node)] = LayerResult(names.name(node, model_type, None), model_type,
                                         node.position.line, output, params, True, frozen)

    final = model.outputs
    if final is None and model.kind == "sequential" and model.calls:
        final = TensorRef.of_call(len(model.calls) - 1)
    outputs = _lookup(final, shapes) if final is not None else None
    return ModelResult(model, list(rows.values()), input_shapes, outputs, diagnostics, calls, first_calls)


def _apply_model(inner: ModelGraph, shape: Output,
                 first_calls: list[tuple[ModelGraph, list[InputSpec]]]) -> tuple[Output, int | None, int | None]:
    """A model used as a layer: its output, weights and non-trainable weights on this input
    (its own errors are reported where the model itself is defined, not again here).
    A Sequential given no input builds on the first tensor it is called on; a model built by
    its first call is added to ``first_calls`` with this call's inputs."""
    specs = inner.inputs
    if not specs and inner.kind == "sequential" and isinstance(shape, tuple):
        specs = [InputSpec(shape, inner.position)]
    if shape is None or not specs:
        return None, None, None
    shapes = shape if isinstance(shape, list) else [shape]
    if len(shapes) != len(specs):
        return None, None, None
    if inner.kind != "subclassed" and not inner.input_from_first_call:
        for i, (spec, given) in enumerate(zip(specs, shapes)):
            _check_model_input(inner, i, spec.shape, given)
    inputs = [replace(spec, shape=s) for spec, s in zip(specs, shapes)]
    if inner.input_from_first_call and not any(isinstance(spec.shape, tuple) for spec in inner.inputs):
        first_calls.append((inner, inputs))
    result = propagate(replace(inner, inputs=inputs, data_calls=[]))
    first_calls.extend(result.first_calls)
    if result.diagnostics:
        return None, None, None
    return result.outputs, result.total_params, result.non_trainable_params


def _wrapped_model(inner: ModelGraph, shape: Output,
                   first_calls: list[tuple[ModelGraph, list[InputSpec]]]) -> tuple[Output, int | None, int | None]:
    """A model a wrapper applies (``TimeDistributed(model)``): as ``_apply_model``, but an input
    its Input does not declare leaves it unknown (the wrapper calls the model's ``call``
    directly, past the check Keras makes when a model is called)."""
    try:
        return _apply_model(inner, shape, first_calls)
    except ShapeError:
        return None, None, None


def _check_model_input(inner: ModelGraph, index: int, declared: Any, given: Output) -> None:
    """A model called as a layer checks each input against its Input's shape, as Keras's
    InputSpec does with ``allow_last_axis_squeeze``: a trailing axis of size 1 is dropped on
    either side, then known sizes are compared axis by axis (extra axes are not)."""
    if not isinstance(declared, tuple) or not isinstance(given, tuple):
        return
    if _application_input(inner, index) and len(given) == len(declared) and is_int(given[-1]) \
            and is_int(declared[-1]) and given[-1] != declared[-1]:
        raise ShapeError("KC204", f"its first convolution was built for {declared[-1]} channels by the "
                         f"Input on line {inner.inputs[index].position.line}: give it such images, or "
                         "build it with this input_shape (and weights=None unless 3 channels)",
                         layer=f"Functional model '{inner.name}'",
                         expected=f"an input like {format_shape((None,) + declared[1:])}",
                         actual=format_shape(given))
    expected, actual = (None,) + declared[1:], given
    for side in ("expected", "actual"):
        shape = expected if side == "expected" else actual
        squeeze = certainly(lambda: bool(shape) and shape[-1] == 1)
        if squeeze is None:
            return  # whether an axis is dropped, and so what is compared, depends on a value
        if squeeze:
            shape = shape[:-1]
        expected, actual = (shape, actual) if side == "expected" else (expected, shape)
    for want, got in zip(expected, actual):
        if want is not None and got is not None and certainly(lambda: want != got):
            kind = "Sequential" if inner.kind == "sequential" else "Functional"
            which = f"input {index}" if len(inner.inputs) > 1 else "an input"
            raise ShapeError("KC204", f"its Input on line {inner.inputs[index].position.line} declares that "
                             "shape: feed it such a tensor, or change that Input",
                             layer=f"{kind} model '{inner.name}'",
                             expected=f"{which} like {format_shape((None,) + declared[1:])}",
                             actual=format_shape(given))


def _application_input(inner: ModelGraph, index: int) -> bool:
    """Whether a Keras application reads the model's input ``index``: its layers, built on that
    Input's channels, reject other channels (past the squeeze the model's own check allows)."""
    ref = TensorRef.of_input(index)
    return any(isinstance(call.layer, LayerNode) and call.layer.type.startswith("applications.")
               and call.inputs == ref for call in inner.calls)


# layer -> the input its first call built it on, its parameters then, that call's line
BuiltLayers = dict[int, tuple[Output, "int | None", int]]


def _check_shared(node: LayerNode, shape: Output, params: int | None,
                  first: tuple[Output, int | None, int] | None) -> None:
    """A layer called again must get inputs its weights fit: Keras checks the built InputSpec."""
    if first is None or params is None or first[1] is None or certainly(lambda: params != first[1]) is not True:
        return
    raise ShapeError("KC204", layer=node.type, expected=f"input like {format_shape(first[0])} "
                     f"(its weights were built by the call on line {first[2]})",
                     actual=format_shape(shape))


def _with_read_dims(node: LayerNode, sources: dict[Any, tuple[TensorRef, int]],
                    shapes: dict[tuple, Output]) -> LayerNode:
    """The layer with each dim its arguments read from a tensor of the model (``x.shape[-1]``)
    given that tensor's size, when propagation knows it (else the dim stays named)."""
    if not sources or not has_symbols(node):
        return node
    # A tensor made of another's sizes (ops.filled, ops.arange) has its dynamic size where Keras has None.
    none_kept = node.type in ("ops.filled", "ops.arange")

    def size(name: str, uid: Any) -> Any:
        found = sources.get(uid)
        shape = shapes.get(_key(found[0])) if found is not None else None
        if isinstance(shape, tuple) and -len(shape) <= found[1] < len(shape) \
                and (shape[found[1]] is not None or none_kept):
            return shape[found[1]]
        return Sym.named(name, uid)

    def fill(value: Any) -> Any:
        if isinstance(value, Sym) and none_kept and value.terms and len(value.terms) == 1 and not value.const:
            (atom, coefficient), = value.terms
            if atom[0] == "name" and coefficient == 1:
                return size(atom[1], atom[2])  # a None is not a number to evaluate
        if isinstance(value, Sym):
            return evaluate_names(value, size)
        if isinstance(value, (tuple, list)):
            return type(value)(fill(v) for v in value)
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, LayerNode):
            return replace(value, args=fill(value.args), kwargs=fill(value.kwargs))
        return value

    return replace(node, args=fill(node.args), kwargs=fill(node.kwargs))


def _unpacking_hint(node: Any, count: int) -> str | None:
    """What the tensors of a recurrent layer's result are (``out, h, c`` for an LSTM)."""
    layer = node
    wrapped = isinstance(node, LayerNode) and node.type == "Bidirectional"
    if wrapped:
        layer = node.args[0] if node.args else node.kwargs.get("layer")
    if not isinstance(layer, LayerNode) or layer.type not in _SEQUENCE_LAYERS:
        return None
    states = count - 1
    if wrapped:
        each = f"{states // 2} state" + ("s" if states // 2 != 1 else "")
        return (f"with return_state=True it returns the output, then the forward {layer.type}'s "
                f"{each}, then the backward one's: unpack {count} names")
    names = ", ".join(["output", *(("h", "c") if states == 2 else ("h",) * states)])
    article = "an" if layer.type == "LSTM" else "a"
    return f"with return_state=True {article} {layer.type} returns {names}: unpack {count} names"


def _key(ref: TensorRef) -> tuple:
    """What TensorRef equality compares."""
    return (ref.call, ref.index, ref.input)


def _lookup(inputs: Any, shapes: dict[tuple, Output]) -> Output:
    if isinstance(inputs, TensorRef):
        return shapes.get(_key(inputs))
    if isinstance(inputs, (list, tuple)):
        return [_lookup(x, shapes) for x in inputs]
    return None


def _report(error: ShapeError, call: LayerCall, in_shape: Output, inputs: Any,
            shapes: dict[tuple, Output], model: ModelGraph) -> Diagnostic:
    if isinstance(error, InnerError):
        return error.found
    position = error.at or call.position
    hint, fix = error.hint, error.fix
    if error.code == "KC101" and hint is None and isinstance(inputs, TensorRef):
        producer = _producer(inputs, shapes, model)
        hint = _rank_hint(error, producer, in_shape)
        fix = _rank_repair(error, producer, in_shape, inputs, model)
    elif isinstance(error, UnsizedAxis) and hint is None and isinstance(inputs, TensorRef):
        hint = unsized_hint(error, inputs, lambda ref: shapes.get(_key(ref)), model)
        fix = fix or unsized_fix(error, inputs, lambda ref: shapes.get(_key(ref)), model)
    return diagnostic(error.code, position, hint, fix, **error.fields)


def _producer(ref: TensorRef, shapes: dict[tuple, Output], model: ModelGraph) -> _Producer | None:
    """Where the tensor ``ref`` came from, if propagation has produced it so far."""
    if _key(ref) not in shapes:
        return None
    if ref.call is None:
        return _Producer(model.inputs[ref.input].position)
    producing = model.calls[ref.call]
    return _Producer(producing.position, producing)


_SCORED = ("MultiHeadAttention", "Attention", "AdditiveAttention")  # return_attention_scores=True: two tensors
_SEQUENCE_LAYERS = ("LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")


def _rank_repair(error: ShapeError, producer: _Producer | None, shape: Output, ref: TensorRef,
                 model: ModelGraph) -> Fix | None:
    """A candidate fix for a rank mismatch: flip the producing RNN's return_sequences, or give
    the model input the channel axis its data has."""
    if producer is None or not isinstance(shape, tuple):
        return None
    from kerascheck.shapes.core import rank_word

    wanted = rank_word(str(error.fields.get("expected", "")))
    if producer.call is None:
        return _channel_repair(model, ref, shape, wanted)
    rnn = producer.call.layer
    while isinstance(rnn, LayerNode) and rnn.type in ("Bidirectional", "TimeDistributed"):
        rnn = rnn.args[0] if rnn.args else rnn.kwargs.get("layer")
    if not isinstance(rnn, LayerNode) or rnn.type not in _SEQUENCE_LAYERS:
        return None
    if len(model.readers(ref)) != 1:
        return None  # another layer (or the model's output) reads the RNN too and would change with it
    rule = rule_for(rnn.type)
    bound = rule.bind(rnn) if rule else None
    sequences = bound.bool("return_sequences") if bound else None
    if sequences is None or wanted != len(shape) + (-1 if sequences else 1):
        return None  # the time axis returning sequences adds (an RNN, wrapped or not) is not the mismatch
    edit = bound.edit("return_sequences", str(not sequences))
    return Fix(f"set return_sequences={not sequences} on the {rnn.type} on line {rnn.position.line}", (edit,))


def _channel_repair(model: ModelGraph, ref: TensorRef, shape: tuple, wanted: int | None) -> Fix | None:
    """``input_shape=(28, 28)`` for a Conv2D fed (n, 28, 28) or (n, 28, 28, c) arrays: add the
    channel axis the data decides (1, or c)."""
    from kerascheck.data.arrays import Array

    if wanted != len(shape) + 1 or ref.input is None or len(model.inputs) != 1 or len(model.readers(ref)) != 1 \
            or has_symbols(shape):
        return None
    spec = model.inputs[ref.input]
    channels = set()
    for call in model.data_calls:
        x = call.args.get("x")
        if not isinstance(x, Array) or not x.shape:
            continue
        if len(x.shape) == len(shape) and tuple(x.shape[1:]) == shape[1:]:
            channels.add(1)
        elif len(x.shape) == len(shape) + 1 and tuple(x.shape[1:-1]) == shape[1:]:
            channels.add(x.shape[-1])
        else:
            return None
    if len(channels) != 1 or not all(isinstance(c, int) and c > 0 for c in channels):
        return None
    channel = channels.pop()
    if spec.from_layer_argument:
        edit = ExtendTuple(spec.position, str(channel), name="input_shape")
    else:
        edit = ExtendTuple(spec.position, str(channel), name="shape", index=0)
    return Fix(f"add the channel axis ({channel}) to the input shape on line {spec.position.line}", (edit,))


def _rank_hint(error: ShapeError, producer: _Producer | None, shape: Output) -> str | None:
    """Name the layer (or input) whose output has the wrong rank, and how to fix it there."""
    if producer is None or not isinstance(shape, tuple):
        return None
    line = producer.position.line
    if producer.call is None:
        return f"the model input on line {line} is {describe(shape)}"
    node = producer.call.layer
    if not isinstance(node, LayerNode):
        return None
    rule = rule_for(node.type)
    layer_type = rule.types[0] if rule else node.type
    fix = rule.rank_fix(rule.bind(node), shape, str(error.fields.get("expected", ""))) if rule else None
    return f"the {layer_type} on line {line} {fix}" if fix else f"it comes from the {layer_type} on line {line}"
