"""The Keras semantics on top of the generic interpreter: layers, models, their calls.

Sequential models (list or ``.add``), functional graphs (``Input`` -> layer calls -> ``Model``),
their ``compile`` and their ``fit``/``evaluate``/``predict`` calls become ``ModelGraph`` objects.
A layer applied to a tensor is recorded (``CallRecord``); a model's graph is made of the records
its outputs are computed from. Layers applied to tensors outside any ``Model(...)`` join the
model computing their input, or one graph of kind "unattached" (``attach_loose_calls``).
Subclassed models and ``keras.ops`` calls: see ``subclassed.py``.
"""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from kerascheck.data.arrays import Array
from kerascheck.data.pipelines import Batches
from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.frontend.applications import preprocessed
from kerascheck.repairs import Fix, RenameKeyword
from kerascheck.frontend.graphs import (
    BoundCall,
    CallRecord,
    ClassValue,
    Function,
    MethodValue,
    ModelValue,
    Partial,
    SuperValue,
    Tensor,
    argument_input,
    keras2_argument_input,
    batch_shape,
    build_functional,
    call_refs,
    data_value,
    element_nodes,
    export,
    export_loss,
    first_batch,
    flatten,
    input_layer_shape,
    text_value,
)
from kerascheck.frontend.imports import Symbol, dotted_name
from kerascheck.frontend.layer_names import LAYER_NAMES
from kerascheck.frontend.state import MISSING, Depth, Scope
from kerascheck.frontend.subclassed import KERAS_OPS, NO_ATTRIBUTE, SUPER, TRAINING_ARGUMENT, keras_op, tensor_op, tf_op
from kerascheck.frontend.tf_functions import TF_FUNCTIONS, gives_keras_tensors, keras_replacement, keras_tensor_among
from kerascheck.frontend.traced_functions import traced_op
from kerascheck.frontend.values import BUILTIN_NAMES, LambdaValue, source
from kerascheck.graph import (UNKNOWN, CompileInfo, DataCall, InputSpec, LayerCall,
                              LayerNode, ModelGraph, Position, TensorRef)

MERGE_FUNCTIONS = {"concatenate": "Concatenate", "add": "Add", "subtract": "Subtract",
                   "multiply": "Multiply", "average": "Average", "maximum": "Maximum",
                   "minimum": "Minimum", "dot": "Dot"}
_ATTENTION_TENSORS = ("query", "value", "key")
_NOT_LAYERS = {"Input", "InputSpec", "Layer", "Wrapper", "AbstractRNNCell", "deserialize", "serialize"}
DATA_METHODS = {
    "fit": ("x", "y", "batch_size", "epochs", "verbose", "callbacks", "validation_split",
            "validation_data", "shuffle", "class_weight", "sample_weight", "initial_epoch",
            "steps_per_epoch", "validation_steps", "validation_batch_size", "validation_freq"),
    "evaluate": ("x", "y", "batch_size", "verbose", "sample_weight", "steps", "callbacks"),
    "predict": ("x", "batch_size", "verbose", "steps", "callbacks"),
    "train_on_batch": ("x", "y", "sample_weight", "class_weight"),
    "test_on_batch": ("x", "y", "sample_weight"),
    "predict_on_batch": ("x",),
    "fit_generator": ("generator", "steps_per_epoch", "epochs", "verbose", "callbacks",
                      "validation_data", "validation_steps", "validation_freq", "class_weight",
                      "max_queue_size", "workers", "use_multiprocessing", "shuffle", "initial_epoch"),
    "evaluate_generator": ("generator", "steps", "callbacks", "max_queue_size", "workers",
                           "use_multiprocessing", "verbose"),
    "predict_generator": ("generator", "steps", "callbacks", "max_queue_size", "workers",
                          "use_multiprocessing", "verbose"),
    "predict_classes": ("x", "batch_size", "verbose"),  # gone since TensorFlow 2.6 (KC529)
    "predict_proba": ("x", "batch_size", "verbose"),
}


