"""Bringing what an older newsweave stored up to date with what the current code would store.

Schema migrations (store/schema.py) change tables; this changes computed columns. Stories already formed
stay as they are: only the comparisons with articles added from now on use the refreshed features.
"""
from __future__ import annotations

from newsweave.cluster import DocumentFrequencies, article_features, count_matrix
from newsweave.dedup.minhash import MinHasher
from newsweave.options import Options
from newsweave.store import Store
from newsweave.tokens import CJK

# 2: Chinese and Japanese text is split into characters for MinHash shingles and story terms
FEATURES_VERSION = b"2"


def refresh_features(store: Store, options: Options) -> int:
    """Recompute the stored features of articles the older tokenisation read differently (text with Chinese
    or Japanese characters), once per store, keeping the document frequencies in step. Returns how many."""
    if store.blob("features_version") == FEATURES_VERSION:
        return 0
    rows = store.db.execute("SELECT id, title, text, story_id FROM articles WHERE text GLOB ?",
                            (f"*{CJK.pattern}*",)).fetchall()
    old = store.features([r[0] for r in rows])
    rows = [r for r in rows if r[0] in old]
    hasher = MinHasher(options.num_perm, options.shingle_size)
    updates = []
    for article_id, title, text, _ in rows:
        words, anchors = article_features(title, text)
        updates.append((hasher.signature(text).tobytes(), words, anchors, article_id))
    blobs = {"features_version": FEATURES_VERSION}
    placed = [i for i, row in enumerate(rows) if row[3] is not None]  # only placed articles are counted
    if placed and store.blob("df_n") is not None:
        df = DocumentFrequencies.from_blobs(store.blob("df_words"), store.blob("df_anchors"), store.blob("df_n"))
        df.remove(count_matrix([old[rows[i][0]][1] for i in placed]), count_matrix([old[rows[i][0]][2] for i in placed]))
        df.add(count_matrix([updates[i][1] for i in placed]), count_matrix([updates[i][2] for i in placed]))
        blobs.update(df.to_blobs())
    store.replace_features(updates, blobs)
    return len(updates)
