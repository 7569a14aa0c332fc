"""A story's dossier: gather its articles and copy roots, extract facts (cached per article), align them.

Relative dates need a reference: an article's own publication date, else that of the original it copies,
else the earliest date in its story.
"""
from __future__ import annotations

import json
import logging
import os
from collections import deque
from collections.abc import Callable

from newsweave.align import Source, build_dossier
from newsweave.align.page_text import Template, learn_templates, text_pairs
from newsweave.errors import NotFound
from newsweave.facts import FactExtractor, facts_from_json, facts_to_json
from newsweave.options import Options
from newsweave.outlets import known_outlet, outlet_label, outlet_of
from newsweave.records import Article, ArticleFacts, sha1
from newsweave.store import Store, root_of
from newsweave.workers import process_pool

log = logging.getLogger(__name__)
FACTS_VERSION = "48"  # bump when extraction or alignment changes, so cached results are recomputed
MIN_STORIES_PARALLEL = 8  # fewer stale dossiers are aligned in-process (starting workers costs more)
TEMPLATE_SAMPLE = 60  # articles of an outlet read to learn its page text (align.page_text)
BACKGROUND_SAMPLE = 600  # articles of all outlets read to tell an outlet's template from common phrases
RELEARN_GROWTH = 1.2  # page text is learned again once the store has grown by this factor


def base_dates(articles: list[Article], roots: dict[str, str]) -> dict[str, str | None]:
    by_id = {a.id: a for a in articles}
    known = sorted(a.published for a in articles if a.published)
    fallback = known[0] if known else None
    return {a.id: a.published or (by_id[roots[a.id]].published if roots[a.id] in by_id else None) or fallback
            for a in articles}


