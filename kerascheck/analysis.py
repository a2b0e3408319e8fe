"""One file through every stage: frontend -> shapes, API and data checks -> fix verification ->
filtered diagnostics."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from kerascheck import FileResult
from kerascheck.config import Options
from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import ModelGraph, Position

if TYPE_CHECKING:
    from kerascheck.graph import FrontendResult
    from kerascheck.shapes.propagate import BuiltLayers, LayerNames, ModelResult


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
    runs = {version: _check_models(found, text, version, resolution.releases)
            for version in ((resolution.version,) if resolution.version else (3, 2))}
    if resolution.version is None:
        diagnostics = merge_versions({version: run[0] for version, run in runs.items()})
    else:
        diagnostics = runs[resolution.version][0]
    models = runs[resolution.version or 3][1]
    diagnostics = list(found.diagnostics) + diagnostics
    if any(d.fails for d in diagnostics):  # on one Keras of an unknown version: what fails says more
        diagnostics = [d for d in diagnostics if d.code != "KC920"]
    if found.expected_failures:  # the file's own problems (KC0xx) are never expected
        diagnostics = [d for d in diagnostics if d.code.startswith("KC0") or not any(
            first <= d.position.line <= last for first, last in found.expected_failures)]
    if found.column_shifts:
        diagnostics = [_unshifted(d, found.column_shifts) for d in diagnostics]
    return FileResult(path, diagnostics, models, resolution.version, resolution.source)


def _check_models(found: FrontendResult, text: str, version: int,
                  releases: tuple[str, ...] | None = None) -> tuple[list[Diagnostic], list[ModelResult]]:
    """Every version-dependent check of a file's models on one Keras version (``releases``: the
    standalone keras releases it may run on, when known): its diagnostics (each fix verified)
    and the models' results."""
    from kerascheck.fixes.verify import verified
    from kerascheck.shapes.coverage import partly_checked
    from kerascheck.shapes.propagate import LayerNames
    from kerascheck.versions import check_imports, repeated_at_use
    from kerascheck.versions.backend import check_backend_functions
    from kerascheck.versions.calls import check_calls
    from kerascheck.versions.modules import check_keras3_modules

    diagnostics = check_imports(found.imports, version, releases) + check_calls(text, version, found.imports) + \
        check_keras3_modules(text, version) + \
        (found.keras3_diagnostics + check_backend_functions(text, found.imports) if version == 3 else [])
    repeated = repeated_at_use(found.imports, version)
    names = LayerNames()
    built: BuiltLayers = {}  # a layer reused by several models is built by its first call
    results = {}
    # A model built by its first call inside another gets its input from that call: callers first.
    for model in sorted(found.models, key=lambda m: m.input_from_first_call):
        model.keras_version = version
        model.keras_releases = releases
        if model.inputs_by_version is not None:
            model.inputs = model.inputs_by_version[version]
        for spec in model.inputs:
            if spec.batch_by_version is not None:  # a Sequential built by its first data
                spec.shape = (spec.batch_by_version[version],) + spec.shape[1:]
        result = _check_model(model, version, names, built)
        for inner, inputs in result.first_calls:
            if not any(isinstance(spec.shape, tuple) for spec in inner.inputs):
                inner.inputs = inputs  # Keras builds it on this first call: its own checks use this input
        if model.kind == "subclassed":  # its layers live in __init__ and call(): no rewrite knows that code
            result.diagnostics = [replace(d, fix=None) for d in result.diagnostics]
        else:
            result.diagnostics = verified(model, result.diagnostics,
                                          lambda graph: _check_model(graph, version).diagnostics)
        result.diagnostics = [d for d in result.diagnostics if d.code != "KC523" or d.message not in repeated]
        diagnostics.extend(result.diagnostics)
        results[id(model)] = result
    if not any(d.fails for d in (*found.diagnostics, *diagnostics)):  # else what fails says more
        for model in found.models:
            partly = partly_checked(results[id(model)])
            if partly is not None:
                results[id(model)].diagnostics.append(partly)
                diagnostics.append(partly)
    return diagnostics, [results[id(model)] for model in found.models]


def _check_model(model: ModelGraph, version: int, names: LayerNames | None = None,
                 built: BuiltLayers | None = None) -> ModelResult:
    """A model's shape, API and data checks; their fixes are candidates. The same checks run
    on the source's graph and on each candidate fix's changed graph."""
    from kerascheck.data import check_data
    from kerascheck.shapes.propagate import propagate
    from kerascheck.versions import check_api

    result = propagate(model, names, built)
    result.diagnostics.extend(_unless_undecided(lambda: check_api(model, version)))
    result.diagnostics.extend(check_data(result))
    return result


def _unshifted(d: Diagnostic, shifts: dict[int, int]) -> Diagnostic:
    """A diagnostic found in the text with tabs expanded, at its columns in the file as written;
    without its fix, whose edits address the expanded text."""
    p = d.position
    position = Position(p.line, max(p.column - shifts.get(p.line, 0), 1),
                        p.end_line, max(p.end_column - shifts.get(p.end_line, 0), 1))
    return replace(d, position=position, fix=None)
