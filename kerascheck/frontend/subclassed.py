"""Subclassed models and ``keras.ops`` calls, as the model interpreter runs them.

``class M(keras.Model)``: instantiating it runs ``__init__`` with the call's arguments, on a
model object whose attributes (``self.dense = Dense(8)``, lists of layers) live on it. Keras
builds such a model once, on its first input: ``model(x)`` with an ``Input`` or an array, or
``fit``/``predict``/... on arrays. Then ``call`` runs on tensors of that shape and its layer
calls become the graph (kind "subclassed"). ``model.build(shape)`` runs nothing in Keras 3
(it only marks the model built, with a warning) but declares the input the model is meant
for: a model never called in the file is checked on that shape. A model with neither (or a
class never instantiated) runs ``call`` on an input of unknown shape: only layer arguments
are checked. A model first called on a layer's output (inside another model's ``call``, or in
a functional graph) is a nested model of its caller, built on an input the frontend cannot
know: its graph is marked ``input_from_first_call`` and shape propagation gives it that input.

``keras.ops.concatenate/reshape/expand_dims/squeeze`` on tensors become calls of the pseudo
layers ``ops.<name>`` (rules in ``shapes/keras_ops.py``), and so do the element-wise, reduction
and matrix ops and the Python operators on tensors (``x / 127.5 - 1``, ``a @ b``, ``-x``,
``x > 0``; rules in ``shapes/tensor_ops.py``); other ops give unknown tensors.
``tf.concat/reshape/expand_dims`` become the same pseudo layers inside a subclassed model's
call only: Keras 3 runs call() on TensorFlow tensors, while a functional graph's KerasTensors
make every ``tf.*`` function raise (KC503, see ``tf_functions.py``; the result stays unknown).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.frontend.graphs import (
    BoundCall,
    ClassValue,
    Function,
    MethodValue,
    ModelValue,
    SuperValue,
    Tensor,
    batch_shape,
    build_functional,
    dims,
    export,
    first_batch,
    flatten,
    text_value,
)
from kerascheck.frontend.state import Depth
from kerascheck.graph import UNKNOWN, InputSpec, LayerNode, ModelGraph, Position
from kerascheck.shapes.tensor_ops import BINARY, NUMBER_TYPES, REDUCTIONS, UNARY

KERAS_OPS = {"concatenate": "xs", "reshape": "x", "expand_dims": "x", "squeeze": "x"}  # op -> tensor parameter
_OP_MODULES = ("keras.ops.", "keras.ops.numpy.")
# Inside a subclassed model's call, Keras (TensorFlow backend) runs ops on TensorFlow
# tensors, not KerasTensors: squeeze then follows TensorFlow (unknown sizes may be squeezed,
# and squeezing an unknown size without axis gives an unknown rank), so it stays unknown there.
_SYMBOLIC_ONLY_OPS = {"squeeze"}
# op of shapes/tensor_ops.py -> (its tensor parameters, its other parameters), in Keras's order
_OTHER_PARAMETERS = {"cast": ("dtype",), "clip": ("x_min", "x_max"), "softmax": ("axis",), "log_softmax": ("axis",),
                     "leaky_relu": ("negative_slope",), "elu": ("alpha",), "max": ("axis", "keepdims", "initial"),
                     "min": ("axis", "keepdims", "initial"), "prod": ("axis", "keepdims", "dtype")}
TENSOR_OPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    **{op: (("x1", "x2"), ()) for op in (*BINARY, "matmul")},
    **{op: (("x",), _OTHER_PARAMETERS.get(op, ())) for op in UNARY},
    **{op: (("x",), _OTHER_PARAMETERS.get(op, ("axis", "keepdims"))) for op in REDUCTIONS},
    "transpose": (("x",), ("axes",)),
}
# Python operators on tensors -> the keras.ops function KerasTensor's operator calls
OPERATOR_OPS = {"Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Divide": "divide",
                "FloorDivide": "floor_divide", "Modulo": "mod", "Power": "power", "MatrixMultiply": "matmul",
                "Minus": "negative", "LessThan": "less", "LessThanEqual": "less_equal", "GreaterThan": "greater",
                "GreaterThanEqual": "greater_equal", "Equal": "equal", "NotEqual": "not_equal"}
# tf function -> (keras op, its parameter names as keras.ops spells them)
_TF_OPS = {"tensorflow.concat": ("concatenate", {"values": "xs"}),
           "tensorflow.reshape": ("reshape", {"tensor": "x", "shape": "newshape"}),
           "tensorflow.expand_dims": ("expand_dims", {"input": "x"})}
# The ``training`` value Keras passes to ``call`` when these methods build the model.
TRAINING_ARGUMENT = {"fit": True, "train_on_batch": True, "predict": False, "evaluate": False,
                     "test_on_batch": False, "predict_on_batch": False}


class _Super:
    """The builtin ``super``, resolved against the method running when it is called."""


SUPER = _Super()


def keras_op(qualname: str) -> str | None:
    """``concatenate`` for ``keras.ops.concatenate`` (or ``keras.ops.numpy.concatenate``)."""
    for prefix in _OP_MODULES:
        if qualname.startswith(prefix) and qualname[len(prefix):] in KERAS_OPS:
            return qualname[len(prefix):]
    return None


def tensor_op(qualname: str) -> str | None:
    """``mean`` for ``keras.ops.mean`` (``keras.ops.nn.relu``...), ``relu`` for
    ``keras.activations.relu``: an op of ``TENSOR_OPS``."""
    op = qualname.rsplit(".", 1)[-1]
    if qualname.startswith("keras.ops.") and op in TENSOR_OPS:
        return op
    return op if qualname.startswith("keras.activations.") and op in UNARY else None


def tf_op(qualname: str, args: list[Any], kwargs: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The keras op a TensorFlow function computes and its keyword arguments renamed, or None.

    ``tf.concat`` needs its axis (there is no default) and ``tf.expand_dims`` takes one int.
    """
    found = _TF_OPS.get(qualname)
    if found is None:
        return None
    op, names = found
    renamed = {names.get(k, k): v for k, v in kwargs.items() if k != "name"}
    if op == "concatenate" and len(args) < 2 and "axis" not in renamed:
        return None
    if op == "expand_dims" and not isinstance(args[1] if len(args) > 1 else renamed.get("axis"), int):
        return None
    return op, renamed


