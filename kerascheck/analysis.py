"""One file through every stage: frontend -> shapes -> data checks -> filtered diagnostics."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from kerascheck import FileResult
from kerascheck.config import Options
from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import Position

if TYPE_CHECKING:
    from kerascheck.graph import FrontendResult
    from kerascheck.shapes.propagate import ModelResult


def analyse(text: str, path: str, options: Options | None = None) -> FileResult:
    """Check one file; an exception inside kerascheck becomes a KC901 diagnostic, never a crash."""
    from kerascheck.suppression import apply_noqa, skip_file

    options = options or Options()
    if skip_file(text):
        return FileResult(path)
    try:
        result = _analyse(text, path, options)
    except (Exception, RecursionError) as error:  # a bug of ours must not hide other files
        detail = f"{type(error).__name__}: {error}".splitlines()[0][:200]
        result = FileResult(path, [diagnostic("KC901", Position(1, 1, 1, 1), detail=detail)])
    kept = apply_noqa(text, result.diagnostics) if options.noqa else result.diagnostics
    # A layer shared by two models, or a model function called twice, is one problem in the
    # source; it stays fixable only if every model agrees on the fix.
    unique: dict[tuple, Diagnostic] = {}
    for d in kept:
        if options.enabled(d.code):
            key = (d.code, d.position, d.message)
            seen = unique.get(key)
            unique[key] = d if seen is None or seen.fix == d.fix else replace(d, fix=None)
    result.diagnostics = sorted(unique.values(), key=lambda d: (d.position.line, d.position.column, d.code))
    return result


def _named_dims_unknown(result: ModelResult) -> ModelResult:
    """The model as data checks see it: symbolic dims are None (data has values, not names)."""
    from kerascheck.shapes.symbolic import erase, has_symbols

    shapes = [result.inputs, result.outputs, [row.output for row in result.layers],
              [spec.shape for spec in result.model.inputs]]
    if not has_symbols(shapes):
        return result
    model = replace(result.model, inputs=[replace(spec, shape=erase(spec.shape)) for spec in result.model.inputs])
    return replace(result, model=model, inputs=erase(result.inputs), outputs=erase(result.outputs),
                   layers=[replace(row, output=erase(row.output)) for row in result.layers], calls=None)


def _unless_undecided(check: Callable[[], list[Diagnostic]]) -> list[Diagnostic]:
    """A check's diagnostics; none when its answer depends on a symbolic dim's value."""
    from kerascheck.shapes.symbolic import Undecided

    try:
        return check()
    except Undecided:
        return []


def _analyse(text: str, path: str, options: Options) -> FileResult:
    from kerascheck.frontend import build_graphs
    from kerascheck.versions.policy import merge_versions
    from kerascheck.versions.resolve import resolve_version

    found = build_graphs(text)
    resolution = resolve_version(path, text, found.imports, options)
    # An unknown Keras: checked on each; the policy keeps as errors what fails on both.
    runs = {version: _check_models(found, version) for version in ((resolution.version,) if resolution.version else (3, 2))}
    if resolution.version is None:
        diagnostics = merge_versions({version: run[0] for version, run in runs.items()})
    else:
        diagnostics = runs[resolution.version][0]
    models = runs[resolution.version or 3][1]
    diagnostics = list(found.diagnostics) + diagnostics
    if found.column_shifts:
        diagnostics = [_unshifted(d, found.column_shifts) for d in diagnostics]
    return FileResult(path, diagnostics, models, resolution.version, resolution.source)


def _check_models(found: FrontendResult, version: int) -> tuple[list[Diagnostic], list[ModelResult]]:
    """Every version-dependent check of a file's models on one Keras version: its diagnostics
    and the models' results."""
    from kerascheck.data import check_data
    from kerascheck.shapes.propagate import LayerNames, propagate
    from kerascheck.versions import check_api, check_imports

    diagnostics = check_imports(found.imports, version) + (found.keras3_diagnostics if version == 3 else [])
    names = LayerNames()
    results = {}
    # A model built by its first call inside another gets its input from that call: callers first.
    for model in sorted(found.models, key=lambda m: m.input_from_first_call):
        model.keras_version = version
        result = propagate(model, names)
        result.diagnostics.extend(_unless_undecided(lambda: check_api(model, version)))
        result.diagnostics.extend(_unless_undecided(lambda: check_data(_named_dims_unknown(result))))
        if model.kind == "subclassed":  # its layers live in __init__ and call(): no rewrite knows that code
            result.diagnostics = [replace(d, fix=None) for d in result.diagnostics]
        diagnostics.extend(result.diagnostics)
        results[id(model)] = result
    return diagnostics, [results[id(model)] for model in found.models]


def _unshifted(d: Diagnostic, shifts: dict[int, int]) -> Diagnostic:
    """A diagnostic found in the text with tabs expanded, at its columns in the file as written;
    without its fix, whose edits address the expanded text."""
    p = d.position
    position = Position(p.line, max(p.column - shifts.get(p.line, 0), 1),
                        p.end_line, max(p.end_column - shifts.get(p.end_line, 0), 1))
    return replace(d, position=position, fix=None)
