"""Word-level comparison of two texts: how much they share, and where they differ.

Similarity is measured on the sequence of word hashes with rapidfuzz's bit-parallel longest
common subsequence, so word order counts (two articles on the same story share vocabulary but
not sequences) and one text wholly inside a longer one is recognised (containment).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import LCSseq, Levenshtein


@dataclass(frozen=True, slots=True)
class Overlap:
    common: int
    """Words of the longest common subsequence."""
    similarity: float
    """2 * common / (len(a) + len(b)): 1.0 for identical texts."""
    containment: float
    """common / min(len(a), len(b)): 1.0 when the shorter text lies wholly inside the longer."""


def overlap(a: Sequence[int], b: Sequence[int]) -> Overlap:
    if len(a) == 0 or len(b) == 0:
        return Overlap(0, 0.0, 0.0)
    common = LCSseq.similarity(a, b)
    return Overlap(common, 2 * common / (len(a) + len(b)), common / min(len(a), len(b)))


@dataclass(frozen=True, slots=True)
class Substitution:
    """Words ``copy[start:end]`` stand where the origin has ``origin[ostart:oend]``."""

    start: int
    end: int
    origin_start: int
    origin_end: int


def substitutions(
    copy: Sequence[int], origin: Sequence[int], max_words: int = 3
) -> Iterator[Substitution]:
    """Short replaced runs in the alignment of ``copy`` to ``origin`` (word indices)."""
    for op in Levenshtein.opcodes(copy, origin):
        if op.tag != "replace":
            continue
        if op.src_end - op.src_start <= max_words and op.dest_end - op.dest_start <= max_words:
            yield Substitution(op.src_start, op.src_end, op.dest_start, op.dest_end)
