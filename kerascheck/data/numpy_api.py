"""The NumPy functions, array methods and ``to_categorical`` that kerascheck models.

Each entry takes the call's evaluated ``(args, kwargs)`` and returns an ``Array``;
``ops.Unresolved`` means the answer is not known statically.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from kerascheck.data import ops
from kerascheck.data.arrays import Array, dtype_kind, is_ragged, sequence_lengths, to_array
from kerascheck.data.text import WordSequences
from kerascheck.graph import UNKNOWN, NumpyInt

_MISSING = object()


def _arg(args: tuple, kwargs: dict, i: int, name: str, default: Any = _MISSING) -> Any:
    if name in kwargs:
        return kwargs[name]
    if len(args) > i:
        return args[i]
    if default is _MISSING:
        raise ops.Unresolved(name)
    return default


def _array(value: Any) -> Array:
    array = to_array(value)
    if array is None or array.shape is None:
        raise ops.Unresolved(value)
    return array


def _dtype(value: Any, default: str | None) -> str | None:
    return default if value is None else dtype_kind(value)


# ---- creation --------------------------------------------------------------------------------


def _filled(default_dtype: str | None, shape_index: int = 0, fill_index: int | None = None):
    def make(args: tuple, kwargs: dict) -> Array:
        shape = ops.shape_arg(_arg(args, kwargs, shape_index, "shape"))
        dtype = _dtype(_arg(args, kwargs, shape_index + 1 + (fill_index is not None), "dtype", None),
                       default_dtype)
        if fill_index is not None and dtype is None:
            dtype = getattr(to_array(_arg(args, kwargs, fill_index, "fill_value")), "dtype", None)
        return Array(shape, dtype)
    return make


def _like(fill: bool):
    def make(args: tuple, kwargs: dict) -> Array:
        prototype = _array(_arg(args, kwargs, 0, "a", _arg(args, kwargs, 0, "prototype", None)))
        dtype_index = 2 if fill else 1
        shape = kwargs.get("shape")
        return Array(ops.shape_arg(shape) if shape is not None else prototype.shape,
                     _dtype(_arg(args, kwargs, dtype_index, "dtype", None), prototype.dtype))
    return make


def _random(default_dtype: str, size_index: int | None, size_name: str = "size"):
    """Samplers: ``size`` gives the shape; without it, a scalar (or the parameters' shape)."""
    def make(args: tuple, kwargs: dict) -> Array:
        size = _arg(args, kwargs, size_index, size_name, None) if size_index is not None else \
            kwargs.get(size_name)
        dtype = _dtype(kwargs.get("dtype"), default_dtype)
        if size is None:
            parameters = [to_array(a) for a in args] + [to_array(v) for k, v in kwargs.items()
                                                        if k not in ("dtype", size_name)]
            if any(p is None or p.shape is None for p in parameters):
                raise ops.Unresolved(args)
            shape: tuple = ()
            for p in parameters:
                shape = ops.broadcast(shape, p.shape)
            if shape == () and dtype == "int" and "dtype" not in kwargs:
                return UNKNOWN  # one draw of np.random.binomial(5, 0.5) is a Python int
            return Array(shape, dtype)
        return Array(ops.shape_arg(size), dtype)
    return make


def _dims(dtype: str):
    """``np.random.rand(d0, d1, ...)``: the shape is the positional arguments."""
    def make(args: tuple, kwargs: dict) -> Array:
        return Array(tuple(ops.dim(a) for a in args), dtype)
    return make


def _randint(args: tuple, kwargs: dict) -> Any:
    size = _arg(args, kwargs, 2, "size", None)
    given = kwargs.get("dtype", args[3] if len(args) > 3 else None)
    if size is None and given is None:
        return UNKNOWN  # one draw is a Python int (np.random.randint(2, 10)), not a NumPy one
    return Array(() if size is None else ops.shape_arg(size), _dtype(given, "int"))


def _choice(args: tuple, kwargs: dict) -> Any:
    size = _arg(args, kwargs, 1, "size", None)
    population = _arg(args, kwargs, 0, "a")
    if size is None and ops.is_int(population):
        return UNKNOWN  # one draw from range(n) is a Python int; from an array, a NumPy scalar
    dtype = "int" if ops.is_int(population) else _array(population).dtype
    return Array(() if size is None else ops.shape_arg(size), dtype)


def _permutation(args: tuple, kwargs: dict) -> Array:
    x = _arg(args, kwargs, 0, "x")
    if ops.is_int(x):
        return Array((ops.dim(x),), "int")
    return _array(x)


def _array_of(args: tuple, kwargs: dict) -> Array:
    """``np.array(x, dtype)``; with ``dtype=object``, sequences of different lengths make a 1D
    array holding them (NumPy raises without it)."""
    given = _arg(args, kwargs, 0, "object")
    written = _arg(args, kwargs, 1, "dtype", None)
    lengths = sequence_lengths(given)
    if dtype_kind(written) == "object" and is_ragged(lengths):
        return Array((len(lengths),), "object", item_lengths=lengths)
    source = Array(None) if given is UNKNOWN else _array(given)  # np.array(df): an array, of some shape
    return Array(source.shape, _dtype(written, source.dtype), source.position, source.one_hot, source.item_lengths)


def _tensor_of(args: tuple, kwargs: dict) -> Array:
    """``tf.constant(value, dtype, shape)``, ``tf.convert_to_tensor(value, dtype)``: the array of
    the value (a ``shape`` given fills or reshapes it to that shape)."""
    value = _arg(args, kwargs, 0, "value")
    array = _array_of((value,), {"dtype": _arg(args, kwargs, 1, "dtype", None)})
    shape = _arg(args, kwargs, 2, "shape", None)
    return array if shape is None else Array(ops.shape_arg(shape), array.dtype)


def _sampled(args: tuple, kwargs: dict) -> Array:
    """``tf.random.normal(shape, ..., dtype=...)``, ``keras.random.uniform(shape)``: a float
    tensor of that shape unless a dtype is given."""
    return Array(ops.shape_arg(_arg(args, kwargs, 0, "shape")), _dtype(kwargs.get("dtype"), "float"))


def _arange(args: tuple, kwargs: dict) -> Array:
    numbers = [_arg(args, kwargs, i, name, None) for i, name in enumerate(("start", "stop", "step"))]
    start, stop, step = numbers
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if not all(isinstance(v, (int, float)) for v in (start, stop, step)) or step == 0:
        raise ops.Unresolved(args)
    dtype = "int" if all(ops.is_int(v) for v in (start, stop, step)) else "float"
    return Array((max(0, math.ceil((stop - start) / step)),), _dtype(kwargs.get("dtype"), dtype))


def _linspace(args: tuple, kwargs: dict) -> Array:
    return Array((ops.dim(_arg(args, kwargs, 2, "num", 50)),), "float")


def _eye(args: tuple, kwargs: dict) -> Array:
    n = ops.dim(_arg(args, kwargs, 0, "N"))
    m = _arg(args, kwargs, 1, "M", None)
    return Array((n, n if m is None else ops.dim(m)), _dtype(kwargs.get("dtype"), "float"), one_hot=True)


def _identity(args: tuple, kwargs: dict) -> Array:
    n = ops.dim(_arg(args, kwargs, 0, "n"))
    return Array((n, n), _dtype(kwargs.get("dtype"), "float"), one_hot=True)


# ---- transformations -------------------------------------------------------------------------


def _on_array(transform: Callable[[Array, tuple, dict], Any], any_array: bool = False):
    """A NumPy function ``np.f(a, ...)`` that is also the method ``a.f(...)`` (``any_array``:
    whose result's shape does not need ``a``'s, which may be anything NumPy takes)."""
    def function(args: tuple, kwargs: dict) -> Any:
        name = "a" if "a" in kwargs else "arr" if "arr" in kwargs else "m"
        given = _arg(args, kwargs, 0, name)
        array = Array(None) if any_array and given is UNKNOWN else _array(given)
        rest = {k: v for k, v in kwargs.items() if k != name}
        return transform(array, tuple(args[1:]), rest)
    return function


def _same(array: Array, shape: tuple | None, dtype: str | None = _MISSING, one_hot: bool = False) -> Array:
    return Array(shape, array.dtype if dtype is _MISSING else dtype, array.position, one_hot)


def _reshape(array: Array, args: tuple, kwargs: dict) -> Array:
    """A literal target gives the shape even of an array of unknown size (``-1`` stays unknown)."""
    new = kwargs.get("shape", kwargs.get("newshape", args[0] if len(args) == 1 else args))
    if new == ():
        raise ops.Unresolved(new)
    return _same(array, ops.reshape((None,) if array.shape is None else array.shape, new))


def _astype(array: Array, args: tuple, kwargs: dict) -> Array:
    return _same(array, array.shape, dtype_kind(_arg(args, kwargs, 0, "dtype")), array.one_hot)


def _expand_dims(array: Array, args: tuple, kwargs: dict) -> Array:
    return _same(array, ops.expand_dims(array.shape, _arg(args, kwargs, 0, "axis")))


def _squeeze(array: Array, args: tuple, kwargs: dict) -> Array:
    return _same(array, ops.squeeze(array.shape, _arg(args, kwargs, 0, "axis", None)))


def _transpose(array: Array, args: tuple, kwargs: dict) -> Array:
    axes = _arg(args, kwargs, 0, "axes", None)
    if len(args) > 1:  # the method form: x.transpose(1, 0, 2)
        axes = args
    return _same(array, ops.transpose(array.shape, axes))


def _swapaxes(array: Array, args: tuple, kwargs: dict) -> Array:
    return _same(array, ops.swapaxes(array.shape, _arg(args, kwargs, 0, "axis1"),
                                     _arg(args, kwargs, 1, "axis2")))


def _moveaxis(array: Array, args: tuple, kwargs: dict) -> Array:
    return _same(array, ops.moveaxis(array.shape, _arg(args, kwargs, 0, "source"),
                                     _arg(args, kwargs, 1, "destination")))


def _flatten(array: Array, args: tuple, kwargs: dict) -> Array:
    return _same(array, (ops.product(array.shape),))


def _elementwise(array: Array, args: tuple, kwargs: dict) -> Array:
    return _same(array, array.shape, one_hot=array.one_hot)


def _reduction(dtype: str | None = _MISSING):
    def transform(array: Array, args: tuple, kwargs: dict) -> Array:
        shape = ops.reduce(array.shape, _arg(args, kwargs, 0, "axis", None),
                           bool(kwargs.get("keepdims", False)))
        return _same(array, shape, dtype)
    return transform


def _prod(args: tuple, kwargs: dict) -> Any:
    """``np.prod(a)``: of sizes written as ints (``np.prod(img_shape)``), their product, a NumPy
    integer."""
    given = _arg(args, kwargs, 0, "a")
    if isinstance(given, (tuple, list)) and given and all(ops.is_int(v) for v in given) and len(args) == 1 and not kwargs:
        return NumpyInt(math.prod(given))
    return _reduction()(_array(given), tuple(args[1:]), {k: v for k, v in kwargs.items() if k != "a"})


def _reduce_prod(args: tuple, kwargs: dict) -> Any:
    """``tf.math.reduce_prod((28, 28))``: of sizes written as ints, their product, an int32
    scalar (its ``.numpy()`` a NumPy integer, as ``np.prod`` gives)."""
    given = _arg(args, kwargs, 0, "input_tensor")
    if isinstance(given, (tuple, list)) and given and all(ops.is_int(v) for v in given) and len(args) == 1 \
            and not kwargs:
        return NumpyInt(math.prod(given), "int32")
    raise ops.Unresolved(given)


def _ufunc(dtype: str | None, arity: tuple[int, ...], values_from: int = 0):
    """``np.sin(x)``, ``np.maximum(x, 0)``, ``np.where(mask, a, b)``: elementwise over the
    arguments broadcast together; of ``dtype`` (None: float if an argument from ``values_from``
    on is float, else theirs when they agree)."""
    def make(args: tuple, kwargs: dict) -> Array:
        if len(args) not in arity or set(kwargs) - {"dtype"}:
            raise ops.Unresolved(args)
        arrays = [to_array(a) for a in args]
        if any(a is None or a.shape is None for a in arrays):
            raise ops.Unresolved(args)
        shape: tuple = ()
        for a in arrays:
            shape = ops.broadcast(shape, a.shape)
        kinds = {a.dtype for a in arrays[values_from:]}
        promoted = "float" if "float" in kinds else kinds.pop() if len(kinds) == 1 else None
        return Array(shape, _dtype(kwargs.get("dtype"), dtype or promoted))
    return make


def _numpy_int(dtype: str):
    """``np.int64(5)``: a NumPy integer of that value."""
    def make(args: tuple, kwargs: dict) -> Any:
        value = args[0] if len(args) == 1 and not kwargs else UNKNOWN
        return NumpyInt(value, dtype) if ops.is_int(value) else UNKNOWN
    return make


def _sequence(value: Any) -> list[Array]:
    if not isinstance(value, (list, tuple)):
        raise ops.Unresolved(value)
    return [_array(v) for v in value]


def _joined(join: Callable[[list[tuple], Any], tuple], at_least: int = 0, axis_for: Any = None):
    def make(args: tuple, kwargs: dict) -> Array:
        arrays = _sequence(_arg(args, kwargs, 0, "arrays", _arg(args, kwargs, 0, "tup", None)))
        shapes = [ops.at_least(a.shape, at_least) for a in arrays]
        axis = axis_for(shapes) if axis_for else _arg(args, kwargs, 1, "axis", 0)
        dtype = kwargs.get("dtype")
        kinds = {a.dtype for a in arrays}
        common = dtype_kind(dtype) if dtype is not None else (kinds.pop() if len(kinds) == 1 else None)
        return Array(join(shapes, axis), common, arrays[0].position)
    return make


def _hstack_axis(shapes: list[tuple]) -> int:
    return 0 if shapes and len(shapes[0]) == 1 else 1


def _column_stack(args: tuple, kwargs: dict) -> Array:
    arrays = _sequence(_arg(args, kwargs, 0, "tup"))
    shapes = [a.shape + (1,) if len(a.shape) == 1 else a.shape for a in arrays]
    return Array(ops.concatenate(shapes, 1), arrays[0].dtype, arrays[0].position)


def _to_categorical(args: tuple, kwargs: dict) -> Array:
    labels = _array(_arg(args, kwargs, 0, "x", _arg(args, kwargs, 0, "y", None)))
    classes = _arg(args, kwargs, 1, "num_classes", None)
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:  # Keras drops a trailing axis of 1 first
        shape = shape[:-1]
    k = None if classes is None or classes is UNKNOWN else ops.dim(classes)
    return Array(shape + (k,), "float", labels.position, one_hot=True)


def _pad_sequences(args: tuple, kwargs: dict) -> Array:
    """``keras.utils.pad_sequences(sequences, maxlen)``: ``(len(sequences), maxlen)`` (the longest
    sequence's length without ``maxlen``) and the first non-empty sequence's other axes."""
    sequences = _arg(args, kwargs, 0, "sequences")
    maxlen = _arg(args, kwargs, 1, "maxlen", None)
    dtype = _dtype(_arg(args, kwargs, 2, "dtype", None), "int")
    if isinstance(sequences, WordSequences):  # a text tokenizer's: lists of word indices
        samples, longest, sample_shape = sequences.count, None, ()
    elif isinstance(sequences, Array) and sequences.item_lengths is None:
        if sequences.ndim is None or sequences.ndim < 2:
            raise ops.Unresolved(sequences)
        samples, longest, sample_shape = sequences.shape[0], sequences.shape[1], sequences.shape[2:]
    else:
        lengths = sequence_lengths(sequences)
        items = sequences if isinstance(sequences, (list, tuple)) and lengths is not None else None
        if lengths is None or items is None:
            raise ops.Unresolved(sequences)
        first = next((to_array(item) for item, n in zip(items, lengths) if n != 0), None)
        if first is None or first.shape is None or None in lengths:
            raise ops.Unresolved(sequences)
        samples, longest, sample_shape = len(lengths), max(lengths), first.shape[1:]
    steps = longest if maxlen is None else ops.dim(maxlen)
    return Array((samples, steps) + tuple(sample_shape), dtype)


def _resize(images: Array, args: tuple, kwargs: dict) -> Array:
    """``tf.image.resize(images, size, method)``: the height and width of (batch,) h, w, channels
    become ``size``; float32 except for ``'nearest'``, which keeps the images' dtype."""
    size = ops.shape_arg(_arg(args, kwargs, 0, "size"))
    if images.ndim not in (3, 4) or len(size) != 2 or _arg(args, kwargs, 2, "preserve_aspect_ratio", False) is not False:
        raise ops.Unresolved(size)
    method = _arg(args, kwargs, 1, "method", "bilinear")
    method = getattr(method, "qualname", method)
    if method in ("nearest", "tensorflow.image.ResizeMethod.NEAREST_NEIGHBOR"):
        dtype = images.dtype
    else:
        dtype = "float" if isinstance(method, str) else None
    return Array(images.shape[:-3] + size + images.shape[-1:], dtype, images.position)


def _one_hot(depth_name: str, default_axis: Any):
    """``tf.one_hot(indices, depth, axis=-1)`` / ``keras.ops.one_hot(x, num_classes, axis=-1)``:
    the indices' shape with the depth inserted at ``axis``."""
    def make(args: tuple, kwargs: dict) -> Array:
        labels = _array(_arg(args, kwargs, 0, "indices" if depth_name == "depth" else "x"))
        depth = ops.dim(_arg(args, kwargs, 1, depth_name))
        axis = kwargs.get("axis", default_axis)
        axis = -1 if axis is None else axis
        shape = ops.expand_dims(labels.shape, axis)
        position = ops.axes_arg((axis,), len(shape))[0]
        return Array(shape[:position] + (depth,) + shape[position + 1:], "float", labels.position,
                     one_hot=position == len(shape) - 1)
    return make


def _get_dummies(args: tuple, kwargs: dict) -> Array:
    """``pd.get_dummies(data)``: one column per category seen in the data (how many: unknown)."""
    data = _array(_arg(args, kwargs, 0, "data"))
    if data.ndim not in (1, 2):
        raise ops.Unresolved(data)
    return Array((data.samples, None), None, data.position, one_hot=data.ndim == 1)


METHODS: dict[str, Callable[[Array, tuple, dict], Any]] = {
    "numpy": lambda array, args, kwargs: array,  # a tensor's values, as a NumPy array
    "reshape": _reshape,
    "astype": _astype,
    "squeeze": _squeeze,
    "transpose": _transpose,
    "swapaxes": _swapaxes,
    "flatten": _flatten,
    "to_numpy": _elementwise,  # a DataFrame from pd.get_dummies
    "toarray": _elementwise,  # a sparse matrix from OneHotEncoder
    "todense": _elementwise,
    "ravel": _flatten,
    "copy": _elementwise,
    "round": _elementwise,
    "clip": _elementwise,
    "argmax": _reduction("int"),
    "argmin": _reduction("int"),
    "sum": _reduction(),
    "max": _reduction(),
    "min": _reduction(),
    "mean": _reduction("float"),
    "std": _reduction("float"),
}

_RANDOM = {
    "random": _random("float", 0), "random_sample": _random("float", 0),
    "sample": _random("float", 0), "ranf": _random("float", 0),
    "rand": _dims("float"), "randn": _dims("float"),
    "standard_normal": _random("float", 0),
    "uniform": _random("float", 2), "normal": _random("float", 2),
    "binomial": _random("int", 2), "poisson": _random("int", 1),
    "randint": _randint, "choice": _choice, "permutation": _permutation,
}

# TensorFlow and Keras tensors fit and predict take as arrays, made from a shape or from a value
TENSORS_FROM_SHAPE: dict[str, Callable[[tuple, dict], Any]] = {
    **{f"{module}.{name}": _filled("float") for module in ("tensorflow", "keras.ops") for name in ("zeros", "ones")},
    "tensorflow.fill": _filled(None, fill_index=1),
    "keras.ops.full": _filled("float", fill_index=1),  # floatx whatever the fill value
    **{f"{module}.{name}": _sampled for module in ("tensorflow.random", "keras.random")
       for name in ("normal", "uniform", "truncated_normal")},
}
TENSORS_FROM_VALUE: dict[str, Callable[[tuple, dict], Any]] = {
    **{f"{module}.{name}": _like(False) for module in ("tensorflow", "keras.ops")
       for name in ("zeros_like", "ones_like")},
    "tensorflow.math.reduce_prod": _reduce_prod,
    "tensorflow.reduce_prod": _reduce_prod,
    "tensorflow.constant": _tensor_of,
    "tensorflow.convert_to_tensor": _tensor_of,
    "keras.ops.convert_to_tensor": _tensor_of,
}

CALLS: dict[str, Callable[[tuple, dict], Any]] = {
    **{f"numpy.random.{name}": make for name, make in _RANDOM.items()},
    "numpy.zeros": _filled("float"),
    "numpy.ones": _filled("float"),
    "numpy.empty": _filled("float"),
    "numpy.full": _filled(None, fill_index=1),
    "numpy.zeros_like": _like(False),
    "numpy.ones_like": _like(False),
    "numpy.empty_like": _like(False),
    "numpy.full_like": _like(True),
    "numpy.array": _array_of,
    "numpy.asarray": _array_of,
    "numpy.asanyarray": _array_of,
    "numpy.arange": _arange,
    "numpy.linspace": _linspace,
    "numpy.eye": _eye,
    "numpy.identity": _identity,
    "numpy.stack": _joined(ops.stack),
    "numpy.concatenate": _joined(ops.concatenate),
    "numpy.vstack": _joined(ops.concatenate, 2, lambda shapes: 0),
    "numpy.row_stack": _joined(ops.concatenate, 2, lambda shapes: 0),
    "numpy.hstack": _joined(ops.concatenate, 1, _hstack_axis),
    "numpy.dstack": _joined(ops.concatenate, 3, lambda shapes: 2),
    "numpy.column_stack": _column_stack,
    "numpy.expand_dims": _on_array(_expand_dims),
    "numpy.moveaxis": _on_array(_moveaxis),
    "keras.utils.to_categorical": _to_categorical,
    "keras.utils.np_utils.to_categorical": _to_categorical,
    "keras.src.utils.numerical_utils.to_categorical": _to_categorical,
    "keras.utils.pad_sequences": _pad_sequences,
    "keras.preprocessing.sequence.pad_sequences": _pad_sequences,
    "tensorflow.one_hot": _one_hot("depth", -1),
    "tensorflow.cast": _on_array(_astype),
    "tensorflow.reshape": _on_array(_reshape),
    "tensorflow.expand_dims": _on_array(_expand_dims),
    "tensorflow.squeeze": _on_array(_squeeze),
    "tensorflow.transpose": _on_array(lambda array, args, kwargs: _transpose(
        array, (_arg(args, kwargs, 0, "perm", None),), {})),
    "tensorflow.image.resize": _on_array(_resize),
    "tensorflow.clip_by_value": _on_array(lambda array, args, kwargs: array),
    **TENSORS_FROM_SHAPE,
    **TENSORS_FROM_VALUE,
    "keras.ops.one_hot": _one_hot("num_classes", -1),
    "keras.ops.nn.one_hot": _one_hot("num_classes", -1),
    "pandas.get_dummies": _get_dummies,
    "numpy.prod": _prod,
    **{f"numpy.{name}": _ufunc("float", (1,)) for name in (
        "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos", "arctan", "exp", "expm1", "exp2",
        "log", "log1p", "log2", "log10", "sqrt", "cbrt", "floor", "ceil", "rint")},
    **{f"numpy.{name}": _ufunc("float", (2,)) for name in ("divide", "true_divide")},
    **{f"numpy.{name}": _ufunc(None, (1,)) for name in (
        "abs", "absolute", "negative", "sign", "square")},
    **{f"numpy.{name}": _ufunc(None, (2,)) for name in ("maximum", "minimum", "add", "subtract", "multiply", "power")},
    "numpy.where": _ufunc(None, (3,), values_from=1),  # one argument: the indices, not followed
    **{f"numpy.{dtype}": _numpy_int(dtype) for dtype in ("int8", "int16", "int32", "int64", "uint8", "uint16",
                                                        "uint32", "uint64", "intp")},
}
_FUNCTIONS_ALSO_METHODS = ("reshape", "squeeze", "transpose", "swapaxes", "ravel", "copy", "round",
                           "clip", "argmax", "argmin", "sum", "max", "min", "mean", "std")
CALLS.update({f"numpy.{name}": _on_array(METHODS[name]) for name in _FUNCTIONS_ALSO_METHODS})
CALLS["numpy.reshape"] = _on_array(_reshape, any_array=True)
