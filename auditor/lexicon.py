"""English word frequencies from the ``wordfreq`` package (data ships with it; no downloads).

Spinners swap common words for rarer synonyms ("using" -> "utilizing", "war" -> "battle",
"energy" -> "vitality"), so frequency tells which of two aligned texts was spun from the other,
and which of two words is the likely original.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache


@cache
def _frequencies() -> dict[str, float]:
    import wordfreq

    return dict(wordfreq.get_frequency_dict("en", wordlist="best"))


def zipf(word: str) -> float:
    """Zipf frequency (log10 of occurrences per billion words); 0.0 for unknown words."""
    frequency = _frequencies().get(word.lower().replace("’", "'"), 0.0)
    return math.log10(frequency * 1e9) if frequency > 0 else 0.0


def mean_zipf(words: Iterable[str]) -> float:
    values = [zipf(word) for word in words]
    return sum(values) / len(values) if values else 0.0
