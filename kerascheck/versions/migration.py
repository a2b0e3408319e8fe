"""Candidate fixes for code written for older Keras (KC521, KC522, KC528, KC529, KC650, KC651,
KC652); ``fixes.verify`` offers each only when making it on the model graph removes the problem
and adds none.

Facts (Keras 3.15, tf-keras 2.21): ``fit(generator)``, ``evaluate(generator, steps=)`` and
``predict(generator, steps=)`` take what ``*_generator`` took, less the worker arguments Keras 3
removed (``max_queue_size``, ``workers``, ``use_multiprocessing``). A layer's ``input_dim=n``
means ``input_shape=(n,)`` (Keras 3 warns); Keras 2's recurrent layers read ``input_length=t``
with ``input_dim=n`` as ``input_shape=(t, n)``, and only the first layer of a model uses it:
elsewhere it was ignored, and Keras 3 rejects it.
"""

from __future__ import annotations

from kerascheck.graph import DataCall, LayerNode, ModelGraph
from kerascheck.repairs import (
    Fix,
    GroupKeywords,
    GroupPositional,
    MoveKeywordToInput,
    RemoveKeyword,
    RenameMethod,
    SetKeyword,
)

GENERATOR_METHODS = {"fit_generator": "fit", "evaluate_generator": "evaluate", "predict_generator": "predict"}

# Arguments whose removal changes nothing of what is computed (only speed, or printing).
HARMLESS_LAYER_ARGUMENTS = frozenset({"consume_less", "implementation", "dynamic"})
HARMLESS_METHOD_ARGUMENTS = frozenset({"show_accuracy", "max_queue_size", "workers", "use_multiprocessing"})

_INPUT_KEYWORDS = ("input_shape", "batch_input_shape", "batch_size")
_DATA_FORMATS = {"tf": "channels_last", "th": "channels_first"}  # Keras 1 dim_ordering values


def generator_method_fix(call: DataCall, version: int) -> Fix | None:
    """KC529: ``fit_generator(gen, 100, 5)`` -> ``fit(gen, steps_per_epoch=100, epochs=5)``."""
    from kerascheck.versions.tables import signatures

    new = GENERATOR_METHODS.get(call.method)
    old = signatures.METHODS[2].get(call.method)
    target = signatures.METHODS[version].get(new)
    if new is None or old is None or target is None:
        return None
    named = {"generator": "x"} if "x" in target[0] else {}
    if "epochs" in target[0] and "epochs" not in call.args:
        named["nb_epoch"] = "epochs"  # Keras 1's name, often met in the same call
    given = [named.get(k, k) for k in call.args if not k.startswith("_")]
    dropped = tuple(k for k in given if k not in target[0] and k in HARMLESS_METHOD_ARGUMENTS)
    if any(k not in target[0] and k not in dropped for k in given):
        return None
    verb = f"call {new}() instead of {call.method}()"
    return Fix(verb + (f" and drop {', '.join(d + '=' for d in dropped)}" if dropped else ""),
               (RenameMethod(call.position, new, old[0], tuple(named.items()), dropped),))


def method_argument_fix(call: DataCall, name: str) -> Fix | None:
    """KC522/KC528: drop ``show_accuracy=``, ``workers=``... from a fit/evaluate/predict call."""
    if name not in HARMLESS_METHOD_ARGUMENTS:
        return None
    return Fix(f"remove {name}=", (RemoveKeyword(call.position, name),))


def layer_argument_fix(model: ModelGraph | None, node: LayerNode, name: str) -> Fix | None:
    """KC521/KC522: drop an argument that changes nothing computed, or ``input_length=``/
    ``batch_size=`` where Keras 2 ignored them; on the layer declaring the input, they join
    ``input_dim=``/``input_shape=`` in an ``Input`` before it."""
    if name in HARMLESS_LAYER_ARGUMENTS:
        return Fix(f"remove {name}=", (RemoveKeyword(node.position, name),))
    if name == "dim_ordering":
        return _data_format_fix(node)
    if name in ("nb_row", "nb_col"):
        return _kernel_keywords_fix(node)
    if name not in ("input_length", "batch_size") or model is None:
        return None
    if _declares_input(model, node):
        if name == "batch_size":
            return input_shape_batch_fix(model, node)
        return input_dim_fix(model, node)
    return ignored_input_argument_fix(model, node, name)


def ignored_input_argument_fix(model: ModelGraph | None, node: LayerNode, name: str) -> Fix | None:
    """``input_shape=``/``input_dim=``/``input_length=`` on a layer whose model takes its input
    elsewhere (an Input, or an earlier layer): Keras ignores it there, so it goes."""
    if model is None or not model.declared_inputs or any(spec.position == node.position for spec in model.inputs):
        return None
    return Fix(f"remove {name}= (only the layer declaring a model's input uses it)",
               (RemoveKeyword(node.position, name),))


