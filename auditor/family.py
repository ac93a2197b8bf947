"""What a family module declares: its metrics, its Python checks, its corpus checks.

A family module turns a Document into metrics and Findings and knows nothing of the engine or
of other families. The rules themselves (codes, severities, thresholds, messages) live in the
family's pack; the module only supplies what data cannot say, bound by the rule's ``check``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from auditor.document import Document
from auditor.model import Article, Finding
from auditor.packs import Rule

if TYPE_CHECKING:
    from auditor.config import Config

Metrics = dict[str, Any]
MetricsFunction = Callable[[Document], Metrics]
CheckFunction = Callable[["CheckContext", Rule], Iterable[Finding]]


@dataclass(slots=True)
class CheckContext:
    """What a check may read: the document, the article, and metrics computed so far."""

    doc: Document
    article: Article
    metrics: Metrics

    def finding(
        self,
        rule: Rule,
        start: int,
        end: int,
        suggestion: str | None = None,
        **values: Any,
    ) -> Finding:
        return make_finding(self.doc, rule, start, end, suggestion=suggestion, **values)


def make_finding(
    doc: Document,
    rule: Rule,
    start: int,
    end: int,
    suggestion: str | None = None,
    **values: Any,
) -> Finding:
    """A finding for ``rule`` over ``doc.text[start:end]``, its message filled from ``values``."""
    line, column = doc.line_col(start)
    return rule_finding(rule, start, end, line, column, doc.text[start:end], suggestion, **values)


def rule_finding(
    rule: Rule,
    start: int,
    end: int,
    line: int,
    column: int,
    evidence: str,
    suggestion: str | None = None,
    **values: Any,
) -> Finding:
    """A finding whose position is already known (corpus checks no longer hold the text)."""
    fields = {"evidence": _shorten(evidence), "suggestion": suggestion, **values}
    return Finding(
        code=rule.code,
        name=rule.name,
        family=rule.family,
        severity=rule.severity,
        start=start,
        end=end,
        line=line,
        column=column,
        message=format_message(rule.message, fields),
        evidence=evidence,
        suggestion=suggestion,
        weight=rule.weight,
    )


@dataclass
class CorpusVerdict:
    """What a corpus check concludes: findings and metrics per article id, and tables
    (such as near-duplicate clusters or provenance edges) for the corpus audit."""

    findings: dict[str, list[Finding]] = field(default_factory=dict)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class CorpusCheck(Protocol):
    """A check that needs the whole batch: state is collected per article, judged at the end.

    ``collect`` runs in the worker after the article rules (so it sees their metrics) and must
    return something small and picklable (hashes, signatures, compressed text at most);
    ``add`` and ``finish`` run in the main process.
    """

    def collect(self, context: CheckContext) -> Any: ...

    def add(self, article_id: str, state: Any) -> None: ...

    def finish(self) -> CorpusVerdict: ...


CorpusFactory = Callable[[list[Rule], "Config"], CorpusCheck]
Finalizer = Callable[[CheckContext, list[Finding]], list[Finding]]


@dataclass
class FamilyModule:
    """The Python side of one family, registered under the family's name from its pack."""

    name: str
    metric_functions: list[MetricsFunction] = field(default_factory=list)
    checks: dict[str, CheckFunction] = field(default_factory=dict)
    corpus_checks: dict[str, CorpusFactory] = field(default_factory=dict)
    finalizers: list[Finalizer] = field(default_factory=list)

    def finalize(self, function: Finalizer) -> Finalizer:
        """Register a pass over all of the family's findings for an article, after every rule
        of the family ran and before its metric rules: to summarise them into metrics, or to
        weigh them per sentence instead of per match."""
        self.finalizers.append(function)
        return function

    def metrics(self, function: MetricsFunction) -> MetricsFunction:
        self.metric_functions.append(function)
        return function

    def check(self, name: str) -> Callable[[CheckFunction], CheckFunction]:
        def register(function: CheckFunction) -> CheckFunction:
            self.checks[name] = function
            return function

        return register

    def corpus_check(self, name: str) -> Callable[[CorpusFactory], CorpusFactory]:
        def register(factory: CorpusFactory) -> CorpusFactory:
            self.corpus_checks[name] = factory
            return factory

        return register


def format_message(template: str, values: Mapping[str, Any]) -> str:
    """Fill a pack's message template; a placeholder that cannot be filled stays as written."""
    try:
        return template.format_map(_Lenient(values))
    except (ValueError, IndexError, AttributeError):
        return template


class _Lenient(dict[str, Any]):
    """Leaves unknown placeholders visible instead of raising in the middle of an audit."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
