"""The label contract of Keras 3's and tf-keras's built-in losses (TensorFlow backend), on shapes.

Keras 3: every built-in loss first runs ``squeeze_or_expand_to_same_rank(y_true, y_pred)``,
then: categorical and binary cross-entropy require identical shapes, sparse categorical
cross-entropy requires labels one dimension shorter than the output (a trailing 1 is
squeezed), and the regression losses broadcast ``y_true - y_pred`` like NumPy.
tf-keras (Keras 2, ``contract_keras2``) differs: rank-1 labels for a rank-2 output become
``(N, 1)`` first (``match_dtype_and_rank``), then only a trailing 1 is squeezed, never added;
binary cross-entropy is strict only behind a sigmoid/softmax output or ``from_logits`` (else
it broadcasts). Shapes here use ``BATCH`` for the batch axis of a step and ``None``
for unknown dims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from kerascheck.graph import Opaque


class _Batch:
    def __repr__(self) -> str:
        return "batch"


BATCH = _Batch()

STRICT = "strict"  # categorical / binary cross-entropy
SPARSE = "sparse"
BROADCAST = "broadcast"  # regression losses
AUTO = "auto"  # loss="crossentropy": Keras picks binary, sparse or categorical

_KINDS = {
    "categorical_crossentropy": STRICT,
    "binary_crossentropy": STRICT,
    "sparse_categorical_crossentropy": SPARSE,
    "mean_squared_error": BROADCAST,
    "mean_absolute_error": BROADCAST,
    "mean_absolute_percentage_error": BROADCAST,
    "mean_squared_logarithmic_error": BROADCAST,
    "crossentropy": AUTO,
}
_ALIASES = {
    "mse": "mean_squared_error", "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
    "ce": "crossentropy",
}


@dataclass(frozen=True)
class Loss:
    """A recognised built-in loss: its canonical function name and contract kind."""

    name: str
    kind: str


def identify(loss: Any) -> Loss | None:
    """A loss given as a string, a ``keras.losses`` class instance or function; else None."""
    if isinstance(loss, str):
        text = loss
    elif isinstance(loss, Opaque):
        text = loss.text
    elif isinstance(getattr(loss, "type", None), str):  # a LayerNode-like call of a loss class
        text = loss.type
    else:
        return None
    name = re.split(r"\(", text, maxsplit=1)[0].strip().rsplit(".", 1)[-1]
    key = _snake(name)
    key = _ALIASES.get(key, _ALIASES.get(name.lower(), key))
    kind = _KINDS.get(key)
    return Loss(key, kind) if kind else None


def _snake(name: str) -> str:
    if "_" in name or name.islower() or name.isupper():
        return name.lower()
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def resolve_auto(loss: Loss, y_true: tuple, y_pred: tuple) -> Loss:
    """``loss="crossentropy"``: binary if one output unit, sparse for shorter labels, else categorical."""
    if loss.kind != AUTO:
        return loss
    if y_pred[-1] == 1:
        return Loss("binary_crossentropy", STRICT)
    if len(y_true) < len(y_pred) or (y_true[-1] == 1 and _gt1(y_pred[-1])):
        return Loss("sparse_categorical_crossentropy", SPARSE)
    return Loss("categorical_crossentropy", STRICT)


def _gt1(d: Any) -> bool:
    return isinstance(d, int) and d > 1


def squeeze_or_expand(t: tuple, p: tuple) -> tuple[tuple, tuple]:
    """Keras's ``squeeze_or_expand_to_same_rank`` (the shorter one loses nothing)."""
    if len(t) == len(p) + 1 and t[-1] == 1:
        return (t, p + (1,)) if len(p) == 1 else (t[:-1], p)
    if len(p) == len(t) + 1 and p[-1] == 1:
        return (t + (1,), p) if len(t) == 1 else (t, p[:-1])
    return t, p


@dataclass(frozen=True)
class Verdict:
    """What the loss does with these shapes: "ok", "error", "broadcast" (runs, silently wrong), or
    "unknown" when an unknown dim decides how Keras squeezes (it could be 1).

    ``batch_dims`` lists known dims that a label's batch axis is broadcast against (the step
    then works only when the batch size equals one of them).
    """

    status: str
    detail: str = ""
    batch_dims: tuple = ()


def contract(loss: Loss, y_true: tuple, y_pred: tuple) -> Verdict:
    """Apply the loss's shape contract to ``y_true`` and ``y_pred`` (batch axes as ``BATCH``)."""
    if loss.kind == AUTO and (y_true[-1] is None or y_pred[-1] is None):
        return Verdict("unknown")
    loss = resolve_auto(loss, y_true, y_pred)
    if _may_squeeze(y_true, y_pred):
        return _either(_verdict(loss, y_true, y_pred),
                       _verdict(loss, *squeeze_or_expand(*_last_is_one(y_true, y_pred))))
    t, p = squeeze_or_expand(y_true, y_pred)
    return _verdict(loss, t, p)


