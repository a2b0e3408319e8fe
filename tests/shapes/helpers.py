"""Build LayerNodes directly for rule tests, and run them statically or in real Keras."""

from __future__ import annotations

from typing import Any

from kerascheck.graph import LayerNode, Position
import pytest

from kerascheck.shapes.base import KERAS3, Context, Inference, ShapeError, infer, rule_for

POS = Position(1, 1, 1, 1)


def layer(type_name: str, *args: Any, **kwargs: Any) -> LayerNode:
    """A LayerNode as the frontend would produce for ``type_name(*args, **kwargs)``."""
    return LayerNode(type_name, tuple(args), dict(kwargs), POS)


def shape_error(node: LayerNode, shape: Any) -> ShapeError:
    """The ShapeError kerascheck raises for ``node`` (its arguments, then on ``shape``); fails if none."""
    with pytest.raises(ShapeError) as caught:
        infer(node, None)
        infer(node, shape, check_args=False)
    return caught.value


def rank_fix(node: LayerNode, produced: Any, wanted: str) -> str | None:
    """The advice ``node``'s rule gives when its output ``produced`` is not the ``wanted`` rank."""
    rule = rule_for(node.type)
    return rule.rank_fix(rule.bind(node), produced, wanted)


def static(node: LayerNode, shape: Any, context: Context = KERAS3) -> Inference | str:
    """kerascheck's answer (Keras 3's rules unless ``context`` says another version): the
    inference, or the code of the error it raises."""
    try:
        infer(node, None, context=context)
        return infer(node, shape, check_args=False, context=context)
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


def agree(node: LayerNode, shape: Any, keras: Any, context: Context = KERAS3) -> None:
    """Assert kerascheck (with ``context``'s rules) and ``keras`` agree on accept/reject, output
    shape and parameter count."""
    ours, theirs = static(node, shape, context), real(node, shape, keras)
    described = f"{node.type}{node.args}{node.kwargs} on {shape}"
    keras_name = "tf-keras" if context.keras_version == 2 else "Keras"
    if theirs == "rejected":
        assert isinstance(ours, str), f"{keras_name} rejects {described}, we accept: {ours}"
        return
    assert not isinstance(ours, str), f"we report {ours} for {described}; {keras_name} builds {theirs}"
    assert (ours.output, ours.params) == theirs, f"{described}: ours {(ours.output, ours.params)}, {keras_name} {theirs}"


def fails_when_run(node: LayerNode, shape: Any, keras: Any) -> None:
    """Assert Keras builds ``node`` on ``shape`` but raises once it runs on zeros (unknown dims as 2)."""
    import numpy as np

    from kerascheck.verify.build import make_layer

    assert real(node, shape, keras) != "rejected"
    with pytest.raises(Exception):
        make_layer(node, keras)(np.zeros([2 if d is None else d for d in shape], "float32"))
