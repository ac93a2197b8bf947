"""Audit a Dask DataFrame on a cluster, with the same results as the local engine.

    from auditor.dask import audit_dask
    articles, findings = audit_dask(ddf, text="body", source="site")

Three steps:

1. **Article phase, per partition, on the workers**: each partition's rows become records and
   run through the same engine (`Auditor.article_phase`), which returns each article's audit and
   the compact corpus state (signatures, compressed text).
2. **Near-duplicate banding as a shuffle**: every article's MinHash band keys become rows
   (key, position) of a Dask DataFrame, grouped by key across the cluster; each group of two or
   more articles yields candidate pairs. Copies in different partitions meet in their band's
   group.
3. **Corpus phase on the client**: the states are added in input order and the corpus checks
   finish as they do locally, with provenance taking its candidates from step 2. Articles
   are then re-scored with the corpus findings.

Step 3 holds every article's compact state on the client (a few kilobytes each, the text
compressed); it is the part that does not scale past the client's memory.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from auditor.config import Config, FieldNames
from auditor.corpus import banding
from auditor.corpus.provenance import CopyState
from auditor.engine import ArticleState, Auditor, Record, shared_auditor
from auditor.family import CorpusCheck
from auditor.frames import articles_frame, findings_frame
from auditor.model import Article, ArticleAudit
from auditor.readers import record_from_mapping

PROVENANCE = "provenance"


class DaskAudit(NamedTuple):
    articles: Any
    """dask DataFrame: one row per article (as ``CorpusAudit.to_frame()``)."""
    findings: Any
    """dask DataFrame: one row per finding (as ``CorpusAudit.findings_frame()``)."""


def audit_dask(
    ddf: Any,
    text: str = "text",
    *,
    id: str | None = None,
    source: str | None = "source",
    url: str | None = "url",
    published: str | None = "published",
    title: str | None = "title",
    config: Config | None = None,
) -> DaskAudit:
    """Audit the rows of a Dask DataFrame; results equal ``Auditor(config).audit_corpus``."""
    import dask
    import dask.dataframe as dd

    fields, wanted = FieldNames.for_columns(text, id, source, url, published, title, ddf.columns)
    audits = _audits(ddf, fields, wanted, id is None, config or Config())
    partitions = max(ddf.npartitions, 1)
    with dask.config.set({"dataframe.convert-string": False}):  # the same dtypes as locally
        return DaskAudit(
            articles=dd.from_pandas(articles_frame(audits), npartitions=partitions),
            findings=dd.from_pandas(findings_frame(audits), npartitions=partitions),
        )


def _audits(
    ddf: Any, fields: FieldNames, wanted: list[str], index_ids: bool, config: Config
) -> list[ArticleAudit]:
    """The ArticleAudits of the rows of a Dask DataFrame, in row order (see the module doc)."""
    import dask
    import dask.dataframe as dd
    from dask.delayed import delayed

    # The phase's columns are bytes (JSON, pickles): Dask must not turn them into strings.
    with dask.config.set({"dataframe.convert-string": False}):
        sizes = ddf.map_partitions(len).compute().tolist()
        offsets = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(int).tolist()
        phase = [
            delayed(_article_phase)(part, offset, config, fields, wanted, index_ids)
            for part, offset in zip(ddf[wanted].to_delayed(), offsets, strict=True)
        ]
        states = dd.from_delayed(phase, meta=_PHASE_META).persist()
        keys = states.map_partitions(_band_rows, config, meta=_BAND_META)
        pairs = keys.shuffle("key").map_partitions(_bucket_pairs, meta=_PAIR_META).compute()
        rows = states.compute().sort_values("position")
    candidates = banding.unique_pairs(pairs[["a", "b"]].to_numpy(dtype=np.int64))

    def configure(checks: Mapping[str, CorpusCheck]) -> None:
        check = checks.get(PROVENANCE)
        if check is not None:
            check.pair_source = lambda: candidates  # type: ignore[attr-defined]

    return list(Auditor(config).complete(_decoded(rows), configure=configure))


def run_records(
    records: Iterable[Record], config: Config, scheduler: str | None, workers: int
) -> Iterator[ArticleAudit]:
    """The CLI's Dask path: records to a Dask DataFrame on a cluster (an existing scheduler, or
    a local one with ``workers`` processes), audits back in input order with their locations.

    The records are read before the cluster starts: this path does not stream.
    """
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    records = list(records)
    fields = FieldNames()
    rows = [
        {
            "id": r.id,
            "text": r.text,
            "source": r.source,
            "url": r.url,
            "title": r.title,
            "published": r.published.isoformat() if r.published else None,
        }
        for r in records
        if isinstance(r, Article)
    ]
    frame = pd.DataFrame(rows, columns=["id", "text", "source", "url", "title", "published"])
    cluster = (
        None
        if scheduler
        else LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    )
    with Client(scheduler or cluster):
        ddf = dd.from_pandas(frame, npartitions=max(1, min(len(frame), 4 * workers)), sort=False)
        columns = list(frame.columns)
        audited = iter(_audits(ddf, fields, columns, False, config) if rows else [])
    if cluster is not None:
        cluster.close()
    local = Auditor(config)
    for record in records:
        if isinstance(record, Article):
            yield replace(next(audited), location=record.location)
        else:
            yield local.audit_record(record)


_PHASE_META = pd.DataFrame(
    {
        "position": pd.Series(dtype="int64"),
        "audit": pd.Series(dtype="object"),
        "states": pd.Series(dtype="object"),
    }
)
_BAND_META = pd.DataFrame({"key": pd.Series(dtype="uint64"), "position": pd.Series(dtype="int64")})
_PAIR_META = pd.DataFrame({"a": pd.Series(dtype="int64"), "b": pd.Series(dtype="int64")})


def _article_phase(
    part: pd.DataFrame,
    offset: int,
    config: Config,
    fields: FieldNames,
    columns: list[str],
    index_ids: bool,
) -> pd.DataFrame:
    auditor = shared_auditor(config)
    records = []
    for position, (index, row) in enumerate(
        zip(part.index, part.itertuples(index=False, name=None), strict=True)
    ):
        values = {k: (None if _missing(v) else v) for k, v in zip(columns, row, strict=True)}
        if index_ids:
            values[fields.id] = str(index)
        records.append(
            record_from_mapping(values, fields, str(index), "dask", f"row {offset + position}")
        )
    out = [
        {
            "position": offset + n,
            "audit": json.dumps(audit.to_dict(), default=str).encode(),
            "states": pickle.dumps(states),
        }
        for n, (audit, states) in enumerate(auditor.article_phase(records))
    ]
    return pd.DataFrame(out, columns=list(_PHASE_META.columns))


def _band_rows(part: pd.DataFrame, config: Config) -> pd.DataFrame:
    """(band key, position) for every article that has a near-duplicate signature."""
    check = shared_auditor(config)._corpus_collectors.get(PROVENANCE)
    if check is None:
        return _BAND_META.iloc[:0]
    bands, rows = check.bands, check.rows  # type: ignore[attr-defined]
    keys, positions = [], []
    for position, blob in zip(part["position"], part["states"], strict=True):
        state = pickle.loads(blob).get(PROVENANCE)
        if isinstance(state, CopyState):
            signature = np.frombuffer(state.signature, dtype=np.uint32)
            keys.append(banding.band_keys(signature, bands, rows))
            positions.append(np.full(bands, position, dtype=np.int64))
    if not keys:
        return _BAND_META.iloc[:0]
    return pd.DataFrame({"key": np.concatenate(keys), "position": np.concatenate(positions)})


def _bucket_pairs(part: pd.DataFrame) -> pd.DataFrame:
    """Candidate pairs inside each band key of this shuffled partition (as local banding)."""
    keys = part["key"].to_numpy(dtype=np.uint64)
    pairs = banding.bucket_pairs(keys, part["position"].to_numpy(dtype=np.int64))
    return pd.DataFrame({"a": pairs[:, 0], "b": pairs[:, 1]}, dtype="int64")


def _decoded(rows: pd.DataFrame) -> Iterator[ArticleState]:
    for audit, states in zip(rows["audit"], rows["states"], strict=True):
        yield ArticleAudit.from_dict(json.loads(audit)), pickle.loads(states)


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