def _kernel_keywords_fix(node: LayerNode) -> Fix | None:
    """Keras 1's ``nb_row=3, nb_col=5`` -> ``kernel_size=(3, 5)``."""
    if "kernel_size" in node.kwargs or not {"nb_row", "nb_col"} <= node.kwargs.keys() or len(node.args) > 1:
        return None
    return Fix("write nb_row= and nb_col= as kernel_size=(nb_row, nb_col)",
               (GroupKeywords(node.position, ("nb_row", "nb_col"), "kernel_size"),))


def _data_format_fix(node: LayerNode) -> Fix | None:
    """``dim_ordering='tf'`` -> ``data_format='channels_last'`` ('th': channels_first)."""
    value = _DATA_FORMATS.get(node.kwargs.get("dim_ordering"))
    if value is None or "data_format" in node.kwargs:
        return None
    return Fix(f"replace dim_ordering= by data_format='{value}'",
               (RemoveKeyword(node.position, "dim_ordering"), SetKeyword(node.position, "data_format", repr(value))))


def input_dim_fix(model: ModelGraph | None, node: LayerNode) -> Fix | None:
    """KC650/KC521 on the first layer of a Sequential: ``input_dim=n`` (and ``input_length=t``)
    -> an ``Input(shape=(n,))`` (``(t, n)``) before the layer."""
    if model is None or not _declares_input(model, node) or "input_dim" not in node.kwargs \
            or any(k in node.kwargs for k in _INPUT_KEYWORDS):
        return None
    if "input_length" in node.kwargs:
        return Fix("move input_length= and input_dim= into an Input(shape=(input_length, input_dim)) before the layer",
                   (MoveKeywordToInput(node.position, "input_dim", "shape", True, ("input_length",)),))
    return Fix("move input_dim= into an Input(shape=(input_dim,)) before the layer",
               (MoveKeywordToInput(node.position, "input_dim", "shape", True),))


def input_shape_batch_fix(model: ModelGraph | None, node: LayerNode) -> Fix | None:
    """KC521/KC650: ``input_shape=s, batch_size=n`` on the first layer of a Sequential ->
    ``Input(shape=s, batch_size=n)`` before it (Keras 2 made that the model's batch shape)."""
    if model is None or not _declares_input(model, node) or "batch_input_shape" in node.kwargs \
            or "input_dim" in node.kwargs or not {"input_shape", "batch_size"} <= node.kwargs.keys():
        return None
    return Fix("move input_shape= and batch_size= into an Input(shape=..., batch_size=...) before the layer",
               (MoveKeywordToInput(node.position, "input_shape", "shape", batch_size=True),))


def _declares_input(model: ModelGraph, node: LayerNode) -> bool:
    """Whether ``node`` is the one first layer whose arguments give a Sequential its input."""
    spec = model.inputs[0] if model.inputs else None
    if model.kind != "sequential" or spec is None or not spec.from_layer_argument:
        return False
    firsts = [c for c in model.calls if isinstance(c.layer, LayerNode) and c.layer.position == node.position]
    return spec.position == node.position and len(firsts) == 1 and model.calls[0] is firsts[0]


def embedding_length_fix(model: ModelGraph | None, node: LayerNode) -> Fix | None:
    """KC651: an Embedding's ``input_length=t`` becomes ``Input(shape=(t,))`` when the Embedding
    starts a Sequential with no input (Keras 2 made that the model's input); it goes when the
    model has its input already."""
    if model is None or model.kind != "sequential" or not model.calls or model.calls[0].layer is not node:
        return ignored_input_argument_fix(model, node, "input_length")
    if model.declared_inputs or any(k in node.kwargs for k in _INPUT_KEYWORDS) \
            or sum(c.layer is node for c in model.calls) != 1:
        return ignored_input_argument_fix(model, node, "input_length")
    return Fix("move input_length= into an Input(shape=(input_length,)) before the layer",
               (MoveKeywordToInput(node.position, "input_length", "shape", True),))


def positional_kernel_fix(node: LayerNode, rank: int) -> Fix | None:
    """KC652: Keras 1's ``Convolution2D(32, 3, 3)`` -> ``Convolution2D(32, (3, 3))``, when the
    kernel sizes are the only arguments after the filters (a Keras 1 ``init`` could follow)."""
    if len(node.args) != 1 + rank:
        return None
    return Fix(f"write the {rank} kernel sizes as one kernel_size tuple", (GroupPositional(node.position, 1, rank),))
