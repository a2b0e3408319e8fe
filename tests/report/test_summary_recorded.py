"""`kerascheck summary` without TensorFlow: every table equals the text Keras 3's
``model.summary()`` printed for the same model, recorded in ``summaries/`` (the tests against
real Keras, ``test_summary_keras.py`` and the others, check that the records are Keras's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.report.summary import render_model
from tests.report.graphs import lstm_stack, two_branches
from tests.report.test_summary_keras import (CONSTANTS, DTYPES, FIXTURES, HEAD, HEAD_MODELS, MADE_INSIDE, NEVER, ROOT,
                                             SCALED, WEIGHTS, our_summaries, recorded)
from tests.report.test_summary_masks_keras import GRAPHS, LAMBDAS, MASKS

CASES = {Path(name).stem: ((ROOT / name).read_text(encoding="utf-8"), ()) for name in FIXTURES}
CASES.update(weights=(WEIGHTS, ()), dtypes=(DTYPES, ()), head=(HEAD, HEAD_MODELS), never=(NEVER, ()), masks=(MASKS, ()),
             lambdas=(LAMBDAS, ()), graphs=(GRAPHS, ()), scaled=(SCALED, ()), constants=(CONSTANTS, ()),
             made_inside=(MADE_INSIDE, ()))


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_table_is_the_text_keras_printed(name):
    source, only = CASES[name]
    ours = our_summaries(check_source(source, f"{name}.py").models, only)
    assert [lines for _, _, lines in ours] == recorded(name)


@pytest.mark.parametrize("columns", [200, 80, 60])
def test_a_sequential_in_narrower_terminals(columns):
    result = lstm_stack()
    result.model.given_name = "stack"
    assert [render_model(result, columns).splitlines()] == recorded(f"stack_{columns}")


@pytest.mark.parametrize("columns", [200, 100])
def test_connected_to_in_narrower_terminals(columns):
    result = two_branches()
    result.model.given_name = "branches"
    assert [render_model(result, columns).splitlines()] == recorded(f"branches_{columns}")
