"""``match`` patterns decided on static values: certainly matches, certainly fails, or undecided.

Literal, singleton, capture, wildcard, ``|`` and sequence patterns are decided when the subject
is a known value; class and mapping patterns, and anything on an unknown subject, are undecided.
"""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from kerascheck.frontend.values import is_plain
from kerascheck.graph import UNKNOWN

Decision = tuple["bool | None", dict[str, Any]]  # (matched, names bound by a certain match)


def decide(pattern: cst.MatchPattern, subject: Any, evaluate: Callable[[cst.BaseExpression], Any]) -> Decision:
    """Whether ``pattern`` matches ``subject`` (None: undecided), and the captures it binds."""
    if isinstance(pattern, cst.MatchAs):
        if pattern.pattern is None:
            matched: bool | None = True
            bound: dict[str, Any] = {}
        else:
            matched, bound = decide(pattern.pattern, subject, evaluate)
        if pattern.name is not None and matched:
            bound = {**bound, pattern.name.value: subject}
        return matched, bound
    if isinstance(pattern, cst.MatchValue):
        value = evaluate(pattern.value)
        if is_plain(subject) and is_plain(value):
            return subject == value, {}
        return None, {}
    if isinstance(pattern, cst.MatchSingleton):
        if is_plain(subject):
            return subject is {"None": None, "True": True, "False": False}[pattern.value.value], {}
        return None, {}
    if isinstance(pattern, cst.MatchOr):
        undecided = False
        for element in pattern.patterns:
            matched, bound = decide(element.pattern, subject, evaluate)
            if matched:
                return (None, {}) if undecided else (True, bound)
            undecided = undecided or matched is None
        return (None if undecided else False), {}
    if isinstance(pattern, cst.MatchSequence):
        return _decide_sequence(pattern, subject, evaluate)
    return None, {}


def _decide_sequence(pattern: cst.MatchSequence, subject: Any,
                     evaluate: Callable[[cst.BaseExpression], Any]) -> Decision:
    if not isinstance(subject, (tuple, list)):
        # str and bytes are not sequences to ``match``; an unknown value may be one
        return (False if isinstance(subject, (str, bytes, dict, int, float, type(None))) else None), {}
    elements = list(pattern.patterns)
    stars = [i for i, e in enumerate(elements) if isinstance(e, cst.MatchStar)]
    if not stars and len(subject) != len(elements):
        return False, {}
    if stars and len(subject) < len(elements) - 1:
        return False, {}
    bound: dict[str, Any] = {}
    undecided = False
    star = stars[0] if stars else len(elements)
    after = len(elements) - star - 1
    for i, element in enumerate(elements):
        if isinstance(element, cst.MatchStar):
            if element.name is not None:
                bound[element.name.value] = list(subject[star:len(subject) - after])
            continue
        item = subject[i] if i < star else subject[len(subject) - (len(elements) - i)]
        matched, captured = decide(element.value, item, evaluate)
        if matched is False:
            return False, {}
        undecided = undecided or matched is None
        bound.update(captured)
    return (None, {}) if undecided else (True, bound)


def unknown_captures(pattern: cst.MatchPattern) -> dict[str, Any]:
    """Every name a pattern may bind, unknown (for a case that may or may not run)."""
    names: dict[str, Any] = {}
    stack: list[cst.CSTNode] = [pattern]
    while stack:
        node = stack.pop()
        name = node.rest if isinstance(node, cst.MatchMapping) else getattr(node, "name", None)
        if isinstance(node, (cst.MatchAs, cst.MatchStar, cst.MatchMapping)) and name is not None:
            names[name.value] = UNKNOWN
        stack.extend(node.children)
    return names
