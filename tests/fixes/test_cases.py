"""Every fix on a realistic file: the exact text after, a clean re-check, and real Keras 3.

Each ``cases/<name>/`` holds ``before.py`` (a problem kerascheck can repair) and ``after.py``
(the exact text the fixes must give). In real Keras (TensorFlow installed), ``before.py`` fails
when a fixed problem is an error, and ``after.py`` builds its models and runs its data calls.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.config import Options
from kerascheck.fixes.apply import apply_fixes
from kerascheck.repairs import Fix
from tests.keras_run import run_quietly

CASES = sorted(p for p in (Path(__file__).resolve().parent / "cases").iterdir() if p.is_dir())
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

EVERY_CODE = Options(select=("KC",))  # the opt-in migration codes (KC650, KC651) have fixes too


def read(case: Path, name: str) -> str:
    return (case / name).read_text(encoding="utf-8")


def offers_a_fix(path: Path) -> bool:
    """Whether kerascheck offers a fix for any problem in the file."""
    diagnostics = check_source(path.read_text(encoding="utf-8"), str(path), EVERY_CODE).diagnostics
    return any(d.fix is not None for d in diagnostics)


# Fixtures without a fix offered are left out of the fixture-wide test: fixing nothing can only leave
# them as they are. That no fix is offered where the repair is a choice is checked on its own.
FIXABLE_FIXTURES = [path for path in sorted(FIXTURES.rglob("*.py")) if offers_a_fix(path)]


# The cases whose repair changes what the model computes or picks one of several (made only
# with --unsafe-fixes); every other case's fixes keep what the code was written to do.
UNSAFE = {"conv1d_padding_same", "dense_tuple_functional", "dense_tuple_reshape", "flatten_before_dense",
          "flatten_variable_length", "flatten_variable_size_images", "loss_categorical",
          "loss_function_categorical", "loss_object_sparse", "loss_sparse", "per_step_labels_sequences",
          "reshape_variable_length", "time_distributed_per_sample_labels"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_each_fix_is_safe_or_unsafe_as_its_repair(case):
    fixes = {d.fix.applicability for d in check_source(read(case, "before.py"), "before.py", EVERY_CODE).diagnostics
             if d.fix is not None}
    assert fixes == {Fix.UNSAFE if case.name in UNSAFE else Fix.SAFE}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_fixes_give_the_expected_text(case):
    before = read(case, "before.py")
    fixable = [d for d in check_source(before, "before.py", EVERY_CODE).diagnostics if d.fix is not None]
    assert fixable, "no fix offered"
    outcome = apply_fixes(before, [d.fix for d in fixable])
    assert outcome.skipped == []
    assert outcome.text == read(case, "after.py")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_the_fixed_file_rechecks_clean(case):
    before = check_source(read(case, "before.py"), "before.py", EVERY_CODE).diagnostics
    after = check_source(read(case, "after.py"), "after.py", EVERY_CODE).diagnostics
    assert before and after == []


def run(source: str, keras, monkeypatch) -> dict:
    """Exec a case in real Keras: fit for one quiet epoch, evaluate/predict quietly."""
    return run_quietly(source, "case.py", keras, monkeypatch)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_keras_rejects_before_and_runs_after(case, keras3, monkeypatch):
    before = read(case, "before.py")
    errors = [d for d in check_source(before, "before.py", EVERY_CODE).diagnostics if d.fix and d.severity == "error"]
    if errors:
        with pytest.raises(Exception):
            run(before, keras3, monkeypatch)
    namespace = run(read(case, "after.py"), keras3, monkeypatch)
    models = [v for v in namespace.values() if isinstance(v, keras3.Model)]
    assert models and all(m.built for m in models)


@pytest.mark.parametrize("name", [
    "data_onehot_labels.py",  # one model fitted with one-hot and with integer labels: no loss is right
    "data_mnist_channels.py",  # 3 channels declared, none in the data: change the model or the data?
    "programs/lstm_on_flat_input.py",  # 2D input to an LSTM: which axis is time is not known
    "programs/conv1d_kernel_too_long.py",  # padding='same' or a shorter kernel
])
def test_no_fix_where_the_repair_is_a_choice(name):
    result = check_source((FIXTURES / name).read_text(encoding="utf-8"), name, EVERY_CODE)
    assert result.diagnostics and all(d.fix is None for d in result.diagnostics)


TWO_CONSUMERS = """\
import keras
from keras import layers

inputs = keras.Input((10, 4))
seq = layers.LSTM(8, return_sequences=True)(inputs)
a = layers.RepeatVector(3)(seq)
b = layers.{other}(seq)
model = keras.Model(inputs, [a, b])
"""

# name: (a program with one problem, its code); its fix would break or silently change another part:
# another consumer of the layer, another fit call, every layer the loop builds
NO_FIX_PROGRAMS = {
    "return_sequences_flip_that_breaks_another_consumer": (TWO_CONSUMERS.format(other="Conv1D(4, 3)"), "KC101"),
    "return_sequences_flip_that_silently_changes_another_branch": (TWO_CONSUMERS.format(other="Dense(4)"), "KC101"),
    "loss_switch_when_another_call_needs_the_current_loss": ("""\
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Input

X = np.random.random((32, 20))
ids = np.random.randint(0, 5, size=(32,))
model = Sequential([Input(shape=(20,)), Dense(5, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(X, ids, epochs=1)
model.fit(X, np.eye(5)[ids], epochs=1)
""", "KC402"),
    "fix_on_a_layer_built_in_a_loop": ("""\
from keras.models import Sequential
from keras.layers import Input, LSTM, Dense

model = Sequential()
model.add(Input(shape=(10, 4)))
for units in (32, 16):
    model.add(LSTM(units))
model.add(Dense(1))
""", "KC101"),
}


@pytest.mark.parametrize("name", sorted(NO_FIX_PROGRAMS))
def test_no_fix_that_would_change_something_else(name):
    source, code = NO_FIX_PROGRAMS[name]
    (problem,) = check_source(source, f"{name}.py", EVERY_CODE).diagnostics
    assert problem.code == code and problem.fix is None


@pytest.mark.parametrize("path", FIXABLE_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixing_a_fixture_leaves_exactly_its_unfixable_problems(path):
    text = path.read_text(encoding="utf-8")
    before = check_source(text, str(path), EVERY_CODE).diagnostics
    fixable = [d for d in before if d.fix is not None]
    outcome = apply_fixes(text, [d.fix for d in fixable])
    after = check_source(outcome.text, str(path), EVERY_CODE).diagnostics
    # an info may appear once the errors are gone (KC920: a clean model checked only in part)
    assert sorted(d.code for d in after if d.fails) == sorted(d.code for d in before if d.fix is None and d.fails)
    assert all(d.fix is None for d in after) or outcome.skipped
