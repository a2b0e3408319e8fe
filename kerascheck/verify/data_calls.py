"""Run a model's data calls in Keras on zero arrays (worker side: TensorFlow is imported).

Each probe gets a model of its own: a Sequential made again from the graph's layers (on the
input the code declares, or none for the call that builds it from its data), or a clone of the
functional model ``build.rebuild`` made, compiled with the probe's loss. Nothing of the user's
code or data is used: only the graph and the shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kerascheck.graph import ModelGraph, TensorRef
from kerascheck.verify.build import NotBuildable, keras_message, make_layer, tensors_of
from kerascheck.verify.probes import DataProbe, LossCall, Zeros


@dataclass
class DataOutcome:
    """What Keras did with one probe: ``"ran"``, ``"rejected"`` (``message`` is Keras's error),
    or ``"unbuildable"`` (``message`` says why it could not be set up)."""

    status: str
    message: str = ""


def run_probes(model: ModelGraph, probes: list[DataProbe], keras: Any, tensors: dict[TensorRef, Any]) -> list[DataOutcome]:
    """One outcome per probe; ``tensors`` are the ones ``rebuild`` made for ``model``."""
    return [_run(model, probe, keras, tensors) for probe in probes]


def _run(model: ModelGraph, probe: DataProbe, keras: Any, tensors: dict[TensorRef, Any]) -> DataOutcome:
    try:
        made = _model(model, probe, keras, tensors)
        if probe.loss is not None:
            made.compile(optimizer="sgd", loss=_loss(probe.loss, keras))
    except NotBuildable as error:
        return DataOutcome("unbuildable", str(error))
    try:
        _call(made, probe)
    except Exception as error:  # Keras rejects the data
        return DataOutcome("rejected", data_error(error))
    return DataOutcome("ran")


def _model(model: ModelGraph, probe: DataProbe, keras: Any, tensors: dict[TensorRef, Any]) -> Any:
    if model.kind == "sequential":
        layers = [make_layer(call.layer, keras) for call in model.calls]
        spec = model.inputs[0] if model.inputs else None
        first = getattr(model.calls[0].layer, "type", None) if model.calls else None
        if spec is not None and not spec.from_layer_argument and first != "InputLayer" and not probe.builds_model:
            dtype = spec.dtype if isinstance(spec.dtype, str) else None
            layers.insert(0, keras.Input(batch_shape=spec.shape, dtype=dtype))
        return keras.Sequential(layers)
    if model.kind != "functional":
        raise NotBuildable(f"a {model.kind} model is not rebuilt")
    inputs = [tensors[TensorRef.of_input(i)] for i in range(len(model.inputs))]
    outputs = tensors_of(model.outputs, tensors, {})
    functional = keras.Model(inputs[0] if len(inputs) == 1 else inputs, outputs)
    return keras.models.clone_model(functional)


def _loss(loss: Any, keras: Any) -> Any:
    if isinstance(loss, list):
        return [None if item is None else _loss(item, keras) for item in loss]
    if isinstance(loss, dict):
        return {k: _loss(v, keras) for k, v in loss.items()}
    if isinstance(loss, LossCall):
        cls = getattr(keras.losses, loss.name, None)
        if cls is None:
            raise NotBuildable(f"keras.losses has no {loss.name}")
        return cls(*loss.args, **loss.kwargs)
    return loss


def _zeros(value: Any) -> Any:
    import numpy as np

    if isinstance(value, Zeros):
        return np.zeros(value.shape, dtype=value.dtype)
    if isinstance(value, dict):
        return {k: _zeros(v) for k, v in value.items()}
    return type(value)(_zeros(v) for v in value)


def _call(model: Any, probe: DataProbe) -> None:
    """One run of the call on the zeros: one epoch of few samples, in order, quietly."""
    given = {name: _zeros(value) for name, value in probe.arguments.items()}
    x, y = given.pop("x"), given.pop("y", None)
    method = probe.method
    if method.endswith("_on_batch"):
        labelled = () if method == "predict_on_batch" else (y,)
        getattr(model, method)(x, *labelled, **given)
        return
    if probe.batch_size is not None:
        given["batch_size"] = probe.batch_size
    if method == "fit":
        model.fit(x, y, epochs=1, verbose=0, shuffle=False, **given)
    elif method == "evaluate":
        model.evaluate(x, y, verbose=0, **given)
    else:
        model.predict(x, verbose=0, **given)


def data_error(error: BaseException) -> str:
    """Keras's error on the data as one line, without the traceback TensorFlow puts before it:
    of the traced function (``in user code:``, tf-keras) or of the graph node a runtime error
    names (``Graph execution error``)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    if text.lstrip().startswith("in user code:"):
        raised = list(re.finditer(r"^\s*\w+(Error|Exception): ", text, re.M))
        return keras_message(text[raised[-1].end():] if raised else text)
    if "Graph execution error" in text:
        lines = [line.strip() for line in text.splitlines()]
        causes = [line for line in lines if line and not line.startswith(
            ("File ", "Detected at node", "Graph execution error", "[[", "Stack trace")) and not line.endswith(":")]
        cause = causes[-1] if causes else type(error).__name__
        return re.sub(r"\s*\[\[.*", "", cause)
    return keras_message(error)
