"""Duplication (DUP) inside one article. Near-copies across the corpus are the shared
``provenance`` corpus check (auditor/corpus), bound by DUP010 in the pack.

The units are the article's non-empty lines: extracted news puts one paragraph on a line, and
hard-wrapped text still repeats whole lines when it repeats a paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from rapidfuzz import fuzz, process

from auditor.document import Document, Span
from auditor.family import CheckContext, FamilyModule, Metrics
from auditor.model import Finding
from auditor.packs import Rule

family = FamilyModule("duplication")

MAX_UNITS = 300
"""Pairwise comparison is quadratic; past this many lines only the first ones are compared."""
_STOPWORDS = frozenset(
    """a an the of to in on for and or but with from by at as is are was were be been has have
    had its it this that these those s""".split()
)


@family.metrics
def repetition_metrics(doc: Document) -> Metrics:
    return {"duplicate_5gram_share": round(duplicate_ngram_share(doc.token_hashes, 5), 4)}


def duplicate_ngram_share(hashes: np.ndarray, size: int) -> float:
    """Share of words covered by word n-grams that occur more than once in the text.

    Gopher measures the share of characters in duplicated n-grams; words are used here so that
    long names do not weigh more than the sentences that repeat them.
    """
    total = len(hashes)
    if total < size * 2:
        return 0.0
    count = total - size + 1
    grams = hashes[:count].copy()
    for offset in range(1, size):
        grams *= np.uint64(1_000_003)
        grams ^= hashes[offset : count + offset]
    # an n-gram is repeated when its sorted neighbour on either side is equal to it
    order = np.argsort(grams)
    ordered = grams[order]
    same = ordered[1:] == ordered[:-1]
    repeated = np.zeros(count, dtype=bool)
    repeated[1:] = same
    repeated[:-1] |= same
    starts = order[repeated]
    covered = np.zeros(total + 1, dtype=np.int32)
    covered[starts] += 1  # each index once, so no np.add.at
    covered[starts + size] -= 1
    return np.count_nonzero(np.cumsum(covered[:total])) / total


def _units(doc: Document) -> list[tuple[Span, int]]:
    """The first ``MAX_UNITS`` non-blank lines and their word counts."""
    return doc.filled_lines[:MAX_UNITS]


def _line_tokens(doc: Document, unit: Span) -> list[str]:
    """The line's tokens: its lower-cased runs of word characters."""
    first, last = doc.token_range(unit)
    return doc.tokens[first:last]


def _normal(doc: Document, unit: Span) -> str:
    return " ".join(_line_tokens(doc, unit))


@family.check("repeated-paragraph")
def repeated_paragraphs(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    doc = context.doc
    min_words = int(rule.option("min_words", 8))
    first_seen: dict[str, int] = {}
    for unit, words in _units(doc):
        if words < min_words:
            continue
        key = _normal(doc, unit)
        if key in first_seen:
            yield context.finding(rule, *unit.trimmed(), first_line=first_seen[key])
        else:
            first_seen[key] = doc.line_col(unit.start)[0]


@family.check("near-repeated-paragraph")
def near_repeats(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    doc = context.doc
    min_words = int(rule.option("min_words", 15))
    cutoff = 100 * float(rule.option("min_similarity", 0.85))
    units = [unit for unit, words in _units(doc) if words >= min_words]
    texts = [_normal(doc, unit) for unit in units]
    if len(units) < 2:
        return
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=cutoff, workers=1)
    similar = np.tril(scores, k=-1) > 0  # below the cutoff a score is 0; each pair once
    for later in np.flatnonzero(similar.any(axis=1)).tolist():
        for earlier in np.flatnonzero(similar[later]).tolist():
            if texts[later] != texts[earlier]:
                yield context.finding(
                    rule,
                    *units[later].trimmed(),
                    first_line=doc.line_col(units[earlier].start)[0],
                    similarity=scores[later, earlier] / 100,
                )
                break


@family.check("restarted-article")
def restarted(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """A later short line that carries most of the headline's content words."""
    doc = context.doc
    units = _units(doc)
    if len(units) < 3 or units[0][1] > 20:
        return
    headline = _content_words(doc, units[0][0])
    if len(headline) < 3:
        return
    min_overlap = float(rule.option("min_overlap", 0.7))
    for unit, words in units[2:]:
        if words > 25:
            continue
        shared = len(headline & _content_words(doc, unit)) / len(headline)
        if shared >= min_overlap:
            yield context.finding(rule, *unit.trimmed(), overlap=shared)
            return


def _content_words(doc: Document, unit: Span) -> set[str]:
    return set(_line_tokens(doc, unit)) - _STOPWORDS
