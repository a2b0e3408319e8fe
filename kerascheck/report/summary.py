"""``kerascheck summary``: per model, the table Keras 3's ``model.summary()`` prints, in plain text.

Layout follows keras/src/utils/summary_utils.py as rich renders it without colour: 88 columns
(108 with "Connected to" for a functional model that is not a chain), capped at the terminal's
width minus 4, column positions (0.45, 0.80, 1.0) or (0.3, 0.56, 0.74, 1.0), and rich's way
of shrinking fixed columns that do not fit. A functional model's rows come in Keras's order
(deepest first, see ``keras_layer_order``). The header names the model as Keras does
(``keras_model_names``) and the totals split trainable and non-trainable weights with their
byte size from each layer's ``dtype`` (float32 unless a literal says otherwise).

A functional model's rows are those of the graph Keras walks (``summary_graph``): a Lambda's
operations folded away, the operations computing masks added.

Not modelled: the "Optimizer params" line Keras adds once ``fit`` has built the optimizer; a
global dtype policy (``set_floatx``, ``set_global_policy``); a model function called twice
(Keras numbers each model it builds; kerascheck checks the model once). Freezing is read at
the end of the file (``model.summary()`` called earlier may count less).
"""

from __future__ import annotations

import re
import shutil
from typing import TYPE_CHECKING, Any

from kerascheck.graph import LayerNode, ModelGraph, Position, TensorRef
from kerascheck.report.summary_graph import MaskOp, flat, keras_graph, layer_keys, mask_op_names
from kerascheck.shapes.base import format_shape, rule_for, snake_case
from kerascheck.shapes.symbolic import has_symbols

if TYPE_CHECKING:
    from kerascheck.shapes.propagate import ModelResult

_CHAIN = (88, (0.45, 0.80, 1.0), ("Layer (type)", "Output Shape", "Param #"), "<<>")
_GRAPH = (108, (0.3, 0.56, 0.74, 1.0), ("Layer (type)", "Output Shape", "Param #", "Connected to"),
          "<<><")


# Keras layers built as they are made (Layer._build_at_init, or built=True in __init__): in a
# model never built they show 0 parameters; every other layer shows "0 (unbuilt)".
_BUILT_AS_MADE = frozenset({
    "Activation", "ActivityRegularization", "AlphaDropout", "AveragePooling1D", "AveragePooling2D",
    "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "Dropout", "ELU", "GaussianDropout",
    "GaussianNoise", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D",
    "GlobalMaxPool3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "Identity",
    "LeakyReLU", "Masking", "MaxPool1D", "MaxPool2D", "MaxPool3D", "MaxPooling1D", "MaxPooling2D",
    "MaxPooling3D", "ReLU", "Reshape", "Softmax", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
    "UnitNormalization"})

# Bytes per weight for the dtypes Keras accepts by name; a mixed policy keeps float32 weights.
_DTYPE_BYTES = {"float16": 2, "bfloat16": 2, "float32": 4, "float64": 8, "mixed_float16": 4,
                "mixed_bfloat16": 4, "half": 2, "float": 4, "double": 8}
_INT64_BYTES = 8


