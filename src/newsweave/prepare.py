"""Per-document work of ingest (clean, story features, MinHash signature), runnable in worker processes.

Everything here depends on one document alone, so it is the part of ingest that spreads over cores.
The store and the cross-document steps stay in the parent process.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from newsweave.clean import Cleaner
from newsweave.clean.language import detect_language
from newsweave.cluster import article_features
from newsweave.dedup import MinHasher
from newsweave.dedup.minhash import shingle_hashes
from newsweave.ingest.readers import MIN_LETTERS
from newsweave.options import Options
from newsweave.records import Article, RawDocument, sha1
from newsweave.workers import process_pool

CHUNK = 16  # documents per task: cleaned together, and few enough that both workers stay busy


log = logging.getLogger(__name__)


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
    warning: str | None = None  # stored, but something given with it was dropped
    stat: str = ""  # the cleaner's counter for this document


class Preparer:
    def __init__(self, options: Options):
        self.cleaner = Cleaner(options)
        self.hasher = MinHasher(options.num_perm, options.shingle_size)

    def __call__(self, doc: RawDocument, drop_lines: frozenset[str]) -> Prepared:
        return self.prepare_many([(doc, drop_lines)])[0]

    def prepare_many(self, jobs: list[tuple[RawDocument, frozenset[str]]]) -> list[Prepared]:
        """Plain-text documents are cleaned together (one classifier pass for all); if that fails, each
        document is cleaned on its own, so one broken page fails alone."""
        texts = [i for i, (doc, _) in enumerate(jobs) if doc.kind == "text"]
        try:
            cleaned = dict(zip(texts, self.cleaner.clean_texts([jobs[i] for i in texts])))
        except Exception as e:  # one page broke the batched cleaner: each is cleaned alone, the bad one named
            log.warning("batch of %d pages cleaned one by one after %s: %s", len(texts), type(e).__name__, e)
            cleaned = {}
        out = []
        for i, (doc, drop) in enumerate(jobs):
            if i in cleaned:
                out.append(self._finish(doc, cleaned[i]))
                continue
            try:
                article = self.cleaner.clean_one(doc, drop)
            except Exception as e:  # a parser failing on one broken page must not stop the batch
                out.append(Prepared(doc.source, error=f"cannot clean ({type(e).__name__}: {e})", stat="failed"))
                continue
            out.append(self._finish(doc, article))
        return out

    def _finish(self, doc: RawDocument, article: Article | None) -> Prepared:
        if article is None:
            return Prepared(doc.source, error="no article text found after cleaning", stat="dropped_no_text")
        if sum(c.isalpha() for c in article.text[:10_000]) < MIN_LETTERS:
            return Prepared(doc.source, error=f"text too short after cleaning (an article needs at least "
                                              f"{MIN_LETTERS} letters)", stat="dropped_too_short")
        warning = None
        if doc.published and article.published is None:
            warning = f"published value {doc.published[:40]!r} is no calendar date; stored as unknown"
        article.language = detect_language(article.text, article.title)
        words, anchors = article_features(article.title, article.text, article.language)
        shingles = shingle_hashes(article.text, self.hasher.shingle_size)
        return Prepared(doc.source, article, text_hash(article.text), self.hasher.signature_of(shingles).tobytes(),
                        words, anchors, shingles.astype(np.uint32).tobytes(), warning=warning,
                        stat=f"cleaned_{doc.kind}")


_worker: Preparer | None = None


def _init_worker(options: Options) -> None:
    global _worker
    _worker = Preparer(options)


def _prepare_in_worker(jobs: list[tuple[RawDocument, frozenset[str]]]) -> list[Prepared]:
    results = _worker.prepare_many(jobs)
    for result in results:
        if result.article is not None:
            result.article.raw = ""  # the parent has the raw page already; do not send it back
    return results


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
        chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
        if self.workers < 2 or len(jobs) < self.options.parallel_min_batch:
            return lambda: [done for chunk in chunks for done in self.local.prepare_many(chunk)]
        if self._pool is None:
            self._pool = process_pool(self.workers, _init_worker, (self.options,))
        running = self._pool.map(_prepare_in_worker, chunks)

        def results() -> list[Prepared]:
            out = [done for chunk in running for done in chunk]
            for (doc, _), result in zip(jobs, out):
                if result.article is not None:
                    result.article.raw = doc.content
            return out

        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
