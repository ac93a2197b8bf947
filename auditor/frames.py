"""pandas views of audits: one row per article, one row per finding."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd

from auditor.model import FINDING_FIELDS, ArticleAudit

SCORE_PREFIX = "score_"


def article_row(audit: ArticleAudit) -> dict[str, object]:
    severities = Counter(finding.severity.label for finding in audit.findings)
    row: dict[str, object] = {
        "id": audit.id,
        "source": audit.source,
        "location": audit.location,
        "url": audit.url,
        "title": audit.title,
        "published": audit.published,
        "status": audit.status,
        "reason": audit.reason,
        "score": audit.score,
        "grade": audit.grade,
        "passed": audit.passed,
        "failures": "; ".join(audit.failures),
        "findings": len(audit.findings),
        "errors": severities["error"],
        "warnings": severities["warning"],
        "infos": severities["info"],
    }
    for family, score in audit.family_scores.items():
        row[SCORE_PREFIX + family] = score
    for key, value in audit.metrics.items():
        if isinstance(value, str | int | float | bool) or value is None:
            row.setdefault(key, value)
    return row


def articles_frame(audits: Iterable[ArticleAudit]) -> pd.DataFrame:
    frame = pd.DataFrame([article_row(audit) for audit in audits])
    if frame.empty:
        return pd.DataFrame(columns=list(article_row(_EMPTY)))
    return frame


FINDING_COLUMNS = ["id", "source", "location", *FINDING_FIELDS, "weight"]


def findings_frame(audits: Iterable[ArticleAudit]) -> pd.DataFrame:
    rows = [
        {"id": audit.id, "source": audit.source, "location": audit.location, **finding.to_dict()}
        for audit in audits
        for finding in audit.findings
    ]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


_EMPTY = ArticleAudit(
    id="",
    source="",
    location="",
    status="ok",
    findings=(),
    family_scores={},
    score=None,
    grade=None,
    metrics={},
)


def table_frame(rows: Iterable[dict[str, object]], columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(columns))
