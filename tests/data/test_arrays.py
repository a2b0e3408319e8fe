"""Static NumPy shapes: every modelled call, checked against what NumPy itself returns."""

from __future__ import annotations

import functools
import operator

import numpy as np
import pytest

from kerascheck.data.arrays import (
    Array,
    evaluate_attribute,
    evaluate_binary,
    evaluate_call,
    evaluate_method,
    evaluate_subscript,
)
from kerascheck.graph import UNKNOWN, Opaque

A = Array  # an argument written Array(shape) is materialised as np.zeros(shape) for NumPy


def real(value):
    if isinstance(value, Array):
        return np.zeros(value.shape, dtype=int if value.dtype == "int" else float)
    if isinstance(value, (list, tuple)):
        return type(value)(real(v) for v in value)
    return value


CALLS = [
    ("zeros", ((3, 4),), {}),
    ("zeros", (5,), {"dtype": "int32"}),
    ("ones", ([2, 3, 4],), {}),
    ("empty", ((2, 0),), {}),
    ("full", ((2, 3), 7), {}),
    ("zeros_like", (A((3, 5)),), {}),
    ("ones_like", (A((3, 5)),), {"shape": (2, 2)}),
    ("full_like", (A((4,)), 1.5), {}),
    ("array", ([[1, 2, 3], [4, 5, 6]],), {}),
    ("array", ([[[1.0], [2.0]]],), {}),
    ("array", (A((3, 2)),), {"dtype": "float32"}),
    ("asarray", ([A((2,)), A((2,))],), {}),
    ("arange", (10,), {}),
    ("arange", (2, 11, 3), {}),
    ("arange", (0, 1, 0.1), {}),
    ("arange", (5, 1), {}),
    ("linspace", (0, 1), {}),
    ("linspace", (0, 1, 7), {}),
    ("eye", (4,), {}),
    ("eye", (3, 5), {}),
    ("identity", (3,), {}),
    ("reshape", (A((6, 4)), (3, -1)), {}),
    ("reshape", (A((6, 4)), -1), {}),
    ("expand_dims", (A((5, 28, 28)), -1), {}),
    ("expand_dims", (A((5, 28)), 0), {}),
    ("expand_dims", (A((5, 28)), (0, 2)), {}),
    ("squeeze", (A((5, 1, 3, 1)),), {}),
    ("squeeze", (A((5, 1, 3, 1)),), {"axis": -1}),
    ("stack", ([A((3, 4)), A((3, 4))],), {}),
    ("stack", ([A((3, 4)), A((3, 4)), A((3, 4))],), {"axis": -1}),
    ("concatenate", ([A((3, 4)), A((5, 4))],), {}),
    ("concatenate", ([A((3, 4)), A((3, 2))],), {"axis": 1}),
    ("concatenate", ([A((3, 4)), A((3, 2))],), {"axis": None}),
    ("vstack", ([A((4,)), A((4,))],), {}),
    ("vstack", ([A((2, 4)), A((3, 4))],), {}),
    ("hstack", ([A((4,)), A((3,))],), {}),
    ("hstack", ([A((2, 4)), A((2, 3))],), {}),
    ("dstack", ([A((4,)), A((4,))],), {}),
    ("dstack", ([A((2, 4)), A((2, 4))],), {}),
    ("column_stack", ([A((4,)), A((4, 2))],), {}),
    ("transpose", (A((2, 3, 4)),), {}),
    ("transpose", (A((2, 3, 4)), (0, 2, 1)), {}),
    ("swapaxes", (A((2, 3, 4)), 0, 2), {}),
    ("moveaxis", (A((2, 3, 4)), 0, -1), {}),
    ("argmax", (A((5, 10)),), {"axis": 1}),
    ("argmax", (A((5, 10)),), {}),
    ("argmin", (A((5, 10, 3)),), {"axis": -1, "keepdims": True}),
    ("sum", (A((5, 10, 3)),), {"axis": (0, 2)}),
    ("mean", (A((5, 10)),), {"axis": 0}),
    ("ravel", (A((5, 10)),), {}),
    ("clip", (A((5, 10)), 0, 1), {}),
    ("sin", (A((3, 4)),), {}),
    ("log1p", (A((5,)),), {}),
    ("sqrt", (A((2, 3, 1)),), {}),
    ("abs", (A((2, 2)),), {}),
    ("maximum", (A((3, 1)), A((4,))), {}),
    ("minimum", (A((3, 4)), 0), {}),
    ("divide", (A((4, 3)), 2), {}),
    ("power", (A((2,)), 2), {}),
    ("where", (A((2, 3)), 1.0, A((3,))), {}),
]


