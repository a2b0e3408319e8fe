"""A rule's examples are its tests: every runnable catalog entry's example, after the shared
prelude, gives exactly its own code, and its "use instead" gives no diagnostic at all; with every
code selected, so that no example leans on an opt-in code being off. In Keras 3, an error's
example fails, a warning's runs, and every fix runs."""

from __future__ import annotations

import pytest

from kerascheck import check_source
from kerascheck.config import Options
from kerascheck.diagnostics import CATALOG, EXAMPLE_PRELUDE
from tests.keras_run import run_quietly

EVERY_CODE = Options(select=("KC",))
RUNNABLE = [code for code, entry in CATALOG.items() if entry.runnable]


def codes(snippet: str) -> list[str]:
    return sorted({d.code for d in check_source(EXAMPLE_PRELUDE + snippet + "\n", "example.py", EVERY_CODE).diagnostics})


def test_the_prelude_alone_is_clean():
    assert codes("") == []


@pytest.mark.parametrize("code", RUNNABLE)
def test_the_example_gives_exactly_its_code(code):
    assert codes(CATALOG[code].example) == [code]


@pytest.mark.parametrize("code", RUNNABLE)
def test_the_fix_gives_no_diagnostic(code):
    assert codes(CATALOG[code].fix) == []


def test_only_what_cannot_be_written_as_code_is_not_runnable():
    # an unreadable, too deep or too large file, one libcst cannot parse; an internal error; what
    # verification finds
    assert [code for code in CATALOG if code not in RUNNABLE] == [
        "KC002", "KC003", "KC004", "KC005", "KC901", "KC910", "KC911", "KC912", "KC913", "KC914", "KC915", "KC916", "KC917",
        "KC918"]


def run_in_keras(snippet: str, keras, monkeypatch) -> None:
    """Exec a snippet after the prelude in Keras 3; fit trains one quiet epoch."""
    keras.backend.clear_session()
    run_quietly(EXAMPLE_PRELUDE + snippet + "\n", "example.py", keras, monkeypatch)


@pytest.mark.parametrize("code", RUNNABLE)
def test_in_keras_an_error_example_fails_a_warning_example_runs_and_the_fix_runs(code, keras3, monkeypatch):
    entry = CATALOG[code]
    if entry.severity == "error":
        with pytest.raises(Exception):
            run_in_keras(entry.example, keras3, monkeypatch)
    else:
        run_in_keras(entry.example, keras3, monkeypatch)
    run_in_keras(entry.fix, keras3, monkeypatch)
