"""``kerascheck verify``: check statically, rebuild every model in real Keras, report differences.

TensorFlow is imported once per run, in a worker subprocess (``worker.py``): a crash or a hung
build there cannot take the run down, and each model gets a time limit. The user's files are
only read by the static pass; the worker receives the extracted graphs, never the code.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import selectors
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from kerascheck.config import Options
from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import ModelGraph
from kerascheck.shapes.symbolic import named_dims
from kerascheck.verify.compare import compare_data, compare_model, summary
from kerascheck.verify.probes import DataProbe, probes_for
from kerascheck.verify.worker import HEADER

INSTALL = "pip install 'kerascheck[verify]'"
WORKER_COMMAND = [sys.executable, "-m", "kerascheck.verify.worker"]
STARTUP_TIMEOUT = 300.0  # importing TensorFlow on a loaded machine
VERIFY_CODES = ("KC910", "KC911", "KC912", "KC913", "KC914", "KC915", "KC916", "KC917", "KC918")


class KerasMissing(Exception):
    """TensorFlow or the Keras package for the requested version cannot be imported."""


class WorkerFailed(Exception):
    """The worker died or answered something unexpected."""


class WorkerTimeout(WorkerFailed):
    """The worker did not answer in time."""


def keras_installed(version: int) -> bool:
    """Whether TensorFlow and ``keras`` (3) or ``tf_keras`` (2) are importable, without importing them."""
    names = ("tensorflow", "tf_keras" if version == 2 else "keras")
    return all(importlib.util.find_spec(name) is not None for name in names)


class Worker:
    """The worker subprocess, started on first use and again after a timeout or crash."""

    def __init__(self, keras_version: int) -> None:
        self.keras_version = keras_version
        self.process: subprocess.Popen | None = None
        self.errors: Any = None
        self.versions: dict[str, str] | None = None

    def build(self, model: ModelGraph, probes: list[DataProbe], timeout: float) -> tuple[list[Any], list[Any]]:
        """Keras's outcome for every call of ``model``, and for every data probe when all its
        calls built (else none); raises WorkerTimeout/WorkerFailed."""
        if self.process is None:
            self._start()
        try:
            message = pickle.dumps((model, probes), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # a value in the graph that does not pickle: a bug of ours
            raise WorkerFailed(f"the model graph could not be sent: {error}") from None
        try:
            self.process.stdin.write(HEADER.pack(len(message)) + message)
            self.process.stdin.flush()
        except OSError:  # the worker died since the last model
            raise WorkerFailed(self._death()) from None
        kind, payload = self._receive(timeout)
        if kind == "result":
            return payload
        raise WorkerFailed(payload.strip().splitlines()[-1] if payload.strip() else kind)

    def _start(self) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen([*WORKER_COMMAND, str(self.keras_version)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.errors, env=env)
        kind, payload = self._receive(STARTUP_TIMEOUT)
        if kind == "error":
            self.stop()
            raise KerasMissing(payload)
        self.versions = payload

    def _receive(self, timeout: float) -> tuple[str, Any]:
        deadline = time.monotonic() + timeout
        header = self._read(HEADER.size, deadline)
        (size,) = HEADER.unpack(header)
        return pickle.loads(self._read(size, deadline))

    def _read(self, size: int, deadline: float) -> bytes:
        fd = self.process.stdout.fileno()
        chunks: list[bytes] = []
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while size > 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    self.kill()
                    raise WorkerTimeout("no answer in time")
                chunk = os.read(fd, min(size, 1 << 20))
                if not chunk:
                    raise WorkerFailed(self._death())
                chunks.append(chunk)
                size -= len(chunk)
        return b"".join(chunks)

    def _death(self) -> str:
        code = self.process.wait()
        self.errors.seek(0)
        lines = [line for line in self.errors.read().decode(errors="replace").splitlines() if line.strip()]
        self.process = None
        return f"exited with code {code}" + (f": {lines[-1].strip()}" if lines else "")

    def kill(self) -> None:
        """Stop a hung worker; the next build starts a fresh one."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def against(versions: dict[str, str]) -> str:
    """``keras 3.15.1 (tensorflow 2.21.0)``: what the models were verified against."""
    return f"{versions['package']} {versions['keras']} (tensorflow {versions['tensorflow']})"