UFUNC_DTYPES = [  # elementwise functions: the kind NumPy gives for int or float arguments
    ("sin", (A((3,), "int"),)),
    ("floor", (A((3,), "float"),)),
    ("abs", (A((3,), "int"),)),
    ("square", (A((3,), "float"),)),
    ("maximum", (A((3,), "int"), 0)),
    ("maximum", (A((3,), "float"), 0)),
    ("add", (A((3,), "int"), 1.5)),
    ("divide", (A((3,), "int"), 2)),
    ("where", (A((3,), "int"), 1, 0)),
    ("where", (A((3,), "int"), A((3,), "float"), 0)),
]


@pytest.mark.parametrize("name, args", UFUNC_DTYPES, ids=lambda v: v if isinstance(v, str) else None)
def test_elementwise_dtypes(name, args):
    theirs = getattr(np, name)(*real(args))
    assert evaluate_call(f"numpy.{name}", args, {}).dtype == ("float" if theirs.dtype.kind == "f" else "int")


@pytest.mark.parametrize("name, args, kwargs", CALLS, ids=lambda v: v if isinstance(v, str) else None)
def test_numpy_function_shapes(name, args, kwargs):
    ours = evaluate_call(f"numpy.{name}", args, kwargs)
    theirs = getattr(np, name)(*real(args), **kwargs)
    assert isinstance(ours, Array)
    assert ours.shape == np.shape(theirs)


RANDOM = [
    ("random", ((3, 4),), {}),
    ("random", (), {"size": 5}),
    ("random_sample", ((2, 2),), {}),
    ("rand", (3, 4, 5), {}),
    ("randn", (7,), {}),
    ("randint", (0, 10), {"size": (6, 2)}),
    ("randint", (0, 2, 100), {}),
    ("randint", (5,), {}),
    ("uniform", (0, 1, (3, 2)), {}),
    ("normal", (), {"loc": 0, "scale": 1, "size": [4, 4]}),
    ("normal", (0, 1), {}),
    ("choice", (10, 3), {}),
    ("choice", (A((10,)),), {"size": (2, 2)}),
    ("permutation", (10,), {}),
    ("permutation", (A((6, 2)),), {}),
    ("binomial", (1, 0.5, 8), {}),
    ("poisson", (3.0, (2, 5)), {}),
    ("standard_normal", ((2, 3),), {}),
    # one draw: a Python int (unknown here), or a NumPy scalar (a 0-d Array)
    ("randint", (2, 10), {}),
    ("randint", (2, 10), {"dtype": "int64"}),
    ("choice", (5,), {}),
    ("choice", ([1, 2, 3],), {}),
    ("binomial", (5, 0.5), {}),
    ("binomial", (5, A((4,))), {}),
    ("poisson", (3.0,), {}),
    ("normal", (0, 1), {}),
]


@pytest.mark.parametrize("name, args, kwargs", RANDOM, ids=lambda v: v if isinstance(v, str) else None)
def test_random_shapes(name, args, kwargs):
    """Shapes as NumPy gives them; a Python int for one draw is a value kerascheck does not
    know, never a NumPy integer (which Keras 3 rejects as a size)."""
    ours = evaluate_call(f"numpy.random.{name}", args, kwargs)
    theirs = getattr(np.random, name)(*real(args), **kwargs)
    if type(theirs) is int:
        assert ours is UNKNOWN
    else:
        assert ours.shape == np.shape(theirs)


def test_random_dtypes():
    assert evaluate_call("numpy.random.randint", (0, 10, 5), {}).dtype == "int"
    assert evaluate_call("numpy.random.random", ((5,),), {}).dtype == "float"


METHODS = [
    ((6, 4), "reshape", (3, 8), {}),
    ((6, 4), "reshape", ((-1, 2, 2),), {}),
    ((6, 4), "reshape", (-1,), {}),
    ((6, 4), "astype", ("float32",), {}),
    ((6, 1), "squeeze", (), {}),
    ((2, 3, 4), "transpose", (), {}),
    ((2, 3, 4), "transpose", (1, 0, 2), {}),
    ((2, 3, 4), "transpose", ((2, 0, 1),), {}),
    ((2, 3, 4), "swapaxes", (1, 2), {}),
    ((2, 3, 4), "flatten", (), {}),
    ((2, 3, 4), "argmax", (), {"axis": -1}),
    ((2, 3, 4), "sum", (1,), {}),
    ((2, 3, 4), "max", (), {}),
    ((2, 3, 4), "copy", (), {}),
]


