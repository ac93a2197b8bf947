"""Phrase packs in one pass: Hyperscan's literals and the Aho-Corasick matcher against a naive
regex alternation.

    python bench/pack_matching.py [--articles 1000]

All phrases of the spinner family (spinner collocations and words, tortured phrases, LLM stock
phrases and style words, the thesaurus lexicon: tens of thousands) are matched over generated
news articles by the auditor's PhraseMatcher, once with its Hyperscan database and once with the
Aho-Corasick automaton it uses until the database is ready (or without hyperscan), and by a
single re.IGNORECASE alternation of the same phrases between word boundaries, the way a pack
is often first written. All run in this process on the same articles; the matches are compared.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from auditor.families.spinner import lexicon_entries
from auditor.matching import PhraseMatcher, fold
from auditor.registry import load_registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    rules = [r for r in load_registry().rules.values() if r.family == "spinner"]
    lexicons = [phrase for r in rules for phrase, _ in lexicon_entries(r.option("lexicon", ""))]
    phrases = sorted({p for r in rules for p in (*r.phrases, *r.swaps)} | set(lexicons))
    texts = [a.text for a in generate(args.articles, seed=7)]

    with mock.patch.dict(os.environ, {"AUDITOR_NO_CACHE": "1"}):  # neither loads nor stores
        started = time.perf_counter()
        automaton_matcher = PhraseMatcher(((p, p) for p in phrases), build_after=len(texts) + 1)
        list(automaton_matcher.find(""))  # the automaton is built on first use
        build_automaton = time.perf_counter() - started
        started = time.perf_counter()
        hyperscan_matcher = PhraseMatcher(((p, p) for p in phrases), build_after=0)
        list(hyperscan_matcher.find(""))
        build_hyperscan = time.perf_counter() - started
    started = time.perf_counter()
    naive = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(" ".join(fold(p).split())) for p in phrases)
        + r")(?!\w)",
        re.IGNORECASE,
    )
    build_regex = time.perf_counter() - started

    folded = [fold(t) for t in texts]
    started = time.perf_counter()
    found_automaton = [[(m.start, m.end) for m in automaton_matcher.find(f)] for f in folded]
    automaton = time.perf_counter() - started
    found_hyperscan: list[list[tuple[int, int]]] = []
    if hyperscan_matcher.active:
        started = time.perf_counter()
        found_hyperscan = [[(m.start, m.end) for m in hyperscan_matcher.find(f)] for f in folded]
        hyperscan = time.perf_counter() - started
    started = time.perf_counter()
    found_regex = [[m.span() for m in naive.finditer(f)] for f in folded]
    regex = time.perf_counter() - started

    same = sum(a == b for a, b in zip(found_automaton, found_regex, strict=True))
    print(f"{len(phrases)} phrases, {len(texts)} articles of 4-5 KB")
    if hyperscan_matcher.active:
        print(
            f"  Hyperscan: {hyperscan / len(texts) * 1000:.3f} ms/article "
            f"(built in {build_hyperscan:.2f} s); the same matches as Aho-Corasick on "
            f"{sum(a == b for a, b in zip(found_hyperscan, found_automaton, strict=True))}"
            f"/{len(texts)} articles"
        )
    else:
        print("  Hyperscan: not installed")
    print(
        f"  Aho-Corasick: {automaton / len(texts) * 1000:.3f} ms/article "
        f"(built in {build_automaton:.2f} s)"
    )
    print(
        f"  naive alternation: {regex / len(texts) * 1000:.3f} ms/article "
        f"(compiled in {build_regex:.2f} s)  -> {regex / automaton:.1f}x slower"
    )
    print(f"  the alternation and Aho-Corasick match alike on {same}/{len(texts)} articles")


if __name__ == "__main__":
    main()
