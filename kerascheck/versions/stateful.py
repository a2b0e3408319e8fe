"""Stateful RNNs: they need a fixed batch size, batches of exactly that size, and no shuffling.

Facts (Keras 3.15 and tf-keras 2.21 agree): a stateful RNN on an input without a static batch
size raises when the model is built; fit/evaluate/predict with batches of another size (another
batch_size, the default 32, or a smaller last batch) raise; fit's default ``shuffle=True`` is
accepted silently.
"""

from __future__ import annotations

from typing import Any, Iterable

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import UNKNOWN, DataCall, LayerNode, ModelGraph

_DEFAULT_BATCH_SIZE = 32
_BATCHED_METHODS = ("fit", "evaluate", "predict")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_stateful(model: ModelGraph, layers: Iterable[LayerNode]) -> list[Diagnostic]:
    """KC527 (batches of another size), KC653 (shuffling). A stateful layer without a fixed batch
    size (KC526) is its shape rule's to report, where the input shape is known."""
    stateful = [node for node in layers if node.kwargs.get("stateful") is True]
    if not stateful:
        return []
    batch = fixed_batch_size(model, layers)
    if batch is UNKNOWN or batch is None:
        return []
    found = []
    for call in model.data_calls:
        if call.method in _BATCHED_METHODS:
            found.extend(_check_data_call(call, batch))
    return found


def fixed_batch_size(model: ModelGraph, layers: Iterable[LayerNode]) -> int | None | Any:
    """The model's static batch size; None when it has none; UNKNOWN when it cannot be told."""
    for node in layers:  # Keras 2 spellings on the first layer, in case the input ignores them
        shape = node.kwargs.get("batch_input_shape")
        if isinstance(shape, (tuple, list)) and shape and _is_int(shape[0]):
            return shape[0]
        if _is_int(node.kwargs.get("batch_size")):
            return node.kwargs["batch_size"]
    if not model.inputs:
        return UNKNOWN
    batches = []
    for spec in model.inputs:
        if not isinstance(spec.shape, (tuple, list)) or not spec.shape:
            return UNKNOWN
        batches.append(spec.shape[0])
    fixed = [b for b in batches if _is_int(b)]
    if fixed:
        return fixed[0]
    return None if all(b is None for b in batches) else UNKNOWN


def _samples(x: Any) -> int | None | Any:
    """The number of samples of array data; UNKNOWN when ``x`` may not be arrays at all."""
    from kerascheck.data.arrays import Array

    if isinstance(x, (list, tuple)) and x:
        x = x[0]
    if not isinstance(x, Array):
        return UNKNOWN
    n = x.samples
    return n if _is_int(n) else None


def _check_data_call(call: DataCall, batch: int) -> list[Diagnostic]:
    n = _samples(call.args.get("x", UNKNOWN))
    if n is UNKNOWN:  # a dataset or generator brings its own batches
        return []
    found = []
    given = call.args.get("batch_size", None)
    if given is None:
        size, said = _DEFAULT_BATCH_SIZE, f"uses the default batch_size={_DEFAULT_BATCH_SIZE}"
    elif _is_int(given):
        size, said = given, f"uses batch_size={given}"
    else:
        size = None
    if size is not None:
        at = call.arg_positions.get("batch_size", call.position)
        fix = f"pass batch_size={batch} and a number of samples that is a multiple of {batch}"
        if size != batch and n != batch:
            found.append(diagnostic("KC527", at, fix, batch=batch, method=call.method, detail=said))
        elif size == batch and n is not None and n % batch:
            detail = f"gets {n} samples: the last batch has {n % batch}"
            hint = f"use a multiple of {batch} samples, e.g. x[:{n - n % batch}]"
            found.append(diagnostic("KC527", at, hint, batch=batch, method=call.method, detail=detail))
    if call.method == "fit" and call.args.get("shuffle", True) is True:
        at = call.arg_positions.get("shuffle", call.position)
        found.append(diagnostic("KC653", at, "pass shuffle=False so each batch continues the state of "
                                             "the previous one", method=call.method))
    return found
