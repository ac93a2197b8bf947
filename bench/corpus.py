"""Synthetic corpora for benchmarks: articles of 4-5 KB assembled from the seeds' sentences.

Each article draws its own sentences with a seeded random generator, so articles differ (no
cache can serve one from another) and every run builds the same corpus.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from auditor.document import Document
from auditor.model import Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc = Document(path.read_text(encoding="utf-8"))
        sentences += [s.text for s in doc.sentences if len(s.text.split()) >= 6]
    return sentences


def generate(count: int, seed: int = 0) -> Iterator[Article]:
    rng = random.Random(seed)
    sentences = seed_sentences()
    sources = [f"site{n:02d}.example" for n in range(20)]
    for number in range(count):
        target = rng.randint(4000, 5000)
        paragraphs, size = [], 0
        while size < target:
            paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        yield Article(
            id=f"gen-{number:07d}",
            text="\n\n".join(paragraphs),
            source=sources[number % len(sources)],
            location=f"generated::{number}",
        )


def write_jsonl(path: Path, count: int, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for article in generate(count, seed):
            row = {"id": article.id, "text": article.text, "source": article.source}
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
