"""langdetect's detection on a compact table of its profiles, with numpy doing the arithmetic.

langdetect keeps its profiles as one Python list of 55 floats per n-gram: 141 MB and 0.8 s to
load in every process that meets a passage the English fast path cannot settle. Each detection
then runs seven random walks of up to 1,000 steps, each step a Python loop over the 55
languages (about 9 µs). Here the same profiles are a sparse table (25 MB with its index of
n-grams, loaded in 0.1 s), and a step is one multiplication of a row into a numpy vector.

Only the storage and the loop change. The text is cleaned and cut into n-grams by langdetect's
own ``Detector``, the walk draws from the same seeded ``random.Random`` in the same order, and
every probability goes through the same floating-point operations in the same order (numpy's
elementwise ``*`` and ``/`` are the IEEE operations Python's floats use; the sum that
normalises is Python's own ``sum``). The results are langdetect's, bit for bit, and the tests
compare them with langdetect's ``get_probabilities``.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

import numpy as np


@dataclass(frozen=True)
class Profiles:
    """langdetect's profiles, one row of probabilities per n-gram (``word_lang_prob_map``).

    Stored sparse: an n-gram occurs in 2 of the 55 languages on average, so the nonzero cells
    of row ``rows[ngram]`` are ``values[starts[row]:starts[row + 1]]``, in the ``columns`` of
    ``languages`` they belong to (2 MB, where a dense table takes 38 MB)."""

    languages: list[str]
    rows: dict[str, int]
    starts: np.ndarray
    columns: np.ndarray
    values: np.ndarray

    def table(self, ngrams: list[str]) -> np.ndarray:
        """The dense rows of ``ngrams``, as langdetect holds them."""
        ids = np.array([self.rows[ngram] for ngram in ngrams], dtype=np.int64)
        first = self.starts[ids]
        sizes = self.starts[ids + 1] - first
        owner = np.repeat(np.arange(len(ids)), sizes)
        cells = np.arange(sizes.sum()) + np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
        table = np.zeros((len(ids), len(self.languages)))
        table[owner, self.columns[cells]] = self.values[cells]
        return table


@cache
def profiles() -> Profiles:
    """The profiles langdetect ships, read in the order and with the arithmetic of
    ``DetectorFactory.load_profile``."""
    from langdetect.detector_factory import PROFILES_DIRECTORY

    languages: list[str] = []
    rows: dict[str, int] = {}
    cells: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for name in os.listdir(PROFILES_DIRECTORY):
        path = os.path.join(PROFILES_DIRECTORY, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as source:
            profile = json.load(source)
        frequencies: dict[str, int] = profile["freq"]
        ngrams = [rows.setdefault(ngram, len(rows)) for ngram in frequencies]
        lengths = np.fromiter(map(len, frequencies), dtype=np.int64, count=len(frequencies))
        counts = np.fromiter(frequencies.values(), dtype=np.float64, count=len(frequencies))
        kept = (lengths >= 1) & (lengths <= 3)  # langdetect leaves longer n-grams at 0.0
        totals = np.array([0, *profile["n_words"]], dtype=np.float64)
        # 1.0 * count / n_words[length - 1], as langdetect computes it
        values = counts[kept] / totals[lengths[kept]]
        column = np.full(len(values), len(languages), dtype=np.uint8)
        cells.append((np.array(ngrams, dtype=np.int64)[kept], column, values))
        languages.append(profile["name"])
    row_of, column_of, value_of = (np.concatenate(part) for part in zip(*cells, strict=True))
    order = np.argsort(row_of, kind="stable")
    starts = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of, minlength=len(rows)), out=starts[1:])
    return Profiles(languages, rows, starts, column_of[order], value_of[order])


def probabilities(text: str, seed: int) -> list[tuple[str, float]]:
    """What ``Detector.get_probabilities`` gives for ``text`` with ``seed``, as (language,
    probability) pairs, most probable first; empty when the text has no n-gram to go on."""
    from langdetect.detector import Detector

    known = profiles()
    detector = Detector(
        SimpleNamespace(word_lang_prob_map=known.rows, langlist=known.languages, seed=seed)
    )
    detector.append(text)
    detector.cleaning_text()
    ngrams = detector._extract_ngrams()
    if not ngrams:
        return []
    distinct: dict[str, int] = {}
    drawn = [distinct.setdefault(ngram, len(distinct)) for ngram in ngrams]
    table = known.table(list(distinct))
    width = table.shape[1]
    walk = random.Random()
    walk.seed(detector.seed)
    choice = walk.choice
    total = np.zeros(width)
    for _ in range(detector.n_trial):
        probability = np.full(width, 1.0 / width)
        alpha = detector.alpha + walk.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        factors = table + alpha / detector.BASE_FREQ
        probability *= factors[choice(drawn)]
        step = 0
        while True:  # langdetect normalises after the first step and after every fifth
            probability /= sum(probability.tolist())
            if probability.max() > detector.CONV_THRESHOLD or step >= detector.ITERATION_LIMIT:
                break
            for _ in range(5):
                probability *= factors[choice(drawn)]
            step += 5
        total += probability / detector.n_trial
    found = [
        (language, p)
        for language, p in zip(known.languages, total.tolist(), strict=True)
        if p > detector.PROB_THRESHOLD
    ]
    return sorted(found, key=lambda pair: pair[1], reverse=True)
