"""flake8 plugin: ``flake8 --select=KC`` reports kerascheck's diagnostics through flake8.

A thin adapter over ``check_source``: it reads the lines flake8 already read (no second file
read) and leaves ``# noqa`` to flake8. Like the command line, it skips files that never mention
Keras, reports KC004 for a file over the size limit instead of parsing it, and reports only what
the nearest ``[tool.kerascheck]`` selects for the file (``select``, ``extend-select``, ``ignore``,
``per-file-ignores``); flake8's own ``--select``/``--ignore`` then apply on top. The Keras
version and the size limit come from flake8's options (``--kerascheck-keras-version``,
``--kerascheck-max-file-size``), else from that table, else the defaults.
"""

from __future__ import annotations

import ast
import os
from dataclasses import replace
from functools import lru_cache
from typing import Iterator

from kerascheck import version as kerascheck_version
from kerascheck.config import ConfigError, Options, load_options, megabytes


@lru_cache(maxsize=256)
def _config_options(directory: str) -> Options:
    """The ``[tool.kerascheck]`` settings for files in a directory (read once per directory)."""
    return load_options([directory])


def _megabytes_argument(text: str) -> float:
    """``--kerascheck-max-file-size``: a bad value is an argument error, as flake8 reports them."""
    import argparse

    try:
        return megabytes(float(text), "--kerascheck-max-file-size")
    except (ValueError, ConfigError) as error:
        raise argparse.ArgumentTypeError(
            f"must be a number of megabytes >= 0 (0: no limit), got {text!r}") from error


class KerasCheckPlugin:
    """flake8 ``tree`` plugin (flake8 requires the parameter; the AST itself is not used)."""

    name = "kerascheck"
    version = kerascheck_version()
    keras_version: int | None = None
    max_file_size: float | None = None

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        self.filename = filename
        self.lines = lines
        # here, not in run(): flake8 reports a failure here (a bad [tool.kerascheck]) as one
        # message naming the file, where one in run() would be a traceback
        self.options = self._options()

    @classmethod
    def add_options(cls, manager) -> None:  # type: ignore[no-untyped-def]
        manager.add_option("--kerascheck-keras-version", choices=["2", "3"], default=None,
                           parse_from_config=True,
                           help="kerascheck: Keras semantics to check against (default: detect)")
        manager.add_option("--kerascheck-max-file-size", type=_megabytes_argument, default=None,
                           metavar="MB", parse_from_config=True,
                           help="kerascheck: report a file over MB megabytes (KC004) instead of "
                                "checking it; 0: no limit (default: max-file-size of "
                                "[tool.kerascheck], else 1)")

    @classmethod
    def parse_options(cls, options) -> None:  # type: ignore[no-untyped-def]
        value = getattr(options, "kerascheck_keras_version", None)
        cls.keras_version = int(value) if value else None
        cls.max_file_size = getattr(options, "kerascheck_max_file_size", None)

    def _options(self) -> Options:
        """The ``[tool.kerascheck]`` of the file (its selection as the command line reads it
        for this file), with flake8's options over it; ``# noqa`` stays flake8's."""
        config = _config_options(os.path.dirname(os.path.abspath(self.filename)))
        options = replace(config, keras_version=self.keras_version or config.keras_version, noqa=False,
                          keras_version_from="--kerascheck-keras-version" if self.keras_version
                          else config.keras_version_from,
                          max_file_size=config.max_file_size if self.max_file_size is None
                          else self.max_file_size)
        return options.for_file(self.filename)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from kerascheck import check_source
        from kerascheck.runner import not_checked

        text = "".join(self.lines)
        diagnostics = not_checked(text, self.options)
        if diagnostics is None:
            diagnostics = check_source(text, self.filename, self.options).diagnostics
        for d in diagnostics:
            yield d.position.line, max(d.position.column - 1, 0), f"{d.code} {d.text}", type(self)
