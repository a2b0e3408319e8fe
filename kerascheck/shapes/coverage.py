"""How far inference went in a model: the first layer whose output stayed unknown, and the
info diagnostic that says the model was only partly checked (KC920)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.shapes.branches import EITHER

if TYPE_CHECKING:
    from kerascheck.shapes.propagate import LayerResult, ModelResult


def stopped_at(rows: list[LayerResult]) -> tuple[LayerResult, str, int] | None:
    """The first row of a model whose output is unknown, as a construct (``Lambda``, ``custom
    layer LayerScale``, ``keras.ops.sort``...), and how many layers after it are unknown too."""
    for i, row in enumerate(rows):
        if row.output is None:
            later = sum(1 for r in rows[i + 1:] if r.output is None and not r.type.startswith("ops."))
            if row.type == "ops.weight":
                return row, "weight a layer class reads in its call", later
            if row.type == EITHER:
                return row, "tensors of different ranks from branches kerascheck cannot decide", later
            if row.type.startswith("ops."):
                return row, f"keras.{row.type}", later
            return row, (row.type if row.known else f"custom layer {row.type}"), later
    return None


def partly_checked(result: ModelResult) -> Diagnostic | None:
    """KC920 on a model some of whose layers have no shape inferred (the caller gives it only
    when nothing on the file fails: a clean result that did not check everything). A
    Sequential never given an input, with nothing the frontend could not follow, is not built
    by Keras either: nothing to say."""
    model = result.model
    found = stopped_at(result.layers) if model.kind != "unattached" else None
    if found is None or (model.kind == "sequential" and not result.inputs and model.incomplete_reason is None):
        return None
    row, construct, later = found
    if model.kind == "sequential" and not result.inputs:
        what, later = "its input, whose shape kerascheck could not infer", later + 1
    elif row.type == "InputLayer" or (result.inputs and all(shape is None for shape in result.inputs)):
        line = row.line if row.type == "InputLayer" else model.inputs[0].position.line
        what = f"the input on line {line}, whose shape kerascheck could not infer"
    else:
        what = f"the {construct} on line {row.line}"
    after = "no layer" if later == 0 else f"{later} layer" + ("s" if later > 1 else "")
    return diagnostic("KC920", model.position, model.incomplete_reason, model=model.name, what=what, after=after)
