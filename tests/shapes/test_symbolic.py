"""Symbolic dims: the arithmetic and its text, and rules run on named dims.

The property test is the safety argument: whatever a rule infers with named dims must, once the
names get values, be what it infers with those values (which the differential suite checks
against Keras), and an error it reports with named dims must be an error for those values too.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerascheck.graph import LayerNode
from kerascheck.shapes.base import Inference, format_shape
from kerascheck.shapes.symbolic import Sym, Undecided, certainly, erase, has_symbols, substitute
from tests.differential.harness import load_strategies
from tests.shapes.helpers import layer, static

n, f = Sym.named("n_steps"), Sym.named("n_features")


@pytest.mark.parametrize("expression, text", [
    (lambda: n - 7, "n_steps - 7"),
    (lambda: (n - 7) // 4, "(n_steps + 1) // 4 - 2"),  # whole multiples of 4 come out
    (lambda: (n - 2) // 2 + 1, "n_steps // 2"),  # MaxPooling1D(2)
    (lambda: ((n - 2) // 2 + 1 - 2) // 2 + 1, "n_steps // 4"),  # twice
    (lambda: (n - 3) // 2 + 1, "(n_steps + 1) // 2 - 1"),
    (lambda: (n + 3) // 2, "(n_steps + 1) // 2 + 1"),
    (lambda: 2 * n, "2*n_steps"),
    (lambda: -n + 1, "-n_steps + 1"),
    (lambda: n * f, "n_features*n_steps"),
    (lambda: 4 * (16 * (f + 16) + 16), "64*n_features + 1088"),
    (lambda: 3 * (n // 2), "3*(n_steps // 2)"),
    (lambda: -(n // 2) + 3, "-(n_steps // 2) + 3"),
    (lambda: (2 * n + 4) // 2, "n_steps + 2"),
    (lambda: n // 2 % 3, "(n_steps // 2) % 3"),
])
def test_text(expression, text):
    assert str(expression()) == text


@pytest.mark.parametrize("expression, value", [
    (lambda: n - n, 0),
    (lambda: (n - 1) // 1 + 1, Sym.named("n_steps")),
    (lambda: (2 * n) % 2, 0),
    (lambda: n * 0 + 5, 5),
])
def test_canonical_forms(expression, value):
    result = expression()
    assert type(result) is type(value) and result == value


def test_comparisons_are_answered_only_when_the_values_do_not_matter():
    assert n - 7 < n and n + 1 > n and n == Sym.named("n_steps") and n != n - 2
    assert n != None and n != "n_steps"  # noqa: E711 - a symbolic dim is never None
    assert (None, n, 2) == (None, n, 2)
    for question in (lambda: n == 4, lambda: n < f, lambda: n <= 0, lambda: bool(n), lambda: range(n),
                     lambda: n // f, lambda: n / 2, lambda: 1 in (n, 3), lambda: {n, f}):
        with pytest.raises(Undecided):
            question()
    assert certainly(lambda: n - 7 <= 0) is None and certainly(lambda: n - 7 < n) is True


def test_expressions_past_the_size_limit_are_undecided():
    value = n
    with pytest.raises(Undecided):
        for _ in range(8):
            value = value * f + 1


def test_substitution_and_erasure():
    shape = (None, (n - 7) // 4 + 1, n * f)
    assert substitute(shape, {"n_steps": 50, "n_features": 3}) == (None, 11, 150)
    for value in range(-9, 30):
        assert substitute((n - 7) // 4 + 1, {"n_steps": value}) == (value - 7) // 4 + 1
    assert erase([shape, (None, 2)]) == [(None, None, None), (None, 2)]
    assert has_symbols([(None, 2), shape]) and not has_symbols([(None, 2)])
    assert format_shape(shape) == "(None, (n_steps + 1) // 4 - 1, n_features*n_steps)"
    assert f"{n * 64 + 64:,}" == "64*n_steps + 64"


_OPERATIONS = st.sampled_from(["+", "-", "*", "//", "%", "+name", "-name", "*name"])


@settings(max_examples=150, deadline=None)
@given(steps=st.lists(st.tuples(_OPERATIONS, st.integers(-9, 9), st.sampled_from("xy")), max_size=8),
       x=st.integers(-20, 40), y=st.integers(-20, 40))
def test_arithmetic_and_decided_comparisons_hold_for_every_value(steps, x, y):
    values = {"x": x, "y": y}
    symbolic, concrete = Sym.named("x"), x
    for operation, k, name in steps:
        other, other_value = (Sym.named(name), values[name]) if operation.endswith("name") else (k, k)
        if operation[0] in "/%" and k <= 0:
            continue
        try:
            symbolic = {"+": lambda: symbolic + other, "-": lambda: symbolic - other, "*": lambda: symbolic * other,
                        "/": lambda: symbolic // other, "%": lambda: symbolic % other}[operation[0]]()
        except Undecided:
            return  # too large: the caller treats it as unknown
        concrete = {"+": concrete + other_value, "-": concrete - other_value, "*": concrete * other_value,
                    "/": concrete // other_value if other_value else 0,
                    "%": concrete % other_value if other_value else 0}[operation[0]]
        assert substitute(symbolic, values) == concrete, (str(symbolic), values)
    for other, other_value in ((Sym.named("y"), y), (3, 3), (Sym.named("x") + 1, x + 1)):
        answer = certainly(lambda: symbolic < other)
        assert answer is None or answer == (concrete < other_value)
        answer = certainly(lambda: symbolic == other)
        assert answer is None or answer == (concrete == other_value)


# ---- rules on named dims ---------------------------------------------------------------------

STRATEGIES = load_strategies().pairs
NAMES = ("a", "b", "c", "d", "e", "g")


def _name_dims(shape, start=0):
    """Every known non-batch dim of ``shape`` replaced by a fresh name; the names' values."""
    values: dict[str, int] = {}
    if isinstance(shape, list):
        named = []
        for item in shape:
            renamed, more = _name_dims(item, start + len(values))
            named.append(renamed)
            values.update(more)
        return named, values
    dims = [shape[0]]
    for d in shape[1:]:
        if isinstance(d, int) and d > 0 and start + len(values) < len(NAMES):
            name = NAMES[start + len(values)]
            values[name] = d
            dims.append(Sym.named(name))
        else:
            dims.append(d)
    return tuple(dims), values


