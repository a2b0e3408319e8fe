"""Names only some standalone Keras 2 releases have (``keras.utils.np_utils`` up to 2.12,
``CuDNNLSTM`` up to 2.3): what to report for one, given the releases the file may run on."""

from __future__ import annotations

from dataclasses import replace

from packaging.version import InvalidVersion, Version

from kerascheck.diagnostics import WARNING, Diagnostic, diagnostic
from kerascheck.graph import Position


def shipped_until(code: str, position: Position, shipped: tuple[str, str], instead: str,
                  releases: tuple[str, ...] | None, **fields: str) -> Diagnostic | None:
    """Nothing when every Keras 2 release the file may run on has the name (``shipped`` is the
    first and last that do); an error when each is later than the last; else (unknown releases,
    or some on each side) a warning naming the releases that have it."""
    first, last = Version(shipped[0]), Version(shipped[1])
    removed = removed_from(shipped)
    keras2 = [v for v in _versions(releases) if v.major < 3]
    if keras2 and all(first <= v <= last for v in keras2):
        return None
    if keras2 and all(v > last for v in keras2):
        return diagnostic(code, position, instead, version=removed, **fields)
    return replace(diagnostic(code, position, f"standalone Keras 2.0-{last.major}.{last.minor} has it; {instead}",
                              version=removed, **fields), level=WARNING)


def removed_from(shipped: tuple[str, str]) -> str:
    """The releases without a name the ``shipped`` releases have: ``2.4 and later``."""
    last = Version(shipped[1])
    return f"{last.major}.{last.minor + 1} and later"


def _versions(releases: tuple[str, ...] | None) -> list[Version]:
    found = []
    for text in releases or ():
        try:
            found.append(Version(text))
        except InvalidVersion:
            return []
    return found
