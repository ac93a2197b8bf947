from __future__ import annotations

import auditor
from auditor import Auditor, Config
from auditor.document import Document
from auditor.families.hedging import classify_sentences, on_record_spans
from auditor.readers import read_directory

HDG = Config(select=("HDG", "LNG"))


def hedging(result):
    return [f for f in result.findings if f.family == "hedging"]


def test_seed_002_carries_the_heaviest_hedging_penalty(seeds):
    penalties = {
        a.id[:3]: sum(f.weight for f in hedging(a))
        for a in Auditor(HDG).iter_audits(read_directory(seeds))
    }
    assert max(penalties, key=penalties.__getitem__) == "002"
    assert penalties["002"] > 2 * max(v for k, v in penalties.items() if k != "002")


def test_seed_002_unconfirmed_and_anonymous_claims_have_their_codes(seed_text):
    found = {(f.code, f.evidence) for f in hedging(auditor.audit(seed_text("002"), config=HDG))}
    assert ("HDG003", "have not yet confirmed") in found
    assert ("HDG002", "sources suggest") in found
    assert ("HDG003", "if confirmed") in found
    assert any(code == "HDG010" for code, _ in found)  # mostly unsourced


def test_zelenskys_telegram_quote_counts_as_on_the_record(seed_text):
    text = seed_text("001")
    result = auditor.audit(text, config=HDG)
    labels = dict(
        (s.text[:40], label)
        for s, label in classify_sentences(Document(text), list(result.findings))
    )
    (telegram,) = [
        label
        for start, label in labels.items()
        if "Zelensky stated" in start or start.startswith("Responding to the news")
    ]
    assert telegram == "sourced"
    assert result.metrics["share_sourced"] > 0


def test_words_inside_quotation_are_the_speakers_not_the_reporters():
    quoted = "“The missiles might possibly speak for themselves,” Zelensky said on Sunday."
    reported = "The missiles might possibly speak for themselves, officials suggested on Sunday."
    assert not hedging(auditor.audit(quoted, config=HDG))
    assert {f.code for f in hedging(auditor.audit(reported, config=HDG))} >= {"HDG001"}


def test_a_sentence_weighs_once_however_many_cues_it_has():
    one = "Russian officials are reportedly considering evacuating families from the regions."
    three = (
        "Russian officials are reportedly and allegedly considering evacuating families, "
        "which may have been planned."
    )
    weight = lambda text: sum(f.weight for f in hedging(auditor.audit(text, config=HDG)))  # noqa: E731
    assert len(hedging(auditor.audit(three, config=HDG))) >= 3
    assert weight(three) == weight(one)


def test_sentence_metrics_are_shares():
    text = (
        "The White House has not confirmed the report. Sources said the decision was final. "
        "The strikes reportedly began on Monday. Pentagon spokesman Pat Ryder said the "
        "weapons were delivered. The missiles have a range of 190 miles."
    )
    metrics = auditor.audit(text, config=HDG).metrics
    assert (
        metrics["share_unconfirmed"],
        metrics["share_vague"],
        metrics["share_hedged"],
        metrics["share_sourced"],
        metrics["share_plain"],
    ) == (0.2, 0.2, 0.2, 0.2, 0.2)
    assert metrics["unsourced_share"] == 0.6


def on_record(text):
    doc = Document(text)
    return [text[start:end] for spans in on_record_spans(doc).values() for start, end in spans]


def test_named_attribution_needs_a_name():
    assert on_record("said Maureen Connelly, a spokeswoman") == ["said Maureen Connelly"]
    assert on_record("Two officials said the decision was final.") == []
    assert on_record("The decision, confirmed by two US officials, comes as troops mass.") == []
    assert on_record("“Zelensky said so,” he wrote. Zelensky said no.") == ["Zelensky said"]


# an attribution at a sentence's end: a pass over the whole text reads on into the next
# sentence ("Leader. The") and rejects it; the sentence alone is sourced
ATTRIBUTION_AT_SENTENCE_END = (
    "The ads cost the state $449,000, according to the Sioux Falls Argus Leader.\n"
    "The governor defended the campaign in a statement on Monday."
)


def test_on_record_findings_stop_at_the_sentence_end():
    text = ATTRIBUTION_AT_SENTENCE_END
    audit = Auditor(Config(select=("HDG006",))).audit_record(auditor.Article(id="a", text=text))
    assert [f.evidence for f in audit.findings] == ["according to the Sioux Falls Argus Leader."]


def test_reports_classify_sentences_as_the_sentence_view_does(seeds):
    """bench/eval.py and reports read classify_sentences; the share metrics come from the
    sentence view: two paths that must agree, or an evaluation cannot see a change to one."""
    from collections import Counter

    from auditor.families.hedging import CLASSES

    edge = auditor.Article(id="edge", text=ATTRIBUTION_AT_SENTENCE_END)
    compared = 0
    for article in [*read_directory(seeds), edge]:
        audit = Auditor(HDG).audit_record(article)
        classes = Counter(c for _, c in classify_sentences(Document(article.text), audit.findings))
        total = max(sum(classes.values()), 1)
        for name in CLASSES:
            assert audit.metrics[f"share_{name}"] == round(classes[name] / total, 4), name
        compared += classes["sourced"] > 0 and classes["hedged"] + classes["vague"] > 0
    assert compared >= 2  # seeds with both sourced and hedged sentences
    assert Auditor(HDG).audit_record(edge).metrics["share_sourced"] == 0.5
