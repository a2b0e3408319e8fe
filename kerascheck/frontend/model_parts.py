"""Layers and tensors taken out of models already built, as transfer-learning code does:
``model.layers[i]``, ``model.get_layer("conv")``, and a layer's ``.output`` / ``.input``.

``model.layers`` is Keras's list when kerascheck knows it exactly: a Sequential's layers, or a
functional chain's (its ``InputLayer`` first, unknown here); a model with branches, ops, Lambda
internals or layer classes of the project is not listed (Keras orders such graphs by depth).
A nested model's place holds an unknown value. ``get_layer(name)`` finds a layer given that
``name=``; an automatic name is not resolved. A layer's ``.output`` is the tensor of its only
call (tf-keras refuses it for a layer called more than once; Keras 3 gives the first call's);
a layer that may return several tensors (``return_state``) gives an unknown tensor.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.frontend.graphs import BoundCall, CallRecord, ModelValue, Tensor
from kerascheck.graph import UNKNOWN, LayerNode, TensorRef


class ModelParts:
    """Mixin of the interpreter (``interpreter.Interpreter``): parts of built models reused."""

    all_records: list[CallRecord]

    def attribute_of_object(self, value: Any, name: str, node: cst.Attribute) -> Any:
        if isinstance(value, ModelValue) and value.cls is None and name == "layers":
            return _layers(value)
        if isinstance(value, LayerNode) and name in ("output", "input"):
            record = self._only_call(value)
            if record is not None:
                if name == "input":
                    return record.inputs if isinstance(record.inputs, Tensor) else Tensor(None, complete=False)
                return Tensor(record)
        return super().attribute_of_object(value, name, node)  # type: ignore[misc]

    def call_method(self, method: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        owner = method.owner if isinstance(method, BoundCall) else None
        if isinstance(owner, ModelValue) and owner.cls is None and method.name == "get_layer":
            return _get_layer(owner, args, kwargs)
        return super().call_method(method, node, args, kwargs)  # type: ignore[misc]

    def _only_call(self, layer: LayerNode) -> CallRecord | None:
        """The one call of ``layer`` on tensors, when it has exactly one with one output."""
        records = [r for r in self.all_records if r.layer is layer]
        wrapped = layer.args[0] if layer.type == "Bidirectional" and layer.args else layer
        if len(records) != 1 or not isinstance(wrapped, LayerNode) or wrapped.kwargs.get("return_state", False):
            return None
        record = records[0]
        if record.call_kwargs.get("return_attention_scores") not in (None, False) or record.inside_lambda:
            return None
        return record


def _layers(model: ModelValue) -> Any:
    """``model.layers`` as Keras lists them, or unknown."""
    graph = model.graph
    if graph.incomplete_reason is not None or graph.kind not in ("sequential", "functional"):
        return UNKNOWN
    functional = graph.kind == "functional"
    if functional and len(graph.inputs) != 1:
        return UNKNOWN
    layers: list[Any] = [UNKNOWN] if functional else []  # a functional model's InputLayer comes first
    for k, call in enumerate(graph.calls):
        layer = call.layer
        if isinstance(layer, LayerNode) and (layer.custom is not None or layer.type.startswith(("ops.", "applications."))):
            return UNKNOWN  # an application stands for all its layers
        if call.inside_lambda or any(layer is seen for seen in layers):
            return UNKNOWN
        if functional and call.inputs != (TensorRef.of_input(0) if k == 0 else TensorRef.of_call(k - 1)):
            return UNKNOWN  # not a chain: Keras orders the layers by depth
        layers.append(layer if isinstance(layer, LayerNode) else UNKNOWN)
    return layers


def _get_layer(model: ModelValue, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """``model.get_layer(name)`` or ``get_layer(index=i)``."""
    name = kwargs.get("name", args[0] if args else None)
    index = kwargs.get("index", args[1] if len(args) > 1 else None)
    if isinstance(name, str) and index is None:
        found = {id(c.layer): c.layer for c in model.graph.calls
                 if isinstance(c.layer, LayerNode) and c.layer.name == name}
        return next(iter(found.values())) if len(found) == 1 else UNKNOWN
    if name is None and type(index) is int:
        layers = _layers(model)
        return layers[index] if isinstance(layers, list) and -len(layers) <= index < len(layers) else UNKNOWN
    return UNKNOWN