class SubclassedModels:
    """Mixin of the model interpreter (``interpreter.Interpreter``): classes, instances, ops."""

    model_classes: list[ClassValue]
    method_stack: list[tuple[ClassValue, ModelValue]]
    in_model_call: Depth

    def missing_name(self, name: str, node: cst.Name) -> Any:
        return SUPER if name == "super" else super().missing_name(name, node)

    # -- keras.ops ----------------------------------------------------------------------------

    def apply_op(self, op: str, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """The op as a pseudo layer call, or None when its tensor argument is not a tensor."""
        if op in _SYMBOLIC_ONLY_OPS and self.in_model_call:
            return None
        kwargs = dict(kwargs)
        keyword = KERAS_OPS[op]
        if args:
            tensors, rest, skip = args[0], list(args[1:]), 1
        elif keyword in kwargs:
            tensors, rest, skip = kwargs.pop(keyword), [], 0
        else:
            return None
        if op == "concatenate":
            if not isinstance(tensors, (list, tuple)) or not any(isinstance(t, Tensor) for t in tensors):
                return None
            inputs: Any = list(tensors)
        elif isinstance(tensors, Tensor):
            inputs = tensors
        else:
            return None
        if any(isinstance(v, Tensor) for v in flatten([rest, list(kwargs.values())])):
            return None  # a tensor as a shape or axis: not modelled
        layer = self.make_layer(f"ops.{op}", node, rest, kwargs, skip=skip)
        return self.apply(layer, inputs, {}, self.call_position(node))

    def apply_tensor_op(self, op: str, position: Position, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """An op of ``TENSOR_OPS`` on tensors (and numbers) as a pseudo layer call; None when an
        operand is neither, no operand is a tensor, or an argument is not one Keras takes."""
        operands, others = TENSOR_OPS[op]
        names = operands + others
        if len(args) > len(names) or any(k not in names or k in names[:len(args)] for k in kwargs):
            return None
        values = {**dict(zip(names, args)), **kwargs}
        if any(name not in values for name in operands):
            return None
        tensors = [values[name] for name in operands if isinstance(values[name], Tensor)]
        numbers = {name: values[name] for name in operands if not isinstance(values[name], Tensor)}
        if not tensors or not all(type(v) in NUMBER_TYPES for v in numbers.values()) \
                or (op == "matmul" and numbers) \
                or any(isinstance(v, Tensor) for v in flatten([values[name] for name in others if name in values])):
            return None
        rest = {name: export(values[name], None) for name in others if name in values}
        layer = LayerNode(f"ops.{op}", (), {**numbers, **rest}, position)
        return self.apply(layer, tensors[0] if len(tensors) == 1 else tensors, {}, position)

    def operator_result(self, node: cst.CSTNode, kind: str, operands: list[Any]) -> Any:
        """``x / 127.5 - 1``, ``a @ b``, ``-x``, ``x > 0`` on tensors: the op KerasTensor's operator
        calls, as a pseudo layer call; an operand that is not a tensor or a number: unknown."""
        op = OPERATOR_OPS.get(kind)
        applied = self.apply_tensor_op(op, self.position(node), operands, {}) if op else None
        return applied if applied is not None else self.symbolic_result(operands)

    # -- classes ------------------------------------------------------------------------------

    def class_value(self, node: cst.ClassDef) -> ClassValue:
        bases = tuple(self.evaluate(arg.value) for arg in node.bases if arg.keyword is None and not arg.star)
        cls = ClassValue(node.name.value, bases, position=self.position(node.name))
        if cls.is_model:
            self.model_classes.append(cls)
        return cls

    def instantiate(self, cls: ClassValue, node: cst.Call | None, args: list[Any] | None,
                    kwargs: dict[str, Any]) -> Any:
        """``MyModel(...)``: a model object, ``__init__`` run on it (None args: unknown).

        A subclass defining neither ``__init__`` nor ``call`` (one that customises
        ``train_step``, say) given ``inputs``/``outputs`` is a functional model.
        """
        cls.instantiated = True
        if node is not None and args is not None and cls.lookup("__init__") is None \
                and cls.lookup("call") is None and (len(args) >= 2 or "outputs" in kwargs):
            functional = self.make_functional(node, args, kwargs)
            if isinstance(functional, ModelValue):
                functional.graph.class_name = cls.name  # Keras names it after the class
                functional.graph.custom_steps = _custom_steps(cls)
            return functional
        position = self.call_position(node) if node is not None else cls.position or Position(1, 1, 1, 1)
        name = text_value(kwargs.get("name"))
        graph = ModelGraph(name or cls.name, "subclassed", position, class_name=cls.name,
                           custom_steps=_custom_steps(cls))
        given = kwargs.get("name")
        graph.given_name = given if given is None or isinstance(given, str) else UNKNOWN
        model = ModelValue(graph, index=len(self.models), cls=cls, named=name is not None,
                           depth=len(self.snapshots))
        self.models.append(model)
        found = cls.lookup("__init__")
        if found is not None:
            self.run_method(model, *found, args, kwargs)
        return model

    def run_method(self, owner: ModelValue, function: Function, cls: ClassValue, args: list[Any] | None,
                   kwargs: dict[str, Any]) -> Any:
        """A method called on ``owner`` (``args`` None: every argument unknown); a staticmethod
        gets no first argument, a classmethod its class."""
        decorators = {d.decorator.value for d in function.node.decorators if isinstance(d.decorator, cst.Name)}
        bound = [] if "staticmethod" in decorators else [cls] if "classmethod" in decorators else [owner]
        if args is None:
            params = function.node.params
            count = len(params.posonly_params) + len(params.params)
            args = [UNKNOWN] * max(count - len(bound), 0)
            kwargs = {p.name.value: UNKNOWN for p in params.kwonly_params}
        self.method_stack.append((cls, owner))
        try:
            return self.call_function(function, [*bound, *args], kwargs)
        finally:
            self.method_stack.pop()

    def call_super(self, args: list[Any]) -> Any:
        if len(args) == 2 and isinstance(args[0], ClassValue) and isinstance(args[1], ModelValue):
            return SuperValue(args[1], args[0])
        if not args and self.method_stack:
            cls, owner = self.method_stack[-1]
            return SuperValue(owner, cls)
        return UNKNOWN

    def model_attribute(self, value: ModelValue, name: str) -> Any:
        """An attribute of a subclassed model object: set by ``__init__``, or a method; else MISSING."""
        if name in value.attributes:
            return value.attributes[name]
        found = value.cls.lookup(name) if name not in ("build", "fit", "compile") else None
        if found is not None:
            return MethodValue(value, *found)
        return NO_ATTRIBUTE

    def super_attribute(self, value: SuperValue, name: str) -> Any:
        found = value.cls.lookup(name, skip_own=True)
        if found is None and name == "__init__":
            return BoundCall(value.owner, name)  # keras.Model's: given inputs and outputs, a functional model
        return MethodValue(value.owner, *found) if found is not None else UNKNOWN

    # -- building -----------------------------------------------------------------------------

    def build_from(self, model: ModelValue, source: Any, position: Position, training: Any = None,
                   method: str | None = None, batch_size: Any = None) -> bool:
        """Build a subclassed model on ``source`` (a shape, Tensor(s) or array(s)) if not yet built.

        ``method``: the data method (fit, predict...) given the arrays, whose first axis Keras
        splits into batches of ``batch_size``. Returns whether this call built it.
        """
        if model.built:
            return False
        specs = self._specs(source, position, method, batch_size)
        if any(isinstance(v, Tensor) for v in flatten([source])) \
                and not any(isinstance(spec.shape, tuple) for spec in specs):
            model.graph.input_from_first_call = True  # a layer's output: propagation knows its shape
        self.build_on(model, specs, training)
        return True

    def declare(self, model: ModelValue, shape: Any, position: Position) -> None:
        """``model.build(shape)``: the input to check on if nothing calls the model."""
        if not model.built and model.declared is None:
            model.declared = self._specs(shape, position)

    def build_on(self, model: ModelValue, specs: list[InputSpec], training: Any = None) -> None:
        model.built = True
        graph = model.graph
        tensors = [Tensor(spec) for spec in specs]
        inputs: Any = tensors[0] if len(tensors) == 1 else tensors
        found = model.cls.lookup("call")
        if found is None:
            graph.inputs = specs
            graph.incomplete_reason = "the model class has no call method kerascheck can see"
            return
        function, cls = found
        kwargs = {}
        if training is not None and _takes(function, "training"):
            kwargs["training"] = training
        with self.in_model_call:
            outputs = self.run_method(model, function, cls, [inputs], kwargs)
        _, used = build_functional(graph, inputs, outputs)
        for i, record in enumerate(used):
            self.placement.setdefault(id(record), (graph, i))

    def build_unbuilt(self) -> None:
        """At the end of the file: classes never instantiated, models never built (input unknown)."""
        for cls in self.model_classes:
            if not cls.instantiated:
                self.instantiate(cls, None, None, {})
        for model in list(self.models):
            if model.cls is not None and not model.built:
                self.build_on(model, model.declared or [InputSpec(UNKNOWN, model.graph.position)])

    def _specs(self, source: Any, position: Position, method: str | None = None,
               batch_size: Any = None) -> list[InputSpec]:
        from kerascheck.data.arrays import Array

        def spec(value: Any) -> InputSpec:
            if isinstance(value, Tensor):
                producer = value.producer
                shape = producer.shape if isinstance(producer, InputSpec) else UNKNOWN
            elif isinstance(value, Array):
                shape = dims(value.shape) if value.shape is not None else UNKNOWN
                if isinstance(shape, tuple) and shape:
                    shape = shape[:1] + self.data_dims(shape[1:])
                if method is not None and isinstance(shape, tuple) and shape:
                    # the batch Keras builds it on, as a Sequential given no input (see first_batch)
                    batches = {version: first_batch(method, value.samples, batch_size, version) for version in (3, 2)}
                    return InputSpec((batches[3],) + shape[1:], position, batch_by_version=batches)
            else:
                shape = batch_shape(value, None, None) if value is not None else UNKNOWN
            return InputSpec(shape, position)

        if isinstance(source, list) and source and all(isinstance(v, Tensor) for v in source):
            return [spec(v) for v in source]
        if isinstance(source, (list, tuple)) and source and all(isinstance(v, (tuple, list, Array)) for v in source):
            return [spec(v) for v in source]  # several inputs: a list of shapes or arrays
        return [spec(source)]

    def keeps_data_call(self, model: ModelValue, x: Any, built_now: bool) -> bool:
        """Whether a subclassed model's data call can be checked against its graph.

        Such a model has no input spec: data of another shape than it was built on runs its
        ``call`` again on that shape, which the graph does not describe.
        """
        from kerascheck.data.arrays import Array

        if built_now:
            return True
        specs = model.graph.inputs
        return (isinstance(x, Array) and x.shape is not None and len(specs) == 1
                and isinstance(specs[0].shape, tuple) and dims(x.shape)[1:] == specs[0].shape[1:])


NO_ATTRIBUTE = object()


def _takes(function: Function, name: str) -> bool:
    params = function.node.params
    return any(p.name.value == name for p in (*params.posonly_params, *params.params, *params.kwonly_params)) \
        or params.star_kwarg is not None


_STEPS = ("train_step", "test_step", "predict_step", "compute_loss")


def _custom_steps(cls: ClassValue) -> frozenset[str]:
    """The steps of ``fit``/``evaluate``/``predict`` the class (or a base of the project) overrides."""
    return frozenset(step for step in _STEPS if cls.lookup(step) is not None)
