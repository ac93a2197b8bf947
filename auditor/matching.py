"""Phrase matching in one pass: every phrase of a pack goes into one Aho-Corasick automaton.

Looping over thousands of phrases, or joining them into one regex alternation, costs time in
proportion to the number of phrases; the automaton costs time in proportion to the text.
Matching is case-insensitive, treats curly and straight apostrophes alike and only accepts
matches that start and end on word boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import ahocorasick

from auditor.hsdatabase import DeferredDatabase, characters_before
from auditor.records import fast_init

T = TypeVar("T")

_FOLD = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("\u00a0", " "))
"""Typographic quotes and the no-break space, each with what folding makes of it."""


def fold(text: str) -> str:
    """Lower-case and unify quotes without changing the length, so offsets stay valid.

    One ``str.replace`` a character: ``str.translate`` with a table goes through Python's
    mapping protocol for each character of a text beyond ASCII (0.9 ms for 20,000 characters),
    where a replacement searches in C (about a microsecond)."""
    lowered = text.lower()
    if lowered.isascii():  # nothing to unify
        return lowered
    if len(lowered) != len(text):  # rare characters whose lower case is longer ("İ")
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for typographic, plain in _FOLD:
        lowered = lowered.replace(typographic, plain)
    return lowered


@fast_init
@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    start: int
    end: int
    value: T


class PhraseMatcher(Generic[T]):
    """Finds the leftmost-longest, non-overlapping, word-bounded phrases of a set."""

    def __init__(self, phrases: Iterable[tuple[str, T]], build_after: int | None = None) -> None:
        self._entries: dict[str, _Entry[T]] = {}
        for phrase, value in phrases:
            key = " ".join(fold(phrase).split())
            if key and key not in self._entries:
                # a key that starts (ends) with a letter or digit needs a word boundary there
                self._entries[key] = (len(key), value, key[0].isalnum(), key[-1].isalnum())
        self.size = len(self._entries)
        self._literals = _Literals(self._entries, build_after)
        self._automaton: Any = None

    @property
    def active(self) -> bool:
        """Whether Hyperscan is finding the phrases."""
        return self._literals.active

    def find(self, folded: str) -> Iterator[Match[T]]:
        """Matches in ``folded`` (a text already passed through :func:`fold`)."""
        if not self.size:
            return
        if self._literals.ready():
            candidates = self._literals.candidates(folded)
        else:
            candidates = self._candidates(folded)
        candidates.sort(key=lambda item: (item[0], item[1]))
        reached = 0
        for start, negative_length, value in candidates:
            if start >= reached:
                reached = start - negative_length
                yield Match(start, reached, value)

    def _candidates(self, folded: str) -> list[tuple[int, int, T]]:
        """Every word-bounded occurrence of every phrase as (start, -length, value), from an
        Aho-Corasick automaton built on first use."""
        if self._automaton is None:
            self._automaton = ahocorasick.Automaton()
            for key, entry in self._entries.items():
                self._automaton.add_word(key, entry)
            self._automaton.make_automaton()
        candidates = []
        for last, (length, value, bounded_start, bounded_end) in self._automaton.iter(folded):
            start = last + 1 - length
            if _stands_alone(folded, start, start + length, bounded_start, bounded_end):
                candidates.append((start, -length, value))
        return candidates


def _stands_alone(
    folded: str, start: int, end: int, bounded_start: bool, bounded_end: bool
) -> bool:
    """Whether a phrase found at ``start:end`` has the word boundaries it needs."""
    if bounded_end and end < len(folded) and folded[end].isalnum():
        return False
    return not (bounded_start and start and folded[start - 1].isalnum())


_Entry = tuple[int, T, bool, bool]
"""A phrase's length, value, and whether it needs a word boundary at its start and its end."""

_SEPARATORS = bytes.maketrans(
    bytes(range(256)),
    bytes(c if chr(c).isascii() and chr(c).isalnum() else 0x20 for c in range(256)),
)
"""Every byte but ASCII letters and digits becomes a space."""


class _Literals(DeferredDatabase, Generic[T]):
    """The phrases as Hyperscan literals over a coarse view of the text, in which every byte
    but an ASCII letter or digit is a space (the text's multi-byte characters too).

    A phrase in the text is, byte for byte, its view in the text's view, and a character that
    is not a letter or digit is one or more spaces there. So a phrase that needs word
    boundaries is looked for with a space on each side, in the view padded with a space at each
    end: that finds every bounded occurrence, and few others. Each is then checked against the
    text itself, as the automaton's are, but for a phrase of one ASCII word in an ASCII text:
    there the view holds the word itself, and separators only where the text has no letter or
    digit. The phrases of a thesaurus occur inside other words ten times as often as on their
    own ("war" in "toward"), and Python never sees those."""

    def __init__(self, entries: dict[str, _Entry[T]], build_after: int | None) -> None:
        super().__init__(build_after)
        self._entries = entries
        groups: dict[bytes, list[tuple[str, int]]] = {}
        for key, (_, _, bounded_start, bounded_end) in entries.items():
            view = key.encode("utf-8", "replace").translate(_SEPARATORS)
            literal = b" " * bounded_start + view + b" " * bounded_end
            groups.setdefault(literal, []).append((key, bounded_start))
        self._literals = list(groups)
        self._keys = list(groups.values())
        """The phrases each literal stands for (several may look alike in the view), each with
        where it starts in the literal."""
        self._words = [_word_entry(keys, entries) for keys in self._keys]
        """For a literal that stands for one ASCII word: that word's length and value."""

    def candidates(self, folded: str) -> list[tuple[int, int, T]]:
        """As :meth:`PhraseMatcher._candidates`, from one scan."""
        data = folded.encode("utf-8", "replace")
        found: list[tuple[int, int]] = []
        self._scan(b" " + data.translate(_SEPARATORS) + b" ", _collect_end, found)
        if not found:
            return []
        characters = None if len(data) == len(folded) else characters_before(data)
        candidates = []
        for index, end in found:
            head = end - len(self._literals[index]) - 1  # where the literal starts in data
            word = self._words[index]
            if word is not None and characters is None:
                candidates.append((head + 1, -word[0], word[1]))
                continue
            for key, skip in self._keys[index]:
                start = head + skip
                if start < 0:  # a phrase that opens with a separator, on the padding
                    continue
                if characters is not None:
                    start = int(characters[start])
                length, value, bounded_start, bounded_end = self._entries[key]
                if folded.startswith(key, start) and _stands_alone(
                    folded, start, start + length, bounded_start, bounded_end
                ):
                    candidates.append((start, -length, value))
        return candidates

    def _cache_key(self, hyperscan: Any) -> bytes:
        return repr(self._literals).encode("utf-8")

    def _compile(self, hyperscan: Any) -> tuple[Any, bytes] | None:
        database = hyperscan.Database()
        try:
            database.compile(
                expressions=self._literals,
                ids=list(range(len(self._literals))),
                elements=len(self._literals),
                literal=True,
            )
        except hyperscan.error:
            return None
        return database, b""

    def _restore(self, line: bytes) -> bool:
        return True


def _word_entry(keys: list[tuple[str, int]], entries: dict[str, _Entry[T]]) -> tuple[int, T] | None:
    """The length and value of the one phrase a literal stands for, if it is one ASCII word."""
    (key, _), *others = keys
    if others or not (key.isascii() and key.isalnum()):
        return None
    length, value, _, _ = entries[key]
    return length, value


def _collect_end(
    index: int, start: int, end: int, flags: int, found: list[tuple[int, int]]
) -> None:
    found.append((index, end))
