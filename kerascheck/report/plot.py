"""``kerascheck plot``: each model as a picture, like Keras's ``plot_model(show_shapes=True,
show_layer_names=True)``, drawn from the static results (no TensorFlow).

One box per layer (a shared layer once, a nested model as one box) with its name and class,
the input and output shapes of its first call, and its parameter count; an edge for every
tensor a call reads, so merges, shared layers and nested models show as in the real graph.
The first layer of a model with an error is red, with the code and message; what is not known
is ``?``. A Sequential has no input box, as in Keras. Written as Graphviz DOT, as Mermaid
(``.mmd``, or fenced in ``.md``), or through Graphviz's ``dot`` program as SVG, PNG or PDF.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kerascheck.graph import InputSpec, LayerCall, LayerNode, ModelGraph, Position, TensorRef
from kerascheck.report.steps import call_shapes
from kerascheck.report.summary import class_name, keras_model_names
from kerascheck.report.summary_graph import flat, layer_keys
from kerascheck.shapes.base import format_shape

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.report import FileReport
    from kerascheck.shapes.propagate import ModelResult

TEXT_FORMATS = {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".md": "markdown"}
GRAPHVIZ_FORMATS = (".svg", ".png", ".pdf")
_WRAP = 48  # characters per line of an error message in a box
_ERROR_FILL, _ERROR_LINE = "#f8d7da", "#c62828"


class PlotError(Exception):
    """The picture cannot be written as asked (unknown extension, no Graphviz, no such model)."""


@dataclass
class Box:
    """One layer (or model input) of the picture."""

    title: str  # "lstm (LSTM)"
    lines: list[str]  # "Input shape: ...", "Output shape: ...", "Params: ..."
    error: list[str] = field(default_factory=list)  # the code and message, wrapped


@dataclass
class Diagram:
    """One model: its boxes and the edges between them (indices into ``boxes``)."""

    title: str
    boxes: list[Box]
    edges: list[tuple[int, int]]


def diagrams(report: FileReport, model: str | None = None) -> list[Diagram]:
    """The pictures of a checked file's models (``model``: only the one of that Keras or
    variable name). Layers no model holds are not drawn."""
    results = [r for r in report.models if r.model.kind != "unattached"]
    names = keras_model_names(results)
    if model is not None:
        results = [r for r in results if model in (r.model.name, names.get(id(r.model)))]
    errors = [d for d in report.diagnostics if d.severity == "error"]
    return [_diagram(result, names, errors) for result in results]


def model_names(report: FileReport) -> list[str]:
    """The names ``--model`` accepts for a file's models: Keras's name (variable name)."""
    results = [r for r in report.models if r.model.kind != "unattached"]
    names = keras_model_names(results)
    return [f"{names.get(id(r.model), '?')} ({r.model.name})" for r in results]


def _diagram(result: ModelResult, names: dict[int, str], errors: list[Diagnostic]) -> Diagram:
    model = result.model
    keys = layer_keys(model)
    if len(keys) != len(result.layers):  # propagate's rows cannot be matched to layers: no edges
        keys = [None] * len(result.layers)
    index = {id(key): i for i, key in enumerate(keys) if key is not None}
    first_call: dict[int, int] = {}
    for k, call in enumerate(model.calls):
        if not (call.eager and isinstance(call.layer, LayerNode)):  # run at once on constants: no node
            first_call.setdefault(id(call.layer), k)
    steps = call_shapes(result)
    broken = _first_error(model.calls, errors)
    boxes = []
    for key, row in zip(keys, result.layers):
        kind = class_name(row.type)
        name = row.name
        if isinstance(key, ModelGraph):
            name, kind = names.get(id(key), row.name), key.class_name or row.type
        lines = []
        if not isinstance(key, InputSpec):
            call = first_call.get(id(key))
            lines.append(f"Input shape: {format_shape(steps[call].input) if call is not None else '?'}")
        lines += [f"Output shape: {format_shape(row.output)}", f"Params: {_count(row.params)}"]
        error = []
        if broken is not None and key is model.calls[broken[0]].layer:
            error = textwrap.wrap(f"{broken[1].code} {broken[1].message}", _WRAP)
        boxes.append(Box(f"{name} ({kind})", lines, error))
    edges: list[tuple[int, int]] = []
    for call in model.calls:
        for ref in flat(call.inputs):
            source = _producer(model, ref)
            edge = (index.get(id(source), -1), index.get(id(call.layer), -1))
            if -1 not in edge and edge not in edges:
                edges.append(edge)
    title = f"{names.get(id(model), model.name)} ({model.name}, line {model.position.line})"
    return Diagram(title, boxes, edges)


def _first_error(calls: list[LayerCall], errors: list[Diagnostic]) -> tuple[int, Diagnostic] | None:
    """The first call (in build order) an error is reported inside, and that error."""
    for k, call in enumerate(calls):
        inside = [d for d in errors if _within(d.position, call.position)]
        if inside:
            return k, inside[0]
    return None


def _within(position: Position, outer: Position) -> bool:
    return (outer.line, outer.column) <= (position.line, position.column) \
        and (position.end_line, position.end_column) <= (outer.end_line, outer.end_column)


def _producer(model: ModelGraph, ref: Any) -> Any:
    if not isinstance(ref, TensorRef):
        return None
    if ref.input is not None:
        return model.inputs[ref.input] if ref.input < len(model.inputs) else None
    return model.calls[ref.call].layer if ref.call is not None and ref.call < len(model.calls) else None


def _count(value: Any) -> str:
    if value is None:
        return "?"
    return f"{value:,}" if isinstance(value, int) else str(value)


# ---- renderings ------------------------------------------------------------------------------


def dot_text(pictures: list[Diagram]) -> str:
    """Graphviz DOT: one cluster per model, one box per layer, top to bottom."""

    def quoted(lines: list[str]) -> str:
        escaped = [line.replace("\\", "\\\\").replace('"', '\\"') for line in lines]
        return '"' + "\\n".join(escaped) + '"'

    out = ["digraph kerascheck {", "  rankdir=TB;",
           '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
           '  edge [penwidth=2];']
    for m, picture in enumerate(pictures):
        out += [f"  subgraph cluster_{m} {{", f"    label={quoted([picture.title])};", '    fontname="Helvetica";']
        for n, box in enumerate(picture.boxes):
            style = f', fillcolor="{_ERROR_FILL}", color="{_ERROR_LINE}", penwidth=2' if box.error else ""
            out.append(f"    m{m}_{n} [label={quoted([box.title, *box.lines, *box.error])}{style}];")
        out += [f"    m{m}_{a} -> m{m}_{b};" for a, b in picture.edges]
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def mermaid_text(pictures: list[Diagram]) -> str:
    """A Mermaid flowchart (GitHub renders it in Markdown): one subgraph per model."""

    def escaped(line: str) -> str:
        return line.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")

    out = ["flowchart TB", f"  classDef error fill:{_ERROR_FILL},stroke:{_ERROR_LINE},stroke-width:2px"]
    for m, picture in enumerate(pictures):
        out.append(f'  subgraph m{m}["{escaped(picture.title)}"]')
        out.append("    direction TB")
        for n, box in enumerate(picture.boxes):
            text = "<br/>".join([f"<b>{escaped(box.title)}</b>", *map(escaped, [*box.lines, *box.error])])
            out.append(f'    m{m}_{n}["{text}"]' + (":::error" if box.error else ""))
        out += [f"    m{m}_{a} --> m{m}_{b}" for a, b in picture.edges]
        out.append("  end")
    return "\n".join(out) + "\n"


def write(pictures: list[Diagram], target: str) -> None:
    """Write the pictures to ``target`` in the format its extension names."""
    suffix = "." + target.rsplit(".", 1)[-1].lower() if "." in target else ""
    kind = TEXT_FORMATS.get(suffix)
    if kind == "dot":
        text = dot_text(pictures)
    elif kind == "mermaid":
        text = mermaid_text(pictures)
    elif kind == "markdown":
        text = "```mermaid\n" + mermaid_text(pictures) + "```\n"
    elif suffix in GRAPHVIZ_FORMATS:
        _graphviz(dot_text(pictures), suffix[1:], target)
        return
    else:
        known = ", ".join([*TEXT_FORMATS, *GRAPHVIZ_FORMATS])
        raise PlotError(f"cannot tell the format of {target!r} from its extension: use one of {known}")
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(text)


def _graphviz(dot: str, fmt: str, target: str) -> None:
    program = shutil.which("dot")
    if program is None:
        raise PlotError(f"writing .{fmt} needs Graphviz's `dot` program, which is not installed: "
                        "`apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` (macOS), "
                        "or see https://graphviz.org/download/; .dot, .mmd and .md need nothing")
    done = subprocess.run([program, f"-T{fmt}", "-o", target], input=dot.encode(), capture_output=True)
    if done.returncode != 0:
        raise PlotError(f"Graphviz's dot failed: {done.stderr.decode(errors='replace').strip()}")
