"""The local pipeline: read -> clean -> store, then place new articles (copies, stories).

Articles are committed in batches; placing them in stories is a second step that picks up every article
not yet placed, so an interrupted ingest resumes where it stopped, without duplicates.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from newsweave.clean import Cleaner, chrome_group
from newsweave.cluster import DocumentFrequencies, StoryClusterer, count_matrix
from newsweave.dedup import CopyDetector, UnionFind
from newsweave.ingest import read_inputs
from newsweave.options import Options
from newsweave.prepare import PreparePool
from newsweave.records import Article, InputError, RawDocument
from newsweave.store import Store
from newsweave.upgrade import refresh_features

SHINGLES_KEPT = 8_000_000  # 64 MB of shingle hashes handed from the workers to the containment check
Progress = Callable[[str, int], None]  # (event, amount): "read", "error", "placed"


@dataclass
class IngestReport:
    read: int = 0
    added: int = 0
    already_stored: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)  # stored, with something dropped (a bad date)
    placed: int = 0
    stories_opened: int = 0
    copies_linked: int = 0
    stats: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def ingest(store: Store, paths: Iterable[str | Path], options: Options | None = None,
           progress: Progress | None = None) -> IngestReport:
    options = options or Options()
    refresh_features(store, options)  # a store from an older version first, so old and new compare alike
    report = IngestReport()
    cleaner = Cleaner(options)
    preparer = PreparePool(options)
    run_id = store.start_run()

    in_flight: list = []  # results of the batch the workers are preparing
    # shingle hashes of the articles added, for the containment check: up to SHINGLES_KEPT in all, so a huge
    # ingest does not hold them all (the rest are hashed again there)
    shingles: dict[str, np.ndarray] = {}
    shingles_kept = 0

    def store_prepared() -> None:
        """Store the batch in flight in one transaction; an article is never half-written."""
        nonlocal shingles_kept
        if not in_flight:
            return
        rows = []
        for done in in_flight.pop()():
            cleaner.stats.add(done.stat)
            if done.article is None:
                report.errors.append(InputError(done.source, done.error))
            else:
                if done.warning:
                    report.warnings.append(InputError(done.source, done.warning))
                rows.append((done.article, done.text_hash, done.signature, done.words, done.anchors))
                if shingles_kept < SHINGLES_KEPT:
                    hashes = np.frombuffer(done.shingles, dtype=np.uint32).astype(np.uint64)
                    shingles[done.article.id] = hashes
                    shingles_kept += len(hashes)
        store.add_articles(rows)
        report.added += len(rows)

    def submit_batch(batch: list[RawDocument]) -> None:
        stored = store.existing_ids(d.article_id for d in batch)
        fresh = [d for d in batch if d.article_id not in stored]
        report.already_stored += len(batch) - len(fresh)
        repeated = cleaner.repeated_lines(fresh)
        running = preparer.submit([(doc, frozenset(repeated.get(chrome_group(doc), ()))) for doc in fresh])
        store_prepared()  # the previous batch, while the workers prepare this one
        in_flight.append(running)

    batch: list[RawDocument] = []
    seen: set[str] = set()
    try:
        for item in read_inputs(paths, options.max_input_bytes):
            if isinstance(item, InputError):
                report.errors.append(item)
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
        preparer.close()

    with store.indexing_text():
        place_pending(store, options, report, progress, shingles)
    report.stats = {"clean": cleaner.stats.counts}
    store.finish_run(run_id, {"read": report.read, "added": report.added, "placed": report.placed,
                              "already_stored": report.already_stored, "errors": len(report.errors),
                              "stages": report.stats}, report.errors)
    return report


def place_pending(store: Store, options: Options, report: IngestReport | None = None,
                  progress: Progress | None = None, shingles: dict[str, np.ndarray] | None = None) -> None:
    """Link copies and assign stories for every stored article that has no story yet, one process at a
    time. `shingles`: hashes already computed for some articles (any missing are computed from their text)."""
    with store.placing():
        _place_pending(store, options, report or IngestReport(), progress, shingles)


def _place_pending(store: Store, options: Options, report: IngestReport, progress: Progress | None,
                   shingles: dict[str, np.ndarray] | None) -> None:
    pending = store.pending_articles()
    if not pending:
        return
    detector = CopyDetector(options)
    detector.remember_shingles(shingles or {})
    features = store.features()
    hashes = dict(store.db.execute("SELECT id, text_hash FROM articles").fetchall())
    placed_rows = store.db.execute(
        "SELECT id, story_id, published, language FROM articles WHERE story_id IS NOT NULL ORDER BY seq").fetchall()
    story_of = {r[0]: r[1] for r in placed_rows}
    for aid, *_ in placed_rows:
        detector.add_existing(aid, np.frombuffer(features[aid][0], dtype=np.uint64), hashes[aid])
    for article in pending:
        detector.add_new(article.id, np.frombuffer(features[article.id][0], dtype=np.uint64), hashes[article.id])

    existing_links = store.copy_links()
    groups = UnionFind()
    for link in existing_links.values():
        groups.union(link.original_id, link.article_id)
    for a, b in detector.pairs:
        groups.union(a, b)

    # A copy goes where its group already is; otherwise one member per group is clustered for all.
    assignments: dict[str, int] = {}
    group_story: dict[str, int] = {}
    for aid, sid in story_of.items():
        group_story.setdefault(groups.find(aid), sid)
    representatives: list[Article] = []
    followers: dict[str, list[str]] = {}
    for article in pending:
        root = groups.find(article.id)
        if root in group_story:
            assignments[article.id] = group_story[root]
        elif root in followers:
            followers[root].append(article.id)
        else:
            followers[root] = [article.id]
            representatives.append(article)

    stories: dict[int, list] = {}
    for aid, sid, published, language in placed_rows:
        stories.setdefault(sid, []).append((aid, features[aid][1], features[aid][2], published, language))
    df = DocumentFrequencies.from_blobs(store.blob("df_words"), store.blob("df_anchors"), store.blob("df_n"))
    clusterer = StoryClusterer(options)
    new = [(a.id, features[a.id][1], features[a.id][2], a.published, a.language) for a in representatives]
    chosen = clusterer.assign(new, stories, df)
    for article in representatives:
        for aid in followers[groups.find(article.id)]:
            assignments[aid] = chosen[article.id]

    # Every story that grew is checked for two events of one kind; copy groups move whole.
    grown: dict[int, dict[str, tuple]] = {sid: {} for sid in set(chosen.values())}
    for aid, sid, published, language in placed_rows:
        if sid in grown:
            grown[sid].setdefault(groups.find(aid), (aid, features[aid][1], features[aid][2], published, language))
    for row in new:
        grown[chosen[row[0]]].setdefault(groups.find(row[0]), row)
    next_temp = min([0, *chosen.values()]) - 1
    moved = {groups.find(aid): sid for aid, sid in
             clusterer.split({sid: list(m.values()) for sid, m in grown.items()}, next_temp, df).items()}
    moved_ids = [aid for aid, sid in [*story_of.items(), *assignments.items()]
                 if sid in grown and groups.find(aid) in moved]
    for aid in moved_ids:
        assignments[aid] = moved[groups.find(aid)]
    # document frequencies count every article, copies included, as they were stored
    others = [a for a in pending if a.id not in chosen]
    if others:
        df.add(count_matrix([features[a.id][1] for a in others]), count_matrix([features[a.id][2] for a in others]))

    # Pieces of one event that arrived in different ingests are merged (see StoryClusterer.merge); copy groups
    # count once, as in the split.
    published = {aid: day for aid, _, day, _ in placed_rows} | {a.id: a.published for a in pending}
    language = {aid: lang for aid, _, _, lang in placed_rows} | {a.id: a.language for a in pending}
    current = {**story_of, **assignments}
    members: dict[int, dict[str, tuple]] = {}
    for aid, sid in current.items():
        row = (aid, features[aid][1], features[aid][2], published[aid], language[aid])
        members.setdefault(sid, {}).setdefault(groups.find(aid), row)
    merged = clusterer.merge({sid: list(m.values()) for sid, m in members.items()},
                             set(assignments.values()) | set(grown), df)
    for aid, sid in current.items():
        if sid in merged:
            assignments[aid] = merged[sid]
    removed = [sid for sid in merged if sid > 0]  # existing stories absorbed by older ones

    # Containment: an article wrapped in another page (or wrapping one) within the same story.
    by_story: dict[int, list[str]] = {}
    for aid, sid in {**story_of, **assignments}.items():
        by_story.setdefault(sid, []).append(aid)
    paired = {x for pair in detector.pairs for x in pair}
    involved = {aid for sid in set(assignments.values()) for aid in by_story.get(sid, [])}
    involved |= {aid for sid in grown for aid in by_story.get(sid, [])}  # stories that lost members
    involved |= paired | set(existing_links) | {
        link.original_id for link in existing_links.values()}
    articles = {a.id: a for a in store.articles(f"id IN ({','.join('?' * len(involved))})", tuple(involved))} \
        if involved else {}
    for article in pending:
        if article.id in paired:
            continue
        mates = by_story.get(assignments[article.id], [])
        if 1 < len(mates) <= options.containment_max_story:
            found = detector.check_containment(article, [articles[m] for m in mates if m in articles])
            paired.update(found + [article.id] if found else [])
    links = [l for l in detector.links(articles, existing_links)
             if l.article_id not in existing_links or existing_links[l.article_id].original_id != l.original_id]

    def title_of(sid: int) -> str | None:
        return story_title([articles[m] for m in by_story[sid] if m in articles])

    titles = {sid: title_of(sid) for sid in set(assignments.values()) if sid < 0}
    # a story that lost members to a split is named again after the ones it keeps
    retitled = {sid: title_of(sid) for sid in {story_of[aid] for aid in moved_ids if aid in story_of} - set(merged)}
    store.save_assignments(titles, assignments, links, df.to_blobs(), retitled, removed)
    report.placed += len(pending)
    report.stories_opened += len(titles)
    report.copies_linked += len(links)
    if progress:
        progress("placed", len(pending))


def story_title(members: list[Article]) -> str | None:
    """The first member title, else the opening words of the first article."""
    for article in members:
        if article.title:
            return article.title
    if members:
        first = members[0].text.split("\n", 1)[0]
        return first if len(first) <= 100 else first[:97].rsplit(" ", 1)[0] + "…"
    return None
