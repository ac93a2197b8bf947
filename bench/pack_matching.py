"""Phrase packs in one pass: the Aho-Corasick matcher against a naive regex alternation.

    python bench/pack_matching.py [--articles 1000]

All phrases of the spinner family (spinner collocations and words, tortured phrases, LLM stock
phrases and style words, the thesaurus lexicon: tens of thousands) are matched over generated
news articles, once by the auditor's PhraseMatcher (pyahocorasick, one automaton) and once by a
single re.IGNORECASE alternation of the same phrases between word boundaries, the way a pack
is often first written. Both run in this process on the same articles; the matches are compared.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

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

    started = time.perf_counter()
    matcher = PhraseMatcher((p, p) for p in phrases)
    build_automaton = time.perf_counter() - started
    started = time.perf_counter()
    naive = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(" ".join(fold(p).split())) for p in phrases)
        + r")(?!\w)",
        re.IGNORECASE,
    )
    build_regex = time.perf_counter() - started

    started = time.perf_counter()
    found_automaton = [[(m.start, m.end) for m in matcher.find(fold(t))] for t in texts]
    automaton = time.perf_counter() - started
    started = time.perf_counter()
    found_regex = [[m.span() for m in naive.finditer(fold(t))] for t in texts]
    regex = time.perf_counter() - started

    same = sum(a == b for a, b in zip(found_automaton, found_regex, strict=True))
    print(f"{len(phrases)} phrases, {len(texts)} articles of 4-5 KB")
    print(
        f"  Aho-Corasick: {automaton / len(texts) * 1000:.3f} ms/article "
        f"(built in {build_automaton:.2f} s)"
    )
    print(
        f"  naive alternation: {regex / len(texts) * 1000:.3f} ms/article "
        f"(compiled in {build_regex:.2f} s)  -> {regex / automaton:.1f}x slower"
    )
    print(f"  identical matches on {same}/{len(texts)} articles")


if __name__ == "__main__":
    main()
