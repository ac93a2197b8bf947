"""Assertions for tests that audit text they build themselves.

from auditor.testing import assert_article_ok
assert_article_ok(cleaned_text, fail_under=80, fail_on="warning")
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from auditor.config import Config, split_selectors
from auditor.model import ArticleAudit, Finding, Severity


class AuditFailed(AssertionError):
    """An article (or a source) below the policy; its report is the message."""

    def __init__(self, audit: ArticleAudit | None, message: str | None = None) -> None:
        self.audit = audit
        super().__init__(message or (failure_report(audit) if audit else "audit failed"))


def audit_text(text: str, config: Config | None = None, **meta: Any) -> ArticleAudit:
    from auditor.api import audit

    return audit(text, config=config, **meta)


def assert_article_ok(
    text: str,
    *,
    fail_under: float | None = None,
    fail_on: str | None = None,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    config: Config | None = None,
    **meta: Any,
) -> ArticleAudit:
    """Audit ``text`` and raise AuditFailed, listing the findings, when the policy fails it."""
    settings = (config or Config()).with_overrides(
        fail_under=fail_under, select=_selectors(select), ignore=_selectors(ignore)
    )
    if fail_on is not None:
        settings = replace(
            settings, fail_on=None if fail_on == "never" else Severity.parse(fail_on)
        )
    result = audit_text(text, settings, **meta)
    if not result.passed:
        raise AuditFailed(result)
    return result


def failure_report(audit: ArticleAudit, findings: Iterable[Finding] | None = None) -> str:
    """``line:col CODE name message`` for each finding, with evidence and suggestion."""
    score = "no score" if audit.score is None else f"score {audit.score:.1f} ({audit.grade})"
    lines = [f"{audit.location or audit.id} [{audit.source}]: {score}"]
    lines += [f"  fails: {reason}" for reason in audit.failures]
    for f in audit.findings if findings is None else findings:
        lines.append(f"  {f.line}:{f.column} {f.code} {f.name} [{f.severity.label}] {f.message}")
        if f.evidence:
            evidence = " ".join(f.evidence.split())
            lines.append(f"      | {evidence[:157] + '...' if len(evidence) > 160 else evidence}")
        if f.suggestion:
            lines.append(f"      = {f.suggestion}")
    return "\n".join(lines)


def _selectors(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        return split_selectors(value)
    return tuple(value)
