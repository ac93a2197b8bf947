"""LSH banding over MinHash signatures, as sorted arrays rather than hash tables.

Each signature is cut into ``bands`` runs of ``rows`` values and each run is hashed to one
64-bit band key. Two articles are candidates when they share a band key. Instead of inserting
every key into a dictionary (datasketch's MinHashLSH keeps a Python dict per band, about 100
bytes an entry), the keys are kept in a NumPy array and candidates come from sorting each band
column: memory is 8 bytes a key, and the same computation is a shuffle on band keys when the
corpus is spread over machines.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def candidate_pairs(keys: np.ndarray) -> Iterator[tuple[int, int]]:
    """Pairs (i < j) of rows of ``keys`` (articles x bands) that share a key in some band."""
    seen: set[tuple[int, int]] = set()
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        ends = np.append(starts[1:], len(ordered))
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            members = np.sort(order[start:end])
            if end - start > MAX_BUCKET:
                pairs = ((int(members[0]), int(m)) for m in members[1:])
            else:
                pairs = ((int(a), int(b)) for i, a in enumerate(members) for b in members[i + 1 :])
            for pair in pairs:
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def estimated_jaccard(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Share of equal MinHash values for each pair (rows of ``pairs``)."""
    if len(pairs) == 0:
        return np.zeros(0)
    equal = signatures[pairs[:, 0]] == signatures[pairs[:, 1]]
    shares: np.ndarray = equal.mean(axis=1)
    return shares
