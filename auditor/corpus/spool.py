"""Texts kept on disk, compressed, during the corpus phase.

The corpus phase must not hold every text in memory, yet near-duplicate verification and
copy alignment need the two texts of a candidate pair. Texts go to a temporary file as they
arrive; memory holds only their offsets, and a text is read back when a pair needs it.
"""

from __future__ import annotations

import tempfile
import zlib
from functools import lru_cache
from pathlib import Path


class TextSpool:
    def __init__(self, directory: Path | None = None) -> None:
        self._file = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - lives with the spool
        self._index: dict[str, tuple[int, int]] = {}
        self._end = 0
        self.read = lru_cache(maxsize=256)(self._read)

    def add(self, key: str, compressed: bytes) -> None:
        self._file.seek(self._end)
        self._file.write(compressed)
        self._index[key] = (self._end, len(compressed))
        self._end += len(compressed)

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def _read(self, key: str) -> str:
        offset, length = self._index[key]
        self._file.seek(offset)
        return zlib.decompress(self._file.read(length)).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._file.close()


def compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)
