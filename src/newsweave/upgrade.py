"""Bringing what an older newsweave stored up to date with what the current code would store.

Schema migrations (store/schema.py) change tables; this changes computed columns. Stories already formed
stay as they are: only the comparisons with articles added from now on use the refreshed features.
"""
from __future__ import annotations

import logging

import numpy as np

from newsweave.cluster import DocumentFrequencies, article_features, count_matrix
from newsweave.dedup import CopyDetector
from newsweave.dedup.minhash import MinHasher
from newsweave.options import Options
from newsweave.placement import name_rows
from newsweave.records import Member
from newsweave.store import Store
from newsweave.tokens import CJK

# 2: Chinese and Japanese text is split into characters for MinHash shingles and story terms
# 3: people's names get hash columns of their own (every article's terms are hashed anew); function words
#    and anchors per language
# 4: the days an article is about (its publication and the days it names) get columns of their own
FEATURES_VERSION = b"4"
log = logging.getLogger(__name__)
BUCKET_SCHEME = 1  # bump when CopyDetector.bucket_keys changes, so stored buckets are recomputed
CHUNK = 2000  # articles recomputed per step: bounds memory on a large store


def refresh_features(store: Store, options: Options) -> int:
    """Recompute the stored features of articles that an older version computed differently, once per
    store, keeping the document frequencies in step, then the placement index built from them. Returns how
    many changed."""
    changed = _refresh_features(store, options)
    refresh_placement_index(store, options)
    return changed


def refresh_placement_index(store: Store, options: Options) -> int:
    """Fill what placement looks up instead of loading every placed article (LSH buckets of their MinHash
    signatures, the people they name) for a store that has none, or whose features or LSH settings changed.
    Returns how many articles were indexed."""
    version = FEATURES_VERSION + f"|{options.num_perm}|{options.near_duplicate_jaccard}|{BUCKET_SCHEME}".encode()
    if store.blob("placement_index") == version:
        return 0
    detector = CopyDetector(options)
    ids = store.article_ids(placed=True)
    for start in range(0, max(len(ids), 1), CHUNK):
        rows = store.features(ids[start: start + CHUNK])
        buckets = [(key, aid) for aid, (minhash, _, _) in rows.items()
                   for key in detector.bucket_keys(np.frombuffer(minhash, dtype=np.uint64))]
        names = name_rows(Member(aid, words, anchors, None, None) for aid, (_, words, anchors) in rows.items())
        store.replace_placement_index(buckets, names, {}, clear=start == 0)
    store.replace_placement_index([], [], {"placement_index": version})
    log.info("placement lookups filled for %d placed articles", len(ids))
    return len(ids)


def _refresh_features(store: Store, options: Options) -> int:
    if store.blob("features_version") == FEATURES_VERSION:
        return 0
    ids = store.article_ids()
    hasher = MinHasher(options.num_perm, options.shingle_size)
    df = None
    if store.blob("df_n") is not None:
        df = DocumentFrequencies.from_blobs(store.blob("df_words"), store.blob("df_anchors"), store.blob("df_n"),
                                            options.rare_name_articles)
    changed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start: start + CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = [(a.id, a.title, a.text, a.story_id, a.language, a.published)
                for a in store.articles(f"id IN ({marks})", tuple(chunk), raw=False)]
        old = store.features([r[0] for r in rows])
        updates, placed = [], []
        for article_id, title, text, story_id, language, published in rows:
            if article_id not in old:
                continue
            words, anchors = article_features(title, text, language, published)
            if (words, anchors) == old[article_id][1:]:
                continue
            signature = old[article_id][0] if not CJK.search(text) else hasher.signature(text).tobytes()
            updates.append((signature, words, anchors, article_id))
            if story_id is not None:  # only placed articles are counted
                placed.append(len(updates) - 1)
        if df is not None and placed:
            df.remove(count_matrix([old[updates[i][3]][1] for i in placed]),
                      count_matrix([old[updates[i][3]][2] for i in placed]))
            df.add(count_matrix([updates[i][1] for i in placed]), count_matrix([updates[i][2] for i in placed]))
        store.replace_features(updates, df.to_blobs() if df is not None else {})
        changed += len(updates)
    store.replace_features([], {"features_version": FEATURES_VERSION})
    return changed
