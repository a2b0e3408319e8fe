"""Property tests: arbitrary valid Python and mutated fixtures never make kerascheck raise,
never produce an internal error (KC901), and always give well-formed diagnostics.

HYPOTHESIS_PROFILE=thorough runs thousands of programs (the CI default runs a few hundred).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerascheck import check_source
from kerascheck.diagnostics import CATALOG

hypothesmith = pytest.importorskip("hypothesmith")

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures").rglob("*.py"))
PRELUDE = "import numpy as np\nimport keras\nfrom keras import layers\nfrom keras.layers import *\n"


def assert_well_formed(text: str) -> None:
    result = check_source(text, "generated.py")
    lines = text.count("\n") + 1
    for d in result.diagnostics:
        assert d.code in CATALOG and d.code != "KC901", d
        assert 1 <= d.position.line <= lines + 1 and d.position.column >= 1, d
        assert "\n" not in d.text, d


@settings(max_examples=2000 if THOROUGH else 150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(hypothesmith.from_grammar())
@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles what it generates
def test_arbitrary_python_after_keras_imports(source: str) -> None:
    assert_well_formed(PRELUDE + source)


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        choice = rng.randrange(5)
        if choice == 0:
            del lines[i]
        elif choice == 1:
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
        elif choice == 2:
            lines[i] = "".join(str(rng.choice([0, 1, -1, 3, 400])) if c.isdigit() else c for c in lines[i])
        elif choice == 3:
            lines[i] = lines[i].replace("True", "False") if "True" in lines[i] else lines[i].replace("False", "True")
        else:
            cut = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:cut]
    return "\n".join(lines) + "\n"


@settings(max_examples=1500 if THOROUGH else 200, deadline=None)
@given(st.sampled_from(FIXTURES), st.integers(0, 2**32 - 1))
def test_mutated_fixtures(path: Path, seed: int) -> None:
    assert_well_formed(mutate(path.read_text(encoding="utf-8"), random.Random(seed)))
