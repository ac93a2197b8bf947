from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.corpus import banding


def _pairs_one_by_one(keys: np.ndarray) -> set[tuple[int, int]]:
    """The rule read literally: in each band, every pair of a bucket, or the first member with
    each other one when the bucket is larger than MAX_BUCKET."""
    found = set()
    for band in range(keys.shape[1]):
        buckets: dict[int, list[int]] = {}
        for row, key in enumerate(keys[:, band].tolist()):
            buckets.setdefault(key, []).append(row)
        for members in buckets.values():
            if len(members) > banding.MAX_BUCKET:
                found.update((members[0], other) for other in members[1:])
            else:
                found.update(itertools.combinations(members, 2))
    return found


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=90),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=6),
    st.randoms(use_true_random=False),
)
def test_candidate_pairs_are_the_pairs_of_each_bucket_once_and_sorted(rows, bands, values, rng):
    keys = np.array(
        [[rng.randrange(values) for _ in range(bands)] for _ in range(rows)], dtype=np.uint64
    ).reshape(rows, bands)
    pairs = banding.candidate_pairs(keys)
    assert pairs.shape[1] == 2 and pairs.dtype == np.int64
    as_tuples = [tuple(pair) for pair in pairs.tolist()]
    assert as_tuples == sorted(_pairs_one_by_one(keys))


def test_a_bucket_larger_than_the_limit_pairs_its_first_member_only():
    size = banding.MAX_BUCKET + 6
    positions = np.arange(100, 100 + size, dtype=np.int64)[::-1].copy()
    pairs = banding.bucket_pairs(np.zeros(size, dtype=np.uint64), positions)
    assert sorted(map(tuple, pairs.tolist())) == [(100, 100 + n) for n in range(1, size)]


def test_a_position_met_twice_in_a_bucket_is_not_paired_with_itself():
    pairs = banding.bucket_pairs(np.array([7, 7, 7], dtype=np.uint64), np.array([3, 3, 5]))
    assert banding.unique_pairs(pairs).tolist() == [[3, 5]]
