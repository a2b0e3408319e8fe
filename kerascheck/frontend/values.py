"""Static values of expressions: literals, names bound earlier, arithmetic, tuples, ``X.shape[1]``.

``Evaluator.evaluate(node)`` gives a Python value, an ``Array`` (via ``kerascheck.data.arrays``),
a ``Symbol`` (an imported name), an object the model interpreter made (layers, tensors, models),
``Opaque`` or ``UNKNOWN``. It never raises for what it cannot evaluate. Calls of things that are
not plain values (layers, models, user functions) go to ``call_object``, which the model
interpreter overrides.
"""

from __future__ import annotations

import ast
import builtins
import functools
import operator
from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from kerascheck.data import arrays, ops
from kerascheck.data.arrays import Array, UnknownItems, counted, uncounted
from kerascheck.data.pipelines import TENSOR_ATTRIBUTES, Dataset, ImageGenerator, traced_call_fails, traced_index_fails
from kerascheck.data.sklearn_api import Estimator
from kerascheck.data.text import Tokenizer
from kerascheck.frontend.imports import Symbol
from kerascheck.frontend.lists import LIST_MUTATORS, ListMethod, forget_mutations, given_to_call
from kerascheck.frontend.state import MISSING, Depth, Scope
from kerascheck.graph import UNKNOWN, NumpyInt, Opaque
from kerascheck.shapes.symbolic import Sym, Undecided

BUILTIN_NAMES = frozenset(dir(builtins))
MAX_SEQUENCE = 10_000  # longest tuple/list/str built by arithmetic; beyond it the value is unknown


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and value is not UNKNOWN


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "Add": operator.add, "Subtract": operator.sub, "Multiply": operator.mul,
    "Divide": operator.truediv, "FloorDivide": operator.floordiv, "Modulo": operator.mod,
    "Power": operator.pow, "MatrixMultiply": operator.matmul, "LeftShift": operator.lshift,
    "RightShift": operator.rshift, "BitOr": operator.or_, "BitAnd": operator.and_,
    "BitXor": operator.xor,
}
BINARY_SYMBOLS = {
    "Add": "+", "Subtract": "-", "Multiply": "*", "Divide": "/", "FloorDivide": "//",
    "Modulo": "%", "Power": "**", "MatrixMultiply": "@", "LeftShift": "<<", "RightShift": ">>",
    "BitOr": "|", "BitAnd": "&", "BitXor": "^",
}
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "Equal": operator.eq, "NotEqual": operator.ne, "LessThan": operator.lt,
    "GreaterThan": operator.gt, "LessThanEqual": operator.le, "GreaterThanEqual": operator.ge,
    "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b,
    "Is": operator.is_, "IsNot": operator.is_not,
}
COMPARE_SYMBOLS = {"Equal": "==", "NotEqual": "!=", "LessThan": "<", "GreaterThan": ">",
                   "LessThanEqual": "<=", "GreaterThanEqual": ">="}
_RECEIVERS = (Array, Estimator, ImageGenerator, Dataset, Tokenizer, NumpyInt)  # data values whose methods kerascheck follows
_ARRAY_ATTRIBUTES = frozenset({"shape", "ndim", "T", "size", "dtype", "values"})
_PLAIN = (int, float, str, bool, type(None), tuple, list, dict, bytes, range, type(Ellipsis), slice)


def is_plain(value: Any) -> bool:
    """A fully known Python value (containers: every element known)."""
    if isinstance(value, (tuple, list)):
        return all(is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(is_plain(k) and is_plain(v) for k, v in value.items())
    return isinstance(value, _PLAIN)


def plain_binary(op: str, left: Any, right: Any) -> Any:
    """Python arithmetic on known values, bounded so no expression can cost much; else UNKNOWN."""
    if op == "Add" and type(left) is type(right) and isinstance(left, (list, tuple)):
        # Concatenation keeps elements of any kind: [Dense(n) for n in sizes] + [Dense(1)]
        return left + right if len(left) + len(right) <= MAX_SEQUENCE else UNKNOWN
    if not (is_plain(left) and is_plain(right)) or isinstance(left, range) or isinstance(right, range):
        return UNKNOWN
    if op == "Power" and is_number(right) and (abs(right) > 256 or (is_number(left) and abs(left) > 2**64)):
        return UNKNOWN
    if op == "LeftShift" and isinstance(right, int) and right > 256:
        return UNKNOWN
    if op == "Multiply":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (tuple, list, str, bytes)) and isinstance(count, int):
                if len(seq) * max(count, 0) > MAX_SEQUENCE:
                    return UNKNOWN
    if op == "Modulo" and isinstance(left, (str, bytes)):
        return UNKNOWN  # %-formatting: the result is only a label
    try:
        return _BINARY[op](left, right)
    except Exception:  # the operation fails at runtime (TypeError, ZeroDivisionError...)
        return UNKNOWN


