"""Corpus phase at scale: near-duplicates among generated articles with injected copies.

    python bench/corpus_phase.py [--sizes 10000 100000] [--jobs 2]

For each size, a JSONL corpus of 4-5 KB articles is generated (bench/corpus.py) in which 5% of
the articles copy an earlier one (verbatim with furniture added, the first half, or spun). Two
runs, each a fresh process so that peak memory is its own:

- the auditor's CLI with only the near-copy rule selected (the article phase reduced to what
  the corpus phase needs, then clustering, verification, provenance), output to a file;
- the reference: datasketch's plain MinHash (SHA-1 of each word 3-gram, 128 permutations) and
  MinHashLSH at threshold 0.5, inserting and querying every article, no verification.

Reported: wall time, time per article, peak RSS (largest process), and the recall of the
injected copies (the copy ends in its origin's cluster; for the reference, the pair is among
the LSH candidates). Timings on this shared 2-core machine vary by 5-10% between runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate_with_copies, pool_tag
from throughput import OUT, RUN

REFERENCE = """
import json, re, resource, sys, time
from datasketch import MinHash, MinHashLSH
started = time.perf_counter()
word = re.compile(r"\\w+")
lsh = MinHashLSH(threshold=0.5, num_perm=128)
pairs = []
with open(sys.argv[1], encoding="utf-8") as stream:
    for line in stream:
        row = json.loads(line)
        words = word.findall(row["text"].lower())
        shingles = {" ".join(words[i:i + 3]).encode() for i in range(max(1, len(words) - 2))}
        minhash = MinHash(num_perm=128)
        minhash.update_batch(shingles)
        for other in lsh.query(minhash):
            pairs.append((row["id"], other))
        lsh.insert(row["id"], minhash)
elapsed = time.perf_counter() - started
json.dump(pairs, open(sys.argv[2], "w"))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{elapsed} {peak}", file=sys.stderr)
"""


def build(size: int) -> tuple[Path, list[dict[str, str]]]:
    corpus = OUT / f"copies-{size}-{pool_tag()}.jsonl"
    truth_path = corpus.with_suffix(".truth.json")
    if not corpus.exists() or not truth_path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        articles, copies = generate_with_copies(size)
        with corpus.open("w", encoding="utf-8") as stream:
            for article in articles:
                row = {"id": article.id, "text": article.text, "source": article.source}
                stream.write(json.dumps(row) + "\n")
        truth_path.write_text(json.dumps([vars(c) for c in copies]), encoding="utf-8")
    return corpus, json.loads(truth_path.read_text(encoding="utf-8"))


def run(script: str, *args: str) -> tuple[float, float]:
    """Seconds and peak RSS in MB (of the process or, if larger, of its largest child), from
    the last line the script prints: the elapsed time and then one or more peaks in KB."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    elapsed, *peaks_kb = done.stderr.strip().splitlines()[-1].split()
    return float(elapsed), max(map(int, peaks_kb)) / 1024


def ours(corpus: Path, jobs: int, truth: list[dict[str, str]]) -> dict[str, float]:
    output = corpus.with_suffix(".audited.jsonl")
    seconds, peak = run(
        RUN,
        "audit",
        str(corpus),
        "--select",
        "DUP010",
        "--format",
        "jsonl",
        "-o",
        str(output),
        "--jobs",
        str(jobs),
        "-q",
        "--isolated",
        "--fail-on",
        "never",
        "--fail-under",
        "0",
        "--no-progress",
    )
    cluster = {}
    with output.open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            cluster[row["id"]] = row["metrics"].get("cluster")
    found = sum(
        1 for c in truth if cluster[c["copy"]] and cluster[c["copy"]] == cluster[c["origin"]]
    )
    output.unlink()
    return {"seconds": seconds, "peak_mb": peak, "recall": found / max(len(truth), 1)}


def reference(corpus: Path, truth: list[dict[str, str]]) -> dict[str, float]:
    pairs_path = corpus.with_suffix(".pairs.json")
    seconds, peak = run(REFERENCE, str(corpus), str(pairs_path))
    pairs = {frozenset(p) for p in json.loads(pairs_path.read_text())}
    pairs_path.unlink()
    found = sum(1 for c in truth if frozenset((c["copy"], c["origin"])) in pairs)
    return {"seconds": seconds, "peak_mb": peak, "recall": found / max(len(truth), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-reference", action="store_true")
    args = parser.parse_args()
    results = {}
    for size in args.sizes:
        started = time.perf_counter()
        corpus, truth = build(size)
        print(
            f"{size} articles, {len(truth)} injected copies "
            f"(corpus ready in {time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        mine = ours(corpus, args.jobs, truth)
        print(
            f"  auditor   {mine['seconds']:7.1f} s  {mine['seconds'] / size * 1000:6.2f} "
            f"ms/article  peak {mine['peak_mb']:6.0f} MB  recall {mine['recall']:.3f}",
            flush=True,
        )
        results[size] = {"auditor": mine}
        if not args.no_reference:
            ref = reference(corpus, truth)
            print(
                f"  datasketch{ref['seconds']:7.1f} s  {ref['seconds'] / size * 1000:6.2f} "
                f"ms/article  peak {ref['peak_mb']:6.0f} MB  recall {ref['recall']:.3f}"
                f"  (1 process, LSH candidates only)",
                flush=True,
            )
            results[size]["datasketch"] = ref
    (OUT / "corpus_phase.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
