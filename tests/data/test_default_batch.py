"""fit without batch_size runs batches of 32 (the last one holds the rest), fewer when there are
fewer samples: MSE broadcasting (n,) labels against a (batch, units) output fails unless every
batch holds exactly ``units`` samples. Each scenario is also run in real Keras 3."""

from __future__ import annotations

import pytest

from tests.data.helpers import diagnostics, fit, layer, sequential

# (units, samples): the batches Keras runs without batch_size, and whether each equals units.
SCENARIOS = [
    pytest.param(4, 10, "KC402", id="fewer samples than 32: one batch of 10 against 4 units"),
    pytest.param(10, 10, "KC601", id="fewer samples than 32: one batch of 10 against 10 units"),
    pytest.param(32, 32, "KC601", id="exactly 32 samples: one batch of 32 against 32 units"),
    pytest.param(32, 64, "KC601", id="two full batches of 32 against 32 units"),
    pytest.param(32, 40, "KC402", id="a remainder batch of 8 against 32 units"),
    pytest.param(8, 40, "KC402", id="batches of 32 and 8 against 8 units"),
]


def model_for(units: int, samples: int):
    model = sequential((3,), layer("Dense", units), loss="mse")
    return fit(model, x=(samples, 3), y=(samples,))


@pytest.mark.parametrize(("units", "samples", "code"), SCENARIOS)
def test_default_batches_decide_the_broadcast(units, samples, code):
    assert [d.code for d in diagnostics(model_for(units, samples))] == [code]


@pytest.mark.parametrize(("units", "samples", "code"), SCENARIOS)
def test_keras_agrees(units, samples, code, keras3):
    import numpy as np

    net = keras3.Sequential([keras3.Input((3,)), keras3.layers.Dense(units)])
    net.compile(loss="mse", optimizer="sgd")
    if code == "KC402":
        with pytest.raises(Exception):
            net.fit(np.zeros((samples, 3)), np.zeros((samples,)), verbose=0)
    else:
        net.fit(np.zeros((samples, 3)), np.zeros((samples,)), verbose=0)