def session_events(results: list[ModelResult]) -> list[tuple[ModelGraph, str, Position | None]]:
    """The file's models as one Keras session makes and builds them, in order: (model, "made",
    None), then for a Sequential (model, "built", where) at each build (``where``: the ``add``
    that builds it, or the end of its constructor), or (model, "built later", None) for a build
    at a time the source does not fix (by ``fit`` or a call).

    A Sequential given its input builds when constructed, then again at each ``add``. Models
    come in the order the frontend made them; an ``add`` written after a later model's
    constructor builds after that model is made.
    """
    order: list[ModelGraph] = []

    def visit(model: ModelGraph) -> None:
        if model in order or model.kind == "unattached":
            return
        nested = [call.layer for call in model.calls if isinstance(call.layer, ModelGraph)]
        if model.kind != "subclassed":  # its inner models exist before it; a subclass makes them in __init__
            for inner in nested:
                visit(inner)
        if model not in order:
            order.append(model)
        for inner in nested:
            visit(inner)

    for result in results:
        visit(result.model)
    called = {id(call.layer) for result in results for call in result.model.calls}
    events: list[tuple[tuple, ModelGraph, str, Position | None]] = []
    for k, model in enumerate(order):
        events.append(((k, 0), model, "made", None))
        if model.kind != "sequential":
            continue
        for at in _sequential_builds(model, id(model) in called):
            if at is None and _built_as_made(model):
                end = model.position  # built with the layers its constructor gets, not later adds
                at_end = Position(end.end_line, end.end_column, end.end_line, end.end_column)
                events.append(((k, 1), model, "built", at_end))
                continue
            if at is None:
                events.append(((k, 1), model, "built later", None))
                continue
            # Later models written between this one and the add (not those in a def above it).
            after = max([k] + [j for j in range(k + 1, len(order))
                               if _before(model.position, order[j].position) and _before(order[j].position, at)])
            events.append(((after, 2, at.line, at.column), model, "built", at))
    return [event[1:] for event in sorted(events, key=lambda event: event[0])]


