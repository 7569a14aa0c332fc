"""The store: migrations and the full-text index, which is filled after articles are stored."""
import re
import sqlite3
import zlib

import numpy as np
import pytest

from newsweave import Newsweave
from newsweave.cluster import DocumentFrequencies, count_matrix
from newsweave.cluster.features import pack
from newsweave.dedup.minhash import MinHasher
from newsweave.prepare import CleanJob, prepare
from newsweave.records import RawDocument
from newsweave.store import Store
from newsweave.store.schema import MIGRATIONS
from newsweave.upgrade import refresh_features

BODY = ("Flood waters rose across the lowland villages of Veldmark on Tuesday after three days of rain, "
        "and rescue crews moved two hundred families to schools on higher ground.")


def indexed(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]


def store_unindexed(store: Store, source: str, text: str) -> str:
    """Store one article the way ingest does, without placing or indexing it."""
    [done] = prepare([CleanJob(RawDocument(source, "text", text))])
    store.add_articles([(done.article, done.text_hash, done.signature, done.words, done.anchors)])
    return done.article.id


def integrity_ok(store: Store) -> bool:
    try:
        store.db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        return True
    except sqlite3.DatabaseError:
        return False


def test_ingest_indexes_what_it_stored_and_a_later_run_catches_up(seeds, db):
    with Newsweave(db) as nw:
        nw.ingest([seeds])
        assert indexed(nw.store) == 5
        assert len(nw.store.search_stories("Kursk engineer")) == 1
        # as after an ingest killed between storing and indexing
        store_unindexed(nw.store, "late.txt", BODY)
        assert indexed(nw.store) == 5
        with nw.store.indexing_text():
            pass
        assert indexed(nw.store) == 6 and nw.store.index_text() == 0
        assert integrity_ok(nw.store)


def test_index_text_works_in_chunks_and_skips_deleted_articles(db):
    store = Store(db)
    ids = [store_unindexed(store, f"{i}.txt", BODY + f" Report {i}.") for i in range(5)]
    store.db.execute("DELETE FROM article_features WHERE article_id=?", (ids[0],))
    store.db.execute("DELETE FROM articles WHERE id=?", (ids[0],))  # never indexed: the index is left alone
    assert store.index_text(chunk=2) == 4 and store.index_text() == 0
    assert indexed(store) == 4 and integrity_ok(store)
    store.db.execute("UPDATE articles SET title='Veldmark flood' WHERE id=?", (ids[1],))  # indexed: kept in step
    hits = store.db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'title:Veldmark'")
    assert hits.fetchone()[0] == 1 and integrity_ok(store)
    store.close()


def test_a_store_indexed_by_trigger_moves_to_indexing_after_storing(db):
    old = sqlite3.connect(db)
    for number, script in enumerate(MIGRATIONS[:4], start=1):
        old.executescript(script)
        old.execute(f"PRAGMA user_version={number}")
    old.execute("INSERT INTO articles (id, source, kind, raw, text, text_hash) VALUES ('a1', 'a.txt', 'text', ?, ?, 'h')",
                (BODY, BODY))
    old.commit()
    old.close()
    store = Store(db)
    assert store.schema_version == len(MIGRATIONS)
    assert indexed(store) == 1 and store.index_text() == 0  # what the trigger indexed is not indexed twice
    store_unindexed(store, "b.txt", BODY + " More rain is due.")
    assert indexed(store) == 1 and store.index_text() == 1 and integrity_ok(store)
    store.close()


def test_a_failing_caller_gets_its_error_and_indexing_resumes_later(db):
    store = Store(db)
    for i in range(6):
        store_unindexed(store, f"{i}.txt", BODY + f" Report {i}.")
    with pytest.raises(KeyError):
        with store.indexing_text():
            raise KeyError("placing failed")  # the indexer is told to stop after the chunk in hand
    before = indexed(store)
    assert store.index_text() == 6 - before and indexed(store) == 6 and integrity_ok(store)
    store.close()


