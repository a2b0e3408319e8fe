"""Layer classes of the project (``class X(keras.layers.Layer)``), as the interpreter runs them.

``X(...)`` is a layer (a ``LayerNode`` of type ``X``) whose ``__init__`` runs with the call's
arguments, on an object whose attributes (``self.units``, sublayers ``self.proj = Dense(8)``)
live beside the node. Called on tensors the first time, Keras builds it: ``build(input_shape)``
runs with ``input_shape`` a shape whose sizes ``input_shape[-1]`` are named dims (the frontend
knows no shape: ``shapes/custom.py`` gives them the input's sizes), and each
``self.add_weight(shape=...)`` adds a weight. Then ``call(inputs, ...)`` runs abstractly on the
tensors, as a model's call does: its sublayer calls and ops join the graph, a weight read there
(``inputs @ self.w``) is the pseudo layer ``ops.weight`` on the layer's input, and when the
result is a tensor the layer is ``traced``: each call's inputs are [that result, the input].
When ``call`` cannot be followed, ``compute_output_shape(input_shape)`` gives the output if the
class defines it; otherwise the output is unknown (the weights are still counted). Added to a
Sequential, it is built and its ``call`` followed on a stand-in input (``sequential_body``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from kerascheck.frontend.graphs import CallRecord, ClassValue, MethodValue, Tensor, export, flatten
from kerascheck.frontend.state import Depth
from kerascheck.graph import UNKNOWN, CustomLayer, InputSpec, LayerNode, ModelGraph, Position


@dataclass(eq=False)
class LayerObject:
    """A custom layer instance: its class and the attributes its methods set on ``self``."""

    cls: ClassValue
    attributes: dict[str, Any] = field(default_factory=dict)
    depth: int = 0  # undecided branches around its creation (writes inside more are uncertain)
    built: bool = False


@dataclass(eq=False)
class InputShape:
    """The ``input_shape`` ``build`` (or ``compute_output_shape``) receives for one input tensor:
    indexing it with an int gives a named dim, which ``CustomLayer.axes`` maps to that axis."""

    label: str  # "input_shape", or "input_shape[1]" for the second tensor of a list
    index: int | None  # which tensor of a list, None for a single tensor
    custom: CustomLayer


@dataclass(eq=False)
class Weight:
    """What ``self.add_weight(...)`` returns: its shape (named dims allowed) and where it was made."""

    shape: Any
    trainable: Any
    position: Position


@dataclass(eq=False)
class _CallFrame:
    """A custom layer's ``call`` running: the weights read so far become tensors once."""

    layer: LayerNode
    inputs: Any
    weights: dict[int, Tensor] = field(default_factory=dict)


