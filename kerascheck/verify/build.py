"""Turn graph objects into real Keras objects (TensorFlow imported by the caller's process)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kerascheck.graph import UNKNOWN, LayerNode, Opaque


class NotBuildable(Exception):
    """The graph holds something that cannot be rebuilt (an unknown value, a Lambda body...)."""


@dataclass
class Built:
    """What Keras made of a layer on an input: its output shape(s) and parameter count."""

    output: Any  # tuple, or list of tuples
    params: int


def import_keras(version: int = 3) -> Any:
    """The Keras module for a major version: ``keras`` (3) or ``tf_keras`` (2)."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if version == 2:
        import tf_keras

        return tf_keras
    import keras

    return keras


def to_python(value: Any, keras: Any) -> Any:
    """A resolved argument value as Keras should receive it."""
    if value is UNKNOWN or isinstance(value, Opaque):
        raise NotBuildable(f"unresolved argument {value!r}")
    if isinstance(value, LayerNode):
        return make_layer(value, keras)
    if isinstance(value, tuple):
        return tuple(to_python(v, keras) for v in value)
    if isinstance(value, list):
        return [to_python(v, keras) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v, keras) for k, v in value.items()}
    return value


def make_layer(node: LayerNode, keras: Any) -> Any:
    """Instantiate the layer a node describes (raises what Keras raises for bad arguments)."""
    cls = getattr(keras.layers, node.type, None)
    if cls is None:
        raise NotBuildable(f"keras.layers has no {node.type}")
    args = [to_python(v, keras) for v in node.args]
    kwargs = {k: to_python(v, keras) for k, v in node.kwargs.items()}
    return cls(*args, **kwargs)


def _shape(tensor: Any) -> tuple:
    return tuple(None if d is None else int(d) for d in tensor.shape)


def apply_layer(node: LayerNode, input_shape: Any, keras: Any) -> Built:
    """Build the layer on symbolic inputs of ``input_shape`` (a tuple, or a list for merges)."""
    layer = make_layer(node, keras)
    if isinstance(input_shape, list):
        inputs = [keras.Input(batch_shape=s) for s in input_shape]
    else:
        inputs = keras.Input(batch_shape=input_shape)
    out = layer(inputs)
    output = [_shape(t) for t in out] if isinstance(out, (list, tuple)) else _shape(out)
    return Built(output, int(layer.count_params()))
