"""One Hyperscan pass that tells which of a family's pattern rules cannot match an article.

Python's ``re`` scans an article once per rule, and most boilerplate rules match nothing in
most articles. Hyperscan compiles all of a family's rules into one automaton and reports, in one
pass over the text, which of them match somewhere. It is used only as a prefilter: each rule's
regex is widened into one that matches at least everything the rule matches (Unicode classes
stretched over every non-ASCII character, case variants of non-ASCII letters added, word
boundaries dropped, bounded repeats opened, lookarounds approximated by Hyperscan's prefilter
mode). A rule it rules out has no match; the rules it lets through run in ``re`` as before. The
findings are the same with or without it.

A rule that Hyperscan can take without approximation, and whose matches are never empty, is
also located: the automaton reports where its widened matches start and end, and ``re`` tries
the rule only at the positions inside those ranges instead of at every character. The hedging
rules begin with a word boundary, which leaves ``re`` no first character to skip ahead to;
located, they cost 0.07 ms an article instead of 0.9 ms. Any other rule of several patterns is
entered pattern by pattern (:class:`RuleFilter`), so that ``re`` scans a text with only those
of its patterns that may match it.

Building the automaton takes about 1.4 s; a process loads it from the cache or builds it after
a few hundred articles (:mod:`auditor.hsdatabase`). Until then, without the ``hyperscan``
package, and in a text holding one of the three letters that Python's IGNORECASE folds to ASCII
ones (the Kelvin sign, long s and dotless i), every rule is scanned.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from auditor.hsdatabase import DeferredDatabase, characters_before
from auditor.patterns import RulePattern

_NON_ASCII = r"\x{80}-\x{10ffff}"
_BOUNDED = re.compile(r"\{(\d*),(\d+)\}")
_GROUP_OPENING = re.compile(r"\(\?(?:[aiLmsux-]*[:)]|P<\w+>|P=\w+\)|<=|<!|=|!|#[^)]*\))")
_PYTHON_HEX = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def widen(pattern: str) -> str:
    """A Hyperscan expression (UTF-8, ASCII classes) that matches whatever ``pattern`` matches
    in Python: each token is replaced by one that accepts at least the same characters."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\" and i + 1 < n:
            hexed = _PYTHON_HEX.match(pattern, i)
            escape = pattern[i + 1]
            if hexed:
                out.append(_hex(hexed))
                i = hexed.end()
                continue
            if escape in "wds":  # Unicode classes in Python, ASCII ones in Hyperscan
                out.append(f"[\\{escape}{_NON_ASCII}]")
            elif escape not in "bB":  # a dropped word boundary accepts more
                out.append(pattern[i : i + 2])
            i += 2
        elif char == "[":
            end = _class_end(pattern, i)
            body = _PYTHON_HEX.sub(_hex, pattern[i + 1 : end])
            if body.startswith("^"):  # negated: ASCII classes and folds make it wider already
                out.append(f"[{body}]")
            else:  # any other class takes every non-ASCII character (Unicode classes, folds)
                lead = 1 if body.startswith("]") else 0  # a leading ] is a member
                out.append(f"[{body[:lead]}{_NON_ASCII}{body[lead:]}]")
            i = end + 1
        elif (group := _GROUP_OPENING.match(pattern, i) if char == "(" else None) is not None:
            out.append(group.group())  # flags and names are syntax, not characters
            i = group.end()
        elif (bounded := _BOUNDED.match(pattern, i) if char == "{" else None) is not None:
            out.append(f"{{{bounded.group(1) or 0},}}")  # large bounded repeats blow up
            i = bounded.end()
        else:
            cases = _folds(char)
            out.append(f"[{cases}]" if len(cases) > 1 else char)
            i += 1
    return "".join(out)


_LINE_HEAD = re.compile(r"\^(?:\.|\[\^\\n\])(?:\{0,\}|\*)(?![?+])")
"""A line's start and any run of its characters (``^.*``, or ``^.{0,160}`` widened)."""


def _unanchored(expression: str) -> str:
    """A widened expression that is only filtered, without its leading ``^.{0,}``: whatever
    the rest matches lies on a line, and that line's start and the characters before the match
    make the dropped part. Hyperscan then looks for the rest's words anywhere instead of
    running an automaton from every line start: a quarter of the boilerplate prefilter's
    time."""
    head = _LINE_HEAD.match(expression)
    return expression[head.end() :] if head else expression


def _hex(escape: re.Match[str]) -> str:
    return f"\\x{{{escape.group(1) or escape.group(2)}}}"


def _class_end(pattern: str, start: int) -> int:
    """Index of the ``]`` that closes the class opened at ``start``."""
    i = start + 1
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):  # a leading ] is a member
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


