"""Quality of each rule family on the labelled development sets in ../shared/eval.

    python bench/eval.py [--family NAME ...] [--write docs/accuracy.md]

Each family registers one evaluation below; it reads the sets it needs, runs the auditor as a
user would, and returns a Markdown section. The sets are read where they lie (never copied into
the project); when the folder is absent the script says so and exits 0. Point
AUDITOR_EVAL_DIR elsewhere to use another copy.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from auditor import Auditor, Config
from auditor.document import Document
from auditor.families import language
from auditor.model import Article

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = Path(os.environ.get("AUDITOR_EVAL_DIR", ROOT.parent / "shared" / "eval"))

Evaluation = Callable[[Path], str]
EVALUATIONS: dict[str, Evaluation] = {}


def evaluation(name: str) -> Callable[[Evaluation], Evaluation]:
    def register(function: Evaluation) -> Evaluation:
        EVALUATIONS[name] = function
        return function

    return register


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def scrapinghub_texts(eval_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """(source, text) of every ScrapingHub set, by set."""
    folder = eval_dir / "scrapinghub"
    sets = {
        "clean (gold bodies)": "clean.jsonl",
        "spun": "spun.jsonl",
        "extractor outputs": "boilerplate.jsonl",
    }
    return {
        name: [(r["source"], r["text"]) for r in read_jsonl(folder / file)]
        for name, file in sets.items()
    }


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


@evaluation("language")
def evaluate_language(eval_dir: Path) -> str:
    """Detected languages on the ScrapingHub sets, agreement with langdetect, and cost."""
    auditor = Auditor(Config(select=("LNG",)))
    rows = []
    fast = total = 0
    ours_s = full_s = 0.0
    agree = compared = 0
    foreign: Counter[tuple[str, str]] = Counter()
    for name, records in scrapinghub_texts(eval_dir).items():
        records = [(source, text) for source, text in records if text.strip()]
        codes: Counter[str] = Counter()
        for source, text in records:
            started = time.perf_counter()
            audit = auditor.audit_record(Article(id="x", text=text))
            ours_s += time.perf_counter() - started
            codes.update(f.code for f in audit.findings)
            if name.startswith("clean") and audit.metrics.get("language") != "en":
                foreign[(source, str(audit.metrics.get("language")))] += 1
            started = time.perf_counter()
            full = langdetect_language(text)
            full_s += time.perf_counter() - started
            compared += 1
            agree += audit.metrics.get("language") == full
            for passage in language._passages(Document(text)):
                total += 1
                fast += language.fast_english(language.letter_words(passage.text))
        rows.append([name, len(records), codes["LNG001"], codes["LNG002"], codes["LNG004"]])
    listed = ", ".join(f"{source} ({lang})" for (source, lang), _ in sorted(foreign.items()))
    return "\n\n".join(
        [
            "The ScrapingHub pages are mostly English news, but not all: by reading them, the "
            f"gold bodies flagged LNG001 are indeed not English: {listed}. The LNG002 findings "
            "are the Portuguese captions of an English NASCAR standings table "
            "(autoracing.com.br). The spun and extractor sets derive from the same pages.",
            table(["set", "articles", "LNG001", "LNG002", "LNG004"], rows),
            f"- Passages decided by the English fast path: {fast}/{total} "
            f"({fast / max(total, 1):.1%}); the rest go to langdetect.",
            f"- Agreement of the article language with langdetect on the full text: "
            f"{agree}/{compared} ({agree / max(compared, 1):.1%}).",
            f"- Cost per article: the LNG family {ours_s / compared * 1000:.2f} ms; langdetect "
            f"on the full text {full_s / compared * 1000:.2f} ms "
            f"({full_s / max(ours_s, 1e-9):.1f}x).",
        ]
    )


def langdetect_language(text: str) -> str | None:
    """langdetect's own answer on the whole text (seeded as the family seeds it): the
    reference the family's passages and fast path are measured against."""
    import langdetect
    from langdetect.lang_detect_exception import LangDetectException

    langdetect.DetectorFactory.seed = language.SEED
    try:
        found = str(langdetect.detect(text))
    except LangDetectException:  # no letters langdetect knows
        return None
    return None if found == "unknown" else found


def flagged_lines(text: str, findings: list[Any], family: str) -> set[int]:
    """Indices of the lines (split on newline) where the family's span findings start."""
    starts = [0]
    for line in text.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return {
        bisect.bisect_right(starts, f.start) - 1
        for f in findings
        if f.family == family and f.end > f.start
    }