def _name_size_argument(node: LayerNode, values: dict[str, int]) -> LayerNode:
    """``Dense(8)`` as ``Dense(units)`` with ``units`` = 8: the first positional int argument."""
    if node.args and isinstance(node.args[0], int) and not isinstance(node.args[0], bool) and node.args[0] > 0:
        values["units"] = node.args[0]
        return LayerNode(node.type, (Sym.named("units"),) + node.args[1:], dict(node.kwargs), node.position)
    return node


def _consistent(symbolic, concrete, values) -> bool:
    """A symbolic output is the concrete one once named, or unknown (None, or an anonymous
    dim) where it fell back."""
    if symbolic is None:
        return True
    if isinstance(symbolic, list):
        return isinstance(concrete, list) and len(symbolic) == len(concrete) and all(
            _consistent(s, c, values) for s, c in zip(symbolic, concrete))
    if concrete is None or len(symbolic) != len(concrete):
        return False
    return all(substitute(s, values) in (None, c) for s, c in zip(symbolic, concrete))


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_rule_on_named_dims_agrees_with_the_rule_on_their_values(name):
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(pair=STRATEGIES[name], name_argument=st.booleans())
    def check(pair, name_argument):
        node, shape = pair
        named_shape, values = _name_dims(shape)
        named_node = _name_size_argument(node, values) if name_argument else node
        concrete = static(node, shape)
        symbolic = static(named_node, named_shape)
        if isinstance(symbolic, str):
            assert isinstance(concrete, str), f"{symbolic} on named dims, none for {values}: {node} {shape}"
            return
        if isinstance(concrete, str):
            return  # an error that depends on the values: silent with names, as it must be
        assert isinstance(symbolic, Inference) and isinstance(concrete, Inference)
        assert _consistent(symbolic.output, concrete.output, values), (symbolic.output, concrete.output, values)
        assert substitute(symbolic.params, values) in (None, concrete.params), (symbolic.params, concrete.params)

    check()


def test_an_unknown_size_keeps_a_small_identity_through_any_depth():
    """A layer with an unknown argument gives anonymous dims named by its input; that name must
    not hold the input's own names, which hold theirs: the identities would double at each layer
    (tf_keras's RegNet took minutes and 22 GB)."""
    from kerascheck.graph import UNKNOWN
    from kerascheck.shapes.base import infer
    from kerascheck.shapes.symbolic import anonymous_dims

    shape = anonymous_dims((None, None, None, None), "unknown input")
    sizes = []
    for _ in range(8):
        conv = layer("Conv2D", UNKNOWN, 3, strides=UNKNOWN)
        shape = infer(conv, shape).output
        assert shape[0] is None and all(isinstance(d, Sym) for d in shape[1:])
        sizes.append(len(repr(shape[1].key)))
    assert max(sizes) < 2 * min(sizes)  # digits of ids and hashes vary a little
