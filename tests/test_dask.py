"""The Dask runner on a real distributed cluster gives the local engine's results."""

from __future__ import annotations

import pandas as pd
import pytest
from test_duplication import OTHER, STORY, spin

from auditor import Auditor
from auditor.config import FieldNames
from auditor.readers import record_from_mapping

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


def corpus_frame() -> pd.DataFrame:
    rows = [
        {
            "id": "origin",
            "text": "\n\n".join(STORY),
            "source": "wire.example",
            "published": "2024-11-17T09:00:00",
        },
        {"id": "other", "text": "\n\n".join(OTHER), "source": "bank.example"},
        {
            "id": "seed-like",
            "text": "Read more:\n\n" + "\n\n".join(OTHER[:2]),
            "source": "farm.example",
        },
        {"id": "partial", "text": "\n\n".join(STORY[:3]), "source": "brief.example"},
        {
            "id": "copy",
            "text": "realtybizideas banner\n\n" + "\n\n".join(STORY),
            "source": "farm.example",
        },
        {"id": "spun", "text": "\n\n".join(spin(p) for p in STORY), "source": "spin.example"},
        {"id": "bad", "text": None, "source": "farm.example"},
    ]
    return pd.DataFrame(rows)


def test_results_equal_the_local_engine_article_for_article(client):
    frame = corpus_frame()
    # three partitions: the origin sits apart from its copy and its spun version
    ddf = dd.from_pandas(frame, npartitions=3, sort=False)
    from auditor.dask import audit_dask

    articles, findings = audit_dask(ddf, text="text", id="id")
    remote = articles.compute().set_index("id")
    fields = FieldNames()
    rows = [
        {k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")
    ]
    records = [
        record_from_mapping(row, fields, str(i), "dask", f"row {i}") for i, row in enumerate(rows)
    ]
    local = Auditor().audit_corpus(records)
    expected = local.to_frame().set_index("id")
    pd.testing.assert_frame_equal(
        remote.drop(columns=["location"]), expected.drop(columns=["location"]), check_like=True
    )
    assert remote.loc["copy", "copy_of"] == "origin" and remote.loc["spun", "copy_kind"] == "spun"
    assert remote.loc["bad", "status"] == "error"
    remote_findings = findings.compute()
    assert len(remote_findings) == len(local.findings_frame())
    assert set(remote_findings["code"]) == set(local.findings_frame()["code"])


def test_the_cli_runs_on_a_local_dask_cluster(cli, tmp_path):
    from conftest import write_jsonl

    rows = [
        {"id": r["id"], "text": r["text"], "source": r["source"]}
        for r in corpus_frame().to_dict("records")
        if isinstance(r["text"], str)
    ]
    rows.append({"id": "no-text"})
    path = write_jsonl(tmp_path / "batch.jsonl", rows)
    code, out, err = cli("audit", str(path), "--dask", "--jobs", "2", "--format", "jsonl")
    local_code, local_out, _ = cli("audit", str(path), "--jobs", "1", "--format", "jsonl")
    assert out == local_out and code == local_code
    assert "7 records: 6 audited, 1 errors" in err
