from __future__ import annotations

from auditor.matching import PhraseMatcher, fold


def find(matcher: PhraseMatcher[str], text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.value) for m in matcher.find(fold(text))]


def test_matches_whole_words_only_and_ignores_case():
    matcher = PhraseMatcher([("war", "w")])
    assert find(matcher, "The War began; an award; warfare; war.") == [("War", "w"), ("war", "w")]


def test_prefers_the_longest_phrase_at_a_position_and_never_overlaps():
    matcher = PhraseMatcher([("red", "r"), ("red lines", "rl"), ("lines of", "lo")])
    assert find(matcher, "crossing red lines of defence") == [("red lines", "rl")]


def test_curly_and_straight_apostrophes_match_alike():
    matcher = PhraseMatcher([("it's time", "t")])
    assert find(matcher, "It’s time to go") == [("It’s time", "t")]


def test_phrases_with_irregular_spacing_are_normalised():
    matcher = PhraseMatcher([("  read   more ", "m")])
    assert matcher.size == 1
    assert find(matcher, "Read more: the rest") == [("Read more", "m")]


def test_empty_matcher_finds_nothing():
    assert list(PhraseMatcher([]).find("anything")) == []