_SYMBOLIC = {"Add": operator.add, "Subtract": operator.sub, "Multiply": operator.mul,
             "FloorDivide": operator.floordiv}


def symbolic_binary(op: str, left: Any, right: Any) -> Any:
    """Integer arithmetic on named dims (``n_steps - 7``, ``n // 2``); anything else is UNKNOWN."""
    ints = all(isinstance(v, Sym) or (isinstance(v, int) and not isinstance(v, bool)) for v in (left, right))
    if not ints or op not in _SYMBOLIC:
        return UNKNOWN
    try:
        return _SYMBOLIC[op](left, right)
    except Undecided:  # division by a named dim, or an expression too large to be worth naming
        return UNKNOWN


def plain_subscript(value: Any, index: Any) -> Any:
    if not is_plain(index) and not isinstance(index, slice):
        return UNKNOWN
    if isinstance(value, (list, tuple)) and not counted(value):
        return UNKNOWN
    try:
        return value[index]
    except Exception:  # wrong index: Python would raise; nothing to tell about shapes
        return UNKNOWN


def literal(node: cst.BaseExpression) -> Any:
    """A number or string literal's value."""
    # Types, not isinstance: a failed isinstance check on a libcst (ABC) class is slow.
    if type(node) in _LITERAL_KINDS:
        return _literal_text(node.value)
    if type(node) is cst.ConcatenatedString:
        left, right = literal(node.left), literal(node.right)
        if type(left) is type(right) and isinstance(left, (str, bytes)):
            return left + right
    return UNKNOWN


_LITERAL_KINDS = frozenset({cst.Integer, cst.Float, cst.SimpleString})
_QUOTES = ("'", '"')


@functools.lru_cache(maxsize=4096)
def _literal_text(text: str) -> Any:
    # ast.literal_eval compiles its input, ~100x slower than these two common forms.
    digits = text.replace("_", "")
    if digits.isdigit() and (digits == "0" or digits[0] != "0"):
        return int(digits)
    if (len(text) >= 2 and text[0] in _QUOTES and text[-1] == text[0] and "\\" not in text
            and text[:3] != text[0] * 3):
        return text[1:-1]
    import warnings  # local: only this rare path needs it

    try:
        with warnings.catch_warnings():
            # The user's "\d" (invalid escape) is theirs: not ours to print, nor an error under -W error.
            warnings.simplefilter("ignore")
            return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError):
        return UNKNOWN


def _range(*args: Any) -> Any:
    if not all(isinstance(a, int) for a in args) or not 1 <= len(args) <= 3:
        return UNKNOWN
    try:
        return range(*args)
    except ValueError:
        return UNKNOWN


def _len(value: Any) -> Any:
    if isinstance(value, (tuple, list)) and not counted(value):
        return UNKNOWN
    if isinstance(value, (tuple, list, str, dict, range, bytes)):
        return len(value)
    if isinstance(value, Array) and value.shape and isinstance(value.shape[0], int):
        return value.shape[0]
    return UNKNOWN


def _sequence(kind: type) -> Callable[..., Any]:
    def make(*args: Any) -> Any:
        if not args:
            return kind()
        value = args[0]
        if isinstance(value, range) and len(value) <= MAX_SEQUENCE:
            return kind(value)
        if isinstance(value, (tuple, list, str)):
            return kind(value)
        return UNKNOWN
    return make


def _numeric(function: Callable[..., Any]) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        if not args or not all(is_plain(a) for a in args):
            return UNKNOWN
        try:
            return function(*args)
        except Exception:  # the call would fail at runtime
            return UNKNOWN
    return apply


def _int(*args: Any) -> Any:
    """``int(x.shape[-1])``: a named dim is an int already."""
    return args[0] if len(args) == 1 and isinstance(args[0], Sym) else _numeric(int)(*args)


def _enumerate(value: Any, start: Any = 0) -> Any:
    items = _sequence(list)(value)
    if items is UNKNOWN or not counted(items) or not isinstance(start, int):
        return UNKNOWN
    return list(enumerate(items, start))


