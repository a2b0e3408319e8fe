"""KC205 (a NumPy reshape of the wrong size) against NumPy: the fixture's statements run one by
one, and NumPy must raise exactly on the lines kerascheck reports."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from kerascheck import check_source

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "programs" / "numpy_reshape_sizes.py"


def raising_lines(path: Path) -> set[int]:
    """Lines of the file on which a ValueError was raised, running each top-level statement apart
    (Keras is not imported: the statements using it, or the model, are skipped)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    namespace: dict = {"__name__": "__fixture__"}
    lines = set()
    keras_names = {"keras", "model"}
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module.startswith("keras"):
            keras_names.update(alias.asname or alias.name for alias in statement.names)
        if any(isinstance(n, ast.Name) and n.id in keras_names for n in ast.walk(statement)) \
                or "keras" in ast.unparse(statement):
            continue
        code = compile(ast.Module([statement], []), str(path), "exec")
        try:
            exec(code, namespace)
        except ValueError:
            trace = sys.exc_info()[2]
            while trace.tb_next is not None and trace.tb_next.tb_frame.f_code.co_filename == str(path):
                trace = trace.tb_next
            lines.add(trace.tb_lineno)
    return lines


def test_numpy_raises_exactly_on_reported_lines():
    result = check_source(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE))
    reported = {d.position.line for d in result.diagnostics if d.code == "KC205"}
    assert reported and reported == raising_lines(FIXTURE)


def test_message_is_numpys_and_hint_gives_the_call():
    (found,) = [d for d in check_source("import numpy as np\nimport keras\nx = np.zeros((100, 28, 28))\n"
                                        "x = x.reshape(600, 784)\n").diagnostics if d.code == "KC205"]
    assert found.message == "NumPy raises: cannot reshape array of size 78400 into shape (600,784)"
    assert found.hint == "reshape(-1, 784) gives 100 samples of (784,)"
