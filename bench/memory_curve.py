"""Resident memory of the article phase as the number of audited articles grows.

    python bench/memory_curve.py bench/out/generated-1000000-<pool>.jsonl [--jobs 2] [--every 10]

(the file bench/scaling.py writes; ``<pool>`` is the sentence pool's digest, bench/corpus.py)

Runs the real CLI on a JSONL corpus (the corpus phase's rules ignored, output JSONL to a file)
and samples, every few seconds, how many audits have been written and the resident set of the
main process and of its largest worker (from /proc, Linux only). A flat curve is the evidence
that memory does not grow with the corpus; the samples also show throughput as the run goes.
Writes bench/out/memory-curve.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import OUT, audit_args, corpus_rules


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return found


def count_lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    args = parser.parse_args()
    output = OUT / "memory-curve-audits.jsonl"
    cli = audit_args(args.corpus, str(output), args.jobs, ignore=corpus_rules())
    command = [sys.executable, "-m", "auditor.cli", *cli]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    samples = []
    while process.poll() is None:
        time.sleep(args.every)
        workers = [rss_mb(pid) for pid in children(process.pid)]
        sample = {
            "seconds": round(time.perf_counter() - started, 1),
            "audited": count_lines(output) if output.exists() else 0,
            "main_mb": round(rss_mb(process.pid), 1),
            "largest_worker_mb": round(max(workers, default=0.0), 1),
        }
        if sample["main_mb"]:
            samples.append(sample)
            print(json.dumps(sample), flush=True)
            (OUT / "memory-curve.json").write_text(json.dumps(samples), encoding="utf-8")
    elapsed = time.perf_counter() - started
    audited = count_lines(output)
    print(f"exit {process.returncode}: {audited:,} audits in {elapsed:.0f} s")
    print(f"({audited / elapsed:.1f} articles/s)")
    for label, key in (("main", "main_mb"), ("largest worker", "largest_worker_mb")):
        values = [s[key] for s in samples]
        if values:
            median = sorted(values)[len(values) // 2]
            print(f"{label}: peak {max(values):.0f} MB, median {median:.0f} MB")
    output.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