class CustomLayers:
    """Mixin of the interpreter (``interpreter.Interpreter``): layer classes of the project."""

    snapshots: list
    in_model_call: Depth

    def call_object(self, func: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(func, ClassValue) and func.is_layer and not func.is_model:
            layer = super().call_object(func, node, args, kwargs)
            if isinstance(layer, LayerNode):
                layer.custom = CustomLayer()
                self.layer_objects[id(layer)] = LayerObject(func, depth=len(self.snapshots))
                found = func.lookup("__init__")
                if found is not None:
                    self.run_method(layer, *found, args, kwargs)
            return layer
        if isinstance(func, LayerNode) and id(func) in self.layer_objects:
            return self.call_custom(func, node, args, kwargs)
        return super().call_object(func, node, args, kwargs)

    def attribute_of_object(self, value: Any, name: str, node: cst.Attribute) -> Any:
        found = self.layer_objects.get(id(value)) if isinstance(value, LayerNode) else None
        if found is not None:
            if name in found.attributes:
                attribute = found.attributes[name]
                return self.weight_tensor(value, attribute) if isinstance(attribute, Weight) else attribute
            method = found.cls.lookup(name) if name not in ("build", "call") else None
            if method is not None:
                return MethodValue(value, *method)
        return super().attribute_of_object(value, name, node)

    def assign_attribute(self, target: cst.Attribute, value: Any) -> None:
        owner = self.evaluate(target.value) if isinstance(target.value, cst.Name) else None
        found = self.layer_objects.get(id(owner)) if isinstance(owner, LayerNode) else None
        if found is not None and target.attr.value != "trainable":
            # self.units = units; under a condition kerascheck cannot decide: unknown
            found.attributes[target.attr.value] = value if len(self.snapshots) <= found.depth else UNKNOWN
            return
        super().assign_attribute(target, value)

    def call_method(self, method: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        owner = method.owner
        custom = owner.custom if isinstance(owner, LayerNode) and id(owner) in self.layer_objects else None
        if method.name == "add_weight" and custom is not None:
            return self.add_weight(custom, self.call_position(node), args, kwargs)
        return super().call_method(method, node, args, kwargs)

    def is_symbolic(self, value: Any) -> bool:
        return isinstance(value, InputShape) or super().is_symbolic(value)

    def subscript_object(self, value: Any, index: Any, node: cst.Subscript) -> Any:
        if isinstance(value, InputShape):
            if type(index) is not int:
                return UNKNOWN
            name = f"{value.label}[{index}]"
            value.custom.axes[name] = (value.index, index)
            return self.fresh_dim(name)
        return super().subscript_object(value, index, node)

    # -- weights --------------------------------------------------------------------------------

    def add_weight(self, custom: CustomLayer, position: Position, args: list[Any], kwargs: dict[str, Any]) -> Weight:
        """``self.add_weight(shape=...)``: Keras 3 takes the shape first (tf-keras a name, which
        Keras 3 rejects); by keyword in both."""
        shape = kwargs.get("shape", args[0] if args and isinstance(args[0], (tuple, list)) else UNKNOWN)
        if isinstance(shape, int) and not isinstance(shape, bool):
            shape = (shape,)
        shape = export(shape, None) if isinstance(shape, (tuple, list)) else UNKNOWN
        trainable = kwargs.get("trainable", True)
        weight = Weight(shape, trainable if isinstance(trainable, bool) else UNKNOWN, position)
        custom.weights.append((weight.shape, weight.trainable))
        return weight

    def weight_tensor(self, layer: LayerNode, weight: Weight) -> Any:
        """A weight read in its layer's ``call``: ``ops.weight`` on the call's input (once per call)."""
        frame = next((f for f in reversed(self.custom_frames) if f.layer is layer), None)
        if frame is None or layer.custom is None:
            return UNKNOWN
        tensor = frame.weights.get(id(weight))
        if tensor is None:
            custom = CustomLayer([(weight.shape, weight.trainable)], layer.custom.axes, weight=True)
            pseudo = LayerNode("ops.weight", (), {}, weight.position, custom=custom)
            tensor = frame.weights[id(weight)] = self.apply(pseudo, frame.inputs, {}, weight.position)
        return tensor

    # -- calls ----------------------------------------------------------------------------------

    def call_custom(self, layer: LayerNode, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """A custom layer called: built on the first tensors it gets, then its ``call`` followed."""
        inputs = args[0] if args else kwargs.get("inputs", UNKNOWN)
        if not any(isinstance(t, Tensor) for t in flatten([inputs])):
            return super().call_object(layer, node, args, kwargs)
        first = not self.layer_objects[id(layer)].built
        result = self._follow(layer, inputs, list(args) if args else [inputs],
                              {k: v for k, v in kwargs.items() if k != "inputs"})
        followed = _in_graph(result)
        if first and followed:
            layer.traced = True
        position = self.call_position(node)
        if layer.traced:
            return self.apply(layer, [result if followed else UNKNOWN, inputs], {}, position)
        return self.apply(layer, inputs, {}, position)

    def sequential_body(self, layer: LayerNode) -> ModelGraph | None:
        """A layer class added to a Sequential, not built yet: built and its ``call`` followed
        on a stand-in input, as a one-input model the Sequential's tensor is propagated through
        (``shapes/custom.py``); None when ``call`` cannot be followed."""
        spec = InputSpec(UNKNOWN, layer.position)
        result = self._follow(layer, Tensor(spec), [Tensor(spec)], {})
        return self.one_input_body(spec, result, layer.position) if _in_graph(result) else None

    def _follow(self, layer: LayerNode, inputs: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """Build the layer on its first ``inputs`` (``build``; ``compute_output_shape`` when
        ``call`` cannot be followed), then run ``call``: its result."""
        instance = self.layer_objects[id(layer)]
        first = not instance.built
        custom = layer.custom
        if first and custom is not None:
            instance.built = custom.built = True
            found = instance.cls.lookup("build")
            if found is not None:
                self.run_method(layer, *found, [self._input_shape(inputs, custom)], {})
        result: Any = UNKNOWN
        found = instance.cls.lookup("call")
        if found is not None and custom is not None:
            self.custom_frames.append(_CallFrame(layer, inputs))
            try:
                with self.in_model_call:  # Keras runs it on backend tensors, as a model's call
                    result = self.run_method(layer, *found, args, kwargs)
            finally:
                self.custom_frames.pop()
        if first and custom is not None and not _in_graph(result):
            declared = instance.cls.lookup("compute_output_shape")
            if declared is not None:
                shape = self.run_method(layer, *declared, [self._input_shape(inputs, custom)], {})
                custom.output_shape = export(shape, None) if isinstance(shape, (tuple, list)) else None
        return result

    def _input_shape(self, inputs: Any, custom: CustomLayer) -> Any:
        if isinstance(inputs, (list, tuple)):
            return [InputShape(f"input_shape[{k}]", k, custom) for k in range(len(inputs))]
        return InputShape("input_shape", None, custom)


def _in_graph(result: Any) -> bool:
    """Whether a ``call`` gave a tensor of the graph (it was followed)."""
    return isinstance(result, Tensor) and isinstance(result.producer, (CallRecord, InputSpec))
