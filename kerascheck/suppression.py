"""``# noqa`` comments and ``# kerascheck: skip-file``, read from the source lines (no parsing).

``# noqa`` alone silences every code on its line; ``# noqa: KC101,KC2`` only those codes or
prefixes (flake8's syntax). A line ``# kerascheck: skip-file`` anywhere skips the whole file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from kerascheck.diagnostics import Diagnostic

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)  # flake8's
_SKIP_FILE = re.compile(r"^[ \t]*#[ \t]*kerascheck:[ \t]*skip-file[ \t]*$", re.MULTILINE | re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


def skip_file(text: str) -> bool:
    """Whether the file asks not to be checked."""
    return "skip-file" in text and _SKIP_FILE.search(text) is not None


def noqa_codes(line: str) -> tuple[str, ...] | None:
    """None: no noqa on this line; ``()``: a bare noqa (everything); else the codes/prefixes."""
    if "noqa" not in line.lower():
        return None
    match = _NOQA.search(line)
    if match is None:
        return None
    listed = match.group("codes")
    return tuple(c.upper() for c in _CODE.findall(listed)) if listed else ()


def suppressed(diagnostic: Diagnostic, lines: list[str]) -> bool:
    """Whether a noqa comment on the diagnostic's line covers its code."""
    index = diagnostic.position.line - 1
    if not 0 <= index < len(lines):
        return False
    listed = noqa_codes(lines[index])
    if listed is None:
        return False
    return not listed or any(diagnostic.code.startswith(prefix) for prefix in listed)


def apply_noqa(text: str, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics no ``# noqa`` comment silences."""
    diagnostics = list(diagnostics)
    if not diagnostics or "noqa" not in text.lower():
        return diagnostics
    lines = text.splitlines()
    return [d for d in diagnostics if not suppressed(d, lines)]
