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


def test_thin_english_passages_skip_langdetect_but_other_languages_do_not(monkeypatch):
    from auditor.families import language

    asked: list[str] = []
    monkeypatch.setattr(language, "detect", lambda text: asked.append(text) or ("xx", 1.0))
    # a standings table: too few function words for the first test, but the one it has is
    # English and no other language's are there
    table = "Standings: Ferrari Leclerc Sainz, Mercedes Hamilton Russell, McLaren Norris Piastri"
    table += " and Red Bull Verstappen"
    words = language._LETTER_WORD.findall(table.lower())
    assert language._english_density(words) >= language.LOW_ENGLISH_DENSITY
    assert language._english_density(words) < language.ENGLISH_DENSITY
    assert language._identify(table) == ("en", 1.0) and asked == []
    # the same density of English words among Spanish ones is not enough
    spanish = "The Ferrari de Leclerc ganó la carrera con una ventaja de 10 segundos sobre Mercedes"
    assert language._identify(spanish) == ("xx", 1.0) and asked == [spanish]
