"""``match`` patterns decided on static values: certainly matches, certainly fails, or undecided.

Literal, singleton, capture, wildcard, ``|``, sequence and mapping patterns are decided when the
subject is a known value; class patterns, and anything on an unknown subject, are undecided.
"""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from kerascheck.frontend.values import is_plain
from kerascheck.graph import UNKNOWN

Decision = tuple["bool | None", dict[str, Any]]  # (matched, names bound by a certain match)
# Known values that no mapping pattern (no sequence pattern: str and bytes are not sequences there) matches.
_NOT_MAPPINGS = (int, float, str, bytes, tuple, list, range, type(None))
_NOT_SEQUENCES = (int, float, str, bytes, dict, type(None))


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
    if isinstance(pattern, cst.MatchMapping):
        return _decide_mapping(pattern, subject, evaluate)
    return None, {}


def _decide_mapping(pattern: cst.MatchMapping, subject: Any,
                    evaluate: Callable[[cst.BaseExpression], Any]) -> Decision:
    if not isinstance(subject, dict):
        return (False if isinstance(subject, _NOT_MAPPINGS) else None), {}
    bound: dict[str, Any] = {}
    undecided = False
    for element in pattern.elements:
        key = evaluate(element.key)
        if not is_plain(key):
            return None, {}
        if key not in subject:
            return False, {}
        matched, captured = decide(element.pattern, subject[key], evaluate)
        if matched is False:
            return False, {}
        undecided = undecided or matched is None
        bound.update(captured)
    if pattern.rest is not None:
        keys = [evaluate(element.key) for element in pattern.elements]
        bound[pattern.rest.value] = {k: v for k, v in subject.items() if k not in keys}
    return (None, {}) if undecided else (True, bound)


def _decide_sequence(pattern: cst.MatchSequence, subject: Any,
                     evaluate: Callable[[cst.BaseExpression], Any]) -> Decision:
    if not isinstance(subject, (tuple, list)):
        return (False if isinstance(subject, _NOT_SEQUENCES) else None), {}
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