def precision_recall(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def boilerplate_scores(
    records: list[dict[str, Any]], audits: Iterable[Any]
) -> tuple[dict[str, Counter[str]], Counter[str], Counter[str]]:
    """Per-extractor confusion counts of line predictions, and the missed and false lines."""
    per: dict[str, Counter[str]] = {}
    misses: Counter[str] = Counter()
    alarms: Counter[str] = Counter()
    for record, audit in zip(records, audits, strict=True):
        hit = flagged_lines(record["text"], list(audit.findings), "boilerplate")
        counts = per.setdefault(record["extractor"], Counter())
        for index, line in enumerate(record["lines"]):
            if line["label"] == "title":
                continue
            predicted, actual = index in hit, line["label"] == "boilerplate"
            counts[
                "tp" if predicted and actual else "fp" if predicted else "fn" if actual else "tn"
            ] += 1
            if actual and not predicted:
                misses[line["text"][:90]] += 1
            if predicted and not actual:
                alarms[line["text"][:90]] += 1
    return per, misses, alarms


@evaluation("boilerplate")
def evaluate_boilerplate(eval_dir: Path) -> str:
    """Line-level precision/recall of BPL on ten extractors' output; false alarms on gold text."""
    folder = eval_dir / "scrapinghub"
    records = list(read_jsonl(folder / "boilerplate.jsonl"))
    articles = [Article(id=r["id"], text=r["text"], source=r["source"]) for r in records]
    alone = Auditor(Config(select=("BPL", "LNG")))
    per, misses, alarms = boilerplate_scores(records, map(alone.audit_record, articles))
    together = Auditor(Config(select=("BPL", "LNG", "DUP010")))
    per_corpus, corpus_misses, corpus_alarms = boilerplate_scores(
        records, together.iter_audits(articles)
    )
    rows = []
    for name in [*sorted(per), "all extractors"]:
        one = sum(per.values(), Counter()) if name == "all extractors" else per[name]
        both = sum(per_corpus.values(), Counter()) if name == "all extractors" else per_corpus[name]
        p, r, f = precision_recall(one["tp"], one["fp"], one["fn"])
        cp, cr, cf = precision_recall(both["tp"], both["fp"], both["fn"])
        rows.append(
            [
                name,
                one["tp"] + one["fn"],
                f"{p:.3f}",
                f"{r:.3f}",
                f"{f:.3f}",
                f"{cp:.3f}",
                f"{cr:.3f}",
                f"{cf:.3f}",
            ]
        )
    clean = list(read_jsonl(folder / "clean.jsonl"))
    clean_findings: Counter[str] = Counter()
    for record in clean:
        audit = alone.audit_record(Article(id=record["id"], text=record["text"]))
        clean_findings.update(f.code for f in audit.findings if f.family == "boilerplate")
    per_article = sum(clean_findings.values()) / len(clean)
    return "\n\n".join(
        [
            "Line-level detection of leaked boilerplate in the output of ten extractors "
            "(title lines excluded). *Alone*: each article audited by itself. *Corpus*: the "
            "960 outputs audited together, so the corpus checks also run (template lines, and "
            "BPL014: lines that few of the other near-copies of the same page carry).",
            table(
                [
                    "extractor",
                    "boilerplate lines",
                    "P alone",
                    "R alone",
                    "F1 alone",
                    "P corpus",
                    "R corpus",
                    "F1 corpus",
                ],
                rows,
            ),
            f"- BPL findings on the {len(clean)} gold bodies (clean news), one at a time: "
            f"{sum(clean_findings.values())} ({per_article:.2f} per article): "
            + (", ".join(f"{c} {n}" for c, n in clean_findings.most_common()) or "none"),
            "Most frequent misses, alone (boilerplate lines not flagged):",
            "\n".join(f"- {n}x `{text}`" for text, n in misses.most_common(20)),
            "Most frequent false alarms, alone (content lines flagged):",
            "\n".join(f"- {n}x `{text}`" for text, n in alarms.most_common(20)),
            "Most frequent misses with the corpus phase:",
            "\n".join(f"- {n}x `{text}`" for text, n in corpus_misses.most_common(20)),
            "Most frequent false alarms with the corpus phase:",
            "\n".join(f"- {n}x `{text}`" for text, n in corpus_alarms.most_common(20)),
        ]
    )


def adjusted_rand_index(truth: list[str], predicted: list[str]) -> float:
    """ARI of two labelings of the same items (Hubert and Arabie)."""
    from math import comb

    pairs = Counter(zip(truth, predicted, strict=True))
    index = sum(comb(n, 2) for n in pairs.values())
    a = sum(comb(n, 2) for n in Counter(truth).values())
    b = sum(comb(n, 2) for n in Counter(predicted).values())
    expected = a * b / comb(len(truth), 2)
    maximum = (a + b) / 2
    return (index - expected) / (maximum - expected) if maximum != expected else 1.0


@evaluation("duplication")
def evaluate_duplication(eval_dir: Path) -> str:
    """Clusters against `page`; pair precision/recall; substitutions named by alignment."""
    folder = eval_dir / "scrapinghub"
    records, truth = [], []
    for r in read_jsonl(folder / "boilerplate.jsonl"):
        records.append(Article(id=r["id"], text=r["text"], source=r["source"]))
        truth.append(r["page"])
    for r in read_jsonl(folder / "clean.jsonl"):
        records.append(Article(id=r["id"], text=r["text"], source=r["source"]))
        truth.append(r["id"])
    spun = list(read_jsonl(folder / "spun.jsonl"))
    for r in spun:
        records.append(Article(id=r["id"], text=r["text"], source=r["source"]))
        truth.append(r["original_id"])
    started = time.perf_counter()
    corpus = Auditor(Config(select=("DUP010", "SPN030"))).audit_corpus(records)
    seconds = time.perf_counter() - started
    predicted = [str(a.metrics.get("cluster") or a.id) for a in corpus]
    ari = adjusted_rand_index(truth, predicted)
    true_pairs = same_pairs(truth)
    found_pairs = same_pairs(predicted)
    tp = len(true_pairs & found_pairs)
    pair_p, pair_r, pair_f = precision_recall(
        tp, len(found_pairs - true_pairs), len(true_pairs - found_pairs)
    )
    by_id = {a.id: a for a in corpus}
    named = total = 0
    kinds: Counter[str] = Counter()
    for r in spun:
        audit = by_id[r["id"]]
        kinds[str(audit.metrics.get("copy_kind", audit.metrics.get("provenance", "alone")))] += 1
        found = [f for f in audit.findings if f.code == "SPN030"]
        for sub in r["substitutions"]:
            total += 1
            named += any(
                f.start < sub["end"]
                and sub["start"] < f.end
                and (f.suggestion or "").lower() == sub["original"].lower()
                for f in found
            )
    edges = corpus.provenance_frame()
    return "\n\n".join(
        [
            f"{len(records)} records: the ten extractor outputs of each of the 98 pages, the "
            "98 gold bodies and their 98 spun versions; the truth is the page each came from. "
            f"Corpus phase: {seconds:.1f} s.",
            table(
                ["measure", "value"],
                [
                    ["adjusted Rand index vs page", f"{ari:.3f}"],
                    ["pair precision", f"{pair_p:.3f}"],
                    ["pair recall", f"{pair_r:.3f}"],
                    ["pair F1", f"{pair_f:.3f}"],
                    [
                        "clusters found / pages",
                        f"{len(corpus.clusters_frame())} / {len(set(truth))}",
                    ],
                    [
                        "substitutions named with the right original word",
                        f"{named}/{total} ({named / max(total, 1):.3f})",
                    ],
                ],
            ),
            "- Role of the spun articles: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()),
            "- Edge kinds: "
            + ", ".join(f"{k} {v}" for k, v in Counter(edges["kind"]).most_common()),
        ]
    )


def same_pairs(labels: list[str]) -> set[tuple[int, int]]:
    groups: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, []).append(index)
    return {
        (a, b)
        for members in groups.values()
        for i, a in enumerate(members)
        for b in members[i + 1 :]
    }


