from __future__ import annotations

import functools
import os
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


EDGE_PHRASES = [
    ("war", "war"),
    ("state-of-the-art", "hyphens"),
    ("state of the art", "spaces"),  # looks like the hyphenated one to Hyperscan
    ("-ish", "suffix"),  # opens with a separator: no word boundary before it
    ("'s", "possessive"),
    ("café", "accent"),
    ("naïve approach", "accented phrase"),
    ("«", "lone separator"),
    ("ok.", "ends with a separator"),
    ("|", "bar"),  # one byte, all separator: also on the padding before the text
]


@functools.cache
def matchers() -> tuple[PhraseMatcher[str], PhraseMatcher[str]]:
    """The same phrases found by Python's automaton and by Hyperscan's literals."""
    with mock.patch.dict(os.environ, {"AUDITOR_NO_CACHE": "1"}):
        python = PhraseMatcher(EDGE_PHRASES, build_after=10**9)
        list(python.find(""))  # looked up no cached database: stays in Python
    hyperscan = PhraseMatcher(EDGE_PHRASES, build_after=0)
    list(hyperscan.find(""))
    assert hyperscan.active and not python.active
    return python, hyperscan


def test_hyperscan_finds_phrases_next_to_separators_and_wide_characters():
    pytest.importorskip("hyperscan")
    _, hyperscan = matchers()
    text = "«Café’s state-of-the-art war» toward a naïve approach, warfare -ish ok. éwar war"
    assert find(hyperscan, text) == [
        ("«", "lone separator"),
        ("Café", "accent"),
        ("’s", "possessive"),
        ("state-of-the-art", "hyphens"),
        ("war", "war"),
        ("naïve approach", "accented phrase"),
        ("-ish", "suffix"),
        ("ok.", "ends with a separator"),
        ("war", "war"),
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "war",
                "state",
                "of",
                "the",
                "art",
                "-",
                "ish",
                "'",
                "’",
                "s",
                "café",
                "naïve",
                "approach",
                "«",
                "ok",
                "|",
                ".",
                " ",
                "\n",
                "é",
                "ß",
                "İ",
                "🙂",
                "\u00a0",
                "x",
                "1",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_hyperscan_finds_what_the_automaton_finds(text):
    pytest.importorskip("hyperscan")
    python, hyperscan = matchers()
    folded = fold(text)
    assert list(hyperscan.find(folded)) == list(python.find(folded))


def test_the_phrase_database_is_built_once_and_kept_for_the_next_process(tmp_path, monkeypatch):
    pytest.importorskip("hyperscan")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path))
    first = PhraseMatcher([("red lines", "r")], build_after=1)
    assert find(first, "crossed red lines") == [("red lines", "r")]
    assert not first.active and not list(tmp_path.iterdir())
    assert find(first, "Red Lines, unread lines") == [("Red Lines", "r")]
    assert first.active and len(list(tmp_path.iterdir())) == 1
    later = PhraseMatcher([("red lines", "r")], build_after=1000)
    assert find(later, "their red lines") == [("red lines", "r")]
    assert later.active  # loaded before its first text
    assert later._automaton is None  # the Aho-Corasick automaton was never needed
