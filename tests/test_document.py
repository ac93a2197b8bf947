from __future__ import annotations

from auditor.document import Document


def test_every_view_points_into_the_original_text(seed_text):
    doc = Document(seed_text("002"))
    for view in (doc.lines, doc.paragraphs, doc.sentences):
        assert view
        for span in view:
            assert doc.text[span.start : span.end] == span.text
    assert len(doc.word_starts) == len(doc.words) > 100
    for start, word in zip(doc.word_starts, doc.words, strict=True):
        assert doc.text.startswith(word, start)


def test_lines_keep_blank_lines_so_indices_are_line_numbers():
    doc = Document("one\n\nthree\n")
    assert [span.text for span in doc.lines] == ["one", "", "three", ""]
    assert doc.line_col(doc.text.index("three")) == (3, 1)
    assert doc.line_col(doc.text.index("ree")) == (3, 3)


def test_paragraphs_split_on_blank_lines_only():
    doc = Document("First line\nsame paragraph.\n\n  \nSecond paragraph.")
    assert [p.text for p in doc.paragraphs] == ["First line\nsame paragraph.", "Second paragraph."]


def test_sentences_do_not_split_after_abbreviations_or_initials():
    doc = Document(
        "U.S. officials met Mr. Smith at 5 p.m. on Sunday. John F. Kennedy was not there! "
        "Was it late? Yes."
    )
    assert [s.text for s in doc.sentences] == [
        "U.S. officials met Mr. Smith at 5 p.m. on Sunday.",
        "John F. Kennedy was not there!",
        "Was it late?",
        "Yes.",
    ]


def test_sentences_end_at_line_breaks_and_keep_closing_quotes():
    doc = Document("He said: “Missiles will speak for themselves.” Then he left\nA headline")
    assert [s.text for s in doc.sentences] == [
        "He said: “Missiles will speak for themselves.”",
        "Then he left",
        "A headline",
    ]


def test_words_keep_hyphens_and_apostrophes_inside_words():
    doc = Document("Russia’s long-range ATACMS aren't cheap.")
    assert doc.words == ["Russia’s", "long-range", "ATACMS", "aren't", "cheap"]
    assert doc.word_count == 5
    assert doc.words_in(doc.sentences[0]) == 5


def test_word_counts_of_every_sentence_and_line_are_counted_per_span(seed_text):
    doc = Document(seed_text("002") + "\n\nA short line\n\n   \nLast one. Two more words.")
    assert doc.sentence_words == [doc.words_in(s) for s in doc.sentences]
    assert doc.line_words == [doc.words_in(line) for line in doc.lines]
    assert doc.line_words[-5:] == [0, 3, 0, 0, 5]
    assert sum(doc.line_words) == doc.word_count
    assert [words for _, words in doc.filled_lines[-2:]] == [3, 5]


def test_folded_text_has_the_same_length_even_for_expanding_characters():
    doc = Document("İstanbul “Quoted” Text")
    assert len(doc.folded) == len(doc.text)
    assert doc.folded.endswith('"quoted" text')


def test_empty_document_has_no_views():
    doc = Document("")
    assert doc.paragraphs == [] and doc.sentences == [] and doc.words == []
    assert doc.line_col(0) == (1, 1)


def test_token_hashes_are_the_string_hash_of_each_token(seed_text):
    from auditor.runhash import string_hash

    for text in (seed_text("003"), "Kyiv’s war \ud800lone surrogate, KYIV war again", ""):
        doc = Document(text)
        assert doc.token_hashes.tolist() == [string_hash(t) for t in doc.tokens]


def test_a_memo_computes_each_key_once_until_it_starts_again():
    from auditor.memo import Memo

    calls: list[str] = []
    table = Memo(lambda word: calls.append(word) or len(word), limit=2)
    assert [table[w] for w in ("war", "war", "kyiv", "war")] == [3, 3, 4, 3]
    assert calls == ["war", "kyiv"]
    assert table["strike"] == 6  # the third key: the table starts again with it
    assert dict(table) == {"strike": 6}
    assert table["war"] == 3 and calls == ["war", "kyiv", "strike", "war"]
