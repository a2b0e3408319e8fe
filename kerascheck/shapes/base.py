"""Shapes, argument binding, the LayerRule base class and the registry of rules.

A shape is a tuple of dims including the batch dim; a dim is an ``int``, ``None`` (unknown,
as in Keras) or a ``Sym`` (a named dim of a model built from parameters, ``n_steps - 7``). ``None`` *as a shape* means the whole shape is unknown: checks downstream of it
are skipped. A layer with several outputs (an RNN with ``return_state=True``) gives a list.

Rules raise ``ShapeError`` the way Keras raises ``ValueError``: the first problem on a layer,
in Keras's order (arguments at construction, then input rank, then output arithmetic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, ClassVar, Union

from kerascheck.diagnostics import Diagnostic
from kerascheck.graph import UNKNOWN, LayerNode, ModelGraph, NumpyInt, NumpyScalar, Opaque, Position
from kerascheck.repairs import Fix, ReplaceArgument, SetKeyword
from kerascheck.shapes.branches import EITHER, either_shape
from kerascheck.shapes.custom import custom_inference, weight_count
from kerascheck.shapes.symbolic import (
    Sym,
    Undecided,
    anonymous_dims,
    erase,
    erase_arguments,
    has_symbols,
    has_unknown_arguments,
    is_sym,
    shape_identity,
)

Dim = Union[int, Sym, None]
Shape = tuple  # tuple[Dim, ...]
Output = Union[Shape, "list[Output]", None]

REQUIRED = object()  # a signature default: the argument has none


class Context:
    """What the rules applied to one model share, passed down to them in ``Args.context``.

    ``keras_version``: the Keras major version the model targets. Rules follow Keras 3; the few
    that differ in tf-keras (Keras 2) read it. ``inferred``: during one propagation, the
    inferences made so far (None: none kept), since a wrapper's rule infers the layer it wraps
    on the same input for its output, its params and its non-trainable params. Keyed by
    (id(node), id(shape), check_args); each entry holds the node and the shape, so neither id
    is reused while the context lasts.
    """

    __slots__ = ("keras_version", "inferred", "apply_model")

    def __init__(self, keras_version: int = 3, remember: bool = False) -> None:
        self.keras_version = keras_version
        self.inferred: dict | None = {} if remember else None
        # A model used as a wrapped layer (``TimeDistributed(model)``) on an input: its output,
        # weights and non-trainable weights (None each when unknown); set by propagation.
        self.apply_model: Callable[[Any, Output], tuple[Output, Any, Any]] | None = None


KERAS3 = Context()  # Keras 3's rules, nothing remembered: an inference outside a propagation


class ShapeError(Exception):
    """A problem Keras would raise for this layer. ``fields`` fill the code's template."""

    def __init__(self, code: str, hint: str | None = None, fix: Fix | None = None, **fields: object) -> None:
        super().__init__(code)
        self.code = code
        self.hint = hint
        self.fix = fix  # a candidate repair, when it is mechanical (verified by fixes.verify)
        self.fields = fields
        self.at: Position | None = None  # where to report, when not the layer call


class InnerError(ShapeError):
    """An error in a layer's body the frontend followed (a layer class's ``call`` or a Lambda's
    function, run on the tensor a Sequential gives it): reported as found there, at its line."""

    def __init__(self, found: Diagnostic) -> None:
        super().__init__(found.code)
        self.found = found


# ---- formatting ------------------------------------------------------------------------------


def format_shape(shape: Output) -> str:
    """``(None, 40, 12)``; a list of shapes as ``[(None, 4), (None, 4)]``; unknown as ``?``;
    symbolic dims by name: ``(None, n_steps - 7, 64)``."""
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def describe(shape: Shape) -> str:
    """``3D (None, 40, 12)``: the rank and the shape, as messages say it."""
    return f"{len(shape)}D {format_shape(shape)}"


def format_value(value: Any) -> str:
    """A resolved argument value as the user would write it."""
    if isinstance(value, LayerNode):
        return f"{value.type}(...)"
    if isinstance(value, Opaque):
        return value.text
    return repr(value)


