"""A run over many inputs: discovery, reading (files, notebooks, stdin), checking, in order.

With ``jobs`` > 1 the files are checked in worker processes; results still come in input order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Union

from kerascheck.config import Options
from kerascheck.report import FileReport, quoted_lines

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic

STDIN = "-"
# Memory at -j N grows with both (measured: 380-file batches, all submitted at once, took the
# largest process from 36 to 65 MiB between 304 and 3,040 Keras files).
MAX_BATCH = 16
BATCHES_IN_FLIGHT_PER_WORKER = 4
_WARM_UP = "import keras\nkeras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n"


@dataclass(frozen=True)
class StdinInput:
    """Source text read from standard input, checked under ``name``."""

    raw: bytes
    name: str


Item = Union[str, StdinInput]


def not_checked(text: str, options: Options) -> list[Diagnostic] | None:
    """What to report instead of checking the text, or None when it is to be checked.

    Nothing for a text that never mentions Keras or asks to be skipped (recognised without a
    parse); KC004, if enabled, for one over ``options.max_file_size``.
    """
    from kerascheck.files import mentions_keras, too_large
    from kerascheck.suppression import skip_file

    if not mentions_keras(text) or skip_file(text):
        return []
    oversized = too_large(text, options.max_file_size)
    if oversized is not None:
        return [oversized] if options.enabled(oversized.code) else []
    return None


def check_item(item: Item, options: Options) -> FileReport:
    """Check one file path or stdin input (see ``not_checked`` for what is not parsed); never raises."""
    from kerascheck.files import read_program

    path = item.name if isinstance(item, StdinInput) else item
    raw = item.raw if isinstance(item, StdinInput) else None
    options = options.for_file(path)
    source, problem = read_program(path, raw)
    if source is None:
        return FileReport(path, [problem] if options.enabled(problem.code) else [])
    fixable = raw is None and source.cells is None
    instead = not_checked(source.text, options)
    if instead is not None:
        return FileReport(path, instead, cells=source.cells, fixable=fixable,
                          quoted=quoted_lines(source.text, instead))
    from kerascheck import check_source

    result = check_source(source.text, path, options)
    diagnostics = result.diagnostics
    if source.cells is not None:
        diagnostics = _in_cells(source.problems, diagnostics, source.cells, options)
    return FileReport(path, diagnostics, result.models, source.cells, fixable, result.keras_version,
                      result.keras_version_source, quoted_lines(source.text, diagnostics))


def _in_cells(problems: list[Diagnostic], diagnostics: list[Diagnostic], cells: list, options: Options) -> list[Diagnostic]:
    """A notebook's diagnostics: its cells that do not parse, then the program's, with their
    line references said as notebook places (``cell 3, line 7``)."""
    from dataclasses import replace

    from kerascheck.notebooks import localise

    found = [d for d in problems if options.enabled(d.code)] + [
        replace(d, message=localise(d.message, cells), hint=d.hint and localise(d.hint, cells))
        for d in diagnostics]
    return sorted(found, key=lambda d: (d.position.line, d.position.column, d.code))


def items(paths: Iterable[str], options: Options, stdin: StdinInput | None = None) -> list[Item]:
    """Every file to check, each once, sorted by path so that the output is the same whatever
    the order the paths were given in; ``-`` (stdin) comes first."""
    from kerascheck.files import discover

    files = sorted(set(discover([p for p in paths if p != STDIN], options)))
    return ([stdin] if stdin is not None and STDIN in paths else []) + files


def check_items(work: list[Item], options: Options, jobs: int = 1) -> Iterator[FileReport]:
    """Check every item, in order; ``jobs`` worker processes (0: one per CPU). A worker that dies
    (killed by the system, out of memory) loses no result: the files it may have held are
    checked again each in a process of its own, and the one that kills that process is KC901."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(work) < 2:
        for item in work:
            yield check_item(item, options)
        return
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    if multiprocessing.get_start_method() == "fork":
        # Forked workers share what the parent imported; otherwise each would import libcst and
        # every rule module again (~0.3 s of CPU each, measured), competing for the same cores.
        # Checking a tiny model imports exactly what a check needs.
        from kerascheck import check_source

        check_source(_WARM_UP, "<warm-up>")
    workers = min(jobs, len(work))
    # Batches of a few files keep the inter-process overhead low; few batches in flight keep
    # memory flat: a worker returns a batch's reports (models included) at once, and reports
    # checked ahead of the output (a slow reader of stdout) wait in memory.
    size = max(1, min(len(work) // (workers * 4), MAX_BATCH))
    done = 0
    while done < len(work):
        try:
            for report in _in_workers(work[done:], options, workers, size):
                yield report
                done += 1
        except BrokenProcessPool:
            for item in work[done:done + size * workers * BATCHES_IN_FLIGHT_PER_WORKER]:
                yield _check_alone(item, options)
                done += 1


def _in_workers(work: list[Item], options: Options, workers: int, size: int) -> Iterator[FileReport]:
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    batches = (work[i:i + size] for i in range(0, len(work), size))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[list[FileReport]]] = deque()
        for batch in batches:
            pending.append(pool.submit(check_batch, batch, options))
            if len(pending) >= workers * BATCHES_IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _check_alone(item: Item, options: Options) -> FileReport:
    """``check_item`` in a process of its own; KC901 when that process dies."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(check_batch, [item], options).result()[0]
        except BrokenProcessPool:
            from kerascheck.diagnostics import diagnostic
            from kerascheck.graph import Position

            path = item.name if isinstance(item, StdinInput) else item
            died = diagnostic("KC901", Position(1, 1, 1, 1),
                              detail="the process checking it died (killed by the system: out of memory?)")
            return FileReport(path, [died] if options.for_file(path).enabled("KC901") else [])


def check_batch(batch: list[Item], options: Options) -> list[FileReport]:
    """``check_item`` over a few items, in a worker process."""
    return [check_item(item, options) for item in batch]
