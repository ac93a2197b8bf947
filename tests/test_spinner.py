from __future__ import annotations

import auditor
from auditor import Auditor, Config
from auditor.readers import read_directory

SPN = Config(select=("SPN", "LNG"))


def spinner(result):
    return [f for f in result.findings if f.family == "spinner"]


def test_seed_004_is_spun_with_the_originals_as_suggestions(seed_text):
    result = auditor.audit(seed_text("004"), config=SPN)
    swaps = {(f.evidence.lower(), f.suggestion) for f in spinner(result) if f.suggestion}
    assert ("crimson traces", "red lines") in swaps
    assert ("vitality grid", "energy grid") in swaps
    assert ("utilizing", "using") in swaps
    distinct = {
        (f.code, f.evidence.lower())
        for f in spinner(result)
        if f.code in ("SPN001", "SPN002", "SPN010")
    }
    assert len(distinct) >= 20
    assert result.metrics["spun"] == "likely"
    assert "SPN003" in {f.code for f in spinner(result)}


def test_seed_000_is_padded_by_a_language_model(seed_text):
    result = auditor.audit(seed_text("000"), config=SPN)
    phrases = {f.evidence.lower() for f in spinner(result) if f.code == "SPN020"}
    assert {"in conclusion", "paints a picture", "remain to be seen"} <= phrases
    assert "SPN022" in {f.code for f in spinner(result)}
    # its model vocabulary ("populace", "reassessment", "signify") reads as rewritten, not as
    # the dense swapping of a spinner
    assert result.metrics["spun"] in ("no", "possible")


def test_other_seeds_have_few_spinner_findings(seeds):
    for audit in Auditor(SPN).iter_audits(read_directory(seeds)):
        if audit.id[:3] in ("001", "002", "003"):
            warnings = [f for f in spinner(audit) if f.severity.label != "info"]
            assert len(warnings) <= 1, (audit.id, [f.evidence for f in warnings])
            assert audit.metrics["spun"] == "no"


def test_single_llm_words_do_not_fail_an_article_but_a_dense_text_does():
    one = "The decision was pivotal for the region, officials said on Sunday. " * 3
    dense = (
        "In conclusion, the multifaceted and intricate implications underscore a pivotal "
        "moment that paints a picture of a meticulous, nuanced and ever-evolving landscape. "
    )
    assert "SPN022" not in {f.code for f in spinner(auditor.audit(one, config=SPN))}
    assert "SPN022" in {f.code for f in spinner(auditor.audit(dense * 3, config=SPN))}


def test_tortured_phrases_are_matched_with_their_expected_term():
    result = auditor.audit(
        "Researchers used counterfeit consciousness and profound learning to rank the photos.",
        config=SPN,
    )
    found = {(f.evidence, f.suggestion) for f in spinner(result) if f.code == "SPN010"}
    assert ("counterfeit consciousness", "artificial intelligence") in found
    assert ("profound learning", "deep learning") in found


THESAURUS_SPUN = (
    "The squad lost its captain to a dorsum injury in the following hebdomad. The "
    "business concern that owns the club said the deal was worth one thousand thousand "
    "dollars, and the manager expressed his vexation betwixt two training sessions. "
    "Supporters gathered at the edifice before the match on the eventide of the game. "
)


def test_thesaurus_swaps_no_list_knows_make_an_article_spun():
    result = auditor.audit(THESAURUS_SPUN * 2, config=SPN)
    swaps = {(f.evidence, f.suggestion) for f in spinner(result) if f.code == "SPN040"}
    assert ("hebdomad", "week") in swaps
    assert ("one thousand thousand", "million") in swaps
    assert ("edifice", "building") in swaps
    assert "SPN023" in {f.code for f in spinner(result)}
    assert result.metrics["spun"] in ("possible", "likely")


def test_one_rare_word_is_counted_but_not_shown():
    text = (
        "The minister returned to his abode in the capital on Sunday. "
        + (
            "He said the government would publish its budget plan next week and that talks "
            "with unions and officials from the region would continue until spring. "
        )
        * 12
    )
    result = auditor.audit(text, config=SPN)
    assert result.metrics["thesaurus_swaps_per_1000_words"] > 0
    assert not [f for f in spinner(result) if f.code in ("SPN040", "SPN023")]
    assert result.metrics["spun"] == "no"


def test_capitalised_words_are_names_unless_they_open_a_sentence():
    names = (THESAURUS_SPUN * 2).replace("hebdomad", "Hebdomad").replace("edifice", "Edifice")
    shown = {f.evidence for f in spinner(auditor.audit(names, config=SPN)) if f.code == "SPN040"}
    assert "Hebdomad" not in shown and "Edifice" not in shown
    opening = "Edifice after edifice was cleared. " + THESAURUS_SPUN * 2
    shown = {f.evidence for f in spinner(auditor.audit(opening, config=SPN)) if f.code == "SPN040"}
    assert "Edifice" in shown
