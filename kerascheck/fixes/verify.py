"""The fix engine: a candidate fix is offered only if making it removes its problem and adds none.

Analyses attach candidate fixes (``repairs.Fix``) to their diagnostics and never run themselves
again. Once a model's checks have run, ``analysis.py`` passes its diagnostics here with the
function that checks a model; each candidate's edits are made on a copy of the graph
(``simulate.apply_to_graph``), the copy is checked, and the fix is kept only when its code at its
position is counted fewer times than before and no (code, position) more times.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Callable

from kerascheck.diagnostics import Diagnostic
from kerascheck.fixes.simulate import apply_to_graph, reshapes_only_outputs
from kerascheck.graph import ModelGraph
from kerascheck.repairs import Fix

Check = Callable[[ModelGraph], "list[Diagnostic]"]  # every diagnostic of a model, fixes unverified


def verified(model: ModelGraph, diagnostics: list[Diagnostic], check: Check) -> list[Diagnostic]:
    """``diagnostics`` (all of ``model``'s, as ``check`` gives them), each fix kept only if it
    resolves its problem on ``model``."""
    if not any(d.fix for d in diagnostics):
        return diagnostics
    # counted: one layer may carry several problems of one code (two Keras 1 arguments)
    before = Counter(_key(d) for d in diagnostics)
    return [d if d.fix is None or _resolves(model, d.fix, _key(d), before, check) else replace(d, fix=None)
            for d in diagnostics]


def _resolves(model: ModelGraph, fix: Fix, key: tuple, before: Counter, check: Check) -> bool:
    if not reshapes_only_outputs(model, fix):
        return False
    changed = apply_to_graph(model, fix)
    if changed is None:
        return False
    try:
        after = Counter(_key(d) for d in check(changed))
    except Exception:  # a rule failing on the changed graph: do not offer the fix
        return False
    return after[key] < before[key] and all(after[k] <= before[k] for k in after)


def _key(d: Diagnostic) -> tuple[str, int, int]:
    return d.code, d.position.line, d.position.column
