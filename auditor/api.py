"""The library's front door: audit one text, or a whole DataFrame."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pandas as pd

from auditor.config import Config, FieldNames
from auditor.engine import shared_auditor
from auditor.frames import articles_frame
from auditor.model import Article, ArticleAudit
from auditor.readers import Record, record_from_mapping, repaired_text, resolve_source


def audit(
    text: str,
    *,
    id: str = "article",
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    published: datetime | None = None,
    config: Config | None = None,
    **meta: Any,
) -> ArticleAudit:
    """Audit one article's text. The Auditor for a configuration is built once and reused."""
    text, repairs = repaired_text(text)
    article = Article(
        id=id,
        text=text,
        source=resolve_source(source, url, None),
        url=url,
        title=title,
        published=published,
        location=id,
        meta=meta,
        issues=repairs,
    )
    return shared_auditor(config).audit_record(article)


def audit_frame(
    frame: pd.DataFrame,
    text_col: str = "text",
    *,
    id_col: str | None = None,
    source_col: str | None = "source",
    url_col: str | None = "url",
    published_col: str | None = "published",
    title_col: str | None = "title",
    config: Config | None = None,
    jobs: int | None = 1,
) -> pd.DataFrame:
    """One row of scores per input row, indexed like ``frame``; findings stay in the audits.

    Rows whose text is missing or not a string come out with status "error" and a reason.
    """
    if text_col not in frame.columns:
        raise KeyError(f"no text column {text_col!r} in the frame (columns: {list(frame.columns)})")
    # Only the columns the caller named are read, so a column left as None is never used.
    fields, columns = FieldNames.for_columns(
        text_col, id_col, source_col, url_col, published_col, title_col, frame.columns
    )
    auditor = shared_auditor(config)

    def records() -> Iterator[Record]:
        rows = frame[columns].itertuples(index=False, name=None)
        for position, (index, row) in enumerate(zip(frame.index, rows, strict=True)):
            values = {k: _missing_to_none(v) for k, v in zip(columns, row, strict=True)}
            if id_col is None:
                values[fields.id] = str(index)
            yield record_from_mapping(values, fields, str(index), "frame", f"row {position}")

    result = articles_frame(auditor.iter_audits(records(), jobs=jobs))
    result.index = frame.index
    return result


def _missing_to_none(value: Any) -> Any:
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):  # lists and arrays are not scalars
        return value