class Progress:
    """``verifying 3/10 models`` on stderr, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.shown = total > 1 and sys.stderr.isatty()

    def step(self, path: str) -> None:
        self.done += 1
        if self.shown:
            sys.stderr.write(f"\r\x1b[Kverifying model {self.done}/{self.total}: {path}")
            sys.stderr.flush()

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def verify_paths(paths: list[str], options: Options, keras_version: int, echo: Callable[[str], None],
                 timeout: float = 60.0, show_static: bool = True) -> int:
    """Verify every model under ``paths`` against real Keras; print results through ``echo``.

    Exit code: 0 when everything reported agrees and nothing is wrong, 1 when any error or
    warning (static or verification) is reported (an info such as KC915 never counts), 2 when TensorFlow / tf-keras is not installed.
    ``show_static=False`` (for ``kerascheck --verify``, which already printed them) leaves the
    static diagnostics out, keeping Keras's word on them.
    """
    if not keras_installed(keras_version):
        echo(_install_message(keras_version))
        return 2
    from kerascheck import check_paths

    if options.keras_version is None:
        options = replace(options, keras_version=keras_version)
    return verify_results(list(check_paths(paths, options)), options, keras_version, echo, timeout,
                          show_static)


def verify_results(results: list[Any], options: Options, keras_version: int, echo: Callable[[str], None],
                   timeout: float = 60.0, show_static: bool = True) -> int:
    """``verify_paths`` after the static pass: verify the models of these FileResults."""
    progress = Progress(sum(len(r.models) for r in results))
    worker = Worker(keras_version)
    reported = False
    try:
        for result in results:
            lines, problems = _verify_file(result, worker, options, timeout, progress, show_static)
            progress.clear()
            for line in lines:
                echo(line)
            reported = reported or problems
    except KerasMissing as error:
        progress.clear()
        echo(f"{_install_message(keras_version)} ({error})")
        return 2
    finally:
        progress.clear()
        worker.stop()
    return 1 if reported else 0


def _install_message(keras_version: int) -> str:
    needed = "TensorFlow and tf-keras" if keras_version == 2 else "TensorFlow"
    return f"kerascheck verify needs {needed}: {INSTALL}"


def _verify_file(result: Any, worker: Worker, options: Options, timeout: float, progress: Progress,
                 show_static: bool) -> tuple[list[str], bool]:
    """The lines to print for one file, and whether any diagnostic was among them."""
    diagnostics: list[Diagnostic] = list(result.diagnostics)
    keras_says: dict[Any, str] = {}
    summaries: list[str] = []
    for model_result in result.models:
        model = model_result.model
        progress.step(result.path)
        names = named_dims(model)
        if names:
            diagnostics.append(diagnostic("KC915", model.position, None, layer=f"model '{model.name}'",
                                          reason=f"built from values no call gives ({names}); call its "
                                          "function with known values to verify it"))
            continue
        probed, skipped = probes_for(model_result)
        try:
            outcomes, data_outcomes = worker.build(replace(model, data_calls=[], compile=None),
                                                   [probe for _, probe in probed], timeout)
        except WorkerTimeout:
            diagnostics.append(diagnostic("KC914", model.position, model=model.name, seconds=timeout))
            continue
        except WorkerFailed as error:
            diagnostics.append(diagnostic("KC916", model.position, model=model.name, detail=str(error)))
            continue
        versions = against(worker.versions)
        verdict = compare_model(model_result, outcomes, versions, result.diagnostics)
        if all(outcome.status == "built" for outcome in outcomes):  # else the model's errors are the news
            compare_data(verdict, probed, data_outcomes, skipped, versions, result.diagnostics)
        diagnostics += verdict.diagnostics
        keras_says.update(verdict.keras_also_rejects)
        summaries.append(f"{result.path}:{model.position.line}: {summary(verdict, versions)}")
    shown = sorted((d for d in diagnostics if options.enabled(d.code)),
                   key=lambda d: (d.position.line, d.position.column, d.code))
    lines = []
    for d in shown:
        location = f"{result.path}:{d.position.line}:{d.position.column}:"
        if show_static or d.code in VERIFY_CODES:
            lines.append(f"{location} {d.code} {d.text}")
        if d.position in keras_says and d.code == keras_says[d.position][0]:
            note = keras_says[d.position][1]
            said = f"    {note}" if show_static else f"{location} {d.code}: {note}"
            lines.append(said)
    return lines + summaries, any(d.fails for d in shown)
