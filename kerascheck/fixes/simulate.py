"""A candidate fix's edits made on the model graph: the model as it would be after the fix, for
``fixes.verify`` to check again. Values are read from the code the edits write (literals,
``Opaque`` for a loss object); nothing is evaluated by Python.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import replace
from typing import Any, Callable

from kerascheck.graph import (
    CallInputs,
    CompileInfo,
    InputSpec,
    LayerCall,
    LayerNode,
    ModelGraph,
    Opaque,
    Position,
    TensorRef,
)
from kerascheck.repairs import (
    ExtendTuple,
    Fix,
    GroupKeywords,
    GroupPositional,
    InsertLayer,
    MoveKeywordToInput,
    RemoveKeyword,
    RemoveLayer,
    RenameKeyword,
    RenameMethod,
    ReplaceArgument,
    ReplaceLayer,
    SetKeyword,
    UnwrapLayer,
    UnwrapWith,
)


def _at(position: Position) -> tuple[int, int]:
    return position.line, position.column


def reshapes_only_outputs(model: ModelGraph, fix: Fix) -> bool:
    """Whether every layer ``fix`` inserts after a call reshapes a model output that no other
    layer reads: what later layers would make of a new shape is not for a fix to decide."""
    for edit in fix.edits:
        if not (isinstance(edit, InsertLayer) and edit.after):
            continue
        calls = [i for i, c in enumerate(model.calls) if _at(c.layer.position) == _at(edit.target)]
        if len(calls) != 1:
            return False
        if any(_reads(c.inputs, calls[0]) for c in model.calls):
            return False
    return True


def _reads(inputs: CallInputs, call: int) -> bool:
    if isinstance(inputs, TensorRef):
        return inputs.call == call
    return isinstance(inputs, list) and any(_reads(i, call) for i in inputs)


def apply_to_graph(model: ModelGraph, fix: Fix) -> ModelGraph | None:
    """The model as it would be after ``fix`` (a copy: ``model`` is not changed); None when an
    edit cannot be mirrored on the graph (a value that is not a literal, a line building several
    layers...). An edit of a kind with no mirror here raises TypeError."""
    for edit in fix.edits:
        mirror = _MIRRORS.get(type(edit))
        if mirror is None:
            raise TypeError(edit)
        try:
            model = mirror(model, edit)
        except (ValueError, SyntaxError):  # code that is not a literal the graph could hold
            return None
        if model is None:
            return None
    return model


def value_of(code: str) -> Any:
    """The value of the small literal expressions fixes write (``10 * 2``, ``(28, 28, 1)``,
    ``'same'``), read from the tree: nothing is evaluated by Python."""
    return _literal(ast.parse(code, mode="eval").body, code)


_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


def _literal(node: ast.AST, code: str) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [_literal(item, code) for item in node.elts]
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _literal(node.operand, code)
        if isinstance(operand, (int, float)):
            return -operand
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        left, right = _literal(node.left, code), _literal(node.right, code)
        if isinstance(left, (int, float)) and isinstance(right, (int, float)):
            return _ARITHMETIC[type(node.op)](left, right)
    raise ValueError(code)


def _nodes(model: ModelGraph) -> dict[tuple[int, int], list[LayerNode]]:
    """Layers by source position: several when one line builds several (a loop, a function)."""
    found: dict[tuple[int, int], list[LayerNode]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, LayerNode):
            same = found.setdefault(_at(node.position), [])
            if all(n is not node for n in same):
                same.append(node)
            for value in (*node.args, *node.kwargs.values()):
                visit(value)

    for call in model.calls:
        visit(call.layer)
    return found


def _edit_argument(model: ModelGraph, edit: SetKeyword | ReplaceArgument | ExtendTuple) -> ModelGraph | None:
    nodes = _nodes(model).get(_at(edit.target))
    if nodes is None:
        compiles = _compiles(model, edit.target)
        if compiles and edit.name == "loss" and not isinstance(edit, ExtendTuple):
            return _with_loss(model, compiles, edit.code)
        # other compile/fit arguments: the shape and data checks read none that a fix changes
        if compiles or any(_at(c.position) == _at(edit.target) for c in model.data_calls):
            return model
    value = value_of(edit.code)
    for i, spec in enumerate(model.inputs):
        if _at(spec.position) == _at(edit.target) and not spec.from_layer_argument:
            if not isinstance(edit, ExtendTuple) or not isinstance(spec.shape, tuple):
                return None
            return _with_input_shape(model, i, spec.shape[1:] + (value,))
    if nodes is None:
        return None
    if len(nodes) != 1:
        return None  # a line building several layers (a loop): the edit would change every one
    node, name = nodes[0], edit.name
    args, kwargs = list(node.args), dict(node.kwargs)
    if not isinstance(edit, SetKeyword) and (name is None or name not in kwargs):
        if edit.index is None or edit.index >= len(args):
            return None
        args[edit.index] = value = _extended(args[edit.index], value, edit)
    else:
        kwargs[name] = value = _extended(kwargs.get(name), value, edit)
    if value is None:
        return None
    model = _replace_node(model, node, replace(node, args=tuple(args), kwargs=kwargs))
    if name == "input_shape" and model.inputs and model.inputs[0].from_layer_argument \
            and _at(model.inputs[0].position) == _at(edit.target) and isinstance(value, tuple):
        inputs = [replace(model.inputs[0], shape=(None,) + value), *model.inputs[1:]]
        model = replace(model, inputs=inputs)
    return model


def _compiles(model: ModelGraph, target: Position) -> list[CompileInfo]:
    """The model's compile calls at ``target``: its last one and those its data calls run under."""
    found = [model.compile] + [c.compile for c in model.data_calls]
    return [info for info in found if info is not None and _at(info.position) == _at(target)]