@pytest.mark.parametrize("shape, name, args, kwargs", METHODS)
def test_array_method_shapes(shape, name, args, kwargs):
    ours = evaluate_method(Array(shape, "float"), name, args, kwargs)
    theirs = getattr(np.zeros(shape), name)(*args, **kwargs)
    assert ours.shape == np.shape(theirs)


INDEXES = [
    ((10, 4, 3), slice(None, 8)),
    ((10, 4, 3), slice(2, None, 3)),
    ((10, 4, 3), slice(-3, None)),
    ((10, 4, 3), (slice(None), slice(None), 0)),
    ((10, 4, 3), (Ellipsis, None)),
    ((10, 4, 3), (None, Ellipsis, 1)),
    ((10, 4, 3), 0),
    ((10, 4, 3), -1),
    ((10, 4, 3), (slice(None), None, slice(1, 3))),
    ((10, 4, 3), (Ellipsis, slice(None, 2))),
    ((10,), slice(None, 100)),
]


@pytest.mark.parametrize("shape, index", INDEXES)
def test_subscript_shapes(shape, index):
    assert evaluate_subscript(Array(shape, "float"), index).shape == np.zeros(shape)[index].shape


def test_fancy_indexing_one_hot():
    labels = evaluate_call("numpy.random.randint", (0, 10), {"size": 50})
    one_hot = evaluate_subscript(evaluate_call("numpy.eye", (10,), {}), labels)
    assert one_hot.shape == (50, 10) and one_hot.one_hot
    assert evaluate_subscript(Array((50, 3), "float"), Array((7,), "bool")).shape == (None, 3)
    assert evaluate_subscript(Array((50, 3), "float"), [0, 2, 4]).shape == (3, 3)


def test_unknown_pieces_never_guess():
    x = Array((10, 4), "float")
    assert evaluate_subscript(x, UNKNOWN).shape is None
    assert evaluate_subscript(x, slice(UNKNOWN, None)).shape == (None, 4)
    assert evaluate_subscript(Array((None, 4), "float"), slice(None, 8)).shape == (None, 4)
    assert evaluate_subscript(x, Array((3,), None)).shape is None  # int or bool? unknown
    assert evaluate_call("numpy.zeros", ((UNKNOWN, 3),), {}).shape == (None, 3)
    assert evaluate_call("numpy.zeros", (UNKNOWN,), {}) is UNKNOWN
    assert evaluate_method(Array((None, 4), "float"), "reshape", (-1, 2, 2), {}).shape == (None, 2, 2)
    assert evaluate_method(Array((None, 4), "float"), "squeeze", (), {}).shape is None
    assert evaluate_binary("*", Array((5, 3), "float"), UNKNOWN) is UNKNOWN


BINARY = [
    ("+", (5, 3), (3,)),
    ("*", (5, 1, 3), (4, 1)),
    ("-", (5, 3), 2.0),
    ("/", 1, (2, 2)),
    ("@", (5, 3), (3, 7)),
    ("@", (2, 5, 3), (3,)),
    (">", (4,), 0.5),
]


NUMPY_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
                   "@": operator.matmul, ">": operator.gt}


@pytest.mark.parametrize("op, left, right", BINARY)
def test_binary_broadcasting(op, left, right):
    def value(v):
        return Array(v, "float") if isinstance(v, tuple) else v

    ours = evaluate_binary(op, value(left), value(right))
    a = np.ones(left) if isinstance(left, tuple) else left
    b = np.ones(right) if isinstance(right, tuple) else right
    theirs = NUMPY_OPERATORS[op](a, b)
    assert ours.shape == np.shape(theirs)


def test_binary_dtypes_and_unknown_dims():
    assert evaluate_binary("/", Array((2,), "int"), 2).dtype == "float"
    assert evaluate_binary(">", Array((2,), "float"), 0.5).dtype == "bool"
    assert evaluate_binary("+", Array((None, 3), "float"), Array((1, 3), "float")).shape == (None, 3)
    assert evaluate_binary("+", Array((None, 3), "float"), Array((4, 3), "float")).shape == (4, 3)
    assert evaluate_binary("+", Array((5, 3), "float"), Array((4, 3), "float")) is UNKNOWN


def test_attributes():
    x = Array((60000, 28, 28), "int")
    assert evaluate_attribute(x, "shape") == (60000, 28, 28)
    assert evaluate_attribute(x, "ndim") == 3
    assert evaluate_attribute(x, "size") == 60000 * 28 * 28
    assert evaluate_attribute(x, "T").shape == (28, 28, 60000)
    assert evaluate_attribute(Array((None, 5)), "shape") == (UNKNOWN, 5)  # never a literal None
    assert evaluate_attribute(Array(None), "shape") is UNKNOWN


