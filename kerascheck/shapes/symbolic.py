"""Symbolic dimensions: ``n_steps``, ``n_steps - 7``, ``(n_steps - 7) // 4``.

A function that builds a model from parameters nobody passes known values for
(``def build(n_steps, n_features)``) is checked with those parameters as named dims, and so is
a declared size the frontend cannot resolve (``Input(shape=(X.shape[1],))``). A ``Sym`` stands
for an integer the program will have when it runs (never Keras's ``None``): arithmetic on it
stays symbolic, and a question is answered only when the answer holds whatever the names'
values (``n - 7 < n``); otherwise it raises ``Undecided``, and the rule that asked is re-run
with the names unknown (``None``) and its errors ignored, so nothing that depends on the values
is ever reported.

An expression is kept in a canonical form: a sum of terms ``coefficient * atom`` plus a
constant, where an atom is a name, a product of atoms, or a floor division or remainder of an
expression by a positive int. Equal forms mean equal values; different forms decide nothing
(``Undecided``), which is what keeps the scheme safe.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

from kerascheck.graph import UNKNOWN, LayerNode

MAX_SIZE = 24  # atoms in one expression: past this, an expression is as good as unknown
ANONYMOUS = "?"  # how a dim without a name shows, and any expression holding one


class Undecided(Exception):
    """A question about a symbolic dim whose answer depends on the names' values."""


def _key_text(atom: tuple) -> str:
    return repr(atom)


