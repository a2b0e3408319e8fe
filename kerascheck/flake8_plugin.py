"""flake8 plugin: ``flake8 --select=KC`` reports kerascheck's diagnostics through flake8.

A thin adapter over ``check_source``: it reads the lines flake8 already read (no second file
read) and leaves ``# noqa``, ``--select`` and ``--ignore`` to flake8.
"""

from __future__ import annotations

import ast
from typing import Iterator

from kerascheck.config import Options


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("kerascheck")
    except Exception:  # a source tree that is not installed
        return "0+unknown"


class KerasCheckPlugin:
    """flake8 ``tree`` plugin (flake8 requires the parameter; the AST itself is not used)."""

    name = "kerascheck"
    version = _version()
    keras_version: int | None = None

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, manager) -> None:  # type: ignore[no-untyped-def]
        manager.add_option("--kerascheck-keras-version", choices=["2", "3"], default=None,
                           parse_from_config=True,
                           help="kerascheck: Keras semantics to check against (default: detect)")

    @classmethod
    def parse_options(cls, options) -> None:  # type: ignore[no-untyped-def]
        value = getattr(options, "kerascheck_keras_version", None)
        cls.keras_version = int(value) if value else None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from kerascheck import check_source

        options = Options(keras_version=self.keras_version, noqa=False)
        result = check_source("".join(self.lines), self.filename, options)
        for d in result.diagnostics:
            yield d.position.line, max(d.position.column - 1, 0), f"{d.code} {d.text}", type(self)
