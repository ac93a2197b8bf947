"""Phrase matching in one pass: every phrase of a pack goes into one Aho-Corasick automaton.

Looping over thousands of phrases, or joining them into one regex alternation, costs time in
proportion to the number of phrases; the automaton costs time in proportion to the text.
Matching is case-insensitive, treats curly and straight apostrophes alike and only accepts
matches that start and end on word boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

T = TypeVar("T")

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def fold(text: str) -> str:
    """Lower-case and unify quotes without changing the length, so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) != len(text):  # rare characters whose lower case is longer ("İ")
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    start: int
    end: int
    value: T


class PhraseMatcher(Generic[T]):
    """Finds the leftmost-longest, non-overlapping, word-bounded phrases of a set."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        for phrase, value in phrases:
            key = " ".join(fold(phrase).split())
            if key and key not in self._automaton:
                # a key that starts (ends) with a letter or digit needs a word boundary there
                entry = (len(key), value, key[0].isalnum(), key[-1].isalnum())
                self._automaton.add_word(key, entry)
                self.size += 1
        if self.size:
            self._automaton.make_automaton()

    def find(self, folded: str) -> Iterator[Match[T]]:
        """Matches in ``folded`` (a text already passed through :func:`fold`)."""
        if not self.size:
            return
        candidates = []
        final = len(folded) - 1
        for last, (length, value, bounded_start, bounded_end) in self._automaton.iter(folded):
            start = last + 1 - length
            # inline: this loop sees every occurrence of every key, most of them inside words
            if bounded_end and last < final and folded[last + 1].isalnum():
                continue
            if bounded_start and start and folded[start - 1].isalnum():
                continue
            candidates.append((start, -length, value))
        candidates.sort(key=lambda item: (item[0], item[1]))
        reached = 0
        for start, negative_length, value in candidates:
            if start >= reached:
                reached = start - negative_length
                yield Match(start, reached, value)
