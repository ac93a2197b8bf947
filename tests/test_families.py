from __future__ import annotations

from conftest import ENGLISH, GERMAN

from auditor import Auditor, Config
from auditor.model import Article


def audit(text: str, *select: str):
    return Auditor(Config(select=select or ("ALL",))).audit_record(Article(id="t", text=text))


def test_readability_figures_are_kept_as_metrics(seed_text):
    metrics = audit(seed_text("001"), "RDB", "LNG").metrics
    assert 0 < metrics["flesch_reading_ease"] < 60
    assert 10 < metrics["grade_level"] < 20
    assert metrics["sentences"] > 15 and 10 < metrics["words_per_sentence"] < 30


def test_unpunctuated_walls_of_text_are_hard_to_read():
    wall = " ".join([ENGLISH.replace(".", "").replace(",", "")] * 3) + "."
    codes = {f.code for f in audit(wall, "RDB", "LNG").findings}
    assert {"RDB001", "RDB003"} <= codes


def test_lists_of_fragments_are_choppy():
    text = "\n".join(["Home.", "News.", "World news.", "Sports today.", "Contact us now."] * 4)
    codes = {f.code for f in audit(text, "RDB004", "LNG").findings}
    assert "RDB004" in codes


def test_language_is_detected_with_confidence_and_reproducibly():
    first = audit(GERMAN, "LNG").metrics
    assert first["language"] == "de" and first["language_confidence"] > 0.9
    assert all(audit(GERMAN, "LNG").metrics == first for _ in range(3))
    assert audit(ENGLISH, "LNG").metrics["language"] == "en"


def test_text_without_letters_is_undetermined_and_english_rules_still_run():
    result = audit("2024-11-17 12:00 +++ 555 1234", "LNG", "RDB")
    assert "LNG004" in {f.code for f in result.findings}
    assert result.metrics["language"] is None
    assert "readability" in result.family_scores
