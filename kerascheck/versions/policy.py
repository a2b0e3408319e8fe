"""The error policy when the file's Keras is unknown: it is checked on Keras 3 and on Keras 2;
what fails on both stays an error, what fails on one only is a warning that names that one, unless the others fail at the same
place in their own way."""

from __future__ import annotations

from dataclasses import replace

from kerascheck.diagnostics import ERROR, WARNING, Diagnostic

VERSION_NAMES = {2: "Keras 2 (tf-keras, TensorFlow 2.15 and earlier)", 3: "Keras 3 (TensorFlow 2.16 and later)"}


def merge_versions(by_version: dict[int, list[Diagnostic]]) -> list[Diagnostic]:
    """One list from each version's diagnostics, Keras 3's first: an error every version
    raises (same code, same place) once as it is; an error one version raises as a warning
    saying so, or, when every other version raises another error at that place, as an error
    saying which version fails that way; every warning once."""
    places = {version: {(d.code, d.position) for d in found if d.severity == ERROR}
              for version, found in by_version.items()}
    # each version's first code (by number) failing at each place
    failing_at = {version: {position: code for code, position in sorted(errors, key=lambda e: e[0], reverse=True)}
                  for version, errors in places.items()}
    merged: dict[tuple, Diagnostic] = {}
    for version, found in sorted(by_version.items(), reverse=True):
        for d in found:
            key = (d.code, d.position)
            if key in merged:
                continue
            failing = sorted(v for v, errors in places.items() if key in errors)
            if d.severity == ERROR and len(failing) < len(by_version):
                only = " and ".join(VERSION_NAMES[v] for v in failing)
                others = {v: failing_at[v].get(d.position) for v in by_version if v not in failing}
                if all(others.values()):
                    also = ", ".join(f"{VERSION_NAMES[v]} fails here with {code}"
                                     for v, code in sorted(others.items(), reverse=True))
                    note = f"on {only}; {also}"
                    d = replace(d, hint=f"{d.hint}; {note}" if d.hint else note)
                else:
                    note = f"fails on {only} only; which Keras runs this file is unknown"
                    d = replace(d, level=WARNING, hint=f"{d.hint}; {note}" if d.hint else note)
            merged[key] = d
    return list(merged.values())
