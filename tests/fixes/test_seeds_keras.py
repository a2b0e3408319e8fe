"""``--fix --unsafe-fixes`` on every broken seed program: each fails in real Keras 3 before, and
runs (fit included) after. ``--fix`` alone leaves the unsafe repairs: seeds 0 (a Dense given a
shape) and 2 (per-step labels, a model with one output) still fail after it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kerascheck import check_source
from tests.cli.helpers import cli
from tests.fixes.test_cases import run

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
BROKEN = ["seed0_stacked_targets_broken.py", "seed1_one_to_many_broken.py", "seed2_per_timestep_labels_broken.py",
          "seed3_variable_length_stateful_keras1.py", "seed4_causal_conv_lstm_broken.py"]


def test_the_broken_seeds_are_those_with_errors():
    def errors(path: Path) -> list:
        return [d for d in check_source(path.read_text(encoding="utf-8"), path.name).diagnostics if d.severity == "error"]

    with_errors = [p.name for p in sorted(SEEDS.glob("*.py")) if errors(p)]
    assert with_errors == BROKEN


@pytest.mark.parametrize("name", BROKEN)
def test_unsafe_fixes_make_the_broken_seed_run(name, tmp_path, keras3, monkeypatch):
    before = (SEEDS / name).read_text(encoding="utf-8")
    with pytest.raises(Exception):
        run(before, keras3, monkeypatch)
    shutil.copy(SEEDS / name, tmp_path / name)
    fixed = cli(["--fix", "--unsafe-fixes", name], tmp_path)
    assert fixed.exit_code == 0, fixed.stdout + fixed.stderr
    run((tmp_path / name).read_text(encoding="utf-8"), keras3, monkeypatch)


@pytest.mark.parametrize("name", [BROKEN[0], BROKEN[2]])
def test_safe_fixes_alone_leave_the_repairs_that_change_the_model(name, tmp_path, keras3, monkeypatch):
    shutil.copy(SEEDS / name, tmp_path / name)
    result = cli(["--fix", name], tmp_path)
    assert result.exit_code == 1 and result.stdout.rstrip().endswith("[fixable with --unsafe-fixes]")
    with pytest.raises(Exception):
        run((tmp_path / name).read_text(encoding="utf-8"), keras3, monkeypatch)