class Sym:
    """An integer expression over named unknown dims (immutable; unhashable: see ``__hash__``)."""

    __slots__ = ("terms", "const", "size")

    def __init__(self, terms: tuple, const: int) -> None:
        self.terms = terms  # ((atom, coefficient), ...) sorted, coefficients non-zero
        self.const = const
        self.size = sum(_atom_size(atom) for atom, _ in terms)
        if self.size > MAX_SIZE:
            raise Undecided("expression too large")

    # -- construction ---------------------------------------------------------------------------

    @staticmethod
    def named(name: str, uid: int = 0) -> Sym:
        """A dim shown as ``name``. Each binding gets its own ``uid``: two parameters called
        ``n`` of two calls are different unknowns, equal only to themselves."""
        return Sym(((("name", name, uid), 1),), 0)

    @property
    def key(self) -> tuple:
        return (self.terms, self.const)

    @staticmethod
    def _make(terms: dict, const: int) -> Any:
        """A Sym, or a plain int when no term is left (``n - n`` is 0)."""
        kept = tuple(sorted(((a, c) for a, c in terms.items() if c), key=lambda item: _key_text(item[0])))
        return Sym(kept, const) if kept else const

    # -- arithmetic -----------------------------------------------------------------------------

    def __add__(self, other: Any) -> Any:
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        terms = dict(self.terms)
        const = self.const
        if isinstance(other, Sym):
            for atom, coefficient in other.terms:
                terms[atom] = terms.get(atom, 0) + coefficient
            const += other.const
        else:
            const += other
        return Sym._make(terms, const)

    __radd__ = __add__

    def __neg__(self) -> Any:
        return self * -1

    def __pos__(self) -> Sym:
        return self

    def __sub__(self, other: Any) -> Any:
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other: Any) -> Any:
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return (-self) + other

    def __mul__(self, other: Any) -> Any:
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        if not isinstance(other, Sym):
            return Sym._make({atom: c * other for atom, c in self.terms}, self.const * other)
        # Distributed term by term: a polynomial whose monomials are atoms of kind "mul".
        terms: dict = {}
        for atom, c in self.terms:
            terms[atom] = terms.get(atom, 0) + c * other.const
        for atom, c in other.terms:
            terms[atom] = terms.get(atom, 0) + c * self.const
        for a, c in self.terms:
            for b, d in other.terms:
                product = _product(a, b)
                terms[product] = terms.get(product, 0) + c * d
        return Sym._make(terms, self.const * other.const)

    __rmul__ = __mul__

    def __floordiv__(self, other: Any) -> Any:
        other = _divisor(other)
        if other is NotImplemented:
            return NotImplemented
        if other == 1:
            return self
        if all(c % other == 0 for _, c in self.terms):
            return Sym._make({atom: c // other for atom, c in self.terms}, self.const // other)
        # Whole multiples of the divisor come out: (h - 2) // 2 + 1 is h // 2.
        whole, rest = divmod(self.const, other)
        inner = Sym(self.terms, rest)
        if rest == 0 and len(self.terms) == 1 and self.terms[0][1] == 1 and self.terms[0][0][0] == "floordiv":
            _, numerator, divisor = self.terms[0][0]  # (x // a) // b is x // (a * b)
            return Sym(((("floordiv", numerator, divisor * other), 1),), 0) + whole
        return Sym(((("floordiv", inner.key, other), 1),), 0) + whole

    def __rfloordiv__(self, other: Any) -> Any:
        raise Undecided("division by a symbolic value")

    def __mod__(self, other: Any) -> Any:
        other = _divisor(other)
        if other is NotImplemented:
            return NotImplemented
        if all(c % other == 0 for _, c in self.terms):
            return self.const % other
        return Sym(((("mod", self.key, other), 1),), 0)

    def __rmod__(self, other: Any) -> Any:
        raise Undecided("remainder by a symbolic value")

    def __truediv__(self, other: Any) -> Any:
        raise Undecided("true division of a symbolic dim")

    __rtruediv__ = __truediv__

    # -- questions ------------------------------------------------------------------------------

    def _difference(self, other: Any) -> int:
        """``self - other`` when it is a constant; else the answer depends on the values."""
        operand = _operand(other)
        if operand is NotImplemented:
            raise Undecided("not a dim")
        difference = self - operand
        if isinstance(difference, Sym):
            raise Undecided(f"{self} vs {other}")
        return difference

    def __eq__(self, other: object) -> bool:
        if other is None or _operand(other) is NotImplemented:
            return False  # a symbolic dim has a value once the function is called: never None
        return self._difference(other) == 0

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: Any) -> bool:
        return self._difference(other) < 0

    def __le__(self, other: Any) -> bool:
        return self._difference(other) <= 0

    def __gt__(self, other: Any) -> bool:
        return self._difference(other) > 0

    def __ge__(self, other: Any) -> bool:
        return self._difference(other) >= 0

    def __hash__(self) -> int:
        # A set or dict would tell two names apart by their hashes without asking __eq__, and
        # "different names" does not mean "different values".
        raise Undecided(f"hash of {self}")

    def __bool__(self) -> bool:
        raise Undecided(f"truth of {self}")

    def __index__(self) -> int:
        raise Undecided(f"value of {self}")

    __int__ = __index__

    def __float__(self) -> float:
        raise Undecided(f"value of {self}")

    # -- text -----------------------------------------------------------------------------------

    def __str__(self) -> str:
        if any(atom[1] == ANONYMOUS for atom in _names(self.key)):
            return ANONYMOUS  # "2*? + 3" says no more than "?"
        return _text(self.key)

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return str(self)


def _operand(value: Any) -> Any:
    if isinstance(value, Sym):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return NotImplemented


def _product(a: tuple, b: tuple) -> tuple:
    """The monomial ``a*b`` with its factors (atoms other than products) in canonical order."""
    factors = (a[1] if a[0] == "mul" else (a,)) + (b[1] if b[0] == "mul" else (b,))
    return ("mul", tuple(sorted(factors, key=_key_text)))


def _divisor(value: Any) -> Any:
    """A positive int to divide by; Undecided for a symbolic or non-positive one."""
    operand = _operand(value)
    if operand is not NotImplemented and (isinstance(operand, Sym) or operand <= 0):
        raise Undecided("division by a symbolic or non-positive value")
    return operand


def _atom_size(atom: tuple) -> int:
    kind = atom[0]
    if kind == "name":
        return 1
    if kind == "mul":
        return sum(_atom_size(factor) for factor in atom[1])
    return 1 + _key_size(atom[1])


def _key_size(key: tuple) -> int:
    return sum(_atom_size(atom) for atom, _ in key[0])


# ---- text ------------------------------------------------------------------------------------


def _text(key: tuple) -> str:
    terms, const = key
    pieces: list[str] = []
    for atom, coefficient in terms:
        body = _atom_text(atom)
        compound = atom[0] in ("floordiv", "mod")
        magnitude = abs(coefficient)
        if magnitude == 1:
            term = body
        else:
            term = f"{magnitude}*({body})" if compound else f"{magnitude}*{body}"
        if not pieces:
            if coefficient < 0:
                term = f"-({body})" if compound and magnitude == 1 else f"-{term}"
            pieces.append(term)
        else:
            pieces.append(f"- {term}" if coefficient < 0 else f"+ {term}")
    if const and pieces:
        pieces.append(f"- {-const}" if const < 0 else f"+ {const}")
    elif not pieces:
        pieces.append(str(const))
    return " ".join(pieces)


def _is_name(key: tuple) -> bool:
    terms, const = key
    return const == 0 and len(terms) == 1 and terms[0][1] == 1 and terms[0][0][0] == "name" \
        and _plain_name(terms[0][0][1])


def _plain_name(text: str) -> bool:
    """A name, attribute or subscript (``X.shape[1]``): binds tighter than any operator."""
    return _PLAIN_NAME.fullmatch(text) is not None


_PLAIN_NAME = re.compile(r"[A-Za-z_][\w.]*(\[[^\[\]]*\])*")


def _atom_text(atom: tuple) -> str:
    kind = atom[0]
    if kind == "name":
        return atom[1] if _plain_name(atom[1]) or atom[1] == "?" else f"({atom[1]})"
    if kind == "mul":
        return "*".join(_atom_text(f) if f[0] == "name" else f"({_atom_text(f)})" for f in atom[1])
    operator = "//" if kind == "floordiv" else "%"
    inner = _text(atom[1])
    if not _is_name(atom[1]):
        inner = f"({inner})"
    return f"{inner} {operator} {atom[2]}"


# ---- crossing the boundary ------------------------------------------------------------------


def is_sym(value: Any) -> bool:
    return isinstance(value, Sym)


def has_symbols(value: Any) -> bool:
    """Whether a shape, output list or argument value holds a symbolic dim anywhere."""
    kind = type(value)
    if kind in _PLAIN:
        return False
    if kind is Sym:
        return True
    if kind is tuple or kind is list:
        for v in value:
            if type(v) not in _PLAIN and has_symbols(v):
                return True
        return False
    if kind is dict:
        for v in value.values():
            if type(v) not in _PLAIN and has_symbols(v):
                return True
        return False
    if kind is LayerNode:
        return has_symbols(value.args) or has_symbols(value.kwargs)
    return False


_PLAIN = frozenset({int, str, float, bool, type(None)})  # the values most arguments and dims are


def named_dims(model: Any) -> str:
    """The symbolic dims a ModelGraph's inputs and layer arguments hold, as text ('' if none)."""
    found: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, Sym):
            found.extend(_atom_text(atom) for atom in _names(value.key) if _atom_text(atom) not in found)
        elif isinstance(value, (tuple, list)):
            for v in value:
                collect(v)
        elif isinstance(value, dict):
            collect(list(value.values()))
        elif isinstance(value, LayerNode):
            collect([value.args, value.kwargs])

    collect([spec.shape for spec in model.inputs])
    collect([call.layer for call in model.calls])
    return ", ".join(found)


