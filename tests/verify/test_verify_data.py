"""verify runs each data call in real Keras on zero arrays of its shapes, with the same loss.

The probes (what the worker runs) are checked statically; then the twins fixture goes through
``kerascheck verify`` against Keras 3 and tf-keras (one worker each): every error kerascheck
reports there Keras raises too, every call it accepts Keras runs, and a static pass made wrong
on purpose gives KC917 and KC918.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kerascheck import check_paths
from kerascheck.config import Options
from kerascheck.data.arrays import Array
from kerascheck.data.pipelines import Batches
from kerascheck.diagnostics import diagnostic
from kerascheck.graph import UNKNOWN, DataCall, Opaque, Position
from kerascheck.verify import run
from kerascheck.verify.probes import LossCall, NotProbed, Zeros, described, make_probe

TWINS = Path(__file__).resolve().parents[2] / "fixtures" / "data_verify_twins.py"
AT = Position(3, 1, 3, 40)


def call(method: str, **args) -> DataCall:
    return DataCall(method, args, AT)


def shapes(probe) -> dict:
    def of(value):
        if isinstance(value, Zeros):
            return value.shape
        if isinstance(value, dict):
            return {k: of(v) for k, v in value.items()}
        return tuple(of(v) for v in value)

    return {name: of(value) for name, value in probe.arguments.items()}


@pytest.mark.parametrize("samples, batch, expected", [
    (600, None, 56),  # batches of 32 and a last one of 24: 32 + 24 samples give the same
    (640, None, 32),  # full batches only
    (20, None, 20),  # one batch: exact
    (600, 50, 50),
    (1000, 64, 104),  # 15 batches of 64 and one of 40
])
def test_sample_counts_keep_the_batch_sizes_keras_cuts(samples, batch, expected):
    given = {} if batch is None else {"batch_size": batch}
    probe = make_probe(call("fit", x=Array((samples, 20), "float"), y=Array((samples,), "int"), **given),
                       "sparse_categorical_crossentropy")
    assert shapes(probe) == {"x": (expected, 20), "y": (expected,)}
    assert probe.arguments["y"].dtype == "int32" and probe.arguments["x"].dtype == "float32"
    assert probe.batch_size == batch


def test_different_sample_counts_stay_exact_or_become_small_and_different():
    probe = make_probe(call("fit", x=Array((600, 20)), y=Array((500, 1))), "mse")
    assert shapes(probe) == {"x": (600, 20), "y": (500, 1)}
    huge = make_probe(call("evaluate", x=Array((1_000_000, 100)), y=Array((999_999, 1))), "mse")
    assert shapes(huge) == {"x": (2, 100), "y": (1, 1)}  # Keras rejects them before any step


def test_a_batch_call_keeps_every_sample_and_validation_data_is_cut_on_its_own():
    assert shapes(make_probe(call("train_on_batch", x=Array((1000, 4)), y=Array((1000,))), "mse")) == \
        {"x": (1000, 4), "y": (1000,)}
    probe = make_probe(call("fit", x=Array((600, 4)), y=Array((600,)), batch_size=100,
                            validation_data=(Array((150, 4)), Array((150,)))), "mse")
    assert shapes(probe) == {"x": (100, 4), "y": (100,), "validation_data": ((150, 4), (150,))}
    assert described(probe) == "fit with x (100, 4), y (100,), validation_data [(150, 4), (150,)]"


def test_multi_input_data_keeps_its_structure_and_predict_needs_no_loss():
    probe = make_probe(call("predict", x={"signal": Array((70, 20)), "meta": Array((70, 3))}), None)
    assert shapes(probe) == {"x": {"signal": (38, 20), "meta": (38, 3)}}
    assert probe.loss is None


@pytest.mark.parametrize("loss, expected", [
    ("mse", "mse"),
    (Opaque("keras.losses.CategoricalCrossentropy(from_logits=True)"),
     LossCall("CategoricalCrossentropy", (), {"from_logits": True})),
    (["mse", None], ["mse", None]),
    ({"out": Opaque("losses.Huber(1.5)")}, {"out": LossCall("Huber", (1.5,), {})}),
])
def test_literal_losses_are_read_never_run(loss, expected):
    assert make_probe(call("fit", x=Array((8, 2)), y=Array((8, 1))), loss).loss == expected


@pytest.mark.parametrize("args, loss, reason", [
    ({"x": Array((8, 2)), "y": Array((8, 1)), "validation_split": 0.2}, "mse", "validation_split= is not reproduced"),
    ({"x": Batches(Array((None, 2)), Array((None, 1)))}, "mse",
     "its data comes from a generator or dataset, which verify does not rebuild"),
    ({"x": Array((None, 2)), "y": Array((8, 1))}, "mse", "its data has an unknown dimension: (None, 2)"),
    ({"x": Array(None), "y": Array((8, 1))}, "mse", "its data is not arrays of known shape"),
    ({"x": Array((8, 2)), "y": UNKNOWN}, "mse", "its data is not arrays of known shape"),
    ({"x": Array((8, 2)), "y": Array((8, 1)), "batch_size": UNKNOWN}, "mse",
     "its batch_size is not a known positive integer"),
    ({"x": Array((8, 2)), "y": Array((8, 1))}, Opaque("my_loss"), "its loss my_loss is not a literal call"),
    ({"x": Array((8, 2)), "y": Array((8, 1))}, Opaque("Huber(delta=d)"), "its loss Huber(delta=d) is not a literal call"),
    ({"x": Array((8, 2)), "y": Array((8, 1))}, UNKNOWN, "its loss is not a literal"),
    ({"x": Array((8, 2)), "y": Array((8, 1))}, None, "no compile gives it a loss"),
])
def test_calls_not_run_as_written_say_why(args, loss, reason):
    with pytest.raises(NotProbed) as raised:
        make_probe(call("fit", **args), loss)
    assert str(raised.value) == reason


# ---- against real Keras (one worker per test) ------------------------------------------------

STATIC_ERRORS = [(17, "KC402"), (19, "KC403"), (21, "KC401"), (28, "KC402"), (30, "KC401")]


def verified(version: int, results=None) -> tuple[int, list[str], str]:
    if not run.keras_installed(version):
        pytest.skip("TensorFlow or tf-keras is not installed")
    options = Options(keras_version=version)
    results = list(check_paths([str(TWINS)], options)) if results is None else results
    lines: list[str] = []
    code = run.verify_results(results, options, version, lines.append)
    functional = next(line for line in lines if line.startswith(f"{TWINS}:26: verified "))  # agrees each time
    return code, lines, functional.split(" against ")[-1]


@pytest.mark.parametrize("version", [3, 2])
def test_the_twins_agree_with_keras_call_by_call(version):
    """Every broken call's error is followed by Keras's own; the correct twins run."""
    code, lines, against = verified(version)
    assert code == 1  # the fixture's own errors
    errors = [(int(line.split(":")[1]), line.split()[1]) for line in lines if line.startswith(str(TWINS))
              and line.split()[1].startswith("KC4")]
    assert errors == STATIC_ERRORS
    for i, line in enumerate(lines):
        if line.split()[1:2] and line.split()[1].startswith("KC4"):
            assert lines[i + 1].startswith(f"    {against} also rejects it: "), lines
    assert not [line for line in lines if " KC91" in line], lines
    assert lines[-2:] == [f"{TWINS}:11: verified 2 layers and 6 data calls against {against}",
                          f"{TWINS}:26: verified 1 layer and 4 data calls against {against}"]


def test_a_static_pass_wrong_both_ways_gives_kc917_and_kc918():
    """Without the KC402 on line 17, Keras's rejection is news (KC917); a KC401 invented on the
    correct call of line 18 is a false alarm Keras contradicts (KC918)."""
    (result,) = check_paths([str(TWINS)], Options(keras_version=3))
    dropped = [d for d in result.diagnostics if d.position.line != 17]
    invented = diagnostic("KC401", Position(18, 15, 18, 23), None, argument="x", method="fit",
                          actual="(600, 20)", expected="(None, 20)", detail="invented")
    code, lines, against = verified(3, [replace(result, diagnostics=dropped + [invented])])
    assert code == 1
    kc917 = [line for line in lines if " KC917 " in line]
    assert len(kc917) == 1 and kc917[0].startswith(
        f"{TWINS}:17:1: KC917 Keras rejects fit with x (50, 20), y (50,) but kerascheck reports nothing: "
        "Arguments `target` and `output` must have the same rank (ndim).")
    assert f"{TWINS}:18:15: KC918 kerascheck reports KC401 but Keras runs fit with x (50, 20), y (50, 4); " \
           "x of fit has shape (600, 20), the model input is (None, 20): invented" in lines
    assert f"{TWINS}:11: 2 disagreements with {against} in 2 layers and 6 data calls" in lines