class KerasSemantics:
    """Mixin of the interpreter (``interpreter.Interpreter``): what calls of Keras objects do."""

    scope: Scope
    models: list[ModelValue]
    diagnostics: list[Diagnostic]
    keras3_diagnostics: list[Diagnostic]  # problems only if the file targets Keras 3
    records: int
    all_records: list[CallRecord]
    placement: dict[int, tuple[ModelGraph, int]]  # CallRecord id -> (model, call index)
    snapshots: list[tuple[int, dict[int, tuple[ModelValue, Any]]]]
    shape_guards: Depth
    speculative: Depth  # a function no statement calls runs with unknown arguments
    in_model_call: Depth
    keras_inputs: set[int]  # ids of the InputSpecs of keras.Input() calls (KerasTensors)
    opaque_tensors: dict[int, Tensor]  # results of functions that may not be KerasTensors
    opaque_names: bool
    bound_names: Callable[[], set[str]]

    # -- statements on Keras objects ------------------------------------------------------------

    def take_name(self, name: str, value: Any) -> None:
        if isinstance(value, ModelValue) and not value.named:
            value.graph.name = name
            value.named = True
        elif isinstance(value, LayerNode) and value.var_name is None:
            value.var_name = name
        elif isinstance(value, Tensor) and isinstance(value.producer, InputSpec) and value.producer.var_name is None:
            value.producer.var_name = name


    def assign_attribute(self, target: cst.Attribute, value: Any) -> None:
        owner = self.evaluate(target.value) if isinstance(target.value, (cst.Name, cst.Subscript)) else None
        if target.attr.value == "trainable":
            if isinstance(owner, (ModelValue, LayerNode)):
                self.set_trainable(owner, value)
                return
            for model in self.models:  # some layer of a model may be frozen: which, unknown
                model.graph.trainable = UNKNOWN
        if isinstance(owner, ModelValue) and owner.cls is not None:
            # self.dense = Dense(8); under a condition kerascheck cannot decide: unknown
            certain = len(self.snapshots) <= owner.depth
            owner.attributes[target.attr.value] = value if certain else UNKNOWN
            return
        super().assign_attribute(target, value)

    def set_trainable(self, owner: ModelValue | LayerNode, value: Any) -> None:
        """``model.trainable = False`` (freezing a model or layer): what the summary counts as
        non-trainable. Written under a condition kerascheck cannot decide, it is unknown."""
        depth = owner.depth if isinstance(owner, ModelValue) else 0
        known = isinstance(value, bool) and len(self.snapshots) <= depth
        if isinstance(owner, ModelValue):
            owner.graph.trainable = value if known else UNKNOWN
        else:
            owner.trainable_set = value if known else UNKNOWN

    # -- calls ----------------------------------------------------------------------------------

    def call_object(self, func: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(func, Symbol):
            return self.call_symbol(func, node, args, kwargs)
        if isinstance(func, LayerNode):
            return self.call_layer(func, node, args, kwargs)
        if isinstance(func, ModelValue):
            if func.cls is None and args and isinstance(args[0], Array):
                self.build_on_data(func, "call", args[0], None, self.call_position(node))
            if func.cls is not None:
                source = args[0] if args else kwargs.get("inputs", UNKNOWN)
                self.build_from(func, source, self.call_position(node), kwargs.get("training"))
                if not any(isinstance(t, Tensor) for t in flatten([source])):
                    return UNKNOWN  # an eager call on data
            return self.call_layer(func.graph, node, args, kwargs)
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs)
        if isinstance(func, LambdaValue):
            return self.call_written_lambda(func, args, kwargs)
        if isinstance(func, Partial):
            return self.call_object(func.function, node, [*func.args, *args], {**func.kwargs, **kwargs})
        if isinstance(func, MethodValue):
            return self.run_method(func.owner, func.function, func.cls, args, kwargs)
        if func is SUPER:
            return self.call_super(args)
        if isinstance(func, ClassValue) and func.is_model:
            return self.instantiate(func, node, args, kwargs)
        if isinstance(func, ClassValue):
            name = func.name if func.name not in LAYER_NAMES else f"__main__.{func.name}"
            return self.make_layer(name, node, args, kwargs)
        if isinstance(func, BoundCall):
            return self.call_method(func, node, args, kwargs)
        return self.symbolic_result([*args, *kwargs.values()], complete=False)

    def call_written_lambda(self, function: LambdaValue, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """A lambda the program calls (``fn(x)`` in a builder given it), its positions in the
        statement that wrote it."""
        saved, self.top = self.top, function.top
        try:
            return self.call_lambda(function.node, function.scope, args, kwargs)
        finally:
            self.top = saved

    def call_symbol(self, symbol: Symbol, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        name, last = symbol.qualname, symbol.last
        if name == "functools.partial" and args and (isinstance(args[0], (Function, LambdaValue)) or (
                isinstance(args[0], Symbol) and len(args) == 1 and args[0].qualname.startswith("keras.layers."))):
            # A layer class's partial only with keywords: the call's positional arguments are
            # then the ones written there, whose source the layer keeps.
            return Partial(args[0], tuple(args[1:]), kwargs)
        if name == "keras.layers.Input":
            made = self.make_input(node, args, kwargs)
            self.keras_inputs.add(id(made.producer))
            return made
        if name == "keras.models.Sequential":
            return self.make_sequential(node, args, kwargs)
        if name == "keras.models.Model":
            return self.make_functional(node, args, kwargs)
        if name.startswith("keras.applications.") and name.count(".") in (2, 3) and last[:1].isupper():
            return self.make_application(last, node, args, kwargs)
        if name.startswith("keras.applications.") and last == "preprocess_input" and preprocessed(args, kwargs):
            return args[0] if args else kwargs["x"]
        if name.startswith("keras.layers.") and name.count(".") == 2:
            if last in MERGE_FUNCTIONS and args:
                layer = self.make_layer(MERGE_FUNCTIONS[last], node, args[1:], kwargs)
                return self.apply(layer, args[0], {}, self.call_position(node))
            if last[:1].isupper() and last not in _NOT_LAYERS:
                return self.make_layer(last, node, args, kwargs)
        op = keras_op(name)
        translated = tf_op(name, args, kwargs) if op is None and self.in_model_call else None
        if translated is not None:
            op, kwargs = translated
        if op is not None:
            applied = self.apply_op(op, node, args[:2 if translated else None], kwargs)
            if applied is not None:
                return applied
        op = tensor_op(name)
        if op is not None:
            applied = self.apply_tensor_op(op, self.call_position(node), args, kwargs)
            if applied is not None:
                return applied
        traced = traced_op(name, args, kwargs) if self.in_model_call else None
        if traced is not None:
            op, args, kwargs = traced
            applied = self.apply_op(op, node, args, kwargs) if op in KERAS_OPS else \
                self.apply_tensor_op(op, self.call_position(node), args, kwargs)
            if applied is not None:
                return applied
        if name == "keras.backend.epsilon" and not args and not kwargs:
            return 1e-07  # the default; only a scalar matters to shapes
        tensors = [*args, *kwargs.values()]
        if name in TF_FUNCTIONS and not self.in_model_call \
                and keras_tensor_among(tensors, self.keras_inputs, self.opaque_tensors):
            self.keras3_diagnostics.append(diagnostic("KC503", self.call_position(node), keras_replacement(name),
                                                      function=source(node.func)))
        if symbol.is_keras() or name.startswith("tensorflow"):
            result = self.symbolic_result(tensors)
            if isinstance(result, Tensor) and not gives_keras_tensors(name):
                self.opaque_tensors[id(result)] = result
            return result
        return self.symbolic_result(tensors, complete=False)

    def name_dims(self, shape: Any, node: cst.CSTNode | None) -> Any:
        """A declared shape with each unknown dim symbolic, shown as its source (``X.shape[1]``):
        an int once the program runs, not Keras's None, which only a literal None is."""
        if shape is UNKNOWN and isinstance(node, (cst.Name, cst.Attribute, cst.Subscript)):
            return self.fresh_dim(_label(node))  # input_dim=n_features
        if not isinstance(shape, (tuple, list)) or UNKNOWN not in shape:
            return shape
        parts = element_nodes(node) or []
        named = [self.fresh_dim(_label(parts[i] if i < len(parts) else None)) if d is UNKNOWN else d
                 for i, d in enumerate(shape)]
        return tuple(named) if isinstance(shape, tuple) else named

    def make_layer(self, type_name: str, node: cst.Call, args: list[Any], kwargs: dict[str, Any],
                   skip: int = 0) -> LayerNode:
        """A layer from a constructor call (``skip``: leading positional arguments not passed on)."""
        arg_nodes = [a.value for a in node.args if a.keyword is None and not a.star][skip:]
        kwarg_nodes = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        for key in _DECLARED_SHAPES if type_name != "InputLayer" else _DECLARED_SHAPES + ("shape", "batch_shape"):
            if key in kwargs:
                kwargs = {**kwargs, key: self.name_dims(kwargs[key], kwarg_nodes.get(key))}
        exported_args = tuple(export(v, arg_nodes[i] if i < len(arg_nodes) else None) for i, v in enumerate(args))
        exported_kwargs = {k: export(v, kwarg_nodes.get(k)) if k != "weights" else _initial_weights(v)
                           for k, v in kwargs.items()}
        layer = LayerNode(type_name, exported_args, exported_kwargs, self.call_position(node))
        if type_name == "Lambda" and set(kwargs) <= _LAMBDA_FOLLOWED:
            function = args[0] if args else kwargs.get("function")
            function_node = arg_nodes[0] if arg_nodes else kwarg_nodes.get("function")
            if isinstance(function_node, cst.Lambda):
                self.lambda_functions[id(layer)] = (function_node, self.scope)
            elif isinstance(function, Function):
                self.lambda_functions[id(layer)] = function
        return layer

    def call_layer(self, layer: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        inputs = args[0] if args else kwargs.pop("inputs", UNKNOWN)
        # Attention layers take query, value(, key) as separate arguments: one input list, in order.
        slots = dict(zip(_ATTENTION_TENSORS, [a for a in args if isinstance(a, Tensor)]))
        named = {k: kwargs.pop(k) for k in _ATTENTION_TENSORS if isinstance(kwargs.get(k), Tensor)}
        if named or len(slots) > 1:
            if set(named) & set(slots):
                inputs = UNKNOWN  # a tensor given twice: Python raises before Keras sees it
            else:
                slots.update(named)
                inputs = [slots[k] for k in _ATTENTION_TENSORS if k in slots]
        self.check_defined(_argument_node(node, ("inputs",), 0))
        if id(layer) in self.lambda_functions:
            inputs = self.lambda_result(layer, inputs, kwargs)
        return self.apply(layer, inputs, kwargs, self.call_position(node))

    def lambda_result(self, layer: LayerNode, inputs: Any, kwargs: dict[str, Any]) -> Any:
        """A Lambda whose function is a ``lambda`` or a ``def`` of the file, called on a tensor:
        the function run on it as a model's call is (its operations become the graph's, and
        TensorFlow functions are fine there). The layer is then marked
        ``traced`` (its output is its input, which is the result); a call it cannot follow,
        once it is, has an unknown input."""
        tensors = isinstance(inputs, Tensor) or (isinstance(inputs, (list, tuple)) and inputs
                                                  and all(isinstance(t, Tensor) for t in inputs))
        result = self.run_lambda(layer, inputs) if tensors and not kwargs else UNKNOWN
        if isinstance(result, Tensor) and isinstance(result.producer, (CallRecord, InputSpec)):
            layer.traced = True
            return result
        return UNKNOWN if layer.traced else inputs

    def run_lambda(self, layer: LayerNode, inputs: Any) -> Any:
        """A Lambda's function run on ``inputs``; the calls it makes are marked ``inside_lambda``."""
        function = self.lambda_functions[id(layer)]
        start = len(self.all_records)
        with self.in_model_call:  # Keras runs it on backend tensors, as a model's call
            if isinstance(function, Function):
                result = self.call_function(function, [inputs], {})
            else:
                result = self.call_lambda(*function, [inputs])
        for record in self.all_records[start:]:
            record.inside_lambda = True
        return result

    def lambda_body(self, layer: LayerNode) -> ModelGraph | None:
        """A Lambda added to a Sequential: its function followed on a stand-in input, as a
        one-input model (the Lambda rule propagates the Sequential's tensor through it)."""
        spec = InputSpec(UNKNOWN, layer.position)
        result = self.run_lambda(layer, Tensor(spec))
        if not isinstance(result, Tensor) or not isinstance(result.producer, (CallRecord, InputSpec)):
            return None
        return self.one_input_body(spec, result, layer.position)

    def one_input_body(self, spec: InputSpec, result: Tensor, position: Position) -> ModelGraph | None:
        """The one-input model from the stand-in input ``spec`` to ``result`` (a Sequential's
        Lambda or layer class followed); None when it reads other tensors or stays incomplete."""
        body = ModelGraph("lambda", "functional", position)
        foreign, used = build_functional(body, Tensor(spec), result)
        for i, record in enumerate(used):
            self.placement.setdefault(id(record), (body, i))  # not loose calls
        return body if foreign is None and body.incomplete_reason is None else None

    def check_defined(self, node: cst.CSTNode | None) -> None:
        """KC502 for a tensor argument naming something bound nowhere (``Dense(1)(hidden)``)."""
        names = [node] if isinstance(node, cst.Name) else element_nodes(node) or []
        for name in names:
            if isinstance(name, cst.Name) and self.scope.lookup(name.value) is MISSING \
                    and self.undefined_tensor(name.value):
                self.diagnostics.append(diagnostic("KC502", self.position(name), name=name.value))

    def apply(self, layer: Any, inputs: Any, kwargs: dict[str, Any], position: Position,
              eager: bool = False) -> Tensor:
        """``layer`` applied to ``inputs``; ``eager``: a constant made outside any call (else a
        layer on constants only, outside any call, is run at once as well)."""
        extra = tuple(t for t in flatten(list(kwargs.values())) if isinstance(t, Tensor))
        call_kwargs = {k: export(v, None) for k, v in kwargs.items()}
        tensors = flatten([inputs, extra])
        eager = eager or (not self.in_model_call and bool(tensors) and all(
            isinstance(t, Tensor) and isinstance(t.producer, CallRecord) and t.producer.eager for t in tensors))
        record = CallRecord(layer, inputs, position, self.records, call_kwargs, extra, bool(self.shape_guards),
                            certain=self.runs_certainly(), eager=eager,
                            tensor_kwargs={k: v for k, v in kwargs.items() if any(isinstance(t, Tensor) for t in flatten([v]))})
        self.records += 1
        self.all_records.append(record)
        return Tensor(record)

    def make_input(self, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Tensor:
        shape = self.name_dims(kwargs.get("shape", args[0] if args else None), _argument_node(node, ("shape",), 0))
        given = self.name_dims(kwargs.get("batch_shape"), _argument_node(node, ("batch_shape",), None))
        batch_size = kwargs.get("batch_size", args[1] if len(args) > 1 else None)
        spec = InputSpec(batch_shape(given, shape, batch_size), self.call_position(node),
                         name=text_value(kwargs.get("name")), dtype=export(kwargs.get("dtype"), None))
        return Tensor(spec)

    # -- Sequential -----------------------------------------------------------------------------

    def make_sequential(self, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> ModelValue:
        graph = ModelGraph(text_value(kwargs.get("name")) or "model", "sequential", self.call_position(node))
        keras_naming(graph, args, kwargs, ("layers", "trainable", "name"))
        model = ModelValue(graph, index=len(self.models))
        self.models.append(model)
        layers = kwargs.get("layers", args[0] if args else None)
        layer_nodes = _list_nodes(node, "layers")
        if isinstance(layers, (list, tuple)):
            for i, layer in enumerate(layers):
                at = layer_nodes[i] if layer_nodes and i < len(layer_nodes) else node
                self.add(model, layer, at)
        elif layers is not None:
            self.add(model, UNKNOWN, node)
        return model

    def add(self, model: ModelValue, layer: Any, at: cst.CSTNode) -> None:
        """``model.add(layer)``: one more call, on the previous output."""
        graph = model.graph
        if isinstance(at, cst.Call):
            position = self.call_position(at)
        else:
            position = self.position(at)
        if isinstance(layer, LayerNode) and layer.type == "InputLayer":
            if model.tail is None and not graph.inputs:
                graph.inputs.append(InputSpec(input_layer_shape(layer), layer.position,
                                              name=layer.name, var_name=layer.var_name))
            return
        if isinstance(layer, Tensor) and isinstance(layer.producer, InputSpec):
            if model.tail is None and not graph.inputs:
                graph.inputs.append(layer.producer)
            return
        if isinstance(layer, ModelValue):
            node_or_model: Any = layer.graph
            if model.tail is None and not graph.inputs and len(layer.graph.inputs) == 1:
                graph.inputs.append(layer.graph.inputs[0])
        elif isinstance(layer, LayerNode):
            node_or_model = layer
            if id(layer) in self.lambda_functions and layer.body is None:
                layer.body = self.lambda_body(layer)
            elif id(layer) in self.layer_objects and not self.layer_objects[id(layer)].built:
                layer.body = self.sequential_body(layer)
            if model.tail is None and not graph.inputs:
                spec, keras2 = argument_input(layer), keras2_argument_input(layer)
                if spec is not None:
                    graph.inputs.append(spec)
                if keras2 is not None and (spec is None or keras2.shape != spec.shape):
                    graph.inputs_by_version = {3: graph.inputs, 2: [keras2]}
        else:
            graph.incomplete_reason = graph.incomplete_reason or (
                f"the layers added on line {position.line} are not known to kerascheck"
                if isinstance(at, cst.Call) and any(a.star for a in at.args)
                else f"a layer kerascheck cannot resolve was added on line {position.line}")
            self.touch(model)
            model.tail = UNKNOWN
            return
        self.touch(model)
        inputs = TensorRef.of_input(0) if model.tail is None else model.tail
        graph.calls.append(LayerCall(node_or_model, inputs, position, certain=self.runs_certainly()))
        model.tail = TensorRef.of_call(len(graph.calls) - 1)

    # -- functional -----------------------------------------------------------------------------

    def make_functional(self, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        inputs = kwargs.get("inputs", kwargs.get("input", args[0] if args else MISSING))
        outputs = kwargs.get("outputs", kwargs.get("output", args[1] if len(args) > 1 else MISSING))
        if inputs is MISSING or outputs is MISSING:
            return UNKNOWN  # Model() with no graph: a subclassing pattern we do not follow
        graph = ModelGraph(text_value(kwargs.get("name")) or "model", "functional", self.call_position(node))
        keras_naming(graph, args, kwargs, ("inputs", "outputs", "name"))
        for old in ("input", "output"):
            if old in kwargs and f"{old}s" not in kwargs:  # Keras 1's names: tf-keras and Keras 3 reject them
                fix = Fix(f"rename {old}= to {old}s=", (RenameKeyword(graph.position, old, f"{old}s"),))
                keyword = next(a for a in node.args if a.keyword is not None and a.keyword.value == old)
                self.diagnostics.append(diagnostic("KC522", self.position(keyword),
                                                   f"use {old}s= (Keras 2 renamed it)", fix,
                                                   layer="Model", argument=old))
        outputs_node = _argument_node(node, ("outputs", "output"), 1)
        self.check_defined(_argument_node(node, ("inputs", "input"), 0))
        self.check_defined(outputs_node)
        foreign, used = build_functional(graph, inputs, outputs)
        if foreign is not None and outputs_node is not None:
            self.report_disconnected(foreign, outputs_node)
            return UNKNOWN  # Keras refuses to build it: nothing more to check on this model
        return self.register_functional(graph, inputs, outputs, used)

    def register_functional(self, graph: ModelGraph, inputs: Any, outputs: Any, used: list[CallRecord]) -> ModelValue:
        """A functional model built from ``build_functional``'s calls: found, its calls placed in it."""
        model = ModelValue(graph, inputs=inputs, outputs=outputs, index=len(self.models))
        self.models.append(model)
        for i, record in enumerate(used):
            self.placement.setdefault(id(record), (graph, i))
        return model

    def init_functional(self, owner: ModelValue, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> None:
        """``super().__init__(inputs=..., outputs=...)`` in a Model subclass's ``__init__`` (a
        Backbone): the object is that functional model, built (its ``call`` is Functional's)."""
        inputs = kwargs.get("inputs", args[0] if args else MISSING)
        outputs = kwargs.get("outputs", args[1] if len(args) > 1 else MISSING)
        if inputs is MISSING or outputs is MISSING:
            return
        graph = owner.graph
        foreign, used = build_functional(graph, inputs, outputs)
        outputs_node = _argument_node(node, ("outputs",), 1)
        if foreign is not None and outputs_node is not None:
            self.report_disconnected(foreign, outputs_node)
            return
        graph.kind, owner.inputs, owner.outputs, owner.built = "functional", inputs, outputs, True
        for i, record in enumerate(used):
            self.placement.setdefault(id(record), (graph, i))

    def attach_loose_calls(self) -> ModelGraph | None:
        """Layers applied to tensors that no Model(...) contains are still checked.

        A loose call on a tensor some model computes is appended to that model's calls (after
        them, outside its outputs); loose calls on Inputs only (or on no tensor: positions made
        in a layer's call) form one graph of kind "unattached", returned here. Snippets often stop before ``Model(...)``.
        """
        loose = [r for r in self.all_records if id(r) not in self.placement
                 and (any(isinstance(t, Tensor) for t in flatten([r.inputs])) or r.inputs == [])]
        if not loose:
            return None
        unattached = ModelGraph("unattached layers", "unattached", loose[0].position)
        for record in loose:
            host = unattached
            for tensor in flatten([record.inputs]):
                if isinstance(tensor, Tensor) and id(tensor.producer) in self.placement:
                    host = self.placement[id(tensor.producer)][0]
                    break
            inputs = call_refs(record.inputs, host, self.placement, add_inputs=host is unattached)
            self.placement[id(record)] = (host, len(host.calls))
            call_kwargs = {**record.call_kwargs, **{k: call_refs(v, host, self.placement, add_inputs=host is unattached)
                                                    for k, v in record.tensor_kwargs.items()}}
            host.calls.append(LayerCall(record.layer, inputs, record.position, call_kwargs, record.guarded,
                                        record.inside_lambda, record.unpacked, record.certain, record.eager))
        return unattached if unattached.calls else None

    def report_disconnected(self, spec: InputSpec, outputs_node: cst.CSTNode) -> None:
        where = f"the Input on line {spec.position.line}"
        if spec.var_name:
            where = f"{spec.var_name} (the Input on line {spec.position.line})"
        self.diagnostics.append(diagnostic(
            "KC501", self.position(outputs_node), f"it is computed from {where}, which is not in inputs",
            detail=source(outputs_node)))

    # -- methods of models and layers -----------------------------------------------------------

    def attribute_of_object(self, value: Any, name: str, node: cst.Attribute) -> Any:
        if isinstance(value, SuperValue):
            return self.super_attribute(value, name)
        if isinstance(value, ModelValue) and value.cls is not None:
            found = self.model_attribute(value, name)
            if found is not NO_ATTRIBUTE:
                return found
        if isinstance(value, ModelValue):
            if value.graph.kind == "functional" and name in ("input", "inputs", "output", "outputs"):
                return value.inputs if name.startswith("input") else value.outputs
            if name in ("input", "inputs", "output", "outputs"):
                return Tensor(None, complete=False)
            return BoundCall(value, name)
        if isinstance(value, LayerNode):
            if name in ("output", "input"):
                return Tensor(None, complete=False)
            return BoundCall(value, name)
        return UNKNOWN

    def call_method(self, method: BoundCall, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        owner, name = method.owner, method.name
        if not isinstance(owner, ModelValue):
            return UNKNOWN
        graph = owner.graph
        if name == "add" and graph.kind == "sequential" and (args or "layer" in kwargs):
            layer_node = node.args[0].value if node.args else node
            self.add(owner, args[0] if args else kwargs["layer"], layer_node)
        elif name == "pop" and graph.kind == "sequential":
            self.touch(owner)
            owner.tail = UNKNOWN
            graph.incomplete_reason = "model.pop() removes a layer"
        elif name == "__init__" and owner.cls is not None and not owner.built:
            self.init_functional(owner, node, args, kwargs)
        elif name == "build" and owner.cls is not None:
            self.declare(owner, kwargs.get("input_shape", args[0] if args else UNKNOWN), self.call_position(node))
        elif name == "build" and graph.kind == "sequential":
            shape = kwargs.get("input_shape", args[0] if args else None)
            if not graph.inputs and not owner.built and shape is not None:
                graph.inputs.append(InputSpec(batch_shape(shape, None, None), self.call_position(node)))
            owner.built = True
        elif name == "compile":
            loss = kwargs.get("loss", args[1] if len(args) > 1 else None)
            loss_node = _argument_node(node, ("loss",), 1)
            metrics = kwargs.get("metrics", UNKNOWN)
            graph.compile = CompileInfo(export_loss(loss, loss_node), self.call_position(node),
                                        export_loss(metrics, _argument_node(node, ("metrics",), None)))
        elif name in DATA_METHODS:
            call = self.data_call(graph, name, node, args, kwargs)
            if owner.cls is None:
                self.build_on_data(owner, name, call.args.get("x", UNKNOWN), call.args.get("batch_size"),
                                   call.position)
                graph.data_calls.append(call)
            else:
                x = call.args.get("x", UNKNOWN)
                built_now = self.build_from(owner, x, self.call_position(node), TRAINING_ARGUMENT.get(name),
                                            method=name, batch_size=call.args.get("batch_size"))
                if self.keeps_data_call(owner, x, built_now):
                    graph.data_calls.append(call)
        return UNKNOWN

    def call_unspread(self, func: Any, node: cst.Call) -> Any:
        if isinstance(func, BoundCall) and func.name == "add" and isinstance(func.owner, ModelValue) \
                and func.owner.graph.kind == "sequential":
            self.add(func.owner, UNKNOWN, node)  # model.add(*layers): which layer is not known
        return super().call_unspread(func, node)

    def build_on_data(self, model: ModelValue, method: str, x: Any, batch_size: Any, position: Position) -> None:
        """A Sequential without a declared input is built by the first data it gets (unknown
        data: built on an unknown shape), its batch dim as Keras sets it (see ``first_batch``)."""
        graph = model.graph
        if graph.kind != "sequential" or graph.inputs or model.built:
            return
        model.built = True
        if isinstance(x, Array) and x.shape:
            batches = {version: first_batch(method, x.samples, batch_size, version) for version in (3, 2)}
            graph.inputs.append(InputSpec((batches[3],) + self.data_dims(x.shape[1:]), position, built_by=method,
                                          batch_by_version=batches))
        elif isinstance(x, Batches) and isinstance(x.x, Array) and x.x.shape:
            # a dataset or generator: Keras builds it on one step's batch as its spec has it
            # (batch None unless drop_remainder; a dataset of single samples: each one a batch)
            batch = x.x.shape[0]
            graph.inputs.append(InputSpec((batch,) + self.data_dims(x.x.shape[1:]), position, built_by=method,
                                          batch_by_version={3: batch, 2: batch}))
        else:
            graph.incomplete_reason = graph.incomplete_reason or (
                f"Keras builds it on the data given to {method} on line {position.line}, whose shape "
                "kerascheck cannot infer")

    def data_call(self, graph: ModelGraph, method: str, node: cst.Call, args: list[Any],
                  kwargs: dict[str, Any]) -> DataCall:
        names = DATA_METHODS[method]
        values: dict[str, Any] = {}
        written: dict[str, cst.BaseExpression] = {}
        positional = [a for a in node.args if a.keyword is None and not a.star]
        for i, value in enumerate(args):
            if i < len(names):
                values[names[i]] = data_value(value)
                if i < len(positional):
                    written[names[i]] = positional[i].value
        for arg in node.args:
            if arg.keyword is not None:
                key = arg.keyword.value
                values[key] = data_value(kwargs.get(key, UNKNOWN))
                written[key] = arg.value
        positions = {key: self.position(expression) for key, expression in written.items()}
        spelled: dict[str, str] = {}
        for key, expression in written.items():
            _spell(key, expression, spelled)
        call = DataCall(method, values, self.call_position(node), positions, spelled)
        call.compile = graph.compile
        return call

    def numpy_raises(self, node: cst.Call, message: str, hint: str | None) -> None:
        self.diagnostics.append(diagnostic("KC205", self.call_position(node), hint, detail=message))

    # -- tensors --------------------------------------------------------------------------------

    def is_symbolic(self, value: Any) -> bool:
        return isinstance(value, Tensor)

    def runs_certainly(self) -> bool:
        """Whether the statement running certainly runs in the program (no undecided branch
        around it, no function run with unknown arguments)."""
        return not self.speculative and not self.snapshots

    def either(self, values: list[Any]) -> Any:
        """Tensors of the graph an undecided branch chose between: ``ops.either`` on them
        (``shapes/branches.py``), at the statement that merges them."""
        distinct: dict[tuple[int, int], Tensor] = {}
        for value in values:
            if not isinstance(value, Tensor) or not isinstance(value.producer, (CallRecord, InputSpec)):
                return None
            distinct.setdefault((id(value.producer), value.index), value)
        tensors = list(distinct.values())
        if len(tensors) == 1:
            return tensors[0]
        statement = self.top.node if self.top is not None else None
        position = self.position(statement.test if isinstance(statement, cst.If) else statement) \
            if statement is not None else Position(1, 1, 1, 1)
        return self.apply(LayerNode("ops.either", (), {}, position), tensors, {}, position)

    def symbolic_result(self, operands: list[Any], complete: bool = True) -> Any:
        tensors = [t for t in flatten(operands) if isinstance(t, Tensor)]
        if not tensors:
            return UNKNOWN
        return Tensor(None, parents=tuple(tensors), complete=complete)

    def subscript_object(self, value: Any, index: Any, node: cst.Subscript) -> Any:
        if isinstance(value, Tensor) and isinstance(value.producer, CallRecord) and isinstance(index, int) \
                and value.index == 0 and index >= 0:
            return Tensor(value.producer, index)  # out, h, c = lstm(x) written as lstm(x)[1]
        if isinstance(value, Tensor) and _static_key(index):
            position = self.position(node)
            return self.apply(LayerNode("ops.get_item", (), {"key": index}, position), value, {}, position)
        return Tensor(None, parents=(value,))

    def undefined_tensor(self, name: str) -> bool:
        """Whether using ``name`` certainly raises NameError: bound nowhere in the file."""
        return (not self.opaque_names and name not in BUILTIN_NAMES
                and name not in self.bound_names())


def _spell(key: str, expression: cst.BaseExpression, spelled: dict[str, str]) -> None:
    """Record how the data argument ``key`` is written, for hints to show the fix on it: the
    items of a literal list, tuple or dict each under ``key[0]``, ``key['name']``; any other
    expression as its text when short (parenthesized when a method call on it needs it)."""
    if type(expression) in (cst.List, cst.Tuple):
        for i, element in enumerate(expression.elements):
            if not isinstance(element, cst.Element):
                return  # a starred item: the positions after it are not known
            _spell(f"{key}[{i}]", element.value, spelled)
        return
    if type(expression) is cst.Dict:
        for element in expression.elements:
            if isinstance(element, cst.DictElement) and type(element.key) is cst.SimpleString:
                _spell(f"{key}[{element.key.evaluated_value!r}]", element.value, spelled)
        return
    text = dotted_name(expression) or source(expression)
    if len(text) > SPELLED_LENGTH or "\n" in text:
        return
    atomic = (cst.Name, cst.Attribute, cst.Subscript, cst.Call)
    spelled[key] = text if type(expression) in atomic or expression.lpar else f"({text})"


SPELLED_LENGTH = 50  # a longer argument is named by its role in hints (X, y)


def _initial_weights(value: Any) -> Any:
    """A layer's ``weights=``: its arrays kept (their shapes are checked when it is built)."""
    if isinstance(value, Array):
        return value
    if isinstance(value, (list, tuple)):
        items = [v if isinstance(v, Array) else export(v, None) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    return export(value, None)


def _static_key(index: Any) -> bool:
    """An int, or a tuple of ints, slices of ints, ``...`` and ``None``: an index whose result
    shape Keras's KerasTensor and TensorFlow's tensors agree on."""
    if type(index) is int:
        return True
    return isinstance(index, tuple) and all(item is None or item is Ellipsis or type(item) is int
               or (isinstance(item, slice) and all(type(p) is int or p is None
                                                  for p in (item.start, item.stop, item.step))
                   and item.step != 0)
               for item in index)


def keras_naming(graph: ModelGraph, args: list[Any], kwargs: dict[str, Any], positional: tuple[str, ...]) -> None:
    """Record what Keras names a model from and whether it trains: ``name`` and ``trainable``
    (by keyword, or by position in the constructor's ``positional`` parameters)."""
    given = {**dict(zip(positional, args)), **kwargs}
    name = given.get("name")
    graph.given_name = name if name is None or isinstance(name, str) else UNKNOWN
    trainable = given.get("trainable", True)
    graph.trainable = trainable if isinstance(trainable, bool) else UNKNOWN


_DECLARED_SHAPES = ("input_shape", "batch_input_shape", "input_dim", "input_length")
# A Lambda given only these runs its function on its input (``arguments=`` or ``output_shape=``
# change what it computes; a declared input shape only starts a Sequential).
_LAMBDA_FOLLOWED = frozenset({"function", "name", "input_shape", "batch_input_shape", "batch_size", "dtype"})
_MAX_LABEL = 30


def _label(node: cst.CSTNode | None) -> str:
    """How an unknown dim is shown: its source when short, else ``?``."""
    text = " ".join(source(node).split()) if node is not None else ""
    return text if 0 < len(text) <= _MAX_LABEL else "?"


def _argument_node(node: cst.Call, keywords: tuple[str, ...], index: int | None) -> cst.BaseExpression | None:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg.value
    positional = [a for a in node.args if a.keyword is None and not a.star]
    if index is not None and index < len(positional):
        return positional[index].value
    return None


def _list_nodes(node: cst.Call, keyword: str) -> list[cst.BaseExpression] | None:
    return element_nodes(_argument_node(node, (keyword,), 0))
