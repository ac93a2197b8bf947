"""The plugin, driven through pytester as a data team would use it."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ENGLISH, SEEDS

# Boilerplate findings only, so that which seeds fail does not move with the other families:
# with fail-under 85, 001 (banner and theme id) and 003 (Getty embed) fail.
STRICT = ("--audit", "articles", "--audit-select", "BPL", "--audit-fail-under", "85")


@pytest.fixture
def project(pytester: pytest.Pytester):
    articles = pytester.path / "articles"
    shutil.copytree(SEEDS, articles)
    pytester.makepyfile(test_unit="def test_unit():\n    assert 1 + 1 == 2\n")
    return pytester


def test_inactive_without_the_option(project):
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    # pytest lists every installed plugin on its "plugins:" line; nothing else may mention us.
    lines = [line for line in result.stdout.lines if not line.startswith("plugins:")]
    assert not [line for line in lines if "audit" in line.lower()]


def test_one_item_per_article_with_failures_that_point_at_the_text(project):
    result = project.runpytest(*STRICT, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=2)  # test_unit + 3 seeds pass; 001 and 003 fail
    out = result.stdout.str()
    assert "articles/001_71d129728d4f5e67.txt::001_71d129728d4f5e67 FAILED" in out or (
        "FAILED articles/001_71d129728d4f5e67.txt::001_71d129728d4f5e67" in out
    )
    assert "1:1 BPL001 machine-identifier" in out and "| realtybizideas banner" in out
    assert "5:1 BPL002 photo-credit" in out
    assert "Traceback" not in out and "def runtest" not in out
    assert "article audit: report card" in out and "realtybizideas.com" in out


def test_k_selects_articles_by_id(project):
    result = project.runpytest(*STRICT, "-k", "004", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*1 passed*"])


def test_last_failed_reruns_only_the_failing_articles(project):
    project.runpytest(*STRICT)
    result = project.runpytest(*STRICT, "--lf")
    result.assert_outcomes(failed=2)


def test_ini_option_and_tool_auditor_policy(project):
    project.makeini("[pytest]\naudit_paths = articles\n")
    (project.path / "auditor.toml").write_text(
        'select = ["BPL"]\nfail-under = 85\n', encoding="utf-8"
    )
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=2)


def test_plugin_can_be_disabled(project):
    project.makeini("[pytest]\naudit_paths = articles\n")
    result = project.runpytest("-p", "no:auditor", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_bad_records_are_failing_items_not_a_crashed_session(pytester):
    batch = pytester.path / "data" / "batch.jsonl"
    batch.parent.mkdir()
    batch.write_text(
        json.dumps({"id": "good", "text": ENGLISH})
        + "\n{not json\n"
        + json.dumps({"id": "empty", "text": " "})
        + "\n",
        encoding="utf-8",
    )
    result = pytester.runpytest("--audit", "data", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    assert "batch.jsonl::good PASSED" in out or "1 passed" in out
    assert "AUD004 malformed-record" in out and "line 2: not valid JSON" in out
    assert "AUD001 empty-text" in out


def test_missing_path_is_a_usage_error(pytester):
    result = pytester.runpytest("--audit", "nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--audit: no such file or directory: nowhere*"])


def test_min_source_grade_adds_one_item_per_source(project):
    result = project.runpytest(
        "--audit",
        "articles",
        "--audit-select",
        "BPL",
        "--audit-min-source-grade",
        "C",
        "-p",
        "no:cacheprovider",
        "-rf",
    )
    result.assert_outcomes(passed=10, failed=1)
    result.stdout.fnmatch_lines(
        ["*source realtybizideas.com: mean score * is below the minimum grade C*"]
    )


def test_fixture_marker_and_assert_helper(pytester):
    pytester.makepyfile(
        test_texts=f"""
import pytest
from auditor.testing import AuditFailed, assert_article_ok

TEXT = {ENGLISH + chr(10) + "Read more:"!r}

pytestmark = pytest.mark.audit_policy(select="BPL")

def test_fixture_returns_the_audit(audit):
    result = audit(TEXT)
    assert "BPL003" in {{f.code for f in result.findings}}
    audit.assert_ok(TEXT)

@pytest.mark.audit_policy(select="BPL", fail_on="warning")
def test_marker_tightens_the_policy(audit):
    with pytest.raises(AssertionError, match="BPL003 call-to-action"):
        audit.assert_ok(TEXT)

def test_helper():
    assert_article_ok({ENGLISH!r}, select="BPL")
    with pytest.raises(AuditFailed, match="fails: 1 finding"):
        assert_article_ok(TEXT, select="BPL", fail_on="warning")
"""
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_works_under_xdist(project):
    result = project.runpytest_subprocess(*STRICT, "-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=2)


def test_the_bad_input_matrix_through_the_plugin(pytester):
    from test_reliability import MATRIX

    folder = pytester.path / "hostile"
    folder.mkdir()
    for name, data in MATRIX.items():
        if name not in ("huge.txt", "long-line.txt"):  # the CLI and library tests cover size
            (folder / name).write_bytes(data)
    (folder / "batch.jsonl").write_text(
        '{"id": "ok", "text": "Officials met on Sunday to discuss the plan."}\n{"id": "cut", "te',
        encoding="utf-8",
    )
    result = pytester.runpytest(
        "--audit",
        "hostile",
        "--audit-fail-under",
        "0",
        "--audit-fail-on",
        "never",
        "-p",
        "no:cacheprovider",
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) + outcomes.get("failed", 0) == len(MATRIX) - 2 + 2
    assert outcomes.get("failed") == 4  # empty, blank, binary, the truncated JSON line
    out = result.stdout.str()
    assert "AUD002 binary-input" in out and "AUD004 malformed-record" in out
    assert "INTERNALERROR" not in out and "Traceback" not in out
