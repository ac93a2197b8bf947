"""The near-duplicate index that lasts: today's articles against everything seen before."""

from __future__ import annotations

import json

import pytest
from conftest import write_jsonl
from test_duplication import OTHER, STORY, article

from auditor import Auditor, Config
from auditor.corpus import store
from auditor.model import Article


def run(index, *records: Article):
    return {a.id: a for a in Auditor(Config(index=index)).audit_corpus(records)}


def test_a_later_batch_finds_copies_of_saved_articles(tmp_path):
    index = tmp_path / "index"
    first = run(index, article("origin", STORY, source="wire.example"), article("bank", OTHER))
    assert "cluster" not in first["origin"].metrics
    assert [e.id for e in store.load(index)] == ["origin", "bank"]

    second = run(index, article("copy", [*STORY, "Follow us for more"], source="farm.example"))
    assert second["copy"].metrics["copy_of"] == "origin"
    assert any(f.message.startswith("near-copy of origin") for f in second["copy"].findings)
    assert [e.id for e in store.load(index)] == ["origin", "bank", "copy"]


def test_a_new_version_of_a_saved_article_replaces_it(tmp_path):
    index = tmp_path / "index"
    run(index, article("origin", STORY))
    again = run(index, article("origin", STORY[:5]))
    assert "cluster" not in again["origin"].metrics  # not a copy of its own earlier version
    entries = store.load(index)
    assert [e.id for e in entries] == ["origin"] and entries[0].words < 150


def test_an_index_of_another_format_is_refused(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / "meta.json").write_text(json.dumps({"format": "something", "version": 9}))
    with pytest.raises(store.IndexFormatError, match="not an article-auditor index"):
        run(index, article("a", STORY))


def test_the_cli_keeps_the_index_between_runs(cli, tmp_path):
    index = tmp_path / "idx"
    day1 = write_jsonl(tmp_path / "day1.jsonl", [{"id": "origin", "text": "\n\n".join(STORY)}])
    day2 = write_jsonl(tmp_path / "day2.jsonl", [{"id": "copy", "text": "\n\n".join(STORY)}])
    cli("audit", str(day1), "--index", str(index))
    code, out, _ = cli("audit", str(day2), "--index", str(index), "--format", "jsonl")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["metrics"]["copy_of"] == "origin" and row["metrics"]["copy_kind"] == "verbatim"
    (index / "meta.json").write_text("{broken")
    code, _, err = cli("audit", str(day2), "--index", str(index))
    assert code == 2 and "unreadable index metadata" in err


def test_an_index_of_an_earlier_version_is_refused(tmp_path):
    index = tmp_path / "index"
    run(index, article("origin", STORY))
    meta = json.loads((index / "meta.json").read_text())
    assert meta["version"] == store.VERSION
    (index / "meta.json").write_text(json.dumps({**meta, "version": store.VERSION - 1}))
    with pytest.raises(store.IndexFormatError, match=f"index of version {store.VERSION}"):
        run(index, article("copy", STORY))
