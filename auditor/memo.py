"""A table of per-word values, computed on first sight and kept for the next articles.

Most of any article's words were in the articles before it: word frequencies fall steeply, and
a few thousand words make up most of news text. Looked up with ``map(table.__getitem__,
words)``, a word already seen never leaves C; only a new word runs the Python that computes
its value (a syllable count from a dictionary larger than the processor's caches, the class
of a character beyond the BMP). The table starts again when full, because names and typos never
stop coming, so memory stays flat however long the corpus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """``compute(key)`` for each key, remembered for at most ``limit`` keys at a time."""

    __slots__ = ("compute", "limit")

    def __init__(self, compute: Callable[[K], V], limit: int) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: K) -> V:
        value = self.compute(key)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
