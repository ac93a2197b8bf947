from __future__ import annotations

import pandas as pd
import pytest
from conftest import ENGLISH, GERMAN

import auditor
from auditor import Auditor, Config
from auditor.readers import read_directory


def test_audit_one_text():
    result = auditor.audit(GERMAN, id="de-1", url="https://www.spiegel.de/x")
    assert (result.id, result.source, result.status) == ("de-1", "spiegel.de", "ok")
    assert 0 <= result.score <= 100 and result.grade in "ABCDF"
    assert {"LNG001", "LNG003"} <= {f.code for f in result.findings}


def test_audit_frame_keeps_the_index_and_reports_bad_rows():
    frame = pd.DataFrame(
        {"body": [ENGLISH, GERMAN, None, 7], "site": ["a.com", "b.de", "c.com", "d.com"]},
        index=["x", "y", "z", "w"],
    )
    result = auditor.audit_frame(frame, text_col="body", source_col="site")
    assert list(result.index) == ["x", "y", "z", "w"]
    assert list(result["status"]) == ["ok", "ok", "error", "error"]
    assert list(result["source"]) == ["a.com", "b.de", "c.com", "d.com"]
    assert result.loc["y", "language"] == "de"
    assert "missing text field 'body'" in result.loc["z", "reason"]
    assert {"score", "grade", "passed", "score_language"} <= set(result.columns)


def test_audit_frame_needs_its_text_column():
    with pytest.raises(KeyError, match="no text column 'text'"):
        auditor.audit_frame(pd.DataFrame({"body": ["x"]}))


def test_corpus_audit_frames(seeds):
    corpus = Auditor(Config(select=("LNG", "RDB"))).audit_corpus(read_directory(seeds))
    articles = corpus.to_frame()
    assert len(articles) == len(corpus) == 5
    assert set(articles["source"]) >= {"realtybizideas.com"}
    assert articles["flesch_reading_ease"].between(-50, 121).all()
    findings = corpus.findings_frame()
    assert list(findings.columns[:4]) == ["id", "source", "location", "code"]
    assert len(findings) == sum(len(a.findings) for a in corpus)
