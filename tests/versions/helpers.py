"""Build graphs for version checks, and run source snippets in real Keras (tests only)."""

from __future__ import annotations

import re
import warnings
from typing import Any

from kerascheck.graph import DataCall, InputSpec, LayerCall, LayerNode, ModelGraph, Position


def at(line: int) -> Position:
    return Position(line, 1, line, 40)


def node(type_name: str, *args: Any, line: int = 1, **kwargs: Any) -> LayerNode:
    return LayerNode(type_name, tuple(args), dict(kwargs), at(line))


def sequential(*layers: LayerNode, input_shape: Any = None, data: tuple[DataCall, ...] = ()) -> ModelGraph:
    """A Sequential model of ``layers``; ``input_shape`` includes the batch dim."""
    inputs = [] if input_shape is None else [InputSpec(input_shape, layers[0].position)]
    calls = [LayerCall(layer, None, layer.position) for layer in layers]
    return ModelGraph("model", "sequential", at(1), inputs, calls, data_calls=list(data))


def found(diagnostics: list) -> list[tuple[str, int]]:
    """(code, line) of each diagnostic, sorted."""
    return sorted((d.code, d.position.line) for d in diagnostics)


def run(source: str, keras: Any) -> dict[str, Any]:
    """Execute ``source`` with ``keras`` and ``np`` bound; returns its namespace. Raises what it raises."""
    import numpy as np

    namespace: dict[str, Any] = {"keras": keras, "np": np}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(source, "<snippet>", "exec"), namespace)
    return namespace


def run_warnings(source: str, keras: Any) -> list[str]:
    """Execute ``source``; the warning messages it emitted."""
    import numpy as np

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(source, "<snippet>", "exec"), {"keras": keras, "np": np})
    return [str(w.message) for w in caught]


def call_in(text: str, prefix: str) -> str:
    """The first balanced call ``prefix(...)`` written in ``text`` (a hint)."""
    start = text.index(prefix)
    depth = 0
    for i in range(text.index("(", start), len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i + 1]
    raise ValueError(f"unbalanced call in {text!r}")


def renamed_to(hint: str) -> str:
    """``use units= (Keras 2 renamed it)`` -> ``units``."""
    match = re.search(r"(?:use|mean) (\w+)=", hint)
    assert match, hint
    return match.group(1)
