"""The verification worker: a subprocess that imports Keras once and rebuilds the models it is sent.

Run as ``python -m kerascheck.verify.worker VERSION``. Messages are length-prefixed pickles:
the parent's ``(ModelGraph, DataProbe list)`` pairs in on stdin, ``(CallOutcome list, DataOutcome
list)`` pairs out on a private copy of stdout
(the real stdout and stderr are left to TensorFlow's noise). First message out:
``("hello", versions)`` or ``("error", text)`` when Keras cannot be imported.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import traceback
from typing import Any, BinaryIO

HEADER = struct.Struct(">Q")


def send(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> Any:
    """The next message, or None at end of input."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    return pickle.loads(stream.read(size))


def quiet_tensorflow() -> None:
    """Keep TensorFlow's and Keras's log output and warnings away from the user."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import warnings

    warnings.filterwarnings("ignore")
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:
        pass


def load_keras(version: int) -> tuple[Any, dict[str, str]]:
    """The Keras module for ``version`` and the versions to report."""
    from kerascheck.verify.build import import_keras

    quiet_tensorflow()
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    keras = import_keras(version)
    package = "tf-keras" if version == 2 else "keras"
    return keras, {"package": package, "keras": keras.__version__, "tensorflow": tf.__version__}


def build(request: Any, keras: Any) -> Any:
    """``(model, probes)`` -> one model's call outcomes and, when every call built, its data
    probes' outcomes (else none), in a fresh Keras session."""
    from kerascheck.verify.build import rebuild
    from kerascheck.verify.data_calls import run_probes

    model, probes = request
    keras.backend.clear_session()
    outcomes, tensors = rebuild(model, keras)
    if not probes or any(outcome.status != "built" for outcome in outcomes):
        return outcomes, []
    return outcomes, run_probes(model, probes, keras, tensors)


def serve(version: int, inbox: BinaryIO, outbox: BinaryIO) -> None:
    try:
        keras, versions = load_keras(version)
    except Exception as error:  # ImportError, or a broken installation
        send(outbox, ("error", f"{type(error).__name__}: {error}"))
        return
    send(outbox, ("hello", versions))
    while (message := receive(inbox)) is not None:
        try:
            send(outbox, ("result", build(message, keras)))
        except Exception:  # a bug of ours: report it, keep serving
            send(outbox, ("crash", traceback.format_exc(limit=3)))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    version = int(argv[0]) if argv else 3
    outbox = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    # Whatever TensorFlow prints must not corrupt the message stream.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(version, sys.stdin.buffer, outbox)


if __name__ == "__main__":
    main()
