"""Finding the files to check and reading them safely (encodings, binary content, errors)."""

from __future__ import annotations

import fnmatch
import io
import os
import tokenize
from typing import TYPE_CHECKING, Iterable, Iterator

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import Position

if TYPE_CHECKING:
    from kerascheck.config import Options

SOURCE_SUFFIXES = (".py",)
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".tox", ".nox", ".eggs", "*.egg", "__pycache__",
                   ".venv", "venv", ".mypy_cache", ".pytest_cache", "node_modules")

_START = Position(1, 1, 1, 1)


def discover(paths: Iterable[str], options: Options | None = None) -> Iterator[str]:
    """Every file named, and every source file under every directory named (sorted walk)."""
    exclude = DEFAULT_EXCLUDE + (tuple(options.exclude) if options else ())
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, exclude)
        else:
            yield path


def _excluded(name: str, exclude: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in exclude)


def _walk(top: str, exclude: tuple[str, ...]) -> Iterator[str]:
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not _excluded(d, exclude))
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES) and not _excluded(name, exclude):
                yield os.path.join(root, name)


def read_source(path: str) -> tuple[str, None] | tuple[None, Diagnostic]:
    """The decoded text (PEP 263 and BOM respected), or a KC002 diagnostic saying why not."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return None, diagnostic("KC002", _START, detail=error.strerror or type(error).__name__)
    return decode_source(raw)


def decode_source(raw: bytes) -> tuple[str, None] | tuple[None, Diagnostic]:
    """Decode bytes as Python would read them, or say why they are not Python text."""
    if b"\0" in raw:
        return None, diagnostic("KC002", _START, detail="binary content (NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return raw.decode(encoding), None
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        detail = error.reason if isinstance(error, UnicodeDecodeError) else str(error)
        return None, diagnostic("KC002", _START, detail=f"not valid text in its declared encoding ({detail})")