def test_astype_dtype_spellings():
    x = Array((3,), "int")
    for spelling, kind in [("float32", "float"), (Opaque("np.float32"), "float"), (Opaque("numpy.int64"), "int"),
                           (Opaque("float"), "float"), ("bool", "bool"), ("uint8", "int")]:
        assert evaluate_method(x, "astype", (spelling,), {}).dtype == kind


@pytest.mark.parametrize("labels, classes", [((50,), 10), ((50, 1), 3), ((50, 4), 5)])
def test_to_categorical_matches_keras(labels, classes, keras3):
    ours = evaluate_call("keras.utils.to_categorical", (Array(labels, "int"), classes), {})
    theirs = keras3.utils.to_categorical(np.zeros(labels, dtype=int), classes)
    assert ours.shape == theirs.shape and ours.one_hot
    assert evaluate_call("keras.utils.np_utils.to_categorical", (Array(labels, "int"),), {}).shape[-1] is None


SEQUENCES = [
    ([[1], [2, 3], [4, 5, 6]], {}),  # Keras's documented example
    ([[1], [2, 3], [4, 5, 6]], {"maxlen": 2}),
    ([[], [7, 8]], {"padding": "post"}),  # an empty sequence gives no sample shape
    ([np.zeros((5, 3)), np.zeros((2, 3)), np.zeros((4, 3))], {"dtype": "float32"}),
]


def _static(value):
    return Array(value.shape, "float") if isinstance(value, np.ndarray) else value


@pytest.mark.parametrize("sequences, kwargs", SEQUENCES)
def test_pad_sequences_matches_keras(sequences, kwargs, keras3, keras2):
    ours = evaluate_call("keras.utils.pad_sequences", ([_static(s) for s in sequences],), kwargs)
    for keras in (keras3, keras2):
        theirs = keras.utils.pad_sequences(sequences, **kwargs)
        assert ours.shape == theirs.shape
        assert ours.dtype == ("float" if theirs.dtype.kind == "f" else "int")
    padded = evaluate_call("keras.preprocessing.sequence.pad_sequences", (Array((10, 4), "int"),), {"maxlen": 6})
    assert padded.shape == (10, 6)
    assert evaluate_call("keras.utils.pad_sequences", ([[1, 2], UNKNOWN],), {}) is UNKNOWN


@pytest.mark.parametrize("items", [
    [[4, 12, 7], [9, 3]],
    [np.zeros((5, 3)), np.zeros((2, 3))],
    [[1, 2], [3, 4]],  # of one length: NumPy makes a 2D object array
])
def test_object_arrays_of_sequences(items):
    array = np.array(items, dtype=object)
    ours = evaluate_call("numpy.array", ([_static(i) for i in items],), {"dtype": "object"})
    assert ours.shape == array.shape and ours.dtype == "object"
    lengths = tuple(len(i) for i in items)
    assert ours.item_lengths == (lengths if len(set(lengths)) > 1 else None)
    assert evaluate_subscript(ours, slice(None, 1)).item_lengths == (ours.item_lengths and lengths[:1])


DATASETS = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "imdb": ((25000,), (25000,), (25000,), (25000,)),
    "reuters": ((8982,), (8982,), (2246,), (2246,)),
    "boston_housing": ((404, 13), (404,), (102, 13), (102,)),
}


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_dataset_shapes(name):
    (x_train, y_train), (x_test, y_test) = evaluate_call(f"keras.datasets.{name}.load_data", (), {})
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == DATASETS[name]
    same = evaluate_call(f"tensorflow.keras.datasets.{name}.load_data", (), {})
    assert same[0][0].shape == x_train.shape


def test_dataset_arguments():
    (x, _), _ = evaluate_call("keras.datasets.imdb.load_data", (), {"num_words": 10000, "maxlen": 100})
    assert x.shape == (None,)
    (x, _), (xt, _) = evaluate_call("keras.datasets.boston_housing.load_data", (), {"test_split": 0.1})
    assert (x.shape, xt.shape) == ((455, 13), (51, 13))
    assert evaluate_call("keras.datasets.mnist.load_data", (), {})[0][0].dtype == "int"


def test_frontend_symbols_as_dtype_and_newaxis():
    from kerascheck.frontend.imports import Symbol

    x = Array((100, 8), "int")
    assert evaluate_method(x, "astype", (Symbol("numpy.float32"),), {}).dtype == "float"
    assert evaluate_subscript(x, (slice(None), slice(None), Symbol("numpy.newaxis"))).shape == (100, 8, 1)


