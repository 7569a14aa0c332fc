"""Shingle hashes the workers computed, kept in a temporary file until containment reads them: a bulk ingest
would otherwise hold them all in memory (400 bytes an article) or hash every text again at the end."""
from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping

import numpy as np

SPILL_MOST = 100_000_000  # hashes kept (400 MB of disk); the articles past it are hashed again when compared


class SpilledShingles(Mapping[str, np.ndarray]):
    """article id -> its 32-bit shingle hashes, written once, read back one article at a time."""

    def __init__(self, most: int = SPILL_MOST):
        self._file = tempfile.TemporaryFile(prefix="newsweave-shingles-")
        self._at: dict[str, tuple[int, int]] = {}  # id -> (offset in bytes, number of hashes)
        self._size = 0
        self._most = most

    def add(self, article_id: str, hashes: bytes) -> None:
        """`hashes`: the uint32 hashes as bytes (as the workers hand them over)."""
        count = len(hashes) // 4
        if article_id in self._at or self._size // 4 + count > self._most:
            return
        self._file.seek(self._size)
        self._file.write(hashes)
        self._at[article_id] = (self._size, count)
        self._size += len(hashes)

    def __getitem__(self, article_id: str) -> np.ndarray:
        offset, count = self._at[article_id]
        self._file.seek(offset)
        return np.frombuffer(self._file.read(4 * count), dtype=np.uint32)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def close(self) -> None:
        self._file.close()
        self._at.clear()
