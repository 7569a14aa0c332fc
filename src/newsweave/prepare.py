"""Per-document work of ingest (clean, story features, MinHash signature), runnable in worker processes.

Everything here depends on one document alone, so it is the part of ingest that spreads over cores.
The store and the cross-document steps stay in the parent process.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from newsweave.clean import Cleaner
from newsweave.cluster import article_features
from newsweave.dedup import MinHasher
from newsweave.dedup.minhash import shingle_hashes
from newsweave.options import Options
from newsweave.records import Article, RawDocument, sha1
from newsweave.workers import process_pool


def text_hash(text: str) -> str:
    return sha1(" ".join(text.split()).lower())


@dataclass
class Prepared:
    """One document after the per-document stages: a storable row, or the reason there is none."""

    source: str
    article: Article | None = None
    text_hash: str = ""
    signature: bytes = b""
    words: bytes = b""
    anchors: bytes = b""
    shingles: bytes = b""  # 32-bit shingle hashes, handed to the containment check so it need not hash again
    error: str | None = None
    stat: str = ""  # the cleaner's counter for this document


class Preparer:
    def __init__(self, options: Options):
        self.cleaner = Cleaner(options)
        self.hasher = MinHasher(options.num_perm, options.shingle_size)

    def __call__(self, doc: RawDocument, drop_lines: frozenset[str]) -> Prepared:
        try:
            article = self.cleaner.clean_one(doc, drop_lines)
        except Exception as e:  # a parser failing on one broken page must not stop the batch
            return Prepared(doc.source, error=f"cannot clean ({type(e).__name__}: {e})", stat="failed")
        if article is None:
            return Prepared(doc.source, error="no article text found after cleaning", stat="dropped_no_text")
        words, anchors = article_features(article.title, article.text)
        shingles = shingle_hashes(article.text, self.hasher.shingle_size)
        return Prepared(doc.source, article, text_hash(article.text), self.hasher.signature_of(shingles).tobytes(),
                        words, anchors, shingles.astype(np.uint32).tobytes(), stat=f"cleaned_{doc.kind}")


_worker: Preparer | None = None


def _init_worker(options: Options) -> None:
    global _worker
    _worker = Preparer(options)


def _prepare_in_worker(job: tuple[RawDocument, frozenset[str]]) -> Prepared:
    doc, drop = job
    result = _worker(doc, drop)
    if result.article is not None:
        result.article.raw = ""  # the parent has the raw page already; do not send it back
    return result


class PreparePool:
    """Runs a Preparer over batches, in worker processes when there are cores and work enough for them."""

    def __init__(self, options: Options):
        self.options = options
        self.local = Preparer(options)
        self.workers = options.workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, jobs: list[tuple[RawDocument, frozenset[str]]]) -> Callable[[], list[Prepared]]:
        """Start preparing `jobs`; the returned function waits for and returns the results, in order.
        The caller can read the next batch while the workers are busy with this one."""
        if self.workers < 2 or len(jobs) < self.options.parallel_min_batch:
            return lambda: [self.local(doc, drop) for doc, drop in jobs]
        if self._pool is None:
            self._pool = process_pool(self.workers, _init_worker, (self.options,))
        running = self._pool.map(_prepare_in_worker, jobs, chunksize=16)

        def results() -> list[Prepared]:
            out = list(running)
            for (doc, _), result in zip(jobs, out):
                if result.article is not None:
                    result.article.raw = doc.content
            return out

        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
