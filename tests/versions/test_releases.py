"""What a project's Keras 2 release says of a name only early standalone Keras 2 releases have."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.config import Options
from kerascheck.graph import Position
from kerascheck.versions.declared import declared_requirements
from kerascheck.versions.releases import shipped_until

HERE = Position(2, 1, 2, 30)
NP_UTILS = ("2.0.8", "2.12.0")  # keras.utils.np_utils, as KERAS2_MODULE_RANGES has it


def told(releases):
    d = shipped_until("KC524", HERE, NP_UTILS, "import to_categorical from keras.utils", releases,
                      module="keras.utils.np_utils")
    return None if d is None else (d.severity, d.text)


def test_every_release_having_it_says_nothing():
    assert told(("2.2.4",)) is None
    assert told(("2.0.8", "2.12.0")) is None


def test_every_release_after_the_last_is_an_error():
    assert told(("2.13.1",)) == ("error", "keras.utils.np_utils does not exist in Keras 2.13 and later; "
                                          "import to_categorical from keras.utils")


@pytest.mark.parametrize("releases", [None, ("2.12.0", "2.13.0"), ("2.0.0",), ("not a version",)])
def test_releases_unknown_or_on_both_sides_give_a_warning_naming_them(releases):
    assert told(releases) == ("warning", "keras.utils.np_utils does not exist in Keras 2.13 and later; standalone "
                                         "Keras 2.0-2.12 has it; import to_categorical from keras.utils")


def test_keras3_releases_are_not_keras2_ones():
    assert told(("2.2.4", "3.0.0")) is None


OLD_PROGRAM = """\
import keras
from keras.layers import CuDNNLSTM, Dense
from keras.utils.np_utils import to_categorical
from keras.models import Sequential

model = Sequential()
model.add(CuDNNLSTM(8, input_shape=(10, 3)))
model.add(keras.layers.CuDNNGRU(4))
model.add(Dense(1))
"""


def _checked(tmp_path: Path, pins: str) -> list[tuple[str, str, int]]:
    declared_requirements.cache_clear()
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "requirements.txt").write_text(pins, encoding="utf-8")
    result = check_source(OLD_PROGRAM, str(tmp_path / "train.py"), Options(select=("KC5",)))
    declared_requirements.cache_clear()
    return [(d.code, d.severity, d.position.line) for d in result.diagnostics]


def test_a_project_pinned_to_an_early_keras2_has_them(tmp_path):
    assert _checked(tmp_path, "keras==2.2.4\ntensorflow==1.15\n") == []


def test_a_project_pinned_to_a_later_keras2_fails_on_each(tmp_path):
    assert _checked(tmp_path, "keras==2.13.1\ntensorflow==2.13.1\n") == [
        ("KC523", "error", 2), ("KC524", "error", 3), ("KC523", "error", 8)]
