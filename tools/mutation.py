"""Mutation testing of one module with its fast tests (mutmut 3), in a scratch copy of the tree.

    python tools/mutation.py config            # one module: a score and the surviving mutants
    python tools/mutation.py --list            # the modules and the tests paired with each
    nice -n 19 python tools/mutation.py config --max-children 1   # gentle on a shared machine
    python tools/mutation.py config --mutant NAME ...   # only these mutants (a survivor list, again)

Each module is paired with the tests that exercise it without TensorFlow, so a run takes
minutes, not hours. The copy keeps mutmut's ``mutants/`` folder and configuration out of the
repository; the surviving mutants are printed with ``mutmut show`` to be killed by a new test
or justified (see CONTRIBUTING.md). A developer tool, not a CI gate.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = [sys.executable, "-m", "mutmut"]  # the mutmut of this Python, with or without its venv activated
# module -> (files to mutate, tests that exercise them without real Keras)
MODULES = {
    "report": ("kerascheck/report/*", ["tests/report", "tests/cli/test_streaming.py",
                                       "tests/cli/test_discovery.py"]),  # the last: report.progress
    "config": ("kerascheck/config.py", ["tests/cli/test_config.py", "tests/cli/test_config_values.py",
                                        "tests/cli/test_default_rules.py"]),
    "fixes.apply": ("kerascheck/fixes/apply.py", ["tests/fixes/test_apply.py", "tests/fixes/test_apply_layout.py",
                                                  "tests/fixes/test_cases.py", "tests/fixes/test_skip_reasons.py"]),
    "versions.renames": ("kerascheck/versions/renames.py", ["tests/versions", "tests/fixes/test_migration.py"]),
    # the fixtures' inline expectations hold most data diagnostics (codes at lines); the fix
    # cases hold the loss and per-step label repairs, with their exact text
    "data.checks": ("kerascheck/data/checks.py", ["tests/data", "tests/test_fixtures.py",
                                                  "tests/fixes/test_cases.py"]),
}
COPIED = ("kerascheck", "tests", "fixtures", "pyproject.toml", "README.md", "docs")
# mutmut 3.8 reads a test's id as ``item._nodeid``, which pytest 9.2 no longer has (it collects no
# stats, and the run reports no mutant): a plugin of the scratch copy gives it back.
COMPAT = "mutmut_pytest_compat"
COMPAT_PLUGIN = '''"""``Node._nodeid`` for mutmut 3.8 under pytest 9.2 and later."""
from _pytest.nodes import Node

if not hasattr(Node, "_nodeid"):
    Node._nodeid = property(lambda node: node.nodeid)
'''


def config(files: str, tests: list[str]) -> str:
    existing = [t for t in tests if (ROOT / t).exists()]
    selection = ", ".join(f'"{t}"' for t in existing)
    return (f'\n[tool.mutmut]\nsource_paths = ["kerascheck"]\nonly_mutate = ["{files}"]\n'
            f'pytest_add_cli_args_test_selection = [{selection}]\n'
            f'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-p", "{COMPAT}"]\n'
            f'also_copy = ["fixtures", "README.md", "docs", "{COMPAT}.py"]\n')


def run(module: str, max_children: int | None, mutants: list[str]) -> int:
    files, tests = MODULES[module]
    with tempfile.TemporaryDirectory(prefix="kerascheck-mutation-") as scratch:
        work = Path(scratch)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, work / name)
        (work / f"{COMPAT}.py").write_text(COMPAT_PLUGIN, encoding="utf-8")
        with open(work / "pyproject.toml", "a", encoding="utf-8") as project:
            project.write(config(files, tests))
        # Tests that need TensorFlow are skipped: the paired tests are the static ones.
        env = {**os.environ, "KERASCHECK_STATIC_TESTS": "1", "PYTHONPATH": str(work)}
        children = ["--max-children", str(max_children)] if max_children else []
        ran = subprocess.run([*MUTMUT, "run", *children, *mutants], cwd=work, env=env, check=False,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if ran.returncode != 0:  # no score from a run that stopped (its mutants would count as not killed)
            print(f"{module}: mutmut failed (exit {ran.returncode}):\n{ran.stdout[-3000:]}")
            return 1
        results = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=work, env=env,
                                 capture_output=True, text=True, check=False).stdout
        lines = [line for line in results.splitlines() if ":" in line
                 and (not mutants or any(fnmatch.fnmatch(line.rsplit(":", 1)[0].strip(), m) for m in mutants))]
        statuses = [line.rsplit(":", 1)[-1].strip() for line in lines]
        killed = sum(s in ("killed", "timeout") for s in statuses)
        survivors = [line.rsplit(":", 1)[0].strip() for line in lines if line.rsplit(":", 1)[-1].strip() == "survived"]
        if not statuses:
            print(f"{module}: no mutants (mutmut 3 mutates function bodies; module-level tables are not)")
            return 0
        print(f"{module}: {killed} of {len(statuses)} mutants killed"
              f" ({100 * killed / max(len(statuses), 1):.0f}%), {len(survivors)} survived")
        for name in survivors:
            print(subprocess.run([*MUTMUT, "show", name], cwd=work, env=env, capture_output=True,
                                 text=True, check=False).stdout)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", nargs="?", choices=sorted(MODULES))
    parser.add_argument("--list", action="store_true", help="list the modules and their tests")
    parser.add_argument("--max-children", type=int, metavar="N",
                        help="mutants tested at once (mutmut's default: one per CPU)")
    parser.add_argument("--mutant", action="append", default=[], metavar="NAME",
                        help="test only this mutant (as mutmut names it, * for any text; repeat for more)")
    args = parser.parse_args()
    if args.list or args.module is None:
        for name, (files, tests) in MODULES.items():
            print(f"{name}: {files} <- {' '.join(tests)}")
        return 0
    return run(args.module, args.max_children, args.mutant)


if __name__ == "__main__":
    sys.exit(main())
