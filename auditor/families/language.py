"""Language (LNG): is the article English, and is it one language throughout?

langdetect is accurate but slow (several milliseconds per passage, most of it spent walking
the text in Python), and it is random unless seeded. We bound its cost three ways: a passage
whose tokens are dense with English function words is English without asking langdetect (such
density does not occur in other languages), langdetect only ever reads a few sampled passages
of bounded length, and its method runs on numpy (:mod:`auditor.langdetect_fast`, the same
results in a third of the time and a sixth of the memory). bench/eval.py measures how often
this agrees with langdetect on the full text, and what each costs.

The metric ``language`` set here gates the families marked ``english_only``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.document import Document, Span
from auditor.family import CheckContext, FamilyModule, Metrics
from auditor.langdetect_fast import probabilities
from auditor.model import Finding
from auditor.packs import Rule
from auditor.wordchars import ascii_translation

family = FamilyModule("language")

SEED = 0
PASSAGE_CHARS = 600
MAX_PASSAGES = 12
MIN_PASSAGE_LETTERS = 60
# Words that are frequent in English and rare as words of other Latin-script languages
# ("a", "in", "is", "on", "an", "was", "die" are left out: they are words of French, Dutch or
# German too). In English news they make up 16-38% of a passage's words (10th to 90th
# percentile of the ScrapingHub gold bodies); in German, French, Spanish, Dutch, Italian,
# Portuguese, Swedish or Indonesian news sentences, none.
_ENGLISH_FUNCTION_WORDS = frozenset(
    """the of and to that for with are as it by this from have has be at but not were which
    their they said been would will who he she his her its had or there what when can
    than also more about after into could other some these those should while did does""".split()
)
ENGLISH_DENSITY = 0.12
# Function words of other Latin-script languages that are not English words ("as", "do", "die",
# "de", "van" are left out: English has them, or English names do). A passage with a few
# English function words and none of these is English too: lists, tables and captions are
# thin in function words, and other languages' prose is never without its own.
_OTHER_FUNCTION_WORDS = frozenset(
    """der und ist nicht das mit sich auch auf für von den dem des ein eine zu wird werden sind
    le la les est une pour dans que qui pas sur avec du au aux sont ce cette nous vous
    el los las del por para con una es se su al lo como más pero
    os da dos das em um uma não é são pela pelo mais
    il della che per non sono gli nel alla anche
    het een niet dat voor zijn ook wordt
    och att det som för med är inte på av
    yang dan di ini itu dengan untuk tidak dari dalam""".split()
)
LOW_ENGLISH_DENSITY = 0.06
MIN_FAST_PATH_WORDS = 8
_LETTER_WORD = re.compile(r"[^\W\d_]+")
_ASCII_NON_LETTERS = ascii_translation(r"[\W\d_]")
_ASCII_LETTERS_SPACED = ascii_translation(r"[^a-z]", " ")
"""Every ASCII character but a-z becomes a space, so that ``str.split`` gives the runs of a-z."""

NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
    "uk": "Ukrainian",
    "tr": "Turkish",
    "ar": "Arabic",
    "zh-cn": "Chinese",
    "zh-tw": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "fi": "Finnish",
    "fa": "Persian",
    "he": "Hebrew",
    "hi": "Hindi",
    "id": "Indonesian",
    "ro": "Romanian",
    "cs": "Czech",
    "el": "Greek",
    "hu": "Hungarian",
    "vi": "Vietnamese",
    "bg": "Bulgarian",
}


@family.metrics
def language_metrics(doc: Document) -> Metrics:
    passages = _passages(doc)
    if not passages:
        # Too little text for langdetect, whose guesses on a short line are close to random
        # ("WATCH: Biden speaks" is Estonian to it); only dense English is recognised.
        words = letter_words(doc.text, doc.folded)
        english = len(words) >= 4 and _english_density(words) >= ENGLISH_DENSITY
        return {"language": "en" if english else None, "language_confidence": 1.0 * english}
    folded = doc.folded
    verdicts = [_identify(p.text, folded[p.start : p.end]) for p in passages]
    weights: dict[str, float] = {}
    for passage, (language, probability) in zip(passages, verdicts, strict=True):
        if language is not None:
            weights[language] = weights.get(language, 0.0) + probability * len(passage.text)
    if not weights:
        return {"language": None, "language_confidence": 0.0, "_passages": []}
    language = max(sorted(weights), key=weights.__getitem__)
    confidence = weights[language] / sum(weights.values())
    return {
        "language": language,
        "language_confidence": round(confidence, 3),
        "_passages": list(zip(passages, verdicts, strict=True)),
    }


@family.check("not-english")
def not_english(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    language = context.metrics.get("language")
    if language not in (None, "en"):
        yield context.finding(
            rule,
            0,
            0,
            language=_name(language),
            confidence=context.metrics["language_confidence"],
        )


@family.check("mixed-language")
def mixed_language(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    main = context.metrics.get("language")
    threshold = float(rule.option("min_probability", 0.9))
    for passage, (language, probability) in context.metrics.get("_passages", []):
        if language is not None and language != main and probability >= threshold:
            yield context.finding(
                rule, passage.start, passage.end, language=_name(language), main=_name(main)
            )


@family.check("english-only-skipped")
def english_only_skipped(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    language = context.metrics.get("language")
    if language not in (None, "en"):
        yield context.finding(rule, 0, 0, language=_name(language))


@family.check("language-undetermined")
def undetermined(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    if context.metrics.get("language") is None and context.doc.text.strip():
        yield context.finding(rule, 0, 0)


def _passages(doc: Document) -> list[Span]:
    """Up to MAX_PASSAGES paragraphs, evenly spread, each cut to PASSAGE_CHARS."""
    candidates = [p for p in doc.paragraphs if _has_letters(p.text, MIN_PASSAGE_LETTERS)]
    if len(candidates) > MAX_PASSAGES:
        step = len(candidates) / MAX_PASSAGES
        candidates = [candidates[int(i * step)] for i in range(MAX_PASSAGES)]
    return [_cut(p) for p in candidates]


def _cut(span: Span) -> Span:
    if len(span.text) <= PASSAGE_CHARS:
        return span
    end = span.text.rfind(" ", 0, PASSAGE_CHARS)
    end = end if end > PASSAGE_CHARS // 2 else PASSAGE_CHARS
    return Span(span.start, span.start + end, span.text[:end])


def _identify(text: str, folded: str | None = None) -> tuple[str | None, float]:
    if fast_english(letter_words(text, folded)):
        return "en", 1.0
    return detect(text)


def letter_words(text: str, folded: str | None = None) -> list[str]:
    """The lower-cased runs of letters of ``text``. ``folded`` is the same span of the
    Document's folded text: where it is ASCII (most English passages, since folding makes
    typographic quotes ASCII) the letters are a-z, split out by a translation and
    ``str.split`` in half the time ``re`` takes over the Unicode class; quotes are not
    letters either way."""
    if folded is not None and folded.isascii():
        return _ASCII_LETTERS_SPACED(folded).split()
    return _LETTER_WORD.findall(text.lower())


def fast_english(words: list[str]) -> bool:
    """Whether a passage's lower-cased words are English without asking langdetect."""
    if len(words) < MIN_FAST_PATH_WORDS:
        return False
    density = _english_density(words)
    return density >= ENGLISH_DENSITY or (
        density >= LOW_ENGLISH_DENSITY and _OTHER_FUNCTION_WORDS.isdisjoint(words)
    )


def _english_density(words: list[str]) -> float:
    # the function words kept in C, a quarter of the words: faster than summing a bool for each
    return len(list(filter(_ENGLISH_FUNCTION_WORDS.__contains__, words))) / len(words)


def detect(text: str) -> tuple[str | None, float]:
    """langdetect's best guess and its probability, reproducible across runs and processes
    (seeded; computed by :mod:`auditor.langdetect_fast`, which gives langdetect's results)."""
    best = probabilities(text, SEED)
    if not best:  # no letters langdetect knows
        return None, 0.0
    return best[0]


def _letters(text: str) -> int:
    """How many letters ``text`` holds; on ASCII text, what is left once a translation has
    deleted the rest."""
    if text.isascii():
        return len(_ASCII_NON_LETTERS(text))
    return sum(map(len, _LETTER_WORD.findall(text)))


def _has_letters(text: str, least: int) -> bool:
    """Whether ``text`` has ``least`` letters. A prefix has no more letters than the whole,
    and a paragraph's first ``2 * least`` characters settle it for most paragraphs."""
    return _letters(text[: 2 * least]) >= least or (
        len(text) > 2 * least and _letters(text) >= least
    )


def _name(code: str | None) -> str:
    return NAMES.get(code or "", code or "unknown")
