"""Print which kerascheck packages each package imports, to see the layering.

    python tools/import_graph.py            # package -> the packages it imports
    python tools/import_graph.py --modules  # module -> the kerascheck modules it imports

Imports are read from the source (every ``import``/``from`` statement, in functions and under
``TYPE_CHECKING`` too); nothing is imported. A package is a directory of ``kerascheck`` or a
top-level module (``graph``, ``analysis``...). Packages are listed in pipeline order.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "kerascheck"

# The pipeline, lowest first: each package may import those before it, not those after.
ORDER = ("graph", "repairs", "diagnostics", "config", "suppression", "notebooks", "files", "frontend",
         "shapes", "data", "versions", "fixes", "analysis", "verify", "report", "runner", "docs", "cli",
         "lsp", "flake8_plugin")


def module_imports(root: Path = ROOT) -> dict[str, set[str]]:
    """Each module under ``root`` (dotted, ``kerascheck.shapes.base``) and the kerascheck
    modules it imports (``from kerascheck.x import y`` counts as importing ``kerascheck.x``)."""
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
        found[name] = {m for m in imported if m == "kerascheck" or m.startswith("kerascheck.")}
    return found


def package(module: str) -> str:
    """``kerascheck.shapes.base`` -> ``shapes``; ``kerascheck`` itself -> ``kerascheck``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_imports(root: Path = ROOT) -> dict[str, set[str]]:
    """Each package and the other packages its modules import."""
    graph: dict[str, set[str]] = {}
    for module, imported in module_imports(root).items():
        mine = package(module)
        graph.setdefault(mine, set()).update(package(m) for m in imported if package(m) != mine)
    return graph


def _rank(name: str) -> tuple[int, str]:
    return (ORDER.index(name) if name in ORDER else len(ORDER), name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", action="store_true", help="module by module")
    args = parser.parse_args()
    graph = module_imports() if args.modules else package_imports()
    key = (lambda m: (_rank(package(m)), m)) if args.modules else _rank
    for name in sorted(graph, key=key):
        targets = sorted(graph[name], key=key)
        print(f"{name} -> {', '.join(targets) if targets else '(nothing)'}")


if __name__ == "__main__":
    main()