@lru_cache(maxsize=1024)
def snake_case(class_name: str) -> str:
    """Keras's automatic layer-name prefix: ``MaxPooling1D`` -> ``max_pooling1d``."""
    name = re.sub(r"\W+", "", class_name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


# ---- arguments -------------------------------------------------------------------------------


def is_known(value: Any) -> bool:
    """A resolved argument value (a symbolic dim is not: only size accessors take one)."""
    return value is not UNKNOWN and not isinstance(value, (Opaque, Sym))


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Args:
    """A layer's arguments bound to its Keras signature (positional or keyword, with defaults).

    Indexing gives the value, ``UNKNOWN`` if the frontend could not resolve it. ``context``
    is the model's (its Keras version, the inferences made so far).
    """

    def __init__(self, rule: LayerRule, node: LayerNode, context: Context = KERAS3) -> None:
        self.rule = rule
        self.node = node
        self.context = context
        self.layer = rule.display_name(node)
        names = rule.argument_names
        values: dict[str, Any] = dict(zip(names, node.args))
        if len(node.args) > len(names):
            # Positional arguments past the ones we model: keep them reachable, unnamed.
            values.update({f"_arg{i}": v for i, v in enumerate(node.args) if i >= len(names)})
        values.update(node.kwargs)
        keras2 = rule.keras2_defaults if context.keras_version == 2 else {}
        for name, default in rule.signature:
            if name not in values:
                values[name] = keras2.get(name, default)
        self.values = values

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name, UNKNOWN)

    def __contains__(self, name: str) -> bool:
        return name in self.values and self.values[name] is not REQUIRED

    def given(self, name: str) -> bool:
        """Whether the source passed this argument (positionally or by keyword)."""
        names = self.rule.argument_names
        return name in self.node.kwargs or (name in names and names.index(name) < len(self.node.args))

    def edit(self, name: str, code: str) -> SetKeyword | ReplaceArgument:
        """The edit giving argument ``name`` the value ``code``: in place when the source passes
        it positionally, else by keyword."""
        names = self.rule.argument_names
        if name in names and names.index(name) < len(self.node.args):
            return ReplaceArgument(self.node.position, code, index=names.index(name))
        return SetKeyword(self.node.position, name, code)

    def infer(self, node: LayerNode, shape: Output, check_args: bool = True) -> Inference:
        """``infer`` in this layer's context: for the layer a wrapper wraps."""
        return infer(node, shape, check_args, self.context)

    # -- validated accessors: each returns the value, or None when it is unknown -------------

    def required(self, name: str) -> Any:
        value = self.values.get(name, REQUIRED)
        if value is REQUIRED:
            raise ShapeError("KC304", layer=self.layer, argument=name)
        return value

    def positive_int(self, name: str, hint: str | None = None) -> int | None:
        """A size argument (units, filters): a positive int, else KC301."""
        value = self.required(name)
        if isinstance(value, Sym):
            return value  # units=n_units of a model built from parameters: the output dim is named
        if not is_known(value):
            return None
        if not isinstance(value, int) or value <= 0:  # Keras tests isinstance(int): True passes
            raise ShapeError("KC301", hint, layer=self.layer, argument=name, value=format_value(value))
        return int(value)  # True counts as 1, and shapes must print 1

    def option(self, name: str, allowed: tuple[str, ...], lower: bool = True) -> str | None:
        """A string option (padding, data_format...): one of ``allowed``, else KC302."""
        value = self[name]
        if not is_known(value):
            return None
        if isinstance(value, str) and lower:
            value = value.lower()
        if value not in allowed:
            shown = ", ".join(repr(a) for a in allowed)
            raise ShapeError("KC302", layer=self.layer, argument=name, value=format_value(self[name]),
                             allowed=shown)
        return value

    def int_tuple(self, name: str, n: int, allow_zero: bool = False) -> tuple[int, ...] | None:
        """Keras's ``standardize_tuple``: an int or an n-sequence of ints, all positive."""
        value = self[name]
        if isinstance(value, (NumpyInt, NumpyScalar)):
            raise numpy_int_error(self, name, value)  # Keras's standardize_tuple tests isinstance(int)
        if not is_known(value):
            return None
        if is_int(value):
            items: tuple = (value,) * n
        elif isinstance(value, (tuple, list)):
            if len(value) != n:
                raise ShapeError("KC303", layer=self.layer, argument=name, value=format_value(value),
                                 detail=f"expected an int or a tuple of {n} ints")
            if not all(is_known(v) for v in value):
                return None
            items = tuple(value)
        else:
            raise ShapeError("KC303", layer=self.layer, argument=name, value=format_value(value),
                             detail=f"expected an int or a tuple of {n} ints")
        lowest = 0 if allow_zero else 1
        if not all(is_int(v) and v >= lowest for v in items):
            what = "non-negative" if allow_zero else "positive"
            raise ShapeError("KC303", layer=self.layer, argument=name, value=format_value(value),
                             detail=f"expected {what} integers")
        return items

    def bool(self, name: str) -> bool | None:
        value = self[name]
        return bool(value) if is_known(value) else None


