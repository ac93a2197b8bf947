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
    """Swaps in the alignment of ``copy`` to ``origin`` (word indices), one per changed word.

    A replaced run of equal length on both sides is split word by word (two neighbouring
    swaps are two swaps); an unequal one up to ``max_words`` stays whole ("cut back" for
    "reduce"). One or two words that only the copy has, next to a word both share, are an
    expansion ("newspaper headline" for "headline") and count as a swap of that word.
    """
    ops = Levenshtein.opcodes(copy, origin)
    for index, op in enumerate(ops):
        copy_len, origin_len = op.src_end - op.src_start, op.dest_end - op.dest_start
        if op.tag == "replace" and copy_len == origin_len:
            for k in range(copy_len):
                yield Substitution(
                    op.src_start + k, op.src_start + k + 1, op.dest_start + k, op.dest_start + k + 1
                )
        elif op.tag == "replace" and copy_len <= max_words and origin_len <= max_words:
            yield Substitution(op.src_start, op.src_end, op.dest_start, op.dest_end)
        elif op.tag == "delete" and copy_len <= 2:
            after = ops[index + 1] if index + 1 < len(ops) else None
            before = ops[index - 1] if index > 0 else None
            if after is not None and after.tag == "equal":
                yield Substitution(
                    op.src_start, op.src_end + 1, after.dest_start, after.dest_start + 1
                )
            elif before is not None and before.tag == "equal":
                yield Substitution(
                    op.src_start - 1, op.src_end, before.dest_end - 1, before.dest_end
                )
