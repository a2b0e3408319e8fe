"""The pipeline runs one way: frontend -> graph -> shapes / data / versions -> fixes -> report.

Read from the source by ``tools/import_graph.py`` (function-level and ``TYPE_CHECKING`` imports
included): an analysis only reports, with candidate fixes as plain data, and never imports the
fix engine or the reports.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_TOOL = Path(__file__).resolve().parents[1] / "tools" / "import_graph.py"
_spec = importlib.util.spec_from_file_location("import_graph", _TOOL)
import_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)

ANALYSIS = ("frontend", "graph", "shapes", "data", "versions")
IR = ("graph", "repairs", "diagnostics")


def _imports_of(packages: tuple[str, ...]) -> dict[str, set[str]]:
    return {module: imported for module, imported in import_graph.module_imports().items()
            if import_graph.package(module) in packages}


def test_analysis_modules_import_neither_fixes_nor_report() -> None:
    wrong = {module: sorted(m for m in imported if import_graph.package(m) in ("fixes", "report"))
             for module, imported in _imports_of(ANALYSIS).items()}
    assert {module: found for module, found in wrong.items() if found} == {}


def test_the_ir_imports_only_the_ir() -> None:
    wrong = {module: sorted(m for m in imported if import_graph.package(m) not in IR)
             for module, imported in _imports_of(IR).items()}
    assert {module: found for module, found in wrong.items() if found} == {}


def test_imports_inside_functions_are_read() -> None:
    imports = import_graph.module_imports()
    # analysis.py imports the fix engine inside _analyse, the only place that runs it
    assert "kerascheck.fixes.verify" in imports["kerascheck.analysis"]
    assert "kerascheck.shapes.symbolic" in imports["kerascheck.analysis"]
    assert [m for m, imported in imports.items() if "kerascheck.fixes.verify" in imported] == ["kerascheck.analysis"]
