"""Duplication (DUP) inside one article. Near-copies across the corpus are the shared
``provenance`` corpus check (auditor/corpus), bound by DUP010 in the pack.

The units are the article's non-empty lines: extracted news puts one paragraph on a line, and
hard-wrapped text still repeats whole lines when it repeats a paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from rapidfuzz import fuzz

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
    ordered = np.sort(grams)  # a third of argsort's time
    if not (ordered[1:] == ordered[:-1]).any():  # most articles repeat no n-gram
        return 0.0
    # an n-gram is repeated when its sorted neighbour on either side is equal to it
    order = grams.argsort()
    ordered = grams[order]
    same = ordered[1:] == ordered[:-1]
    repeated = np.zeros(count, dtype=bool)
    repeated[1:] = same
    repeated[:-1] |= same
    starts = order[repeated]
    covered = np.zeros(total + 1, dtype=np.int32)
    covered[starts] += 1  # each index once, so no np.add.at
    covered[starts + size] -= 1
    return int(np.count_nonzero(covered[:total].cumsum())) / total


def _units(doc: Document) -> Iterator[tuple[tuple[Span, int], str]]:
    """The first ``MAX_UNITS`` non-blank lines, with their word counts, and their forms (the
    lower-cased runs of word characters, joined by spaces, that lines are compared by)."""
    return zip(doc.filled_lines[:MAX_UNITS], doc.filled_line_forms, strict=False)


@family.check("repeated-paragraph")
def repeated_paragraphs(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    doc = context.doc
    min_words = int(rule.option("min_words", 8))
    first_seen: dict[str, int] = {}  # each form's first offset: its line is read on a repeat
    for (unit, words), key in _units(doc):
        if words < min_words:
            continue
        if key in first_seen:
            first_line = doc.line_col(first_seen[key])[0]
            yield context.finding(rule, *unit.trimmed(), first_line=first_line)
        else:
            first_seen[key] = unit.start


@family.check("near-repeated-paragraph")
def near_repeats(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    doc = context.doc
    min_words = int(rule.option("min_words", 15))
    cutoff = 100 * float(rule.option("min_similarity", 0.85))
    long_units = [(unit, form) for (unit, words), form in _units(doc) if words >= min_words]
    units = [unit for unit, _ in long_units]
    texts = [form for _, form in long_units]
    reported = -1
    for later, earlier in _may_be_similar(texts, cutoff):
        if later == reported or texts[later] == texts[earlier]:
            continue
        similarity = fuzz.ratio(texts[later], texts[earlier], score_cutoff=cutoff)
        if similarity:  # below the cutoff the score is 0
            reported = later
            yield context.finding(
                rule,
                *units[later].trimmed(),
                first_line=doc.line_col(units[earlier].start)[0],
                similarity=similarity / 100,
            )


_COUNTED = b"abcdefghijklmnopqrstuvwxyz "
_CLASSES = len(_COUNTED) + 1
_CLASS_OF_BYTE = bytes(
    _COUNTED.index(byte) if byte in _COUNTED else _CLASSES - 1 for byte in range(256)
)
"""A ``bytes.translate`` table: the class of a line form's character once encoded in Latin-1
(characters beyond it become "?"): its place in ``_COUNTED``, or the last class for the rest."""


_ROWS_AT_ONCE = 16
"""Texts whose pairs are bounded in one array operation: at ``MAX_UNITS`` texts the counts
of all pairs at once would take 20 MB."""


def _may_be_similar(texts: list[str], cutoff: float) -> Iterator[tuple[int, int]]:
    """Each pair (later, earlier) of ``texts`` whose ``fuzz.ratio`` may reach ``cutoff``, in
    order of the later text and then the earlier one.

    The ratio is ``200 * LCS / (len(a) + len(b))``, and a common subsequence holds no more of
    any character than either text does, so the characters the two texts' counts share bound
    it; counting a few classes instead of each character only loosens that bound. On news
    lines, five pairs in six fall below 0.85 on counts alone, and their alignment is never
    computed.
    """
    count = len(texts)
    if count < 2:
        return
    classes = np.frombuffer(
        "".join(texts).encode("latin-1", "replace").translate(_CLASS_OF_BYTE), dtype=np.uint8
    )
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=count)
    lines = np.repeat(np.arange(count), lengths)
    counts = np.bincount(lines * _CLASSES + classes, minlength=count * _CLASSES)
    counts = counts.reshape(count, _CLASSES)
    for top in range(0, count, _ROWS_AT_ONCE):
        rows, columns = slice(top, top + _ROWS_AT_ONCE), slice(0, top + _ROWS_AT_ONCE)
        shared = np.minimum(counts[rows, None, :], counts[None, columns, :]).sum(axis=2)
        possible = 200 * shared >= cutoff * (lengths[rows, None] + lengths[None, columns]) - 1e-6
        later, earlier = np.nonzero(np.tril(possible, k=top - 1))
        yield from zip((later + top).tolist(), earlier.tolist(), strict=True)


@family.check("restarted-article")
def restarted(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """A later short line that carries most of the headline's content words."""
    doc = context.doc
    units = list(_units(doc))
    if len(units) < 3 or units[0][0][1] > 20:
        return
    headline = _content_words(units[0][1])
    if len(headline) < 3:
        return
    min_overlap = float(rule.option("min_overlap", 0.7))
    for (unit, words), form in units[2:]:
        if words > 25:
            continue
        shared = len(headline & _content_words(form)) / len(headline)
        if shared >= min_overlap:
            yield context.finding(rule, *unit.trimmed(), overlap=shared)
            return


def _content_words(form: str) -> set[str]:
    return set(form.split()) - _STOPWORDS
