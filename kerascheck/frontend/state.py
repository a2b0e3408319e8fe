"""What the interpreter knows at a point of the program, and how branches merge it.

``Scope`` holds the names bound in one function call (or the module). A branch whose condition
cannot be decided runs each of its suites from the same state (``BranchMerging.branches``):
what they bind is logged and undone after each suite, then merged (a name bound differently
becomes unknown, a Sequential that gained layers in one suite no longer has a known last layer).
``Depth`` counts nesting (user-function calls, shape guards, a subclassed model's ``call``) for
the duration of a ``with`` block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kerascheck.frontend.imports import star_symbol
from kerascheck.graph import UNKNOWN

if TYPE_CHECKING:
    from kerascheck.frontend.graphs import ModelValue

MISSING = object()  # a name with no binding in scope (distinct from a name bound to UNKNOWN)


class Scope:
    """Names bound in one function call (or the module), looked up through enclosing scopes."""

    def __init__(self, parent: Scope | None = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent
        self.stars: list[str] = []  # canonical modules star-imported here
        self.globals: set[str] = set()  # names declared ``global`` in this function
        self.log: list[tuple[str, Any]] | None = None  # (name, previous value) of each binding

    @property
    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def lookup(self, name: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            for module in reversed(scope.stars):
                symbol = star_symbol(module, name)
                if symbol is not None:
                    return symbol
            scope = scope.parent
        return MISSING

    def bind(self, name: str, value: Any) -> None:
        target = self.module if name in self.globals else self
        if target.log is not None:
            target.log.append((name, target.vars.get(name, MISSING)))
        target.vars[name] = value


class Depth:
    """A nesting counter: ``with depth:`` is one level deeper for the block's duration."""

    def __init__(self) -> None:
        self.level = 0

    def __enter__(self) -> None:
        self.level += 1

    def __exit__(self, *exc: object) -> None:
        self.level -= 1

    def __bool__(self) -> bool:
        return self.level > 0


class Returned(Exception):
    """A ``return`` statement ran: unwinds the function body with its value."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class BranchMerging:
    """Mixin of the interpreter (``interpreter.Interpreter``): undecided branches and their merge."""

    scope: Scope
    models: list[ModelValue]
    returns: list[list[Any]]  # per running function call: values returned inside a branch
    snapshots: list[tuple[int, dict[int, tuple[ModelValue, Any]]]]  # per open branch
    list_depths: dict[int, tuple[list, int]]  # list literal -> branch depth it was made at

    def branches(self, suites: list[Any], loop: bool = False) -> None:
        """Run each suite from the same state, then merge (``loop``: the suites are a loop's
        body run or not).

        A suite is (libcst suite, ast body), ("elif", If node, its ast), ("case", (suite, ast
        body), names a match case binds first), or None: the path that does nothing.

        A name bound differently by the suites becomes unknown; a Sequential that gained layers
        in one of them no longer has a known last layer. Only what the suites changed is undone
        and merged (a log of bindings), so the cost does not grow with the number of names.
        """
        scope = self.scope
        outer_log = scope.log
        snapshot: dict[int, tuple[ModelValue, Any]] = {}
        self.snapshots.append((len(self.models), snapshot))
        ends: list[dict[str, Any]] = []
        written: set[str] = set()
        returned: list[Any] = []
        changed: dict[int, ModelValue] = {}
        try:
            for suite in suites:
                scope.log = []
                finished = True
                if suite is not None:
                    try:
                        if suite[0] == "elif":
                            self.execute(suite[1], suite[2])
                        elif suite[0] == "case":
                            for name, value in suite[2].items():
                                self.scope.bind(name, value)
                            self.execute_suite(*suite[1])
                        else:
                            self.execute_suite(*suite)
                    except Returned as done:
                        returned.append(done.value)
                        finished = False
                log = scope.log
                names = {name for name, _ in log}
                written |= names
                if finished:
                    ends.append({name: scope.vars.get(name, MISSING) for name in names})
                for name, old in reversed(log):
                    if old is MISSING:
                        scope.vars.pop(name, None)
                    else:
                        scope.vars[name] = old
                for model, old_tail in snapshot.values():
                    if model.tail is not old_tail:
                        changed[id(model)] = model
                        model.tail = old_tail
        finally:
            scope.log = outer_log
            self.snapshots.pop()
        for model in changed.values():
            self.touch(model)
            model.tail = UNKNOWN
            model.graph.incomplete_reason = "layers are added under a condition kerascheck cannot decide"
        if returned and self.returns:
            self.returns[-1].extend(returned)
        if not ends:
            raise Returned(self.merge(returned))
        for name in sorted(written):
            before = scope.vars.get(name, MISSING)
            values = [end.get(name, before) for end in ends]
            value = values[0] if all(v is values[0] for v in values) else self.merge(values, loop)
            if value is not MISSING and value is not before:
                scope.bind(name, value)

    def merge(self, values: list[Any], loop: bool = False) -> Any:
        """One value for several possible ones: itself if they agree, one of several tensors of
        the graph (``either``; not after a loop body, which may run any number of times), else
        an unknown (tensor)."""
        real = [v for v in values if v is not MISSING]
        if real and all(v is real[0] for v in real) and len(real) == len(values):
            return real[0]
        joined = self.either(real) if len(real) == len(values) and not loop else None
        if joined is not None:
            return joined
        if real and all(self.is_symbolic(v) for v in real):
            return self.symbolic_result(real, complete=False)
        return UNKNOWN

    def either(self, values: list[Any]) -> Any:
        """One of these values, when they are tensors of the graph (the Keras overlay's);
        None otherwise."""
        return None

    def made_list(self, values: list[Any]) -> None:
        if self.snapshots:
            self.list_depths[id(values)] = (values, len(self.snapshots))

    def certain_mutation(self, values: list[Any]) -> bool:
        made = self.list_depths.get(id(values))
        return len(self.snapshots) <= (made[1] if made is not None and made[0] is values else 0)

    def touch(self, model: ModelValue) -> None:
        """Remember a model's last layer before an undecided branch changes it."""
        for first_new, snapshot in self.snapshots:
            if model.index < first_new:
                snapshot.setdefault(id(model), (model, model.tail))
