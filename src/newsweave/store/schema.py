"""Schema migrations: each entry moves the store one version up; the store records its version."""

MIGRATIONS: list[str] = [
    # 1: articles, copies, stories, vectors for clustering, runs and their input errors
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        raw TEXT NOT NULL,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        title TEXT, url TEXT, outlet TEXT, author TEXT, published TEXT,
        credited_origin TEXT, credit_line TEXT,
        removed_chars INTEGER NOT NULL DEFAULT 0,
        story_id INTEGER REFERENCES stories(id),
        ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX articles_story ON articles(story_id);
    CREATE INDEX articles_text_hash ON articles(text_hash);
    CREATE TABLE article_features (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        minhash BLOB NOT NULL,
        words BLOB NOT NULL,
        entities BLOB NOT NULL
    );
    CREATE TABLE copy_links (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        original_id TEXT NOT NULL REFERENCES articles(id),
        method TEXT NOT NULL,
        evidence TEXT NOT NULL
    );
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT,
        created_at TEXT NOT NULL DEFAULT (datetime('now')),
        updated_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE blobs (name TEXT PRIMARY KEY, value BLOB NOT NULL);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL DEFAULT (datetime('now')),
        finished_at TEXT,
        stats TEXT
    );
    CREATE TABLE input_errors (
        run_id INTEGER REFERENCES runs(id),
        source TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    """,
    # 2: per-article extractions and per-story dossiers, both caches keyed by what they were computed from
    """
    CREATE TABLE article_facts (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        key TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE dossiers (
        story_id INTEGER PRIMARY KEY REFERENCES stories(id),
        key TEXT NOT NULL,
        data TEXT NOT NULL
    );
    """,
    # 3: full-text search over article titles and bodies, kept in step by triggers
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq');
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    """,
    # 4: each cached dossier keeps its number of conflicts, for sorting story lists without reading it
    """
    DELETE FROM dossiers;
    ALTER TABLE dossiers ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0;
    """,
    # 5: the full-text index is filled after articles are stored (Store.index_text), not by a trigger on each
    # insert, so ingest can index on a core that placing leaves idle; deletes and edits touch indexed rows only
    """
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    INSERT OR REPLACE INTO blobs (name, value) SELECT 'fts_indexed_seq', coalesce(max(seq), 0) FROM articles;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
    WHEN old.seq <= (SELECT value FROM blobs WHERE name = 'fts_indexed_seq') BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles
    WHEN old.seq <= (SELECT value FROM blobs WHERE name = 'fts_indexed_seq') BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    """,
    # 6: each article's language (stories never join two); older rows stay unknown (NULL)
    """
    ALTER TABLE articles ADD COLUMN language TEXT;
    """,
    # 7: each story keeps what its list row shows (so lists are sorted and paged in SQL, filled by
    # Store.summarise_stories) and counts its changes; a cached dossier records the count it was built from,
    # so a changed story's dossier is known to be out of date without reading the story
    """
    ALTER TABLE stories ADD COLUMN articles INTEGER;
    ALTER TABLE stories ADD COLUMN sources INTEGER;
    ALTER TABLE stories ADD COLUMN first_date TEXT;
    ALTER TABLE stories ADD COLUMN last_date TEXT;
    ALTER TABLE stories ADD COLUMN changes INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE dossiers ADD COLUMN built_from INTEGER NOT NULL DEFAULT -1;
    CREATE INDEX articles_outlet ON articles(outlet, story_id);
    """,
    # 8: what placing new articles looks up instead of loading every stored one: the MinHash LSH buckets of
    # placed articles (near-copies), the people each names (stories a shared name may join across time),
    # and per story its members without a date (such a story is near every date); filled by
    # upgrade.refresh_placement_index for placed articles of older stores. And each split and merge of
    # stories with its reason (stories merged away keep their events, under their old id)
    """
    ALTER TABLE stories ADD COLUMN undated INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE copy_buckets (key INTEGER NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (key, article_id))
        WITHOUT ROWID;
    CREATE TABLE article_names (name INTEGER NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (name, article_id))
        WITHOUT ROWID;
    CREATE INDEX stories_dates ON stories(last_date, first_date);
    CREATE INDEX copy_links_original ON copy_links(original_id);
    DELETE FROM blobs WHERE name = 'placement_index';
    CREATE TABLE story_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        story_id INTEGER NOT NULL,
        other_id INTEGER,
        reason TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX story_events_story ON story_events(story_id);
    CREATE INDEX story_events_other ON story_events(other_id);
    """,
    # 9: following sources: subscriptions (feeds, sitemaps) with their fetch state, every item they listed
    # (kept, with the article its page became, or why not), the pages fetched (a page two feeds list is
    # fetched once), and the alerts raised when a story gained a source, a conflict or a changed key figure
    """
    CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT NOT NULL UNIQUE,
        kind TEXT,
        title TEXT,
        added_at TEXT NOT NULL DEFAULT (datetime('now')),
        etag TEXT,
        last_modified TEXT,
        last_fetch_at TEXT,
        last_ok_at TEXT,
        last_error TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        next_fetch_at TEXT
    );
    CREATE TABLE feed_items (
        subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
        key TEXT NOT NULL,
        link TEXT,
        title TEXT,
        published TEXT,
        author TEXT,
        content TEXT NOT NULL DEFAULT '',
        full INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'new',
        article_id TEXT,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        seen_at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (subscription_id, key)
    );
    CREATE INDEX feed_items_state ON feed_items(state);
    CREATE TABLE pages (
        url TEXT PRIMARY KEY,
        article_id TEXT,
        fetched_at TEXT NOT NULL DEFAULT (datetime('now'))
    ) WITHOUT ROWID;
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        story_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (datetime('now')),
        data TEXT NOT NULL
    );
    """,
]