def keras_model_names(results: list[ModelResult]) -> dict[int, str]:
    """The name Keras 3 gives each model of a file (keyed by ``id`` of its graph), "?" if unknown.

    Keras numbers automatic names per prefix and session: ``sequential``, ``sequential_1``,
    ``functional``..., a subclassed model after its class (``my_model``). ``name=`` takes no
    number. Every build of a Sequential makes an unnamed Functional, which takes a
    ``functional`` number (``session_events`` says when).
    """
    counts: dict[str, int] = {}

    def automatic(prefix: str) -> str:
        n = counts.get(prefix, 0)
        counts[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"

    names: dict[int, str] = {}
    for model, what, _ in session_events(results):
        if what != "made":
            automatic("functional")  # a Sequential's build
            continue
        if model.class_name:
            prefix = snake_case(model.class_name)
        else:
            prefix = "sequential" if model.kind == "sequential" else "functional"
        given = model.given_name
        names[id(model)] = given if isinstance(given, str) else automatic(prefix) if given is None else "?"
    return names


def _before(first: Position, second: Position) -> bool:
    return (first.line, first.column) < (second.line, second.column)


def _inside(position: Position, outer: Position) -> bool:
    return (outer.line, outer.column) <= (position.line, position.column) \
        and (position.end_line, position.end_column) <= (outer.end_line, outer.end_column)


def _sequential_builds(model: ModelGraph, called: bool) -> list[Position | None]:
    """When Keras builds a Sequential (None: as it is made): for the layers its constructor
    gets with an input known, at each later ``add`` once the input is known, else once when
    ``build``/``fit`` or a call (``called``: it is a layer of another model) gives the input."""
    if not model.inputs:
        return [None] if model.data_calls or called else []
    start = model.inputs[0].position
    added = [c for c in model.calls if not _inside(c.position, model.position)]
    builds: list[Position | None] = [None] if _built_as_made(model) else []
    builds += [c.position for c in added if (c.position.end_line, c.position.end_column) > (start.line, start.column)]
    return builds or [None]


def _built_as_made(model: ModelGraph) -> bool:
    """A Sequential whose constructor gets its input and layers: Keras builds it then."""
    if not model.inputs:
        return False
    start = model.inputs[0].position
    constructed = [c for c in model.calls if _inside(c.position, model.position)]
    return bool(constructed) and (_inside(start, model.position) or _inside(start, constructed[0].position))


def readable_memory_size(size: float) -> str:
    """Keras's ``readable_memory_size``: ``2.86 KB``."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _ratio_reduce(total: int, values: list[int]) -> list[int]:
    """rich's ``ratio_reduce`` with equal ratios: take ``total`` off the columns, left first."""
    remaining, ratio_left, result = total, len(values), []
    for value in values:
        taken = min(value, round(remaining / ratio_left))
        result.append(value - taken)
        remaining -= taken
        ratio_left -= 1
    return result


def column_widths(default: int, positions: tuple[float, ...], terminal: int) -> list[int]:
    """Content widths of the columns, as Keras asks rich for them and rich shrinks them."""
    line_length = min(default, terminal - 4)
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    cells = [w + 2 for w in widths]  # one space of padding each side
    excess = sum(cells) - (line_length - len(cells) - 1)
    if excess > 0:
        cells = _ratio_reduce(excess, cells)
    return [c - 2 for c in cells]


_WORD = re.compile(r"\s*\S+\s*")


def _folded(word: str, width: int) -> list[str]:
    """A word wider than ``width`` in pieces that fit: after a ``*`` where one falls, else cut."""
    pieces = []
    while len(word.rstrip()) > width:
        star = word.rfind("*", 0, width)
        cut = star + 1 if star > 0 else width
        pieces.append(word[:cut])
        word = word[cut:]
    return pieces + [word]


def wrap_cell(text: str, width: int, fold: bool = False) -> list[str]:
    """rich's word wrap of a cell (overflow "ellipsis"): words move to the next line whole, a
    word wider than the cell is cut to ``width - 1`` characters and "…". ``fold``: such a word
    is split over lines instead (for a symbolic parameter count, ours to show, never cut)."""
    lines: list[str] = []
    line, used = "", 0
    words = _WORD.findall(text)
    if fold:
        words = [piece for word in words for piece in _folded(word, width)]
    for word in words:
        length = len(word.rstrip())
        if width - used < length and line:
            lines.append(line)
            line, used = "", 0
        line += word
        used += len(word)
    lines.append(line)
    lines = [item.rstrip() for item in lines]
    return [item if len(item) <= width else item[: width - 1] + "…" for item in lines]


def _table(header: tuple[str, ...], rows: list[list[str]], widths: list[int], align: str,
           fold: int | None = None) -> list[str]:
    def border(left: str, middle: str, right: str, fill: str) -> str:
        return left + middle.join(fill * (w + 2) for w in widths) + right

    def render(cells: list[str], bar: str) -> list[str]:
        wrapped = [wrap_cell(c, w, i == fold) for i, (c, w) in enumerate(zip(cells, widths))]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            parts = []
            for lines, width, side in zip(wrapped, widths, align):
                text = lines[i] if i < len(lines) else ""
                parts.append(" " + (text.ljust(width) if side == "<" else text.rjust(width)) + " ")
            out.append(bar + bar.join(parts) + bar)
        return out

    lines = [border("┏", "┳", "┓", "━"), *render(list(header), "┃"), border("┡", "╇", "┩", "━")]
    for i, row in enumerate(rows):
        if i:
            lines.append(border("├", "┼", "┤", "─"))
        lines += render(row, "│")
    lines.append(border("└", "┴", "┘", "─"))
    return lines


def _node_parents(model: ModelGraph, node: tuple[str, int]) -> list[tuple[str, int]]:
    if node[0] == "input":
        return []
    refs = [r for r in flat(model.calls[node[1]].inputs) if isinstance(r, TensorRef)]
    return [("input", r.input) if r.input is not None else ("call", r.call) for r in refs]


def _operation(model: ModelGraph, node: tuple[str, int]) -> Any:
    return model.inputs[node[1]] if node[0] == "input" else model.calls[node[1]].layer


def keras_layer_order(model: ModelGraph) -> tuple[list[Any], bool] | None:
    """Keras's ``Functional._operations`` order and its "sequential-like" test, from the graph.

    Mirrors keras/src/ops/function.py ``map_graph``: a depth-first walk from the outputs numbers
    the operations; depths grow from the outputs; deepest first, ties in walk order. None when
    the outputs are unknown.
    """
    outputs = [r for r in flat(model.outputs) if isinstance(r, TensorRef)]
    if not outputs or len(outputs) != len(flat(model.outputs)):
        return None
    refs = outputs + [r for call in model.calls for r in flat(call.inputs) if isinstance(r, TensorRef)]
    if any(not (0 <= r.input < len(model.inputs)) if r.input is not None
           else not (r.call is not None and 0 <= r.call < len(model.calls)) for r in refs):
        return None  # a reference the frontend could not resolve: keep propagate's order
    index: dict[int, int] = {}
    post_order: list[tuple[str, int]] = []
    finished: set[tuple[str, int]] = set()
    stack: list[tuple[tuple[str, int], bool]] = [
        (("input", r.input) if r.input is not None else ("call", r.call), False) for r in reversed(outputs)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            if node not in finished:
                finished.add(node)
                post_order.append(node)
            continue
        if node in finished:
            continue
        index.setdefault(id(_operation(model, node)), len(index))
        stack.append((node, True))
        stack.extend((parent, False) for parent in reversed(_node_parents(model, node)))
    node_depth: dict[tuple[str, int], int] = {}
    operation_depth: dict[int, int] = {}
    operations: dict[int, Any] = {}
    for node in reversed(post_order):
        operation = _operation(model, node)
        operations[id(operation)] = operation
        depth = max(node_depth.setdefault(node, 0), operation_depth.get(id(operation), 0))
        operation_depth[id(operation)] = node_depth[node] = depth
        for parent in _node_parents(model, node):
            node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
    by_depth: dict[int, list[int]] = {}
    for key, depth in operation_depth.items():
        by_depth.setdefault(depth, []).append(key)
    order = [operations[key] for depth in sorted(by_depth, reverse=True)
             for key in sorted(by_depth[depth], key=index.__getitem__)]
    nodes_at: dict[int, list[tuple[str, int]]] = {}
    for node, depth in node_depth.items():
        nodes_at.setdefault(depth, []).append(node)
    uses: dict[int, int] = {}
    for node in node_depth:
        uses[id(_operation(model, node))] = uses.get(id(_operation(model, node)), 0) + 1
    chain = all(len(nodes) == 1 and len(_node_parents(model, nodes[0])) <= 1 for nodes in nodes_at.values()) \
        and all(count == 1 for count in uses.values())
    return order, chain


def class_name(row_type: str) -> str:
    """The class Keras shows for a row: a ``keras.ops`` call is its operation class
    (``ops.expand_dims`` is ``ExpandDims``)."""
    if row_type.startswith("ops."):
        return "".join(part.capitalize() for part in row_type.rsplit(".", 1)[-1].split("_"))
    return row_type


def _row_labels(result: ModelResult, keys: list[Any], names: dict[int, str]) -> dict[int, str]:
    """Each row's "name (Class)" by ``id`` of its row; a nested model has its Keras model name
    and class."""
    labels = {id(row): f"{row.name} ({class_name(row.type)})" for row in result.layers}
    if len(keys) == len(result.layers):
        for key, row in zip(keys, result.layers):
            if isinstance(key, ModelGraph):
                labels[id(row)] = f"{names.get(id(key), row.name)} ({key.class_name or row.type})"
    return labels


def _connections(result: ModelResult, keys: list[Any], names: dict[int, str]) -> list[str] | None:
    """Keras's "Connected to" cell for each row: ``dense_1[0][0], dense_2[0][0]``."""
    model = result.model
    if len(keys) != len(result.layers):
        return None
    name_of = {id(key): names.get(id(key), row.name) if isinstance(key, ModelGraph) else row.name
               for key, row in zip(keys, result.layers)}
    node_index: list[int] = []
    uses: dict[int, int] = {}
    for call in model.calls:
        node_index.append(uses.get(id(call.layer), 0))
        uses[id(call.layer)] = node_index[-1] + 1

    def tensor(ref: Any) -> str | None:
        if not isinstance(ref, TensorRef):
            return None
        if ref.input is not None:
            spec = model.inputs[ref.input] if ref.input < len(model.inputs) else None
            return f"{name_of.get(id(spec), '?')}[0][0]"
        call = model.calls[ref.call]
        return f"{name_of.get(id(call.layer), '?')}[{node_index[ref.call]}][{ref.index}]"

    cells = {id(key): "" for key in keys}
    for call in model.calls:
        names = [t for t in (tensor(ref) for ref in flat(call.inputs)) if t]
        if names:
            previous = cells.get(id(call.layer), "")
            cells[id(call.layer)] = ", ".join(filter(None, [previous, *names]))
    return [cells[id(key)] or "-" for key in keys]


def _weight_layer(node: LayerNode) -> LayerNode:
    """The layer whose dtype the weights have: a wrapper's weights are its wrapped layer's."""
    rule = rule_for(node.type)
    inner = rule.bind(node)["layer"] if rule is not None and rule.wrapper else None
    return _weight_layer(inner) if isinstance(inner, LayerNode) else node


def _storage(key: LayerNode | ModelGraph) -> tuple[int, int] | None:
    """Bytes per weight of a layer (from its dtype) or of a model whose layers all agree, and
    how many of its weights are int64 whatever the dtype; None when unknown or mixed."""
    if isinstance(key, ModelGraph):
        found = [_storage(call.layer) for call in key.calls]
        sizes = {item[0] for item in found if item is not None}
        if None in found or len(sizes) != 1:
            return None
        return sizes.pop(), sum(item[1] for item in found if item is not None)
    if not isinstance(key, LayerNode):
        return None
    weights = _weight_layer(key)
    dtype = weights.kwargs.get("dtype")
    size = 4 if dtype is None else _DTYPE_BYTES.get(dtype) if isinstance(dtype, str) else None
    rule = rule_for(weights.type)
    if size is None or rule is None:
        return None
    return size, rule.int64_weights(rule.bind(weights))


def _row_bytes(key: LayerNode | ModelGraph, params: int, non_trainable: int) -> tuple[float, float] | None:
    """Trainable and non-trainable bytes of a row's weights (int64 weights are non-trainable)."""
    storage = _storage(key)
    if storage is None:
        return None
    size, wide = storage
    wide = min(wide, non_trainable)
    return (params - non_trainable) * size, (non_trainable - wide) * size + wide * _INT64_BYTES


def weight_bytes(result: ModelResult, others: dict[int, ModelResult] | None = None) -> tuple[float, float] | None:
    """A model's trainable and non-trainable weight bytes; None when a count or dtype is unknown.

    A nested model's bytes come from its own result in ``others`` (keyed by ``id`` of its graph).
    """
    from kerascheck.shapes.propagate import propagate

    keys = layer_keys(result.model)
    if len(keys) != len(result.layers) or result.model.trainable not in (True, False):
        return None
    trainable = frozen = 0.0
    for key, row in zip(keys, result.layers):
        if row.params is None or row.non_trainable is None or has_symbols([row.params, row.non_trainable]):
            return None  # bytes of a symbolic count are not worth a formula
        if isinstance(key, (LayerNode, ModelGraph)):
            found = _row_bytes(key, row.params, row.non_trainable)
        else:
            found = (0.0, 0.0)  # an InputLayer row
        if found is None and isinstance(key, ModelGraph):  # mixed dtypes: from the model's own rows
            inner = (others or {}).get(id(key)) or propagate(key)  # (or its twin's, merged by the frontend)
            found = weight_bytes(inner, others) if inner.total_params == row.params else None
            if found is not None and row.non_trainable == row.params:
                found = (0.0, found[0] + found[1])
        if found is None:
            return None
        trainable += found[0]
        frozen += found[1]
    return (0.0, trainable + frozen) if result.model.trainable is False else (trainable, frozen)


def _totals(result: ModelResult, others: dict[int, ModelResult] | None) -> list[str]:
    total, frozen = result.total_params, result.non_trainable_params
    if total is None:
        return [" Total params: ? (some layers' parameters are unknown)", " Trainable params: ?",
                " Non-trainable params: ?"]
    if frozen is None:
        return [f" Total params: {total:,}", " Trainable params: ?", " Non-trainable params: ?"]
    sizes = weight_bytes(result, others) if isinstance(total, int) and isinstance(frozen, int) else None  # not named dims

    def size(value: float | None) -> str:
        return f" ({readable_memory_size(value)})" if value is not None else ""

    trainable_bytes, frozen_bytes = sizes if sizes is not None else (None, None)
    return [f" Total params: {total:,}{size(sizes and trainable_bytes + frozen_bytes)}",
            f" Trainable params: {total - frozen:,}{size(trainable_bytes)}",
            f" Non-trainable params: {frozen:,}{size(frozen_bytes)}"]


def render_models(results: list[ModelResult], terminal_columns: int | None = None) -> list[str]:
    """Every model of one file, named and numbered as Keras would in one session."""
    names = keras_model_names(results)
    op_names = mask_op_names(session_events(results))
    others = {id(result.model): result for result in results}
    called = {id(call.layer) for result in results for call in result.model.calls}
    return [_unbuilt(result, names, terminal_columns) if _never_built(result.model, id(result.model) in called)
            else render_model(result, terminal_columns, names, others, op_names) for result in results]


def _never_built(model: ModelGraph, called: bool) -> bool:
    """A Sequential without an input that nothing builds: no fit, build or call of it."""
    return model.kind == "sequential" and not model.inputs and not _sequential_builds(model, called)


def _unbuilt(result: ModelResult, names: dict[int, str], terminal_columns: int | None) -> str:
    """The summary of a model never built, as Keras prints it: no shapes, and no parameters
    ("0 (unbuilt)" for a layer that makes its weights on its first input)."""
    rows = [[f"{row.name} ({class_name(row.type)})", "?", "0" if row.type in _BUILT_AS_MADE else "0 (unbuilt)"]
            for row in result.layers]
    default, positions, header, align = _CHAIN
    terminal = terminal_columns or shutil.get_terminal_size().columns
    table = _table(header, rows, column_widths(default, positions, terminal), align)
    zero = f"0 ({readable_memory_size(0)})"
    return "\n".join([f'Model: "{names.get(id(result.model), "?")}"', *table, f" Total params: {zero}",
                      f" Trainable params: {zero}", f" Non-trainable params: {zero}"])


def render_model(result: ModelResult, terminal_columns: int | None = None,
                 names: dict[int, str] | None = None, others: dict[int, ModelResult] | None = None,
                 op_names: dict[tuple[int, int, int], list[MaskOp]] | None = None) -> str:
    """One model's summary table and totals, as Keras 3 prints it.

    ``names`` are the file's model names (``keras_model_names``), ``others`` its results by
    graph, for nested models, ``op_names`` its mask operations' names (``mask_op_names``);
    alone, a model is named as if it were the session's first.
    """
    terminal = terminal_columns or shutil.get_terminal_size().columns
    totals = _totals(result, others)
    names = names if names is not None else keras_model_names([result])
    header_line = f'Model: "{names.get(id(result.model), "?")}"'
    if result.model.kind == "functional":
        if op_names is None:
            op_names = mask_op_names(session_events([result]))
        result = keras_graph(result, op_names)
    model = result.model
    keys = layer_keys(model)
    labels = _row_labels(result, keys, names)
    connections = _connections(result, keys, names) if model.kind == "functional" else None
    layers = list(zip(result.layers, connections or [""] * len(result.layers)))
    chain = True
    found = keras_layer_order(model) if connections else None
    if found is not None:
        order, chain = found
        row_of = {id(key): row for key, row in zip(keys, layers)}
        layers = [row_of[id(op)] for op in order if id(op) in row_of]
    default, positions, header, align = _CHAIN if chain else _GRAPH
    widths = column_widths(default, positions, terminal)
    if model.kind == "subclassed":  # ops in its call() are plain tensor operations there, not layers
        layers = [(layer, connected) for layer, connected in layers if not layer.type.startswith("ops.")]
    rows = []
    for layer, connected in layers:
        params = "?" if layer.params is None else f"{layer.params:,}"
        row = [labels[id(layer)], format_shape(layer.output), params]
        rows.append(row if chain else row + [connected])
    table = _table(header, rows, widths, align, fold=header.index("Param #"))
    return "\n".join([header_line, *table, *totals])
