"""LSH banding over MinHash signatures, as sorted arrays rather than hash tables.

Each signature is cut into ``bands`` runs of ``rows`` values and each run is hashed to one
64-bit band key. Two articles are candidates when they share a band key. Instead of inserting
every key into a dictionary (datasketch's MinHashLSH keeps a Python dict per band, about 100
bytes an entry), the keys are kept in a NumPy array and candidates come from sorting each band
column: memory is 8 bytes a key, and the same computation is a shuffle on band keys when the
corpus is spread over machines.
"""

from __future__ import annotations

from functools import cache

import numpy as np

_MIX = np.uint64(0x9E3779B97F4A7C15)
MAX_BUCKET = 64
"""A band key shared by more articles than this pairs each of them with the bucket's first
member only: such buckets hold many copies of one text, which the union of clusters joins
anyway, and all-pairs would cost quadratic time."""


@cache
def parameters(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives plus false negatives around ``threshold``,
    integrated over Jaccard similarity, with equal weights (datasketch's criterion)."""
    grid = np.linspace(0.0, 1.0, 201)
    best = (float("inf"), 1, 1)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            probability = 1.0 - (1.0 - grid**rows) ** bands
            below, above = grid <= threshold, grid >= threshold
            false_positive = np.trapezoid(probability[below], grid[below])
            false_negative = np.trapezoid(1.0 - probability[above], grid[above])
            error = float(false_positive + false_negative)
            if error < best[0]:
                best = (error, bands, rows)
    return best[1], best[2]


def band_keys(signature: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 key per band of a uint32 signature."""
    values = signature[: bands * rows].astype(np.uint64).reshape(bands, rows)
    keys = np.zeros(bands, dtype=np.uint64)
    for column in range(rows):
        keys = (keys * _MIX) ^ values[:, column]
    return keys + np.arange(bands, dtype=np.uint64)  # the same run in two bands differs


_EMPTY = np.zeros((0, 2), dtype=np.int64)


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of rows of ``keys`` (articles x bands) that share a key in some band,
    once each, sorted: an array of two columns."""
    positions = np.arange(len(keys), dtype=np.int64)
    return unique_pairs(
        np.concatenate(
            [_EMPTY, *(bucket_pairs(keys[:, band], positions) for band in range(keys.shape[1]))]
        )
    )


def bucket_pairs(keys: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Pairs (a < b) of ``positions`` whose ``keys`` are equal, as rows of an array.

    Buckets of one size are paired in one array operation: a corpus of copies has a hundred
    thousand buckets, and pairs made one by one cost a Python tuple each (140 bytes with its
    set entry, against 16 here)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    sizes = np.diff(np.append(starts, len(ordered)))
    found = [_EMPTY]
    for size in np.unique(sizes[sizes > 1]).tolist():
        rows = starts[sizes == size][:, None] + np.arange(size)
        members = np.sort(positions[order[rows]], axis=1)
        if size > MAX_BUCKET:
            left, right = np.repeat(members[:, :1], size - 1, axis=1), members[:, 1:]
        else:
            first, second = np.triu_indices(size, 1)
            left, right = members[:, first], members[:, second]
        found.append(np.stack((left.ravel(), right.ravel()), axis=1))
    pairs = np.concatenate(found)
    distinct: np.ndarray = pairs[pairs[:, 0] != pairs[:, 1]]
    return distinct


def unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """The distinct rows of a two-column array of non-negative integers, sorted."""
    if not len(pairs):
        return _EMPTY
    width = int(pairs.max()) + 1
    codes = np.unique(pairs[:, 0] * width + pairs[:, 1])
    return np.stack((codes // width, codes % width), axis=1)


PAIRS_AT_ONCE = 16_384
"""Pairs whose signatures are compared in one array operation: both sides' signatures are
gathered, 512 bytes a pair each, and a corpus of 100,000 articles has 800,000 candidates."""


def estimated_jaccard(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Share of equal MinHash values for each pair (rows of ``pairs``)."""
    shares = np.zeros(len(pairs))
    for start in range(0, len(pairs), PAIRS_AT_ONCE):
        chunk = pairs[start : start + PAIRS_AT_ONCE]
        equal = signatures[chunk[:, 0]] == signatures[chunk[:, 1]]
        shares[start : start + len(chunk)] = equal.mean(axis=1)
    return shares
