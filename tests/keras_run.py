"""Running a program in real Keras for a test: fit trains one quiet epoch, evaluate and predict
are quiet, Keras's warnings are silenced."""

from __future__ import annotations

import warnings


def run_quietly(source: str, filename: str, keras, monkeypatch) -> dict:
    """Exec ``source`` (never the user's files: a test's own program) and return its namespace."""
    for method in ("fit", "evaluate", "predict"):
        original = getattr(keras.Model, method)

        def quiet(self, *args, _original=original, _method=method, **kwargs):
            kwargs["verbose"] = 0
            if _method == "fit":
                kwargs["epochs"] = 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(keras.Model, method, quiet)
    namespace = {"__name__": "__test_program__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(source, filename, "exec"), namespace)
    return namespace
