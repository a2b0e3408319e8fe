"""Shared test helpers: real Keras for differential tests (skipped when TensorFlow is absent);
every JSON report rendered in a test checked against the shipped schema."""

from __future__ import annotations

import json
import os

import pytest

# Mutation runs (tools/mutation.py) use the static tests only: real Keras is minutes per mutant.
STATIC_ONLY = os.environ.get("KERASCHECK_STATIC_TESTS") == "1"


@pytest.fixture(autouse=True)
def json_reports_follow_the_schema(monkeypatch):
    """Wraps ``kerascheck.report.json.chunks``: once a document is written, it is validated."""
    from kerascheck.report import json as json_report
    from tests.report.test_json import validate

    written = json_report.chunks

    def validated(reports, version):
        pieces = []
        for piece in written(reports, version):
            pieces.append(piece)
            yield piece
        validate(json.loads("".join(pieces)))

    monkeypatch.setattr(json_report, "chunks", validated)


@pytest.fixture(scope="session")
def keras3():
    """The Keras 3 module, TensorFlow backend; tests using it skip without TensorFlow."""
    if STATIC_ONLY:
        pytest.skip("static tests only")
    pytest.importorskip("tensorflow")
    from kerascheck.verify.build import import_keras

    return import_keras(3)


@pytest.fixture(scope="session")
def keras2():
    """tf-keras (Keras 2); tests using it skip without it."""
    if STATIC_ONLY:
        pytest.skip("static tests only")
    pytest.importorskip("tf_keras")
    from kerascheck.verify.build import import_keras

    return import_keras(2)


@pytest.fixture
def no_downloads(monkeypatch, keras3, keras2):
    """Application constructors with their weight files neither fetched nor loaded."""
    from keras.src.models.model import Model
    from keras.src.utils import file_utils
    from tf_keras.src.engine.training import Model as Keras2Model
    from tf_keras.src.utils import data_utils

    for module in (file_utils, data_utils):
        monkeypatch.setattr(module, "get_file", lambda *args, **kwargs: "weights.h5")
    for model in (Model, Keras2Model):
        monkeypatch.setattr(model, "load_weights", lambda self, *args, **kwargs: None)


@pytest.fixture(autouse=True)
def no_installed_keras(monkeypatch):
    """Checks resolve the Keras version as if kerascheck were installed on its own (as
    pre-commit and pipx do): the packages installed for the tests must not decide verdicts."""
    from kerascheck.versions import resolve

    monkeypatch.setattr(resolve, "installed_versions", lambda: {})