class DossierBuilder:
    def __init__(self, store: Store, options: Options | None = None):
        self.store = store
        self.options = options or Options()
        self._extractor: FactExtractor | None = None
        self._templates: dict[str, Template] = {}  # outlet -> word pairs of its page text
        self._outlet_of: dict[str, str] | None = None  # article id -> its outlet ("" if unknown)
        self._samples: dict[str, list[str]] = {}  # outlet -> the ids of its articles read to learn its page text
        self._background: list[tuple[str, set]] = []  # (outlet, word pairs) of a sample of all articles
        self._learned_at = 0  # the store's article count when these were read

    @property
    def extractor(self) -> FactExtractor:
        if self._extractor is None:
            self._extractor = FactExtractor(self.options.spacy_model)
        return self._extractor

    def prepare(self, story_ids: list[int] | None = None, progress: Callable[[int, int], None] | None = None) -> int:
        """Extract the facts of every article of these stories (all stories by default) that has none cached,
        in one stream spread over the worker processes, then build their out-of-date dossiers the same way.
        Returns how many articles were parsed."""
        self.store.expire_dossiers(self.version)
        changes = self.store.story_changes(self.store.story_ids() if story_ids is None else story_ids)
        where = "story_id IS NOT NULL" if story_ids is None else \
            f"story_id IN ({','.join('?' * len(story_ids))})"
        articles = self.store.articles(where, tuple(story_ids or ()), raw=False)
        links = self.store.copy_links()
        by_story: dict[int, list[Article]] = {}
        for a in articles:
            by_story.setdefault(a.story_id, []).append(a)
        roots = {a.id: root_of(a.id, links) for a in articles}
        bases: dict[str, str | None] = {}
        for members in by_story.values():
            bases.update(base_dates(members, roots))
        keys = {a.id: self._key(bases[a.id]) for a in articles}
        cached = self.store.cached_facts([a.id for a in articles])
        todo = [a for a in articles if cached.get(a.id, ("",))[0] != keys[a.id]]
        workers = self.options.workers or os.cpu_count() or 1
        processes = workers if len(todo) >= self.options.parallel_min_batch // 4 else 1
        for start in range(0, len(todo), self.options.commit_every):
            part = todo[start: start + self.options.commit_every]
            fresh = self.extractor.extract_many([(a.id, a.text, bases[a.id]) for a in part], processes=processes)
            self.store.save_facts([(f.article_id, keys[f.article_id], facts_to_json(f)) for f in fresh])
            if progress:
                progress(start + len(part), len(todo))  # (done, total) articles
        self._align_stale(by_story, roots, bases, changes, workers)
        if todo:
            log.info("facts of %d articles: %s", len(todo), self.extractor.take_stats())
        return len(todo)

    @property
    def version(self) -> str:
        return f"{FACTS_VERSION}|{self.options.spacy_model}"

    def _align_stale(self, by_story: dict[int, list[Article]], roots: dict[str, str],
                     bases: dict[str, str | None], changes: dict[int, int], workers: int) -> None:
        """Build and cache the dossier of every story whose cached one is out of date, stories spread over
        the worker processes (alignment is pure: facts in, dossier out)."""
        stale = []
        for story_id, members in by_story.items():
            key = self._dossier_key(members, roots, bases)
            if not self._still_current(story_id, key, changes.get(story_id, -1)):
                stale.append((story_id, members, key))
        if len(stale) < MIN_STORIES_PARALLEL or workers < 2:
            for story_id, members, key in stale:
                self._save(story_id, key, self._align(story_id, members, roots, bases), changes.get(story_id, -1))
            return
        in_flight = 4 * workers  # enough to keep every worker busy; bounds the facts held in memory
        pending: deque = deque()
        with process_pool(workers, None, ()) as pool:
            for story_id, members, key in stale:
                pending.append((story_id, key, pool.submit(_aligned, self._job(story_id, members, roots, bases))))
                if len(pending) >= in_flight:
                    done_id, done_key, future = pending.popleft()
                    self._save(done_id, done_key, future.result(), changes.get(done_id, -1))
            for done_id, done_key, future in pending:
                self._save(done_id, done_key, future.result(), changes.get(done_id, -1))

    def _still_current(self, story_id: int, key: str, changes: int) -> bool:
        """Whether the cached dossier was computed from what the story holds now (if so, it is stamped with
        the story's count of changes, so the story no longer reads as out of date)."""
        cached = self.store.dossier_state(story_id)
        if not cached or cached[0] != key:
            return False
        if not cached[1]:
            self.store.dossier_is_current(story_id, changes)
        return True

    def _key(self, base: str | None) -> str:
        return f"{FACTS_VERSION}|{self.options.spacy_model}|{base}"

    def facts(self, articles: list[Article], bases: dict[str, str | None]) -> list[ArticleFacts]:
        keys = {a.id: self._key(bases[a.id]) for a in articles}
        cached = self.store.cached_facts([a.id for a in articles])
        ready = {aid: facts_from_json(data) for aid, (key, data) in cached.items() if key == keys[aid]}
        todo = [a for a in articles if a.id not in ready]
        if todo:
            fresh = self.extractor.extract_many([(a.id, a.text, bases[a.id]) for a in todo])
            self.store.save_facts([(f.article_id, keys[f.article_id], facts_to_json(f)) for f in fresh])
            ready.update({f.article_id: f for f in fresh})
        return [ready[a.id] for a in articles]

    def dossier(self, story_id: int) -> dict:
        self.store.expire_dossiers(self.version)
        changes = self.store.story_changes([story_id]).get(story_id, -1)
        articles = self.store.articles("story_id=?", (story_id,), raw=False)
        if not articles:
            raise NotFound("story", story_id)
        links = self.store.copy_links_for([a.id for a in articles])  # copies sit in their original's story
        roots = {a.id: root_of(a.id, links) for a in articles}
        bases = base_dates(articles, roots)
        key = self._dossier_key(articles, roots, bases)
        if self._still_current(story_id, key, changes):
            return json.loads(self.store.cached_dossier(story_id)[1])
        result = self._align(story_id, articles, roots, bases)
        self._save(story_id, key, result, changes)
        return result

    def cached(self, story_id: int) -> tuple[dict | None, str]:
        """The dossier as last built, without building: (dossier or None, "ready" | "updating" | "building")."""
        cached = self.store.cached_dossier(story_id)
        if cached is None:
            return None, "building"
        return json.loads(cached[1]), "ready" if cached[2] else "updating"

    def _dossier_key(self, articles: list[Article], roots: dict[str, str], bases: dict[str, str | None]) -> str:
        return sha1(json.dumps([FACTS_VERSION, self.options.spacy_model,
                                sorted((a.id, roots[a.id], bases[a.id] or "") for a in articles)]))

    def _job(self, story_id: int, articles: list[Article], roots: dict[str, str],
             bases: dict[str, str | None]) -> tuple[int, dict[str, Source], list[ArticleFacts], int]:
        """What aligning one story needs, in a form that travels to a worker."""
        outlet = {a.id: known_outlet(a) for a in articles}
        templates = self.page_text(set(outlet.values()) - {None})
        return (story_id, {a.id: Source(a, roots[a.id], outlet_label(a), templates.get(outlet[a.id], Template()))
                           for a in articles},
                self.facts(articles, bases), len({roots[a.id] for a in articles}))

    def page_text(self, outlets: set[str]) -> dict[str, Template]:
        """The page text (align.page_text) of these outlets, learned from samples of the store's articles:
        the same articles (the lowest ids) as long as the store has not grown much."""
        count = self.store.article_count()
        if self._outlet_of is None or count > RELEARN_GROWTH * self._learned_at:
            self._templates, self._learned_at = {}, count
            self._outlet_of = {aid: outlet_of(outlet, url) or "" for aid, outlet, url in self.store.article_outlets()}
            every = sorted(self._outlet_of)
            self._samples = {}
            for aid in every:
                ids = self._samples.setdefault(self._outlet_of[aid], [])
                if len(ids) < TEMPLATE_SAMPLE:
                    ids.append(aid)
            self._background = [(self._outlet_of[aid], text_pairs(text)) for aid, text in
                                self._texts(every[:: max(1, len(every) // BACKGROUND_SAMPLE)]).items()]
        for outlet in outlets - self._templates.keys():
            own = self._samples.get(outlet, [])
            others = [pairs for of, pairs in self._background if of != outlet]
            self._templates[outlet] = learn_templates(self._texts(own).values(), others) if len(own) > 1 \
                else Template()
        return {o: self._templates[o] for o in outlets}

    def _texts(self, ids: list[str]) -> dict[str, str]:
        return {a.id: a.text for a in self.store.articles_by_id(ids, raw=False)}

    def _align(self, story_id: int, articles: list[Article], roots: dict[str, str],
               bases: dict[str, str | None]) -> dict:
        return _aligned(self._job(story_id, articles, roots, bases))

    def _save(self, story_id: int, key: str, result: dict, built_from: int) -> None:
        self.store.save_dossier(story_id, key, json.dumps(result, ensure_ascii=False),
                                sum(f["status"] == "conflict" for f in result["facts"]), built_from)


def _aligned(job: tuple[int, dict[str, Source], list[ArticleFacts], int]) -> dict:
    """(story id, sources, facts, independent sources) -> the story's dossier; runs in workers too."""
    story_id, sources, facts, independent = job
    return {"story_id": story_id, "independent_sources": independent, **build_dossier(sources, facts)}
