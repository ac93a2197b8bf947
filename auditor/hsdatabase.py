"""Hyperscan databases that a process loads from the cache, or builds once it has work for them.

Building a database takes from a fraction of a second to a few seconds, more than a short run
gains from it. So a process loads it from the cache folder (:mod:`auditor.diskcache`) before
its first text when an earlier run built it; otherwise it builds it after ``BUILD_AFTER``
texts and keeps it there for the next process and the other workers. Until then, and without
the ``hyperscan`` package (wheels exist for x86-64 Linux), the owner does the work in Python,
with the same results.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import cached_property
from typing import Any

import numpy as np

from auditor import diskcache

BUILD_AFTER = 500
"""Texts a process scans in Python before it builds a database the cache does not have."""

_KIND = "hyperscan"


class DeferredDatabase(ABC):
    """A Hyperscan database and the state its owner needs to read its matches.

    Subclasses say what the database depends on (:meth:`_cache_key`), build it
    (:meth:`_compile`, which also returns one line of state to keep beside it) and take that
    line back from the cache (:meth:`_restore`)."""

    def __init__(self, build_after: int | None = None) -> None:
        self._database: Any = None
        self._pending = BUILD_AFTER if build_after is None else build_after
        self._looked_up = False
        self._threads = threading.local()

    @property
    def active(self) -> bool:
        """Whether the database is built and in use."""
        return self._database is not None

    def ready(self) -> bool:
        """Whether the database can scan the next text; each call counts towards building it."""
        if self._database is None and self._pending >= 0:
            self._prepare()
        return self._database is not None

    def _scan(self, data: bytes, handler: Callable[..., Any], context: Any) -> None:
        """Scan ``data``: ``handler(id, start, end, flags, context)`` for every match."""
        self._database.scan(
            data, match_event_handler=handler, context=context, scratch=self._scratch()
        )

    @abstractmethod
    def _cache_key(self, hyperscan: Any) -> bytes:
        """Everything the database is built from."""

    @abstractmethod
    def _compile(self, hyperscan: Any) -> tuple[Any, bytes] | None:
        """The database and a line (no newline) of the owner's state, or None if Hyperscan
        refuses everything."""

    @abstractmethod
    def _restore(self, line: bytes) -> bool:
        """Take the line stored with a cached database; False if it cannot be read."""

    @cached_property
    def _hyperscan(self) -> Any:
        try:
            import hyperscan
        except ImportError:
            return None
        return hyperscan

    @cached_property
    def _key(self) -> bytes:
        hyperscan = self._hyperscan
        version = getattr(hyperscan, "__version__", "")
        head = repr((type(self).__name__, version)).encode("utf-8")
        return head + b"\n" + self._cache_key(hyperscan)

    def _prepare(self) -> None:
        """Load the database before the first text; failing that, build it (once: without
        hyperscan the owner keeps working in Python) when ``BUILD_AFTER`` texts are done."""
        if not self._looked_up:
            self._looked_up = True
            if self._load():
                return
        if self._pending > 0:
            self._pending -= 1
            return
        self._pending = -1
        if not self._load():  # another worker may have built it in the meantime
            self._build()

    def _load(self) -> bool:
        hyperscan = self._hyperscan
        if hyperscan is None:
            return False
        payload = diskcache.load(_KIND, self._key)
        if payload is None:
            return False
        line, _, serialised = payload.partition(b"\n")
        try:
            database = hyperscan.loadb(serialised, hyperscan.HS_MODE_BLOCK)
        except hyperscan.error:  # another platform's or version's database
            return False
        if not self._restore(line):
            return False
        self._database = database
        return True

    def _build(self) -> None:
        hyperscan = self._hyperscan
        if hyperscan is None:
            return
        built = self._compile(hyperscan)
        if built is not None:
            self._database, line = built
            payload = line + b"\n" + bytes(hyperscan.dumpb(self._database))
            diskcache.store(_KIND, self._key, payload)
        _return_freed_memory()

    def _scratch(self) -> Any:
        """Hyperscan's working memory, one per thread (Dask runs partitions in threads)."""
        scratch = getattr(self._threads, "scratch", None)
        if scratch is None:
            scratch = self._threads.scratch = self._hyperscan.Scratch(self._database)
        return scratch


def characters_before(data: bytes) -> np.ndarray:
    """For each byte offset of UTF-8 ``data`` (and its end), how many characters begin before
    it: Hyperscan reports byte offsets, Python slices by character."""
    leads = (np.frombuffer(data, dtype=np.uint8) & 0xC0) != 0x80
    before = np.zeros(len(data) + 1, dtype=np.intp)
    leads.cumsum(dtype=np.intp, out=before[1:])  # the method: numpy's function wraps it
    return before


def _return_freed_memory() -> None:
    """Hyperscan's compiler frees tens of MB that glibc keeps in the process; hand them back,
    since each worker that finds no database in the cache builds its own."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)
