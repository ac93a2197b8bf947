"""The per-source report card: which sources are clean, which are content farms, which copy and
spin others.

Computed from article audits alone (their scores, findings and metrics), so it can be built
during a run or later from saved JSONL results. Shares of articles with a family's warnings
come with a 95% Wilson interval, because five articles prove little and the card should say so.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.model import ArticleAudit, Severity
from auditor.scoring import grade

if TYPE_CHECKING:
    import pandas as pd

Z95 = 1.959964
WORST_SHOWN = 3


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """95% Wilson score interval of a proportion; (0, 1) when there are no trials."""
    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    denominator = 1 + Z95**2 / trials
    centre = (share + Z95**2 / (2 * trials)) / denominator
    half = Z95 * math.sqrt(share * (1 - share) / trials + Z95**2 / (4 * trials**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class SourceCard:
    source: str
    row: dict[str, Any]
    worst: list[ArticleAudit]


def report_card(audits: Iterable[ArticleAudit]) -> pd.DataFrame:
    """One row per source, worst mean score first."""
    return cards_frame(source_cards(audits))


def cards_frame(cards: list[SourceCard]) -> pd.DataFrame:
    # pandas is imported here, not with the module: a run that writes no card table does not
    # pay for it (0.3 s and about 60 MB in every process)
    import pandas as pd

    return pd.DataFrame([card.row for card in cards])


def source_cards(audits: Iterable[ArticleAudit]) -> list[SourceCard]:
    articles = list(audits)
    source_of = {a.id: a.source for a in articles}
    copied_by_others: set[str] = {
        str(a.metrics["copy_of"])
        for a in articles
        if a.metrics.get("copy_of") and source_of.get(str(a.metrics["copy_of"])) != a.source
    }
    families = sorted({name for a in articles for name in a.family_scores})
    by_source: dict[str, list[ArticleAudit]] = defaultdict(list)
    for article in articles:
        by_source[article.source].append(article)
    cards = []
    for source, group in by_source.items():
        cards.append(_card(source, group, families, source_of, copied_by_others))
    return sorted(
        cards, key=lambda c: (c.row["mean_score"] is None, c.row["mean_score"] or 0, c.source)
    )


def _card(
    source: str,
    group: list[ArticleAudit],
    families: list[str],
    source_of: Mapping[str, str],
    copied_by_others: set[str],
) -> SourceCard:
    audited = [a for a in group if a.ok]
    scores = [a.score for a in audited if a.score is not None]
    mean = round(statistics.fmean(scores), 2) if scores else None
    row: dict[str, Any] = {
        "source": source,
        "articles": len(group),
        "audited": len(audited),
        "errored": len(group) - len(audited),
        "failed": sum(not a.passed for a in group),
        "mean_score": mean,
        "median_score": round(statistics.median(scores), 2) if scores else None,
        "grade": grade(mean) if mean is not None else None,
    }
    for family in families:
        values = [a.family_scores.get(family) for a in audited]
        present = [v for v in values if v is not None]
        row[f"score_{family}"] = round(statistics.fmean(present), 2) if present else None
    for family in families:
        warned = sum(
            any(f.family == family and f.severity >= Severity.WARNING for f in a.findings)
            for a in audited
        )
        low, high = wilson(warned, len(audited))
        row[f"warned_{family}"] = round(warned / len(audited), 3) if audited else None
        row[f"warned_{family}_low"] = round(low, 3)
        row[f"warned_{family}_high"] = round(high, 3)
    row["template_lines"] = sum(1 for a in audited for f in a.findings if f.code == "BPL012")
    copies = [
        a
        for a in audited
        if a.metrics.get("copy_of") and source_of.get(str(a.metrics["copy_of"])) != source
    ]
    row["copies_of_others"] = round(len(copies) / len(audited), 3) if audited else None
    row["copied_by_others"] = (
        round(sum(a.id in copied_by_others for a in audited) / len(audited), 3) if audited else None
    )
    row["spun_likely"] = sum(a.metrics.get("spun") == "likely" for a in audited)
    origins = Counter(
        str(a.metrics["claimed_origin"]) for a in audited if a.metrics.get("claimed_origin")
    )
    row["claimed_origins"] = ", ".join(f"{name} ({n})" for name, n in origins.most_common(3))
    languages = Counter(str(a.metrics.get("language") or "?") for a in audited)
    row["languages"] = ", ".join(f"{name} {n}" for name, n in languages.most_common())
    worst = sorted(audited, key=lambda a: (a.score if a.score is not None else 0.0, a.id))
    worst = worst[:WORST_SHOWN]
    row["worst_articles"] = "; ".join(
        f"{a.id} ({a.score:.0f}: {top_findings(a)})" for a in worst if a.score is not None
    )
    row["note"] = _sample_note(len(audited))
    return SourceCard(source, row, worst)


def top_findings(audit: ArticleAudit, count: int = 2) -> str:
    ranked = sorted(audit.findings, key=lambda f: (-f.weight, f.start, f.code))
    seen: list[str] = []
    for finding in ranked:
        label = f"{finding.code} {finding.name}"
        if label not in seen:
            seen.append(label)
        if len(seen) == count:
            break
    return ", ".join(seen) or "no findings"


def _sample_note(count: int) -> str:
    if count >= 30:
        return ""
    _, high = wilson(0, count)
    return (
        f"only {count} article(s): a share of 0 could be anywhere up to {high:.0%}, "
        "judge the source on more articles"
    )
