"""Data vs model: the arrays given to fit/evaluate/predict against the model's shapes and loss."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.shapes.propagate import ModelResult


def check_data(result: ModelResult) -> list[Diagnostic]:
    """Diagnostics for the model's data calls (fit, evaluate, predict...) and output layer."""
    from kerascheck.data.checks import check_model

    return check_model(result)
