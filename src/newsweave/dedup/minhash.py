"""Vectorised NumPy MinHash over word shingles (Chinese and Japanese: character shingles). Hashes are stable
across processes (crc32, fixed seeds), so signatures stored in one run compare with those computed in the next."""
from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np

from newsweave.tokens import units

PRIME = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
SHIFT = np.uint64(61)


@lru_cache(maxsize=1 << 20)
def token_hash(token: str) -> int:
    return zlib.crc32(token.encode())


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """32-bit hashes of the word `size`-grams of `text` (unique)."""
    toks = units(text)
    if not toks:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter(map(token_hash, toks), dtype=np.uint64, count=len(toks))
    size = min(size, len(toks))
    acc = np.zeros(len(toks) - size + 1, dtype=np.uint64)
    for k in range(size):  # polynomial rolling combination of the token hashes
        acc = acc * np.uint64(1000003) + h[k : len(toks) - size + 1 + k]
    return np.unique(acc & MAX_HASH)


class MinHasher:
    def __init__(self, num_perm: int = 128, shingle_size: int = 5, seed: int = 1):
        rng = np.random.RandomState(seed)
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.a = rng.randint(1, 1 << 31, size=num_perm, dtype=np.int64).astype(np.uint64)
        self.b = rng.randint(0, 1 << 31, size=num_perm, dtype=np.int64).astype(np.uint64)

    def signature(self, text: str) -> np.ndarray:
        return self.signature_of(shingle_hashes(text, self.shingle_size))

    def signature_of(self, hashes: np.ndarray) -> np.ndarray:
        """The signature of a text given its shingle hashes (which containment checks reuse)."""
        if len(hashes) == 0:
            return np.full(self.num_perm, MAX_HASH, dtype=np.uint64)
        # (shingles x perms) affine permutations modulo a Mersenne prime, as in datasketch; the values stay
        # below 2**63, and x mod (2**61 - 1) is (x & P) + (x >> 61) less P once: no slow integer division
        values = hashes[:, None] * self.a[None, :] + self.b[None, :]
        values = (values & PRIME) + (values >> SHIFT)
        values = np.where(values >= PRIME, values - PRIME, values)
        return (values & MAX_HASH).min(axis=0)

    @staticmethod
    def jaccard(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.mean(a == b))
