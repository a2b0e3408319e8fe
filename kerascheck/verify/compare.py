"""Compare one model's static result with what Keras built, call by call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import DataCall, LayerCall, LayerNode, ModelGraph, Position
from kerascheck.shapes.base import format_shape, rule_for
from kerascheck.shapes.propagate import LayerResult, ModelResult
from kerascheck.verify.build import CallOutcome
from kerascheck.verify.data_calls import DataOutcome
from kerascheck.verify.probes import DataProbe, described

# Static codes that say "Keras rejects this layer": rank, dimension arithmetic, arguments,
# and API misuse (an argument removed in Keras 3...), when they are errors at the layer.
LAYER_ERROR_PREFIXES = ("KC1", "KC2", "KC3", "KC5")


@dataclass
class Verdict:
    """The comparison of one model: new KC9xx diagnostics, Keras's word on our errors, counts."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    keras_also_rejects: dict[Position, tuple[str, str]] = field(default_factory=dict)  # -> (our code, Keras's word)
    layers: int = 0
    verified: int = 0
    unreached: int = 0  # layers only after a layer Keras rejected: neither side can build them
    data_calls: int = 0  # fit/evaluate/predict calls looked at (run in Keras or not)
    data_verified: int = 0  # of them, those Keras ran or rejected as the static pass says

    @property
    def disagreements(self) -> int:
        return sum(d.code in DISAGREEMENTS for d in self.diagnostics)


DISAGREEMENTS = ("KC910", "KC911", "KC912", "KC913", "KC917", "KC918")


def layer_label(node: Any) -> str:
    """How messages name a layer: its Keras class (``Conv1D``), or a nested model's name."""
    if isinstance(node, ModelGraph):
        return f"model '{node.name}'"
    rule = rule_for(node.type)
    return rule.types[0] if rule else node.type


def shapes_agree(static: Any, built: Any) -> bool:
    """Whether a static shape is consistent with Keras's: equal, a static ``None`` matching any dim."""
    if static is None:
        return True
    if isinstance(static, list) or isinstance(built, list):
        return (isinstance(static, list) and isinstance(built, list) and len(static) == len(built)
                and all(shapes_agree(s, b) for s, b in zip(static, built)))
    return len(static) == len(built) and all(s is None or s == b for s, b in zip(static, built))


def rows_by_layer(result: ModelResult) -> dict[int, LayerResult]:
    """The static summary row of every layer in the model, keyed by ``id`` of its node.

    ``propagate`` adds one row per model input of a functional model, then one per layer in
    the order of first use.
    """
    rows = list(result.layers)
    if result.model.kind == "functional":
        rows = rows[len(result.model.inputs):]
    mapping: dict[int, LayerResult] = {}
    remaining = iter(rows)
    for call in result.model.calls:
        if id(call.layer) not in mapping:
            mapping[id(call.layer)] = next(remaining, None)
    return mapping


def static_error(diagnostics: list[Diagnostic], call: LayerCall, first_use: bool) -> Diagnostic | None:
    """Our error rejecting this call (at the call, or at the layer for argument errors)."""
    node_position = call.layer.position if isinstance(call.layer, LayerNode) else None
    for d in diagnostics:
        if not d.code.startswith(LAYER_ERROR_PREFIXES) or d.severity != "error":
            continue
        if d.position == call.position or (first_use and d.position == node_position):
            return d
    return None


def compare_model(result: ModelResult, outcomes: list[CallOutcome], against: str,
                  file_diagnostics: list[Diagnostic] = ()) -> Verdict:
    """Every disagreement between ``result`` and Keras's ``outcomes`` (one per call).

    ``file_diagnostics`` are the file's other static diagnostics (the frontend's API checks).
    """
    model = result.model
    ours_all = list(result.diagnostics) + [d for d in file_diagnostics if d not in result.diagnostics]
    verdict = Verdict()
    rows = rows_by_layer(result)
    seen: set[int] = set()
    agreeing: dict[int, bool] = {}
    blocked_inputs: set[int] = set()
    for index, (call, outcome) in enumerate(zip(model.calls, outcomes)):
        node = call.layer
        first_use = id(node) not in seen
        seen.add(id(node))
        ours = static_error(ours_all, call, first_use)
        label = layer_label(node)
        found: list[Diagnostic] = []
        if outcome.status == "built":
            if ours is not None:
                found.append(diagnostic("KC913", call.position, ours.message, layer=label, static_code=ours.code,
                                        keras=format_shape(outcome.output)))
            elif first_use:
                found += _compare_row(rows.get(id(node)), outcome, call.position, label)
        elif outcome.status == "rejected":
            if ours is not None:
                verdict.keras_also_rejects[ours.position] = (ours.code, f"{against} also rejects it: {outcome.message}")
            else:
                row = rows.get(id(node)) if first_use else None
                said = "accepts it" if row is not None and row.output is not None else "could not check it"
                found.append(diagnostic("KC912", call.position, layer=label, ours=said, keras=outcome.message))
        elif outcome.status == "unbuildable":
            dependents = sum(o.status == "skipped" and o.blocked_by == index for o in outcomes)
            hint = f"{_count(dependents, 'layer call')} after it not verified either" if dependents else None
            found.append(diagnostic("KC915", call.position, hint, layer=label, reason=outcome.message))
        elif outcome.blocked_by is not None and outcome.blocked_by < 0:
            blocked_inputs.add(-1 - outcome.blocked_by)
        if outcome.status in ("built", "rejected"):
            agreeing[id(node)] = agreeing.get(id(node), True) and not found
        verdict.diagnostics += found
    for i in sorted(blocked_inputs):
        position = model.inputs[i].position if i < len(model.inputs) else model.position
        reason = next(o.message for o in outcomes if o.blocked_by == -1 - i)
        verdict.diagnostics.append(diagnostic("KC915", position, None, layer=f"model '{model.name}'",
                                              reason=reason))
    verdict.layers = len(seen)
    verdict.verified = sum(agreeing.values())
    rejected = {i for i, o in enumerate(outcomes) if o.status == "rejected"}
    reached = {id(c.layer) for c, o in zip(model.calls, outcomes) if o.status != "skipped" or o.blocked_by not in rejected}
    verdict.unreached = len(seen - reached)
    return verdict


