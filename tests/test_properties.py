"""Properties that hold for any text: no exception, spans inside the text, evidence equal to
the text at the span, scores in range, the same result twice, and nothing for the boilerplate
rules to find once the flagged lines are stripped."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import auditor
from auditor import document
from auditor.clean import strip_boilerplate
from auditor.document import Document
from auditor.runhash import string_hash

NEWSY = st.lists(
    st.sampled_from(
        [
            "President Joe Biden has authorized Ukraine to use long-range missiles.",
            "Read more:",
            "Source: www.example.com",
            "realtybizideas banner",
            "houzez-header-1",
            "Officials reportedly said the decision was final.",
            "“It will speak,” he said.",
            "Embed from Getty Images",
            "\n",
            "\n\n",
            "In conclusion, it remains to be seen.",
            "crimson traces",
            "Photo: A. Person, AP",
            "<script>alert(1)</script>",
            "\u202e\u0000",
        ]
    ),
    max_size=25,
).map(" ".join)
TEXT = st.one_of(st.text(max_size=400), NEWSY)
WORDY = st.text(alphabet="aZé1_ -'’.\u0130\u212a\u00b2\u0663\ud800\U0001d400", max_size=80)
"""Word characters and joiners, and characters whose case or category is unusual."""
SENTENCE_PARTS = [*'aB. !?…\n"”’)', "U.S.", "Mr.", "J. ", "etc.", "..."]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_any_text_audits_with_consistent_findings(text):
    result = auditor.audit(text)
    assert result.status in ("ok", "error")
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.evidence
        assert finding.line >= 1 and finding.column >= 1
    scores = [result.score, *result.family_scores.values()]
    assert all(score is None or 0 <= score <= 100 for score in scores)
    assert auditor.audit(text).to_dict() == result.to_dict()


@SETTINGS
@given(st.one_of(TEXT, WORDY, st.text(alphabet="aé1_ -'’.\n", max_size=60)))
def test_words_and_their_offsets_are_the_word_pattern_matches(text):
    doc = Document(text)
    matches = list(re.finditer(r"\w+(?:['’\-]\w+)*", text))
    assert doc.words == [m.group() for m in matches]
    assert doc.word_starts == [m.start() for m in matches]


@SETTINGS
@given(st.one_of(TEXT, WORDY))
def test_tokens_and_their_spans_are_the_runs_of_word_characters(text):
    doc = Document(text)
    matches = list(re.finditer(r"\w+", doc.folded))
    assert doc.tokens == [m.group() for m in matches]
    assert doc.token_spans == [m.span() for m in matches]


@SETTINGS
@given(st.one_of(TEXT, WORDY))
def test_token_hashes_are_each_tokens_own_hash(text):
    doc = Document(text)
    assert doc.token_hashes.tolist() == [string_hash(token) for token in doc.tokens]


@SETTINGS
@given(st.one_of(TEXT, st.lists(st.sampled_from(SENTENCE_PARTS), max_size=40).map("".join)))
def test_sentences_split_the_text_at_ends_and_line_breaks_only(text):
    doc = Document(text)
    sentences = doc.sentences
    covered = "".join(text[s.start : s.end] for s in sentences)
    assert "".join(covered.split()) == "".join(text.split())  # every visible character, once
    assert all(s.text == s.text.strip() and "\n" not in s.text for s in sentences)
    for before, after in itertools.pairwise(sentences):
        assert before.end <= after.start
        gap = text[before.end : after.start]
        assert not gap.strip()  # nothing between two sentences but white space
        # a sentence ends at a line break, or at terminal punctuation (and closers)
        assert "\n" in gap or re.search(r"[.!?…][\"'”’)\]]*$", before.text)


ABBREVIATED_PARTS = [*" .\n!?…”", "U", "u", "S", "Mr", "mR", "p.m", "e.g", "J", "j", "É", "x", "ſt"]
ABBREVIATED_PARTS += ["\u212a", "İ"]  # the Kelvin sign lower-cases to k; İ to two characters
_ANY_END = re.compile(r"[.!?…\n](?<![.!?…][.!?…])(?:(?<=\n)|[.!?…]*+[\"'”’)\]]*+(?=\s))")
"""Every end of a run of terminal marks and closers before white space, and every line break."""


@SETTINGS
@given(st.lists(st.sampled_from(ABBREVIATED_PARTS), max_size=30).map("".join))
def test_sentences_end_where_a_period_closes_no_abbreviation_read_token_by_token(text):
    """A period closes an abbreviation when the run of word characters and periods before it,
    lower-cased, is one of them, or an initial when that run is one capital letter."""
    abbreviated = set()
    for period in (i for i, char in enumerate(text) if char == "."):
        start = period
        while start and (text[start - 1].isalnum() or text[start - 1] in "._"):
            start -= 1
        token = text[start:period]
        if token.lower() in document._ABBREVIATIONS or (
            len(token) == 1 and token.isalpha() and token.isupper()
        ):
            abbreviated.add(period)
    expected = [end.end() for end in _ANY_END.finditer(text) if end.start() not in abbreviated]
    assert document._sentence_ends(text, Document(text).line_starts) == expected


@SETTINGS
@given(st.one_of(TEXT, WORDY, st.text(alphabet="ab é\n\n-", max_size=80)))
def test_each_filled_lines_form_is_its_runs_of_word_characters(text):
    doc = Document(text)
    lines = [line for line, _ in doc.filled_lines]
    expected = [" ".join(re.findall(r"\w+", doc.folded[line.start : line.end])) for line in lines]
    assert doc.filled_line_forms == expected


@SETTINGS
@given(st.lists(st.sampled_from([*'“”"«» \nab']), max_size=40).map("".join))
def test_quotations_are_read_mark_by_mark_and_end_at_line_breaks(text):
    """An opening mark starts a quotation when none is open; its own closing mark ends it."""
    closing = {"“": "”", "«": "»", '"': '"'}
    expected, opened = [], None
    for position, char in enumerate(text):
        if char == "\n":
            opened = None
        elif opened is not None and char == closing[opened[1]]:
            expected.append((opened[0], position + 1))
            opened = None
        elif opened is None and char in closing:
            opened = (position, char)
    assert Document(text).quote_spans == expected


HTML_PARTS = [
    *"<>{}[]=:;&\"'” \na",
    "<div ",
    "[caption",
    "{a:b;c}",
    "class=",
    "id=",
    "&lt;",
    "&nbsp;",
]


@SETTINGS
@given(st.lists(st.sampled_from(HTML_PARTS), max_size=12).map("".join))
def test_the_html_residue_gate_never_hides_residue(text):
    from auditor.families.boilerplate import _HTML_RESIDUE, has_html_residue

    every_kind = re.compile("|".join(pattern.pattern for _, pattern in _HTML_RESIDUE))
    assert has_html_residue(text) == (every_kind.search(text) is not None)


@SETTINGS
@given(NEWSY)
def test_stripped_text_has_nothing_left_for_the_boilerplate_rules(text):
    result = auditor.audit(text)
    cleaned = strip_boilerplate(text)
    again = auditor.audit(cleaned)
    before = {f.evidence for f in result.findings if f.family == "boilerplate"}
    after = {f.evidence for f in again.findings if f.family == "boilerplate"}
    assert not (before & after)


@SETTINGS
@given(st.text(alphabet="ab1_ é.\n", max_size=300), st.integers(min_value=1, max_value=80))
def test_a_prefix_decides_whether_a_passage_has_enough_letters(text, least):
    from auditor.families.language import _has_letters, _letters

    assert _has_letters(text, least) == (_letters(text) >= least)


@SETTINGS
@given(st.text(alphabet="aZz1_ .'-\n\t\x1c", max_size=120))
def test_letters_of_ascii_text_are_counted_as_the_letter_pattern_counts_them(text):
    from auditor.families.language import _LETTER_WORD, _letters

    assert _letters(text) == sum(map(len, _LETTER_WORD.findall(text)))


@SETTINGS
@given(st.text(alphabet="aZ1_ é.’“”\u00a0\u212aİ-", max_size=80))
def test_letter_words_read_from_the_folded_text_are_the_same(text):
    """The folded span is ASCII for most passages, and then a-z are all its letters."""
    from auditor.families.language import letter_words
    from auditor.matching import fold

    assert letter_words(text, fold(text)) == letter_words(text)


LINE_FORMS = st.lists(
    st.text(alphabet="aab cd\u00e9\u0436\U0001d400", min_size=1, max_size=30),
    min_size=2,
    max_size=40,
)


@SETTINGS
@given(LINE_FORMS, st.sampled_from([50.0, 85.0, 95.0]))
def test_no_pair_of_lines_that_reaches_the_cutoff_is_left_out(texts, cutoff):
    """The character-count bound only spares alignments that cannot reach the cutoff: every
    pair rapidfuzz scores at or above it is among the candidates, in the order checked."""
    from rapidfuzz import fuzz

    from auditor.families.duplication import _may_be_similar

    candidates = list(_may_be_similar(texts, cutoff))
    assert candidates == sorted(candidates)
    for later in range(len(texts)):
        for earlier in range(later):
            if fuzz.ratio(texts[later], texts[earlier], score_cutoff=cutoff):
                assert (later, earlier) in candidates


@SETTINGS
@given(st.text(alphabet="aZ .'\"’‘“”«»\u00a0\u212aİé—", max_size=80))
def test_folding_lowers_each_character_and_unifies_quotes(text):
    from auditor.matching import fold

    plain = {"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "}
    lowered = (c.lower() if len(c.lower()) == 1 else c for c in text)
    assert fold(text) == "".join(plain.get(c, c) for c in lowered)
