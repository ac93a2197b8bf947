"""Set-up work kept between runs in the user's cache folder.

Some of the auditor's set-up gives the same bytes for the same inputs every time: Hyperscan
takes 1.4 s to build each family's automaton, in every process that audits, and parsing the
syllable dictionary and the large rule packs takes 0.15 s more. Kept on disk, the result loads
in milliseconds in the next run and in each worker of this one. An entry is named by a hash of
everything that went into it and carries a hash of its own bytes, so a changed pack, another
library version or a damaged file is a miss, never a wrong result. The cache only saves time:
where its folder cannot be read or written, the work is simply done again.

The folder is ``$AUDITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/article-auditor``, else
``~/.cache/article-auditor``. ``AUDITOR_NO_CACHE=1`` turns it off. Entries are never
removed by a run: a changed pack leaves its old automaton behind, so ``auditor cache --clear``
(:func:`clear`) empties the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_CHECKSUM = hashlib.sha256
_CHECKSUM_SIZE = _CHECKSUM().digest_size
_OFF = ("", "0", "false", "no")
_ENTRY_NAME = re.compile(r"(?P<kind>[a-z]+)-[0-9a-f]{64}|\.tmp-.+")
"""An entry's file name (:func:`entry_path`), or a write that was cut short (:func:`store`)."""


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off or no folder can be named."""
    if os.environ.get("AUDITOR_NO_CACHE", "").strip().lower() not in _OFF:
        return None
    if explicit := os.environ.get("AUDITOR_CACHE_DIR"):
        return Path(explicit)
    if base := os.environ.get("XDG_CACHE_HOME"):
        return Path(base) / "article-auditor"
    try:
        return Path.home() / ".cache" / "article-auditor"
    except RuntimeError:  # no home directory to be found
        return None


def entry_path(kind: str, key: bytes) -> Path | None:
    """Where the entry of ``kind`` for ``key`` (every input that shapes it) lives."""
    folder = cache_dir()
    return None if folder is None else folder / f"{kind}-{hashlib.sha256(key).hexdigest()}"


def load(kind: str, key: bytes) -> bytes | None:
    """The stored payload, or None if there is none or it is not intact."""
    path = entry_path(kind, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    checksum, payload = data[:_CHECKSUM_SIZE], data[_CHECKSUM_SIZE:]
    return payload if _CHECKSUM(payload).digest() == checksum else None


def store(kind: str, key: bytes, payload: bytes) -> None:
    """Keep ``payload`` for the next run. Written to a temporary file and renamed, so a reader
    running at the same time (another worker) sees the whole entry or none."""
    path = entry_path(kind, key)
    if path is None:
        return
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as out:
            temporary = out.name
            out.write(_CHECKSUM(payload).digest() + payload)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def remembered(kind: str, key: bytes, build: Callable[[], T]) -> T:
    """``build()``, or the value an earlier run built for the same ``key``. Values are kept
    with :mod:`marshal` (plain containers, strings and numbers; a value holding anything else
    is built every time), whose format belongs to the interpreter's version, so the version
    is part of the key."""
    key = repr((sys.version_info[:2], marshal.version)).encode() + b"\n" + key
    payload = load(kind, key)
    if payload is not None:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            value: T = marshal.loads(payload)
            return value
    value = build()
    with contextlib.suppress(ValueError):  # not marshallable: nothing to keep
        store(kind, key, marshal.dumps(value))  # type: ignore[arg-type]  # checked by marshal
    return value


def entries() -> list[Path]:
    """The cache folder's entries, and what interrupted writes left; nothing else in the
    folder is the auditor's."""
    folder = cache_dir()
    if folder is None:
        return []
    try:
        return sorted(
            path for path in folder.iterdir() if _ENTRY_NAME.fullmatch(path.name) and path.is_file()
        )
    except OSError:  # no folder yet, or not readable
        return []


def kind_of(entry: Path) -> str:
    """What one of :func:`entries` holds ("hyperscan", "toml"...), or "unfinished" for a write
    that was cut short."""
    named = _ENTRY_NAME.fullmatch(entry.name)
    return (named and named["kind"]) or "unfinished"


def size(paths: Iterable[Path]) -> int:
    """The bytes ``paths`` (some of :func:`entries`) hold; one removed meanwhile holds none."""
    return sum(map(_size, paths))


def clear() -> tuple[int, int]:
    """Remove every entry: how many went, and their bytes. A process that is running rebuilds
    what it cannot load, so nothing is lost but the time to build it again."""
    removed = freed = 0
    for path in entries():
        length = _size(path)
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
            freed += length
    return removed, freed


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
