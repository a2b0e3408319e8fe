"""``keras.datasets.*.load_data()``: the shapes and dtypes of the built-in datasets.

Each loader returns ``((x_train, y_train), (x_test, y_test))``. Arguments that filter samples
(``maxlen``) make the sample counts unknown; ``test_split`` moves the split as Keras computes it.
"""

from __future__ import annotations

from typing import Any, Callable

from kerascheck.data.arrays import Array
from kerascheck.graph import UNKNOWN

Split = tuple  # ((x_train, y_train), (x_test, y_test))


def _fixed(train: int, test: int, x: tuple, y: tuple, x_dtype: str | None = "int") -> Callable[[tuple, dict], Split]:
    def load(args: tuple, kwargs: dict) -> Split:
        return ((Array((train,) + x, x_dtype), Array((train,) + y, "int")),
                (Array((test,) + x, x_dtype), Array((test,) + y, "int")))
    return load


def _sequences(train: int | None, test: int | None, total: int | None = None):
    """imdb / reuters: arrays of lists of word ids (object dtype), one label per sample."""
    def load(args: tuple, kwargs: dict) -> Split:
        n_train, n_test = train, test
        if total is not None:
            split = kwargs.get("test_split", 0.2)
            if isinstance(split, (int, float)) and not isinstance(split, bool):
                n_train = int(total * (1 - split))
                n_test = total - n_train
            else:
                n_train = n_test = None
        if kwargs.get("maxlen") not in (None, 0):  # long sequences are dropped: counts unknown
            n_train = n_test = None
        return ((Array((n_train,), None), Array((n_train,), "int")),
                (Array((n_test,), None), Array((n_test,), "int")))
    return load


def _split_table(total: int, features: tuple, x_dtype: str = "float"):
    """boston_housing / california_housing: ``x[: int(len(x) * (1 - test_split))]``."""
    def load(args: tuple, kwargs: dict) -> Split:
        split = kwargs.get("test_split", args[1] if len(args) > 1 else 0.2)
        if not isinstance(split, (int, float)) or isinstance(split, bool) or split is UNKNOWN:
            n_train = n_test = None
        else:
            n_train = int(total * (1 - split))
            n_test = total - n_train
        return ((Array((n_train,) + features, x_dtype), Array((n_train,), "float")),
                (Array((n_test,) + features, x_dtype), Array((n_test,), "float")))
    return load


def _california(args: tuple, kwargs: dict) -> Split:
    total = 600 if kwargs.get("version", args[0] if args else "large") == "small" else 20640
    return _split_table(total, (8,))(args[1:], kwargs)


LOADERS: dict[str, Callable[[tuple, dict], Any]] = {
    "keras.datasets.mnist.load_data": _fixed(60000, 10000, (28, 28), ()),
    "keras.datasets.fashion_mnist.load_data": _fixed(60000, 10000, (28, 28), ()),
    "keras.datasets.cifar10.load_data": _fixed(50000, 10000, (32, 32, 3), (1,)),
    "keras.datasets.cifar100.load_data": _fixed(50000, 10000, (32, 32, 3), (1,)),
    "keras.datasets.imdb.load_data": _sequences(25000, 25000),
    "keras.datasets.reuters.load_data": _sequences(None, None, total=11228),
    "keras.datasets.boston_housing.load_data": _split_table(506, (13,)),
    "keras.datasets.california_housing.load_data": _california,
}
