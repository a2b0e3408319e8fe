"""``--fix --unsafe-fixes`` on the broken seed programs: each fails in real Keras 3 before, and
runs (fit included) after. ``--fix`` alone leaves the unsafe repairs: seed 0 (a Dense given a
shape) still fails after it.

Not covered (no fix is offered for them): seed 2, whose repair removes a layer and changes two
others, and seed 3's ``backend.get_session()``, which Keras 3 no longer has.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import cli
from tests.fixes.test_cases import run

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
BROKEN = ["seed0_stacked_targets_broken.py", "seed1_one_to_many_broken.py", "seed4_causal_conv_lstm_broken.py"]


@pytest.mark.parametrize("name", BROKEN)
def test_unsafe_fixes_make_the_broken_seed_run(name, tmp_path, keras3, monkeypatch):
    before = (SEEDS / name).read_text(encoding="utf-8")
    with pytest.raises(Exception):
        run(before, keras3, monkeypatch)
    shutil.copy(SEEDS / name, tmp_path / name)
    assert cli(["--fix", "--unsafe-fixes", "--ignore", "KC650", name], tmp_path).exit_code == 0
    run((tmp_path / name).read_text(encoding="utf-8"), keras3, monkeypatch)


def test_safe_fixes_alone_leave_the_dense_given_a_shape(tmp_path, keras3, monkeypatch):
    name = BROKEN[0]
    shutil.copy(SEEDS / name, tmp_path / name)
    result = cli(["--fix", "--ignore", "KC650", name], tmp_path)
    assert result.exit_code == 1 and "[fixable with --unsafe-fixes]" in result.stdout
    with pytest.raises(Exception):
        run((tmp_path / name).read_text(encoding="utf-8"), keras3, monkeypatch)
