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
    # Conv2D fails: what follows is known only as far as the layers fix it, the Flatten's rank
    # and the Dense's one unit, which is enough for KC604 (a softmax over one unit).
    model = sequential((8, 8, 3), layer("Conv2D", 4, 3, groups=0), layer("Flatten"),
                       layer("Dense", 1, activation="softmax"), loss="mse")
    model.keras_version = 2
    fit(model, x=(10, 8, 8, 3), y=(10, 1))
    result = propagate(model)
    assert result.calls is not None and result.calls[0][1] is not None
    assert _steps(walked(result)) == _steps(walk(model, list(result.inputs)))
    assert walked(result)[0].error is not None
    assert codes(model) == [("KC604", 4, 1)]


def test_model_without_data_calls_is_not_walked(monkeypatch) -> None:
    # The output layer's check (KC604) reads the step of the output's producing call alone.
    from kerascheck.data import checks

    def no_walk(result):
        raise AssertionError("every step made for a model without data calls")

    monkeypatch.setattr(checks, "walked", no_walk)
    model = sequential((5, 4), layer("LSTM", 8), layer("Dense", 1, activation="softmax"))
    assert codes(model) == [("KC604", 3, 1)]


def test_output_step_is_the_output_chain_head() -> None:
    from kerascheck.data.checks import ModelData

    model = sequential((5, 4), layer("LSTM", 8), layer("Dense", 1, activation="softmax"))
    data = ModelData(propagate(model))
    recorded = data.output_step(0)
    assert _steps(data.output_chain(0)[:1]) == _steps([recorded]) == _steps([data.output_step(0)])
    assert data.output_step(1) is None
