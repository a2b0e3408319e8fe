"""A stand-in verification worker for the time-limit test: no TensorFlow, builds hang on
models named ``hang``, and other models "build" exactly as the static pass says."""

from __future__ import annotations

import time

from kerascheck.verify import worker
from kerascheck.verify.build import CallOutcome


def load_keras(version):
    return None, {"package": "keras", "keras": "stand-in", "tensorflow": "none"}


def build(request, keras):
    from kerascheck.shapes.propagate import propagate

    model, _ = request
    if model.name == "hang":
        time.sleep(600)
    return [CallOutcome("built", row.output, row.params) for row in propagate(model).layers], []


worker.load_keras = load_keras
worker.build = build

if __name__ == "__main__":
    worker.main()
