"""The IR between the frontend and every analysis: models as graphs of layer calls.

Nothing here knows libcst or shapes. The frontend builds these objects; shapes/, data/,
versions/, fixes/ (which edits copies of them to verify a repair), verify/ and the reports
read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


class _Unknown:
    """A value the frontend could not resolve statically (singleton: ``UNKNOWN``)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
DEFAULT_BATCH_SIZE = 32  # Keras's batch_size for fit/evaluate/predict when none is given


@dataclass(frozen=True)
class Position:
    """A source range: 1-based lines, 1-based columns (end column exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int


class NumpyInt(int):
    """An integer NumPy made (``np.prod((28, 28, 1))``, ``np.int64(5)``), not a Python ``int``:
    arithmetic with ints keeps it one (as NumPy does) and ``int(...)`` makes it a Python int.
    Keras tests some sizes with ``isinstance(value, int)``, which a NumPy integer fails."""

    dtype: str

    def __new__(cls, value: int, dtype: str = "int64") -> NumpyInt:
        made = super().__new__(cls, value)
        made.dtype = dtype
        return made

    def __repr__(self) -> str:
        return f"np.{self.dtype}({int(self)})"


def _keeps_numpy(name: str) -> Any:
    method = getattr(int, name)

    def apply(self: NumpyInt, *other: Any) -> Any:
        result = method(self, *other)
        if type(result) is int and all(isinstance(o, int) and not isinstance(o, bool) for o in other):
            return NumpyInt(result, self.dtype)
        return result
    return apply


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__floordiv__",
              "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__neg__", "__abs__"):
    setattr(NumpyInt, _name, _keeps_numpy(_name))


@dataclass(frozen=True)
class Opaque:
    """A value the frontend recognised by name but cannot evaluate (``tf.nn.relu``, a function)."""

    text: str


@dataclass(frozen=True)
class NumpyScalar(Opaque):
    """A NumPy integer whose value kerascheck does not know (``num_classes = np.max(y) + 1``): an
    unknown size, but one Keras rejects where it tests ``isinstance(value, int)``. ``text`` is
    the argument's source."""


@dataclass
class CustomLayer:
    """What the frontend followed of a layer class of the project (``class X(keras.layers.Layer)``).

    ``weights``: the ``(shape, trainable)`` of each ``add_weight`` its ``build`` (or ``__init__``)
    made; ``output_shape``: what its ``compute_output_shape`` returned, used when ``call`` could
    not be followed. A size read from the input shape in them is a named dim that ``axes`` maps
    to where it is read: ``input_shape[-1]`` -> (None, -1), ``input_shape[1][2]`` -> (1, 2).
    ``weight``: the node is not the layer but one of its weights read in ``call`` (the pseudo
    layer ``ops.weight``, applied to the layer's input): its output is ``weights[0]``'s shape.
    Nothing is known of a layer until it is ``built`` (its ``build`` followed on a first call).
    """

    weights: list[tuple[Any, Any]] = field(default_factory=list)
    axes: dict[str, tuple[Any, int]] = field(default_factory=dict)
    output_shape: Any = None
    weight: bool = False
    built: bool = False

    @property
    def known(self) -> bool:
        return self.built or self.weight