def _folds(char: str) -> str:
    """The characters Python's IGNORECASE may match for ``char`` that Hyperscan without Unicode
    mode (ten times slower to compile) does not fold: both cases of a non-ASCII letter. The
    three non-ASCII letters that fold to ASCII ones are left to :func:`_folds_to_ascii`."""
    if char.isascii():
        return char
    return "".join(dict.fromkeys(c for c in (char, char.lower(), char.upper()) if len(c) == 1))


_ASCII_FOLDS = ("\u212a", "\u017f", "\u0131")
"""The Kelvin sign, long s and dotless i, which Python's IGNORECASE takes for k, s and i."""


def _folds_to_ascii(text: str) -> bool:
    """Whether ``text`` holds one of ``_ASCII_FOLDS``. Such a text (none of the 1,034 non-ASCII
    eval texts is one) is scanned by every rule: with a class such as ``[s\u017f]`` in place of
    every s, i and k of the patterns, the boilerplate automaton took 40% longer on every other
    text."""
    return not text.isascii() and any(letter in text for letter in _ASCII_FOLDS)


@dataclass(frozen=True, slots=True)
class Hits:
    """What one pass over a text says about each pattern."""

    possible: Collection[int]
    """Positions of the patterns that may match the text."""
    windows: dict[int, list[tuple[int, int]]]
    """For each located pattern that may match: character ranges (start, end), in order and
    apart, inside which every one of its matches starts."""


class Prefilter(DeferredDatabase):
    """Which of ``patterns`` (Python regex sources, MULTILINE) may match a text, and for the
    ``locatable`` ones (never an empty match), where.

    A located pattern is compiled as it is widened, not approximated, and with the start of
    each match: every end of a match of the widened pattern is reported with the leftmost
    start that ends there. A match of the rule is a match of its widening, so it starts in one
    of those ranges, and ``re`` need only try the positions inside them."""

    def __init__(
        self,
        patterns: Sequence[str],
        build_after: int | None = None,
        locatable: Collection[int] = (),
    ) -> None:
        super().__init__(build_after)
        self._patterns = tuple(patterns)
        self._locatable = frozenset(locatable)
        self._everything = range(len(self._patterns))
        self._unfiltered: frozenset[int] = frozenset()
        self._located: frozenset[int] = frozenset()

    def candidates(self, text: str) -> Collection[int]:
        """Positions of the patterns that may match ``text``."""
        return self.scan(text).possible

    def scan(self, text: str) -> Hits:
        if not self.ready() or _folds_to_ascii(text):
            return Hits(self._everything, {})
        hits = set(self._unfiltered)
        spans: dict[int, list[tuple[int, int]]] = {}
        data = text.encode("utf-8", "replace")
        self._scan(data, _collect, (hits, spans, self._located))
        windows = {index: _windows(found, data, text) for index, found in spans.items()}
        hits.update(windows)
        return Hits(hits, windows)

    @cached_property
    def _recipe(self) -> _Recipe:
        """What the automaton is built from."""
        hyperscan = self._hyperscan
        common = hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_ALLOWEMPTY
        filtering = common | hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH
        locating = common | hyperscan.HS_FLAG_SOM_LEFTMOST
        flags = {i: locating if i in self._locatable else filtering for i in self._everything}
        expressions = {
            i: (widen(p) if flags[i] == locating else _unanchored(widen(p))).encode("utf-8")
            for i, p in enumerate(self._patterns)
        }
        return _Recipe(flags, filtering, expressions)

    def _cache_key(self, hyperscan: Any) -> bytes:
        recipe = self._recipe
        return repr((sorted(recipe.flags.items()), sorted(recipe.expressions.items()))).encode()

    def _compile(self, hyperscan: Any) -> tuple[Any, bytes] | None:
        recipe = self._recipe
        flags, expressions = dict(recipe.flags), recipe.expressions
        database = _compile(hyperscan, expressions, flags)
        if database is None:  # find what Hyperscan refuses: filter it, or scan it in Python
            expressions = {
                i: e for i, e in expressions.items() if _accepts(hyperscan, recipe, flags, i)
            }
            database = _compile(hyperscan, expressions, flags) if expressions else None
        if database is None:
            return None
        located = {i for i in expressions if flags[i] != recipe.filtering}
        self._use(set(expressions), located)
        line = ";".join(",".join(map(str, sorted(group))) for group in (expressions, located))
        return database, line.encode("ascii")

    def _restore(self, line: bytes) -> bool:
        """The accepted and the located expressions' positions, as :meth:`_compile` wrote
        them."""
        accepted_part, _, located_part = line.partition(b";")
        try:
            accepted = {int(i) for i in accepted_part.split(b",") if i}
            located = {int(i) for i in located_part.split(b",") if i}
        except ValueError:
            return False
        self._use(accepted, located)
        return True

    def _use(self, accepted: set[int], located: set[int]) -> None:
        self._unfiltered = frozenset(self._everything) - accepted
        self._located = frozenset(located)


