"""The compact langdetect gives langdetect's own results: the same languages with the same
probabilities, to the last bit, for any text and seed."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from conftest import ENGLISH, GERMAN
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.langdetect_fast import probabilities, profiles

PASSAGES = [
    ENGLISH,
    GERMAN,
    "Le gouvernement a confirmé dimanche que les missiles seraient livrés avant la fin du mois.",
    "El gobierno confirmó el domingo que los misiles serían entregados antes de fin de mes.",
    "Il governo ha confermato domenica che i missili saranno consegnati entro la fine del mese.",
    "Правительство в воскресенье подтвердило, что ракеты будут поставлены до конца месяца.",
    "الحكومة أكدت يوم الأحد أن الصواريخ ستسلم قبل نهاية الشهر",
    "政府于周日证实，导弹将在月底前交付。",
    "政府は日曜日、ミサイルが月末までに引き渡されると確認した。",
    "Chính phủ xác nhận hôm Chủ nhật rằng tên lửa sẽ được chuyển giao trước cuối tháng.",
    "Kyiv (AP) — Raketen, missiles and ракеты: https://example.com/a?b=c mail@example.com",
    "WATCH: Biden speaks",
    "2024-11-17 12:00 +++ 555 1234",
    "",
]


@cache
def _factory():
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    return factory


def langdetect_probabilities(text: str, seed: int) -> list[tuple[str, float]]:
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory()
    factory.set_seed(seed)
    detector = factory.create()
    detector.append(text)
    try:
        return [(found.lang, found.prob) for found in detector.get_probabilities()]
    except LangDetectException:  # no n-gram to go on
        return []


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("text", PASSAGES, ids=range(len(PASSAGES)))
def test_the_same_languages_and_probabilities_as_langdetect(text, seed):
    assert probabilities(text, seed) == langdetect_probabilities(text, seed)


@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("aeiou tnrslmdkwyz.,'Äéñøßзыйкаяשלוםحبك中文日本語ệđ\n0"),
        max_size=200,
    )
)
def test_the_same_results_as_langdetect_for_any_text(text):
    assert probabilities(text, 0) == langdetect_probabilities(text, 0)


def test_the_table_holds_langdetect_profiles():
    factory = _factory()
    known = profiles()
    assert known.languages == factory.langlist
    assert known.rows.keys() == factory.word_lang_prob_map.keys()
    ngrams = list(factory.word_lang_prob_map)
    expected = np.array([factory.word_lang_prob_map[ngram] for ngram in ngrams])
    assert np.array_equal(known.table(ngrams), expected[:, : len(known.languages)])
    assert np.array_equal(known.table(ngrams[::-7]), expected[::-7, : len(known.languages)])
