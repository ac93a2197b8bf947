from __future__ import annotations

import numpy as np
import pytest

from auditor import runhash
from auditor.runhash import slice_hashes, string_hash
from auditor.wordchars import code_points


def _hashes(text: str, slices: list[tuple[int, int]]) -> list[int]:
    starts = np.array([start for start, _ in slices], dtype=np.intp)
    ends = np.array([end for _, end in slices], dtype=np.intp)
    return slice_hashes(code_points(text), starts, ends).tolist()


def test_a_slice_hashes_as_its_own_string_wherever_it_lies():
    text = "war, the war; WAR and warfare é\U0001d400"
    slices = [(0, 3), (9, 12), (19, 22), (0, 1), (len(text) - 2, len(text)), (0, len(text))]
    assert _hashes(text, slices) == [string_hash(text[start:end]) for start, end in slices]
    assert _hashes(text, [(0, 3), (9, 12)])[0] == _hashes(text, [(0, 3), (9, 12)])[1]


def test_the_hash_depends_on_every_character_and_its_place():
    words = ["listen", "silent", "enlist", "tinsel", "a", "aa", "aaa", "ab", "ba", "war", "wars"]
    hashes = [string_hash(word) for word in words]
    assert len(set(hashes)) == len(words)
    assert all(0 <= value < 2**32 for value in hashes)


def test_the_commonest_english_words_hash_apart():
    """As CRC-32 does: 50,000 words in 2**32 values leave 0.3 shared hashes expected."""
    from wordfreq import top_n_list

    words = top_n_list("en", 50_000)
    assert len({string_hash(word) for word in words}) == len(words)


@pytest.mark.parametrize("kept", [4, 64])
def test_texts_longer_than_the_kept_powers_hash_the_same(monkeypatch, kept):
    monkeypatch.setattr(runhash, "KEPT_POWERS", kept)
    monkeypatch.setattr(runhash, "_kept", (np.ones(1, dtype=np.uint64),) * 2)
    text = "open-air markets " * 6  # 102 characters: past both
    slices = [(0, 4), (5, 8), (len(text) - 8, len(text) - 1), (0, len(text))]
    for piece in (text[:3], text):  # a short text first, so the table grows, then a long one
        short = [(start, end) for start, end in slices if end <= len(piece)]
        assert _hashes(piece, short) == [string_hash(piece[s:e]) for s, e in short]
    assert len(runhash._kept[0]) <= kept
