"""Instructions per article under valgrind: a cost the machine's drift does not move.

    python bench/instructions.py [--articles 400,1200] [--roots PATH,PATH]

Timings on this shared machine drift by up to 50% within minutes, so a change of a few percent
cannot be read off two timed runs. Valgrind's cachegrind counts the instructions a process
executes instead; for the same code and input the count repeats to within about 1%. Each root
(a checkout of the project, this one by default) audits the generated corpus in a fresh process
under ``valgrind --tool=cachegrind --cache-sim=no``, through the engine's batched loop with the
corpus phase ignored, as bench/throughput.py does: once with the smaller article count, once
with the larger, both after the same 100 warm-up articles. The difference of the two counts over
the difference of the articles is what an article costs, start-up excluded. Runs about 40 times
slower than natively: the defaults take 2-3 minutes a root. Requires valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import corpus_rules, generated_corpus

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 100

AUDIT = """
import json, sys
from itertools import islice
from auditor import Auditor, Config, hsdatabase
from auditor.engine import fewer_collections
from auditor.model import Article

path, count, ignore = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
hsdatabase.BUILD_AFTER = 0
with open(path, encoding="utf-8") as stream:
    rows = [json.loads(line) for line in islice(stream, count)]
articles = [Article(id=row["id"], text=row["text"], source=row["source"]) for row in rows]
auditor = Auditor(Config(ignore=tuple(ignore)))
with fewer_collections():
    for _ in auditor.iter_audits(articles):
        pass
"""

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="400,1200", help="two article counts")
    parser.add_argument("--roots", default=str(ROOT), help="checkouts to measure, by commas")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    fewer, more = sorted(int(n) for n in args.articles.split(","))
    corpus = generated_corpus(more + WARM_UP)
    ignore = ",".join(corpus_rules())
    first = None
    for root in args.roots.split(","):
        low = instructions(root, corpus, WARM_UP + fewer, ignore)
        high = instructions(root, corpus, WARM_UP + more, ignore)
        per_article = (high - low) / (more - fewer)
        first = first or per_article
        print(
            f"{root}: {per_article / 1e6:.3f} million instructions an article "
            f"({per_article / first:.3f} of the first root)"
        )


def instructions(root: str, corpus: Path, count: int, ignore: str) -> int:
    """Instructions executed by a fresh process auditing the first ``count`` articles."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, "-c", AUDIT, str(corpus), str(count), ignore]
    env = dict(os.environ, PYTHONPATH=root, PYTHONHASHSEED="0")
    # run from the corpus's folder: from the project's own, "-c" would import its auditor first
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=corpus.parent, check=True
    )
    found = _REFS.search(done.stderr)
    if found is None:
        sys.exit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


if __name__ == "__main__":
    main()
