"""Finding the files to check and reading them safely (encodings, binary content, errors)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import Position

if TYPE_CHECKING:
    from kerascheck.config import Options
    from kerascheck.notebooks import CellLine

SOURCE_SUFFIXES = (".py", ".ipynb")
NOTEBOOK_SUFFIX = ".ipynb"
# ruff's default excludes: tool caches, build output, installed packages, notebook checkpoints.
DEFAULT_EXCLUDE = (".bzr", ".direnv", ".eggs", ".git", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox",
                   ".pytest_cache", ".ruff_cache", ".svn", ".tox", ".venv", "venv", "__pycache__",
                   "__pypackages__", "build", "dist", "node_modules", "site-packages", "*.egg", "*.egg-info")
# A directory holding one of these is a Python environment (venv, virtualenv, conda), whatever its name.
ENVIRONMENT_MARKERS = ("pyvenv.cfg", "conda-meta")
IGNORE_FILES = (".gitignore", ".ignore")

_START = Position(1, 1, 1, 1)
# Text a file must contain to possibly build or use a Keras model; files without any are
# recognised as not using Keras without being parsed.
KERAS_MARKERS = ("keras", "tensorflow")
_UTF8_BOM = b"\xef\xbb\xbf"


def mentions_keras(text: str) -> bool:
    """Whether the text names keras or tensorflow anywhere (else there is nothing to check)."""
    return any(marker in text for marker in KERAS_MARKERS)


def discover(paths: Iterable[str], options: Options | None = None) -> Iterator[str]:
    """Every file named, and every source file under every directory named (sorted walk), as
    ruff finds them.

    A walk skips the default excludes, the ``exclude`` patterns (a file or directory name, or a
    path relative to the config's directory), Python environments (a directory holding
    ``pyvenv.cfg`` or ``conda-meta``) and what ``.gitignore`` (in a git work tree) and ``.ignore``
    files ignore. A path named explicitly is always checked, unless ``force_exclude`` is set
    and it or a directory above it is excluded by the patterns or is an environment.
    """
    exclude = DEFAULT_EXCLUDE + (tuple(options.exclude) if options else ())
    root = options.root if options else None
    for path in paths:
        if options is not None and options.force_exclude and _force_excluded(path, exclude, root):
            continue
        if os.path.isdir(path):
            yield from _walk(path, exclude, root)
        else:
            yield path


def _excluded(path: str, exclude: tuple[str, ...], root: str | None) -> bool:
    from kerascheck.config import matches_any

    return matches_any(path, exclude, root)


def _environment(directory: str) -> bool:
    return any(os.path.exists(os.path.join(directory, marker)) for marker in ENVIRONMENT_MARKERS)


def _force_excluded(path: str, exclude: tuple[str, ...], root: str | None) -> bool:
    """Whether an explicit path, or a directory above it, is excluded or an environment."""
    parts = os.path.normpath(path).split(os.sep)
    for end in range(len(parts), 0, -1):
        here = os.sep.join(parts[:end]) or os.sep
        if parts[end - 1] not in ("", ".", "..") and _excluded(here, exclude, root):
            return True
        if os.path.isdir(here) and _environment(here):
            return True
    return False


def _walk(top: str, exclude: tuple[str, ...], root: str | None) -> Iterator[str]:
    ignored = _Ignores(top)
    for here, dirs, files in os.walk(top):
        rules = ignored.enter(here)
        dirs[:] = sorted(d for d in dirs if not _excluded(os.path.join(here, d), exclude, root)
                         and not _environment(os.path.join(here, d))
                         and not ignored.ignores(rules, os.path.join(here, d), directory=True))
        for name in sorted(files):
            path = os.path.join(here, name)
            if name.endswith(SOURCE_SUFFIXES) and not _excluded(path, exclude, root) \
                    and not ignored.ignores(rules, path) and not _special(path):
                yield path


class _Ignores:
    """The ``.gitignore``/``.ignore`` rules in force in each directory of a walk, with git's
    precedence (a deeper file's pattern, then a later pattern, decides); read with pathspec.

    ``.gitignore`` files (and ``.git/info/exclude``) count only in a git work tree, from its
    top down; ``.ignore`` files count anywhere, from the walk's top down.
    """

    def __init__(self, top: str) -> None:
        top = os.path.abspath(top)
        self.git = _git_root(top)
        inherited: list[tuple[str, Any]] = []
        if self.git is not None:
            inherited += self._read(self.git, os.path.join(self.git, ".git", "info", "exclude"))
            above, directory = [], top
            while directory != self.git:
                directory = os.path.dirname(directory)
                above.append(directory)
            for directory in reversed(above):
                inherited += self._own(directory)
        self.rules: dict[str, list[tuple[str, Any]]] = {os.path.dirname(top): inherited}

    def _own(self, directory: str) -> list[tuple[str, Any]]:
        names = IGNORE_FILES if self.git is not None else IGNORE_FILES[1:]
        return [rule for name in names for rule in self._read(directory, os.path.join(directory, name))]

    @staticmethod
    def _read(base: str, path: str) -> list[tuple[str, Any]]:
        if not os.path.isfile(path):
            return []
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            return []
        import pathspec

        return [(base, pathspec.GitIgnoreSpec.from_lines(lines))]

    def enter(self, here: str) -> list[tuple[str, Any]]:
        """The rules for the entries of directory ``here`` (walked top-down)."""
        here = os.path.abspath(here)
        rules = self.rules.get(os.path.dirname(here), []) + self._own(here)
        self.rules[here] = rules
        return rules

    @staticmethod
    def ignores(rules: list[tuple[str, Any]], path: str, directory: bool = False) -> bool:
        decided = None
        for base, spec in rules:
            relative = os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
            verdict = spec.check_file(relative + "/" if directory else relative).include
            if verdict is not None:
                decided = verdict
        return bool(decided)


def _git_root(directory: str) -> str | None:
    """The top of the git work tree holding ``directory`` (a ``.git`` directory or file), if any."""
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


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
