"""The policy for a file whose Keras is unknown: one list from Keras 3's and Keras 2's diagnostics."""

from __future__ import annotations

from kerascheck.diagnostics import Diagnostic
from kerascheck.graph import Position
from kerascheck.versions.policy import merge_versions

HERE, THERE = Position(3, 5, 3, 9), Position(7, 1, 7, 4)
K3 = "Keras 3 (TensorFlow 2.16 and later)"
K2 = "Keras 2 (tf-keras, TensorFlow 2.15 and earlier)"


def error(code: str, position: Position = HERE, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, position, f"{code} message", hint)


def merged(keras3: list[Diagnostic], keras2: list[Diagnostic]) -> list[tuple[str, str, int, str | None]]:
    return [(d.code, d.severity, d.position.line, d.hint) for d in merge_versions({3: keras3, 2: keras2})]


def test_an_error_of_every_version_stays_one_error():
    assert merged([error("KC401", hint="the cause")], [error("KC401", hint="another cause")]) == [
        ("KC401", "error", 3, "the cause")]


def test_an_error_of_one_version_is_a_warning_naming_it():
    assert merged([error("KC401")], []) == [
        ("KC401", "warning", 3, f"fails on {K3} only; which Keras runs this file is unknown")]
    assert merged([], [error("KC404", hint="give one array")]) == [
        ("KC404", "warning", 3, f"give one array; fails on {K2} only; which Keras runs this file is unknown")]


def test_an_error_elsewhere_on_the_other_version_leaves_it_a_warning():
    assert merged([error("KC401")], [error("KC404", THERE)]) == [
        ("KC401", "warning", 3, f"fails on {K3} only; which Keras runs this file is unknown"),
        ("KC404", "warning", 7, f"fails on {K2} only; which Keras runs this file is unknown")]


def test_versions_failing_at_one_place_in_their_own_ways_are_both_errors():
    assert merged([error("KC401", hint="the cause")], [error("KC404"), error("KC403")]) == [
        ("KC401", "error", 3, f"the cause; on {K3}; {K2} fails here with KC403"),
        ("KC404", "error", 3, f"on {K2}; {K3} fails here with KC401"),
        ("KC403", "error", 3, f"on {K2}; {K3} fails here with KC401")]


def test_a_warning_is_kept_once_as_it_is():
    warning = Diagnostic("KC601", HERE, "KC601 message")
    assert merged([warning], [warning, error("KC401", THERE)])[:1] == [("KC601", "warning", 3, None)]
