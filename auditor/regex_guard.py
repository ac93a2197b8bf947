"""Refuse rule-pack patterns that can backtrack catastrophically.

A pattern such as ``(a+)+$`` or ``(\\w*\\s?)*x`` takes time exponential in the length of a
line that almost matches; scraped text supplies such lines. Patterns are checked when a pack
loads: an unbounded repeat whose body can itself repeat without bound (a nested quantifier) is
rejected with the pack's file and entry, before it can stall a run. Bounded repeats
(``.{0,200}``) and alternations of literals stay allowed. Telling safe nested repeats apart
(disjoint character sets) is not attempted: a pack author bounds one of the two instead.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The regex parser is an internal module (re._parser since 3.11, sre_parse before).
try:
    _parser: Any = importlib.import_module("re._parser")
    _constants: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - Python 3.10
    _parser = importlib.import_module("sre_parse")
    _constants = importlib.import_module("sre_constants")

_REPEATS = {
    _constants.MAX_REPEAT,
    _constants.MIN_REPEAT,
    getattr(_constants, "POSSESSIVE_REPEAT", None),
}
_UNBOUNDED = _constants.MAXREPEAT
NESTING_LIMIT = 100
"""A repeat bounded above this counts as unbounded: ``(a+){1,1000}`` is as dangerous."""


class DangerousPattern(ValueError):
    pass


def check(pattern: str) -> None:
    """Raise DangerousPattern when a repeat with a large bound contains another such repeat."""
    try:
        tree = _parser.parse(pattern)
    except re.error:
        return  # compiling reports the syntax error with a better message
    _walk(list(tree), inside_unbounded=False, pattern=pattern)


def _walk(items: list[Any], inside_unbounded: bool, pattern: str) -> None:
    for op, value in items:
        if op in _REPEATS:
            _, high, body = value
            unbounded = high == _UNBOUNDED or high > NESTING_LIMIT
            if unbounded and inside_unbounded:
                raise DangerousPattern(
                    f"nested unbounded repetition in {pattern!r} can backtrack catastrophically; "
                    "bound the inner or outer repeat (e.g. {0,100}) or make them exclusive"
                )
            _walk(list(body), inside_unbounded or unbounded, pattern)
        elif op == _constants.SUBPATTERN:
            _walk(list(value[-1]), inside_unbounded, pattern)
        elif op == _constants.BRANCH:
            for branch in value[1]:
                _walk(list(branch), inside_unbounded, pattern)
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            _walk(list(value[1]), inside_unbounded, pattern)
