"""What the families themselves cost: the engine's batched loop, without reading or writing.

    python bench/family_loop.py [--articles 3000] [--repeats 3]

The 1,000 articles/s per core target is about all article families together. The CLI's
figures (bench/scaling.py) add a process's start, reading and parsing JSONL, encoding and
writing the audits; here the generated articles are parsed before the clock starts, and each
repeat runs what the engine runs for a batch of 256: each article's Document and engine
findings, each family over the whole batch in turn, then the scores and the audit record. The
collector is tuned as in the CLI (`engine.fewer_collections`) and the corpus phase is left
out, as in bench/throughput.py. Prints ms an article for each step and in all.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import generated_corpus

from auditor import Auditor, hsdatabase
from auditor.engine import _Pending, fewer_collections
from auditor.model import Article

BATCH = 256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    hsdatabase.BUILD_AFTER = 0  # the databases from the first article on, as in a long run
    with generated_corpus(10_000).open(encoding="utf-8") as stream:
        rows = [json.loads(line) for line in islice(stream, args.articles)]
    articles = [Article(id=row["id"], text=row["text"], source=row["source"]) for row in rows]
    auditor = Auditor()
    auditor.audit_record(articles[0])  # loads the databases and tables before the clock
    batches = [articles[i : i + BATCH] for i in range(0, len(articles), BATCH)]
    with fewer_collections():
        for _ in range(args.repeats):
            steps: dict[str, float] = defaultdict(float)
            for batch in batches:
                started = time.perf_counter()
                items = [item for item in map(auditor._open, batch) if isinstance(item, _Pending)]
                steps["Document"] += time.perf_counter() - started
                for plan in auditor._plans:
                    started = time.perf_counter()
                    for item in items:
                        auditor._run_family(plan, item)
                    steps[plan.family.name] += time.perf_counter() - started
                started = time.perf_counter()
                for item in items:
                    auditor._close(item, False)
                steps["scores and record"] += time.perf_counter() - started
            total = sum(steps.values())
            shares = " ".join(f"{name} {1000 * t / len(articles):.3f}" for name, t in steps.items())
            print(
                f"{1000 * total / len(articles):.3f} ms an article "
                f"({len(articles) / total:,.0f} articles/s) | {shares}",
                flush=True,
            )


if __name__ == "__main__":
    main()
