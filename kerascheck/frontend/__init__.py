"""libcst -> ModelGraph: find the Keras models a file builds. Nothing here knows shapes.

``build_graphs`` never raises for bad input: a file CPython cannot parse is KC001, one nested too
deep for the parsers is KC003 (libcst's native parser would crash the process on it), and a file
that never mentions Keras is not parsed at all.
"""

from __future__ import annotations

import ast
import gc
import threading
import warnings
from typing import TYPE_CHECKING

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.files import mentions_keras
from kerascheck.graph import FrontendResult, ImportRecord, ModelGraph, Position, TensorRef

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["build_graphs"]

# Deepest expression nesting handed to libcst. Measured: its native parser handles a 6,000-term
# `a and b and ...` chain and segfaults at 10,000; CPython's own parser stops near 2,500 for most
# constructs, but keeps `and`/`or` chains flat, so those are the ones this limit catches.
MAX_NESTING = 3_000
_PARSING = threading.Lock()


def build_graphs(text: str) -> FrontendResult:
    """The models built in ``text``, the frontend's diagnostics, and the modules it imports."""
    if not mentions_keras(text):
        return FrontendResult([])
    # libcst allocates hundreds of thousands of acyclic nodes; the cyclic collector would walk
    # them over and over (measured: ~45% of the frontend's time on a 5,000-line file).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(text)
    finally:
        if collecting:
            gc.enable()


def _build(text: str) -> FrontendResult:
    tree, problem = _guard(text)
    if problem is not None:
        return FrontendResult([], [problem])
    import libcst as cst

    try:
        module = _parse(text)
    except cst.ParserSyntaxError as error:
        # CPython accepted the text: libcst's own limits, never the user's syntax error.
        spaced = spaces_for_tabs(text)
        try:
            module = _parse(spaced) if spaced != text else None
        except cst.ParserSyntaxError:
            module = None
        if module is None:
            detail = error.message.splitlines()[0] if error.message else "rejected"
            return FrontendResult([], [diagnostic("KC005", Position(1, 1, 1, 1), detail=detail)])
        result = _interpret(module, ast.parse(spaced), spaced)
        result.column_shifts = _shifts(text, spaced)
        return result
    except RecursionError:
        return FrontendResult([], [diagnostic("KC003", Position(1, 1, 1, 1),
                                              detail="expressions nested too deep to parse")])
    return _interpret(module, tree, text)


def spaces_for_tabs(text: str) -> str:
    """The text with each code line's indentation in spaces, tabs expanded to multiples of 8 as
    CPython measures them (libcst's tokenizer rejects some mixes CPython accepts); lines inside
    multi-line strings are kept."""
    import io
    import tokenize

    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.end[0] > token.start[0]:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return text  # CPython's tokenizer module is stricter than its parser (a "\" before a last CRLF)
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        body = line.lstrip(" \t")
        if "\t" in line[:len(line) - len(body)] and number not in inside:
            lines[number - 1] = line[:len(line) - len(body)].expandtabs(8) + body
    return "".join(lines)


def _shifts(before: str, after: str) -> dict[int, int]:
    """{line: columns added at its start} between two texts that differ only in indentation."""
    return {number: len(new) - len(old)
            for number, (old, new) in enumerate(zip(before.splitlines(), after.splitlines()), start=1)
            if len(new) != len(old)}


def _interpret(module: cst.Module, tree: ast.Module, text: str) -> FrontendResult:
    from kerascheck.frontend.expected_failures import expected_failure_lines
    from kerascheck.frontend.imports import canonical, guarded_import_lines
    from kerascheck.frontend.interpreter import Interpreter
    from kerascheck.frontend.tensor_shapes import record_dim_sources

    bound: list[set[str]] = []

    def bound_names() -> set[str]:
        if not bound:
            bound.append(_bound_names(tree))
        return bound[0]

    interpreter = Interpreter(module, text, bound_names)
    interpreter.run(tree)
    guarded = guarded_import_lines(tree)
    imports = [ImportRecord(name, position, names, canonical(name.lstrip(".")), position.line in guarded)
               for name, names, position in interpreter.imports]
    models = []
    # The signature (arguments and all) is compared only between models whose layers stand at
    # the same places: anything else cannot be the same model.
    kept: dict[tuple, list[ModelGraph]] = {}
    unattached = interpreter.attach_loose_calls()
    graphs = [value.graph for value in interpreter.models] + ([unattached] if unattached else [])
    record_dim_sources(interpreter.dim_reads, graphs, interpreter.placement)
    tails = {id(value.graph): value.tail for value in interpreter.models}
    for graph in graphs:
        if not graph.calls:
            continue
        if graph.kind == "sequential":
            tail = tails[id(graph)]
            graph.outputs = tail if isinstance(tail, TensorRef) else None
        alike = kept.setdefault((graph.kind, graph.position, tuple(call.position for call in graph.calls)), [])
        if alike and _signature(graph) in {_signature(other) for other in alike}:
            continue  # the same function built the same model again
        alike.append(graph)
        models.append(graph)
    diagnostics = list({(d.code, d.position, d.message): d for d in interpreter.diagnostics}.values())
    return FrontendResult(models, diagnostics, imports, interpreter.keras3_diagnostics,
                          expected_failures=expected_failure_lines(tree, text))


