"""The Python API. The CLI is a thin layer over this class.

    from newsweave import Newsweave
    nw = Newsweave("news.db")
    report = nw.ingest(["articles/"])
    for story in nw.stories():
        print(story.id, story.title, story.independent_sources)
    nw.export("out.json", format="json")

Readable views are built over this API: newsweave.report.story_markdown (Markdown), newsweave.web
(the local web UI and the self-contained HTML report).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from newsweave.errors import NotFound
from newsweave.export import build_document, write
from newsweave.ingest.fetch import is_url
from newsweave.options import Options
from newsweave.pipeline import IngestReport, Progress, ingest, place_pending
from newsweave.records import Article, CopyLink, InputError, Story
from newsweave.store import Store
from newsweave.store.subscriptions import Subscription
from newsweave.upgrade import refresh_features

if TYPE_CHECKING:
    from newsweave.align.records import Dossier
    from newsweave.follow import FetchReport

DEFAULT_DB = "newsweave.db"


def default_db() -> str:
    return os.environ.get("NEWSWEAVE_DB", DEFAULT_DB)


class Newsweave:
    def __init__(self, db: str | Path | None = None, options: Options | None = None):
        self.options = options or Options()
        self.store = Store(db or default_db())
        self._dossiers = None

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Newsweave:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ingest(self, paths: Iterable[str | Path], progress: Progress | None = None) -> IngestReport:
        """Read, clean and store new articles, then link copies and place them in stories."""
        return ingest(self.store, paths, self.options, progress)

    def resume(self) -> None:
        """Place (and index for search) articles left so by an interrupted ingest."""
        refresh_features(self.store, self.options)
        with self.store.indexing_text():
            place_pending(self.store, self.options)

    # -- following sources ---------------------------------------------------------------------------
    def follow(self, urls: Iterable[str] = (), opml: str | Path | None = None) -> tuple[list[str], list[InputError]]:
        """Subscribe to feeds or sitemaps (`urls`, and the feeds an OPML file or URL lists); returns the URLs
        newly followed and, one each, the inputs refused. Nothing is fetched until `fetch`."""
        from newsweave.follow import listed_feeds

        urls, errors = list(urls), []
        if opml is not None:
            feeds, error = listed_feeds(opml, self.options)
            urls += feeds
            errors += [error] if error else []
        good = [u.strip() for u in urls if is_url(u.strip())]
        errors += [InputError(u, "not an http or https URL") for u in urls if not is_url(u.strip())]
        return self.store.add_subscriptions(good), errors

    def unfollow(self, urls: Iterable[str]) -> int:
        return self.store.remove_subscriptions(urls)

    def sources(self) -> list[Subscription]:
        """The subscriptions, each with its last fetch, last error and counts of items and articles."""
        return self.store.subscriptions()

    def fetch(self, every: timedelta = timedelta(minutes=10), now: datetime | None = None,
              progress: Progress | None = None) -> FetchReport:
        """One round: fetch the subscriptions that are due and the pages of their new items, ingest them,
        rebuild the dossiers of the stories they joined and return (and keep) the alerts this raised."""
        from newsweave.follow import run_round

        return run_round(self, every, now, progress)

    def alerts(self, story_id: int | None = None, limit: int = 100) -> list[dict]:
        """The alerts raised so far, newest first."""
        return self.store.alerts(story_id, limit)

    def stories(self) -> list[Story]:
        return self.store.stories()

    def story(self, story_id: int) -> Story:
        """One story; NotFound (a KeyError) if there is none with that id."""
        story = self.store.story(story_id)
        if story is None:
            raise NotFound("story", story_id)
        return story

    def story_events(self, story_id: int) -> list[dict]:
        """How the story came to be as it is: each split ("split": `story_id` left `other_id`) and merge
        ("merged": `story_id` absorbed `other_id`) it took part in, with the reason and when."""
        return self.store.story_events(story_id)

    def articles(self, story_id: int | None = None) -> list[Article]:
        if story_id is None:
            return self.store.articles()
        return self.store.articles("story_id=?", (story_id,))

    def article(self, article_id: str) -> Article:
        """One article; NotFound (a KeyError) if there is none with that id."""
        article = self.store.article(article_id)
        if article is None:
            raise NotFound("article", article_id)
        return article

    def copy_links(self) -> dict[str, CopyLink]:
        return self.store.copy_links()

    def _dossier_builder(self):
        from newsweave.dossier import DossierBuilder

        if self._dossiers is None:
            self._dossiers = DossierBuilder(self.store, self.options)
        return self._dossiers

    def build_dossiers(self, story_ids: list[int] | None = None, progress=None) -> int:
        """Build (and cache) the dossiers of these stories (default: every story whose dossier is missing or
        older than the story), parsing their articles on all cores; returns how many articles were parsed.
        `progress(done, total)` is called after each batch of articles."""
        if story_ids is None:
            story_ids = self.outdated_dossiers()
        return self._dossier_builder().prepare(story_ids, progress) if story_ids else 0

    def outdated_dossiers(self, limit: int = -1) -> list[int]:
        """Stories whose dossier is missing or older than the story (or than this version of newsweave), the
        most recently changed first."""
        self.store.expire_dossiers(self._dossier_builder().version)
        return self.store.stories_without_dossier(limit)

    def dossier(self, story_id: int) -> dict:
        """Facts with their status (agreed, range, conflict, single), quotes, timeline, summary and coverage
        of one story, built now if the cached one is missing or out of date."""
        return self._dossier_builder().dossier(story_id)

    def dossier_record(self, story_id: int) -> Dossier:
        """`dossier` as typed records (newsweave.align.records; their to_dict() is the dict `dossier` gives)."""
        from newsweave.align.records import Dossier

        return Dossier.from_dict(self.dossier(story_id))

    def cached_dossier(self, story_id: int) -> tuple[dict | None, str]:
        """The dossier as last built, never building one: (dossier or None, state), state "ready", "updating"
        (the story changed since) or "building" (none yet)."""
        return self._dossier_builder().cached(story_id)

    def story_list(self, query: str = "", sort: str = "recent", outlet: str = "", since: str = "",
                   until: str = "", limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
        """A page of the story list, searched, filtered and sorted ("recent", "size", "sources",
        "conflicts"): (rows, number of matching stories). Conflicts come from the dossiers built so far."""
        return self.store.story_list(query, sort, outlet, since, until, limit, offset)

    def outlets(self) -> list[str]:
        return self.store.outlets()

    def document(self, story_ids: list[int] | None = None, dossier: bool = True) -> dict:
        """The export document: {"articles": [...], "stories": [...]}, stories with their dossiers."""
        return build_document(self, story_ids, dossier)

    def export(self, output: str | Path | None, format: str = "json", story_ids: list[int] | None = None,
               dossier: bool = True) -> str | None:
        """json: articles and stories (with dossiers); jsonl and parquet: one row per article. Returns the text
        when `output` is None or "-". (Readable views: newsweave.report.story_markdown, newsweave.web.render_report.)"""
        return write(self.document(story_ids, dossier and format == "json"), output, format)
