"""Scaling of the article phase: docs/s and peak memory from 1,000 to 1,000,000 articles.

    python bench/scaling.py [--sizes 1000,10000,100000,1000000] [--jobs 1,2]

Each run is the real CLI in a fresh process (generated JSONL in, JSONL to /dev/null out) with
the corpus phase's rules ignored, since that phase holds the batch by design (see
docs/duplication.md). Memory should not grow with the number of articles: the input is read
as a stream and audits leave in bounded batches. Prints a Markdown table for
docs/performance.md and writes bench/out/scaling.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import OUT, corpus_rules, generated_corpus, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--jobs", default="1,2")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    jobs = [int(n) for n in args.jobs.split(",")]
    OUT.mkdir(exist_ok=True)
    rows = []
    ignore = corpus_rules()
    for size in sizes:
        corpus = generated_corpus(size)
        for n in jobs:
            r = measure(corpus, n, ignore=ignore)
            row = {
                "articles": size,
                "jobs": n,
                "docs_per_s": size / r["seconds"],
                "seconds": r["seconds"],
                "main_mb": r["self_mb"],
                "worker_mb": r["worker_mb"],
            }
            rows.append(row)
            print(
                f"{size:>9,} articles, {n} job(s): {row['docs_per_s']:7.1f} docs/s, "
                f"{r['seconds']:8.1f} s, peak RSS main {r['self_mb']:.0f} MB, "
                f"largest worker {r['worker_mb']:.0f} MB",
                flush=True,
            )
            (OUT / "scaling.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print("\n| articles | jobs | articles/s | peak RSS main | largest worker |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        worker = f"{row['worker_mb']:.0f} MB" if row["jobs"] > 1 else "-"
        print(
            f"| {row['articles']:,} | {row['jobs']} | {row['docs_per_s']:.1f} | "
            f"{row['main_mb']:.0f} MB | {worker} |"
        )


if __name__ == "__main__":
    main()
