"""Synthetic corpora for benchmarks: articles of 4-5 KB assembled from real news sentences.

The sentence pool is the seeds plus, when ../shared/eval is present, the English gold bodies
of the ScrapingHub set (a few thousand sentences), so that unrelated generated articles share
about as little text as unrelated real ones. Six of its 98 bodies are Portuguese, German,
Italian or Korean; langdetect on the whole body leaves them out, since the targets are stated
for English news and a foreign sentence costs the language family a langdetect walk. Each
article draws its own sentences with a seeded random generator: every run builds the same
corpus, and no cache can serve one article from another.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auditor.document import Document
from auditor.model import Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EVAL_DIR = Path(os.environ.get("AUDITOR_EVAL_DIR", ROOT.parent / "shared" / "eval"))
SYNONYMS = {
    "using": "utilizing",
    "war": "battle",
    "office": "workplace",
    "energy": "vitality",
    "said": "stated",
    "help": "assist",
    "big": "large",
    "show": "display",
    "buy": "purchase",
    "start": "commence",
    "end": "conclude",
    "need": "require",
    "get": "obtain",
    "try": "attempt",
    "people": "individuals",
    "many": "numerous",
    "also": "additionally",
    "about": "roughly",
    "before": "prior to",
    "after": "following",
    "because": "since",
    "while": "whereas",
    "new": "novel",
    "important": "vital",
    "make": "create",
    "use": "utilize",
    "but": "however",
}


@cache
def sentence_pool() -> tuple[str, ...]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    clean = EVAL_DIR / "scrapinghub" / "clean.jsonl"
    if clean.is_file():
        with clean.open(encoding="utf-8") as stream:
            bodies = [json.loads(line)["text"] for line in stream if line.strip()]
        texts += [body for body in bodies if _english(body)]
    else:  # another pool, another tag: say so, or two checkouts compare different corpora
        print(
            f"{clean} not found: the pool is the seeds alone (set AUDITOR_EVAL_DIR)",
            file=sys.stderr,
        )
    sentences = []
    for text in texts:
        doc = Document(text)
        sentences += [
            s.text for s in doc.sentences if len(s.text.split()) >= 6 and s.text.isascii()
        ]
    return tuple(sentences)


def pool_tag() -> str:
    """A short digest of the sentence pool, part of every generated file's name: a corpus
    written from an older pool is never measured as if it were the current one."""
    digest = hashlib.sha256("\n".join(sentence_pool()).encode("utf-8")).hexdigest()
    return digest[:8]


def _english(text: str) -> bool:
    """langdetect's verdict on the whole text, not the auditor's: what the benchmark measures
    must not choose the text it is measured on."""
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    return bool(detect(text) == "en")


def generate(count: int, seed: int = 0) -> Iterator[Article]:
    rng = random.Random(seed)
    sentences = sentence_pool()
    sources = [f"site{n:02d}.example" for n in range(20)]
    for number in range(count):
        yield Article(
            id=f"gen-{number:07d}",
            text=_article_text(rng, sentences),
            source=sources[number % len(sources)],
            location=f"generated::{number}",
        )


def _article_text(rng: random.Random, sentences: tuple[str, ...]) -> str:
    target = rng.randint(4000, 5000)
    paragraphs, size = [], 0
    while size < target:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)


@dataclass(frozen=True)
class Copy:
    copy: str
    origin: str
    kind: str


def generate_with_copies(
    count: int, copy_rate: float = 0.05, seed: int = 0
) -> tuple[Iterator[Article], list[Copy]]:
    """Articles where ``copy_rate`` of them copy an earlier one: verbatim with furniture added,
    a partial copy (the first half), or a spun copy (synonym swaps). Returns the articles (a
    lazy stream) and the injected copy relations, which are decided up front."""
    rng = random.Random(seed)
    plan: dict[int, tuple[int, str]] = {}
    for number in range(1, count):
        if rng.random() < copy_rate:
            plan[number] = (rng.randrange(0, number), rng.choice(("verbatim", "partial", "spun")))
    copies = [Copy(f"gen-{n:07d}", f"gen-{o:07d}", kind) for n, (o, kind) in sorted(plan.items())]

    def stream() -> Iterator[Article]:
        texts: dict[int, str] = {}
        needed = {origin for origin, _ in plan.values()}
        local = random.Random(seed + 1)
        sentences = sentence_pool()
        for number in range(count):
            if number in plan:
                origin, kind = plan[number]
                text = _copy(texts[origin], kind, local)
            else:
                text = _article_text(local, sentences)
            if number in needed:
                texts[number] = text
            yield Article(
                id=f"gen-{number:07d}",
                text=text,
                source=f"site{number % 20:02d}.example",
                location=f"generated::{number}",
            )

    return stream(), copies


def _copy(text: str, kind: str, rng: random.Random) -> str:
    if kind == "verbatim":
        return "Share this article\n\n" + text + "\n\nFollow us on Twitter for more news."
    if kind == "partial":
        paragraphs = text.split("\n\n")
        return "\n\n".join(paragraphs[: max(2, len(paragraphs) // 2)])
    return re.sub(
        r"\b\w+\b",
        lambda m: SYNONYMS.get(m.group(), m.group()) if rng.random() < 0.8 else m.group(),
        text,
    )


def write_jsonl(path: Path, count: int, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for article in generate(count, seed):
            row = {"id": article.id, "text": article.text, "source": article.source}
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
