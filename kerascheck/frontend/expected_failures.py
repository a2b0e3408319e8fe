"""Code written to fail: the bodies of ``with pytest.raises(...)`` and ``with
self.assertRaises(...)`` blocks (and their Regex and NumPy forms). A test suite builds a wrong
model there on purpose; what fails inside is what the test expects, not a bug to report."""

from __future__ import annotations

import ast

_EXPECTING = frozenset({"raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp",
                        "assert_raises", "assert_raises_regex"})


def expected_failure_lines(tree: ast.Module, text: str) -> list[tuple[int, int]]:
    """The first and last lines of each body that expects an exception."""
    if "aises" not in text:  # no such block: no walk
        return []
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(_expects(item.context_expr) for item in node.items):
            spans.append((node.body[0].lineno, node.end_lineno or node.body[-1].lineno))
    return spans


def _expects(expression: ast.expr) -> bool:
    if not isinstance(expression, ast.Call):
        return False
    called = expression.func
    name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", None)
    return name in _EXPECTING
