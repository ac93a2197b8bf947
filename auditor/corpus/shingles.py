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
SHINGLE = 3
"""Word 3-grams: copies of news share far fewer long n-grams than web duplicates do."""

_MIX = np.uint64(0x9E3779B1)
_MASK = np.uint64(0xFFFFFFFF)


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
def _permutations() -> np.ndarray:
    from datasketch import MinHash  # with SciPy, half a second: only runs that compare pay

    permutations: np.ndarray = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    return permutations


def signature(shingles: np.ndarray) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint32 values) of a set of shingle hashes."""
    from datasketch import MinHash

    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int, permutations=_permutations()
    )
    if len(shingles):
        minhash.update_batch(shingles.tolist())
    values: np.ndarray = minhash.digest().astype(np.uint32)
    return values
