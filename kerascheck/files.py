"""Finding the files to check and reading them safely (encodings, binary content, errors)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import Position

if TYPE_CHECKING:
    from kerascheck.config import Options
    from kerascheck.notebooks import CellLine

SOURCE_SUFFIXES = (".py", ".ipynb")
NOTEBOOK_SUFFIX = ".ipynb"
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".tox", ".nox", ".eggs", "*.egg", "__pycache__",
                   ".venv", "venv", ".mypy_cache", ".pytest_cache", "node_modules")

_START = Position(1, 1, 1, 1)
# Text a file must contain to possibly build or use a Keras model; files without any are
# recognised as not using Keras without being parsed.
KERAS_MARKERS = ("keras", "tensorflow")
_UTF8_BOM = b"\xef\xbb\xbf"


def mentions_keras(text: str) -> bool:
    """Whether the text names keras or tensorflow anywhere (else there is nothing to check)."""
    return any(marker in text for marker in KERAS_MARKERS)


def discover(paths: Iterable[str], options: Options | None = None) -> Iterator[str]:
    """Every file named, and every source file under every directory named (sorted walk).

    ``exclude`` patterns match a file or directory name, or its path relative to the config's
    directory; a file named explicitly is checked unless a user pattern excludes it.
    """
    user = tuple(options.exclude) if options else ()
    root = options.root if options else None
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, DEFAULT_EXCLUDE + user, root)
        elif not _excluded(path, user, root):
            yield path


def _excluded(path: str, exclude: tuple[str, ...], root: str | None) -> bool:
    from kerascheck.config import matches_any

    return matches_any(path, exclude, root)


def _walk(top: str, exclude: tuple[str, ...], root: str | None) -> Iterator[str]:
    for here, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not _excluded(os.path.join(here, d), exclude, root))
        for name in sorted(files):
            path = os.path.join(here, name)
            if name.endswith(SOURCE_SUFFIXES) and not _excluded(path, exclude, root) \
                    and not _special(path):
                yield path


def _special(path: str) -> bool:
    """A FIFO, socket or device: reading one can block forever, so a walk passes it by (named
    explicitly, it is read: ``kerascheck <(cat model.py)`` names a pipe). A dangling link is
    not special: it is reported as unreadable."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def too_large(text: str, limit_mb: float) -> Diagnostic | None:
    """KC004 when the text is over ``limit_mb`` megabytes of UTF-8 (0: no limit)."""
    limit = limit_mb * 1_000_000
    if not limit or len(text) <= limit / 4:  # a character is at most 4 bytes
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    return diagnostic("KC004", _START, size=f"{size / 1_000_000:.3g}", limit=f"{limit_mb:g}")


def decode_source(raw: bytes) -> tuple[str, None] | tuple[None, Diagnostic]:
    """Decode bytes as Python would read them, or say why they are not Python text."""
    if b"\0" in raw:
        return None, diagnostic("KC002", _START, detail="binary content (NUL bytes)")
    try:
        return raw.decode(_encoding(raw)), None
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        detail = error.reason if isinstance(error, UnicodeDecodeError) else str(error)
        return None, diagnostic("KC002", _START, detail=f"not valid text in its declared encoding ({detail})")


def _encoding(raw: bytes) -> str:
    """The PEP 263 encoding; tokenize (slower to import) only when a coding line may be there."""
    first = raw.find(b"\n")
    second = raw.find(b"\n", first + 1) if first >= 0 else -1
    if b"coding" not in (raw if second < 0 else raw[:second]):
        return "utf-8-sig" if raw.startswith(_UTF8_BOM) else "utf-8"
    import io
    import tokenize

    return tokenize.detect_encoding(io.BytesIO(raw).readline)[0]


# ---- programs ------------------------------------------------------------------------------


@dataclass
class Source:
    """A file's program text. For a notebook (see ``kerascheck.notebooks``): where each line
    comes from, and the cells that do not parse (KC001)."""

    path: str
    text: str
    cells: list[CellLine] | None = None
    problems: list[Diagnostic] = field(default_factory=list)


def is_notebook(path: str) -> bool:
    return path.endswith(NOTEBOOK_SUFFIX)


def read_program(path: str, raw: bytes | None = None) -> tuple[Source, None] | tuple[None, Diagnostic]:
    """What to check for a path (a .py file or a notebook), read from disk unless ``raw`` is given."""
    if raw is None:
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            return None, diagnostic("KC002", _START, detail=error.strerror or type(error).__name__)
    if is_notebook(path):
        from kerascheck.notebooks import read_notebook

        notebook, problem = read_notebook(raw)
        if notebook is None:
            return None, problem
        return Source(path, notebook.text, notebook.cells, notebook.problems), None
    text, problem = decode_source(raw)
    if problem is not None:
        return None, problem
    return Source(path, text), None
