"""The local pipeline: read -> clean -> store, then place new articles (copies, stories).

Articles are committed in batches; placing them in stories is a second step that picks up every article
not yet placed, so an interrupted ingest resumes where it stopped, without duplicates.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np

from newsweave.clean import Cleaner, chrome_group
from newsweave.dedup.spill import SpilledShingles
from newsweave.executor import LocalExecutor
from newsweave.ingest import read_inputs
from newsweave.ingest.fetch import is_url
from newsweave.options import Options
from newsweave.placement import Placement
from newsweave.prepare import CleanJob
from newsweave.records import InputError, RawDocument
from newsweave.stages import Dropped, add_stats
from newsweave.store import Store
from newsweave.upgrade import refresh_features

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]  # (event, amount): "read", "error", "placed"


@dataclass
class IngestReport:
    read: int = 0
    added: int = 0
    already_stored: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)  # stored, with something dropped (a bad date)
    read_errors: int = 0  # inputs the readers could not read (the stages' drops are in `errors` too)
    placed: int = 0
    stories_opened: int = 0
    copies_linked: int = 0
    stats: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def ingest(store: Store, paths: Iterable[str | Path], options: Options | None = None,
           progress: Progress | None = None) -> IngestReport:
    """Read files, folders and URLs (a page, or a feed or sitemap whose pages are fetched), clean and store
    new articles, then place them in stories."""
    options = options or Options()
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    urls = [p for p in paths if isinstance(p, str) and is_url(p)]
    files = [p for p in paths if not (isinstance(p, str) and is_url(p))]
    fetched: Iterable = ()
    if urls:  # imported only then: fetching brings alerts and dossiers, whose parser a file ingest never loads
        from newsweave.follow import fetch_documents

        fetched = fetch_documents(urls, options)
    items = chain(read_inputs(files, options.max_input_bytes), fetched)
    return ingest_items(store, items, options, progress)


def ingest_items(store: Store, items: Iterable[RawDocument | InputError], options: Options | None = None,
                 progress: Progress | None = None) -> IngestReport:
    """Clean and store new documents (errors are reported as given), then place them in stories."""
    options = options or Options()
    refresh_features(store, options)  # a store from an older version first, so old and new compare alike
    report = IngestReport()
    cleaner = Cleaner(options)  # here only to find the lines an outlet repeats across a batch
    executor = LocalExecutor(options)
    run_id = store.start_run()

    in_flight: list = []  # results of the batch the workers are preparing
    # shingle hashes of the articles added, for the containment check, on disk till placement reads them
    shingles = SpilledShingles()

    def store_prepared() -> None:
        """Store the batch in flight in one transaction; an article is never half-written."""
        if not in_flight:
            return
        rows = []
        for records, stats in in_flight.pop()():
            add_stats(report.stats, stats)
            for done in records:
                if isinstance(done, Dropped):
                    report.errors.append(InputError(done.source, done.reason))
                    continue
                if done.warning:
                    report.warnings.append(InputError(done.source, done.warning))
                rows.append((done.article, done.text_hash, done.signature, done.words, done.anchors))
                shingles.add(done.article.id, done.shingles)
        store.add_articles(rows)
        report.added += len(rows)

    def submit_batch(batch: list[RawDocument]) -> None:
        stored = store.existing_ids(d.article_id for d in batch)
        fresh = [d for d in batch if d.article_id not in stored]
        report.already_stored += len(batch) - len(fresh)
        repeated = cleaner.repeated_lines(fresh)
        running = executor.submit([CleanJob(doc, frozenset(repeated.get(chrome_group(doc), ()))) for doc in fresh])
        store_prepared()  # the previous batch, while the workers prepare this one
        in_flight.append(running)

    batch: list[RawDocument] = []
    seen: set[str] = set()
    try:
        for item in items:
            if isinstance(item, InputError):
                report.errors.append(item)
                report.read_errors += 1
                if progress:
                    progress("error", 1)
                continue
            report.read += 1
            if progress:
                progress("read", 1)
            if item.article_id in seen:
                report.already_stored += 1
                continue
            seen.add(item.article_id)
            batch.append(item)
            if len(batch) >= options.commit_every:
                submit_batch(batch)
                batch = []
        if batch:
            submit_batch(batch)
        store_prepared()
    finally:
        executor.close()

    try:
        with store.indexing_text():
            place_pending(store, options, report, progress, shingles)
    finally:
        shingles.close()
    report.stats["read"] = {"documents": report.read, "errors": report.read_errors}
    store.finish_run(run_id, {"read": report.read, "added": report.added, "placed": report.placed,
                              "already_stored": report.already_stored, "errors": len(report.errors),
                              "stages": report.stats}, report.errors)
    return report


def place_pending(store: Store, options: Options, report: IngestReport | None = None,
                  progress: Progress | None = None, shingles: Mapping[str, np.ndarray] | None = None) -> None:
    """Link copies and assign stories for every stored article that has no story yet, one process at a
    time. `shingles`: hashes already computed for some articles (any missing are computed from their text)."""
    report = report or IngestReport()
    with store.placing():
        result = Placement(store, options, shingles).run()
    report.placed += result.placed
    report.stories_opened += result.stories_opened
    report.copies_linked += result.copies_linked
    report.stats.update(result.stats)
    log.info("placed %d articles (%d stories read, %d opened, %d copy links)", result.placed,
             result.stories_loaded, result.stories_opened, result.copies_linked)
    if progress and result.placed:
        progress("placed", result.placed)
