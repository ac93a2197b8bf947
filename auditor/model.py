"""Records that flow through the auditor.

Everything here is a frozen dataclass: audits cross process boundaries, land in DataFrames and
JSON, and must never change after a rule produced them.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from auditor.records import fast_init

if TYPE_CHECKING:
    import pandas as pd


class Pickled:
    """Pickles a slotted dataclass as a call to its constructor with the field values.

    The default for slotted dataclasses restores the fields one by one in a Python loop; with
    it, unpickling the audits that workers send back was the largest cost of the process pool's
    main process (0.09 ms an article, 0.03 ms this way). The values are read by one
    ``operator.attrgetter`` a class, in C: with a generator of ``getattr`` calls, a worker took
    24 µs an article to pickle its audits, 17 µs this way. Subclasses must be slotted
    dataclasses of two fields or more (``attrgetter`` of one name returns the bare value), all
    of them ``__init__`` arguments.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        cls = type(self)
        read = _FIELD_VALUES.get(cls)
        if read is None:
            names: tuple[str, ...] = self.__slots__
            read = _FIELD_VALUES[cls] = operator.attrgetter(*names)
        return cls, read(self)


_FIELD_VALUES: dict[type, Callable[[Any], Any]] = {}
"""For each Pickled class, what reads an instance's field values as a tuple, in order."""


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that policies can say "this severity or worse"."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls[value.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Article(Pickled):
    """One article as read from input. ``text`` is the original text; offsets refer to it."""

    id: str
    text: str
    source: str = "unknown"
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    location: str = ""
    """Where the article came from (``seeds/001.txt`` or ``batch.jsonl::42``), for messages."""
    meta: Mapping[str, Any] = field(default_factory=dict)
    issues: tuple[InputIssue, ...] = ()
    """Problems met while reading (e.g. replaced bytes), reported as AUD findings."""


@dataclass(frozen=True, slots=True)
class InputIssue(Pickled):
    code: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejected(Pickled):
    """An input record that could not become an Article; it still yields an audit row."""

    id: str
    location: str
    code: str
    reason: str
    source: str = "unknown"
    values: Mapping[str, Any] = field(default_factory=dict)


FINDING_FIELDS = (
    "code",
    "name",
    "family",
    "severity",
    "line",
    "column",
    "start",
    "end",
    "message",
    "evidence",
    "suggestion",
)
"""A finding's fields in the order tables and CSV show them (then its weight)."""


@fast_init
@dataclass(frozen=True, slots=True)
class Finding(Pickled):
    code: str
    name: str
    family: str
    severity: Severity
    start: int
    end: int
    line: int
    column: int
    message: str
    evidence: str = ""
    suggestion: str | None = None
    weight: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "family": self.family,
            "severity": self.severity.label,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "evidence": self.evidence,
            "suggestion": self.suggestion,
            "weight": self.weight,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        values = dict(data)
        values["severity"] = Severity.parse(values["severity"])
        return cls(**values)


STATUS_OK = "ok"
STATUS_ERROR = "error"


@fast_init
@dataclass(frozen=True, slots=True)
class ArticleAudit(Pickled):
    """The verdict on one article. ``status`` is "ok" or "error" (then ``reason`` says why)."""

    id: str
    source: str
    location: str
    status: str
    findings: tuple[Finding, ...]
    family_scores: Mapping[str, float | None]
    score: float | None
    grade: str | None
    metrics: Mapping[str, Any]
    failures: tuple[str, ...] = ()
    """Why the policy fails this article; empty when it passes."""
    reason: str | None = None
    url: str | None = None
    title: str | None = None
    published: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def claimed_origin(self) -> str | None:
        """Where the text says it came from ("dailysabah.com", "Reuters"), if it says."""
        origin = self.metrics.get("claimed_origin")
        return origin if isinstance(origin, str) else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in docs/json-output.md (schema auditor/schema/audit-v1)."""
        return {
            "id": self.id,
            "source": self.source,
            "location": self.location,
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "status": self.status,
            "reason": self.reason,
            "score": self.score,
            "grade": self.grade,
            "passed": self.passed,
            "failures": list(self.failures),
            "family_scores": dict(self.family_scores),
            "metrics": dict(self.metrics),
            "findings": [finding.to_dict() for finding in self.findings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArticleAudit:
        published = data.get("published")
        return cls(
            id=data["id"],
            source=data["source"],
            location=data.get("location", ""),
            status=data["status"],
            findings=tuple(Finding.from_dict(f) for f in data.get("findings", [])),
            family_scores=dict(data.get("family_scores", {})),
            score=data.get("score"),
            grade=data.get("grade"),
            metrics=dict(data.get("metrics", {})),
            failures=tuple(data.get("failures", [])),
            reason=data.get("reason"),
            url=data.get("url"),
            title=data.get("title"),
            published=datetime.fromisoformat(published) if published else None,
        )


@dataclass(frozen=True, slots=True)
class CorpusAudit:
    """The audits of one batch, with table views for pandas pipelines."""

    articles: tuple[ArticleAudit, ...]
    tables: Mapping[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    """Corpus-phase tables by name: "clusters" (near-duplicate groups), "provenance" (edges)."""

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[ArticleAudit]:
        return iter(self.articles)

    def to_frame(self) -> pd.DataFrame:
        """One row per article: identity, status, scores, grade, verdict, counts, metrics."""
        from auditor.frames import articles_frame

        return articles_frame(self.articles)

    def findings_frame(self) -> pd.DataFrame:
        """One row per finding, with the article's id and source."""
        from auditor.frames import findings_frame

        return findings_frame(self.articles)

    def report_card(self) -> pd.DataFrame:
        """One row per source: counts, scores, grade, warning shares with 95% intervals,
        template lines, copying, claimed origins, languages, worst articles."""
        from auditor.report import report_card

        return report_card(self.articles)

    def provenance_frame(self) -> pd.DataFrame:
        """One row per copy: copy -> origin, kind (verbatim/edited/spun/partial), similarity."""
        from auditor.frames import table_frame

        return table_frame(self.tables.get("provenance", ()), PROVENANCE_COLUMNS)

    def clusters_frame(self) -> pd.DataFrame:
        """One row per near-duplicate cluster: its id (the origin's), size, members."""
        from auditor.frames import table_frame

        return table_frame(self.tables.get("clusters", ()), CLUSTER_COLUMNS)


PROVENANCE_COLUMNS = ("copy", "origin", "kind", "similarity", "containment", "substitutions")
CLUSTER_COLUMNS = ("cluster", "size", "origin", "members")
