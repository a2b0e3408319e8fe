"""The data checks reuse the per-call shapes propagation recorded (``ModelResult.calls``) only
where walking the graph again would give the same steps."""

from __future__ import annotations

from kerascheck.data.graphwalk import walk, walked
from kerascheck.shapes.propagate import propagate
from tests.data.helpers import codes, fit, layer, sequential


def _steps(steps: list) -> list[tuple]:
    return [(s.index, s.input, s.output, s.params, s.error is None) for s in steps]


def test_recorded_steps_are_the_walk() -> None:
    model = sequential((5, 4), layer("LSTM", 8, return_sequences=True), layer("Dense", 3, activation="softmax"))
    result = propagate(model)
    assert result.calls is not None
    assert _steps(walked(result)) == _steps(walk(model, list(result.inputs)))


def test_keras2_model_walked_again() -> None:
    # tf-keras reads groups=0 as 1; the data checks' walk runs with Keras 3's rules, where the
    # Conv2D fails and nothing after it is known: no KC604 for the softmax over one unit.
    model = sequential((8, 8, 3), layer("Conv2D", 4, 3, groups=0), layer("Flatten"),
                       layer("Dense", 1, activation="softmax"), loss="mse")
    model.keras_version = 2
    fit(model, x=(10, 8, 8, 3), y=(10, 1))
    result = propagate(model)
    assert result.calls is not None and result.calls[0][1] is not None
    assert _steps(walked(result)) == _steps(walk(model, list(result.inputs)))
    assert walked(result)[0].error is not None
    assert codes(model) == []
