"""A rule's regular expressions as one scanner that tries line patterns only where lines start.

Python's ``re`` tries a search pattern at every character, even one anchored with ``^`` that
can only match after a newline. Most boilerplate patterns are anchored that way, so scanning a
5,000-character article costs 5,000 failed anchor tests per pattern. A rule whose patterns are
all anchored is instead tried at each line start (40-100 per article); a rule that mixes
anchored and floating patterns gets one regex in which neighbouring anchored alternatives share
a single ``^``. Both give the matches ``finditer`` gives for the rule's joined patterns.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

try:  # the stdlib's own regex parser: exact where a hand-written scan of the source is not
    _sre_parse = importlib.import_module("re._parser")
    _sre_constants = importlib.import_module("re._constants")
except ImportError:  # Python 3.10
    _sre_parse = importlib.import_module("sre_parse")
    _sre_constants = importlib.import_module("sre_constants")

_LINE_START = (_sre_constants.AT, _sre_constants.AT_BEGINNING)
_LOOKAROUND = (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT)


def is_line_anchored(pattern: str) -> bool:
    """Whether every match of ``pattern`` (compiled with MULTILINE) starts at a line start:
    it opens with ``^`` outside any group or alternation ("^a|b" does not)."""
    if not pattern.startswith("^"):
        return False
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:  # not ours to diagnose: pack loading reports bad patterns
        return False
    return bool(parsed.data) and parsed.data[0] == _LINE_START


@dataclass(frozen=True)
class RulePattern:
    regex: re.Pattern[str]
    lines_only: bool
    """Every alternative is line-anchored: try the regex at line starts only."""
    never_empty: bool
    """No match is empty, so the first match at a position is the one ``finditer`` takes."""
    sources: tuple[str, ...]
    """The rule's patterns, in order."""
    looks_around: bool
    """A pattern holds a lookahead or lookbehind, which Hyperscan can only approximate."""

    @property
    def locatable(self) -> bool:
        """Whether a scan that reports where matches may start (:mod:`auditor.prefilter`)
        spares work and can be exact: a line-anchored regex is already tried at line starts
        only, and where a lookaround stands Hyperscan can only filter."""
        return self.never_empty and not self.lines_only and not self.looks_around

    @classmethod
    def compile(cls, patterns: Sequence[str]) -> RulePattern:
        groups = [(a, list(g)) for a, g in itertools.groupby(patterns, key=is_line_anchored)]
        parts = []
        for is_anchored, sources in groups:
            if is_anchored:  # (?:^a)|(?:^b) is ^(?:a|b): one anchor test instead of two
                parts.append("^(?:" + "|".join(f"(?:{p[1:]})" for p in sources) + ")")
            else:
                parts.extend(f"(?:{p})" for p in sources)
        source = "|".join(parts)
        parsed = _sre_parse.parse(source, re.MULTILINE)
        never_empty = parsed.getwidth()[0] > 0
        lines_only = all(a for a, _ in groups)
        regex = re.compile(source, re.MULTILINE)
        return cls(regex, lines_only, never_empty, tuple(patterns), _looks_around(parsed))

    def only(self, kept: Collection[int]) -> RulePattern:
        """The rule with only its patterns at positions ``kept``. In a text where the other
        patterns match nowhere (a prefilter proved it), it finds what the rule finds: at every
        position the joined alternation takes the first alternative that matches, and those
        never do."""
        return _compiled(tuple(self.sources[i] for i in sorted(kept)))

    def finditer(self, text: str, line_starts: Sequence[int]) -> Iterator[re.Match[str]]:
        """The non-empty matches ``regex.finditer(text)`` would give, in text order."""
        if not self.lines_only:
            yield from (found for found in self.regex.finditer(text) if found.end() > found.start())
            return
        match = self.regex.match
        reached = 0
        for start in line_starts:
            if start < reached:
                continue
            found = match(text, start)
            if found is not None and found.end() == start:
                # finditer follows an empty match with a search for a non-empty one from the
                # same position; one that starts later begins at a later line start
                found = next(itertools.islice(self.regex.finditer(text, start), 1, 2), None)
                if found is not None and found.start() != start:
                    continue
            if found is not None:
                yield found
                reached = found.end()

    def within(self, text: str, windows: Sequence[tuple[int, int]]) -> Iterator[re.Match[str]]:
        """The matches ``finditer`` gives, for a regex that is ``never_empty`` and whose every
        match starts inside one of ``windows`` (sorted, apart): only their positions are tried.
        """
        match = self.regex.match
        reached = 0
        for start, end in windows:
            position = max(start, reached)
            while position < end:
                found = match(text, position)
                if found is None:
                    position += 1
                else:
                    yield found
                    reached = position = found.end()


def _looks_around(node: Any) -> bool:
    """Whether a parsed pattern (or any part of an opcode's arguments) holds a lookaround."""
    if isinstance(node, _sre_parse.SubPattern):
        return any(op in _LOOKAROUND or _looks_around(av) for op, av in node.data)
    if isinstance(node, list | tuple):
        return any(_looks_around(item) for item in node)
    return False


@functools.lru_cache(maxsize=1024)
def _compiled(patterns: tuple[str, ...]) -> RulePattern:
    return RulePattern.compile(patterns)
