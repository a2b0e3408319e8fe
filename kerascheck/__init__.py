"""kerascheck: a static shape checker for Keras code.

``check_source`` checks one file's text; ``check_paths`` every Python file under some paths.
Neither imports TensorFlow nor runs the code it checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from kerascheck.config import Options
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.shapes.propagate import ModelResult

__all__ = ["FileResult", "check_source", "check_paths", "version"]


def version() -> str:
    """The installed kerascheck's version ("0+unknown" in a source tree that is not installed)."""
    try:
        from importlib.metadata import version as installed

        return installed("kerascheck")
    except Exception:
        return "0+unknown"


@dataclass
class FileResult:
    """One file's diagnostics (sorted by position), the models found in it, and the Keras
    major version it was checked for (None: unknown) with the reason."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    models: list[ModelResult] = field(default_factory=list)
    keras_version: int | None = None
    keras_version_source: str | None = None


def check_source(text: str, path: str = "<stdin>", options: Options | None = None) -> FileResult:
    """Check one file's source text. Never raises: internal failures become KC901."""
    from kerascheck.analysis import analyse

    return analyse(text, path, options)


def check_paths(paths: Iterable[str], options: Options | None = None) -> Iterator[FileResult]:
    """Check every Python file and notebook under ``paths``, sorted by path, exactly as the
    command line does (per-file ignores, size limit, unreadable files as KC002)."""
    from kerascheck.config import Options
    from kerascheck.runner import check_item, items

    options = options or Options()
    for path in items(list(paths), options):
        report = check_item(path, options)
        yield FileResult(report.path, report.diagnostics, report.models, report.keras_version,
                         report.keras_version_source)