# ---- rules -----------------------------------------------------------------------------------


class LayerRule:
    """What kerascheck knows of one Keras layer class.

    Subclasses set ``types`` (the class name first, then aliases), ``signature`` (positional
    order and defaults of the arguments the rule reads) and the input-rank spec, and override
    ``check_args``, ``output_shape`` and ``params``. A rule that cannot tell returns ``None``.
    """

    types: ClassVar[tuple[str, ...]] = ()
    signature: ClassVar[tuple[tuple[str, Any], ...]] = ()
    ndim: ClassVar[int | None] = None  # exact rank accepted, batch included
    min_ndim: ClassVar[int | None] = None
    max_ndim: ClassVar[int | None] = None
    input_hint: ClassVar[str] = ""  # what the axes mean, e.g. "(batch, timesteps, features)"
    multi_input: ClassVar[bool] = False  # takes a list of tensors (merge layers)
    wrapper: ClassVar[bool] = False  # its weights belong to the layer it wraps
    argument_names: ClassVar[tuple[str, ...]] = ()  # the signature's names, in order (set from it)
    keras2_defaults: ClassVar[dict[str, Any]] = {}  # the defaults tf-keras has where they differ
    # argument -> the Keras versions that test it with isinstance(value, int), so that a NumPy
    # integer (np.prod(shape), np.int64(n)) is rejected there
    python_int_arguments: ClassVar[dict[str, tuple[int, ...]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.argument_names = tuple(name for name, _ in cls.signature)

    def display_name(self, node: LayerNode) -> str:
        return self.types[0] if self.types else node.type

    def bind(self, node: LayerNode, context: Context = KERAS3) -> Args:
        return Args(self, node, context)

    def check_args(self, a: Args) -> None:
        """Raise ShapeError for arguments Keras rejects when the layer is created."""

    def rank_on_unknown_input(self) -> int | None:
        """The one input rank this layer accepts (batch included), if it accepts one: on an
        input kerascheck could not infer it is applied to that rank, sizes unknown, so what it
        fixes by itself (an LSTM's ``(None, units)``, a Conv2D's filters) is still known."""
        return None if self.multi_input else self.ndim

    def check_input(self, a: Args, shape: Output) -> None:
        """Raise ShapeError (KC101) when the input rank is not accepted."""
        if self.multi_input or not isinstance(shape, tuple):
            return
        rank = len(shape)
        if self.ndim is not None and rank != self.ndim:
            raise rank_error(a.layer, f"{self.ndim}D", shape, self.input_hint)
        if self.min_ndim is not None and rank < self.min_ndim:
            raise rank_error(a.layer, f"at least {self.min_ndim}D", shape, self.input_hint)
        if self.max_ndim is not None and rank > self.max_ndim:
            raise rank_error(a.layer, f"at most {self.max_ndim}D", shape, self.input_hint)

    def output_shape(self, a: Args, shape: Output) -> Output:
        """The output shape for a known input (the rank already checked)."""
        return None

    def params(self, a: Args, shape: Output) -> int | None:
        """The number of weights Keras creates when it builds the layer on ``shape``."""
        return 0

    def non_trainable_params(self, a: Args, shape: Output) -> int | None:
        """How many of ``params`` Keras creates non-trainable (moving statistics), the layer
        left trainable; ``trainable=False`` is handled by ``non_trainable_params``."""
        return 0

    def int64_weights(self, a: Args) -> int:
        """How many weights Keras stores as int64 whatever the layer's dtype (a count)."""
        return 0

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        """When this layer's output has the wrong rank for the next one: why, and the fix."""
        return None

    def weight_axes(self, a: Args, shape: Shape) -> tuple[int, ...]:
        """The input axes whose sizes size the layer's weights when Keras builds it (checked
        after the rank): Keras's ``None`` on one of them is an error (``unsized_axis``)."""
        return ()

    # Whether Keras 3 takes ``weights=`` (tf-keras: every layer does; Keras 3 rejects it elsewhere).
    takes_weights_in_keras3: ClassVar[bool] = False

    def weight_shapes(self, a: Args, shape: Shape) -> tuple[tuple[str, Shape], ...] | None:
        """The weights Keras builds on ``shape``, in ``layer.weights`` order: (name, shape)
        pairs; None when not known (``weights=`` is then not checked)."""
        return None

    # What Keras 3 and tf-keras raise when a weight axis is None, quoted in the hint.
    unsized_errors: ClassVar[tuple[str, str]] = (
        "Shapes used to initialize variables must be fully-defined", "")


class UnsizedAxis(ShapeError):
    """KC204 for a weight sized from an input axis that is Keras's ``None``; ``axis`` is that
    axis, counted from the end, for the hint that traces where the ``None`` came from."""

    def __init__(self, layer: str, axis: int, shape: Shape, keras_errors: tuple[str, str]) -> None:
        super().__init__("KC204", layer=layer, expected=f"a known size on axis {axis}", actual=describe(shape))
        self.axis = axis - len(shape) if axis >= 0 else axis
        self.keras_errors = keras_errors


def unsized_axes(a: Args, axes: Any, shape: Shape) -> None:
    """Raise ``UnsizedAxis`` for the first of ``axes`` that is ``None`` in ``shape``."""
    for axis in axes:
        if shape[axis] is None:
            raise UnsizedAxis(a.layer, axis, shape, a.rule.unsized_errors)


def rank_error(layer: str, expected: str, shape: Shape, axes: str = "") -> ShapeError:
    expected_text = f"{expected} {axes}".strip() if axes else expected
    return ShapeError("KC101", layer=layer, expected=expected_text, actual=describe(shape))


_REGISTRY: dict[str, LayerRule] = {}
_LOADED: list[bool] = []  # every rule module imported (importing one module directly is not enough)


def register(cls: type[LayerRule]) -> type[LayerRule]:
    """Class decorator: make the rule known under every name in ``cls.types``."""
    rule = cls()
    for name in cls.types:
        if name in _REGISTRY:
            raise RuntimeError(f"two rules for {name}")
        _REGISTRY[name] = rule
    return cls


def rule_for(layer_type: str) -> LayerRule | None:
    """The rule for a Keras class name or alias, or None when kerascheck does not know it.
    Applications (``applications.VGG16``) are models, not layers: their rules are not in the
    registry (``shapes/applications.py``)."""
    if not _LOADED:
        from kerascheck.shapes import load_rules

        _LOADED.append(True)
        load_rules()
    rule = _REGISTRY.get(layer_type)
    if rule is None and layer_type.startswith("applications."):
        from kerascheck.shapes.applications import application_rule

        return application_rule(layer_type)
    return rule


def registered_rules() -> dict[str, LayerRule]:
    """Every known layer name (aliases included) and its rule."""
    rule_for("")
    return dict(_REGISTRY)


# ---- applying a rule -------------------------------------------------------------------------


def non_trainable_params(node: LayerNode, shape: Output, params: int | None,
                         context: Context = KERAS3) -> int | None:
    """How many of the ``params`` a layer has on ``shape`` Keras counts non-trainable.

    ``trainable=False`` given to a layer freezes its own weights (a wrapper owns none: its
    wrapped layer's stay trainable); ``layer.trainable = False`` later freezes all of them.
    """
    rule = rule_for(node.type) if isinstance(node, LayerNode) else None
    custom = rule is None and isinstance(node, LayerNode) and bool(node.custom and node.custom.known)
    if params is None or (rule is None and not custom):
        return None
    frozen = node.trainable_set
    if frozen is None and (custom or not rule.wrapper):
        frozen = node.kwargs.get("trainable", True)
    if frozen is False:
        return params
    if frozen is not True and frozen is not None:
        return None
    if custom:
        return 0 if node.custom.weight else weight_count(node, shape, trainable=False)
    if type(rule).non_trainable_params is LayerRule.non_trainable_params:
        return 0  # no moving statistics: no need to bind the arguments
    try:
        count = rule.non_trainable_params(rule.bind(node, context), shape)
    except (ShapeError, Undecided):
        return None
    return count if is_int(count) or is_sym(count) else None


@dataclass
class Inference:
    """A layer applied to an input: its output shape(s) and parameter count (None: unknown)."""

    output: Output
    params: int | None


def infer(node: LayerNode, shape: Output, check_args: bool = True, context: Context = KERAS3) -> Inference:
    """Apply the layer's rule to an input shape; raises ShapeError like Keras would.

    Wrappers (TimeDistributed, Bidirectional) call this on the layer they wrap (``Args.infer``).
    Arguments are checked with symbolic values unknown. Shapes are inferred with symbolic dims
    kept, so an error then holds whatever their values (``n_steps`` against ``n_steps - 2``);
    when the rule's answer depends on the values, it is inferred again with them unknown,
    errors ignored. In a context that remembers (a propagation's), the same layer on the same
    input (object) is inferred once; an error is not kept, but raised again by inferring again.
    """
    inferred = context.inferred
    if inferred is None:
        return _infer(node, shape, check_args, context)
    key = (id(node), id(shape), check_args)
    entry = inferred.get(key)
    if entry is not None and entry[0] is node and entry[1] is shape:
        return entry[2]
    result = _infer(node, shape, check_args, context)
    inferred[key] = (node, shape, result)
    return result


def _infer(node: LayerNode, shape: Output, check_args: bool, context: Context) -> Inference:
    if isinstance(node, ModelGraph):
        applied = context.apply_model(node, shape) if context.apply_model is not None and shape is not None else None
        return Inference(*applied[:2]) if applied is not None else Inference(None, None)
    rule = rule_for(node.type)
    if rule is None:
        if node.type == EITHER:
            return Inference(either_shape(id(node), shape), None)
        return Inference(*custom_inference(node, shape)) if node.custom and node.custom.known else Inference(None, None)
    symbolic = has_symbols(node)
    bound = rule.bind(node, context) if check_args and not symbolic else None  # also applied below
    if check_args:
        try:
            checked = bound if bound is not None else rule.bind(erase_arguments(node), context)
            _check_python_ints(rule, checked)
            rule.check_args(checked)
        except ShapeError as error:
            error.at = error.at or node.position
            raise
    if shape is None:
        return _on_unknown_input(rule, node, context)
    if isinstance(shape, list) and any(s is None for s in shape):
        return Inference(None, None)
    guessed = has_unknown_arguments(node)
    bound = bound if bound is not None else rule.bind(node, context)
    if not (symbolic or has_symbols(shape)):
        return _unknown_sizes(_apply(rule, bound, shape), node, shape, guessed)
    try:
        return _unknown_sizes(_apply(rule, bound, shape), node, shape, guessed)
    except Undecided:
        return _with_sizes_erased(rule, node, shape, context)


def _check_python_ints(rule: LayerRule, a: Args) -> None:
    """KC303: a NumPy integer where this Keras version wants a Python int."""
    for name, versions in rule.python_int_arguments.items():
        value = a[name]
        if isinstance(value, (NumpyInt, NumpyScalar)) and a.context.keras_version in versions:
            raise numpy_int_error(a, name, value)


def numpy_int_error(a: Args, name: str, value: NumpyInt | NumpyScalar) -> ShapeError:
    return ShapeError("KC303", f"wrap it in int(): {name}=int(...)", layer=a.layer, argument=name,
                      value=format_value(value),
                      detail=f"a NumPy integer, which Keras {a.context.keras_version} rejects here (it wants a Python int)")


def _on_unknown_input(rule: LayerRule, node: LayerNode, context: Context) -> Inference:
    """A layer applied to an input kerascheck could not infer: the rule applied to an input of
    the one rank it accepts, every size anonymous. Nothing is reported from here (that input is
    an assumption); what holds whatever the sizes is kept, the rest is unknown."""
    rank = rule.rank_on_unknown_input()
    if rank is None:
        return Inference(None, None)
    shape = anonymous_dims((None,) * rank, (id(node), "unknown input"))
    try:
        return _unknown_sizes(_apply(rule, rule.bind(node, context), shape), node, shape, True)
    except (ShapeError, Undecided):
        return _with_sizes_erased(rule, node, shape, context)


def _with_sizes_erased(rule: LayerRule, node: LayerNode, shape: Output, context: Context) -> Inference:
    """The rule applied with the named and anonymous dims (and arguments) None, errors ignored:
    some layers reject a None dim as Keras rejects one, which says nothing of a size that is an
    int once the program runs."""
    try:
        result = _apply(rule, rule.bind(erase_arguments(node), context), erase(shape))
    except ShapeError:
        return Inference(None, None)
    return _unknown_sizes(result, node, shape, True)


def _unknown_sizes(result: Inference, node: LayerNode, shape: Output, guessed: bool) -> Inference:
    """When an argument was unknown or named dims were erased, a None the rule gives is not
    Keras's None but a size kerascheck does not know: an anonymous dim (``?``), which no
    layer downstream rejects as it would a None."""
    if not guessed:
        return result
    return Inference(anonymous_dims(result.output, (id(node), shape_identity(shape))), result.params)


def _apply(rule: LayerRule, a: Args, shape: Output) -> Inference:
    rule.check_input(a, shape)
    if isinstance(shape, tuple):
        unsized_axes(a, rule.weight_axes(a, shape), shape)
    result = Inference(rule.output_shape(a, shape), rule.params(a, shape))
    if "weights" in a.node.kwargs and isinstance(shape, tuple):
        check_given_weights(rule, a, shape)
    return result


def check_given_weights(rule: LayerRule, a: Args, shape: Shape) -> None:
    """KC206: ``weights=`` arrays that ``set_weights`` refuses once the layer is built (the
    count, then each shape, as Keras compares them). Keras 3 takes one array or a list of one,
    and only where it accepts ``weights=`` at all; tf-keras a list of every weight."""
    from kerascheck.data.arrays import Array

    given = a.node.kwargs["weights"]
    keras3 = a.context.keras_version == 3
    expected = rule.weight_shapes(a, shape) if rule.takes_weights_in_keras3 or not keras3 else None
    if expected is None:
        return
    listed = ", ".join(f"{name} {format_shape(s)}" for name, s in expected)
    if keras3:
        if isinstance(given, Array):
            given = [given]
        elif not isinstance(given, (list, tuple)):
            return
        if isinstance(given, tuple) or len(given) != 1:  # Keras 3 wraps it in a list: one weight
            what = "a tuple" if isinstance(given, tuple) else f"a list of {len(given)}"
            raise ShapeError("KC206", "Keras 3 takes the one array itself or a list of it: weights=[matrix]",
                             layer=a.layer, detail=f"its weight is {listed}; weights= gives {what}")
    if isinstance(given, Array):  # tf-keras iterates the array: one weight per row
        if not given.shape:
            return
        given = [Array(given.shape[1:])] * given.shape[0] if is_int(given.shape[0]) else None
        hint = "wrap the array in a list: weights=[matrix]"
    else:
        hint = "give one array per weight, in this order"
    if not isinstance(given, (list, tuple)):
        return
    if len(given) != len(expected):
        raise ShapeError("KC206", hint, layer=a.layer,
                         detail=f"it has {len(expected)} weight(s) ({listed}); weights= gives {len(given)}")
    for (name, wanted), array in zip(expected, given):
        if isinstance(array, Array) and array.shape is not None and not _same_known(wanted, array.shape):
            raise ShapeError("KC206", _weights_hint(rule, wanted, array.shape), layer=a.layer,
                             detail=f"its {name} weight has shape {format_shape(wanted)}, "
                             f"weights= gives {format_shape(array.shape)}")


def _same_known(wanted: Shape, given: tuple) -> bool:
    """Whether the shapes may be equal: same rank, and no two known sizes differ."""
    return len(wanted) == len(given) and all(
        not (is_int(w) and is_int(g)) or w == g for w, g in zip(wanted, given))


def _weights_hint(rule: LayerRule, wanted: Shape, given: tuple) -> str | None:
    if rule.types[:1] == ("Embedding",) and len(given) == 2 and all(is_int(d) for d in given):
        return (f"the matrix has {given[0]} rows (one per token id) of {given[1]} values: use "
                f"Embedding({given[0]}, {given[1]}, ...), or build the matrix with shape {format_shape(wanted)}")
    return None
