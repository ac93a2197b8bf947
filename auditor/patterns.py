"""A rule's regular expressions as one scanner that tries line patterns only where lines start.

Python's ``re`` tries a search pattern at every character, even one anchored with ``^`` that
can only match after a newline. Most boilerplate patterns are anchored that way, so scanning a
5,000-character article costs 5,000 failed anchor tests per pattern. A rule whose patterns are
all anchored is instead tried at each line start (40-100 per article); a rule that mixes
anchored and floating patterns gets one regex in which neighbouring anchored alternatives share
a single ``^``. Both give the matches ``finditer`` gives for the rule's joined patterns.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

try:  # the stdlib's own regex parser: exact where a hand-written scan of the source is not
    _sre_parse = importlib.import_module("re._parser")
    _sre_constants = importlib.import_module("re._constants")
except ImportError:  # Python 3.10
    _sre_parse = importlib.import_module("sre_parse")
    _sre_constants = importlib.import_module("sre_constants")

_LINE_START = (_sre_constants.AT, _sre_constants.AT_BEGINNING)


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

    @property
    def locatable(self) -> bool:
        """Whether a scan that reports where matches may start (:mod:`auditor.prefilter`)
        spares work: a line-anchored regex is already tried at line starts only."""
        return self.never_empty and not self.lines_only

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
        never_empty = _sre_parse.parse(source, re.MULTILINE).getwidth()[0] > 0
        return cls(re.compile(source, re.MULTILINE), all(a for a, _ in groups), never_empty)

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
