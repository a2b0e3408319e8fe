"""Keras applications (``keras.applications.MobileNetV2(...)``, every import style) as models.

The constructor makes a functional model: the Input it makes (its shape as Keras decides it,
``shapes.applications.declared_input``), or the sources of its ``input_tensor``, and one call of
the pseudo layer ``applications.<Name>`` whose rule gives the output. So ``base(inputs)``,
``base.output``, ``base.input`` and ``Model(base.input, head)`` work as for any model. An
application kerascheck does not model, or arguments it cannot bind, give an unknown value.
A module's ``preprocess_input`` on a tensor keeps its shape. ``get_layer(name)`` of VGG's blocks
gives a layer whose ``.output`` is known (the pseudo layer with ``layer=name``).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.frontend.graphs import BoundCall, CallRecord, ModelValue, Tensor, build_functional, export
from kerascheck.graph import UNKNOWN, InputSpec, LayerNode, ModelGraph, Position
from kerascheck.shapes.applications import application, bind, declared_input, has_part, model_name
from kerascheck.shapes.application_facts import FACTS


class Applications:
    """Mixin of the interpreter (``interpreter.Interpreter``): application constructors."""

    keras_inputs: set[int]
    all_records: list[CallRecord]

    def make_application(self, name: str, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """``VGG16(include_top=False, ...)``: a model, or unknown."""
        values = bind(name, args, kwargs) if application(name) is not None else None
        if values is None:
            return UNKNOWN
        position: Position = self.call_position(node)  # type: ignore[attr-defined]
        given = values["input_tensor"]
        shape = declared_input(name, values) if given is None else None
        if given is None:
            spec = InputSpec(shape if shape is not None else UNKNOWN, position)
            self.keras_inputs.add(id(spec))
            tensor = sources = Tensor(spec)
        elif isinstance(given, Tensor):
            tensor, sources = given, _source_input(given, position)
            if sources is None:
                return UNKNOWN
        else:
            return UNKNOWN
        layer = LayerNode(f"applications.{name}", (), {k: export(v, None) for k, v in values.items()
                                                       if k != "input_tensor"}, position)
        output = self.apply(layer, tensor, {}, position)  # type: ignore[attr-defined]
        keras_name = model_name(name, values, shape)
        graph = ModelGraph(keras_name or FACTS[(3, name)]["name"], "functional", position)
        graph.given_name = keras_name if keras_name is not None else UNKNOWN
        foreign, used = build_functional(graph, sources, output)
        if foreign is not None:
            return UNKNOWN
        return self.register_functional(graph, sources, output, used)  # type: ignore[attr-defined]


    def call_method(self, method: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """``base.get_layer("block5_pool")`` of an application whose layer kerascheck knows: a
        layer whose ``.output`` is that layer's tensor."""
        owner = method.owner if isinstance(method, BoundCall) else None
        if isinstance(owner, ModelValue) and owner.cls is None and method.name == "get_layer":
            record = self._application_record(owner)
            name = kwargs.get("name", args[0] if args else None)
            if record is not None and set(kwargs) <= {"name"} and len(args) <= 1 \
                    and has_part(record.layer.type.split(".", 1)[1], name):
                position = self.call_position(node)  # type: ignore[attr-defined]
                part = LayerNode(record.layer.type, (), {**record.layer.kwargs, "layer": name}, position)
                self.apply(part, record.inputs, {}, position)  # type: ignore[attr-defined]
                return part
        return super().call_method(method, node, args, kwargs)  # type: ignore[misc]

    def attribute_of_object(self, value: Any, name: str, node: cst.Attribute) -> Any:
        if isinstance(value, LayerNode) and value.type.startswith("applications.") and name == "input":
            return Tensor(None, complete=False)  # the input of a layer inside it: not followed
        return super().attribute_of_object(value, name, node)  # type: ignore[misc]

    def _application_record(self, model: ModelValue) -> CallRecord | None:
        """The call of the application pseudo layer that ``model`` (an application) is made of."""
        calls = model.graph.calls
        if not calls or not isinstance(calls[-1].layer, LayerNode) \
                or not calls[-1].layer.type.startswith("applications."):
            return None
        layer = calls[-1].layer
        return next((r for r in self.all_records if r.layer is layer), None)


def preprocessed(args: list[Any], kwargs: dict[str, Any]) -> bool:
    """Whether ``preprocess_input(x)`` of an application module is ``x`` as far as shapes go:
    on a tensor, with no other argument (every mode scales or shifts values elementwise, or
    returns ``x``; the "caffe" and "torch" modes' need of 3 channels is not checked)."""
    return (len(args) == 1 and not kwargs and isinstance(args[0], Tensor)) \
        or (not args and set(kwargs) == {"x"} and isinstance(kwargs["x"], Tensor))


def _source_input(tensor: Tensor, position: Position) -> Tensor | None:
    """The one Input ``tensor`` is computed from (Keras's ``get_source_inputs``), or None."""
    if isinstance(tensor.producer, InputSpec):
        return tensor
    probe = ModelGraph("probe", "functional", position)
    foreign, _ = build_functional(probe, [], tensor)
    return Tensor(foreign) if foreign is not None else None
