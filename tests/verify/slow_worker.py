"""A verification worker whose builds hang on models named ``hang`` (for the time-limit test)."""

from __future__ import annotations

import time

from kerascheck.verify import worker

_build = worker.build


def build(model, keras):
    if model.name == "hang":
        time.sleep(600)
    return _build(model, keras)


worker.build = build

if __name__ == "__main__":
    worker.main()
