"""A run over many inputs: discovery, reading (files, notebooks, stdin), checking, in order.

With ``jobs`` > 1 the files are checked in worker processes; results still come in input order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from itertools import repeat
from typing import Iterable, Iterator, Union

from kerascheck.config import Options
from kerascheck.report import FileReport

STDIN = "-"
_WARM_UP = "import keras\nkeras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n"


@dataclass(frozen=True)
class StdinInput:
    """Source text read from standard input, checked under ``name``."""

    raw: bytes
    name: str


Item = Union[str, StdinInput]


def check_item(item: Item, options: Options) -> FileReport:
    """Check one file path or stdin input; never raises.

    A file that never mentions Keras gets an empty report without being parsed; one over
    ``options.max_file_size`` gets KC004 instead of a parse (unless it asks to be skipped).
    """
    from kerascheck.files import mentions_keras, read_program, too_large
    from kerascheck.suppression import skip_file

    path = item.name if isinstance(item, StdinInput) else item
    raw = item.raw if isinstance(item, StdinInput) else None
    options = options.for_file(path)
    source, problem = read_program(path, raw)
    if source is None:
        return FileReport(path, [problem] if options.enabled(problem.code) else [])
    if not mentions_keras(source.text) or skip_file(source.text):
        return FileReport(path, cells=source.cells)
    oversized = too_large(source.text, options.max_file_size)
    if oversized is not None:
        return FileReport(path, [oversized] if options.enabled(oversized.code) else [], cells=source.cells)
    from kerascheck import check_source

    result = check_source(source.text, path, options)
    return FileReport(path, result.diagnostics, result.models, source.cells)


def items(paths: Iterable[str], options: Options, stdin: StdinInput | None = None) -> list[Item]:
    """Every file to check, each once, sorted by path so that the output is the same whatever
    the order the paths were given in; ``-`` (stdin) comes first."""
    from kerascheck.files import discover

    files = sorted(set(discover([p for p in paths if p != STDIN], options)))
    return ([stdin] if stdin is not None and STDIN in paths else []) + files


def check_items(work: list[Item], options: Options, jobs: int = 1) -> Iterator[FileReport]:
    """Check every item, in order; ``jobs`` worker processes (0: one per CPU)."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(work) < 2:
        for item in work:
            yield check_item(item, options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if multiprocessing.get_start_method() == "fork":
        # Forked workers share what the parent imported; otherwise each would import libcst and
        # every rule module again (~0.3 s of CPU each, measured), competing for the same cores.
        # Checking a tiny model imports exactly what a check needs.
        from kerascheck import check_source

        check_source(_WARM_UP, "<warm-up>")
    workers = min(jobs, len(work))
    chunk = max(1, len(work) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(check_item, work, repeat(options), chunksize=chunk)
