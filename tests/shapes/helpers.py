"""Build LayerNodes directly for rule tests, and run them statically or in real Keras."""

from __future__ import annotations

from typing import Any

from kerascheck.graph import LayerNode, Position
from kerascheck.shapes.base import Inference, ShapeError, infer

POS = Position(1, 1, 1, 1)


def layer(type_name: str, *args: Any, **kwargs: Any) -> LayerNode:
    """A LayerNode as the frontend would produce for ``type_name(*args, **kwargs)``."""
    return LayerNode(type_name, tuple(args), dict(kwargs), POS)


def static(node: LayerNode, shape: Any) -> Inference | str:
    """kerascheck's answer: the inference, or the code of the error it raises."""
    try:
        infer(node, None)
        return infer(node, shape, check_args=False)
    except ShapeError as error:
        return error.code


def real(node: LayerNode, shape: Any, keras: Any) -> tuple[Any, int] | str:
    """Keras's answer: (output shape, params), or ``"rejected"``."""
    from kerascheck.verify.build import apply_layer

    try:
        built = apply_layer(node, shape, keras)
    except Exception:  # anything Keras raises is a rejection
        return "rejected"
    return built.output, built.params


def agree(node: LayerNode, shape: Any, keras: Any) -> None:
    """Assert kerascheck and Keras agree on accept/reject, output shape and parameter count."""
    ours = static(node, shape)
    theirs = real(node, shape, keras)
    if theirs == "rejected":
        assert isinstance(ours, str), f"Keras rejects {node.type}{node.args}{node.kwargs} on {shape}, we accept: {ours}"
        return
    assert not isinstance(ours, str), f"we report {ours} for {node.type}{node.args}{node.kwargs} on {shape}; Keras builds {theirs}"
    assert ours.output == theirs[0], f"{node.type}{node.args}{node.kwargs} on {shape}: ours {ours.output}, Keras {theirs[0]}"
    assert ours.params == theirs[1], f"params ours {ours.params}, Keras {theirs[1]}"