@dataclass(eq=False)
class LayerNode:
    """One layer instance: ``LSTM(12, return_sequences=True)``.

    ``args``/``kwargs`` hold resolved Python values (int, float, str, bool, None, tuple, list,
    dict), ``UNKNOWN``, ``Opaque``, another ``LayerNode`` (the layer a wrapper wraps) or a
    ``ModelGraph`` (a model used as a layer). A layer called on several tensors is one node.
    """

    type: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    position: Position
    var_name: str | None = None
    trainable_set: Any = None  # the last ``layer.trainable = ...`` written after construction (None: none)
    traced: bool = False  # a Lambda whose function the frontend followed: each call's input is its result
    # A Lambda or layer class in a Sequential whose function or call was followed: a one-input ModelGraph.
    body: Any = None
    # A custom layer the frontend followed; when ``traced`` too, each call's input is
    # [the result of its ``call``, the input it was given].
    custom: CustomLayer | None = None
    # The backend's image data format when the layer was made, which it takes when given no
    # ``data_format`` (the default, or what ``K.set_image_data_format`` set; UNKNOWN: either).
    image_data_format: Any = "channels_last"

    @property
    def name(self) -> str | None:
        """The ``name=`` given in the source, if it is a literal string."""
        value = self.kwargs.get("name")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class TensorRef:
    """A tensor in a model: output ``index`` of call number ``call``, or model input ``input``."""

    call: int | None = None
    index: int = 0
    input: int | None = None

    @staticmethod
    def of_input(i: int) -> TensorRef:
        return TensorRef(input=i)

    @staticmethod
    def of_call(call: int, index: int = 0) -> TensorRef:
        return TensorRef(call=call, index=index)


# A call's inputs mirror how the layer was called: one tensor, or a list of them (merge layers,
# MultiHeadAttention(query, value)), or UNKNOWN when a tensor could not be traced.
CallInputs = Union[TensorRef, "list[CallInputs]", "_Unknown"]


@dataclass
class InputSpec:
    """A model input: ``Input(shape=...)``, ``InputLayer`` or a first layer's ``input_shape``.

    ``shape`` includes the batch dimension; ``UNKNOWN`` when it could not be resolved.
    """

    shape: Any
    position: Position
    name: str | None = None
    var_name: str | None = None
    dtype: Any = None
    from_layer_argument: bool = False
    # A Sequential without a declared input is built by the first data it gets: the method that
    # gave it ("fit", "predict", "call"...), at whose position the spec stands, and the batch dim
    # that gives on each Keras major version ({3: ..., 2: ...}).
    built_by: str | None = None
    batch_by_version: dict[int, Any] | None = None


@dataclass
class LayerCall:
    """One application of a layer to tensors: ``x = LSTM(32)(x)`` or a Sequential step."""

    layer: LayerNode
    inputs: CallInputs
    position: Position
    call_kwargs: dict[str, Any] = field(default_factory=dict)
    # Made under an undecided condition on tensor shapes (``if x.shape[-1] == filters:``),
    # which may be what keeps it from failing: its errors are not reported.
    guarded: bool = False
    # Made by a Lambda's function, which Keras runs on backend tensors: not a layer of the model.
    inside_lambda: bool = False
    # ``out, h = layer(x)``: how many names its result is unpacked into, and where.
    unpacked: tuple[int, Position] | None = None
    # Made where the program certainly runs (not under a condition kerascheck cannot decide, nor
    # in a function it runs with unknown arguments): a layer's first such call builds its weights.
    certain: bool = False
    # Run at once on constant tensors (positions made by ``tf.range`` outside any layer's call):
    # its result is a constant of the model, its weights no model's.
    eager: bool = False


@dataclass
class CompileInfo:
    """What ``model.compile(...)`` said that shapes depend on."""

    loss: Any
    position: Position
    metrics: Any = None


@dataclass
class DataCall:
    """``model.fit/evaluate/predict/...(x, y, ...)`` with its arguments as resolved values.

    Array arguments are ``data.arrays.Array`` values (shape known or not) or ``UNKNOWN``.
    ``arg_positions`` maps ``"x"``, ``"y"``, ``"validation_data"``... to where they are written,
    ``arg_names`` to their text when short (``X_train``, ``x_test[0]``, ``(X * 2)`` parenthesized
    when needed), and ``"x[0]"``, ``"x['meta']"``, ``"validation_data[1]"`` to the text of each
    item of a literal list, tuple or dict written there.
    """

    method: str
    args: dict[str, Any]
    position: Position
    arg_positions: dict[str, Position] = field(default_factory=dict)
    arg_names: dict[str, str] = field(default_factory=dict)
    compile: CompileInfo | None = None  # the model's compile in effect when this call runs


