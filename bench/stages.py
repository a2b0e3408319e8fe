"""Where check_source's time goes: CPU seconds per stage over a tree's Keras files, in process.

    python bench/stages.py TREE [--repeat 3] [--all]

TREE is one ``bench/generate.py`` wrote (the files named ``models_*.py`` are its Keras files),
or with ``--all`` any tree, every ``.py`` file of it counted (``bench/real.py``'s real code).
Start-up is excluded (one check runs first); each stage is timed around the function that does
it, so a stage nested in another (positions in the interpreter) is also counted there. The best
of ``--repeat`` passes is shown. CPU time, not wall: it moves less when the machine is shared.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STAGES = [  # (module, attribute, label); nested stages after the one containing them
    ("kerascheck.frontend", "_guard", "CPython ast guard (parse + nesting check)"),
    ("kerascheck.frontend", "_parse", "libcst parse"),
    ("kerascheck.frontend", "_interpret", "interpreter (positions and guarded imports included)"),
    ("kerascheck.frontend.positions", "pair_directly", "  positions: ast pairing, both trees at once"),
    ("kerascheck.frontend.positions", "pair_nodes", "  positions: ast pairing in source order (fallback)"),
    ("kerascheck.frontend.positions", "StatementPositions._resolve", "  positions: libcst rendering (fallback)"),
    ("kerascheck.frontend.imports", "guarded_import_lines", "  guarded imports"),
    ("kerascheck.shapes.propagate", "propagate", "shapes (propagate)"),
    ("kerascheck.versions", "check_api", "versions (API, imports)"),
    ("kerascheck.versions", "check_imports", "versions (API, imports)"),
    ("kerascheck.data", "check_data", "data checks"),
    ("kerascheck.fixes.verify", "verified", "fix verification (its checks of changed graphs included)"),
]


def _patch(module: str, dotted: str, wrap: Callable[[Callable], Callable]) -> None:
    owner: Any = __import__(module, fromlist=["_"])
    *path, name = dotted.split(".")
    for part in path:
        owner = getattr(owner, part)
    setattr(owner, name, wrap(getattr(owner, name)))


def _timed(function: Callable, label: str, spent: collections.Counter) -> Callable:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--all", action="store_true", help="every .py file, not only models_*.py")
    args = parser.parse_args()
    from kerascheck import check_source

    pattern = "*.py" if args.all else "models_*.py"
    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in sorted(args.tree.rglob(pattern))]
    if not texts:
        sys.exit(f"no {pattern} under {args.tree}")
    check_source(*texts[0])  # lazy imports first
    spent: collections.Counter = collections.Counter()
    for module, name, label in STAGES:
        _patch(module, name, lambda function, label=label: _timed(function, label, spent))
    best: tuple[float, dict[str, float]] | None = None
    for _ in range(args.repeat):
        spent.clear()
        start = time.process_time()
        for text, path in texts:
            check_source(text, path)
        total = time.process_time() - start
        if best is None or total < best[0]:
            best = (total, dict(spent))
    assert best is not None
    total, stages = best
    print(f"| stage ({len(texts)} files, CPU s) | time |")
    print("|---|---:|")
    for label in dict.fromkeys(label for _, _, label in STAGES):
        print(f"| {label} | {stages.get(label, 0.0):.3f} |")
    print(f"| **check_source total** | {total:.3f} |")


if __name__ == "__main__":
    main()
