"""scikit-learn calls as kerascheck evaluates them, against scikit-learn itself."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from kerascheck.data.arrays import Array
from kerascheck.frontend import build_graphs

sklearn = pytest.importorskip("sklearn")
from sklearn import model_selection, preprocessing  # noqa: E402

SIZES = [None, 0.1, 0.25, 0.33, 0.5, 0.55, 0.9, 1, 3, 7]


def static_values(code: str, names: tuple[str, ...]) -> list:
    """The shapes (or UNKNOWN) kerascheck gives ``names`` after ``code``, read through a predict."""
    calls = "\n".join(f"model.predict({name})" for name in names)
    program = textwrap.dedent(code) + "\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n" + calls
    (model,) = build_graphs(program).models
    values = [call.args["x"] for call in model.data_calls]
    return [v.shape if isinstance(v, Array) else v for v in values]


@pytest.mark.parametrize("n", [4, 10, 17, 101])
@pytest.mark.parametrize("test_size", SIZES)
@pytest.mark.parametrize("train_size", SIZES)
def test_train_test_split_sizes(n, test_size, train_size):
    code = f"""
        import numpy as np
        from sklearn.model_selection import train_test_split
        a_train, a_test, b_train, b_test = train_test_split(
            np.zeros(({n}, 3)), np.zeros(({n},)), test_size={test_size!r}, train_size={train_size!r})
        """
    got = static_values(code, ("a_train", "a_test", "b_train", "b_test"))
    try:
        parts = model_selection.train_test_split(np.zeros((n, 3)), np.zeros((n,)), test_size=test_size,
                                                 train_size=train_size)
    except ValueError:
        assert all(repr(v) == "UNKNOWN" for v in got)  # sklearn raises: not ours to report
        return
    assert got == [p.shape for p in parts]


def test_train_test_split_keeps_known_arrays_beside_unknown_ones():
    code = """
        import numpy as np
        from sklearn.model_selection import train_test_split
        x_train, x_test, y_train, y_test = train_test_split(np.zeros((10, 4)), load(), test_size=0.2)
        """
    got = static_values(code, ("x_train", "x_test", "y_train", "y_test"))
    assert got[:2] == [(8, 4), (2, 4)] and [repr(v) for v in got[2:]] == ["UNKNOWN", "UNKNOWN"]


TRANSFORMS = [
    ("StandardScaler()", "fit_transform", (12, 5)),
    ("MinMaxScaler()", "fit_transform", (12, 5)),
    ("RobustScaler()", "fit_transform", (12, 5)),
    ("MaxAbsScaler()", "fit_transform", (12, 5)),
    ("Normalizer()", "fit_transform", (12, 5)),
    ("StandardScaler()", "fit_transform", (12,)),  # 1D: sklearn raises
    ("StandardScaler()", "fit_transform", (12, 5, 2)),  # 3D: sklearn raises
    ("LabelEncoder()", "fit_transform", (12,)),
    ("LabelEncoder()", "fit_transform", (12, 1)),
    ("LabelEncoder()", "fit_transform", (12, 2)),  # sklearn raises
    ("OneHotEncoder(categories=[[0, 1, 2], [0, 1, 2]], sparse_output=False)", "fit_transform", (12, 2)),
    ("OneHotEncoder(categories=[[0, 1, 2], [0, 1, 2]], drop='first', sparse_output=False)", "fit_transform",
     (12, 2)),
    ("OneHotEncoder(sparse_output=False)", "fit_transform", (12, 2)),
    ("LabelBinarizer()", "fit_transform", (12,)),
]


@pytest.mark.parametrize("make,method,shape", TRANSFORMS)
def test_transform_shapes(make, method, shape):
    """Every dim kerascheck knows is scikit-learn's; where sklearn raises, kerascheck knows nothing."""
    code = f"""
        import numpy as np
        from sklearn.preprocessing import {make.split("(")[0]}
        out = {make}.{method}(np.arange({int(np.prod(shape))}).reshape({shape}) % 3)
        """
    (got,) = static_values(code, ("out",))
    data = np.arange(int(np.prod(shape))).reshape(shape) % 3
    try:
        real = getattr(eval(make, vars(preprocessing)), method)(data)
    except ValueError:
        assert repr(got) == "UNKNOWN"
        return
    assert isinstance(got, tuple) and len(got) == real.ndim
    assert all(d is None or d == r for d, r in zip(got, real.shape))
    if "categories=" in make and "drop" not in make or "Scaler" in make or "Encoder()" in make:
        assert got == real.shape  # fully known where the categories are written out


def test_label_binarizer_width_is_unknown_two_classes_give_one_column():
    assert preprocessing.LabelBinarizer().fit_transform([0, 1, 1]).shape == (3, 1)
    (got,) = static_values("""
        import numpy as np
        from sklearn.preprocessing import LabelBinarizer
        out = LabelBinarizer().fit_transform(np.array([0, 1, 1]))
        """, ("out",))
    assert got == (3, None)
