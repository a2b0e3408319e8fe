"""A model's use of the Keras API against the targeted version's real signatures.

Layer keywords are checked against ``signatures.LAYERS`` (what each constructor accepts in
Keras 3 and in tf-keras), fit/evaluate/predict keywords against ``signatures.METHODS``. A layer
type that neither version knows is a custom layer: it is left alone.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from kerascheck.diagnostics import WARNING, Diagnostic, diagnostic
from kerascheck.graph import UNKNOWN, DataCall, LayerNode, ModelGraph, Opaque, Position
from kerascheck.repairs import Fix, MoveKeywordToInput, RemoveKeyword, RenameKeyword
from kerascheck.versions.migration import (
    embedding_length_fix,
    generator_method_fix,
    ignored_input_argument_fix,
    input_dim_fix,
    input_shape_batch_fix,
    layer_argument_fix,
    method_argument_fix,
    positional_kernel_fix,
)
from kerascheck.versions.tables import signatures
from kerascheck.versions.renames import (
    KERAS1_ARGUMENTS,
    KERAS1_METHOD_ARGUMENTS,
    KERAS2_LAYER_RANGES,
    REMOVED_IN_KERAS3,
    REMOVED_LAYERS,
    REMOVED_METHODS,
    SAME_VALUE_RENAMES,
    SEQUENTIAL_UNTIL_TF26,
)
from kerascheck.versions.releases import shipped_until
from kerascheck.versions.stateful import check_stateful

_KERAS1_CONVOLUTIONS = {"Convolution2D": 2, "Convolution3D": 3}
_MERGE_MODES = {
    "concat": "use Concatenate()([a, b])",
    "sum": "use Add()([a, b])",
    "mul": "use Multiply()([a, b])",
    "ave": "use Average()([a, b])",
    "max": "use Maximum()([a, b])",
    "dot": "use Dot(axes=...)([a, b])",
    "cos": "use Dot(axes=..., normalize=True)([a, b])",
}


def check_api(model: ModelGraph, version: int) -> list[Diagnostic]:
    """Every layer argument, fit/evaluate/predict argument and stateful-RNN use in ``model``."""
    found: list[Diagnostic] = []
    first = _first_layer(model)
    nodes = layer_nodes(model)
    for node in nodes:
        found.extend(check_layer(node, version, node is first, model))
    for call in model.data_calls:
        found.extend(check_method_call(call, version, model.kind == "sequential"))
    found.extend(check_stateful(model, nodes))
    return found


def _first_layer(model: ModelGraph) -> LayerNode | None:
    """The layer that declares a Sequential's input by its arguments, when an ``Input`` can be
    put before it: the first call, written once (not in a loop), no Input already."""
    inputs = model.declared_inputs
    if model.kind != "sequential" or not model.calls or (inputs and not inputs[0].from_layer_argument):
        return None
    first = model.calls[0].layer
    if not isinstance(first, LayerNode):
        return None
    same_place = [c for c in model.calls if isinstance(c.layer, LayerNode) and c.layer.position == first.position]
    return first if len(same_place) == 1 else None


def layer_nodes(model: ModelGraph) -> list[LayerNode]:
    """Each layer of the model once, in call order, wrapped layers after their wrapper."""
    seen: dict[int, LayerNode] = {}
    for call in model.calls:
        if isinstance(call.layer, LayerNode):
            _add_with_wrapped(call.layer, seen)
    return list(seen.values())


def _add_with_wrapped(node: LayerNode, seen: dict[int, LayerNode]) -> None:
    seen.setdefault(id(node), node)
    for value in (*node.args, *node.kwargs.values()):
        if isinstance(value, LayerNode):
            _add_with_wrapped(value, seen)


@lru_cache(maxsize=None)
def accepted_keywords(layer_type: str, version: int) -> frozenset[str] | None:
    """The keywords a Keras class accepts, or None when it takes any (or is unknown)."""
    entry = signatures.LAYERS[version].get(layer_type)
    return None if entry is None or entry[2] is None else frozenset(entry[2])


def check_layer(node: LayerNode, version: int, first: bool = False,
                model: ModelGraph | None = None) -> list[Diagnostic]:
    """One layer's class and keyword arguments under ``version``; ``first``: the layer that
    declares a Sequential's input (its input arguments can move to an ``Input``); ``model``
    (the layer's), whose structure decides some migration fixes."""
    table = signatures.LAYERS[version]
    if node.type not in table:
        if node.type in REMOVED_LAYERS:
            hint = _MERGE_MODES.get(node.kwargs.get("mode")) if node.type == "Merge" else None
            shipped = KERAS2_LAYER_RANGES.get(node.type) if version == 2 else None
            if shipped is not None:  # early standalone Keras 2 releases have it; the node may come from there
                told = shipped_until("KC523", node.position, shipped, hint or REMOVED_LAYERS[node.type],
                                     model.keras_releases if model is not None else None, layer=node.type)
                return [told] if told is not None else []
            return [diagnostic("KC523", node.position, hint or REMOVED_LAYERS[node.type], layer=node.type,
                               version=version)]
        return []
    found = _keras1_convolution(node)
    accepted = accepted_keywords(node.type, version)
    if accepted is None:
        return found + _input_layer_shape(node, version)
    for name, value in node.kwargs.items():
        if name in accepted:
            found.extend(_accepted_but_deprecated(node, name, value, version, first, model))
        else:
            found.append(_rejected(node, name, value, version, accepted, first, model))
    return found


def _rejected(node: LayerNode, name: str, value: Any, version: int, accepted: frozenset[str],
              first: bool = False, model: ModelGraph | None = None) -> Diagnostic:
    layer = node.type
    if name in KERAS1_ARGUMENTS:
        new = KERAS1_ARGUMENTS[name]
        fix = None
        if name in ("nb_row", "nb_col"):
            hint = "pass the kernel as kernel_size=(nb_row, nb_col)"
            fix = layer_argument_fix(model, node, name)
        elif new and new in accepted:
            hint = f"use {new}= (Keras 2 renamed it)"
            if name in SAME_VALUE_RENAMES and new not in node.kwargs:
                fix = Fix(f"rename {name}= to {new}=", (RenameKeyword(node.position, name, new),))
            elif name == "dim_ordering":
                fix = layer_argument_fix(model, node, name)
        else:
            hint = "remove it: current Keras has no such argument"
            fix = layer_argument_fix(model, node, name)
        return diagnostic("KC522", node.position, hint, fix, layer=layer, argument=name)
    if version == 3 and name in REMOVED_IN_KERAS3 and name in (accepted_keywords(layer, 2) or ()):
        hint = REMOVED_IN_KERAS3[name].format(value=_shown(value))
        if name == "input_length" and "input_dim" in node.kwargs:
            hint = hint.replace("features", _shown(node.kwargs["input_dim"]))
        fix = None
        if name == "batch_input_shape" and first:
            fix = _batch_shape_move(node)
        elif name != "batch_input_shape":
            fix = layer_argument_fix(model, node, name)
        return diagnostic("KC521", node.position, hint, fix, layer=layer, argument=name)
    if name in ("return_sequences", "return_state"):
        hint = (f"{layer} is not a recurrent layer; set {name}=True on the LSTM/GRU/SimpleRNN that "
                f"produces its input, or remove it")
        return diagnostic("KC520", node.position, hint, layer=layer, argument=name, version=version)
    if name in REMOVED_IN_KERAS3:
        hint = REMOVED_IN_KERAS3[name].format(value=_shown(value))
    else:
        close = _closest(name, sorted(accepted))
        hint = f"did you mean {close}=?" if close else f"see the arguments of keras.layers.{layer}"
    return diagnostic("KC520", node.position, hint, layer=layer, argument=name, version=version)


def _batch_shape_move(node: LayerNode) -> Fix:
    """``batch_input_shape=`` into an ``Input(batch_shape=...)``; an ``input_shape=`` beside it
    goes too (the batch shape overrides it)."""
    if "input_shape" not in node.kwargs:
        return Fix("move batch_input_shape= into an Input(batch_shape=...) before the layer",
                   (MoveKeywordToInput(node.position, "batch_input_shape", "batch_shape"),))
    return Fix("move batch_input_shape= into an Input(batch_shape=...) before the layer and drop the "
               "input_shape= it overrides", (MoveKeywordToInput(node.position, "batch_input_shape", "batch_shape"),
                                             RemoveKeyword(node.position, "input_shape")))


def _input_layer_shape(node: LayerNode, version: int) -> list[Diagnostic]:
    """``InputLayer(input_shape=...)``: Keras 3 warns that the argument is now ``shape``."""
    value = node.kwargs.get("input_shape")
    if version != 3 or node.type != "InputLayer" or value is None:
        return []
    hint = f"write keras.Input(shape={_shown(value)}) (Keras 3 renamed the argument shape=)"
    return [diagnostic("KC650", node.position, hint, layer=node.type, argument="input_shape", value=_shown(value))]


def _accepted_but_deprecated(node: LayerNode, name: str, value: Any, version: int,
                             first: bool = False, model: ModelGraph | None = None) -> list[Diagnostic]:
    if version != 3 or node.type == "InputLayer":
        return []
    own = signatures.LAYERS[version][node.type][0] or ()
    if name == "input_dim" and "input_length" in node.kwargs and "input_length" not in own:
        return []  # one cause: the rejected input_length= (KC521) names the whole input shape
    if name in ("input_shape", "input_dim") and name not in own and value is not None:
        shape = (value,) if name == "input_dim" and not isinstance(value, (tuple, list)) else value
        hint = (f"start the model with keras.Input(shape={_shown(shape)}) and drop {name}= "
                f"(Keras 3 warns about it at run time)")
        fix = None
        if first and name == "input_shape" and "batch_size" in node.kwargs:
            fix = input_shape_batch_fix(model, node)
        elif first and name == "input_shape" and "batch_input_shape" not in node.kwargs:
            fix = Fix("move input_shape= into an Input(shape=...) before the layer",
                      (MoveKeywordToInput(node.position, name, "shape"),))
        elif first and name == "input_shape" and "batch_input_shape" not in accepted_keywords(node.type, version):
            fix = _batch_shape_move(node)
        elif name == "input_dim":
            fix = input_dim_fix(model, node)
        if fix is None and not first:
            fix = ignored_input_argument_fix(model, node, name)
        return [diagnostic("KC650", node.position, hint, fix, layer=node.type, argument=name,
                           value=_shown(value))]
    if node.type == "Embedding" and name == "input_length" and value is not None:
        hint = (f"remove it and start the model with keras.Input(shape=({_shown(value)},)) so the "
                f"model knows its input length")
        return [diagnostic("KC651", node.position, hint, embedding_length_fix(model, node),
                           value=_shown(value))]
    return []


def _keras1_convolution(node: LayerNode) -> list[Diagnostic]:
    """``Convolution2D(32, 3, 3)``: Keras 1's (nb_filter, nb_row, nb_col) read as strides today."""
    rank = _KERAS1_CONVOLUTIONS.get(node.type)
    if rank is None or len(node.args) < 3:
        return []
    kernel = node.args[1:1 + rank]
    if not all(isinstance(k, int) and not isinstance(k, bool) for k in kernel[:2]):
        return []
    if "kernel_size" in node.kwargs or "strides" in node.kwargs:
        return []
    written = ", ".join(_shown(a) for a in node.args[:1 + rank])
    meant = f"Conv{rank}D({_shown(node.args[0])}, ({', '.join(_shown(k) for k in kernel)}))"
    hint = (f"Keras 1 meant a {'x'.join(_shown(k) for k in kernel)} kernel; since Keras 2 this is a "
            f"kernel of {_shown(node.args[1])} with strides {_shown(node.args[2])}: write {meant}")
    fix = positional_kernel_fix(node, rank)
    return [diagnostic("KC652", node.position, hint, fix, layer=node.type, args=written, value=_shown(node.args[2]))]


def check_input_call(kwargs: dict[str, Any], position: Position, version: int) -> list[Diagnostic]:
    """``keras.Input(...)`` keywords against its signature in ``version`` (for the frontend)."""
    accepted = signatures.INPUT[version][1]
    if accepted is None:
        return []
    found = []
    for name, value in kwargs.items():
        if name in accepted:
            continue
        if name == "batch_input_shape" and version == 3:
            hint = f"write keras.Input(batch_shape={_shown(value)})"
            fix = None if "batch_shape" in kwargs else \
                Fix("rename batch_input_shape= to batch_shape=", (RenameKeyword(position, name, "batch_shape"),))
            found.append(diagnostic("KC521", position, hint, fix, layer="Input", argument=name))
            continue
        hint = "write keras.Input(shape=...) (without the batch size)" if name == "input_shape" else \
            _close_hint(name, tuple(sorted(accepted)))
        found.append(diagnostic("KC520", position, hint, layer="Input", argument=name, version=version))
    return found


def check_method_call(call: DataCall, version: int, sequential: bool = False) -> list[Diagnostic]:
    """A Model method call's keywords against its signature in ``version``; KC529 when it is gone.
    A Sequential's predict_classes/predict_proba under Keras 2 is a warning: tf.keras had them
    up to TensorFlow 2.5 (a functional Model never had them)."""
    entry = signatures.METHODS[version].get(call.method)
    if entry is None:
        if version == 2 and sequential and call.method in SEQUENTIAL_UNTIL_TF26:
            return [replace(diagnostic("KC529", call.position, "Keras 2 up to TensorFlow 2.5 has it on a Sequential; "
                                       + REMOVED_METHODS[call.method], method=call.method,
                                       version="2 from TensorFlow 2.6 on"), level=WARNING)]
        if call.method in REMOVED_METHODS:
            return [diagnostic("KC529", call.position, REMOVED_METHODS[call.method],
                               generator_method_fix(call, version), method=call.method, version=version)]
        return []
    accepted = entry[1]
    found = []
    for name in call.args:
        if name.startswith("_"):
            continue
        position = call.arg_positions.get(name, call.position)
        if name in KERAS1_METHOD_ARGUMENTS:
            new = KERAS1_METHOD_ARGUMENTS[name]
            hint = f"use {new}= (Keras 2 renamed it)" if new and new in entry[0] else "remove it"
            fix = None
            if name == "nb_epoch" and new in entry[0] and new not in call.args:
                fix = Fix(f"rename {name}= to {new}=", (RenameKeyword(call.position, name, new),))
            elif not new:
                fix = method_argument_fix(call, name)
            found.append(diagnostic("KC522", position, hint, fix, layer=call.method, argument=name))
        elif accepted is not None and name not in accepted:
            was_keras2 = name in (signatures.METHODS[2][call.method][0] if version == 3 else ())
            hint = ("Keras 3 removed it: remove it (for parallel loading, feed a keras.utils.PyDataset "
                    "with workers=)" if was_keras2 else _close_hint(name, entry[0]))
            fix = method_argument_fix(call, name) if was_keras2 else None
            found.append(diagnostic("KC528", position, hint, fix, method=call.method, argument=name,
                                    version=version))
    return found


def _close_hint(name: str, names: tuple[str, ...]) -> str:
    close = _closest(name, list(names))
    return f"did you mean {close}=?" if close else "remove it"


def _closest(name: str, names: list[str]) -> str | None:
    """The known name most like a misspelt ``name``, if one is close enough."""
    import difflib  # only a rejected argument needs it

    close = difflib.get_close_matches(name, names, n=1)
    return close[0] if close else None


def _shown(value: Any) -> str:
    if value is UNKNOWN:
        return "..."
    if isinstance(value, Opaque):
        return value.text
    if isinstance(value, list):
        return "(" + ", ".join(_shown(v) for v in value) + (",)" if len(value) == 1 else ")")
    if isinstance(value, tuple):
        inner = ", ".join(_shown(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)
