"""Instances of the file's plain classes (``class GAN:``, ``class Trainer(object):``), and the
attributes a class body sets (``class CFG: img_size = 64`` read as ``CFG.img_size``).

``GAN()`` runs ``__init__`` on an object whose attributes (``self.latent_dim = 100``, models
``self.generator = self.build_generator()``) live on it, and ``gan.method(...)`` runs the method
with ``self`` bound to that object, so a method reads the sizes and models ``__init__`` set. Only
classes whose bases are ``object`` or plain classes of the file: a class deriving from anything
else may be a layer, a model or a callback, with attributes kerascheck does not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from kerascheck.frontend.graphs import ClassValue, Function
from kerascheck.graph import UNKNOWN, LayerNode


@dataclass(eq=False)
class PlainObject:
    """An instance of a plain class: the attributes its methods set on ``self``."""

    cls: ClassValue
    depth: int  # undecided branches around its creation (writes inside more are uncertain)
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class ObjectMethod:
    """``obj.method``: a method of a plain class bound to its instance."""

    owner: PlainObject
    function: Function


class PlainObjects:
    """Mixin of the interpreter (``interpreter.Interpreter``): plain classes and their instances."""

    snapshots: list

    def class_value(self, node: cst.ClassDef) -> ClassValue:
        cls = super().class_value(node)  # type: ignore[misc]
        cls.plain = all(_plain_base(arg, self.evaluate(arg.value)) for arg in node.bases)  # type: ignore[attr-defined]
        return cls

    def call_object(self, func: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(func, ClassValue) and func.plain:
            instance = PlainObject(func, depth=len(self.snapshots))
            init = self.method_of(instance, "__init__")
            if init is not None and init is not UNKNOWN:
                self.call_object(init, node, args, kwargs)
            return instance
        if isinstance(func, ObjectMethod):
            return self.call_function(func.function, [func.owner, *args], kwargs)  # type: ignore[attr-defined]
        if isinstance(func, PlainObject):
            call = self.method_of(func, "__call__")
            return UNKNOWN if call is None or call is UNKNOWN else self.call_object(call, node, args, kwargs)
        return super().call_object(func, node, args, kwargs)  # type: ignore[misc]

    def attribute_of_object(self, value: Any, name: str, node: cst.Attribute) -> Any:
        if isinstance(value, PlainObject):
            if name in value.attributes:
                return value.attributes[name]
            method = self.method_of(value, name)
            if method is not None:
                return method
            found, attribute = value.cls.attribute(name)
            return attribute if found else UNKNOWN
        if isinstance(value, ClassValue):
            found, attribute = value.attribute(name)
            if found:
                return attribute  # CFG.img_size
        return super().attribute_of_object(value, name, node)  # type: ignore[misc]

    def assign_attribute(self, target: cst.Attribute, value: Any) -> None:
        owner = self.evaluate(target.value) if isinstance(target.value, cst.Name) else None  # type: ignore[attr-defined]
        if isinstance(owner, PlainObject):
            # self.size = 28 under a condition kerascheck cannot decide: unknown
            owner.attributes[target.attr.value] = value if len(self.snapshots) <= owner.depth else UNKNOWN
            return
        super().assign_attribute(target, value)  # type: ignore[misc]

    def add(self, model: Any, layer: Any, at: cst.CSTNode) -> None:
        """An instance added to a Sequential is no Keras layer: one kerascheck does not know."""
        if isinstance(layer, PlainObject):
            position = self.call_position(at) if isinstance(at, cst.Call) else self.position(at)  # type: ignore[attr-defined]
            layer = LayerNode(layer.cls.name, (), {}, position)
        super().add(model, layer, at)  # type: ignore[misc]

    def method_of(self, instance: PlainObject, name: str) -> Any:
        """The bound method ``name`` (None if the class has none, UNKNOWN for a decorated one)."""
        found = instance.cls.lookup(name)
        if found is None:
            return None
        function = found[0]
        decorators = function.node.decorators
        if not decorators:
            return ObjectMethod(instance, function)
        if len(decorators) == 1 and isinstance(decorators[0].decorator, cst.Name):
            kind = decorators[0].decorator.value
            if kind == "staticmethod":
                return function
            if kind == "property":
                return self.call_function(function, [instance], {})  # type: ignore[attr-defined]
        return UNKNOWN


def _plain_base(arg: cst.Arg, base: Any) -> bool:
    if arg.keyword is not None or arg.star:
        return False  # a metaclass or spread bases: anything may come of it
    if isinstance(base, ClassValue):
        return base.plain
    return isinstance(arg.value, cst.Name) and arg.value.value == "object"
