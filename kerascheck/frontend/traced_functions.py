"""TensorFlow and Keras backend functions where Keras runs them on backend tensors (a Lambda's
function, a layer's or a subclassed model's ``call``), as the ``keras.ops`` function each equals.

``K.sum(K.square(x - y), axis=1, keepdims=True)`` in a siamese network's distance Lambda and
``tf.reduce_mean(x, axis=1)`` in a layer's ``call`` compute what ``keras.ops.sum``/``keras.ops.mean``
do with the same arguments; the legacy backend (``keras.backend`` in Keras 2, ``tf.keras.backend``
under Keras 3) gives ``expand_dims`` and ``concatenate`` an axis of -1 by default. Only functions
whose parameters mean the same are listed: ``tf.argmax`` (axis 0 by default, where
``keras.ops.argmax`` flattens) and ``tf.math.cumsum`` are not.
"""

from __future__ import annotations

from typing import Any

_ELEMENTWISE = ("abs", "exp", "log", "sqrt", "square", "sign", "round", "floor", "sigmoid", "tanh", "relu",
                "softplus", "softsign", "elu", "selu", "ones_like", "zeros_like", "stop_gradient", "maximum",
                "minimum")
_REDUCTIONS = ("mean", "sum", "max", "min", "prod", "std", "var", "any", "all")
_TENSORFLOW = {
    **{f"tensorflow.{name}": name for name in ("abs", "exp", "sqrt", "square", "sign", "round", "floor", "sigmoid",
                                                "tanh", "maximum", "minimum", "add", "subtract", "multiply",
                                                "divide", "ones_like", "zeros_like", "stop_gradient")},
    **{f"tensorflow.math.{name}": name for name in ("abs", "exp", "log", "log1p", "sqrt", "square", "sign",
                                                     "round", "floor", "ceil", "sigmoid", "tanh", "maximum",
                                                     "minimum", "add", "subtract", "multiply", "divide")},
    **{f"tensorflow.{prefix}reduce_{name}": name for prefix in ("", "math.")
       for name in ("mean", "sum", "max", "min", "prod", "any", "all")},
    **{f"tensorflow.nn.{name}": name for name in ("relu", "relu6", "elu", "selu", "sigmoid", "tanh", "softplus",
                                                   "softsign")},
    "tensorflow.math.reduce_std": "std", "tensorflow.math.reduce_variance": "var",
}
_BACKEND = {f"keras.backend.{name}": name for name in (*_ELEMENTWISE, *_REDUCTIONS)}
_LAST_AXIS_DEFAULT = {"keras.backend.expand_dims": "expand_dims", "keras.backend.concatenate": "concatenate"}


def traced_op(qualname: str, args: list[Any], kwargs: dict[str, Any]) -> tuple[str, list[Any], dict[str, Any]] | None:
    """The keras.ops function ``qualname`` computes on backend tensors, with its arguments as
    keras.ops takes them, or None."""
    kwargs = {k: v for k, v in kwargs.items() if k != "name"}
    if qualname in _LAST_AXIS_DEFAULT:
        if len(args) < 2 and "axis" not in kwargs:
            kwargs = {**kwargs, "axis": -1}
        return _LAST_AXIS_DEFAULT[qualname], args, {"xs" if k == "tensors" else k: v for k, v in kwargs.items()}
    op = _TENSORFLOW.get(qualname) or _BACKEND.get(qualname)
    if op is None:
        return None
    if op in _REDUCTIONS:
        given = [kwargs.pop(k) for k in ("input_tensor", "x") if k in kwargs]
        renamed = {"axis" if k == "reduction_indices" else k: v for k, v in kwargs.items()}
        return op, [*(args[:1] or given[:1]), *args[1:]], renamed
    if kwargs:
        return None  # tf.math.sigmoid(x, name=...) aside, any keyword may mean something keras.ops lacks
    return op, args, {}