def test_search_finds_chinese_and_japanese_words_inside_a_sentence(data_dir, db):
    """Written without spaces, a whole Chinese clause is one FTS5 token; a two-character word in it is found."""
    pages = data_dir / "extraction-dev" / "page-text"
    with Newsweave(db) as nw:
        nw.ingest([pages / "t0136.txt", pages / "t0983.txt"])
        (chinese,) = [a for a in nw.articles() if a.source.endswith("t0136.txt")]
        word = "歌手"  # "singer", only ever inside longer runs of characters in that article
        assert word in chinese.text and re.search(f"(?<![\u4e00-\u9fff]){word}(?![\u4e00-\u9fff])", chinese.text) is None
        assert nw.store.search_stories(word) == {chinese.story_id}
        assert nw.store.search_stories(f"Tanya {word}") == {chinese.story_id}  # a word and a run together
        assert nw.store.search_stories(f"Kursk {word}") == set()
        assert nw.store.search_stories("平壤") == set()


def _as_older_version_stored(store: Store, article_ids: list[str]) -> None:
    """Rewrite these articles' features as a version that read a Chinese clause as one word would have."""
    df = DocumentFrequencies.from_blobs(store.blob("df_words"), store.blob("df_anchors"), store.blob("df_n"))
    now = store.features(article_ids)
    df.remove(count_matrix([now[i][1] for i in article_ids]), count_matrix([now[i][2] for i in article_ids]))
    hasher, rows = MinHasher(), []
    for article_id in article_ids:
        text = store.article(article_id).text
        clauses = re.findall(r"\w+", text.lower())
        rows.append((hasher.signature_of(np.unique([zlib.crc32(c.encode()) for c in clauses]).astype(np.uint64))
                     .tobytes(), pack(clauses), pack([c for c in clauses if c[0].isdigit()]), article_id))
    df.add(count_matrix([r[1] for r in rows]), count_matrix([r[2] for r in rows]))
    store.replace_features(rows, df.to_blobs())
    store.db.execute("DELETE FROM blobs WHERE name='features_version'")


def test_a_store_from_an_older_version_gets_chinese_features_recomputed_once(data_dir, seeds, db):
    pages = data_dir / "extraction-dev" / "page-text"
    with Newsweave(db) as nw:
        nw.ingest([pages / "t0060.txt", pages / "t0983.txt", seeds / "002.txt"])
        fresh = nw.store.features()
        fresh_df = [nw.store.blob(n) for n in ("df_words", "df_anchors", "df_n")]
        cjk = [a.id for a in nw.articles() if "page-text" in a.source]
        _as_older_version_stored(nw.store, cjk)
        assert all(nw.store.features()[i] != fresh[i] for i in cjk)

        assert refresh_features(nw.store, nw.options) == 2
        assert nw.store.features() == fresh  # the English article was left alone
        assert [nw.store.blob(n) for n in ("df_words", "df_anchors", "df_n")] == fresh_df
        assert refresh_features(nw.store, nw.options) == 0  # once per store


def test_a_store_from_before_story_summaries_gets_them_filled(seeds, db):
    with Newsweave(db) as nw:
        nw.ingest([seeds])
        expected = [(s.id, len(s.article_ids), s.independent_sources, s.first_date, s.last_date)
                    for s in nw.stories()]
    old = sqlite3.connect(db)  # the store as schema 6 left it
    for index in ("articles_outlet", "stories_dates", "copy_links_original"):
        old.execute(f"DROP INDEX {index}")
    for table, column in (("stories", "articles"), ("stories", "sources"), ("stories", "first_date"),
                          ("stories", "last_date"), ("stories", "changes"), ("dossiers", "built_from")):
        old.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    old.execute("ALTER TABLE stories DROP COLUMN undated")
    old.execute("DROP TABLE copy_buckets")
    old.execute("DROP TABLE story_events")
    old.execute("DROP TABLE article_names")
    for table in ("subscriptions", "feed_items", "pages", "alerts"):  # schema 9
        old.execute(f"DROP TABLE {table}")
    old.execute("PRAGMA user_version=6")
    old.commit()
    old.close()
    with Newsweave(db) as nw:
        rows, total = nw.story_list(sort="size")
        assert total == len(expected) and nw.store.schema_version == len(MIGRATIONS)
        nw.resume()  # the placement lookups are filled once, for every placed article
        assert nw.store.db.execute("SELECT count(DISTINCT article_id) FROM copy_buckets").fetchone()[0] == 5
        assert sorted((r["id"], r["articles"], r["independent_sources"], r["first_date"], r["last_date"])
                      for r in rows) == sorted(expected)