def _parse(text: str) -> cst.Module:
    """libcst's tree of ``text``, without libcst's node-by-node validation.

    libcst checks every node its parser builds (~15% of a parse; its own comment says the work
    belongs elsewhere). CPython has accepted this text already, so the parser's nodes are valid:
    the checks are skipped while parsing (one parse at a time; nodes built meanwhile by other
    threads go unchecked too, which changes nothing for valid ones).
    """
    import libcst as cst
    from libcst._nodes.base import CSTNode

    with _PARSING:
        checked = CSTNode.__dict__.get("__post_init__")
        if checked is None:  # another libcst: parse as it does
            return cst.parse_module(text)
        CSTNode.__post_init__ = _unchecked  # type: ignore[method-assign]
        try:
            return cst.parse_module(text)
        finally:
            CSTNode.__post_init__ = checked  # type: ignore[method-assign]


def _unchecked(node: object) -> None:
    """In place of libcst's ``CSTNode.__post_init__``, which only validates the node."""


def _guard(text: str) -> tuple[ast.Module | None, Diagnostic | None]:
    """Parse with CPython first: fast, and it rejects what would crash libcst."""
    start = Position(1, 1, 1, 1)
    try:
        with warnings.catch_warnings():
            # The user's invalid escapes and `x is 1` are not ours to print (SyntaxWarning, 3.12+).
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except SyntaxError as error:
        message = str(error.msg)
        line = error.lineno or 1
        where = Position(line, error.offset or 1, line, error.offset or 1)
        if "too many nested" in message or "too complex" in message:
            return None, diagnostic("KC003", where, detail=message)
        return None, diagnostic("KC001", where, detail=message)
    except (RecursionError, MemoryError):
        return None, diagnostic("KC003", start, detail="expressions nested too deep to parse")
    except ValueError as error:  # NUL bytes and similar
        return None, diagnostic("KC001", start, detail=str(error))
    deep = _too_deep(tree)
    if deep is not None:
        line = getattr(deep, "lineno", 1)
        return None, diagnostic("KC003", Position(line, 1, line, 1),
                                detail=f"an expression nests more than {MAX_NESTING} levels deep")
    return tree, None


def _too_deep(tree: ast.AST) -> ast.AST | None:
    """A node nested more than MAX_NESTING deep (a BoolOp of n values counts n - 1), if any.

    A one-line node cannot nest deeper than it has characters, so short ones are skipped: the
    walk only visits multi-line and very long nodes, which keeps it cheap on large files.
    """
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        depth += len(node.values) - 1 if isinstance(node, ast.BoolOp) else 1
        if depth > MAX_NESTING:
            return node
        for child in ast.iter_child_nodes(node):
            line = getattr(child, "lineno", None)
            if line is not None and line == child.end_lineno \
                    and depth + (child.end_col_offset - child.col_offset) < MAX_NESTING:
                continue
            stack.append((child, depth))
    return None


def _bound_names(tree: ast.AST) -> set[str]:
    """Every name the file binds anywhere (assignments, defs, imports, parameters, globals)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
    return names


def _signature(graph: ModelGraph) -> tuple:
    """What makes two found models the same: positions and arguments of everything in them."""
    def layer_key(layer: object) -> object:
        position = getattr(layer, "position", None)
        return (position, repr(getattr(layer, "args", None)), repr(getattr(layer, "kwargs", None)))

    return (graph.kind, graph.position, repr([spec.shape for spec in graph.inputs]),
            tuple((layer_key(c.layer), repr(c.inputs), c.position) for c in graph.calls),
            repr(graph.compile), repr(graph.data_calls))
