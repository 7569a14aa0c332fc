"""The per-document stages of ingest: clean (raw document -> article) and describe (article -> what the
store keeps for placing it: text hash, MinHash signature, story features, language, shingles).

Each depends on one document alone, so this is the part of ingest that spreads over cores (newsweave.executor)
or over a cluster's partitions. The store and the cross-document steps (copies, stories) stay in one process.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from newsweave.clean import Cleaner
from newsweave.clean.language import detect_language
from newsweave.cluster import article_features
from newsweave.dedup import MinHasher
from newsweave.dedup.minhash import shingle_hashes
from newsweave.ingest.readers import MIN_LETTERS, few_letters
from newsweave.options import Options
from newsweave.records import Article, RawDocument, sha1
from newsweave.stages import Dropped, Stage, run_stages

log = logging.getLogger(__name__)


def text_hash(text: str) -> str:
    return sha1(" ".join(text.split()).lower())


@dataclass
class CleanJob:
    """A raw document, with the lines its outlet repeats across documents (page chrome to drop)."""

    doc: RawDocument
    drop_lines: frozenset[str] = frozenset()


@dataclass
class Cleaned:
    doc: RawDocument
    article: Article


@dataclass
class Prepared:
    """One article ready to store: the row and the features placing it needs."""

    source: str
    article: Article
    text_hash: str
    signature: bytes
    words: bytes
    anchors: bytes
    shingles: bytes  # 32-bit shingle hashes, handed to the containment check so it need not hash again
    warning: str | None = None  # stored, but something given with it was dropped


class CleanStage(Stage):
    """CleanJob -> Cleaned, or Dropped: no text left, too little text, or a page the cleaner fails on."""

    name = "clean"

    def __init__(self, options: Options):
        super().__init__()
        self.cleaner = Cleaner(options)

    def run(self, jobs: Iterable[CleanJob | Dropped]) -> Iterator[Cleaned | Dropped]:
        """Plain-text documents are cleaned together (one classifier pass for all); if that fails, each
        document is cleaned on its own, so one broken page fails alone."""
        jobs = list(jobs)
        texts = [i for i, job in enumerate(jobs) if isinstance(job, CleanJob) and job.doc.kind == "text"]
        try:
            cleaned = dict(zip(texts, self.cleaner.clean_texts([(jobs[i].doc, jobs[i].drop_lines) for i in texts])))
        except Exception as e:  # one page broke the batched cleaner: each is cleaned alone, the bad one named
            log.warning("batch of %d pages cleaned one by one after %s: %s", len(texts), type(e).__name__, e)
            cleaned = {}
        for i, job in enumerate(jobs):
            if isinstance(job, Dropped):
                yield job
                continue
            try:
                article = cleaned[i] if i in cleaned else self.cleaner.clean_one(job.doc, job.drop_lines)
            except Exception as e:  # a parser failing on one broken page must not stop the batch
                yield self.drop(job.doc.source, f"cannot clean ({type(e).__name__}: {e})", "failed")
                continue
            yield self._checked(job.doc, article)

    def _checked(self, doc: RawDocument, article: Article | None) -> Cleaned | Dropped:
        if article is None:
            return self.drop(doc.source, "no article text found after cleaning", "dropped_no_text")
        if few_letters(article.text):
            return self.drop(doc.source, f"text too short after cleaning (an article needs at least {MIN_LETTERS} "
                                         "letters)", "dropped_too_short")
        self.stats.add(f"cleaned_{doc.kind}")
        return Cleaned(doc, article)


class DescribeStage(Stage):
    """Cleaned -> Prepared: the article's language, story features, text hash, shingles and signature."""

    name = "describe"

    def __init__(self, options: Options):
        super().__init__()
        self.hasher = MinHasher(options.num_perm, options.shingle_size)

    def process(self, cleaned: Cleaned) -> Prepared:
        doc, article = cleaned.doc, cleaned.article
        warning = None
        if doc.published and article.published is None:
            warning = f"published value {doc.published[:40]!r} is no calendar date; stored as unknown"
            self.stats.add("published_dropped")
        article.language = detect_language(article.text, article.title)
        self.stats.add(f"language_{article.language or 'unknown'}")
        words, anchors = article_features(article.title, article.text, article.language, article.published)
        shingles = shingle_hashes(article.text, self.hasher.shingle_size)
        return Prepared(doc.source, article, text_hash(article.text), self.hasher.signature_of(shingles).tobytes(),
                        words, anchors, shingles.astype(np.uint32).tobytes(), warning)


def document_stages(options: Options) -> list[Stage]:
    """The per-document stages of ingest, in order: CleanJob in, Prepared (or Dropped) out."""
    return [CleanStage(options), DescribeStage(options)]


def prepare(jobs: list[CleanJob], options: Options | None = None) -> list[Prepared | Dropped]:
    """Run the per-document stages here, in this process (tests, small batches)."""
    return list(run_stages(document_stages(options or Options()), jobs))
