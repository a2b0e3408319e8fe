"""The language server's analysis process: the CLI's check of one document's text."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def start_worker() -> ProcessPoolExecutor:
    """One process for analyses (spawned: the server's threads are not forked), warmed up by a
    first check so that libcst and the rules are imported before the first document."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_detach_from_the_client)
    pool.submit(analyse_text, "import keras\n", "warm_up.py")
    return pool


def _detach_from_the_client() -> None:
    """In the worker: stdin and stdout are the client's channel; nothing may write to it, and
    the client sees the server end only when no process holds it open."""
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)


def analyse_text(text: str, path: str) -> Any:
    """The CLI's check of ``text`` as the file ``path``, with the ``[tool.kerascheck]`` settings
    found from the path (defaults when they are invalid)."""
    from kerascheck.config import ConfigError, Options, load_options
    from kerascheck.runner import StdinInput, check_item

    try:
        options = load_options([path])
    except ConfigError:
        options = Options()
    return check_item(StdinInput(text.encode("utf-8", "surrogatepass"), path), options)
