"""Article-phase throughput: docs/s and peak memory for 1 and 2 jobs, and each family's cost.

    python bench/throughput.py [--articles 20000] [--sample 2000]

Each measured run is a fresh process reading a generated JSONL file and writing JSONL to
/dev/null through the real CLI path, so start-up, reading, auditing and writing all count.
Peak memory is the largest resident set of the run's process tree (ru_maxrss of the process and
of its waited-for children). Timings on a shared 2-core machine vary by 5-10% between runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import pool_tag, write_jsonl

OUT = Path(__file__).resolve().parent / "out"

RUN = """
import resource, sys, time
from auditor.cli import main
started = time.perf_counter()
code = main(sys.argv[1:])
elapsed = time.perf_counter() - started
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{elapsed} {self_kb} {children_kb}", file=sys.stderr)
sys.exit(code)  # a run that failed is not measured
"""


def generated_corpus(count: int) -> Path:
    """The JSONL file of ``count`` generated articles, written on first use."""
    path = OUT / f"generated-{count}-{pool_tag()}.jsonl"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        started = time.perf_counter()
        write_jsonl(path, count)
        print(f"generated {count:,} articles in {time.perf_counter() - started:.0f} s")
    return path


def corpus_rules() -> tuple[str, ...]:
    """The corpus phase's rules: ignoring them leaves the article phase, which streams."""
    from auditor.registry import load_registry

    registry = load_registry()
    return tuple(c for c, r in registry.rules.items() if registry.corpus_check(r))


def audit_args(path: Path, output: str, jobs: int, ignore: Sequence[str] = ()) -> list[str]:
    """The CLI arguments of a measured run: JSONL out, no policy, no progress, no config."""
    args = [str(path), "--format", "jsonl", "-o", output, "--jobs", str(jobs)]
    args += ["--fail-on", "never", "--fail-under", "0", "-q", "--isolated"]
    if ignore:
        args += ["--ignore", ",".join(ignore)]
    return ["audit", *args]


def measure(path: Path, jobs: int, ignore: Sequence[str] = ()) -> dict[str, float]:
    args = audit_args(path, "/dev/null", jobs, ignore)
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, check=True
    )
    elapsed, self_kb, children_kb = done.stderr.strip().splitlines()[-1].split()
    return {
        "seconds": float(elapsed),
        "self_mb": int(self_kb) / 1024,
        "worker_mb": int(children_kb) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=2_000, help="articles for per-family cost")
    args = parser.parse_args()

    corpus = generated_corpus(args.articles)
    size_mb = corpus.stat().st_size / 1e6
    print(f"corpus: {corpus.name}, {args.articles} articles, {size_mb:.1f} MB")

    results: dict[str, object] = {}
    for jobs in (1, 2):
        r = measure(corpus, jobs)
        results[jobs] = r
        print(
            f"jobs={jobs}: {args.articles / r['seconds']:8.1f} docs/s  "
            f"({r['seconds']:.1f} s)  peak RSS main {r['self_mb']:.0f} MB, "
            f"largest worker {r['worker_mb']:.0f} MB"
        )
    print(f"speed-up with 2 jobs: {results[1]['seconds'] / results[2]['seconds']:.2f}x")

    print(f"\nper-family cost, {args.sample} articles in this process after warm-up:")
    costs = family_costs(args.sample)
    for name, ms in costs.items():
        print(f"  {name:<16} {ms:6.2f} ms/article")
    results["family_ms"] = costs

    peers = peer_costs(args.sample)
    if peers:
        print(f"\npeer, the same {args.sample} articles in this process:")
        for name, ms in peers.items():
            print(f"  {name:<58} {ms:7.2f} ms/article  {1000 / ms:7.1f} docs/s")
        ours = peers["auditor, article phase (all default article rules)"]
        for name, ms in peers.items():
            if name.startswith("datatrove"):
                print(f"  auditor is {ms / ours:.1f}x faster than {name}")
        results["peers_ms"] = peers
    (OUT / "throughput.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


def family_costs(count: int) -> dict[str, float]:
    """Milliseconds per article for each family alone (plus the engine's own work), through
    the engine's batched loop, corpus phase ignored."""
    from corpus import generate

    from auditor import Auditor, Config, hsdatabase
    from auditor.registry import load_registry

    hsdatabase.BUILD_AFTER = 0  # built during warm-up; its one-off cost is not per article
    articles = list(generate(count, seed=1))
    ignore = corpus_rules()
    costs = {}
    for family in load_registry().ordered_families():
        auditor = Auditor(Config(select=(family.prefix,), ignore=ignore))
        for _ in auditor.iter_audits(articles[:100]):  # imports, dictionaries, compiled packs
            pass
        started = time.perf_counter()
        for _ in auditor.iter_audits(articles):
            pass
        label = f"{family.prefix} {family.name}" if family.prefix != "AUD" else "engine alone"
        costs[label] = (time.perf_counter() - started) / count * 1000
    return costs


def peer_costs(count: int) -> dict[str, float]:
    """datatrove's four heuristic filters against the auditor's article phase, one core each,
    on the same articles. Empty when datatrove (and the spaCy tokenizer it needs) is missing."""
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import (
            C4QualityFilter,
            FineWebQualityFilter,
            GopherQualityFilter,
            GopherRepetitionFilter,
        )
    except ImportError:
        print("\npeer skipped: pip install -e '.[peers]' (datatrove and spaCy)")
        return {}
    from corpus import generate

    from auditor import Auditor, Config, hsdatabase

    hsdatabase.BUILD_AFTER = 0  # built during warm-up, as in a long run
    articles = list(generate(count, seed=1))
    filters = [
        GopherQualityFilter(),
        GopherRepetitionFilter(),
        C4QualityFilter(),
        FineWebQualityFilter(),
    ]
    auditor = Auditor(Config(ignore=corpus_rules()))
    for _ in auditor.iter_audits(articles[:100]):  # imports, profiles, compiled packs
        pass
    for article in articles[:20]:  # tokenizers
        for f in filters:
            f.filter(Document(text=article.text, id=article.id))

    def passes(result: object) -> bool:
        return result[0] if isinstance(result, tuple) else bool(result)

    started = time.perf_counter()
    for _ in auditor.iter_audits(articles):  # the engine's batched loop, as the CLI runs it
        pass
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for article in articles:
        for f in filters:
            f.filter(Document(text=article.text, id=article.id))
    every = time.perf_counter() - started
    started = time.perf_counter()
    for article in articles:
        for f in filters:
            if not passes(f.filter(Document(text=article.text, id=article.id))):
                break
    chain = time.perf_counter() - started
    return {
        "auditor, article phase (all default article rules)": ours / count * 1000,
        "datatrove, Gopher quality + repetition, C4, FineWeb": every / count * 1000,
        "datatrove, the same chain stopping at the first failure": chain / count * 1000,
    }


if __name__ == "__main__":
    main()
