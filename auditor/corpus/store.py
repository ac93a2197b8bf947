"""A near-duplicate index saved on disk, so that a daily run audits today's articles against
everything seen before without recomputing it.

The format is a folder of plain files (no pickle, so an index from elsewhere cannot run code):

    meta.json        format, version, num_perm, shingle, count
    entries.jsonl    one JSON object per article: id, source, url, published, claimed_origin, words
    signatures.npy   uint32 array, count x num_perm
    offsets.npy      int64 array, count x 2: where each article's compressed text lies in texts.bin
    texts.bin        zlib-compressed texts, one after the other

Saving writes a new folder beside the old one and swaps it in, so an interrupted save leaves
the previous index intact.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from auditor.corpus.shingles import NUM_PERM, SHINGLE
from auditor.readers import InputError

FORMAT = "article-auditor/index"
VERSION = 2
"""2: token hashes became polynomial (auditor.runhash), so signatures saved by 1 no longer match."""


class IndexFormatError(InputError):
    """An index folder that cannot be used (wrong format, version or parameters)."""


@dataclass(frozen=True, slots=True)
class StoredEntry:
    id: str
    source: str
    url: str | None
    published: str | None
    claimed_origin: str | None
    words: int
    signature: bytes
    offset: int
    length: int


def load(folder: Path) -> list[StoredEntry]:
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        return []
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise IndexFormatError(f"{folder}: unreadable index metadata ({error})") from None
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise IndexFormatError(f"{folder}: not an article-auditor index of version {VERSION}")
    if meta.get("num_perm") != NUM_PERM or meta.get("shingle") != SHINGLE:
        raise IndexFormatError(f"{folder}: index built with other MinHash parameters")
    signatures = np.load(folder / "signatures.npy")
    offsets = np.load(folder / "offsets.npy")
    lines = (folder / "entries.jsonl").read_text(encoding="utf-8").splitlines()
    if not len(lines) == len(signatures) == len(offsets) == meta.get("count"):
        raise IndexFormatError(f"{folder}: index files disagree on the number of articles")
    entries = []
    for line, signature, (offset, length) in zip(lines, signatures, offsets, strict=True):
        row = json.loads(line)
        entries.append(
            StoredEntry(
                id=row["id"],
                source=row["source"],
                url=row.get("url"),
                published=row.get("published"),
                claimed_origin=row.get("claimed_origin"),
                words=int(row["words"]),
                signature=signature.astype(np.uint32).tobytes(),
                offset=int(offset),
                length=int(length),
            )
        )
    return entries


def save(folder: Path, entries: Iterable[tuple[StoredEntry, bytes]]) -> int:
    """Write ``(entry, compressed text)`` pairs as the index in ``folder``; returns the count."""
    staging = folder.with_name(folder.name + ".saving")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    signatures, offsets = [], []
    position = 0
    with (
        (staging / "entries.jsonl").open("w", encoding="utf-8") as rows,
        (staging / "texts.bin").open("wb") as texts,
    ):
        for entry, compressed in entries:
            rows.write(
                json.dumps(
                    {
                        "id": entry.id,
                        "source": entry.source,
                        "url": entry.url,
                        "published": entry.published,
                        "claimed_origin": entry.claimed_origin,
                        "words": entry.words,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            texts.write(compressed)
            signatures.append(np.frombuffer(entry.signature, dtype=np.uint32))
            offsets.append((position, len(compressed)))
            position += len(compressed)
    np.save(staging / "signatures.npy", np.array(signatures, dtype=np.uint32).reshape(-1, NUM_PERM))
    np.save(staging / "offsets.npy", np.array(offsets, dtype=np.int64).reshape(-1, 2))
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "num_perm": NUM_PERM,
        "shingle": SHINGLE,
        "count": len(signatures),
    }
    (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    previous = folder.with_name(folder.name + ".previous")
    if folder.exists():
        if previous.exists():
            shutil.rmtree(previous)
        os.replace(folder, previous)
    os.replace(staging, folder)
    if previous.exists():
        shutil.rmtree(previous)
    return len(signatures)
