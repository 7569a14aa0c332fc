"""The store's tables for following sources: subscriptions, the items they list, pages fetched, alerts.

Mixed into Store (it uses the store's connection and transactions), kept apart because it is its own job.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Subscription:
    id: int
    url: str
    kind: str | None
    title: str | None
    added_at: str
    etag: str | None
    last_modified: str | None
    last_fetch_at: str | None
    last_ok_at: str | None
    last_error: str | None
    failures: int
    next_fetch_at: str | None
    items: int = 0
    articles: int = 0
    pending: int = 0
    failed: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class PendingItem:
    subscription_id: int
    key: str
    link: str | None
    title: str | None
    published: str | None
    author: str | None
    content: str
    full: bool
    attempts: int
    outlet: str | None  # the subscription's title
    listing_url: str


class SubscriptionTables:
    db: sqlite3.Connection

    def add_subscriptions(self, urls: Iterable[str]) -> list[str]:
        """Follow these URLs; returns those that were not followed before."""
        added = []
        with self.transaction() as db:
            for url in urls:
                if db.execute("INSERT OR IGNORE INTO subscriptions (url) VALUES (?)", (url,)).rowcount:
                    added.append(url)
        return added

    def remove_subscriptions(self, urls: Iterable[str]) -> int:
        """Stop following these URLs. The articles they gave stay, and so does the record of pages fetched."""
        with self.transaction() as db:
            ids = [r[0] for url in urls for r in db.execute("SELECT id FROM subscriptions WHERE url=?", (url,))]
            for sid in ids:
                db.execute("DELETE FROM feed_items WHERE subscription_id=?", (sid,))
                db.execute("DELETE FROM subscriptions WHERE id=?", (sid,))
        return len(ids)

    def subscriptions(self, due_at: str | None = None) -> list[Subscription]:
        """Every subscription with its counts, or (with `due_at`, an ISO time) those due for a fetch then."""
        where, params = ("WHERE s.next_fetch_at IS NULL OR s.next_fetch_at <= ?", (due_at,)) if due_at else ("", ())
        rows = self.db.execute(
            "SELECT s.*, count(i.key) AS items, sum(i.state='stored') AS articles, "
            "sum(i.state='new' OR i.state='failed') AS pending, sum(i.state='rejected') AS failed "
            f"FROM subscriptions s LEFT JOIN feed_items i ON i.subscription_id=s.id {where} "
            "GROUP BY s.id ORDER BY s.id", params)
        return [Subscription(**{k: (r[k] or 0) if k in ("items", "articles", "pending", "failed") else r[k]
                                for k in r.keys()}) for r in rows]

    def record_fetch(self, subscription_id: int, now: str, next_at: str, *, error: str | None = None,
                     kind: str | None = None, title: str | None = None, etag: str | None = None,
                     last_modified: str | None = None, items: Iterable[tuple] = ()) -> int:
        """One fetch of a subscription: its outcome, and the items it listed (those not listed before are
        added, as new). Returns how many items are new."""
        with self.transaction() as db:
            if error is not None:
                db.execute("UPDATE subscriptions SET last_fetch_at=?, last_error=?, failures=failures+1, "
                           "next_fetch_at=? WHERE id=?", (now, error, next_at, subscription_id))
                return 0
            db.execute("UPDATE subscriptions SET last_fetch_at=?, last_ok_at=?, last_error=NULL, failures=0, "
                       "next_fetch_at=?, kind=coalesce(?, kind), title=coalesce(?, title), "
                       "etag=coalesce(?, etag), last_modified=coalesce(?, last_modified) WHERE id=?",
                       (now, now, next_at, kind, title, etag, last_modified, subscription_id))
            before = db.total_changes
            db.executemany("INSERT OR IGNORE INTO feed_items (subscription_id, key, link, title, published, author, "
                           "content, full) VALUES (?,?,?,?,?,?,?,?)", [(subscription_id, *item) for item in items])
            return db.total_changes - before

    def pending_items(self, max_attempts: int, limit: int = -1) -> list[PendingItem]:
        """Items whose page is not stored yet: new ones, and failed ones with attempts left, oldest first
        (at most `limit`)."""
        rows = self.db.execute(
            "SELECT i.subscription_id, i.key, i.link, i.title, i.published, i.author, i.content, i.full, i.attempts, "
            "s.title, s.url FROM feed_items i JOIN subscriptions s ON s.id=i.subscription_id "
            "WHERE i.state='new' OR (i.state='failed' AND i.attempts < ?) ORDER BY i.rowid LIMIT ?",
            (max_attempts, limit))
        return [PendingItem(*r) for r in rows]

    def settle_items(self, outcomes: list[tuple[int, str, str, str | None, str | None]]) -> None:
        """(subscription id, key, state, article id, error) of items tried: "stored", "failed" (tried again
        next round) or "rejected" (never: the page is no article)."""
        with self.transaction() as db:
            db.executemany("UPDATE feed_items SET state=?, article_id=?, error=?, attempts=attempts+1 "
                           "WHERE subscription_id=? AND key=?",
                           [(state, aid, error, sid, key) for sid, key, state, aid, error in outcomes])

    def pages_stored(self, urls: Iterable[str]) -> dict[str, str]:
        """url -> article id, for pages fetched before whose article is stored."""
        return {r[0]: r[1] for r in self._in("SELECT p.url, p.article_id FROM pages p JOIN articles a ON a.id=p.article_id "
                                             "WHERE p.url IN ({})", list(set(urls)))}

    def record_pages(self, pages: list[tuple[str, str]]) -> None:
        """(url, article id) of pages fetched, written before their articles are stored: a round killed
        between the two finds the page stored only once its article is."""
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO pages (url, article_id) VALUES (?,?)", pages)

    def add_alerts(self, alerts: list[tuple[int, str, dict]]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT INTO alerts (story_id, kind, data) VALUES (?,?,?)",
                           [(sid, kind, json.dumps(data, ensure_ascii=False)) for sid, kind, data in alerts])

    def alerts(self, story_id: int | None = None, limit: int = 100) -> list[dict]:
        where, params = ("WHERE story_id=?", (story_id, limit)) if story_id is not None else ("", (limit,))
        return [json.loads(r[0]) | {"at": r[1]} for r in self.db.execute(
            f"SELECT data, at FROM alerts {where} ORDER BY id DESC LIMIT ?", params)]
