"""Print what real Keras 3 makes of a fixture, for writing its ``# =>`` expectations.

    python tools/fixture_expectations.py fixtures/realistic/transformer_text.py

A development aid for our own fixture programs only: it *runs* the file (kerascheck never does),
with ``fit``/``evaluate``/``predict`` disabled, and prints for every layer the line that created
it, its output shape and its parameter count.
"""

from __future__ import annotations

import os
import runpy
import sys
import traceback


def main(path: str) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    target = os.path.abspath(path)
    created: dict[int, int] = {}
    original_init = keras.layers.Layer.__init__

    def recording_init(self, *args, **kwargs):
        frame = sys._getframe(1)
        while frame is not None and os.path.abspath(frame.f_code.co_filename) != target:
            frame = frame.f_back
        if frame is not None:
            created.setdefault(id(self), frame.f_lineno)
        original_init(self, *args, **kwargs)

    keras.layers.Layer.__init__ = recording_init
    for method in ("fit", "evaluate", "predict"):
        setattr(keras.Model, method, lambda self, *a, **k: None)
    try:
        namespace = runpy.run_path(path, run_name="__main__")
    except Exception:
        traceback.print_exc()
        return
    seen = set()
    for name, value in namespace.items():
        if isinstance(value, keras.Model) and id(value) not in seen:
            seen.add(id(value))
            print(f"model {name} ({type(value).__name__}), total {value.count_params()}")
            for layer in value.layers:
                try:
                    shape = layer.output.shape
                except Exception as error:  # noqa: BLE001 - report what Keras says
                    shape = f"<{error}>"
                print(f"  line {created.get(id(layer), '?')}: {type(layer).__name__} "
                      f"{tuple(shape) if not isinstance(shape, str) else shape} {layer.count_params()}")


if __name__ == "__main__":
    main(sys.argv[1])
