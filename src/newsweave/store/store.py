"""SQLite store (WAL mode, versioned schema). Every write that must stay consistent is one transaction."""
from __future__ import annotations

import fcntl
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from newsweave.records import Article, CopyLink, Member, Story
from newsweave.store.schema import MIGRATIONS
from newsweave.store.subscriptions import SubscriptionTables
from newsweave.tokens import CJK_RUN

SEARCH_WORD = re.compile(r"(\w+)(\*?)", re.UNICODE)  # a word of a search; "sar*": any word that begins so


def fts_query(words: list[tuple[str, str]]) -> str:
    """FTS5 query of every search word, each quoted so that nothing in it is read as FTS syntax; a word
    ending in * matches the words it begins."""
    return " ".join(f'"{word}"{star}' for word, star in words)

STORY_ORDER = {  # the story list's sorts, ties broken the same way each time
    "recent": "coalesce(s.last_date, '') DESC, s.id DESC",
    "size": "s.articles DESC, s.id DESC",
    "sources": "s.sources DESC, s.articles DESC, s.id DESC",
    "conflicts": "coalesce(d.conflicts, 0) DESC, s.sources DESC, s.id DESC",
}
ARTICLE_COLUMNS = (
    "id", "source", "kind", "raw", "text", "title", "url", "outlet", "author", "published",
    "credited_origin", "credit_line", "removed_chars", "seq", "story_id", "language",
)