class RuleFilter:
    """A :class:`Prefilter` over rules, which also says which of a rule's patterns may match.

    A rule the automaton locates is entered whole. Any other rule of several patterns is
    entered pattern by pattern, and ``re`` scans only those that may match
    (:meth:`RulePattern.only`): when one floating pattern in a rule of sixteen let a text
    through, ``re`` tried all sixteen at every character (0.3-0.45 ms) for the one that the
    automaton had seen (0.01 ms)."""

    def __init__(self, patterns: Sequence[RulePattern], build_after: int | None = None) -> None:
        self.patterns = tuple(patterns)
        sources: list[str] = []
        located: list[int] = []
        self._owners: list[tuple[int, int | None]] = []
        """Each entry's rule, and which of its patterns it is (None: the whole rule)."""
        for position, pattern in enumerate(self.patterns):
            if pattern.locatable or len(pattern.sources) < 2:
                if pattern.locatable:
                    located.append(len(sources))
                sources.append(pattern.regex.pattern)
                self._owners.append((position, None))
            else:
                sources.extend(pattern.sources)
                self._owners.extend((position, i) for i in range(len(pattern.sources)))
        self.prefilter = Prefilter(sources, build_after, located)

    def scan(self, text: str) -> Iterator[tuple[int, RulePattern, list[tuple[int, int]] | None]]:
        """For each rule that may match ``text``, in order: its position, the pattern to scan
        it with, and the windows its matches start in (None: anywhere)."""
        hits = self.prefilter.scan(text)
        kept: dict[int, list[int]] = {}
        windows: dict[int, list[tuple[int, int]]] = {}
        for entry in sorted(hits.possible):
            position, alternative = self._owners[entry]
            if alternative is not None:
                kept.setdefault(position, []).append(alternative)
            else:
                kept[position] = []
                if entry in hits.windows:
                    windows[position] = hits.windows[entry]
        for position, alternatives in kept.items():  # in order: the entries were sorted
            pattern = self.patterns[position]
            if alternatives and len(alternatives) < len(pattern.sources):
                pattern = pattern.only(alternatives)
            yield position, pattern, windows.get(position)


def _accepts(hyperscan: Any, recipe: _Recipe, flags: dict[int, int], i: int) -> bool:
    """Whether Hyperscan compiles expression ``i`` alone; a located one it refuses is tried
    again as filtered only (``flags`` is updated)."""
    alone = {i: recipe.expressions[i]}
    if _compile(hyperscan, alone, flags):
        return True
    if flags[i] == recipe.filtering:
        return False
    flags[i] = recipe.filtering
    return _compile(hyperscan, alone, flags) is not None


@dataclass(frozen=True)
class _Recipe:
    flags: dict[int, int]
    """Hyperscan's flags by position in ``patterns``: locating or filtering."""
    filtering: int
    """The flags of a pattern that is only filtered."""
    expressions: dict[int, bytes]
    """Widened pattern by position in ``patterns``."""


def _compile(hyperscan: Any, expressions: dict[int, bytes], flags: dict[int, int]) -> Any:
    database = hyperscan.Database()
    try:
        database.compile(
            expressions=list(expressions.values()),
            ids=list(expressions),
            elements=len(expressions),
            flags=[flags[i] for i in expressions],
        )
    except hyperscan.error:
        return None
    return database


def _collect(
    index: int,
    start: int,
    end: int,
    flags: int,
    context: tuple[set[int], dict[int, list[tuple[int, int]]], frozenset[int]],
) -> None:
    hits, spans, located = context
    if index in located:
        spans.setdefault(index, []).append((start, end))
    else:
        hits.add(index)


def _windows(spans: list[tuple[int, int]], data: bytes, text: str) -> list[tuple[int, int]]:
    """The byte ranges of matches as character ranges, sorted, overlapping ones merged."""
    if len(data) != len(text):  # not ASCII
        spans = _character_spans(spans, data)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _character_spans(spans: list[tuple[int, int]], data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of UTF-8 ``data`` as character ranges (a start inside a character rounds
    down, an end up)."""
    begun = characters_before(data)
    inside = np.append(begun[1:] == begun[:-1], False)  # no character begins at the byte
    return [(int(begun[start] - inside[start]), int(begun[end])) for start, end in spans]
