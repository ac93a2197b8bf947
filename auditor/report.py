"""The per-source report card: which sources are clean, which are content farms, which copy and
spin others.

Computed from article audits alone (their scores, findings and metrics), so it can be built
during a run or later from saved JSONL results. Shares of articles with a family's warnings
come with a 95% Wilson interval, because five articles prove little and the card should say so.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
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
    return CardTally.of(audits).cards()


class CardTally:
    """The report card's figures, taken as audits stream past.

    A card of a day's crawl must not hold the crawl: each source keeps counts, a tally of its
    scores (two decimals, so at most 10,001 distinct values) and its few worst articles, and
    the whole run keeps only its copy edges and the sources of the articles in a cluster. The
    means and medians are the ones ``statistics`` gives on the full lists.
    """

    def __init__(self) -> None:
        self.articles = 0
        self.errored = 0
        self._sources: dict[str, _SourceTally] = {}
        self._families: set[str] = set()
        self._clustered: list[tuple[str, str, bool]] = []
        """(id, source, audited) of each article in a cluster: the only ones a copy points at."""
        self._copies: list[_Copy] = []

    @classmethod
    def of(cls, audits: Iterable[ArticleAudit]) -> CardTally:
        tally = cls()
        for audit in audits:
            tally.add(audit)
        return tally

    def add(self, audit: ArticleAudit) -> None:
        self.articles += 1
        self.errored += not audit.ok
        self._families.update(audit.family_scores)
        source = self._sources.get(audit.source)
        if source is None:
            source = self._sources[audit.source] = _SourceTally()
        source.add(audit)
        if audit.metrics.get("cluster") is not None:
            self._clustered.append((audit.id, audit.source, audit.ok))
        if audit.metrics.get("copy_of"):
            self._copies.append(_Copy.of(audit))

    def cards(self) -> list[SourceCard]:
        """One card per source, worst mean score first."""
        source_of = self._source_of()
        copies_of_others: Counter[str] = Counter()
        copied: set[str] = set()
        for copy in self._copies:
            if source_of.get(copy.origin) != copy.source:
                copied.add(copy.origin)
                copies_of_others[copy.source] += copy.audited
        copied_by_others = Counter(
            source for article_id, source, ok in self._clustered if ok and article_id in copied
        )
        families = sorted(self._families)
        cards = [
            tally.card(name, families, copies_of_others[name], copied_by_others[name])
            for name, tally in self._sources.items()
        ]
        return sorted(
            cards, key=lambda c: (c.row["mean_score"] is None, c.row["mean_score"] or 0, c.source)
        )

    def edges(self) -> list[dict[str, Any]]:
        """Each copy with the article and source it was copied from."""
        source_of = self._source_of()
        return [
            {
                "copy": copy.id,
                "copy_source": copy.source,
                "origin": copy.origin,
                "origin_source": source_of.get(copy.origin, "(earlier batch)"),
                "kind": copy.kind,
                "similarity": copy.similarity,
            }
            for copy in self._copies
        ]

    def _source_of(self) -> dict[str, str]:
        """The source of each article a copy may point at."""
        return {article_id: source for article_id, source, _ in self._clustered}


@dataclass(frozen=True)
class _Copy:
    """What the card needs of an article that copies another (not its findings)."""

    id: str
    source: str
    origin: str
    kind: Any
    similarity: Any
    audited: bool

    @classmethod
    def of(cls, audit: ArticleAudit) -> _Copy:
        metrics = audit.metrics
        return cls(
            audit.id,
            audit.source,
            str(metrics["copy_of"]),
            metrics.get("copy_kind"),
            metrics.get("closest_similarity"),
            audit.ok,
        )


@dataclass
class _SourceTally:
    articles: int = 0
    audited: int = 0
    failed: int = 0
    scores: Counter[float] = field(default_factory=Counter)
    family_scores: defaultdict[str, Counter[float]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    warned: Counter[str] = field(default_factory=Counter)
    template_lines: int = 0
    spun_likely: int = 0
    origins: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    worst: list[ArticleAudit] = field(default_factory=list)

    def add(self, audit: ArticleAudit) -> None:
        self.articles += 1
        self.failed += not audit.passed
        if not audit.ok:
            return
        self.audited += 1
        if audit.score is not None:
            self.scores[audit.score] += 1
        for family, value in audit.family_scores.items():
            if value is not None:
                self.family_scores[family][value] += 1
        self.warned.update({f.family for f in audit.findings if f.severity >= Severity.WARNING})
        self.template_lines += sum(1 for f in audit.findings if f.code == "BPL012")
        self.spun_likely += audit.metrics.get("spun") == "likely"
        if audit.metrics.get("claimed_origin"):
            self.origins[str(audit.metrics["claimed_origin"])] += 1
        self.languages[str(audit.metrics.get("language") or "?")] += 1
        bisect.insort(self.worst, audit, key=_worst_first)
        del self.worst[WORST_SHOWN:]

    def card(
        self, source: str, families: list[str], copies_of_others: int, copied_by_others: int
    ) -> SourceCard:
        audited = self.audited
        mean = _mean(self.scores)
        mean_score = round(mean, 2) if mean is not None else None
        row: dict[str, Any] = {
            "source": source,
            "articles": self.articles,
            "audited": audited,
            "errored": self.articles - audited,
            "failed": self.failed,
            "mean_score": mean_score,
            "median_score": _median(self.scores),
            "grade": grade(mean_score) if mean_score is not None else None,
        }
        for family in families:
            family_mean = _mean(self.family_scores.get(family, Counter()))
            row[f"score_{family}"] = round(family_mean, 2) if family_mean is not None else None
        for family in families:
            low, high = wilson(self.warned[family], audited)
            row[f"warned_{family}"] = round(self.warned[family] / audited, 3) if audited else None
            row[f"warned_{family}_low"] = round(low, 3)
            row[f"warned_{family}_high"] = round(high, 3)
        row["template_lines"] = self.template_lines
        row["copies_of_others"] = round(copies_of_others / audited, 3) if audited else None
        row["copied_by_others"] = round(copied_by_others / audited, 3) if audited else None
        row["spun_likely"] = self.spun_likely
        row["claimed_origins"] = ", ".join(
            f"{name} ({n})" for name, n in self.origins.most_common(3)
        )
        row["languages"] = ", ".join(f"{name} {n}" for name, n in self.languages.most_common())
        row["worst_articles"] = "; ".join(
            f"{a.id} ({a.score:.0f}: {top_findings(a)})" for a in self.worst if a.score is not None
        )
        row["note"] = _sample_note(audited)
        return SourceCard(source, row, list(self.worst))


def _worst_first(audit: ArticleAudit) -> tuple[float, str]:
    return (audit.score if audit.score is not None else 0.0, audit.id)


def _mean(tally: Counter[float]) -> float | None:
    """``statistics.fmean`` of the tallied values: fsum is exactly rounded, so neither the
    order nor the grouping of the values changes the sum."""
    count = sum(tally.values())
    if not count:
        return None
    values = itertools.chain.from_iterable(itertools.repeat(v, n) for v, n in tally.items())
    return math.fsum(values) / count


def _median(tally: Counter[float]) -> float | None:
    """``statistics.median`` of the tallied values, rounded as the card shows it."""
    count = sum(tally.values())
    if not count:
        return None
    middle = _nth(tally, count // 2)
    return round(middle if count % 2 else (_nth(tally, count // 2 - 1) + middle) / 2, 2)


def _nth(tally: Counter[float], position: int) -> float:
    """The value at ``position`` (from 0) of the tallied values in ascending order."""
    seen = 0
    for value in sorted(tally):
        seen += tally[value]
        if seen > position:
            return value
    raise IndexError(position)


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
