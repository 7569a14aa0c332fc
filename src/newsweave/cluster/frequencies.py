"""Document frequencies per view, kept in the store, and the TF-IDF weighing and rare names drawn from them."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from newsweave.cluster.features import DAY_BASE, DIM, NAME_BASE, unpack
from newsweave.cluster.split import unit_rows
from newsweave.options import Options

PATCH_MOST = 1_000  # changed counts written in place at most (a seek and a write each); past it, whole arrays
RARE_NAME_SHARE = 0.001  # in a large store, a name in at most this share of the articles is rare


def count_matrix(blobs: list[bytes]) -> sp.csr_matrix:
    indptr, indices, data = [0], [], []
    for blob in blobs:
        idx, val = unpack(blob)
        indices.append(idx)
        data.append(val)
        indptr.append(indptr[-1] + len(idx))
    if not blobs:
        return sp.csr_matrix((0, DIM), dtype=np.float32)
    return sp.csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr)), shape=(len(blobs), DIM))


class DocumentFrequencies:
    """Per-view document frequencies, kept in the store as one array each."""

    def __init__(self, words: np.ndarray | None = None, anchors: np.ndarray | None = None, n: int = 0,
                 rare_articles: int = Options.rare_name_articles):
        self.words = words if words is not None else np.zeros(DIM, dtype=np.int32)
        self.anchors = anchors if anchors is not None else np.zeros(DIM, dtype=np.int32)
        self.n = n
        self.rare_articles = rare_articles  # a name in at most this many articles is rare (see rare_names)
        self.stored = words is not None  # read from the store, which can then take only what changed
        # the columns counted since, while few enough to write in place (a bulk ingest stops keeping them)
        self._touched: dict[str, list[np.ndarray]] | None = {"df_words": [], "df_anchors": []}
        self._touched_size = 0

    @classmethod
    def from_blobs(cls, words: bytes | None, anchors: bytes | None, n: bytes | None,
                   rare_articles: int = Options.rare_name_articles) -> DocumentFrequencies:
        if words is None:
            return cls(rare_articles=rare_articles)
        return cls(np.frombuffer(words, dtype=np.int32).copy(), np.frombuffer(anchors, dtype=np.int32).copy(),
                   int(np.frombuffer(n, dtype=np.int64)[0]), rare_articles)

    def to_blobs(self, changes_only: bool = False) -> dict[str, bytes | tuple[list[int], bytes]]:
        """The arrays for the store, whole; or, with `changes_only` and arrays read from the store, the
        counts that changed since, as (columns, counts) for the store to write in place: adding one article
        changes a few hundred of the two million counts (8 MB), which a watching process would rewrite whole.
        (cells, their int32 values in bytes) keeps the store free of numpy."""
        out: dict[str, bytes | tuple[list[int], bytes]] = {"df_n": np.array([self.n], dtype=np.int64).tobytes()}
        in_place = changes_only and self.stored and self._touched is not None
        for name, array in (("df_words", self.words), ("df_anchors", self.anchors)):
            columns = np.unique(np.concatenate(self._touched[name] or [np.zeros(0, np.int32)])) if in_place else None
            if columns is not None and len(columns) <= PATCH_MOST:
                out[name] = (columns.tolist(), array[columns].astype(np.int32).tobytes())
            else:
                out[name] = array.tobytes()
        return out

    def _touch(self, words: sp.csr_matrix, anchors: sp.csr_matrix) -> None:
        if self._touched is None:
            return
        self._touched_size += len(words.indices) + len(anchors.indices)
        if self._touched_size > 20 * PATCH_MOST:  # far too many to write in place: the arrays go whole
            self._touched = None
            return
        self._touched["df_words"].append(words.indices)
        self._touched["df_anchors"].append(anchors.indices)

    def add(self, words: sp.csr_matrix, anchors: sp.csr_matrix) -> None:
        np.add.at(self.words, words.indices, 1)
        np.add.at(self.anchors, anchors.indices, 1)
        self._touch(words, anchors)
        self.n += words.shape[0]

    def remove(self, words: sp.csr_matrix, anchors: sp.csr_matrix) -> None:
        """Take back rows counted by `add` (their features are being replaced)."""
        np.subtract.at(self.words, words.indices, 1)
        np.subtract.at(self.anchors, anchors.indices, 1)
        self._touch(words, anchors)
        np.maximum(self.words, 0, out=self.words)  # never below zero, even if those rows were never counted
        np.maximum(self.anchors, 0, out=self.anchors)
        self.n = max(self.n - words.shape[0], 0)

    def weigh(self, counts: sp.csr_matrix, view: str) -> sp.csr_matrix:
        """TF-IDF, normalised; days are no terms (two reports of one day need not share an event)."""
        df = self.words if view == "words" else self.anchors
        x = counts.copy().astype(np.float32)
        x.data = 1.0 + np.log(x.data)
        idf = np.log((self.n + 1.0) / (df[x.indices] + 1.0)) + 1.0
        x.data *= idf.astype(np.float32)
        if view == "anchors":
            x.data[x.indices >= DAY_BASE] = 0.0
            x.eliminate_zeros()
        return unit_rows(x)

    def rare_limit(self, adding: int = 0) -> float:
        """How many articles may give a name for it to be rare, once `adding` more are counted."""
        return max(self.rare_articles, RARE_NAME_SHARE * (self.n + adding))

    def rare_names(self, anchors: sp.csr_matrix) -> sp.csr_matrix:
        """1 for each person's name an article gives that few articles give (a victim, a suspect; not a
        president or a spokesman quoted everywhere): at most `rare_articles` articles, or RARE_NAME_SHARE of
        them in a large store. An event reported many times has its people named in a dozen or more reports
        (ECB+ events have 10 to 30): a limit of 10 counted them as common."""
        x = anchors.tocsr().astype(np.float32, copy=True)
        most = self.rare_limit()
        rare_name = (x.indices >= NAME_BASE) & (self.anchors[x.indices] <= most)
        x.data = ((x.indices >= DAY_BASE) | rare_name).astype(np.float32)  # a day counts however common
        x.eliminate_zeros()
        return x

    def views(self, words: sp.csr_matrix, anchors: sp.csr_matrix) -> tuple[sp.csr_matrix, ...]:
        """(words, anchors, rare names): the first two weighed by TF-IDF, the last 0/1."""
        return self.weigh(words, "words"), self.weigh(anchors, "anchors"), self.rare_names(anchors)
