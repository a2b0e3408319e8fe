"""Rule documentation rendered from the catalog: ``kerascheck rule KC101`` and docs/rules.md.

Regenerate the Markdown with ``python -m kerascheck.docs > docs/rules.md``.
"""

from __future__ import annotations

import textwrap

from kerascheck.diagnostics import CATALOG, EXAMPLE_PRELUDE, Code

REGENERATE = "python -m kerascheck.docs > docs/rules.md"
OPT_IN = "opt-in: reported only when selected (extend-select)"
SEVERITIES = (
    "**Severities and the default rule set.** An *error* means the code fails on the Keras it "
    "runs on; a *warning* is a likely bug Keras accepts. Both make the run exit 1. An *info* line "
    "(what could not be checked or verified) is shown but never changes the exit code. As in ruff, "
    "the default rule set is every code except the opt-in notes on style, migration and "
    "deprecation (marked *opt-in* below; the Keras 3 deprecation of `input_shape=` is one): "
    "`--extend-select KC650` or `extend-select = [\"KC650\"]` under `[tool.kerascheck]` adds one, "
    "`--select KC` selects every code."
)

GROUPS = {
    "KC0": "Input problems", "KC1": "Rank mismatches between layers",
    "KC2": "Dimension arithmetic", "KC3": "Invalid layer arguments",
    "KC4": "Data and labels vs model", "KC5": "Model structure, Keras version and API misuse",
    "KC6": "Likely bugs Keras accepts (warnings)", "KC9": "Verification and internal errors",
}


def code_text(entry: Code) -> str:
    """The plain-text doc a terminal shows."""
    def section(title: str, body: str, code: bool = False) -> str:
        indent = "    " if code else "  "
        return f"{title}\n{textwrap.indent(body, indent)}"

    return "\n\n".join([
        f"{entry.code} {entry.name} ({entry.severity}"
        + (f"; opt-in: --extend-select {entry.code})" if entry.opt_in else ")"),
        section("What it does", entry.what),
        section("Why is this bad", entry.why),
        section("Example", entry.example, code=True),
        section("Use instead", entry.fix, code=True),
    ])


def code_markdown(entry: Code, level: int = 2) -> str:
    """One code's Markdown section."""
    return "\n".join([
        f"{'#' * level} {entry.code} {entry.name}", "",
        f"Severity: {entry.severity}" + (f" · {OPT_IN}" if entry.opt_in else ""), "",
        "**What it does.** " + entry.what, "",
        "**Why is this bad.** " + entry.why, "",
        "**Example**", "", "```python", entry.example, "```", "",
        "**Use instead**", "", "```python", entry.fix, "```",
    ])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """docs/rules.md: every code, grouped as design.md groups them."""
    parts = ["# kerascheck rules", "",
             f"Generated from the catalog in `kerascheck/diagnostics.py` by `{REGENERATE}`; "
             "do not edit by hand. `kerascheck rule CODE` prints one entry.", "", SEVERITIES, "",
             "Each example below, and each \"use instead\", is a program after this prelude (the "
             "tests check that the example gives exactly its code and the fix nothing), except "
             "for the codes about unreadable files, internal errors and verification:", "",
             "```python", EXAMPLE_PRELUDE.rstrip("\n"), "```", "",
             "| Code | Name | Severity | Default | What it does |", "|---|---|---|---|---|"]
    parts += [f"| [{c.code}](#{c.code.lower()}-{c.name}) | {c.name} | {c.severity} | "
              f"{'opt-in' if c.opt_in else 'on'} | {_cell(c.what)} |" for c in CATALOG.values()]
    group = None
    for entry in CATALOG.values():
        if entry.code[:3] != group:
            group = entry.code[:3]
            parts += ["", f"## {group}xx: {GROUPS.get(group, 'Other')}"]
        parts += ["", code_markdown(entry, level=3)]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(rules_markdown())