def _names(key: tuple) -> list[tuple]:
    atoms = []
    for atom, _ in key[0]:
        if atom[0] == "name":
            atoms.append(atom)
        elif atom[0] == "mul":
            for factor in atom[1]:
                atoms.extend(_names((((factor, 1),), 0)))
        else:
            atoms.extend(_names(atom[1]))
    return atoms


def has_anonymous(value: Any) -> bool:
    """Whether a shape, output list or count holds a dim kerascheck could not name (``?``)."""
    if isinstance(value, Sym):
        return any(atom[1] == ANONYMOUS for atom in _names(value.key))
    if isinstance(value, (tuple, list)):
        return any(has_anonymous(v) for v in value)
    return False


def has_unknown_arguments(node: LayerNode) -> bool:
    """Whether a layer's arguments hold an unresolved value (its own, or its wrapped layer's)."""
    return _holds_unknown(node.args) or _holds_unknown(node.kwargs)


def _holds_unknown(value: Any) -> bool:
    if type(value) in _PLAIN:
        return False
    if value is UNKNOWN:
        return True
    if isinstance(value, (tuple, list)):
        items: Any = value
    elif isinstance(value, dict):
        items = value.values()
    elif isinstance(value, LayerNode):
        return has_unknown_arguments(value)
    else:
        return False
    for item in items:  # a loop, not any(): most items are plain values, tested inline
        if type(item) not in _PLAIN and _holds_unknown(item):
            return True
    return False