def _may_squeeze(t: tuple, p: tuple) -> bool:
    """Whether the ranks differ by one and the longer one's last dim, unknown, may be a 1 that
    Keras squeezes."""
    longer = t if len(t) > len(p) else p
    return abs(len(t) - len(p)) == 1 and longer[-1] is None


def _last_is_one(t: tuple, p: tuple) -> tuple[tuple, tuple]:
    """The shapes with the longer one's last dim taken as 1."""
    return (t[:-1] + (1,), p) if len(t) > len(p) else (t, p[:-1] + (1,))


def _either(unsqueezed: Verdict, squeezed: Verdict) -> Verdict:
    """The verdict whether or not an unknown last dim is a squeezed 1: an error both ways is an
    error, anything else unknown."""
    if unsqueezed.status == "error" and squeezed.status == "error":
        return unsqueezed
    return Verdict("unknown")


def contract_keras2(loss: Loss, y_true: tuple, y_pred: tuple, compares_logits: bool) -> Verdict:
    """tf-keras's contract. ``compares_logits``: the output ends in a sigmoid/softmax or the loss
    has ``from_logits=True``, so binary cross-entropy needs equal shapes (else it broadcasts)."""
    if loss.kind == AUTO:
        return Verdict("unknown")
    if len(y_true) == 1 and len(y_pred) == 2:
        y_true = y_true + (1,)
    if _may_squeeze(y_true, y_pred):
        return _either(_verdict_keras2(loss, y_true, y_pred, compares_logits),
                       _verdict_keras2(loss, *_last_is_one(y_true, y_pred), compares_logits))
    return _verdict_keras2(loss, y_true, y_pred, compares_logits)


def _verdict_keras2(loss: Loss, t: tuple, p: tuple, compares_logits: bool) -> Verdict:
    """tf-keras squeezes a trailing 1 only (never adds one), then applies the contract."""
    if len(p) == len(t) + 1 and p[-1] == 1:
        p = p[:-1]
    elif len(t) == len(p) + 1 and t[-1] == 1:
        t = t[:-1]
    if loss.name == "binary_crossentropy" and not compares_logits:
        return _broadcast(loss, t, p)
    return _verdict(loss, t, p)


def _verdict(loss: Loss, t: tuple, p: tuple) -> Verdict:
    """A loss's verdict on labels and output brought to their compared ranks."""
    if loss.kind == STRICT:
        if len(t) != len(p):
            return Verdict("error", f"{loss.name} needs labels of the output's rank")
        if not _compatible(t, p):
            return Verdict("error", f"{loss.name} needs labels of the output's shape")
        return Verdict("ok")
    if loss.kind == SPARSE:
        if len(t) == len(p) and t[-1] is None:
            return Verdict("unknown")
        if len(t) == len(p) and t[-1] == 1:
            t = t[:-1]
        if len(t) != len(p) - 1:
            return Verdict("error", f"{loss.name} needs integer labels with one dimension fewer than the output")
        if not _compatible(t, p[:-1]):
            return Verdict("error", f"{loss.name} needs labels shaped like the output without its class axis")
        return Verdict("ok")
    return _broadcast(loss, t, p)


def _compatible(a: tuple, b: tuple) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def _broadcast(loss: Loss, t: tuple, p: tuple) -> Verdict:
    n = max(len(t), len(p))
    t = (1,) * (n - len(t)) + t
    p = (1,) * (n - len(p)) + p
    status, batch_dims = "ok", []
    for a, b in zip(t, p):
        if a is None or b is None or a == b:
            continue
        if a is BATCH or b is BATCH:
            other = b if a is BATCH else a
            status = "broadcast"
            if other != 1:
                batch_dims.append(other)
        elif a != 1 and b != 1:
            return Verdict("error", f"{loss.name} cannot broadcast the labels against the output")
        else:
            status = "broadcast"
    detail = f"{loss.name} broadcasts the labels against the output" if status == "broadcast" else ""
    return Verdict(status, detail, tuple(batch_dims))


def with_batch(shape: tuple) -> tuple:
    """A data or output shape with its first axis as the step's ``BATCH``."""
    return (BATCH,) + tuple(shape[1:])


def loss_for(loss: Any, index: int, output_name: Optional[str], count: int) -> Any:
    """The loss of output ``index`` when ``loss=`` is a list or dict (one loss: all outputs)."""
    if isinstance(loss, (list, tuple)):
        return loss[index] if len(loss) == count else None
    if isinstance(loss, dict):
        return loss.get(output_name) if output_name else None
    return loss