@dataclass(eq=False)
class ModelGraph:
    """A model found in the source.

    ``calls`` are in the order Keras would build them. For a Sequential, call *i* takes call
    *i-1*'s output (call 0 takes input 0) and ``outputs`` is the last call.
    """

    name: str
    kind: str  # "sequential" | "functional" | "subclassed" | "unattached" (layers no model holds)
    position: Position
    inputs: list[InputSpec] = field(default_factory=list)
    calls: list[LayerCall] = field(default_factory=list)
    outputs: CallInputs | None = None
    # A Sequential whose first layer declares another input on tf-keras than on Keras 3
    # (``Embedding(input_length=20)``, ``LSTM(input_dim=8)``): the inputs on each major version,
    # the list for 3 being ``inputs`` itself as the frontend builds it.
    inputs_by_version: dict[int, list[InputSpec]] | None = None
    compile: CompileInfo | None = None
    data_calls: list[DataCall] = field(default_factory=list)
    keras_version: int = 3
    keras_releases: tuple[str, ...] | None = None  # the standalone keras releases it may run on, if known
    incomplete_reason: str | None = None  # why the frontend may have missed layers, if it knows
    # A subclassed model first called on a tensor whose shape the frontend cannot know (a layer's
    # output): Keras builds it on that call's input, so its first use as a layer gives its inputs.
    input_from_first_call: bool = False
    # What Keras names the model from: ``name=`` as written (None: not given, UNKNOWN: not a
    # literal), the class of a subclassed model, and whether it is trainable (the constructor's
    # ``trainable=`` or a later ``model.trainable = ...``; UNKNOWN when undecidable).
    given_name: Any = None
    class_name: str | None = None
    # Which of Keras's train_step, test_step, predict_step and compute_loss its class overrides:
    # the data those steps get is the class's to read.
    custom_steps: frozenset[str] = frozenset()
    trainable: Any = True
    # Named dims read from a tensor of this model (``x.shape[-1]``): uid -> (the tensor, the
    # axis). Shape propagation gives them that tensor's size.
    dim_sources: dict[Any, tuple[TensorRef, int]] = field(default_factory=dict)

    @property
    def declared_inputs(self) -> list[InputSpec]:
        """The inputs the code declares (not the one Keras takes from a Sequential's first data)."""
        return [spec for spec in self.inputs if spec.built_by is None]

    def readers(self, ref: TensorRef) -> list[int | None]:
        """Who reads the tensor ``ref``: each call reading it, by index, and None when the model
        outputs it. One reader only: changing how it is produced changes nothing else."""
        found: list[int | None] = [i for i, call in enumerate(self.calls) if _reads(call.inputs, ref)]
        return found + [None] if _reads(self.outputs, ref) else found


def _reads(inputs: CallInputs | None, ref: TensorRef) -> bool:
    if isinstance(inputs, TensorRef):
        return inputs == ref
    return isinstance(inputs, (list, tuple)) and any(_reads(i, ref) for i in inputs)


@dataclass(frozen=True)
class ImportRecord:
    """One imported module as written (``module``), its canonical name, and the names taken."""

    module: str
    position: Position
    names: tuple[str, ...] = ()
    canonical: str = ""
    guarded: bool = False  # the program expects it may fail (a try catching ImportError, version alternatives)


@dataclass
class FrontendResult:
    """What the frontend found in one file: the models, its own diagnostics, the imports."""

    models: list[ModelGraph]
    diagnostics: list[Any] = field(default_factory=list)  # diagnostics.Diagnostic
    imports: list[ImportRecord] = field(default_factory=list)
    keras3_diagnostics: list[Any] = field(default_factory=list)  # problems only on Keras 3
    # {line: columns the frontend added to its indentation} when it read the file with tabs
    # expanded (see frontend.spaces_for_tabs); positions are in the expanded text
    column_shifts: dict[int, int] = field(default_factory=dict)
    # (first, last) lines of each block written to fail (``with pytest.raises(...)``): nothing
    # found there is reported
    expected_failures: list[tuple[int, int]] = field(default_factory=list)
