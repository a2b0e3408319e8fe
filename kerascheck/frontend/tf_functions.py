"""TensorFlow functions that Keras 3 refuses to run on a KerasTensor, with their ``keras.ops`` twin.

A KerasTensor (a functional model's ``Input`` or a layer's output on one) raises as soon as a
TensorFlow function converts it to a tensor: ``ValueError: A KerasTensor cannot be used as input
to a TensorFlow function``. Keras 2 (tf-keras) wrapped such calls in ``TFOpLambda`` layers
instead. Only functions checked to raise (tests/frontend/test_tf_ops.py runs each one on a
KerasTensor in Keras 3) are listed: ``tf.print`` or ``tf.nest`` functions, for one, do not raise.
"""

from __future__ import annotations

from typing import Any

from kerascheck.frontend.graphs import CallRecord, Tensor
from kerascheck.graph import InputSpec

# tf function (canonical, after ``tensorflow.``) -> the keras.ops function computing the same
# (None: no single equivalent; a Lambda layer or a layer does it).
_SAME = ("reshape", "expand_dims", "squeeze", "transpose", "stack", "unstack", "split", "tile", "cast",
         "shape", "size", "add", "subtract", "multiply", "divide", "matmul", "einsum", "argmax", "argmin",
         "abs", "exp", "sqrt", "square", "maximum", "minimum", "where", "one_hot", "pad", "ones_like",
         "zeros_like", "sigmoid", "tanh", "sort", "argsort", "roll", "convert_to_tensor", "sign", "round",
         "floor", "norm", "tensordot", "broadcast_to", "stop_gradient", "cumsum")
_REDUCTIONS = {"reduce_mean": "mean", "reduce_sum": "sum", "reduce_max": "max", "reduce_min": "min",
               "reduce_prod": "prod", "reduce_any": "any", "reduce_all": "all"}
_MATH = ("reduce_mean", "reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "add", "subtract",
         "multiply", "divide", "square", "sqrt", "exp", "abs", "sigmoid", "tanh", "maximum", "minimum",
         "argmax", "argmin", "sign", "round", "floor", "cumsum")
_NN = ("relu", "relu6", "elu", "selu", "gelu", "silu", "leaky_relu", "softmax", "log_softmax", "sigmoid",
       "tanh", "moments", "softplus")

TF_FUNCTIONS: dict[str, str | None] = {
    **{f"tensorflow.{name}": name for name in _SAME},
    **{f"tensorflow.{name}": op for name, op in _REDUCTIONS.items()},
    "tensorflow.concat": "concatenate", "tensorflow.gather": "take", "tensorflow.pow": "power",
    "tensorflow.clip_by_value": "clip", "tensorflow.reverse": "flip", "tensorflow.identity": "copy",
    "tensorflow.rank": "ndim", "tensorflow.boolean_mask": None,
    **{f"tensorflow.math.{name}": _REDUCTIONS.get(name, name) for name in _MATH},
    "tensorflow.math.log": "log", "tensorflow.math.log1p": "log1p", "tensorflow.math.ceil": "ceil",
    "tensorflow.math.pow": "power", "tensorflow.math.reduce_std": "std", "tensorflow.math.reduce_variance": "var",
    "tensorflow.math.l2_normalize": "normalize", "tensorflow.math.softplus": "softplus",
    **{f"tensorflow.nn.{name}": name for name in _NN},
    "tensorflow.nn.swish": "silu", "tensorflow.nn.l2_normalize": "normalize", "tensorflow.nn.dropout": None,
    "tensorflow.linalg.matmul": "matmul", "tensorflow.linalg.norm": "norm", "tensorflow.linalg.einsum": "einsum",
    "tensorflow.linalg.l2_normalize": "normalize", "tensorflow.linalg.tensordot": "tensordot",
    "tensorflow.image.resize": "image.resize",
}


def keras_replacement(qualname: str) -> str:
    """What to write instead of the TensorFlow function ``qualname`` on a KerasTensor."""
    op = TF_FUNCTIONS.get(qualname)
    if qualname == "tensorflow.nn.dropout":
        return "use a keras.layers.Dropout layer"
    if op is None:
        return "wrap the TensorFlow call in a keras.layers.Lambda layer"
    return f"use keras.ops.{op} (or wrap the TensorFlow call in a keras.layers.Lambda layer)"


# keras.ops functions whose result on a KerasTensor is not a KerasTensor (a tuple, a bool, a dtype).
_NOT_TENSOR_OPS = frozenset({"shape", "is_tensor", "dtype", "convert_to_numpy", "standardize_dtype"})


def gives_keras_tensors(qualname: str) -> bool:
    """Whether a function's result on KerasTensors is one too: the keras.ops that compute tensors."""
    return qualname.startswith("keras.ops.") and qualname.rsplit(".", 1)[1] not in _NOT_TENSOR_OPS


def keras_tensor_among(values: list[Any], keras_inputs: set[int], opaque: dict[int, Tensor]) -> bool:
    """Whether a value is certainly a KerasTensor: an ``Input`` of a functional graph (its spec's
    id in ``keras_inputs``), a layer output computed from one, or arithmetic, indexing or a
    keras.ops function on one. Results of other functions (ids in ``opaque``) or of functions
    kerascheck does not know are not certain."""
    stack: list[Any] = list(values)
    seen: set[int] = set()
    while stack:
        value = stack.pop()
        if isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, Tensor) and id(value) not in seen:
            seen.add(id(value))
            producer = value.producer
            if isinstance(producer, InputSpec) and id(producer) in keras_inputs:
                return True
            if isinstance(producer, CallRecord) and id(producer) not in seen:
                seen.add(id(producer))
                stack.append(producer.inputs)
            elif producer is None and value.complete and id(value) not in opaque:
                stack.extend(value.parents)
    return False
