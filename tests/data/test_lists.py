"""Lists built in loops, and rows of arrays iterated over: what ``np.array(xs)`` and ``row`` are."""

from __future__ import annotations

import textwrap

import pytest

from kerascheck.data.arrays import Array
from kerascheck.frontend import build_graphs

PRELUDE = """
import numpy as np
import keras
unknown = np.sin(np.ones(3))  # an array of unknown shape: not followed
"""


def fed(code: str) -> object:
    """The value ``fed`` has after ``code``'s last line, as the x of a predict call there sees it."""
    code = textwrap.dedent(code)
    last = code.splitlines()[-1]
    indent = last[:len(last) - len(last.lstrip())]
    program = PRELUDE + code + f"\n{indent}keras.Sequential([keras.layers.Dense(1)]).predict(fed)\n"
    (model,) = build_graphs(program).models
    x = model.data_calls[0].args["x"]
    return x.shape if isinstance(x, Array) else x


CASES = {
    # an unknown number of appends: unknown samples, each one's shape kept
    "append_in_unknown_loop": ("xs = []\nfor v in unknown:\n    xs.append(np.zeros((5, 2)))\nfed = np.array(xs)",
                               (None, 5, 2)),
    "append_in_while": ("xs = []\ni = 0\nwhile i < len(unknown):\n    xs.append([1.0, 2.0])\n    i += 1\n"
                        "fed = np.array(xs)", (None, 2)),
    "items_differ": ("xs = []\nfor v in unknown:\n    xs.append(np.zeros(3))\n    xs.append(np.zeros(4))\n"
                     "fed = np.array(xs)", "UNKNOWN"),
    "known_items_then_unknown_appends": ("xs = [np.zeros(3)]\nfor v in unknown:\n    xs.append(np.ones(3))\n"
                                         "xs.append(np.ones(3))\nfed = np.array(xs)", (None, 3)),
    "unrolled_loop_is_exact": ("xs = []\nfor i in range(7):\n    xs.append(np.zeros(3))\nfed = np.array(xs)",
                               (7, 3)),
    # mutations kerascheck does not follow: the list is no longer empty, nor counted
    "passed_to_unknown_function": ("xs = []\nload_rows(xs)\nfed = np.array(xs)", "UNKNOWN"),
    "passed_to_library_function": ("import pickle\nxs = []\npickle.load_into(xs)\nfed = np.array(xs)", "UNKNOWN"),
    "append_in_comprehension": ("xs = []\n[xs.append(v) for v in unknown]\nfed = np.array(xs)", "UNKNOWN"),
    "append_as_value": ("xs = []\nlist(map(xs.append, unknown))\nfed = np.array(xs)", "UNKNOWN"),
    "extend_by_array": ("xs = []\nxs.extend(np.zeros((4, 3)))\nfed = np.array(xs)", "UNKNOWN"),
    "print_keeps_it": ("xs = [[1.0, 2.0]]\nprint(xs)\nfed = np.array(xs)", (1, 2)),
    "len_of_uncounted": ("xs = []\nfor v in unknown:\n    xs.append(1.0)\nfed = np.zeros((len(xs), 2))",
                         (None, 2)),
    # rows of an array
    "row_of_2d": ("X = np.zeros((10, 4))\nfor row in X:\n    fed = row", (4,)),
    "row_of_uncounted_list": ("xs = []\nfor v in unknown:\n    xs.append(np.zeros(3))\nfor item in xs:\n"
                              "    fed = item", (3,)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_list_values(name: str) -> None:
    code, expected = CASES[name]
    got = fed(code)
    assert (repr(got) if expected == "UNKNOWN" else got) == expected