@evaluation("hedging")
def evaluate_hedging(eval_dir: Path) -> str:
    """CoNLL-2010 Wikipedia weasel sentences; flagged sentences on clean news; the seeds."""
    import csv
    import random

    from auditor.families.hedging import classify_sentences

    auditor = Auditor(Config(select=("HDG", "LNG")))
    with (eval_dir / "hedging" / "conll2010_wiki_train.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    counts: Counter[str] = Counter()
    halves: list[Counter[str]] = [Counter(), Counter()]
    started = time.perf_counter()
    for index, row in enumerate(rows):
        audit = auditor.audit_record(Article(id=str(index), text=row["text"]))
        predicted = any(f.family == "hedging" for f in audit.findings)
        actual = row["label"] == "1"
        key = "tp" if predicted and actual else "fp" if predicted else "fn" if actual else "tn"
        counts[key] += 1
        halves[index % 2][key] += 1
    seconds = time.perf_counter() - started
    p, r, f = precision_recall(counts["tp"], counts["fp"], counts["fn"])
    half_f1 = [precision_recall(h["tp"], h["fp"], h["fn"])[2] for h in halves]

    clean = list(read_jsonl(eval_dir / "scrapinghub" / "clean.jsonl"))
    classes: Counter[str] = Counter()
    flagged: list[tuple[str, str]] = []
    for record in clean:
        article = Article(id=record["id"], text=record["text"])
        audit = auditor.audit_record(article)
        if audit.metrics.get("language") not in (None, "en"):
            continue
        for sentence, label in classify_sentences(Document(record["text"]), list(audit.findings)):
            classes[label] += 1
            if label in ("hedged", "vague", "unconfirmed"):
                cues = [
                    f.evidence
                    for f in audit.findings
                    if sentence.start <= f.start < sentence.end and f.family == "hedging"
                ]
                flagged.append((label, f"{sentence.text[:160]}  [{', '.join(cues)}]"))
    total = sum(classes.values())
    sample = random.Random(0).sample(flagged, min(20, len(flagged)))
    seeds = sorted(
        (sum(f.weight for f in a.findings if f.family == "hedging"), a.id)
        for a in Auditor(Config(select=("HDG", "LNG"))).iter_audits(
            __import__("auditor.readers", fromlist=["read_directory"]).read_directory(
                ROOT / "seeds"
            )
        )
    )
    return "\n\n".join(
        [
            f"CoNLL-2010 Wikipedia weasel task (train split, {len(rows)} sentences, each audited "
            f"alone; a sentence is predicted uncertain when any HDG rule flags it; "
            f"{seconds:.1f} s):",
            table(
                ["precision", "recall", "F1", "F1 even rows", "F1 odd rows"],
                [[f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", f"{half_f1[0]:.3f}", f"{half_f1[1]:.3f}"]],
            ),
            f"Sentence classes on the English ScrapingHub gold bodies ({total} sentences of "
            "four words or more):",
            table(
                ["class", "sentences", "share"],
                [
                    [name, classes[name], f"{classes[name] / max(total, 1):.3f}"]
                    for name in ("unconfirmed", "vague", "hedged", "sourced", "plain")
                ],
            ),
            "Twenty flagged sentences drawn at random (class, sentence, cues):",
            "\n".join(f"- {label}: {text}" for label, text in sample),
            "HDG penalty of the seeds (sum of weights), lowest first: "
            + ", ".join(f"{name[:3]} {penalty:.2f}" for penalty, name in seeds),
        ]
    )


def document_scores(
    audits: dict[str, Any], records: list[dict[str, Any]]
) -> tuple[float, float, float]:
    """Precision, recall and F1 of "spun" over the English ``records`` (spun ones carry an
    original_id): the verdict `spun` is likely or possible, or provenance found a spun copy."""
    counts: Counter[str] = Counter()
    for record in records:
        metrics = audits[record["id"]].metrics
        if metrics.get("language") not in (None, "en"):
            continue
        predicted = metrics.get("spun") in ("likely", "possible") or (
            metrics.get("copy_kind") == "spun"
        )
        actual = "original_id" in record
        counts[
            "tp" if predicted and actual else "fp" if predicted else "fn" if actual else "tn"
        ] += 1
    return precision_recall(counts["tp"], counts["fp"], counts["fn"])


def thesaurus_evidence(audits: dict[str, Any], spun: list[dict[str, Any]]) -> str:
    """How often an SPN040 finding sits on a swapped span, and names the original word."""
    shown = on_swap = named = 0
    for record in spun:
        for finding in audits[record["id"]].findings:
            if finding.code != "SPN040":
                continue
            shown += 1
            swaps = [
                sub
                for sub in record["substitutions"]
                if finding.start < sub["end"] and sub["start"] < finding.end
            ]
            on_swap += bool(swaps)
            named += any(finding.suggestion == sub["original"].lower() for sub in swaps)
    return (
        f"SPN040 on spun articles: {shown} findings, {on_swap / max(shown, 1):.3f} of them on a "
        f"swapped span; the suggestion names the original for {named / max(on_swap, 1):.3f} of "
        "those."
    )


@evaluation("spinner")
def evaluate_spinner(eval_dir: Path) -> str:
    """Spun vs clean documents, substitution recall, false alarms on clean news."""
    folder = eval_dir / "scrapinghub"
    clean = list(read_jsonl(folder / "clean.jsonl"))
    spun = list(read_jsonl(folder / "spun.jsonl"))
    auditor = Auditor(Config(select=("SPN", "LNG")))
    swap_codes = {"SPN001", "SPN002", "SPN010", "SPN030", "SPN040"}

    def verdicts(audits: Iterable[Any]) -> dict[str, Any]:
        return {a.id: a for a in audits}

    alone = verdicts(
        auditor.audit_record(Article(id=r["id"], text=r["text"])) for r in clean + spun
    )
    together = verdicts(
        Auditor(Config(select=("SPN", "LNG", "DUP010"))).iter_audits(
            [Article(id=r["id"], text=r["text"]) for r in clean + spun]
        )
    )
    halves = " / ".join(f"{document_scores(alone, (clean + spun)[k::2])[2]:.3f}" for k in (0, 1))
    rows, alarms = [], Counter()
    for name, audits in (("alone", alone), ("with originals in the corpus", together)):
        p, r, f = document_scores(audits, clean + spun)
        hit = total = 0
        for record in spun:
            found = [x for x in audits[record["id"]].findings if x.code in swap_codes]
            for sub in record["substitutions"]:
                total += 1
                hit += any(x.start < sub["end"] and sub["start"] < x.end for x in found)
        clean_warnings = [
            x
            for rec in clean
            for x in audits[rec["id"]].findings
            if x.family == "spinner" and x.severity.label != "info"
        ]
        if name == "alone":
            alarms.update(f"{x.code} {x.evidence}" for x in clean_warnings)
        rows.append(
            [
                name,
                f"{p:.3f}",
                f"{r:.3f}",
                f"{f:.3f}",
                f"{hit / max(total, 1):.3f}",
                f"{len(clean_warnings) / len(clean):.2f}",
            ]
        )
    return "\n\n".join(
        [
            "Documents: the 98 gold bodies (negatives) and their 98 spun versions (positives), "
            "English only; predicted spun when the verdict `spun` is likely or possible (or, "
            "with the originals present, when provenance finds the copy spun). Substitutions: "
            "a finding of SPN001/SPN002/SPN010/SPN030/SPN040 overlapping the swapped span.",
            table(
                [
                    "run",
                    "doc precision",
                    "doc recall",
                    "doc F1",
                    "substitution recall",
                    "SPN warnings per clean article",
                ],
                rows,
            ),
            thesaurus_evidence(alone, spun) + f" Document F1 alone on even / odd rows: {halves}.",
            "Most common SPN warnings on clean articles (alone): "
            + (", ".join(f"{k} ({v})" for k, v in alarms.most_common(10)) or "none"),
        ]
    )


@evaluation("readability")
def evaluate_readability(eval_dir: Path) -> str:
    """Findings on human-edited news: warnings there are false alarms; figures for the range."""
    auditor = Auditor(Config(select=("RDB", "LNG")))
    texts = [r["text"] for r in read_jsonl(eval_dir / "scrapinghub" / "clean.jsonl")]
    codes: Counter[str] = Counter()
    ease, grades = [], []
    for text in texts:
        audit = auditor.audit_record(Article(id="x", text=text))
        codes.update(f.code for f in audit.findings if f.family == "readability")
        if "flesch_reading_ease" in audit.metrics:
            ease.append(audit.metrics["flesch_reading_ease"])
            grades.append(audit.metrics["grade_level"])
    deciles = [round(q, 1) for q in statistics.quantiles(ease, n=10)]
    grade_deciles = [round(q, 1) for q in statistics.quantiles(grades, n=10)]
    rows = [[code, count, f"{count / len(texts):.3f}"] for code, count in sorted(codes.items())]
    return "\n\n".join(
        [
            f"On the {len(texts)} ScrapingHub gold bodies (edited news): findings per article. "
            "RDB001/RDB002 (warnings) here are false alarms; RDB003/RDB004 are information.",
            table(["code", "findings", "per article"], rows or [["none", 0, "0.000"]]),
            f"- Flesch reading ease deciles: {deciles}",
            f"- Grade-level consensus deciles: {grade_deciles}",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", action="append", choices=sorted(EVALUATIONS))
    parser.add_argument("--write", type=Path, help="write the report (e.g. docs/accuracy.md)")
    args = parser.parse_args()
    if not (EVAL_DIR / "scrapinghub").is_dir():
        print(f"skipped: no evaluation sets at {EVAL_DIR} (set AUDITOR_EVAL_DIR)")
        return 0
    sections = [
        "# Accuracy",
        "",
        "Generated by `python bench/eval.py --write docs/accuracy.md` "
        "on the development half of the evaluation sets; do not edit by hand.",
        "",
    ]
    for name in args.family or sorted(EVALUATIONS):
        started = time.perf_counter()
        body = EVALUATIONS[name](EVAL_DIR)
        sections += [f"## {name}", "", body, ""]
        print(f"## {name} ({time.perf_counter() - started:.1f} s)\n\n{body}\n", flush=True)
    if args.write:
        args.write.write_text("\n".join(sections), encoding="utf-8")
        print(f"wrote {args.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
