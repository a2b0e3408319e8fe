"""Writing small projects and running the command line on them (in process or as a process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from kerascheck.cli import main

BROKEN = """from keras.layers import Dense
from keras.models import Sequential
model = Sequential()
model.add(Dense((10, 2)))
"""
CLEAN = "x = 1\n"
SYNTAX_ERROR = "import keras\n\ndef broken(:\n    pass\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def notebook(*cells: tuple[str, str]) -> str:
    """An .ipynb document with (cell_type, source) cells."""
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                       "cells": [{"cell_type": kind, "metadata": {}, "source": source.splitlines(True),
                                  **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                                 for kind, source in cells]})


def cli(args: list[str], cwd: Path, stdin: str | bytes | None = None, env: dict | None = None) -> Result:
    """The command in process, from ``cwd``."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, input=stdin, env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


def process(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    """``python -m kerascheck`` as a separate process."""
    return subprocess.run([sys.executable, "-m", "kerascheck", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, **kwargs)
