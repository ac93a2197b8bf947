from __future__ import annotations

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.corpus.shingles import NUM_PERM, SCHEME, SEED, shingle_hashes, signature
from auditor.document import Document


def _datasketch_signature(shingles: np.ndarray) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)
    minhash.update_batch(shingles.tolist())
    digest: np.ndarray = minhash.digest()
    return digest


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=300))
def test_signature_is_datasketchs_affine32_digest(values):
    """Saved indexes hold signatures from datasketch's MinHash; ours must be the same values."""
    shingles = np.unique(np.array(values, dtype=np.uint64))
    ours = signature(shingles)
    assert ours.dtype == np.uint32 and ours.shape == (NUM_PERM,)
    assert np.array_equal(ours, _datasketch_signature(shingles))


def test_signature_of_an_article_is_datasketchs_and_leaves_its_shingles_alone():
    text = "The ministry said on Sunday that talks would resume next week in Geneva. " * 5
    shingles = shingle_hashes(Document(text).token_hashes)
    before = shingles.copy()
    assert np.array_equal(signature(shingles), _datasketch_signature(shingles))
    assert np.array_equal(shingles, before)


def test_near_copies_agree_on_more_signature_values_than_unrelated_texts():
    first = "Officials in Kyiv said the strikes hit the power grid overnight across the east. "
    second = "Farmers in Iowa expect a record harvest after an unusually wet and warm summer. "

    def sign(text: str) -> np.ndarray:
        return signature(shingle_hashes(Document(text).token_hashes))

    original = sign(first * 3 + second)
    agree_copy = np.mean(original == sign(first * 3 + second + "Read more."))
    agree_other = np.mean(original == sign(second * 4))
    assert agree_copy > 0.7 > agree_other