@pytest.mark.parametrize("n, kwargs, train, test", [
    (5, {"test_size": 0.33}, 3, 2),  # scikit-learn's documented example
    (1000, {}, 750, 250),  # default test_size=0.25
    (1001, {"test_size": 0.2}, 800, 201),  # test rounds up
    (100, {"train_size": 0.7}, 70, 30),  # train rounds down
    (50, {"test_size": 10}, 40, 10),
])
def test_train_test_split(n, kwargs, train, test):
    parts = evaluate_call("sklearn.model_selection.train_test_split",
                          (Array((n, 3), "float"), Array((n,), "int")), kwargs)
    assert [p.shape for p in parts] == [(train, 3), (test, 3), (train,), (test,)]


TF_ON_ARRAYS = [  # (function, array shape, other arguments)
    ("cast", (28, 28), ("float32",)),
    ("reshape", (28, 28), ((784,),)),
    ("reshape", (28, 28), ((-1, 14, 2),)),
    ("expand_dims", (28, 28), (-1,)),
    ("expand_dims", (28, 28), (0,)),
    ("squeeze", (28, 1, 3, 1), ()),
    ("squeeze", (28, 1, 3, 1), (1,)),
    ("transpose", (2, 3, 4), ()),
    ("transpose", (2, 3, 4), ((0, 2, 1),)),
    ("image.resize", (28, 28, 1), ((32, 32),)),
    ("image.resize", (8, 28, 28, 3), ((14, 20),)),
    ("image.resize", (28, 28, 1), ((32, 32), "nearest")),
    ("image.resize", (28, 28, 1), ((32, 32), "bicubic")),
]


@pytest.mark.parametrize("function, shape, rest", TF_ON_ARRAYS, ids=[f"{f}-{s}-{r}" for f, s, r in TF_ON_ARRAYS])
def test_tensorflow_ops_on_arrays_match_tensorflow(function, shape, rest, keras3):
    import tensorflow as tf

    ours = evaluate_call(f"tensorflow.{function}", (Array(shape, "int"),) + rest, {})
    theirs = functools.reduce(getattr, function.split("."), tf)(np.zeros(shape, dtype="uint8"), *rest)
    assert ours.shape == tuple(theirs.shape)
    assert ours.dtype == ("float" if theirs.dtype.is_floating else "int")


def test_resize_keeping_the_aspect_ratio_is_not_followed():
    """``tf.image.resize(x, (32, 64), preserve_aspect_ratio=True)`` of 28x28 images is 32x32."""
    kept = evaluate_call("tensorflow.image.resize", (Array((28, 28, 1), "int"), (32, 64)), {"preserve_aspect_ratio": True})
    assert kept is UNKNOWN


TENSORS = [  # TensorFlow and Keras functions making tensors fit and predict take as arrays
    ("tensorflow.zeros", ((3, 4),), {}),
    ("tensorflow.ones", ([2, 5],), {"dtype": "int32"}),
    ("tensorflow.fill", ((2, 3), 0.5), {}),
    ("tensorflow.zeros_like", (A((4, 2), "float"),), {}),
    ("tensorflow.constant", ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],), {}),
    ("tensorflow.constant", (0.5,), {"shape": (2, 2)}),
    ("tensorflow.convert_to_tensor", (A((6, 3), "int"),), {}),
    ("tensorflow.random.normal", ((8, 28, 28, 1),), {}),
    ("tensorflow.random.uniform", ((5,),), {"maxval": 10, "dtype": "int32"}),
    ("tensorflow.random.truncated_normal", ((2, 2),), {}),
    ("keras.ops.zeros", ((3, 1),), {}),
    ("keras.ops.full", ((2, 2), 7), {}),
    ("tensorflow.fill", ((2,), 7), {}),
    ("keras.ops.convert_to_tensor", ([[1, 2]],), {}),
    ("keras.random.normal", ((4, 3),), {}),
    ("keras.random.uniform", ((1, 10),), {}),
]


@pytest.mark.parametrize("name, args, kwargs", TENSORS, ids=lambda v: v if isinstance(v, str) else None)
def test_tensor_shapes_and_dtypes(name, args, kwargs, keras3):
    import importlib

    module, function = name.rsplit(".", 1)
    theirs = getattr(importlib.import_module(module), function)(*real(args), **kwargs)
    ours = evaluate_call(name, args, kwargs)
    assert ours.shape == tuple(theirs.shape)
    assert ours.dtype == ("int" if "int" in str(theirs.dtype) else "float")
