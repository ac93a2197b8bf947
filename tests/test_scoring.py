from __future__ import annotations

import math

import pytest

from auditor.model import Finding, Severity
from auditor.scoring import TAU, Policy, family_score, grade, overall_score


def finding(code: str = "TST001", weight: float = 1.0, severity=Severity.WARNING) -> Finding:
    return Finding(code, "x", "testing", severity, 0, 1, 1, 1, "m", "e", None, weight)


def test_clean_family_scores_100():
    assert family_score([], 800, {}) == 100.0


def test_span_findings_are_normalised_by_length():
    five = [finding() for _ in range(5)]
    short = family_score(five, 500, {})
    long = family_score(five, 5000, {})
    assert short == pytest.approx(100 * math.exp(-(5 / 0.5) / TAU), abs=0.01)
    assert long > short


def test_short_articles_are_floored_at_250_words():
    assert family_score([finding()], 10, {}) == family_score([finding()], 250, {})


def test_document_findings_count_once_whatever_the_length():
    scoped = {"TST001": True}
    assert family_score([finding(weight=5)], 300, scoped) == family_score(
        [finding(weight=5)], 3000, scoped
    )
    assert family_score([finding(weight=5)], 300, scoped) == pytest.approx(
        100 * math.exp(-5 / TAU), abs=0.01
    )


def test_overall_multiplies_family_fractions_and_skips_missing_families():
    scores = {"a": 50.0, "b": 100.0, "c": None}
    assert overall_score(scores, {"a": 1.0, "b": 1.0}) == 50.0
    assert overall_score({"a": 50.0, "b": 50.0}, {"a": 1.0, "b": 1.0}) == 25.0
    assert overall_score({"a": 25.0}, {"a": 0.5}) == 50.0


@pytest.mark.parametrize(
    ("score", "letter"), [(100, "A"), (90, "A"), (89.9, "B"), (70, "C"), (55, "D"), (49.9, "F")]
)
def test_grades(score, letter):
    assert grade(score) == letter


def test_policy_names_every_reason():
    policy = Policy(fail_under=60, fail_on=Severity.WARNING, family_minimums={"testing": 90})
    reasons = policy.failures(True, 55.0, {"testing": 80.0}, [finding()])
    assert len(reasons) == 3
    assert "below fail-under 60" in reasons[0]
    assert "warning or worse (TST001)" in reasons[1]
    assert "testing score 80.0 is below its minimum 90" in reasons[2]


def test_policy_passes_clean_articles_and_fails_errored_ones():
    policy = Policy()
    assert policy.failures(True, 95.0, {}, [finding(severity=Severity.INFO)]) == []
    assert policy.failures(False, None, {}, []) == ["the article could not be audited"]
    assert Policy(fail_on=None).failures(True, 95.0, {}, [finding(severity=Severity.ERROR)]) == []