def _zip(*values: Any) -> Any:
    lists = [_sequence(list)(v) for v in values]
    return UNKNOWN if any(v is UNKNOWN or not counted(v) for v in lists) else list(zip(*lists))


def _reversed(value: Any) -> Any:
    """``reversed(skips)``: a list, which every use of the iterator (a loop, ``zip``, ``list``) reads alike."""
    items = _sequence(list)(value)
    return UNKNOWN if items is UNKNOWN or not counted(items) else items[::-1]


def _instance(*args: Any) -> Any:
    """``object()``: nothing to follow (the name itself is a dtype: ``np.array(x, dtype=object)``)."""
    return UNKNOWN


_BUILTINS: dict[str, Callable[..., Any]] = {
    "enumerate": _enumerate, "zip": _zip, "reversed": _reversed, "object": _instance,
    "len": _len, "range": _range, "tuple": _sequence(tuple), "list": _sequence(list),
    "int": _int, "float": _numeric(float), "abs": _numeric(abs), "round": _numeric(round),
    "min": _numeric(min), "max": _numeric(max), "sum": _numeric(sum), "bool": _numeric(bool),
}


class Evaluator:
    """Evaluates expressions in a scope. Subclasses give meaning to calls of non-plain objects."""

    scope: Scope
    # A function tf.data traces (``Dataset.map``) runs: any array may be a symbolic tensor there,
    # so what fails on one is unknown (``pipelines.TENSOR_ATTRIBUTES``).
    traced: Depth
    sources: dict[int, tuple[cst.CSTNode, str]]  # the source text of lambdas, by node id
    top: Any  # the positions of the statement running

    # -- hooks for the model interpreter -------------------------------------------------------

    def call_object(self, func: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """A call of something that is not a plain value, builtin or NumPy function."""
        return UNKNOWN

    def attribute_of_object(self, value: Any, name: str, node: cst.Attribute) -> Any:
        return UNKNOWN

    def call_unspread(self, func: Any, node: cst.Call) -> Any:
        """A call whose ``*args``/``**kwargs`` cannot be spread: its result is unknown."""
        return UNKNOWN

    def symbolic_result(self, operands: list[Any]) -> Any:
        """The value of an operation on tensors (``x * 2``): by default unknown."""
        return UNKNOWN

    def is_symbolic(self, value: Any) -> bool:
        return False

    def operator_result(self, node: cst.CSTNode, kind: str, operands: list[Any]) -> Any:
        """The value of a Python operator (libcst's name for it: ``Add``) on tensors."""
        return self.symbolic_result(operands)

    def missing_name(self, name: str, node: cst.Name) -> Any:
        return UNKNOWN

    # -- expressions ---------------------------------------------------------------------------

    # libcst node type -> the class's ``_eval_<type name>`` function (``_eval_other`` if none)
    _evaluators: dict[type, Callable[[Any, Any], Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._evaluators = {}

    def evaluate(self, node: cst.BaseExpression) -> Any:
        kind = type(node)
        method = self._evaluators.get(kind)
        if method is None:
            method = self._evaluators[kind] = getattr(type(self), f"_eval_{kind.__name__}", Evaluator._eval_other)
        return method(self, node)

    def _eval_other(self, node: cst.BaseExpression) -> Any:
        return UNKNOWN

    def _eval_Integer(self, node: cst.Integer) -> Any:
        return literal(node)

    _eval_Float = _eval_Integer
    _eval_SimpleString = _eval_Integer
    _eval_ConcatenatedString = _eval_Integer

    def _eval_Ellipsis(self, node: cst.Ellipsis) -> Any:
        return Ellipsis

    def _eval_Name(self, node: cst.Name) -> Any:
        name = node.value
        if name in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name]
        value = self.scope.lookup(name)
        if value is MISSING:
            if name == "__name__":
                return "__main__"
            if name in _BUILTINS:
                return Builtin(name)
            return self.missing_name(name, node)
        return value

    def _elements(self, elements: Any) -> list[Any] | None:
        values: list[Any] = []
        for element in elements:
            if type(element) is cst.StarredElement:
                inner = self.evaluate(element.value)
                if isinstance(inner, (tuple, list)):
                    values.extend(inner)
                elif isinstance(inner, range) and len(inner) <= MAX_SEQUENCE:
                    values.extend(inner)
                else:
                    return None
            else:
                values.append(self.evaluate(element.value))
        return values

    def _eval_Tuple(self, node: cst.Tuple) -> Any:
        values = self._elements(node.elements)
        return UNKNOWN if values is None else tuple(values)

    def _eval_List(self, node: cst.List) -> Any:
        values = self._elements(node.elements)
        if values is None:
            return UNKNOWN
        self.made_list(values)
        return values

    def made_list(self, values: list[Any]) -> None:
        """A list literal was evaluated (the interpreter remembers where, for mutations)."""

    def certain_mutation(self, values: list[Any]) -> bool:
        """Whether mutating this list certainly happens (not under an undecided condition)."""
        return True

    def _eval_Dict(self, node: cst.Dict) -> Any:
        result = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return UNKNOWN
            key = self.evaluate(element.key)
            try:
                result[key] = self.evaluate(element.value)
            except (TypeError, Undecided):  # unhashable key, or a named dim (equal to which keys?)
                return UNKNOWN
        return result

    def _eval_UnaryOperation(self, node: cst.UnaryOperation) -> Any:
        value = self.evaluate(node.expression)
        kind = type(node.operator).__name__
        if kind == "Not":
            return (not value) if is_plain(value) else UNKNOWN
        if self.is_symbolic(value):
            return self.operator_result(node, kind, [value]) if kind == "Minus" else self.symbolic_result([value])
        if isinstance(value, Sym) and kind in ("Minus", "Plus"):
            return -value if kind == "Minus" else value
        if isinstance(value, (int, float)) and not isinstance(value, bool) or isinstance(value, bool):
            return {"Minus": operator.neg, "Plus": operator.pos, "BitInvert": operator.invert}[kind](value)
        if isinstance(value, Array) and kind in ("Minus", "Plus"):
            return self._array_call(lambda: arrays.evaluate_binary("*", value, -1 if kind == "Minus" else 1))
        return UNKNOWN

    def _eval_BinaryOperation(self, node: cst.BinaryOperation) -> Any:
        left, right = self.evaluate(node.left), self.evaluate(node.right)
        kind = type(node.operator).__name__
        if self.is_symbolic(left) or self.is_symbolic(right):
            return self.operator_result(node, kind, [left, right])
        if isinstance(left, Array) or isinstance(right, Array):
            return self._array_call(lambda: arrays.evaluate_binary(BINARY_SYMBOLS[kind], left, right))
        if isinstance(left, Sym) or isinstance(right, Sym):
            return symbolic_binary(kind, left, right)
        return plain_binary(kind, left, right)

    def _eval_BooleanOperation(self, node: cst.BooleanOperation) -> Any:
        left = self.evaluate(node.left)
        if not is_plain(left):
            return UNKNOWN
        is_and = isinstance(node.operator, cst.And)
        if bool(left) != is_and:
            return left
        return self.evaluate(node.right)

    def _eval_Comparison(self, node: cst.Comparison) -> Any:
        left = self.evaluate(node.left)
        result: Any = True
        for target in node.comparisons:
            right = self.evaluate(target.comparator)
            kind = type(target.operator).__name__
            if isinstance(left, Array) or isinstance(right, Array):
                if kind in COMPARE_SYMBOLS and len(node.comparisons) == 1:
                    return self._array_call(lambda: arrays.evaluate_binary(COMPARE_SYMBOLS[kind], left, right))
                return UNKNOWN
            if self.is_symbolic(left) or self.is_symbolic(right):
                return self.operator_result(node, kind, [left, right]) if len(node.comparisons) == 1 else UNKNOWN
            if not (is_plain(left) and is_plain(right)):
                return UNKNOWN
            try:
                if not _COMPARE[kind](left, right):
                    result = False
            except Exception:  # incomparable types: Python raises at runtime
                return UNKNOWN
            left = right
        return result

    def _eval_IfExp(self, node: cst.IfExp) -> Any:
        test = self.evaluate(node.test)
        if is_plain(test):
            return self.evaluate(node.body if test else node.orelse)
        body, orelse = self.evaluate(node.body), self.evaluate(node.orelse)
        return body if is_plain(body) and is_plain(orelse) and body == orelse else UNKNOWN

    def _eval_ListComp(self, node: cst.ListComp) -> Any:
        return self._comprehension(node, list)

    def _eval_GeneratorExp(self, node: cst.GeneratorExp) -> Any:
        return self._comprehension(node, list)

    def _comprehension(self, node: cst.ListComp | cst.GeneratorExp, kind: type) -> Any:
        """``[Dense(n) for n in (64, 32)]`` over a known, short iterable with one ``for``."""
        clause = node.for_in
        if clause.inner_for_in is not None or clause.asynchronous is not None:
            forget_mutations(node, self.scope.lookup)
            return UNKNOWN
        items = self.evaluate(clause.iter)
        if isinstance(items, range) and len(items) <= MAX_SEQUENCE:
            items = list(items)
        if not isinstance(items, (list, tuple)) or not counted(items):
            forget_mutations(node, self.scope.lookup)
            return UNKNOWN
        outer = self.scope
        self.scope = Scope(outer)
        results = []
        try:
            for item in items:
                self.assign(clause.target, item)
                tests = [self.evaluate(condition.test) for condition in clause.ifs]
                if not all(is_plain(t) for t in tests):
                    return UNKNOWN
                if all(tests):
                    results.append(self.evaluate(node.elt))
        finally:
            self.scope = outer
        return kind(results)

    def assign(self, target: cst.BaseExpression, value: Any) -> None:
        """Bind a target (name or tuple of names) to a value."""
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            values = list(value) if isinstance(value, (tuple, list)) and len(value) == len(target.elements) else None
            for k, element in enumerate(target.elements):
                self.assign(element.value, values[k] if values is not None else UNKNOWN)

    def _eval_Lambda(self, node: cst.Lambda) -> Any:
        found = self.sources.get(id(node))
        if found is None or found[0] is not node:  # rendered once per node: a body runs at each call
            found = self.sources[id(node)] = (node, source(node))
        # A new object each time, as each evaluation makes a new function.
        return LambdaValue(found[1], node, self.scope, self.top)

    def _eval_Attribute(self, node: cst.Attribute) -> Any:
        return self.attribute(self.evaluate(node.value), node)

    def attribute(self, value: Any, node: cst.Attribute) -> Any:
        name = node.attr.value
        if isinstance(value, Symbol):
            return value.attribute(name)
        if isinstance(value, list) and name in LIST_MUTATORS:
            return ListMethod(value, name)
        if isinstance(value, Array):
            if self.traced and name not in TENSOR_ATTRIBUTES:
                return UNKNOWN
            return self._array_call(lambda: arrays.evaluate_attribute(value, name))
        if value is UNKNOWN or is_plain(value):
            return UNKNOWN
        return self.attribute_of_object(value, name, node)

    def _eval_Subscript(self, node: cst.Subscript) -> Any:
        value = self.evaluate(node.value)
        if value is UNKNOWN:
            return UNKNOWN
        indices = [self._index(element.slice) for element in node.slice]
        index = indices[0] if len(indices) == 1 and node.slice[0].comma is cst.MaybeSentinel.DEFAULT else tuple(indices)
        if isinstance(value, Array):
            if self.traced and traced_index_fails(index):
                return UNKNOWN
            return self._array_call(lambda: arrays.evaluate_subscript(value, index))
        if self.is_symbolic(value):
            return self.subscript_object(value, index, node)
        if isinstance(value, (tuple, list, str, dict, range)):
            return plain_subscript(value, index)
        return UNKNOWN

    def subscript_object(self, value: Any, index: Any, node: cst.Subscript) -> Any:
        return self.symbolic_result([value])

    def _index(self, element: cst.BaseSlice) -> Any:
        if isinstance(element, cst.Slice):
            parts = [None if part is None else self.evaluate(part)
                     for part in (element.lower, element.upper, element.step)]
            return slice(*parts)
        return self.evaluate(element.value)

    def _eval_Call(self, node: cst.Call) -> Any:
        if type(node.func) is cst.Attribute:
            base = self.evaluate(node.func.value)
            if isinstance(base, _RECEIVERS) and node.func.attr.value not in _ARRAY_ATTRIBUTES:
                func: Any = BoundMethod(base, node.func.attr.value)
            else:
                func = self.attribute(base, node.func)
        else:
            func = self.evaluate(node.func)
        args, kwargs = self.arguments(node)
        if args is None:
            return self.call_unspread(func, node)
        return self.call(func, node, args, kwargs)

    def arguments(self, node: cst.Call) -> tuple[list[Any] | None, dict[str, Any]]:
        """Positional and keyword argument values; None when ``*args``/``**kw`` cannot be spread."""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for arg in node.args:
            value = self.evaluate(arg.value)
            if arg.star == "*":
                if not isinstance(value, (tuple, list)):
                    return None, kwargs
                args.extend(value)
            elif arg.star == "**":
                if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
                    return None, kwargs
                kwargs.update(value)
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        return args, kwargs

    def call(self, func: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(func, Builtin):
            return _BUILTINS[func.name](*args) if not kwargs else UNKNOWN
        if self.traced and (isinstance(func, BoundMethod) and isinstance(func.array, Array) or
                            isinstance(func, Symbol) and traced_call_fails(func.qualname, args, kwargs)):
            return UNKNOWN
        if isinstance(func, Symbol) and arrays.follows(func.qualname, args, kwargs):
            position = self.position_of(node)
            return self._array_call(lambda: arrays.evaluate_call(func.qualname, tuple(args), kwargs, position), node)
        if isinstance(func, BoundMethod) and func.name == "map" and isinstance(func.array, Dataset):
            return self.map_dataset(func.array, node, args, kwargs)
        if isinstance(func, BoundMethod):
            return self._array_call(lambda: arrays.evaluate_method(func.array, func.name, tuple(args), kwargs), node)
        if isinstance(func, ListMethod):
            return self.mutate_list(func, args, kwargs)
        given_to_call(func, node, args, kwargs)
        return self.call_object(func, node, args, kwargs)

    def position_of(self, node: cst.CSTNode) -> Any:
        return None

    def map_dataset(self, dataset: Dataset, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        return UNKNOWN

    def mutate_list(self, method: ListMethod, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """``layers.append(Dense(8))``: done on the list itself. A mutation that cannot be done
        exactly, or may not happen, leaves the list uncounted (so no layer is assumed), its
        items alike only if every item it may hold is."""
        values = method.values
        name = method.name
        if self.certain_mutation(values) and not kwargs:
            if name == "extend" and len(args) == 1:
                items = _sequence(list)(*args)
                if items is not UNKNOWN:
                    values.extend(items)
                    return None
            elif (name == "append" and len(args) == 1) or (name == "clear" and not args) \
                    or (name == "insert" and len(args) == 2 and isinstance(args[0], int)) \
                    or (name == "pop" and len(args) <= 1 and all(isinstance(a, int) for a in args)
                        and counted(values)):
                try:
                    return getattr(values, name)(*args)
                except IndexError:  # Python raises here: nothing after it runs as written
                    pass
        added: list[Any] | None = []
        if name in ("append", "insert") and args and not kwargs:
            added = [args[-1]]
        elif name == "extend":
            added = _sequence(list)(*args) if len(args) == 1 and not kwargs else UNKNOWN
        values[:] = [uncounted(values + added) if isinstance(added, list) else UnknownItems()]
        return UNKNOWN

    def _array_call(self, compute: Callable[[], Any], node: cst.Call | None = None) -> Any:
        try:
            return compute()
        except ops.Raises as error:
            if node is not None:
                self.numpy_raises(node, str(error), error.hint)
            return UNKNOWN
        except Exception:  # the array model is a separate module; a failure there must not lose the file
            return UNKNOWN

    def numpy_raises(self, node: cst.Call, message: str, hint: str | None) -> None:
        """A NumPy call that raises whatever the data (``X.reshape(600, 784)`` of 78400 values)."""


@dataclass(frozen=True, eq=False)
class LambdaValue(Opaque):
    """A ``lambda`` evaluated in ``scope``: opaque as an argument of Keras or NumPy (exported as
    a plain ``Opaque``), followed when the program calls it (``fn(x)`` in a builder given it)."""

    node: cst.Lambda
    scope: Scope
    top: Any  # the positions of the statement it is written in


class Builtin:
    """A Python builtin we evaluate (``len``, ``range``, ``int``...)."""

    def __init__(self, name: str) -> None:
        self.name = name


class BoundMethod:
    """``X.reshape`` of an array (or ``scaler.transform`` of an estimator), waiting for its call."""

    def __init__(self, array: Any, name: str) -> None:
        self.array = array
        self.name = name


_EMPTY_MODULE = cst.Module(body=[])


def source(node: cst.CSTNode) -> str:
    """The source text of a node (for ``Opaque`` values and messages)."""
    try:
        return _EMPTY_MODULE.code_for_node(node)
    except RecursionError:
        return "..."
