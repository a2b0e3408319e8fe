"""``--statistics``: what the run understood (models, layers fully inferred, layers with a shape
known in part, unknown layer types) and what stopped inference in the models only partly checked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kerascheck.shapes.coverage import stopped_at
from kerascheck.shapes.symbolic import has_anonymous, has_symbols

if TYPE_CHECKING:
    from kerascheck.report import FileReport


@dataclass
class Statistics:
    models: int = 0
    layers: int = 0
    inferred: int = 0
    named: int = 0  # of the inferred, those whose shape or count has named dims
    partial: int = 0  # shape known in part (a rank, a last dim): checks still run on it
    unknown_types: Counter = field(default_factory=Counter)
    stopped_by: Counter = field(default_factory=Counter)  # first construct left unknown -> models
    unchecked: int = 0  # layers of those models whose output is unknown after it

    def add(self, report: FileReport) -> None:
        for model in report.models:
            self.models += 1
            for layer in model.layers:
                if layer.type.startswith("ops."):
                    continue  # a keras.ops call or operator: no layer in Keras's model either
                self.layers += 1
                if not layer.known:
                    self.unknown_types[layer.type] += 1
                elif layer.output is not None and layer.params is not None \
                        and not has_anonymous([layer.output, layer.params]):
                    self.inferred += 1
                    self.named += has_symbols([layer.output, layer.params])
                elif layer.output is not None:
                    self.partial += 1
            stop = stopped_at(model.layers)
            if stop is not None:
                self.stopped_by[stop[1]] += 1
                self.unchecked += stop[2]

    def text(self) -> str:
        share = f" ({100 * self.inferred / self.layers:.0f}%)" if self.layers else ""
        lines = [f"models found: {self.models}",
                 f"layers: {self.layers}, fully inferred: {self.inferred}{share}"
                 + (f", {self.named} of them with named dims" if self.named else "")
                 + (f", known in part: {self.partial}" if self.partial else "")]
        if self.unknown_types:
            listed = ", ".join(f"{name} x{count}" for name, count in
                               sorted(self.unknown_types.items(), key=lambda kv: (-kv[1], kv[0])))
            lines.append(f"unknown layer types: {listed}")
        else:
            lines.append("unknown layer types: none")
        if self.stopped_by:
            listed = ", ".join(f"{name} x{count}" for name, count in
                               sorted(self.stopped_by.items(), key=lambda kv: (-kv[1], kv[0])))
            lines.append(f"inference stopped at (first unknown output in a model): {listed}; "
                         f"{self.unchecked} layer{'' if self.unchecked == 1 else 's'} after them unknown")
        return "\n".join(lines)