def compare_data(verdict: Verdict, probed: list[tuple[DataCall, DataProbe]], outcomes: list[DataOutcome],
                 skipped: list[tuple[DataCall, str]], against: str, diagnostics: list[Diagnostic]) -> None:
    """Add to ``verdict`` the comparison of each probed data call with what Keras did on its
    zeros, and a KC915 for each call not probed."""
    for (call, probe), outcome in zip(probed, outcomes):
        ours = data_error(diagnostics, call)
        if outcome.status == "ran" and ours is not None:
            verdict.diagnostics.append(diagnostic("KC918", ours.position, ours.message, static_code=ours.code,
                                                  call=described(probe)))
        elif outcome.status == "rejected" and ours is None:
            verdict.diagnostics.append(diagnostic("KC917", call.position, call=described(probe),
                                                  keras=outcome.message))
        elif outcome.status == "unbuildable":
            skipped.append((call, outcome.message))
        else:
            verdict.data_verified += 1
            if ours is not None:
                verdict.keras_also_rejects[ours.position] = (ours.code, f"{against} also rejects it: {outcome.message}")
    for call, reason in skipped:
        verdict.diagnostics.append(diagnostic("KC915", call.position, None, layer=f"{call.method}()", reason=reason))
    verdict.data_calls += len(probed) + len(skipped) - sum(o.status == "unbuildable" for o in outcomes)


def data_error(diagnostics: list[Diagnostic], call: DataCall) -> Diagnostic | None:
    """Our error on the data of ``call`` (a KC4xx error inside the call's text)."""
    start, end = call.position, call.position
    for d in diagnostics:
        if d.code.startswith("KC4") and d.severity == "error" and \
                (start.line, start.column) <= (d.position.line, d.position.column) < (end.end_line, end.end_column):
            return d
    return None


def _compare_row(row: LayerResult | None, outcome: CallOutcome, position: Position,
                 label: str) -> list[Diagnostic]:
    if row is None:
        return []
    found = []
    if not shapes_agree(row.output, outcome.output):
        found.append(diagnostic("KC910", position, layer=label, static=format_shape(row.output),
                                keras=format_shape(outcome.output)))
    if row.params is not None and row.params != outcome.params:
        found.append(diagnostic("KC911", position, layer=label, static=row.params, keras=outcome.params))
    return found


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summary(verdict: Verdict, against: str) -> str:
    """The per-model line: ``verified 6 layers and 2 data calls against keras 3.x (tensorflow 2.x)``,
    or what failed."""
    data = ""
    if verdict.data_calls:
        calls = _count(verdict.data_calls, "data call")
        data = f" and {calls}" if verdict.data_verified == verdict.data_calls else \
            f" and {verdict.data_verified} of {calls}"
    if verdict.disagreements:
        scope = _count(verdict.layers, "layer")
        if verdict.data_calls:
            scope += f" and {_count(verdict.data_calls, 'data call')}"
        return f"{_count(verdict.disagreements, 'disagreement')} with {against} in {scope}"
    if verdict.verified == verdict.layers:
        return f"verified {_count(verdict.layers, 'layer')}{data} against {against}"
    line = f"verified {verdict.verified} of {_count(verdict.layers, 'layer')}{data} against {against}"
    if verdict.unreached:
        line += f"; {verdict.unreached} after a layer Keras rejects not built"
    skipped = verdict.layers - verdict.verified - verdict.unreached
    return line + (f"; {skipped} not verified" if skipped else "")
