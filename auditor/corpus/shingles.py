"""Stable word hashes, word n-gram shingles and MinHash signatures.

Hashes must not depend on the process (Python's ``hash`` of a string does, per interpreter
run), because signatures are computed in worker processes and saved in indexes that later runs
extend. The token hashes (:mod:`auditor.runhash`) depend only on each token's characters, and
32 bits is all MinHash needs.
"""

from __future__ import annotations

from functools import cache

import numpy as np

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
"""datasketch's name for the permutations :func:`signature` applies."""
SHINGLE = 3
"""Word 3-grams: copies of news share far fewer long n-grams than web duplicates do."""

_MIX = np.uint64(0x9E3779B1)
_MASK = np.uint64(0xFFFFFFFF)
_EMPTY = np.uint32(0xFFFFFFFF)
"""A signature's values before any shingle."""


def shingle_hashes(hashes: np.ndarray, size: int = SHINGLE) -> np.ndarray:
    """Hashes of every run of ``size`` consecutive words (the whole text if it is shorter)."""
    if len(hashes) == 0:
        return hashes
    if len(hashes) < size:
        size = len(hashes)
    combined = hashes[: len(hashes) - size + 1].copy()
    for offset in range(1, size):
        combined = ((combined * _MIX) ^ hashes[offset : len(hashes) - size + 1 + offset]) & _MASK
    return np.unique(combined)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The multipliers (odd) and offsets of datasketch's ``affine32`` permutations for
    ``SEED``, drawn from the same seeded generator in the same order."""
    generator = np.random.RandomState(SEED)
    multipliers = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + 1
    offsets = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return multipliers, offsets


def signature(shingles: np.ndarray) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint32 values) of a set of shingle hashes.

    The values are datasketch's ``MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32",
    hashfunc=int)`` digest (the tests compare them), so indexes saved by earlier versions stay
    comparable. Computed here because importing datasketch imports SciPy's integration module
    for its LSH (0.35 s in every process), and its ``update_batch`` takes a Python list: 0.13 ms
    an article, against 0.06 ms for the same arithmetic on the array."""
    if not len(shingles):
        return np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    mixed = _fmix32(shingles.astype(np.uint32))
    multipliers, offsets = _permutations()
    permuted = mixed[:, None] * multipliers + offsets  # wraps: modulo 2**32
    smallest: np.ndarray = permuted.min(axis=0)
    return smallest


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, a bijection that spreads structured input over all bits
    before the affine permutations."""
    values ^= values >> 16
    values *= np.uint32(0x85EBCA6B)
    values ^= values >> 13
    values *= np.uint32(0xC2B2AE35)
    values ^= values >> 16
    return values
