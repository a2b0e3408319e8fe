"""scikit-learn as scripts use it before Keras: the split, the scalers and the label encoders.

Nothing here imports scikit-learn. ``CALLS`` makes values of calls (``train_test_split(...)``,
``StandardScaler()``), ``method`` the results of an estimator's methods
(``scaler.fit_transform(X)``); ``ops.Unresolved`` means not known statically (or scikit-learn
would raise: not our diagnosis).

scikit-learn facts worth knowing (1.x):
- ``train_test_split(*arrays, test_size=None, train_size=None)`` returns train and test of each
  array in turn; with neither size given the test share is 0.25. A float test size is rounded
  up (``ceil(test_size * n)``), a float train size down; the one not given is the rest.
- Scalers (``StandardScaler``, ``MinMaxScaler``, ``RobustScaler``, ``MaxAbsScaler``,
  ``Normalizer``...) take 2D data only (1D and 3D raise) and keep its shape; ``fit`` returns
  the estimator itself.
- ``OneHotEncoder`` gives one column per category of each input column: known only when
  ``categories`` is written out and nothing is dropped. ``LabelBinarizer`` gives one column per
  class, but a single column for two classes. ``LabelEncoder`` takes ``(n,)`` or ``(n, 1)``
  labels and gives ``(n,)`` integers.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from kerascheck.data import ops
from kerascheck.data.arrays import Array, to_array
from kerascheck.graph import UNKNOWN


class Estimator:
    """A scikit-learn preprocessing object: its class name and constructor keywords."""

    def __init__(self, name: str, kwargs: dict) -> None:
        self.name = name
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return f"{self.name}()"


SCALERS = frozenset({"StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "Normalizer",
                     "QuantileTransformer", "PowerTransformer"})
ENCODERS = frozenset({"OneHotEncoder", "LabelBinarizer", "LabelEncoder"})
_MODULES = ("sklearn.preprocessing.", "sklearn.model_selection.", "sklearn.cross_validation.")


def _known(value: Any) -> Array:
    array = to_array(value)
    if array is None or array.shape is None:
        raise ops.Unresolved(value)
    return array


def _train_test_split(args: tuple, kwargs: dict) -> list:
    """``[a_train, a_test, b_train, b_test, ...]``: each array split in two along its first axis,
    unknown where the array is; the sizes unknown where the sample count or a size is."""
    if not args:
        raise ops.Unresolved(args)
    arrays = [to_array(a) for a in args]
    counts = {a.samples for a in arrays if a is not None and a.shape}
    sizes = (None, None)
    if len(counts) == 1 and None not in counts:
        sizes = _split_sizes(counts.pop(), kwargs.get("test_size"), kwargs.get("train_size"))
    elif len(counts) > 1:
        raise ops.Unresolved(args)  # sklearn raises on inconsistent sample counts
    return [UNKNOWN if a is None or not a.shape else Array((size,) + a.shape[1:], a.dtype, a.position, a.one_hot)
            for a in arrays for size in sizes]


def _split_sizes(n: int, test: Any, train: Any) -> tuple:
    """(n_train, n_test) as sklearn computes them; (None, None) when a size is not known."""
    if test is None and train is None:
        test = 0.25
    sizes = []
    for value, rounding in ((test, math.ceil), (train, math.floor)):
        if value is None:
            sizes.append(None)
        elif isinstance(value, float):
            if not 0 < value < 1:
                raise ops.Unresolved(value)
            sizes.append(rounding(value * n))
        elif ops.is_int(value):
            if not 0 < value < n:
                raise ops.Unresolved(value)
            sizes.append(value)
        else:
            return None, None
    if isinstance(test, float) and isinstance(train, float) and test + train > 1:
        raise ops.Unresolved((test, train))
    n_test, n_train = sizes
    n_test = n - n_train if n_test is None else n_test
    n_train = n - n_test if n_train is None else n_train
    if n_train + n_test > n or n_train == 0:
        raise ops.Unresolved((test, train))
    return n_train, n_test


def _maker(name: str) -> Callable[[tuple, dict], Estimator]:
    def make(args: tuple, kwargs: dict) -> Estimator:
        return Estimator(name, kwargs)
    return make


CALLS: dict[str, Callable[[tuple, dict], Any]] = {
    **{f"{module}train_test_split": _train_test_split for module in _MODULES[1:]},
    **{f"sklearn.preprocessing.{name}": _maker(name) for name in SCALERS | ENCODERS},
}


def method(estimator: Estimator, name: str, args: tuple, kwargs: dict) -> Any:
    """``estimator.name(*args, **kwargs)``: ``fit`` gives the estimator back, the transforms an array."""
    if name == "fit":
        return estimator
    if name not in ("fit_transform", "transform", "inverse_transform") or not args:
        raise ops.Unresolved(name)
    data = _known(args[0])
    if estimator.name in SCALERS:
        if data.ndim != 2:
            raise ops.Unresolved(data)
        return Array(data.shape, "float", data.position)
    if estimator.name == "LabelEncoder":
        if data.ndim not in (1, 2) or data.ndim == 2 and data.shape[1] not in (1, None):
            raise ops.Unresolved(data)
        return Array(data.shape[:1], "int" if name != "inverse_transform" else None, data.position)
    if name == "inverse_transform":
        raise ops.Unresolved(name)
    if estimator.name == "LabelBinarizer":
        if data.ndim != 1:
            raise ops.Unresolved(data)  # multilabel input: one column per label seen
        return Array((data.samples, None), "int", data.position)
    if data.ndim != 2:
        raise ops.Unresolved(data)
    return Array((data.samples, _one_hot_width(estimator.kwargs)), "float", data.position)


def _one_hot_width(kwargs: dict) -> int | None:
    """Columns of a OneHotEncoder: one per written category, when nothing is dropped."""
    categories = kwargs.get("categories", "auto")
    if any(kwargs.get(name) is not None for name in ("drop", "min_frequency", "max_categories")) \
            or not isinstance(categories, (list, tuple)) \
            or not all(isinstance(c, (list, tuple)) for c in categories):
        return None
    return sum(len(c) for c in categories)
