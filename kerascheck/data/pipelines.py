"""Data given to fit/evaluate/predict as batches: Keras image generators and tf.data datasets.

``CALLS`` makes values of calls (``ImageDataGenerator(...)``, ``image_dataset_from_directory``,
``tf.data.Dataset.from_tensor_slices``), ``method`` the results of their methods (``flow``,
``flow_from_directory``, ``batch``, ``shuffle``...). What Keras sees at each step is a ``Batches``.

Keras facts worth knowing (Keras 3 and tf-keras alike):
- ``flow_from_directory``/``flow_from_dataframe`` give images ``(batch,) + target_size +
  (channels,)`` (channels 3 for ``color_mode='rgb'``, 1 for ``'grayscale'``, 4 for ``'rgba'``;
  first under ``data_format='channels_first'``), ``target_size`` (256, 256) by default; labels by
  ``class_mode``: ``'categorical'`` (the default) ``(batch, classes)``, ``'binary'``/``'sparse'``
  ``(batch,)``, ``'input'`` the images, None none. ``flow(x, y)`` batches 4D arrays.
- ``image_dataset_from_directory`` gives images ``(batch,) + image_size + (channels,)`` and
  labels by ``label_mode``: ``'int'`` (default) ``(batch,)``, ``'categorical'`` ``(batch,
  classes)``, ``'binary'`` ``(batch, 1)``, None none; ``batch_size=None`` gives single images.
- ``Dataset.from_tensor_slices(x)`` / ``((x, y))`` gives one sample per element; ``batch(n)``
  (and ``padded_batch(n)`` without ``padded_shapes``, which pads to the longest element) adds the batch axis,
  ``unbatch()`` removes it; ``shuffle``/``prefetch``/``repeat``/``cache``/``take``/``skip`` keep
  the elements; ``map(fn)`` calls ``fn`` on each element, a tuple spread over its parameters.
  Keras uses each element of a dataset as one batch.
- ``map(fn)`` traces ``fn`` in graph mode: its arguments are symbolic tensors. TensorFlow ops,
  arithmetic (with NumPy constants too), ``.shape``/``.ndim`` and slicing with ints, slices,
  ``...`` and None work on them; a NumPy function raises (``Cannot convert a symbolic
  tf.Tensor to a numpy array``), as does what converts through NumPy (scikit-learn, pandas,
  tf-keras's ``to_categorical``); array methods (``.reshape``) and attributes other than those
  do not exist; indexing by an array fails, and by a list is indexing by a tuple (``a[[0, 1]]``
  is ``a[0, 1]``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Optional

from kerascheck.data import ops
from kerascheck.data.arrays import Array, follows, tensor_op, to_array
from kerascheck.graph import UNKNOWN


TENSOR_ATTRIBUTES = frozenset({"shape", "ndim"})  # of a symbolic tensor, as of an array


def traced_call_fails(qualname: str, args: list, kwargs: dict) -> bool:
    """Whether this call, followed on arrays, may fail on a traced function's symbolic tensors:
    a call through NumPy given an array (NumPy on constants runs as usual)."""
    return follows(qualname, args, kwargs) and not tensor_op(qualname) and _holds_array((args, kwargs))


def traced_index_fails(index: Any) -> bool:
    """Whether indexing a symbolic tensor by ``index`` fails or differs from NumPy: by an array
    or a list."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(part, (Array, list)) for part in parts)