def _with_loss(model: ModelGraph, compiles: list[CompileInfo], code: str) -> ModelGraph:
    """Every one of ``compiles`` uses the loss ``code``: a string, or a loss object or function,
    which the frontend holds as ``Opaque`` text."""
    try:
        loss: Any = value_of(code)
    except (ValueError, SyntaxError):
        loss = Opaque(code)

    def swap(info: CompileInfo | None) -> CompileInfo | None:
        return replace(info, loss=loss) if any(info is c for c in compiles) else info

    calls = [replace(c, compile=swap(c.compile)) for c in model.data_calls]
    return replace(model, compile=swap(model.compile), data_calls=calls)


def _single_node(model: ModelGraph, target: Position) -> LayerNode | None:
    nodes = _nodes(model).get(_at(target))
    return nodes[0] if nodes is not None and len(nodes) == 1 else None


def _data_call(model: ModelGraph, target: Position) -> int | None:
    found = [i for i, c in enumerate(model.data_calls) if _at(c.position) == _at(target)]
    return found[0] if len(found) == 1 else None


def _remove_keyword(model: ModelGraph, edit: RemoveKeyword) -> ModelGraph | None:
    node = _single_node(model, edit.target)
    if node is not None and edit.name in node.kwargs:
        kwargs = {k: v for k, v in node.kwargs.items() if k != edit.name}
        return _replace_node(model, node, replace(node, kwargs=kwargs))
    i = _data_call(model, edit.target)
    if node is not None or i is None or edit.name not in model.data_calls[i].args:
        return None
    calls = list(model.data_calls)
    calls[i] = replace(calls[i], args={k: v for k, v in calls[i].args.items() if k != edit.name},
                       arg_positions={k: v for k, v in calls[i].arg_positions.items() if k != edit.name})
    return replace(model, data_calls=calls)


def _rename_keyword(model: ModelGraph, edit: RenameKeyword) -> ModelGraph | None:
    """A layer's keyword, or a fit/evaluate/predict call's, under its new name."""
    def renamed(values: dict[str, Any]) -> dict[str, Any] | None:
        if edit.old not in values or edit.new in values:
            return None
        return {edit.new if k == edit.old else k: v for k, v in values.items()}

    node = _single_node(model, edit.target)
    if node is not None:
        kwargs = renamed(node.kwargs)
        return None if kwargs is None else _replace_node(model, node, replace(node, kwargs=kwargs))
    i = _data_call(model, edit.target)
    if i is None:
        return None
    call = model.data_calls[i]
    args = renamed(call.args)
    if args is None:
        return None
    positions = {edit.new if k == edit.old else k: v for k, v in call.arg_positions.items()}
    calls = list(model.data_calls)
    calls[i] = replace(call, args=args, arg_positions=positions)
    return replace(model, data_calls=calls)