def shape_identity(value: Any) -> int:
    """A number standing for a shape (symbolic dims by their form), for building identities:
    equal shapes give equal numbers."""
    # A hash, not the nested form itself: an anonymous dim's identity holds its input's, so the
    # forms would nest every dim upstream and grow exponentially with depth (tf_keras's RegNet
    # took minutes and 22 GB); a hash keeps each identity the same small size.
    return hash(_shape_form(value))


def _shape_form(value: Any) -> Any:
    if isinstance(value, Sym):
        return ("sym", value.key)
    if isinstance(value, (tuple, list)):
        return tuple(_shape_form(v) for v in value)
    return value


def anonymous_dims(output: Any, origin: Any, path: tuple = ()) -> Any:
    """``output`` with each None past the batch axis an anonymous dim, ``?``. The same origin
    (layer and input) and position give the same dim: a layer's output is a function of them."""
    if isinstance(output, list):
        return [anonymous_dims(o, origin, path + (i,)) for i, o in enumerate(output)]
    if not isinstance(output, tuple):
        return output
    return tuple(Sym.named(ANONYMOUS, (origin, path, i)) if d is None and i > 0 else d
                 for i, d in enumerate(output))


def erase(value: Any, unknown: Any = None) -> Any:
    """The same shape (or argument value) with each symbolic dim made ``unknown``."""
    if isinstance(value, Sym):
        return unknown
    if isinstance(value, tuple):
        return tuple(erase(v, unknown) for v in value)
    if isinstance(value, list):
        return [erase(v, unknown) for v in value]
    if isinstance(value, dict):
        return {k: erase(v, unknown) for k, v in value.items()}
    if isinstance(value, LayerNode) and has_symbols(value):
        return erase_arguments(value)
    return value


def erase_arguments(node: Any) -> Any:
    """A copy of a LayerNode whose symbolic argument values are ``UNKNOWN``."""
    return replace(node, args=erase(node.args, UNKNOWN), kwargs=erase(node.kwargs, UNKNOWN))


def certainly(question: Any) -> bool | None:
    """``question()``'s answer, or None when it depends on symbolic dims' values."""
    try:
        return bool(question())
    except Undecided:
        return None


def substitute(value: Any, values: dict[str, int]) -> Any:
    """A symbolic dim (or a shape or list of shapes holding some) with the names given values;
    None for a dim holding a name without one (an anonymous dim)."""
    if isinstance(value, Sym):
        if any(atom[1] not in values for atom in _names(value.key)):
            return None
        return _evaluate(value.key, lambda atom: values[atom[1]])
    if isinstance(value, tuple):
        return tuple(substitute(v, values) for v in value)
    if isinstance(value, list):
        return [substitute(v, values) for v in value]
    return value


def evaluate_names(value: Sym, lookup: Callable[[str, Any], Any]) -> Any:
    """The dim with each name replaced by ``lookup(name, uid)`` (an int or a Sym), computed."""
    return _evaluate(value.key, lambda atom: lookup(atom[1], atom[2]))


def _evaluate(key: tuple, lookup: Callable[[tuple], Any]) -> Any:
    terms, const = key
    total = const
    for atom, coefficient in terms:
        kind = atom[0]
        if kind == "name":
            result = lookup(atom)
        elif kind == "mul":
            result = 1
            for factor in atom[1]:
                result *= _evaluate((((factor, 1),), 0), lookup)
        elif kind == "floordiv":
            result = _evaluate(atom[1], lookup) // atom[2]
        else:
            result = _evaluate(atom[1], lookup) % atom[2]
        total += coefficient * result
    return total