class Store(SubscriptionTables):
    def __init__(self, path: str | Path):
        self.path = str(path)
        # a writer waits up to a minute for another (the full-text indexer, a second ingest) to commit
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    # -- schema ---------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                statement = ""
                for piece in script.split(";"):  # whole statements only: a trigger body holds ";" too
                    statement += piece + ";"
                    if sqlite3.complete_statement(statement):
                        if statement.strip(" \n;"):
                            self.db.execute(statement)
                        statement = ""
                self.db.execute(f"PRAGMA user_version={number}")
        if version < 8 and self.schema_version >= 8:
            with self.transaction() as db:
                self.summarise_stories(db, [r[0] for r in db.execute("SELECT id FROM stories")], count=False)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    # -- articles -------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return found

    def add_articles(self, rows: list[tuple[Article, str, bytes, bytes, bytes]]) -> None:
        """Insert cleaned articles with their features, all or nothing."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO articles (id, source, kind, raw, text, text_hash, title, url, outlet,"
                " author, published, credited_origin, credit_line, removed_chars, language)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(a.id, a.source, a.kind, a.raw, a.text, text_hash, a.title, a.url, a.outlet, a.author, a.published,
                  a.credited_origin, a.credit_line, a.removed_chars, a.language) for a, text_hash, *_ in rows],
            )
            db.executemany(
                "INSERT OR IGNORE INTO article_features (article_id, minhash, words, entities) VALUES (?,?,?,?)",
                [(a.id, minhash, words, entities) for a, _, minhash, words, entities in rows],
            )

    def _article(self, row: sqlite3.Row) -> Article:
        return Article(**{k: row[k] for k in ARTICLE_COLUMNS})

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def articles(self, where: str = "1", params: tuple = (), raw: bool = True, text: bool = True) -> list[Article]:
        """Articles matching `where`, in ingest order; with `raw` False their raw input is left empty (it is
        the largest column, and only the cleaner's view of an article needs it)."""
        rows = self.db.execute(f"SELECT {_columns(raw, text)} FROM articles WHERE {where} ORDER BY seq", params)
        return [self._article(r) for r in rows]

    def articles_by_id(self, ids: Iterable[str], raw: bool = True) -> list[Article]:
        """These articles (any number of ids), in ingest order."""
        rows = self._in(f"SELECT {_columns(raw)} FROM articles WHERE id IN ({{}})", list(set(ids)))
        return sorted((self._article(r) for r in rows), key=lambda a: a.seq)

    def article_ids(self, placed: bool = False) -> list[str]:
        """Ids of all articles (or of those placed in a story), in ingest order."""
        where = "WHERE story_id IS NOT NULL" if placed else ""
        return [r[0] for r in self.db.execute(f"SELECT id FROM articles {where} ORDER BY seq")]

    def article_outlets(self) -> list[tuple[str, str | None, str | None]]:
        """(id, outlet, url) of every article: who published what, without reading any text."""
        return self.db.execute("SELECT id, outlet, url FROM articles").fetchall()

    def article_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def pending_articles(self, raw: bool = True, text: bool = True) -> list[Article]:
        """Articles stored but not yet placed in a story (new, or left by an interrupted run)."""
        return self.articles("story_id IS NULL", raw=raw, text=text)

    def features(self, ids: Iterable[str] | None = None) -> dict[str, tuple[bytes, bytes, bytes]]:
        if ids is None:
            rows = self.db.execute("SELECT article_id, minhash, words, entities FROM article_features")
        else:
            rows = self._in("SELECT article_id, minhash, words, entities FROM article_features WHERE article_id IN ({})",
                            list(ids))
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def replace_features(self, rows: list[tuple[bytes, bytes, bytes, str]], blobs: dict[str, bytes]) -> None:
        """(minhash, words, entities, article id) rows recomputed, and the shared arrays they move, at once."""
        with self.transaction() as db:
            db.executemany("UPDATE article_features SET minhash=?, words=?, entities=? WHERE article_id=?", rows)
            self._put_blobs(db, blobs)

    def text_hashes(self) -> dict[str, str]:
        """text hash -> id of the first article (in ingest order) with that cleaned text."""
        out: dict[str, str] = {}
        for h, i in self.db.execute("SELECT text_hash, id FROM articles ORDER BY seq"):
            out.setdefault(h, i)
        return out

    # -- what placing new articles looks up -----------------------------------------------------------
    def _in(self, sql: str, values: list, params: tuple = ()) -> Iterator[sqlite3.Row]:
        """Rows of `sql` whose "IN ({})" is filled with `values`, 500 at a time (SQLite's variable limit)."""
        values = list(values)
        for i in range(0, len(values), 500):
            part = values[i: i + 500]
            yield from self.db.execute(sql.format(",".join("?" * len(part))), (*part, *params))

    def text_hashes_of(self, ids: Iterable[str]) -> dict[str, str]:
        return {r[0]: r[1] for r in self._in("SELECT id, text_hash FROM articles WHERE id IN ({})", list(ids))}

    def first_placed_with_hashes(self, text_hashes: Iterable[str]) -> dict[str, str]:
        """text hash -> the first placed article (in ingest order) whose cleaned text has it."""
        rows = sorted(self._in("SELECT text_hash, id, seq FROM articles WHERE text_hash IN ({}) AND story_id IS NOT NULL",
                               list(set(text_hashes))), key=lambda r: r[2])
        out: dict[str, str] = {}
        for text_hash, article_id, _ in rows:
            out.setdefault(text_hash, article_id)
        return out

    def bucket_members(self, keys: Iterable[int]) -> dict[int, set[str]]:
        """MinHash LSH bucket key -> the placed articles in it, for these keys (those with any)."""
        out: dict[int, set[str]] = {}
        for key, article_id in self._in("SELECT key, article_id FROM copy_buckets WHERE key IN ({})", list(set(keys))):
            out.setdefault(key, set()).add(article_id)
        return out

    def signatures(self, ids: Iterable[str]) -> dict[str, bytes]:
        return {r[0]: r[1] for r in self._in("SELECT article_id, minhash FROM article_features WHERE article_id IN ({})",
                                            list(ids))}

    def members(self, story_ids: Iterable[int]) -> list[tuple[int, int, Member]]:
        """(seq, story id, member) of every member of these stories, as placement compares them, in ingest order."""
        rows = [(r[0], r[1], Member(*r[2:])) for r in self._in(
            "SELECT a.seq, a.story_id, a.id, f.words, f.entities, a.published, a.language FROM articles a "
            "JOIN article_features f ON f.article_id = a.id WHERE a.story_id IN ({})", list(story_ids))]
        return sorted(rows, key=lambda r: r[0])

    def stories_near(self, first: str, last: str) -> set[int]:
        """Stories whose dates overlap `first`..`last` (ISO dates), and every story with an undated member (its
        date is unknown, so it is near any)."""
        return {r[0] for r in self.db.execute(
            "SELECT id FROM stories WHERE articles > 0 AND (undated > 0 OR (first_date <= ? AND last_date >= ?))",
            (last, first))}

    def stories_naming(self, names: Iterable[int]) -> set[int]:
        """Stories with a member naming any of these people (name columns, see cluster.features)."""
        return {r[0] for r in self._in("SELECT DISTINCT a.story_id FROM article_names n JOIN articles a ON a.id = "
                                       "n.article_id WHERE n.name IN ({}) AND a.story_id IS NOT NULL", list(names))}

    def copy_groups(self, ids: Iterable[str]) -> dict[str, CopyLink]:
        """The stored copy links of every copy group holding one of these articles."""
        links: dict[str, CopyLink] = {}
        frontier = set(ids)
        seen: set[str] = set()
        while frontier:
            seen |= frontier
            found = [*self._in("SELECT article_id, original_id, method, evidence FROM copy_links "
                               "WHERE article_id IN ({})", list(frontier)),
                     *self._in("SELECT article_id, original_id, method, evidence FROM copy_links "
                               "WHERE original_id IN ({})", list(frontier))]
            frontier = set()
            for r in found:
                links[r[0]] = CopyLink(r[0], r[1], r[2], json.loads(r[3]))
                frontier |= {r[0], r[1]} - seen
        return links

    def copy_pairs_for(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """(copy, original) of the stored links of these articles, without their evidence."""
        return [(r[0], r[1]) for r in self._in("SELECT article_id, original_id FROM copy_links WHERE article_id IN ({})",
                                               list(ids))]

    def placed(self, ids: Iterable[str]) -> list[tuple[str, int, int]]:
        """(id, story id, seq) of those of these articles already placed, in ingest order."""
        return sorted(((r[0], r[1], r[2]) for r in self._in(
            "SELECT id, story_id, seq FROM articles WHERE id IN ({}) AND story_id IS NOT NULL", list(ids))),
            key=lambda r: r[2])

    def replace_placement_index(self, buckets: list[tuple[int, str]], names: list[tuple[int, str]],
                                blobs: dict[str, bytes], clear: bool = False) -> None:
        with self.transaction() as db:
            if clear:
                db.execute("DELETE FROM copy_buckets")
                db.execute("DELETE FROM article_names")
            db.executemany("INSERT OR IGNORE INTO copy_buckets (key, article_id) VALUES (?,?)", buckets)
            db.executemany("INSERT OR IGNORE INTO article_names (name, article_id) VALUES (?,?)", names)
            self._put_blobs(db, blobs)

    # -- blobs (document frequencies and other shared arrays) --------------------------------------
    @staticmethod
    def _put_blobs(db: sqlite3.Connection, blobs: dict[str, bytes | tuple[list[int], bytes]]) -> None:
        """Write shared arrays: a value in bytes whole; (cells, their 4-byte values) in place, into the
        stored array of that name."""
        db.executemany("INSERT OR REPLACE INTO blobs (name, value) VALUES (?,?)",
                       [(k, v) for k, v in blobs.items() if isinstance(v, bytes)])
        for name, (cells, values) in ((k, v) for k, v in blobs.items() if not isinstance(v, bytes)):
            rowid = db.execute("SELECT rowid FROM blobs WHERE name=?", (name,)).fetchone()[0]
            with db.blobopen("blobs", "value", rowid) as blob:
                for k, cell in enumerate(cells):
                    blob.seek(4 * cell)
                    blob.write(values[4 * k: 4 * k + 4])

    def blob(self, name: str) -> bytes | None:
        row = self.db.execute("SELECT value FROM blobs WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    # -- copies and stories ---------------------------------------------------------------------
    def copy_links_for(self, ids: list[str]) -> dict[str, CopyLink]:
        """Links whose copy is one of `ids`."""
        out: dict[str, CopyLink] = {}
        for i in range(0, len(ids), 500):
            part = ids[i: i + 500]
            for r in self.db.execute("SELECT article_id, original_id, method, evidence FROM copy_links "
                                     f"WHERE article_id IN ({','.join('?' * len(part))})", part):
                out[r[0]] = CopyLink(r[0], r[1], r[2], json.loads(r[3]))
        return out

    def copy_links(self) -> dict[str, CopyLink]:
        rows = self.db.execute("SELECT article_id, original_id, method, evidence FROM copy_links")
        return {r[0]: CopyLink(r[0], r[1], r[2], json.loads(r[3])) for r in rows}

    def save_assignments(
        self,
        new_stories: dict[int, str | None],
        assignments: dict[str, int],
        links: list[CopyLink],
        blobs: dict[str, bytes],
        retitled: dict[int, str | None] | None = None,
        removed: list[int] | None = None,
        buckets: list[tuple[int, str]] = (),
        names: list[tuple[int, str]] = (),
        unlinked: list[str] = (),
        events: list[tuple[str, int, int, str]] = (),
    ) -> dict[int, int]:
        """Write one clustering pass at once: new stories, article->story, copy links, shared arrays.

        `new_stories` maps temporary negative ids to titles; returns temporary id -> real id. `retitled`:
        existing stories named again (they lost members to a split). `removed`: existing stories merged into
        others (every member of theirs is in `assignments`), deleted with their cached dossiers. `buckets`,
        `names`: (key, article id) rows of the placed articles' LSH buckets and the people they name.
        `unlinked`: articles whose copy link goes (each became the original of its group). `events`: (kind,
        story id, other story id, reason) of each split and merge, temporary ids among them (a new story
        merged away in the same pass never had an id: its events name none).
        """
        real: dict[int, int] = {}
        with self.transaction() as db:
            for temp, title in new_stories.items():
                real[temp] = db.execute("INSERT INTO stories (title) VALUES (?)", (title,)).lastrowid
            for sid, title in (retitled or {}).items():
                db.execute("UPDATE stories SET title=? WHERE id=?", (title, sid))
            touched = {real.get(story, story) for story in assignments.values()}
            db.executemany("UPDATE articles SET story_id=? WHERE id=?",
                           ((real.get(story, story), article_id) for article_id, story in assignments.items()))
            db.executemany(
                "INSERT OR REPLACE INTO copy_links (article_id, original_id, method, evidence) VALUES (?,?,?,?)",
                [(link.article_id, link.original_id, link.method, json.dumps(link.evidence, sort_keys=True))
                 for link in links])
            db.executemany("DELETE FROM copy_links WHERE article_id=?", [(aid,) for aid in unlinked])
            db.executemany("INSERT INTO story_events (kind, story_id, other_id, reason) VALUES (?,?,?,?)",
                           [(kind, real.get(a, a), real.get(b, b) if b > 0 or b in real else None, why)
                            for kind, a, b, why in events])
            for sid in removed or ():
                db.execute("DELETE FROM dossiers WHERE story_id=?", (sid,))
                db.execute("DELETE FROM stories WHERE id=?", (sid,))
            self._put_blobs(db, blobs)
            db.executemany("INSERT OR IGNORE INTO copy_buckets (key, article_id) VALUES (?,?)", buckets)
            # in key order, as the buckets: SQLite then fills the index without jumping
            db.executemany("INSERT OR IGNORE INTO article_names (name, article_id) VALUES (?,?)", sorted(names))
            self.summarise_stories(db, touched | set(retitled or ()))
            # a story left with no member (all moved by a split or a merge) does not stay behind
            db.execute("DELETE FROM dossiers WHERE story_id NOT IN "
                       "(SELECT story_id FROM articles WHERE story_id IS NOT NULL)")
            db.execute("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM articles WHERE story_id IS NOT NULL)")
        return real

    @contextmanager
    def placing(self) -> Iterator[None]:
        """Only one process places articles in a store's stories at a time: two placements computed from
        the same state would each write their own stories. A lock on a file beside the store, released by
        the system if the holder dies."""
        with open(f"{self.path}.place-lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def summarise_stories(self, db: sqlite3.Connection, story_ids: Iterable[int], count: bool = True) -> None:
        """Refresh what is kept of these stories (articles, independent sources, first and last date, members
        without a date) and, with `count`, count a change to each, which puts its cached dossier out of
        date. Inside a transaction."""
        for sid in story_ids:
            rows = db.execute("SELECT id, published FROM articles WHERE story_id=?", (sid,)).fetchall()
            if not rows:
                continue  # deleted below by the caller, with every other story left empty
            ids = [r[0] for r in rows]
            dates = sorted(r[1] for r in rows if r[1])
            db.execute("UPDATE stories SET articles=?, sources=?, first_date=?, last_date=?, undated=?, "
                       f"changes=changes+{int(count)}, updated_at=datetime('now') WHERE id=?",
                       (len(ids), count_independent(ids, self.copy_links_for(ids)), dates[0] if dates else None,
                        dates[-1] if dates else None, len(ids) - len(dates), sid))

    def story_events(self, story_id: int) -> list[dict]:
        """The splits and merges a story took part in, oldest first, each with its reason."""
        return [{"kind": r[0], "story_id": r[1], "other_id": r[2], "reason": r[3], "at": r[4]} for r in self.db.execute(
            "SELECT kind, story_id, other_id, reason, at FROM story_events WHERE story_id=? OR other_id=? ORDER BY id",
            (story_id, story_id))]

    def set_story_title(self, story_id: int, title: str | None) -> None:
        self.db.execute("UPDATE stories SET title=? WHERE id=?", (title, story_id))

    def story_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM stories ORDER BY id")]

    def story_members(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for sid, aid in self.db.execute("SELECT story_id, id FROM articles WHERE story_id IS NOT NULL ORDER BY seq"):
            out.setdefault(sid, []).append(aid)
        return out

    def stories(self, story_ids: list[int] | None = None) -> list[Story]:
        where, params = ("WHERE id IN (%s)" % ",".join("?" * len(story_ids)), story_ids) if story_ids else ("", [])
        members: dict[int, list[str]] = {}
        spans: dict[int, tuple[str | None, str | None]] = {}
        rows = self.db.execute(
            f"SELECT story_id, id, published FROM articles WHERE story_id IN (SELECT id FROM stories {where}) "
            "ORDER BY seq", params)
        for sid, aid, published in rows:
            members.setdefault(sid, []).append(aid)
            if published:
                lo, hi = spans.get(sid, (published, published))
                spans[sid] = (min(lo, published), max(hi, published))
        links = self.copy_links_for([a for ids in members.values() for a in ids]) if story_ids else self.copy_links()
        out = []
        for r in self.db.execute(f"SELECT id, title FROM stories {where} ORDER BY id", params):
            ids = members.get(r["id"], [])
            if ids:
                first, last = spans.get(r["id"], (None, None))
                out.append(Story(id=r["id"], title=r["title"], article_ids=ids,
                                 independent_sources=count_independent(ids, links), first_date=first, last_date=last))
        return out

    def story(self, story_id: int) -> Story | None:
        found = self.stories([story_id])
        return found[0] if found else None

    # -- full-text index -------------------------------------------------------------------------
    def index_text(self, chunk: int = 500, stop: threading.Event | None = None) -> int:
        """Add the articles stored since the last call to the full-text index, `chunk` articles per transaction
        so other writers wait little (and `stop` is heard between them); returns how many were added."""
        added = 0
        while not (stop and stop.is_set()):
            with self.transaction() as db:
                done = db.execute("SELECT value FROM blobs WHERE name = 'fts_indexed_seq'").fetchone()[0]
                top, count = db.execute("SELECT max(seq), count(*) FROM (SELECT seq FROM articles WHERE seq > ?"
                                        " ORDER BY seq LIMIT ?)", (done, chunk)).fetchone()
                if not count:
                    return added
                db.execute("INSERT INTO articles_fts (rowid, title, text) SELECT seq, title, text FROM articles"
                           " WHERE seq > ? AND seq <= ?", (done, top))
                db.execute("UPDATE blobs SET value = ? WHERE name = 'fts_indexed_seq'", (top,))
            added += count
        return added

    @contextmanager
    def indexing_text(self) -> Iterator[None]:
        """Run `index_text` on a second connection in a thread while the caller works (SQLite lets other
        threads run while it indexes); waits for it on leaving and raises what it raised. If the caller fails
        (or is interrupted), indexing stops after the chunk in hand; the next run picks up the rest."""
        failure: list[BaseException] = []
        stop = threading.Event()

        def run() -> None:
            try:
                with closing(Store(self.path)) as other:
                    other.index_text(stop=stop)
            except BaseException as e:  # handed to the caller below
                failure.append(e)

        thread = threading.Thread(target=run, name="newsweave-index-text", daemon=True)
        thread.start()
        try:
            yield
        except BaseException:
            stop.set()
            raise
        finally:
            thread.join()
        if failure:
            raise failure[0]

    def search_stories(self, query: str) -> set[int]:
        """Stories with an article whose title or text matches every word of `query` (SQLite FTS5). FTS5 reads
        a run of Chinese or Japanese characters up to the next punctuation as one token, so those parts of
        the query are matched as substrings instead, among the articles the words leave."""
        sql, params = self._search_sql(query)
        return {r[0] for r in self.db.execute(sql, params)} if sql else set(self.story_ids())

    @staticmethod
    def _search_sql(query: str) -> tuple[str, list]:
        """The SELECT of the ids of stories matching `query` (empty if the query holds no word)."""
        runs = CJK_RUN.findall(query)
        words = SEARCH_WORD.findall(CJK_RUN.sub(" ", query))
        if not words and not runs:
            return "", []
        sql, params = "SELECT DISTINCT a.story_id FROM articles a WHERE a.story_id IS NOT NULL", []
        if words:
            sql = ("SELECT DISTINCT a.story_id FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
                   "WHERE articles_fts MATCH ? AND a.story_id IS NOT NULL")
            params.append(fts_query(words))
        for run in runs:
            sql += " AND (instr(a.text, ?) > 0 OR instr(coalesce(a.title, ''), ?) > 0)"
            params += [run, run]
        return sql, params

    def story_list(self, query: str = "", sort: str = "recent", outlet: str = "", since: str = "", until: str = "",
                   limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
        """One page of the story list, searched (FTS5), filtered by outlet and dates and sorted, all in SQL;
        returns (rows, how many stories match). Each row says whether its dossier is ready, being updated
        (the one shown is older than the story) or not built yet, and its conflicts if there is one."""
        where, params = ["s.articles > 0"], []
        if query.strip():
            search, search_params = self._search_sql(query)
            if search:
                where.append(f"s.id IN ({search})")
                params += search_params
        if outlet:
            where.append("s.id IN (SELECT story_id FROM articles WHERE outlet = ?)")
            params.append(outlet)
        if since:
            where.append("coalesce(s.last_date, '') >= ?")
            params.append(since)
        if until:  # a year or a month lasts to its last day: "2025" is up to 2025-12-31
            where.append("s.first_date <= ?")
            params.append(until + "-12-31"[len(until) - 4:] if len(until) in (4, 7) else until)
        order = STORY_ORDER.get(sort, STORY_ORDER["recent"])
        sql = " AND ".join(where)
        total = self.db.execute(f"SELECT count(*) FROM stories s WHERE {sql}", params).fetchone()[0]
        rows = self.db.execute(
            "SELECT s.id, s.title, s.articles, s.sources, s.first_date, s.last_date, d.conflicts, "
            "CASE WHEN d.story_id IS NULL THEN 'building' WHEN d.built_from = s.changes THEN 'ready' "
            "ELSE 'updating' END AS dossier, s.created_at, s.updated_at FROM stories s "
            f"LEFT JOIN dossiers d ON d.story_id = s.id WHERE {sql} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset])
        out = [{"id": r[0], "title": r[1] or f"Story {r[0]}", "articles": r[2], "independent_sources": r[3],
                "first_date": r[4], "last_date": r[5], "conflicts": r[6] or 0, "dossier": r[7], "created_at": r[8],
                "updated_at": r[9]} for r in rows]
        words = SEARCH_WORD.findall(CJK_RUN.sub(" ", query))
        if words and out:
            snippets = self._snippets(fts_query(words), [row["id"] for row in out])
            for row in out:
                row["snippet"] = snippets.get(row["id"], [])
        return out, total

    def _snippets(self, match: str, story_ids: list[int]) -> dict[int, list[dict]]:
        """Where each story's best-matching article matches the search: a few words around the hits, as
        pieces of text each saying whether it is a hit (so that a page can escape the text and mark the hits).
        One pass over the index finds the best article of every story; only those are cut into snippets."""
        marks = ",".join("?" * len(story_ids))
        best: dict[int, tuple[float, int]] = {}
        for story_id, rowid, rank in self.db.execute(
                f"SELECT a.story_id, f.rowid, f.rank FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
                f"WHERE articles_fts MATCH ? AND a.story_id IN ({marks})", (match, *story_ids)):
            if story_id not in best or rank < best[story_id][0]:
                best[story_id] = (rank, rowid)
        if not best:
            return {}
        story_of = {rowid: story_id for story_id, (_, rowid) in best.items()}
        out = {}
        for rowid, text in self.db.execute(
                f"SELECT rowid, snippet(articles_fts, -1, char(57344), char(57345), '…', 16) FROM articles_fts "
                f"WHERE articles_fts MATCH ? AND rowid IN ({','.join('?' * len(story_of))})", (match, *story_of)):
            parts = re.split("[\ue000\ue001]", text or "")
            out[story_of[rowid]] = [{"text": part, "match": k % 2 == 1} for k, part in enumerate(parts) if part]
        return out

    def outlets(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")]

    def stories_without_dossier(self, limit: int = 50) -> list[int]:
        """Stories whose dossier is missing or older than the story, the most recently changed first."""
        return [r[0] for r in self.db.execute(
            "SELECT s.id FROM stories s LEFT JOIN dossiers d ON d.story_id = s.id "
            "WHERE s.articles > 0 AND (d.story_id IS NULL OR d.built_from != s.changes) "
            "ORDER BY s.updated_at DESC, s.id DESC LIMIT ?", (limit,))]

    def story_changes(self, story_ids: list[int]) -> dict[int, int]:
        """story id -> its count of changes (read before its articles, to stamp the dossier built from them)."""
        return {r[0]: r[1] for r in self._in("SELECT id, changes FROM stories WHERE id IN ({})", story_ids)}

    def expire_dossiers(self, version: str) -> None:
        """Dossiers built by another version of the extraction are out of date: mark them so, once."""
        if (self.blob("dossier_version") or b"").decode() == version:
            return
        with self.transaction() as db:
            db.execute("UPDATE dossiers SET built_from = -1")
            self._put_blobs(db, {"dossier_version": version.encode()})

    # -- dossier caches -------------------------------------------------------------------------
    def cached_facts(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        """article id -> (key, JSON) of stored extractions."""
        return {r[0]: (r[1], r[2]) for r in self._in("SELECT article_id, key, data FROM article_facts WHERE article_id "
                                                     "IN ({})", ids)}

    def save_facts(self, rows: list[tuple[str, str, str]]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO article_facts (article_id, key, data) VALUES (?,?,?)", rows)

    def cached_dossier(self, story_id: int) -> tuple[str, str, bool] | None:
        """(key, JSON, whether it was built from the story as it is now) of a story's cached dossier."""
        row = self.db.execute("SELECT d.key, d.data, d.built_from = s.changes FROM dossiers d "
                              "JOIN stories s ON s.id = d.story_id WHERE d.story_id=?", (story_id,)).fetchone()
        return (row[0], row[1], bool(row[2])) if row else None

    def dossier_state(self, story_id: int) -> tuple[str, bool] | None:
        """(key, whether built from the story as it is now) of a story's cached dossier, without its data."""
        row = self.db.execute("SELECT d.key, d.built_from = s.changes FROM dossiers d "
                              "JOIN stories s ON s.id = d.story_id WHERE d.story_id=?", (story_id,)).fetchone()
        return (row[0], bool(row[1])) if row else None

    def save_dossier(self, story_id: int, key: str, data: str, conflicts: int, built_from: int) -> None:
        """Cache a dossier built from the story at its `built_from`-th change, unless the story went away
        meanwhile (merged by an ingest running beside)."""
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO dossiers (story_id, key, data, conflicts, built_from) "
                       "SELECT ?,?,?,?,? WHERE EXISTS (SELECT 1 FROM stories WHERE id=?)",
                       (story_id, key, data, conflicts, built_from, story_id))

    def dossier_is_current(self, story_id: int, built_from: int) -> None:
        """A cached dossier found equal to what the story at its `built_from`-th change gives."""
        self.db.execute("UPDATE dossiers SET built_from=? WHERE story_id=?", (built_from, story_id))

    # -- runs -----------------------------------------------------------------------------------
    def start_run(self) -> int:
        return self.db.execute("INSERT INTO runs DEFAULT VALUES").lastrowid

    def finish_run(self, run_id: int, stats: dict, errors: list) -> None:
        with self.transaction() as db:
            db.executemany("INSERT INTO input_errors (run_id, source, reason) VALUES (?,?,?)",
                           [(run_id, e.source, e.reason) for e in errors])
            db.execute("UPDATE runs SET finished_at=datetime('now'), stats=? WHERE id=?", (json.dumps(stats), run_id))


def _columns(raw: bool, text: bool = True) -> str:
    """The article columns to select: all, or all but the raw input and (with `text` False) the text, which
    are read as empty."""
    if raw and text:
        return "*"
    empty = {"raw"} if text else {"raw", "text"}
    return ", ".join(f"'' AS {c}" if c in empty else c for c in ARTICLE_COLUMNS)


def root_of(article_id: str, links: dict[str, CopyLink]) -> str:
    """The original an article copies, following copy links to the end (itself if it copies nothing)."""
    seen = set()
    while article_id in links and article_id not in seen:
        seen.add(article_id)
        article_id = links[article_id].original_id
    return article_id


def count_independent(article_ids: list[str], links: dict[str, CopyLink]) -> int:
    """Copies of one original count once: the number of distinct roots among the articles."""
    return len({root_of(aid, links) for aid in article_ids})