def _move_to_input(model: ModelGraph, edit: MoveKeywordToInput) -> ModelGraph | None:
    """The first layer's keywords become the model's ``Input``: only for the layer that declares it."""
    node = _single_node(model, edit.target)
    names = (*edit.also, edit.name)
    spec = model.declared_inputs[0] if model.declared_inputs else None
    if spec is None and model.kind == "sequential" and model.calls and model.calls[0].layer is node:
        spec = InputSpec(None, node.position, from_layer_argument=True)  # the layer starts a model with no input
    if node is None or spec is None or not spec.from_layer_argument or _at(spec.position) != _at(edit.target) \
            or any(n not in node.kwargs for n in names):
        return None
    values = tuple(node.kwargs[n] for n in names)
    if edit.input_keyword not in ("shape", "batch_shape") or not (edit.as_tuple or len(values) == 1):
        return None
    shape = values if edit.as_tuple else values[0]
    if not isinstance(shape, (tuple, list)):
        return None
    batch = node.kwargs.get("batch_size") if edit.batch_size else None
    if edit.batch_size and not (isinstance(batch, int) and not isinstance(batch, bool)):
        return None
    names = (*names, "batch_size") if edit.batch_size else names
    kwargs = {k: v for k, v in node.kwargs.items() if k not in names}
    model = _replace_node(model, node, replace(node, kwargs=kwargs))
    dims = tuple(d if isinstance(d, int) and not isinstance(d, bool) else None for d in shape)
    if edit.input_keyword == "shape":
        dims = (batch,) + dims  # batch_shape= holds the batch size already
    return replace(model, inputs=[replace(spec, shape=dims, from_layer_argument=False), *model.declared_inputs[1:]])


def _group_positional(model: ModelGraph, edit: GroupPositional) -> ModelGraph | None:
    node = _single_node(model, edit.target)
    end = edit.start + edit.count
    if node is None or len(node.args) < end:
        return None
    args = (*node.args[:edit.start], tuple(node.args[edit.start:end]), *node.args[end:])
    return _replace_node(model, node, replace(node, args=args))


def _group_keywords(model: ModelGraph, edit: GroupKeywords) -> ModelGraph | None:
    node = _single_node(model, edit.target)
    if node is None or edit.name in node.kwargs or any(n not in node.kwargs for n in edit.names):
        return None
    kwargs = {k: v for k, v in node.kwargs.items() if k not in edit.names}
    kwargs[edit.name] = tuple(node.kwargs[n] for n in edit.names)
    return _replace_node(model, node, replace(node, kwargs=kwargs))


def _rename_method(model: ModelGraph, edit: RenameMethod) -> ModelGraph | None:
    i = _data_call(model, edit.target)
    if i is None:
        return None
    renamed = dict(edit.keywords)
    call = model.data_calls[i]
    args = {renamed.get(k, k): v for k, v in call.args.items() if k not in edit.dropped}
    positions = {renamed.get(k, k): v for k, v in call.arg_positions.items() if k not in edit.dropped}
    calls = list(model.data_calls)
    calls[i] = replace(call, method=edit.new, args=args, arg_positions=positions)
    return replace(model, data_calls=calls)


def _extended(old: Any, value: Any, edit: Any) -> Any:
    if not isinstance(edit, ExtendTuple):
        return value
    return tuple(old) + (value,) if isinstance(old, (tuple, list)) else None


def _with_input_shape(model: ModelGraph, i: int, value: tuple) -> ModelGraph:
    inputs = list(model.inputs)
    inputs[i] = replace(inputs[i], shape=(None,) + value)
    return replace(model, inputs=inputs)


def _replace_node(model: ModelGraph, old: LayerNode, new: LayerNode) -> ModelGraph:
    def swap(node: Any) -> Any:
        if node is old:
            return new
        if isinstance(node, LayerNode):
            args = tuple(swap(a) for a in node.args)
            kwargs = {k: swap(v) for k, v in node.kwargs.items()}
            if any(a is not b for a, b in zip(args, node.args)) or \
                    any(kwargs[k] is not node.kwargs[k] for k in kwargs):
                return replace(node, args=args, kwargs=kwargs)
        return node

    return replace(model, calls=[replace(c, layer=swap(c.layer)) for c in model.calls])


def _layer(code: str, position: Position) -> LayerNode | None:
    """The layer a fix writes (``"Flatten()"``, ``"Reshape((10, 2))"``), built at ``position``."""
    tree = ast.parse(code, mode="eval").body
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name):
        return None
    return LayerNode(tree.func.id, tuple(value_of(ast.unparse(a)) for a in tree.args),
                     {k.arg: value_of(ast.unparse(k.value)) for k in tree.keywords if k.arg}, position)


