"""The differential harness: collect every strategy module, build layers and stacks both ways.

Protocol for ``tests/differential/strategies_*.py`` (one module per rule family):

``STRATEGIES: dict[str, SearchStrategy]`` (required)
    Keyed by the Keras class name (the rule's ``types[0]``). Each strategy draws a pair
    ``(LayerNode, input_shape)``: the node as the frontend would build it (``tests.shapes.helpers.layer``)
    and the input shape *with* the batch dim (a tuple; a list of tuples for multi-input layers).
    Draw valid and invalid combinations: the test asserts equal output shape, equal parameter
    count and equal accept/reject, whatever Keras decides.

``FOLLOWERS: dict[str, Callable[[tuple], SearchStrategy | None]]`` (optional)
    For random stacks: a function of a known input shape (batch included, ``None`` dims allowed)
    returning a strategy of ``LayerNode`` for a layer that can take that input, or ``None`` when
    the layer cannot follow a tensor of that rank. Single-input layers only. A layer without a
    follower still joins stacks: its ``STRATEGIES`` node is applied to the previous output (a
    rejection is then also a valid test, since accept/reject must agree).

Every rule object in ``kerascheck.shapes.base.registered_rules()`` needs a strategy (aliases of
one rule share it). Stacks are built statically with ``propagate`` on a Sequential ModelGraph
and in Keras with ``kerascheck.verify.build.build_model``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from kerascheck.graph import InputSpec, LayerCall, LayerNode, ModelGraph, Position, TensorRef

POS = Position(1, 1, 1, 1)


@dataclass
class Strategies:
    """Everything the strategy modules define, merged."""

    pairs: dict[str, Any]  # name -> SearchStrategy[(LayerNode, shape)]
    followers: dict[str, Callable[[tuple], Any]]
    modules: list[str]


def load_strategies() -> Strategies:
    """Import every ``strategies_*.py`` next to this file; two modules may not define one name."""
    pairs: dict[str, Any] = {}
    followers: dict[str, Callable[[tuple], Any]] = {}
    modules = []
    for path in sorted(Path(__file__).parent.glob("strategies_*.py")):
        module = importlib.import_module(f"tests.differential.{path.stem}")
        modules.append(path.stem)
        for name, strategy in getattr(module, "STRATEGIES", {}).items():
            if name in pairs:
                raise RuntimeError(f"two strategies for {name} ({path.stem})")
            pairs[name] = strategy
        followers.update(getattr(module, "FOLLOWERS", {}))
    return Strategies(pairs, followers, modules)


def sequential(nodes: list[LayerNode], input_shape: tuple) -> ModelGraph:
    """A Sequential ModelGraph: ``nodes`` chained on ``input_shape`` (batch included).

    Layer *i* and its call are placed on line ``i + 2`` so diagnostics map back to calls.
    """
    calls = []
    for i, node in enumerate(nodes):
        source = TensorRef.of_input(0) if i == 0 else TensorRef.of_call(i - 1)
        position = Position(i + 2, 1, i + 2, 10)
        calls.append(LayerCall(placed(node, position), source, position))
    return ModelGraph("model", "sequential", POS, [InputSpec(input_shape, POS)], calls,
                      TensorRef.of_call(len(nodes) - 1))


def placed(node: LayerNode, position: Position) -> LayerNode:
    """A copy of ``node`` at ``position``, the layers it wraps too (their errors point there)."""
    def place(value: Any) -> Any:
        return placed(value, position) if isinstance(value, LayerNode) else value

    return replace(node, position=position, args=tuple(place(v) for v in node.args),
                   kwargs={k: place(v) for k, v in node.kwargs.items()})


def stack_static(model: ModelGraph) -> list[Any]:
    """Per call, kerascheck's answer: ``(output, params)``, or its error code (and nothing after)."""
    from kerascheck.shapes.propagate import propagate

    result = propagate(model)
    codes = {d.position.line: d.code for d in result.diagnostics if d.severity == "error"}
    answers: list[Any] = []
    for call, row in zip(model.calls, result.layers):
        if call.position.line in codes:
            return answers + [codes[call.position.line]]
        answers.append((row.output, row.params))
    return answers


def stack_keras(model: ModelGraph, keras: Any) -> list[Any]:
    """Per call, Keras's answer: ``(output, params)``, or ``"rejected"`` (and nothing after)."""
    from kerascheck.verify.build import build_model

    answers: list[Any] = []
    for outcome in build_model(model, keras):
        if outcome.status == "rejected":
            return answers + ["rejected"]
        if outcome.status != "built":
            raise AssertionError(f"Keras could not build the stack: {outcome.message}")
        answers.append((outcome.output, outcome.params))
    return answers


def time_distributed_verdict(node: LayerNode, shape: tuple, keras: Any) -> Any:
    """Keras's answer for ``TimeDistributed(inner)``: ``(output, params)`` or ``"rejected"``.

    The inner layer's rejection of one step's shape counts as Keras's (see
    ``kerascheck.verify.build.wrapped_rejection``). Running the layer on data instead is no
    option: TensorFlow kernels fed such inputs can kill the process (SIGFPE in adaptive pooling).
    """
    from kerascheck.verify.build import wrapped_rejection
    from tests.shapes.helpers import real

    answer = real(node, shape, keras)
    if answer != "rejected" and wrapped_rejection(node, shape, keras) is not None:
        return "rejected"
    return answer


def agree_time_distributed(node: LayerNode, shape: tuple, keras: Any) -> None:
    """``tests.shapes.helpers.agree`` with Keras's answer from ``time_distributed_verdict``."""
    from tests.shapes.helpers import static

    ours, theirs = static(node, shape), time_distributed_verdict(node, shape, keras)
    described = f"{node.type}({format_node(node.args[0]) if node.args else ''}) on {shape}"
    if theirs == "rejected":
        assert isinstance(ours, str), f"Keras rejects {described}, we accept: {ours}"
        return
    assert not isinstance(ours, str), f"we report {ours} for {described}; Keras builds {theirs}"
    assert (ours.output, ours.params) == theirs, f"{described}: ours {(ours.output, ours.params)}, Keras {theirs}"


def format_node(node: Any) -> str:
    return f"{node.type}{node.args}{node.kwargs}" if isinstance(node, LayerNode) else repr(node)
