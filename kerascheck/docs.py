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


POLICY = """\
## Which Keras, and what an error means

An **error** means: this fails on the Keras this code runs on. kerascheck resolves that Keras per
file (first answer wins; `kerascheck --show-config PATH...` prints each file's version and reason,
and `--format json` gives `keras_version` and `keras_version_source` per file):

1. `--keras-version 2|3`, or `keras-version` in `[tool.kerascheck]`.
2. A file whose Keras is only `tf_keras` runs on Keras 2, whatever is installed (it may import
   TensorFlow for `tf.data` or `tf.one_hot`, but not use `tf.keras`).
3. A notebook's own `!pip install tensorflow==2.15` (or `%pip install`, or Colab's
   `%tensorflow_version`), which decides what that notebook runs on as a project's pins do.
4. The project's declared dependencies, found by walking up from the file to the nearest directory
   that declares tensorflow (or -cpu, -gpu, -macos), keras or tf-keras, without leaving the
   repository: `pyproject.toml` (`[project]` dependencies and optional dependencies, dependency
   groups, Poetry, PDM and uv tables), `requirements*.txt` (with `-r` includes), `setup.cfg`,
   `setup.py` (literal `install_requires`, read, never run), `environment.yml`, `Pipfile`.
   TensorFlow < 2.16 or keras < 3 is Keras 2; TensorFlow >= 2.16 or keras >= 3 is Keras 3
   (`import keras` asks keras first, `tf.keras` TensorFlow first); a range that allows both
   (`tensorflow>=2.10`) decides nothing. With `TF_USE_LEGACY_KERAS` set, TensorFlow >= 2.16's
   `tf.keras` is tf-keras: Keras 2.
5. The packages installed where kerascheck runs (their metadata is read; nothing is imported),
   with `TF_USE_LEGACY_KERAS` as above.
6. The file's era: APIs only one Keras has (Keras 2: `fit_generator`, `keras.utils.np_utils`,
   `keras.preprocessing.text`, `backend.get_session`, `CuDNNLSTM`, `Merge`, optimizer `lr=`...;
   Keras 3: `keras.ops`, `keras.random`, `keras_core`...).
7. Otherwise the version is unknown. The file is then checked on Keras 3 and on Keras 2: what
   fails on both is an error; what fails on one only is a **warning** that names it (for
   example "fails on Keras 3 (TensorFlow 2.16 and later) only"). Declare your TensorFlow or
   Keras version, or pass `--keras-version`, to make those errors.

Under Keras 2, a name only some Keras 2 releases had depends on the release: a module or a layer
class that later standalone Keras 2 releases dropped (`keras.utils.np_utils` up to 2.12,
`CuDNNLSTM` up to 2.3, `Merge` up to 2.1), said at its import line, or at its use when not
imported by name. When the project pins keras (or a notebook installs it, or it is installed)
to releases that all have it, nothing is reported; to releases that all come later, it is an
error; otherwise it is a **warning** that names the releases that have it.

Code written to fail is not reported: the body of a `with pytest.raises(...)` or
`with self.assertRaises(...)` block (and `assertRaisesRegex`, `np.testing.assert_raises`) is
where a test suite builds a wrong model on purpose.
"""


def rules_markdown() -> str:
    """docs/rules.md: every code, grouped as design.md groups them."""
    parts = ["# kerascheck rules", "",
             f"Generated from the catalog in `kerascheck/diagnostics.py` by `{REGENERATE}`; "
             "do not edit by hand. `kerascheck rule CODE` prints one entry.", "", POLICY, SEVERITIES, "",
             "Each example below, and each \"use instead\", is a program after this prelude (the "
             "tests check that the example gives exactly its code and the fix nothing), except "
             "for the codes about unreadable files, internal errors and verification:", "",
             "```python", EXAMPLE_PRELUDE.rstrip("\n"), "```", "",
             "## Codes", "", "| Code | Name | Severity | Default | What it does |", "|---|---|---|---|---|"]
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
