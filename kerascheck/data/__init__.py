"""Data vs model: the arrays given to fit/evaluate/predict against the model's shapes and loss."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.shapes.propagate import ModelResult


def check_data(result: ModelResult) -> list[Diagnostic]:
    """Diagnostics for the model's data calls (fit, evaluate, predict...) and output layer;
    none from a check whose answer depends on a symbolic dim's value."""
    from kerascheck.data.checks import check_model
    from kerascheck.shapes.symbolic import Undecided

    try:
        return check_model(_named_dims_unknown(result))
    except Undecided:
        return []


def _named_dims_unknown(result: ModelResult) -> ModelResult:
    """The model as data checks see it: symbolic dims are None (data has values, not names)."""
    from dataclasses import replace

    from kerascheck.shapes.symbolic import erase, has_symbols

    shapes = [result.inputs, result.outputs, [row.output for row in result.layers],
              [spec.shape for spec in result.model.inputs]]
    if not has_symbols(shapes):
        return result
    model = replace(result.model, inputs=[replace(spec, shape=erase(spec.shape)) for spec in result.model.inputs])
    return replace(result, model=model, inputs=erase(result.inputs), outputs=erase(result.outputs),
                   layers=[replace(row, output=erase(row.output)) for row in result.layers], calls=None)
