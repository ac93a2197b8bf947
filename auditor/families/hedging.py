"""Hedging (HDG): the sentence view of sourcing.

The cue rules are patterns in rules/hedging.toml. Here each sentence gets one class, in order of
precedence: unconfirmed (HDG003), vaguely attributed (HDG002), hedged (HDG001, HDG004, HDG005),
sourced on the record (a named speaker with a speech verb), or plain. The family's findings are
then weighed per sentence: the heaviest finding of a sentence keeps its weight, the others in
the same sentence keep their place in the report but weigh nothing, so that a sentence with
three cues costs what a sentence with one costs. The shares of each class are the metrics.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from auditor.document import Document, Span
from auditor.family import CheckContext, FamilyModule
from auditor.matching import PhraseMatcher
from auditor.model import Finding
from auditor.packs import Rule

family = FamilyModule("hedging")

CLASSES = ("unconfirmed", "vague", "hedged", "sourced", "plain")
_CLASS_OF_RULE = {
    "unconfirmed-claim": "unconfirmed",
    "vague-attribution": "vague",
    "hedge": "hedged",
    "vague-quantifier": "hedged",
    "puffery": "hedged",
}
_UNSOURCED = {"unconfirmed", "vague"}
MIN_SENTENCE_WORDS = 4

_SPEECH_VERBS = """said says stated states told tells wrote writes added adds announced warned warns
    explained noted tweeted posted insisted confirmed declared remarked testified replied""".split()
_SPEECH = f"(?:{'|'.join(_SPEECH_VERBS)})"
_NAME = r"(?:[A-Z][\w.'’-]*+(?:\s+(?:(?:de|van|von|al|bin|la|le)\s+)?[A-Z][\w.'’-]*+){0,3})"
"""Up to four capitalised words. Each is taken whole (possessively): what may follow a name is
white space or nothing, which no shorter cut of a word would let match any differently."""
_NAMED = re.compile(
    rf"\b(?P<a>{_NAME})\s+(?:has\s+|had\s+|also\s+|then\s+|\w+ly\s+){{0,2}}{_SPEECH}\b"
    rf"|\b{_SPEECH}\s+(?P<between>(?:[a-z][\w-]*\s+){{0,3}}?)(?P<b>{_NAME})(?P<after>\s+\w+)?"
    rf"|\b(?i:according\s+to\s+(?:the\s+)?)(?P<c>{_NAME})(?P<next>\s+\w+)?"
)
_CUES = PhraseMatcher((word, None) for word in (*_SPEECH_VERBS, "according"))
"""What every attribution holds, as a whole word of the folded text: a sentence without one is
not searched (most are not). One pass finds them for the whole article."""
_GENERIC = frozenset(
    """officials official sources source experts expert analysts analyst critics critic reports
    report observers people some many others he she they it we i you the a an this that these
    those his her their its one two three four five several witnesses residents media
    authorities diplomats us u.s u.s. american americans russian ukrainian western british
    french chinese european israeli iranian german japanese korean""".split()
)
_NOT_BETWEEN = frozenset("that the a an any this it in on to of with for as if when".split())


def _named_speakers(text: str) -> Iterator[re.Match[str]]:
    for match in _NAMED.finditer(text):
        name = match.group("a") or match.group("b") or match.group("c") or ""
        words = name.lower().split()
        if not words or words[-1] in _GENERIC or all(word in _GENERIC for word in words):
            continue
        between = (match.group("between") or "").split()
        if any(word in _NOT_BETWEEN for word in between):
            continue
        following = (match.group("after") or match.group("next") or "").strip().lower()
        if following in _GENERIC:  # "confirmed by two US officials": nobody is named
            continue
        yield match


@family.check("on-record-attribution")
def on_record_findings(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    for spans in _attributions(context).values():
        for start, end in spans:
            yield context.finding(rule, start, end)


def _attributions(context: CheckContext) -> dict[int, list[tuple[int, int]]]:
    """The article's :func:`on_record_spans`, found once for the on-record rule and the
    sentence classes (kept with the article's private metrics)."""
    found: dict[int, list[tuple[int, int]]] | None = context.metrics.get("_on_record")
    if found is None:
        found = context.metrics["_on_record"] = on_record_spans(context.doc)
    return found


def on_record_spans(doc: Document) -> dict[int, list[tuple[int, int]]]:
    """(start, end) of each named speaker with a speech verb outside quotations, by the start
    of its sentence.

    Read sentence by sentence, as the sentence classes are: over the whole text, the word
    after a name at a sentence's end is the next sentence's first ("Leader. The"), and a
    generic first word would reject the attribution."""
    found = {}
    for sentence in _cued_sentences(doc):
        offset = sentence.start
        spans = [
            (offset + match.start(), offset + match.end())
            for match in _named_speakers(sentence.text)
            if not doc.in_quote(offset + match.start())
        ]
        if spans:
            found[offset] = spans
    return found


@family.finalize
def sentence_view(context: CheckContext, findings: list[Finding]) -> list[Finding]:
    doc = context.doc
    sentences = _counted_sentences(doc)
    by_sentence: dict[int, list[int]] = {}
    starts = [s.start for s in sentences]
    for index, finding in enumerate(findings):
        position = _sentence_index(starts, sentences, finding.start)
        if position is not None:
            by_sentence.setdefault(position, []).append(index)
    classes: Counter[str] = Counter()
    weighed = list(findings)
    on_record = _attributions(context)
    for position, members in by_sentence.items():
        sentence = sentences[position]
        classes[_classify(sentence, [findings[i] for i in members], on_record)] += 1
        if len(members) > 1:
            heaviest = max(members, key=lambda i: (findings[i].weight, -i))
            for i in members:
                if i != heaviest and findings[i].weight:
                    weighed[i] = replace(findings[i], weight=0.0)
    # the sentences no cue rule flagged (most) are plain, or sourced when they name a speaker
    sourced = sum(
        1
        for start in on_record
        if (position := _sentence_index(starts, sentences, start)) is not None
        and position not in by_sentence
    )
    classes["sourced"] += sourced
    classes["plain"] += len(sentences) - len(by_sentence) - sourced
    total = max(len(sentences), 1)
    hedges = sum(1 for f in findings if f.name == "hedge")
    context.metrics.update(
        {
            "hdg_sentences": len(sentences),
            **{f"share_{name}": round(classes[name] / total, 4) for name in CLASSES},
            "unsourced_share": round(
                sum(classes[name] for name in _UNSOURCED | {"hedged"}) / total, 4
            ),
            "hedges_per_1000_words": round(1000 * hedges / max(doc.word_count, 1), 2),
        }
    )
    return weighed


def classify_sentences(doc: Document, findings: list[Finding]) -> list[tuple[Span, str]]:
    """Every sentence of at least four words with its class (for reports and evaluation)."""
    sentences = _counted_sentences(doc)
    on_record = on_record_spans(doc)
    return [
        (s, _classify(s, [f for f in findings if s.start <= f.start < s.end], on_record))
        for s in sentences
    ]


def _counted_sentences(doc: Document) -> list[Span]:
    """The sentences that count: those of at least ``MIN_SENTENCE_WORDS`` words."""
    words = doc.sentence_words
    return [s for s, n in zip(doc.sentences, words, strict=True) if n >= MIN_SENTENCE_WORDS]


def _classify(
    sentence: Span, findings: list[Finding], on_record: dict[int, list[tuple[int, int]]]
) -> str:
    found = {_CLASS_OF_RULE.get(f.name) for f in findings}
    for name in ("unconfirmed", "vague", "hedged"):
        if name in found:
            return name
    return "sourced" if sentence.start in on_record else "plain"


def _cued_sentences(doc: Document) -> list[Span]:
    """The sentences that hold a cue, in order: each cue looked up among the sentences, since
    an article has about eight sentences for each cue."""
    sentences = doc.sentences
    starts = [sentence.start for sentence in sentences]
    cued: list[Span] = []
    for match in _CUES.find(doc.folded):
        index = _sentence_index(starts, sentences, match.start)
        if index is not None and (not cued or cued[-1] is not sentences[index]):
            cued.append(sentences[index])
    return cued


def _sentence_index(starts: list[int], sentences: list[Span], offset: int) -> int | None:
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and offset < sentences[index].end:
        return index
    return None
