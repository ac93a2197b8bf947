"""Where the article phase spends its time, sampled by py-spy while the real CLI runs.

    python bench/hotspots.py [--articles 10000] [--rate 250] [--native] [--top 25]

A deterministic profiler (cProfile) adds a fixed cost to every Python call, so code made of
many small calls looks slower than it is, and C code that does the same work in one call
looks cheaper. py-spy reads the stacks of the running process from outside instead, at a fixed
rate, and costs the run almost nothing. Each sample is charged to the deepest frame in the
auditor's own code: the time a check spends in ``re``, numpy or Hyperscan is the check's. The
run is one job, generated JSONL in and JSONL to /dev/null out, corpus phase ignored (as in
bench/scaling.py). ``--native`` also reads C frames (slower to sample, and it pauses the
process for each sample). Requires ``pip install py-spy``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import RUN, audit_args, corpus_rules, generated_corpus

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=250, help="samples per second")
    parser.add_argument("--native", action="store_true", help="sample C frames too")
    parser.add_argument("--top", type=int, default=25, help="functions to list")
    args = parser.parse_args()
    if shutil.which("py-spy") is None:
        sys.exit("py-spy is not installed: pip install py-spy")
    corpus = generated_corpus(args.articles)

    with tempfile.TemporaryDirectory() as folder:
        stacks = Path(folder) / "stacks.txt"
        command = ["py-spy", "record", "--format", "raw", "--rate", str(args.rate)]
        command += ["--output", str(stacks), *(["--native"] if args.native else [])]
        run = [sys.executable, "-c", RUN, *audit_args(corpus, "/dev/null", 1, corpus_rules())]
        started = time.perf_counter()
        subprocess.run([*command, "--", *run], check=True, capture_output=True)
        elapsed = time.perf_counter() - started
        by_module, by_function = charge(stacks.read_text(encoding="utf-8").splitlines())

    total = sum(by_module.values())
    per_sample = 1000 * elapsed / total / args.articles  # ms per article
    print(f"{args.articles:,} articles in {elapsed:.1f} s under py-spy, {total:,} samples\n")
    for title, counts, rows in (
        ("module", by_module, None),
        ("function", by_function, args.top),
    ):
        print(f"| {title} | share | ms per article |\n| --- | --- | --- |")
        for name, count in counts.most_common(rows):
            print(f"| {name} | {100 * count / total:.1f}% | {count * per_sample:.3f} |")
        print()


def charge(lines: list[str]) -> tuple[Counter[str], Counter[str]]:
    """Samples per auditor module and per auditor function, each sample charged to its
    deepest auditor frame (start-up and anything outside the auditor: "other")."""
    by_module: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    for line in lines:
        stack, _, count = line.rpartition(" ")
        module, function = "other", "other"
        for frame in reversed(stack.split(";")):
            match = _FRAME.match(frame)
            if match and "auditor/" in match["file"] and "/bench/" not in match["file"]:
                module = "auditor/" + match["file"].rpartition("auditor/")[2]
                function = f"{module}:{match['function']}"
                break
        by_module[module] += int(count)
        by_function[function] += int(count)
    return by_module, by_function


if __name__ == "__main__":
    main()