def _holds_array(value: Any) -> bool:
    if isinstance(value, Array):
        return True
    if isinstance(value, (tuple, list)):
        return any(_holds_array(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_array(v) for v in value.values())
    return False


@dataclass(frozen=True)
class Batches:
    """What Keras gets at each step from a generator or dataset: the features, and the labels
    (None: the elements have none; UNKNOWN: not known), as arrays of that step's shape."""

    x: Any
    y: Any = None
    unbatched: bool = False  # a dataset whose elements are single samples


class ImageGenerator:
    """``ImageDataGenerator(...)``: its ``data_format``."""

    def __init__(self, kwargs: dict) -> None:
        self.channels_first = kwargs.get("data_format") == "channels_first"


class Dataset:
    """A ``tf.data.Dataset`` with a literal structure: its element's arrays (a tuple for
    ``(x, y)``), and whether elements are batches (``batch`` was applied)."""

    def __init__(self, element: Any, batched: bool, elements: float | None = None,
                 first_batch: int | None = None) -> None:
        self.element = element
        self.batched = batched
        self.elements = elements  # how many elements (samples before batching), when known; inf: endless
        self.first_batch = first_batch  # the size of the first batch, when known

    def mapped(self, result: Any) -> Dataset:
        """The dataset ``map`` makes when its function returns ``result`` for one element."""
        return Dataset(_element(result), self.batched, self.elements, self.first_batch)

    def first_element(self) -> Any:
        """What a ``for`` loop over the dataset gets first: an element, of the first batch's
        size once batched (an eager loop sees the real size; fit sees None)."""
        if not self.batched or self.first_batch is None:
            return self.element
        return _with_batch(self.element, self.first_batch)

    def as_batches(self) -> Batches:
        """Keras uses each element as one batch (an unbatched element is taken as a batch too)."""
        element, single = self.element, not self.batched
        if isinstance(element, tuple) and len(element) in (2, 3):
            return Batches(element[0], element[1], single)
        return Batches(element, None, single) if isinstance(element, Array) else Batches(UNKNOWN, UNKNOWN)


_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


def _images(size: Any, color_mode: Any, channels_first: bool, batch: bool = True) -> Array:
    dims = ops.shape_arg(size)
    channels = _CHANNELS.get(color_mode) if isinstance(color_mode, str) else None
    if len(dims) != 2 or channels is None:
        raise ops.Unresolved(size)
    shape = (channels,) + dims if channels_first else dims + (channels,)
    return Array(((None,) if batch else ()) + shape, "float")


def _class_count(classes: Any) -> Optional[int]:
    return len(classes) if isinstance(classes, (list, tuple)) else None


def _generator_labels(class_mode: Any, images: Array, classes: Any) -> Any:
    if class_mode is None:
        return None
    if class_mode == "categorical":
        return Array((None, _class_count(classes)), "float", one_hot=True)
    if class_mode in ("binary", "sparse"):
        return Array((None,), "float")
    if class_mode == "input":
        return images
    return UNKNOWN  # 'raw', 'multi_output': the dataframe's columns decide


def _from_directory(generator: ImageGenerator, kwargs: dict) -> Batches:
    images = _images(kwargs.get("target_size", (256, 256)), kwargs.get("color_mode", "rgb"),
                     generator.channels_first)
    return Batches(images, _generator_labels(kwargs.get("class_mode", "categorical"), images,
                                             kwargs.get("classes")))


def _flow(args: tuple, kwargs: dict) -> Batches:
    x = to_array(args[0] if args else kwargs.get("x"))
    if x is None or x.shape is None or len(x.shape) != 4:
        raise ops.Unresolved(x)  # flow needs rank-4 images (else it raises)
    y = args[1] if len(args) > 1 else kwargs.get("y")
    labels = None if y is None else to_array(y)
    if labels is not None:
        labels = UNKNOWN if labels.shape is None else \
            Array((None,) + labels.shape[1:], labels.dtype, labels.position, labels.one_hot)
    return Batches(Array((None,) + x.shape[1:], x.dtype, x.position), UNKNOWN if y is not None and labels is None
                   else labels)


def _image_dataset(args: tuple, kwargs: dict) -> Dataset:
    batch_size = kwargs.get("batch_size", 32)
    images = _images(kwargs.get("image_size", (256, 256)), kwargs.get("color_mode", "rgb"), False,
                     batch=batch_size is not None)
    batch = (None,) if batch_size is not None else ()
    mode = kwargs.get("label_mode", "int")
    if mode is None or kwargs.get("labels", "inferred") is None:
        return Dataset(images, batched=True)
    classes = _class_count(kwargs.get("class_names"))
    labels = {"int": Array(batch, "int"), "binary": Array(batch + (1,), "float"),
              "categorical": Array(batch + (classes,), "float", one_hot=True)}.get(mode, UNKNOWN)
    return Dataset((images, labels), batched=True)


def _from_tensor_slices(args: tuple, kwargs: dict) -> Dataset:
    """One element per sample: each array without its first axis."""
    def sliced(value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(sliced(v) for v in value)
        array = to_array(value)
        if array is None or not array.shape:
            return UNKNOWN
        return Array(array.shape[1:], array.dtype, array.position, array.one_hot and array.ndim > 1)
    tensors = args[0] if args else kwargs.get("tensors", UNKNOWN)
    first = to_array(tensors[0] if isinstance(tensors, tuple) and tensors else tensors)
    samples = first.shape[0] if first is not None and first.shape and ops.is_int(first.shape[0]) else None
    return Dataset(sliced(tensors), batched=False, elements=samples)


def _timeseries_dataset(args: tuple, kwargs: dict) -> Dataset:
    """``timeseries_dataset_from_array(data, targets, sequence_length, batch_size=128)``: windows
    ``(batch, None) + data.shape[1:]``, each with the target of its first step (``(batch,) +
    targets.shape[1:]``); no targets (None): the windows alone. The window axis is None as Keras
    sees it (the element spec): a model's input check passes whatever ``sequence_length``, and
    only a layer whose weights depend on that length fails, when it runs."""
    names = ("data", "targets", "sequence_length", "sequence_stride", "sampling_rate", "batch_size")
    values = {**dict(zip(names, args)), **kwargs}
    data = to_array(values.get("data"))
    batch_size = values.get("batch_size", 128)
    batch = (None,) if batch_size is not None else ()
    windows = Array(batch + (None,) + data.shape[1:], data.dtype) if data is not None and data.shape else UNKNOWN
    if "targets" in values and values["targets"] is None:
        return Dataset(windows, batched=batch_size is not None)
    targets = to_array(values.get("targets", UNKNOWN))
    labels = Array(batch + targets.shape[1:], targets.dtype) if targets is not None and targets.shape else UNKNOWN
    return Dataset((windows, labels), batched=batch_size is not None)


def _make_generator(args: tuple, kwargs: dict) -> ImageGenerator:
    return ImageGenerator(kwargs)


CALLS: dict[str, Callable[[tuple, dict], Any]] = {
    "keras.preprocessing.image.ImageDataGenerator": _make_generator,
    "keras.legacy.preprocessing.image.ImageDataGenerator": _make_generator,
    "keras._legacy.preprocessing.image.ImageDataGenerator": _make_generator,  # where Keras 3.15 keeps it
    "keras.utils.image_dataset_from_directory": _image_dataset,
    "keras.preprocessing.image_dataset_from_directory": _image_dataset,
    "tensorflow.data.Dataset.from_tensor_slices": _from_tensor_slices,
    "keras.utils.timeseries_dataset_from_array": _timeseries_dataset,
    "keras.preprocessing.timeseries_dataset_from_array": _timeseries_dataset,
}
_KEEP_ELEMENTS = frozenset({"shuffle", "prefetch", "repeat", "cache", "take", "skip"})


def method(receiver: Any, name: str, args: tuple, kwargs: dict) -> Any:
    """``generator.flow_from_directory(...)``, ``dataset.batch(32)``..."""
    if isinstance(receiver, ImageGenerator):
        if name in ("flow_from_directory", "flow_from_dataframe"):
            return _from_directory(receiver, kwargs)
        if name == "flow":
            return _flow(args, kwargs)
    elif isinstance(receiver, Dataset):
        if name in _KEEP_ELEMENTS:
            if name in ("shuffle", "prefetch", "cache"):
                return receiver
            # take, skip and repeat change how many elements there are; skip, which batch is first
            elements = None
            if name == "repeat" and receiver.elements:
                count = args[0] if args else kwargs.get("count")
                elements = math.inf if count is None else receiver.elements * count if ops.is_int(count) else None
            return Dataset(receiver.element, receiver.batched, elements,
                           receiver.first_batch if name != "skip" else None)
        if (name == "batch" or (name == "padded_batch" and len(args) < 2 and "padded_shapes" not in kwargs)) \
                and not receiver.batched:
            size = args[0] if args else kwargs.get("batch_size")
            first = min(size, receiver.elements) if ops.is_int(size) and receiver.elements is not None else None
            whole = (args[1] if len(args) > 1 else kwargs.get("drop_remainder")) is True and ops.is_int(size)
            return Dataset(_batched(receiver.element, size if whole else None), batched=True, first_batch=first or None)
        if name == "unbatch" and receiver.batched:
            return Dataset(_unbatched(receiver.element), batched=False)
    raise ops.Unresolved(name)


def _element(value: Any) -> Any:
    """A mapped function's result as an element: arrays (tuples of them) kept, the rest unknown."""
    if isinstance(value, tuple):
        return tuple(_element(v) for v in value)
    return value if isinstance(value, Array) else UNKNOWN


def _unbatched(element: Any) -> Any:
    if isinstance(element, tuple):
        return tuple(_unbatched(e) for e in element)
    if isinstance(element, Array) and element.shape:
        return Array(element.shape[1:], element.dtype, element.position, element.one_hot and element.ndim > 1)
    return UNKNOWN


def _with_batch(element: Any, size: int) -> Any:
    if isinstance(element, tuple):
        return tuple(_with_batch(e, size) for e in element)
    if isinstance(element, Array) and element.shape:
        return Array((size,) + element.shape[1:], element.dtype, element.position, element.one_hot)
    return element


def _batched(element: Any, size: int | None = None) -> Any:
    """Batches of ``size`` samples (None: the last batch may be smaller, so the batch axis is
    None, as in the element spec; ``drop_remainder=True`` keeps it static)."""
    if isinstance(element, tuple):
        return tuple(_batched(e, size) for e in element)
    if isinstance(element, Array) and element.shape is not None:
        return Array((size,) + element.shape, element.dtype, element.position, element.one_hot)
    return UNKNOWN


def batches(value: Any) -> Optional[Batches]:
    """``value`` as the batches fit/evaluate/predict get, if it is a generator or dataset."""
    if isinstance(value, Batches):
        return value
    if isinstance(value, Dataset):
        return value.as_batches()
    return None
