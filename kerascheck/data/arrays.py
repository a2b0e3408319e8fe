"""NumPy arrays known statically: their shapes, and how NumPy calls transform them.

The frontend evaluates expressions to plain values; when it meets a NumPy, scikit-learn (or
keras.utils / keras.datasets) call, an array or estimator method, attribute, subscript or
arithmetic on arrays, it asks this module. Anything not modelled gives ``UNKNOWN``: checks needing it are skipped.

Values exchanged with the frontend: ints, floats, bools, str, tuples, lists, ``Array``,
``UNKNOWN``, ``Opaque``, and symbols with a ``qualname`` (``numpy.float32`` as a dtype,
``numpy.newaxis`` in an index). Dims inside shapes the frontend passes may be ``UNKNOWN`` or ``None``
(both mean unknown). Shapes handed back (``X.shape``) use ``UNKNOWN`` for unknown dims, so that
``X.shape[0]`` never becomes a literal ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional

from kerascheck.graph import UNKNOWN, NumpyInt, Position
from kerascheck.data import ops


@dataclass(frozen=True)
class Array:
    """An array whose shape is known (dims may be None) or not (``shape is None``).

    ``one_hot`` marks labels built by ``to_categorical`` or ``np.eye(k)[labels]``;
    ``item_lengths`` the lengths of the sequences an object array was made of
    (``np.array(sequences, dtype=object)``), each an int or None.
    """

    shape: Optional[tuple]
    dtype: Optional[str] = None  # "int", "float", "bool", "object" or None when unknown
    position: Optional[Position] = None  # where it was created, for hints
    one_hot: bool = False
    item_lengths: Optional[tuple] = None

    @property
    def ndim(self) -> int | None:
        return None if self.shape is None else len(self.shape)

    @property
    def samples(self) -> int | None:
        """The length of the first axis, when known."""
        return self.shape[0] if self.shape else None


@dataclass(frozen=True)
class UnknownItems:
    """What a list holds once kerascheck can no longer count its items (appended in a loop over
    unknown data, mutated under an undecided condition or by a call it does not follow): any
    number of items, each an array like ``like`` when they all have its shape (else None)."""

    like: Optional[Array] = None


def uncounted(items: list) -> UnknownItems:
    """``items`` (values, or UnknownItems) as one UnknownItems: like them all if they are alike."""
    parts = [item.like if isinstance(item, UnknownItems) else to_array(item) for item in items]
    shapes = {None if p is None else p.shape for p in parts}
    if not parts or len(shapes) != 1 or None in shapes:
        return UnknownItems()
    return UnknownItems(Array(shapes.pop(), _common_dtype(parts)))


def counted(items: Any) -> bool:
    """Whether a list's (or tuple's) items are all there: no UnknownItems among them."""
    return not any(isinstance(item, UnknownItems) for item in items)


def to_array(value: Any) -> Array | None:
    """``value`` as an array: an Array, a Python scalar or string, or a nested literal list/tuple of them."""
    if isinstance(value, Array):
        return value
    if isinstance(value, bool):
        return Array((), "bool")
    if isinstance(value, int):
        return Array((), "int")
    if isinstance(value, float):
        return Array((), "float")
    if isinstance(value, str):  # an item of an array of strings (class names, categories)
        return Array((), None)
    if isinstance(value, (list, tuple)):
        return _nested(value)
    return None


def _nested(items: list | tuple) -> Array | None:
    """``np.array([[1, 2], [3, 4]])``: rectangular nests of scalars or arrays (a list of
    uncounted items has an unknown first axis)."""
    parts = [item.like if isinstance(item, UnknownItems) else to_array(item) for item in items]
    if any(p is None for p in parts):
        return None
    if not parts:
        return Array((0,), "float")
    shapes = {p.shape for p in parts}
    if len(shapes) != 1 or None in shapes:
        return Array(None, _common_dtype(parts))
    return Array((len(parts) if counted(items) else None,) + shapes.pop(), _common_dtype(parts))


def sequence_lengths(value: Any) -> tuple | None:
    """The lengths of the sequences ``value`` holds: the items of a counted list or tuple of
    lists, tuples and arrays of rank >= 1 (each length an int, or None when unknown), or what
    an object array was made of; None when ``value`` is not such a collection."""
    if isinstance(value, Array):
        return value.item_lengths
    if not isinstance(value, (list, tuple)) or not value or not counted(value):
        return None
    lengths = []
    for item in value:
        if isinstance(item, (list, tuple)):
            lengths.append(len(item) if counted(item) else None)
        elif isinstance(item, Array) and item.shape != ():
            lengths.append(item.shape[0] if item.shape else None)
        else:
            return None
    return tuple(lengths)


def is_ragged(lengths: tuple | None) -> bool:
    """Whether sequences of these lengths certainly differ in length."""
    return lengths is not None and len({n for n in lengths if n is not None}) > 1


def items_dtype(items: Any) -> str | None:
    """The common kind of the values in a list of sequences (None when unknown)."""
    parts = [to_array(item) for item in items]
    return None if any(p is None for p in parts) else _common_dtype(parts)


def _common_dtype(parts: list[Array]) -> str | None:
    kinds = {p.dtype for p in parts}
    if None in kinds:
        return None
    for kind in ("float", "int", "bool"):
        if kind in kinds:
            return kind
    return None


def dtype_kind(value: Any) -> str | None:
    """``'float32'``, ``np.int64``, ``float``... as "float" / "int" / "bool"; None if unknown."""
    text = getattr(value, "text", getattr(value, "qualname", getattr(value, "name", value)))
    if isinstance(value, type):
        text = value.__name__
    if not isinstance(text, str):
        return None
    name = text.rsplit(".", 1)[-1].lower().strip("'\"")
    if name.startswith(("float", "double", "half", "bfloat", "single", "longdouble")):
        return "float"
    if name.startswith(("int", "uint", "long", "short", "byte", "ubyte")):
        return "int"
    if name.startswith("bool"):
        return "bool"
    if name in ("object", "object_", "o"):
        return "object"
    return None


def at(value: Any, position: Position | None) -> Any:
    """Record where an array was created (kept if it already knows)."""
    if isinstance(value, Array) and position is not None and value.position is None:
        return replace(value, position=position)
    return value


def exported_shape(shape: tuple) -> tuple:
    """A shape as a Python value for the frontend: unknown dims become ``UNKNOWN``."""
    return tuple(UNKNOWN if d is None else d for d in shape)


_ON_ARRAYS = frozenset({"tensorflow.one_hot", "keras.ops.one_hot", "keras.ops.nn.one_hot", "tensorflow.cast",
                        "tensorflow.reshape", "tensorflow.expand_dims", "tensorflow.squeeze",
                        "tensorflow.transpose", "tensorflow.image.resize", "tensorflow.clip_by_value"})


def _plain_shape(value: Any) -> bool:
    items = value if isinstance(value, (tuple, list)) else (value,)
    return all(isinstance(d, int) and not isinstance(d, bool) for d in items)


def tensor_op(qualname: str) -> bool:
    """Whether this is a TensorFlow or ``keras.ops`` function followed on arrays (``tf.cast``)."""
    return qualname in _ON_ARRAYS


def follows(qualname: str, args: list, kwargs: dict | None = None) -> bool:
    """Whether a call of this imported name is evaluated here: NumPy, scikit-learn, pandas'
    ``get_dummies``, Keras's ``to_categorical`` and ``pad_sequences``, dataset loaders, image generators and tf.data
    datasets, and a TensorFlow op applied to an array (``tf.cast``, ``tf.one_hot``... in a
    ``Dataset.map`` function; on a model's tensor it is a layer of the model)."""
    from kerascheck.data.numpy_api import TENSORS_FROM_SHAPE, TENSORS_FROM_VALUE
    from kerascheck.data.pipelines import CALLS as PIPELINES
    from kerascheck.data.text import CALLS as TEXT

    if qualname in _ON_ARRAYS:
        return bool(args) and isinstance(args[0], (Array, list))
    # A tensor made from a shape of ints or from an array or literal (a size read from a model's
    # tensor makes the pseudo layer ``ops.filled`` instead).
    if qualname in TENSORS_FROM_SHAPE:
        first = args[0] if args else (kwargs or {}).get("shape", UNKNOWN)
        return first is not UNKNOWN and _plain_shape(first)
    if qualname in TENSORS_FROM_VALUE:
        first = args[0] if args else (kwargs or {}).get("value", UNKNOWN)
        return isinstance(first, (Array, list, tuple, int, float)) and not isinstance(first, bool)
    return (qualname.startswith(("numpy.", "sklearn.")) or qualname in PIPELINES or qualname in TEXT
            or qualname in ("keras.utils.to_categorical", "keras.utils.pad_sequences",
                            "keras.preprocessing.sequence.pad_sequences", "pandas.get_dummies")
            or (qualname.startswith("keras.datasets.") and qualname.endswith(".load_data")))


def evaluate_call(qualname: str, args: tuple, kwargs: dict, position: Position | None = None) -> Any:
    """The value of ``qualname(*args, **kwargs)`` (``numpy.zeros``, ``keras.utils.to_categorical``...)."""
    from kerascheck.data.datasets import LOADERS
    from kerascheck.data.numpy_api import CALLS
    from kerascheck.data.pipelines import CALLS as PIPELINES
    from kerascheck.data.sklearn_api import CALLS as SKLEARN_CALLS
    from kerascheck.data.text import CALLS as TEXT

    name = _canonical(qualname)
    make = CALLS.get(name) or LOADERS.get(name) or SKLEARN_CALLS.get(name) or PIPELINES.get(name) or TEXT.get(name)
    if make is None:
        return UNKNOWN
    try:
        value = make(args, kwargs)
    except ops.Raises:
        raise
    except ops.Unresolved:
        return UNKNOWN
    if isinstance(value, tuple):  # dataset loaders: nested tuples of arrays
        return _positioned(value, position)
    return at(value, position)


def _positioned(value: Any, position: Position | None) -> Any:
    if isinstance(value, tuple):
        return tuple(_positioned(v, position) for v in value)
    return at(value, position)


def _canonical(qualname: str) -> str:
    for prefix, canonical in (("tensorflow.keras.", "keras."), ("tf_keras.", "keras."),
                              ("tensorflow.python.keras.", "keras."), ("np.", "numpy.")):
        if qualname.startswith(prefix):
            return canonical + qualname[len(prefix):]
    return qualname


def evaluate_attribute(array: Array, name: str) -> Any:
    """``X.shape``, ``X.ndim``, ``X.size``, ``X.T`` of a known array."""
    if name == "T":
        return Array(None if array.shape is None else array.shape[::-1], array.dtype, array.position)
    if array.shape is None:
        return UNKNOWN
    if name == "shape":
        return exported_shape(array.shape)
    if name == "ndim":
        return array.ndim
    if name == "size":
        return ops.product(array.shape) if None not in array.shape else UNKNOWN
    if name == "values":  # a DataFrame from pd.get_dummies, as an array
        return array
    return UNKNOWN


def evaluate_method(receiver: Any, name: str, args: tuple, kwargs: dict) -> Any:
    """``X.reshape(...)``, ``X.astype(...)``, ``X.argmax(axis=1)``... of an array,
    ``scaler.fit_transform(X)``... of a scikit-learn estimator, ``tokenizer.texts_to_sequences(texts)``
    of a Keras 2 text tokenizer, ``gen.flow_from_directory(...)``
    of an image generator, ``ds.batch(32)`` of a dataset."""
    from kerascheck.data import pipelines, sklearn_api, text
    from kerascheck.data.numpy_api import METHODS

    if isinstance(receiver, NumpyInt):  # tf.math.reduce_prod(shape).numpy()
        return receiver if name == "numpy" and not args and not kwargs else UNKNOWN
    try:
        if isinstance(receiver, sklearn_api.Estimator):
            return sklearn_api.method(receiver, name, args, kwargs)
        if isinstance(receiver, text.Tokenizer):
            return text.method(receiver, name, args, kwargs)
        if isinstance(receiver, (pipelines.ImageGenerator, pipelines.Dataset)):
            return pipelines.method(receiver, name, args, kwargs)
        method = METHODS.get(name)
        return UNKNOWN if method is None else method(receiver, args, kwargs)
    except ops.Raises:
        raise
    except ops.Unresolved:
        return UNKNOWN


def evaluate_subscript(array: Array, index: Any) -> Any:
    """``X[:800]``, ``X[:, :, 0]``, ``X[..., None]``, ``np.eye(10)[labels]``.

    ``index`` holds ``slice`` objects (their parts may be UNKNOWN), ``Ellipsis``, ``None``,
    ints, integer or boolean ``Array``/lists, UNKNOWN, or a tuple of those.
    """
    if array.shape is None:
        return Array(None, array.dtype, array.position)
    index = tuple(_newaxis(p) for p in index) if isinstance(index, tuple) else _newaxis(index)
    try:
        shape = ops.index(array.shape, index, to_array)
    except ops.Unresolved:
        return Array(None, array.dtype, array.position)
    if shape == ():
        return UNKNOWN if array.dtype is None else Array((), array.dtype, array.position)
    # Rows of one-hot labels (or of np.eye(k), picked by labels) stay one-hot.
    one_hot = array.one_hot and len(shape) == array.ndim and shape[-1] == array.shape[-1]
    lengths = array.item_lengths[index] if array.item_lengths and _literal_slice(index) else None
    return Array(shape, array.dtype, array.position, one_hot=one_hot, item_lengths=lengths)


def _literal_slice(index: Any) -> bool:
    return isinstance(index, slice) and all(part is None or type(part) is int
                                            for part in (index.start, index.stop, index.step))


def row_of(iterable: Any) -> Any:
    """What ``for row in X`` binds for an array: X without its first axis (UNKNOWN otherwise)."""
    if isinstance(iterable, Array) and iterable.shape and (iterable.ndim > 1 or iterable.dtype is not None):
        return Array(iterable.shape[1:], iterable.dtype, iterable.position, iterable.one_hot and iterable.ndim > 1)
    if isinstance(iterable, (list, tuple)) and len(iterable) == 1 and isinstance(iterable[0], UnknownItems) \
            and iterable[0].like is not None:
        return iterable[0].like
    return UNKNOWN


def _newaxis(piece: Any) -> Any:
    """``np.newaxis`` or ``tf.newaxis`` as the frontend may pass it (a symbol) is None."""
    return None if getattr(piece, "qualname", None) in ("numpy.newaxis", "tensorflow.newaxis") else piece


_COMPARISONS = {"<", ">", "<=", ">=", "==", "!="}


def evaluate_binary(op: str, left: Any, right: Any) -> Any:
    """Arithmetic with at least one array operand: NumPy broadcasting (``@`` is matmul)."""
    a, b = to_array(left), to_array(right)
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    try:
        shape = ops.matmul(a.shape, b.shape) if op == "@" else ops.broadcast(a.shape, b.shape)
    except ops.Unresolved:
        return UNKNOWN
    if op in _COMPARISONS:
        dtype = "bool"
    elif op == "/":
        dtype = "float"
    else:
        dtype = _common_dtype([a, b])
    position = a.position if isinstance(left, Array) else b.position
    return Array(shape, dtype, position)
