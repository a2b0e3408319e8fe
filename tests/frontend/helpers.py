"""Helpers for frontend tests: build graphs from dedented source and describe them compactly."""

from __future__ import annotations

import textwrap

from kerascheck.frontend import build_graphs
from kerascheck.graph import FrontendResult, ModelGraph


def frontend(source: str) -> FrontendResult:
    return build_graphs(textwrap.dedent(source))


def models(source: str) -> list[ModelGraph]:
    return frontend(source).models


def only(source: str) -> ModelGraph:
    found = models(source)
    assert len(found) == 1, [m.name for m in found]
    return found[0]


def types(model: ModelGraph) -> list[str]:
    return [call.layer.type for call in model.calls]


def input_shapes(model: ModelGraph) -> list:
    return [spec.shape for spec in model.inputs]


def codes(result: FrontendResult) -> list[tuple[str, int, int]]:
    return [(d.code, d.position.line, d.position.column) for d in result.diagnostics]