def _insert(model: ModelGraph, edit: InsertLayer) -> ModelGraph | None:
    node = _layer(edit.layer, edit.target)
    if node is None:
        return None
    at = [i for i, c in enumerate(model.calls) if _at(c.layer.position) == _at(edit.target)]
    if len(at) != 1:
        return None  # a layer called on several tensors: which call the new layer belongs to is unclear
    k = at[0]
    new_index = k + 1 if edit.after else k

    def shift(ref: Any) -> Any:
        if isinstance(ref, TensorRef) and ref.call is not None:
            if edit.after and ref.call == k:
                return TensorRef.of_call(k + 1) if ref.index == 0 else ref  # the new layer reads output 0
            return TensorRef.of_call(ref.call + 1, ref.index) if ref.call >= new_index else ref
        if isinstance(ref, list):
            return [shift(r) for r in ref]
        return ref

    calls = []
    for i, call in enumerate(model.calls):
        if i == k and not edit.after:
            calls.append(LayerCall(node, shift(call.inputs), edit.target))
            calls.append(replace(call, inputs=TensorRef.of_call(k)))
        elif i == k:
            calls.append(call)
            calls.append(LayerCall(node, TensorRef.of_call(k), edit.target))
        else:
            calls.append(replace(call, inputs=shift(call.inputs)))
    outputs = shift(model.outputs) if model.outputs is not None else None
    return replace(model, calls=calls, outputs=outputs)


def _replace_layer(model: ModelGraph, edit: ReplaceLayer) -> ModelGraph | None:
    old, new = _single_node(model, edit.target), _layer(edit.layer, edit.target)
    return None if old is None or new is None else _replace_node(model, old, new)


def _unwrap_layer(model: ModelGraph, edit: UnwrapLayer) -> ModelGraph | None:
    wrapper = _single_node(model, edit.target)
    if wrapper is None:
        return None
    inner = wrapper.args[0] if wrapper.args else wrapper.kwargs.get("layer")
    return _replace_node(model, wrapper, inner) if isinstance(inner, LayerNode) else None


def _remove_layer(model: ModelGraph, edit: RemoveLayer) -> ModelGraph | None:
    """The model without the layer at ``target``: whatever read its output reads its input."""
    at = [i for i, c in enumerate(model.calls) if _at(c.layer.position) == _at(edit.target)]
    if len(at) != 1 or not isinstance(model.calls[at[0]].inputs, TensorRef) \
            or any(spec.from_layer_argument and _at(spec.position) == _at(edit.target) for spec in model.inputs):
        return None  # called on several tensors, or the layer declaring the model's input
    k, source = at[0], model.calls[at[0]].inputs
    readers = [ref for c in model.calls for ref in _refs(c.inputs)] + _refs(model.outputs)
    if any(ref.call == k and ref.index != 0 for ref in readers):
        return None  # something reads another output of the layer

    def shift(ref: Any) -> Any:
        if isinstance(ref, TensorRef) and ref.call is not None:
            if ref.call == k:
                return source
            return TensorRef.of_call(ref.call - 1, ref.index) if ref.call > k else ref
        if isinstance(ref, list):
            return [shift(r) for r in ref]
        return ref

    calls = [replace(c, inputs=shift(c.inputs)) for i, c in enumerate(model.calls) if i != k]
    outputs = shift(model.outputs) if model.outputs is not None else None
    return replace(model, calls=calls, outputs=outputs)


def _refs(inputs: Any) -> list[TensorRef]:
    if isinstance(inputs, TensorRef):
        return [inputs]
    return [ref for item in inputs for ref in _refs(item)] if isinstance(inputs, list) else []


_MIRRORS: dict[type, Callable[[ModelGraph, Any], ModelGraph | None]] = {
    SetKeyword: _edit_argument, ReplaceArgument: _edit_argument, ExtendTuple: _edit_argument,
    InsertLayer: _insert, RemoveLayer: _remove_layer, ReplaceLayer: _replace_layer, UnwrapLayer: _unwrap_layer,
    UnwrapWith: lambda model, edit: model,  # the body runs as it did: no layer changes
    RemoveKeyword: _remove_keyword, RenameKeyword: _rename_keyword,
    MoveKeywordToInput: _move_to_input, RenameMethod: _rename_method,
    GroupPositional: _group_positional, GroupKeywords: _group_keywords,
}
