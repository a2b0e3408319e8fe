"""Progress of a long run on a terminal: ``checked 120/3,000 files`` on stderr, redrawn in
place, then one summary line. Only where a person watches: the CLI shows it when stderr is a
terminal, the run has at least ``MIN_FILES`` files and ``--quiet`` is not given."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from kerascheck.report import FileReport

MIN_FILES = 300
_REDRAW_SECONDS = 0.1
_CLEAR = "\r\033[K"


class Progress:
    """Counts reports as they pass; ``write`` prints to stderr without a newline."""

    def __init__(self, total: int, write: Callable[[str], None], clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.write = write
        self.clock = clock

    def wrap(self, reports: Iterable[FileReport]) -> Iterator[FileReport]:
        start = shown = self.clock()
        done = 0
        drawn = False
        for report in reports:
            done += 1
            if report.diagnostics and drawn:  # its lines go to the same terminal: clear ours first
                self.write(_CLEAR)
                drawn = False
            yield report
            now = self.clock()
            if now - shown >= _REDRAW_SECONDS or done == self.total:
                self.write(f"{_CLEAR}checked {done:,}/{self.total:,} files")
                shown, drawn = now, True
        self.write(f"{_CLEAR}checked {done:,} files in {self.clock() - start:.1f} s\n")
