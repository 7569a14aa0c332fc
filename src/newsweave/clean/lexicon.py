"""Learned vocabulary of boilerplate: a linear score over the words of a line and their character n-grams.

Menus, share bars, cookie notices and comment forms reuse a small vocabulary in every language ("Teilen",
"Reply", "Lea más"); the layout features cannot see it. Words and their 3-5 character n-grams (so that
inflected and compound forms share evidence) are hashed into a fixed space and weighted by a logistic
regression trained with the line classifier (scripts/train_cleaner.py). A line's score is the sum of its
weights over the square root of its n-gram count, the same normalisation the regression was fitted on.
"""
from __future__ import annotations

import io
import zlib

import numpy as np
from scipy.sparse import csr_matrix

from newsweave.clean.lines import PageWords

DIM = 1 << 18
GRAM_SIZES = (3, 4, 5)
_CACHE_LIMIT = 200_000


def word_grams(word: str) -> np.ndarray:
    """Hashed features of one lower-cased word: the word itself and its character n-grams, padded by spaces."""
    padded = f" {word} "
    grams = ["w:" + word] + [padded[i : i + n] for n in GRAM_SIZES for i in range(len(padded) - n + 1)]
    return np.fromiter((zlib.crc32(g.encode("utf-8", "surrogatepass")) % DIM for g in grams), np.int64,
                       len(grams))


def featurize(line_words: list[list[str]]) -> csr_matrix:
    """Training matrix: one row per line, hashed feature counts scaled by 1/sqrt(n-grams in the line)."""
    rows, cols, vals = [], [], []
    for i, words in enumerate(line_words):
        if not words:
            continue
        idx = np.concatenate([word_grams(w) for w in words])
        rows.append(np.full(len(idx), i))
        cols.append(idx)
        vals.append(np.full(len(idx), 1.0 / np.sqrt(len(idx))))
    if not rows:
        return csr_matrix((len(line_words), DIM))
    matrix = csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                        shape=(len(line_words), DIM))
    matrix.sum_duplicates()
    return matrix


class Lexicon:
    def __init__(self, weights: np.ndarray, intercept: float):
        self.weights = weights.astype(np.float64)
        self.intercept = float(intercept)
        self._words: dict[str, tuple[float, int]] = {}  # word -> (sum of its weights, its feature count)

    def _word(self, word: str) -> tuple[float, int]:
        known = self._words.get(word)
        if known is None:
            idx = word_grams(word)
            known = (float(self.weights[idx].sum()), len(idx))
            if len(self._words) >= _CACHE_LIMIT:
                self._words.clear()
            self._words[word] = known
        return known

    def score(self, words: PageWords) -> np.ndarray:
        n = words.n_lines
        if not len(words.ids):
            return np.full(n, self.intercept)
        per_word = np.array([self._word(w) for w in words.vocab])
        total = np.bincount(words.line, weights=per_word[words.ids, 0], minlength=n)
        grams = np.bincount(words.line, weights=per_word[words.ids, 1], minlength=n)
        return self.intercept + total / np.sqrt(np.maximum(grams, 1))

    def to_bytes(self) -> bytes:
        """Only the weights training touched are kept, as float16: the file stays small."""
        idx = np.flatnonzero(self.weights).astype(np.int32)
        buf = io.BytesIO()
        np.savez_compressed(buf, index=idx, value=self.weights[idx].astype(np.float16),
                            intercept=np.array([self.intercept]))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Lexicon:
        arrays = np.load(io.BytesIO(data))
        weights = np.zeros(DIM)
        weights[arrays["index"]] = arrays["value"].astype(np.float64)
        return cls(weights, float(arrays["intercept"][0]))
