"""The Python API. The CLI is a thin layer over this class.

    from newsweave import Newsweave
    nw = Newsweave("news.db")
    report = nw.ingest(["articles/"])
    for story in nw.stories():
        print(story.id, story.title, story.independent_sources)
    nw.export("out.json", format="json")
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from newsweave.options import Options
from newsweave.pipeline import IngestReport, Progress, ingest, place_pending
from newsweave.records import Article, CopyLink, Story
from newsweave.store import Store
from newsweave.upgrade import refresh_features

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

    def stories(self) -> list[Story]:
        return self.store.stories()

    def story(self, story_id: int) -> Story | None:
        return self.store.story(story_id)

    def articles(self, story_id: int | None = None) -> list[Article]:
        if story_id is None:
            return self.store.articles()
        return self.store.articles("story_id=?", (story_id,))

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def copy_links(self) -> dict[str, CopyLink]:
        return self.store.copy_links()

    def _dossier_builder(self):
        from newsweave.dossier import DossierBuilder

        if self._dossiers is None:
            self._dossiers = DossierBuilder(self.store, self.options)
        return self._dossiers

    def prepare_dossiers(self, story_ids: list[int] | None = None, progress=None) -> int:
        """Extract facts for every article of these stories (default: all) not yet extracted, using all cores.
        Dossiers work without it; it makes building many of them at once faster. `progress(done, total)`
        is called after each batch of articles."""
        return self._dossier_builder().prepare(story_ids, progress)

    def dossier(self, story_id: int) -> dict:
        """Facts with their status (agreed, range, conflict, single), quotes, timeline, summary and coverage
        of one story. Extractions are cached in the store; a changed story is recomputed."""
        return self._dossier_builder().dossier(story_id)

    def document(self, story_ids: list[int] | None = None, dossier: bool = True) -> dict:
        """The export document: {"articles": [...], "stories": [...]}, stories with their dossiers."""
        from newsweave.report.export import build_document

        return build_document(self, story_ids, dossier)

    def export(self, output: str | Path | None, format: str = "json", story_ids: list[int] | None = None,
               dossier: bool = True) -> str | None:
        """json: articles and stories (with dossiers); jsonl and parquet: one row per article; html: one
        self-contained page with the stories, their dossiers and their articles."""
        from newsweave.report.export import write

        if format == "html":
            from newsweave.web import render_report

            text = render_report(self, story_ids)
            if output in (None, "-"):
                return text
            Path(output).write_text(text, encoding="utf-8")
            return None
        return write(self.document(story_ids, dossier and format == "json"), output, format)

    def show(self, story_id: int) -> str:
        """A story as readable Markdown."""
        from newsweave.report.markdown import story_markdown

        return story_markdown(self, story_id)
