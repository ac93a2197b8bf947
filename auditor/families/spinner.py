"""Machine paraphrase (SPN): densities and the article's verdict.

The phrase lists are packs (rules/spinner*.toml). This module counts what they found per
1,000 words, so that one odd word does not condemn an article and a dozen do, and sets the
verdict ``spun`` (likely / possible / no) that reports and filters use. It also runs the
thesaurus check, which needs no list of spun phrases: a rare word with a much commoner
synonym is evidence in proportion to the frequency gap, and only their density is a verdict.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.family import CheckContext, FamilyModule
from auditor.matching import PhraseMatcher
from auditor.model import Finding
from auditor.packs import Rule

family = FamilyModule("spinner")

SWAP_RULES = {"spinner-phrase": 1.0, "tortured-phrase": 1.0, "spinner-word": 1 / 3}
LLM_RULES = {"llm-stock-phrase", "llm-style-word"}
LIKELY = 6.0
"""Swaps per 1,000 words above which an article is likely spun (SPN003's threshold)."""
THESAURUS_SPUN = 6.0
"""Weighted thesaurus swaps per 1,000 words above which an article reads as spun (SPN023)."""
_SENTENCE_END = frozenset('.!?"“”:\n')

_lexicons: dict[str, PhraseMatcher[tuple[str, float]]] = {}


def _lexicon(rule: Rule) -> PhraseMatcher[tuple[str, float]]:
    """The rule's lexicon (tab-separated lines: word, synonym, weight) as one automaton, built
    once per process. One string parses far faster than 30,000 TOML keys."""
    lexicon: str = rule.option("lexicon", "")
    if lexicon not in _lexicons:
        _lexicons[lexicon] = PhraseMatcher(lexicon_entries(lexicon))
    return _lexicons[lexicon]


def lexicon_entries(lexicon: str) -> Iterator[tuple[str, tuple[str, float]]]:
    for line in lexicon.splitlines():
        if line.strip():
            phrase, plain, weight = line.split("\t")
            yield phrase, (plain, float(weight))


@family.check("thesaurus-swap")
def thesaurus_swaps(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """One rare word is a writer's choice: the words are findings only when their weighted
    density makes the article read as spun."""
    text = context.doc.text
    matches = [
        m
        for m in _lexicon(rule).find(context.doc.folded)
        if _written_lower_case(text, m.start, m.end)
    ]
    total = sum(m.value[1] for m in matches)
    context.metrics["_thesaurus_weight"] = total
    if total / _thousands(context) > THESAURUS_SPUN:
        for m in matches:
            yield context.finding(rule, m.start, m.end, suggestion=m.value[0])


def _thousands(context: CheckContext) -> float:
    """Thousands of words, at least a quarter: a 40-word text with one odd word is no
    evidence of 25 per 1,000."""
    return max(context.doc.word_count, 250) / 1000


def _written_lower_case(text: str, start: int, end: int) -> bool:
    """Spinners write dictionary forms in lower case; a capital means a name ("Abbott"),
    unless it only opens a sentence."""
    word = text[start:end]
    if word.islower():
        return True
    if not word[0].isupper() or (len(word) > 1 and not word[1:].islower()):
        return False
    before = start - 1
    while before >= 0 and text[before].isspace():
        before -= 1
    return before < 0 or text[before] in _SENTENCE_END


@family.finalize
def densities(context: CheckContext, findings: list[Finding]) -> list[Finding]:
    thousands = _thousands(context)
    swaps = sum(SWAP_RULES.get(f.name, 0.0) for f in findings)
    llm = sum(1 for f in findings if f.name in LLM_RULES)
    thesaurus = context.metrics.pop("_thesaurus_weight", 0.0)
    per_1000 = swaps / thousands
    thesaurus_per_1000 = thesaurus / thousands
    context.metrics["spinner_swaps_per_1000_words"] = round(per_1000, 2)
    context.metrics["thesaurus_swaps_per_1000_words"] = round(thesaurus_per_1000, 2)
    context.metrics["llm_markers_per_1000_words"] = round(llm / thousands, 2)
    context.metrics["spun"] = (
        "likely"
        if per_1000 > LIKELY or thesaurus_per_1000 > 2 * THESAURUS_SPUN
        else "possible"
        if per_1000 > LIKELY / 3 or thesaurus_per_1000 > THESAURUS_SPUN
        else "no"
    )
    return findings
