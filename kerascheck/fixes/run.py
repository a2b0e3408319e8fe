"""``--diff`` and ``--fix`` over checked files: the fixes their diagnostics carry, made on the
file's exact text (bytes outside the edited calls unchanged), shown as a diff or written back.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from kerascheck.report import FileReport

BOM = "\ufeff"


@dataclass
class FileFix:
    """One file's fixing: the text before and after, and what could not be fixed (messages)."""

    path: str
    before: str
    after: str
    applied: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self) -> str:
        old, new = (self.path, self.path) if os.path.isabs(self.path) else (f"a/{self.path}", f"b/{self.path}")
        lines = difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                     old, new)
        return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                       for line in lines)


def fix_report(report: FileReport, text: str | None = None, unsafe: bool = False) -> FileFix | None:
    """Make the fixes of one checked file (its text read again unless given), the unsafe ones
    only when ``unsafe``; None when it has none."""
    fixable = [d for d in report.diagnostics if d.fix is not None and (unsafe or d.fix.safe)]
    if not fixable:
        return None
    # A layer shared by several models is reported once; fix it only if every model agrees.
    refused = {(d.code, d.position, d.message) for m in report.models for d in m.diagnostics if d.fix is None}
    notes = [f"{report.path}:{d.position.line}:{d.position.column}: {d.code} not fixed ({d.fix.description}): "
             f"another model using this layer would not be fixed by it"
             for d in fixable if (d.code, d.position, d.message) in refused]
    fixable = [d for d in fixable if (d.code, d.position, d.message) not in refused]
    if report.cells is not None:
        return FileFix(report.path, "", "", notes=[f"{report.path}: notebooks are not fixed "
                                                   f"({len(fixable)} fixable problem(s) left)"])
    if text is None:
        try:
            with open(report.path, "rb") as handle:
                text = handle.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return FileFix(report.path, "", "", notes=[f"{report.path}: not fixed: {error}"])
    from kerascheck.fixes.apply import apply_fixes

    bom = BOM if text.startswith(BOM) else ""
    try:
        outcome = apply_fixes(text[len(bom):], [d.fix for d in fixable]) if fixable else None
    except Exception as error:  # libcst refusing what CPython parsed: leave the file as it is
        outcome, notes = None, [*notes, f"{report.path}: not fixed: {type(error).__name__}: {error}"[:300]]
    if outcome is None:
        return FileFix(report.path, text, text, notes=notes)
    result = FileFix(report.path, text, bom + outcome.text, len(outcome.applied), notes)
    for fix, reason in outcome.skipped:
        for d in fixable:
            if d.fix == fix:
                result.notes.append(f"{report.path}:{d.position.line}:{d.position.column}: {d.code} "
                                    f"not fixed ({fix.description}): {reason}")
                break
    return result


def write(fixed: FileFix) -> None:
    with open(fixed.path, "wb") as handle:
        handle.write(fixed.after.encode("utf-8"))


# Passes over one file at most: a fix can make another possible (the Keras a file runs on is
# known once an old API is gone; a fix skipped beside another applies next time), as in ruff.
MAX_PASSES = 10


def fix_all(reports: list[FileReport], apply: bool, note: Callable[[str], None],
            unsafe: bool = False, recheck: Callable[[str, str], FileReport] | None = None) -> list[FileFix]:
    """Every file's fixes (the unsafe ones too when ``unsafe``); written when ``apply``; notes
    (skipped fixes) passed to ``note``. With ``recheck`` (a file's path and new text -> its
    report), a fixed text is checked again and fixed again while that changes it."""
    results = []
    for report in reports:
        fixed = fix_report(report, unsafe=unsafe)
        if fixed is None:
            continue
        last = fixed
        for _ in range(MAX_PASSES - 1):
            if recheck is None or not last.changed:
                break
            last = fix_report(recheck(report.path, last.after), last.after, unsafe) or \
                FileFix(report.path, last.after, last.after)
            # the last pass's notes say what is left unfixed
            fixed = FileFix(fixed.path, fixed.before, last.after, fixed.applied + last.applied, last.notes)
        for message in fixed.notes:
            note(message)
        if fixed.changed:
            if apply:
                write(fixed)
            results.append(fixed)
    return results
