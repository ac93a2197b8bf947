"""From findings to scores, grades and a pass/fail verdict. Formulas: docs/scoring.md.

Scores measure; the policy decides. A family score falls with the weight of its findings,
span findings normalised by article length (ten stray credit lines weigh less in a 3,000-word
feature than in a 200-word brief), document findings counted once. The overall score multiplies
the family fractions, so one bad family cannot be averaged away by four clean ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from auditor.model import Finding, Severity

TAU = 25.0
"""Penalty units that bring a score down to 100/e (about 37)."""
MIN_THOUSAND_WORDS = 0.25
"""Articles shorter than 250 words are scored as if they had 250, so briefs are not crushed."""
GRADES = ((90.0, "A"), (80.0, "B"), (65.0, "C"), (50.0, "D"))


def family_score(
    findings: Iterable[Finding], words: int, document_scoped: Mapping[str, bool]
) -> float:
    """100 * exp(-(D + S / L) / TAU): D document weights, S span weights, L thousands of words."""
    document_penalty = 0.0
    span_penalty = 0.0
    for finding in findings:
        if document_scoped.get(finding.code, False):
            document_penalty += finding.weight
        else:
            span_penalty += finding.weight
    length = max(words / 1000.0, MIN_THOUSAND_WORDS)
    return round(100.0 * math.exp(-(document_penalty + span_penalty / length) / TAU), 2)


def overall_score(family_scores: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """100 * prod((score_f / 100) ** weight_f) over the families that were scored."""
    fraction = 1.0
    for name, score in family_scores.items():
        if score is not None:
            fraction *= (max(score, 0.0) / 100.0) ** weights.get(name, 1.0)
    return round(100.0 * fraction, 2)


def grade(score: float) -> str:
    for threshold, letter in GRADES:
        if score >= threshold:
            return letter
    return "F"


@dataclass(frozen=True)
class Policy:
    """What fails: a low overall score, a finding at or above a severity, a low family score."""

    fail_under: float | None = 50.0
    fail_on: Severity | None = Severity.ERROR
    family_minimums: Mapping[str, float] = field(default_factory=dict)

    def failures(
        self,
        status_ok: bool,
        score: float | None,
        family_scores: Mapping[str, float | None],
        findings: Iterable[Finding],
    ) -> list[str]:
        """Why the article fails, in words; an empty list means it passes."""
        if not status_ok:
            return ["the article could not be audited"]
        reasons = []
        if self.fail_under is not None and score is not None and score < self.fail_under:
            reasons.append(f"score {score:.1f} is below fail-under {self.fail_under:g}")
        if self.fail_on is not None:
            worst = [f for f in findings if f.severity >= self.fail_on]
            if worst:
                codes = ", ".join(sorted({f.code for f in worst}))
                reasons.append(
                    f"{len(worst)} finding(s) at {self.fail_on.label} or worse ({codes})"
                )
        for family, minimum in sorted(self.family_minimums.items()):
            value = family_scores.get(family)
            if value is not None and value < minimum:
                reasons.append(f"{family} score {value:.1f} is below its minimum {minimum:g}")
        return reasons
