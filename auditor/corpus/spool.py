"""Texts kept on disk, compressed, during the corpus phase.

The corpus phase must not hold every text in memory, yet near-duplicate verification and
copy alignment need the two texts of a candidate pair. Texts go to a temporary file as they
arrive; memory holds only their offsets, and a text is read back when a pair needs it. Texts
of a saved index stay in the index's own file and are read from there.
"""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO


class TextSpool:
    def __init__(self) -> None:
        self._files: list[BinaryIO] = [tempfile.TemporaryFile()]  # noqa: SIM115 - closed in close()
        self._index: dict[str, tuple[int, int, int]] = {}
        self._end = 0
        self.read = lru_cache(maxsize=256)(self._read)

    def add(self, key: str, compressed: bytes) -> None:
        spool = self._files[0]
        spool.seek(self._end)
        spool.write(compressed)
        self._index[key] = (0, self._end, len(compressed))
        self._end += len(compressed)

    def attach(self, path: Path) -> int:
        """Open a saved texts file; its blobs are then added with :meth:`add_external`."""
        self._files.append(path.open("rb"))
        return len(self._files) - 1

    def add_external(self, key: str, file: int, offset: int, length: int) -> None:
        self._index[key] = (file, offset, length)

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def compressed(self, key: str) -> bytes:
        file, offset, length = self._index[key]
        handle = self._files[file]
        handle.seek(offset)
        return handle.read(length)

    def _read(self, key: str) -> str:
        return zlib.decompress(self.compressed(key)).decode("utf-8", "surrogatepass")

    def keys(self) -> Iterator[str]:
        return iter(self._index)

    def close(self) -> None:
        for handle in self._files:
            handle.close()


def compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)
