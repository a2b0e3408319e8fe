"""``keras.backend.set_image_data_format("channels_first")``: the data format the layers made
after it take when they are given none.

Keras reads ``image_data_format()`` when a layer is constructed (``standardize_data_format`` in
its ``__init__``), so each layer keeps the format set when it was made
(``LayerNode.image_data_format``). Keras 1's ``K.set_image_dim_ordering('th')`` (still in
standalone Keras 2.0-2.2) set the same thing: ``'th'`` is channels_first, ``'tf'``
channels_last. A setting the program may or may not make (under an undecided branch), or
of a value not known, leaves the format unknown.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.frontend.imports import Symbol
from kerascheck.graph import UNKNOWN, LayerNode

_SETTERS = frozenset({"keras.backend.set_image_data_format", "keras.config.set_image_data_format"})
_ORDERINGS = {"th": "channels_first", "tf": "channels_last"}


class ImageDataFormat:
    """Mixin of the interpreter (``interpreter.Interpreter``): the backend's image data format."""

    image_data_format: Any

    def call_object(self, func: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(func, Symbol) and func.qualname in _SETTERS:
            value = args[0] if args else kwargs.get("data_format")
            text = value.lower() if isinstance(value, str) else None
            self.set_image_data_format(text if text in _ORDERINGS.values() else None)
            return None
        if isinstance(func, Symbol) and func.qualname == "keras.backend.set_image_dim_ordering":
            value = args[0] if args else kwargs.get("dim_ordering")
            self.set_image_data_format(_ORDERINGS.get(value) if isinstance(value, str) else None)
            return None
        return super().call_object(func, node, args, kwargs)

    def set_image_data_format(self, value: str | None) -> None:
        self.image_data_format = value if value is not None and self.runs_certainly() else UNKNOWN

    def make_layer(self, type_name: str, node: cst.Call, args: list[Any], kwargs: dict[str, Any],
                   skip: int = 0) -> LayerNode:
        layer = super().make_layer(type_name, node, args, kwargs, skip)
        layer.image_data_format = self.image_data_format
        return layer
