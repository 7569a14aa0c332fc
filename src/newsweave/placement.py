"""Placing new articles: copies linked, stories assigned, split, merged, titled, saved.

What it reads from the store is bounded by what is new, not by the store: stored copies are found through
the LSH buckets and text hashes kept for them, and the stories a new article could join are those within
the dates the clusterer's time decay leaves open, those naming one of its rarely named people, and those
with an undated member (an undated article is near every date, so a batch holding one compares with every
story). A story outside those would be scored below the threshold by the clusterer anyway: the result is
the one comparing with every story would give.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from newsweave.cluster import DocumentFrequencies, StoryClusterer, count_matrix
from newsweave.cluster.features import DAY_BASE, name_columns, swap_days
from newsweave.dedup import CopyDetector
from newsweave.options import Options
from newsweave.records import Article, CopyLink, Member, day_number
from newsweave.store import Store

CONTAINMENT_BATCH = 5000  # articles read with their text at once for the containment check and titles


@dataclass
class PlacementResult:
    placed: int = 0
    stories_opened: int = 0
    copies_linked: int = 0
    stories_loaded: int = 0  # stories read from the store to compare the new articles with
    stats: dict[str, dict[str, int]] = field(default_factory=dict)


class Placement:
    """One placement pass over the articles not yet placed. Phases: copies, candidates, assign, split,
    merge, containment and links, titles, save."""

    def __init__(self, store: Store, options: Options, shingles: Mapping[str, np.ndarray] | None = None):
        self.store, self.options = store, options
        self.detector = CopyDetector(options, placed=store)
        self.detector.remember_shingles(shingles or {})
        self.clusterer = StoryClusterer(options)
        self.loaded: set[int] = set()  # stored stories read so far (whole) ...
        self.rows: list[tuple[int, int, Member]] = []  # ... their members: (seq, story id, member), in ingest order

    def run(self) -> PlacementResult:
        # without their text: only containment and titles read it, late, for the stories that changed
        pending = self.store.pending_articles(raw=False, text=False)
        if not pending:
            return PlacementResult()
        self.pending = pending
        features = self.store.features([a.id for a in pending])
        self.new_rows = {a.id: Member(a.id, features[a.id][1], features[a.id][2], a.published, a.language)
                         for a in pending}
        signatures = {aid: f[0] for aid, f in features.items()}
        del features  # the signatures go to the copy detector, which lets them go after the copies
        self.df = DocumentFrequencies.from_blobs(self.store.blob("df_words"), self.store.blob("df_anchors"),
                                                 self.store.blob("df_n"), self.options.rare_name_articles)
        self.assignments: dict[str, int] = {}
        representatives, followers = self._copies(signatures)
        del signatures
        self.detector.drop_signatures()  # read again for containment, a batch at a time
        chosen = self._assign(representatives, followers)
        grown, moved_ids = self._split(chosen)
        # document frequencies count every article, copies included, as they were stored
        others = [self.new_rows[a.id] for a in pending if a.id not in chosen]
        if others:
            self.df.add(count_matrix([m.words for m in others]), count_matrix([m.anchors for m in others]))
        merged = self._merge(set(self.assignments.values()) | set(grown))
        new_stories = {sid for sid in self.assignments.values() if sid < 0}
        # a story that lost members to a split is named again after the ones it keeps
        story_of = self._story_of()
        retitled_ids = {story_of[aid] for aid in moved_ids if aid in story_of} - set(merged)
        named, links, unlinked = self._contained(grown, new_stories | retitled_ids)
        titles = {sid: named[sid] for sid in new_stories}
        retitled = {sid: named[sid] for sid in retitled_ids}
        removed = [sid for sid in merged if sid > 0]  # stored stories absorbed by older ones
        self.store.save_assignments(titles, self.assignments, links, self.df.to_blobs(changes_only=True), retitled, removed,
                                    buckets=self.detector.new_buckets, names=name_rows(self.new_rows.values()),
                                    unlinked=unlinked, events=self._events(merged))
        stats = {"dedup": self.detector.stats.counts, "cluster": self.clusterer.stats.counts,
                 "place": {"placed": len(pending), "stories_read": len(self.loaded)}}
        return PlacementResult(len(pending), len(titles), len(links), len(self.loaded), stats)

    def _copies(self, signatures: dict[str, bytes]) -> tuple[list[Article], dict[str, list[str]]]:
        """Copies among the new articles and of placed ones. A copy of a placed article goes to that
        article's story; of each other copy group one member (returned) is clustered for all (followers)."""
        hashes = self.store.text_hashes_of(self.new_rows)
        self.detector.add_new_batch([(a.id, np.frombuffer(signatures[a.id], dtype=np.uint64), hashes[a.id])
                                     for a in self.pending])
        # copy groups move whole: the groups of the new pairs, and those of every stored story read
        self.groups = self.detector.groups(self.store.copy_groups({x for pair in self.detector.pairs for x in pair}))
        group_story: dict[str, int] = {}
        for aid, sid, _ in self.store.placed(self.groups.parent):
            group_story.setdefault(self.groups.find(aid), sid)
        representatives: list[Article] = []
        followers: dict[str, list[str]] = {}
        for article in self.pending:
            root = self.groups.find(article.id)
            if root in group_story:
                self.assignments[article.id] = group_story[root]
            elif root in followers:
                followers[root].append(article.id)
            else:
                followers[root] = [article.id]
                representatives.append(article)
        return representatives, followers

    def _assign(self, representatives: list[Article], followers: dict[str, list[str]]) -> dict[str, int]:
        """Each copy group's representative joins a story it could join, or opens one (negative ids)."""
        self.new = [self.new_rows[a.id] for a in representatives]
        adding = len(self.pending)
        self._load(self._candidates(self._possible_groups(self.new, self.df, adding), self.df, adding))
        chosen = self.clusterer.assign(self.new, self._stories(), self.df)
        for article in representatives:
            for aid in followers[self.groups.find(article.id)]:
                self.assignments[aid] = chosen[article.id]
        return chosen

    def _split(self, chosen: dict[str, int]) -> tuple[dict[int, dict[str, Member]], list[str]]:
        """Every story that grew is checked for two events of one kind; copy groups move whole. Returns the
        grown stories and the articles moved out of them."""
        groups = self.groups
        grown: dict[int, dict[str, Member]] = {sid: {} for sid in set(chosen.values())}
        for _, sid, m in self.rows:
            if sid in grown:
                grown[sid].setdefault(groups.find(m.id), m)
        for row in self.new:
            grown[chosen[row.id]].setdefault(groups.find(row.id), row)
        next_temp = min([0, *chosen.values()]) - 1
        moved = {groups.find(aid): sid for aid, sid in
                 self.clusterer.split({sid: list(m.values()) for sid, m in grown.items()}, next_temp, self.df).items()}
        moved_ids = [aid for aid, sid in [*self._story_of().items(), *self.assignments.items()]
                     if sid in grown and groups.find(aid) in moved]
        for aid in moved_ids:
            self.assignments[aid] = moved[groups.find(aid)]
        return grown, moved_ids

    def _merge(self, changed: set[int]) -> dict[int, int]:
        """Pieces of one event that arrived in different ingests are merged (see StoryClusterer.merge): the
        stories that changed, tried against the stored stories they could join."""
        self._load({sid for sid in changed if sid > 0})
        rows = self._rows()
        changed_sets: dict[int, list[Member]] = {}
        for aid, sid in self._current().items():
            if sid in changed:
                changed_sets.setdefault(sid, []).append(rows[aid])
        self._load(self._candidates(list(changed_sets.values()), self.df, 0))
        rows, current = self._rows(), self._current()
        by_group: dict[int, dict[str, Member]] = {}
        for aid, sid in current.items():
            by_group.setdefault(sid, {}).setdefault(self.groups.find(aid), rows[aid])
        merged = self.clusterer.merge({sid: list(m.values()) for sid, m in by_group.items()}, changed, self.df)
        for aid, sid in current.items():
            if sid in merged:
                self.assignments[aid] = merged[sid]
        return merged

    def _contained(self, grown: dict, to_name: set[int]) -> tuple[dict[int, str | None], list[CopyLink], list[str]]:
        """Containment (an article wrapped in another page, or wrapping one) within each new article's story,
        then the copy links and the titles of the stories in `to_name`. The stories that changed are read
        with their text a few thousand articles at a time, so a bulk ingest does not hold every text at once
        (a copy group lies in one story). Returns the titles, the links that change and the articles whose
        link goes (see `_links`)."""
        by_story: dict[int, list[str]] = {}
        for aid, sid in self._current().items():
            by_story.setdefault(sid, []).append(aid)
        new_by_story: dict[int, list[str]] = {}
        for article in self.pending:  # in ingest order, as the checks go
            new_by_story.setdefault(self.assignments[article.id], []).append(article.id)
        titles: dict[int, str | None] = {}
        links: list[CopyLink] = []
        unlinked: list[str] = []
        batch: list[int] = []
        size = 0
        for sid in sorted(set(self.assignments.values()) | set(grown)) + [None]:
            if sid is not None:
                batch.append(sid)
                size += len(by_story.get(sid, []))
            if batch and (sid is None or size >= CONTAINMENT_BATCH):
                ids = {aid for b in batch for aid in by_story.get(b, [])}
                articles = {a.id: a for a in self.store.articles_by_id(ids, raw=False)}
                self.detector.load_signatures(ids)
                new = [(aid, b) for b in batch for aid in new_by_story.get(b, [])]
                self.detector.contained_in_stories([articles[aid] for aid, _ in new],
                                                   {aid: by_story[b] for aid, b in new}, articles)
                titles |= {b: self._title(by_story.get(b, []), articles) for b in batch if b in to_name}
                found = {x for pair in self.detector.pairs for x in pair}
                changed, gone = self._links(ids & found, articles)
                links += changed
                unlinked += gone
                self.detector.forget(ids)
                batch, size = [], 0
        return titles, links, unlinked

    def _events(self, merged: dict[int, int]) -> list[tuple[str, int, int, str]]:
        """The clusterer's splits and merges, each story named by where it ended in this pass."""
        out = []
        for kind, story, other, why in self.clusterer.events:
            story = merged.get(story, story)
            if kind == "split":
                other = merged.get(other, other)
                if story == other:  # the part that left was merged back
                    continue
            out.append((kind, story, other, why))
        return out

    def _story_of(self) -> dict[str, int]:
        """article id -> story, of the stored stories read, in ingest order."""
        return {m.id: sid for _, sid, m in self.rows}

    def _current(self) -> dict[str, int]:
        """article id -> story as placed so far: the stored stories read, then the new placements."""
        return {**self._story_of(), **self.assignments}

    def _rows(self) -> dict[str, Member]:
        return {m.id: m for _, _, m in self.rows} | self.new_rows

    def _stories(self) -> dict[int, list[Member]]:
        """The stored stories read so far: id -> members, in the order of their first member."""
        out: dict[int, list[Member]] = {}
        for _, sid, m in self.rows:
            out.setdefault(sid, []).append(m)
        return out

    def _load(self, story_ids: set[int]) -> None:
        """Read these stored stories, whole."""
        wanted = story_ids - self.loaded
        if wanted:
            rows = self.store.members(wanted)
            for copy, original in self.store.copy_pairs_for([m.id for _, _, m in rows]):
                self.groups.union(original, copy)
            self.rows = sorted(self.rows + rows, key=lambda r: r[0])
            self.loaded |= wanted

    def _candidates(self, sets: list[list[Member]], df: DocumentFrequencies, adding: int) -> set[int]:
        """The stored stories any of these sets of articles (the groups new articles may form, the stories
        that changed) could be joined to, by the clusterer's own bound: a story within `reach_days` of a
        set's dates, a story naming one of its rarely named people, any story with an undated member; every
        story when a set holds an undated article. `adding`: articles about to be counted in the document
        frequencies (a name rare then is rare now, or was)."""
        rows = [m for members in sets for m in members]
        if not rows:
            return set()
        if self.options.read_every_story or any(m.published is None or day_number(m.published) is None for m in rows):
            return set(self.store.story_ids())
        reach = self.clusterer.reach_days()
        spans = sorted((min(days) - reach, max(days) + reach)
                       for days in ([day_number(m.published) for m in members] for members in sets))
        found: set[int] = set()
        for first, last in _joined(spans):
            found |= self.store.stories_near(date.fromordinal(max(1, first)).isoformat(),
                                             date.fromordinal(min(date.max.toordinal(), last)).isoformat())
        return found | self.store.stories_naming(self._rare_names(rows, df, adding))

    def _possible_groups(self, rows: list[Member], df: DocumentFrequencies, adding: int) -> list[list[Member]]:
        """Sets that hold every group the clusterer may form of these articles: two articles can only share
        one when they are at most `max_gap_days` apart or share a rarely named person (else their similarity
        is nothing), so each group lies inside one connected set of such pairs. In the order of their first
        article."""
        n = len(rows)
        days = np.array([day_number(m.published) or 0 for m in rows])
        by_day = np.argsort(days, kind="stable")
        near = np.flatnonzero(np.diff(days[by_day]) <= self.options.max_gap_days)
        owner, names = _rare_name_entries(rows, df, adding)
        order = np.lexsort((owner, names))  # each name's articles together, the first of them first
        owner, names = owner[order], names[order]
        starts = np.r_[True, names[1:] != names[:-1]] if len(names) else np.zeros(0, dtype=bool)
        first_of = owner[starts][np.cumsum(starts) - 1]  # each article joins the first to give the name
        edges = (np.concatenate([by_day[near], first_of]), np.concatenate([by_day[near + 1], owner]))
        graph = sp.coo_matrix((np.ones(len(edges[0])), edges), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        sets: dict[int, list[Member]] = {}
        for m, label in zip(rows, labels.tolist()):
            sets.setdefault(label, []).append(m)
        return list(sets.values())

    @staticmethod
    def _rare_names(rows: list[Member], df: DocumentFrequencies, adding: int) -> set[int]:
        return set(np.unique(_rare_name_entries(rows, df, adding)[1]).tolist())

    def _links(self, paired: set[str], held: dict[str, Article]) -> tuple[list[CopyLink], list[str]]:
        """The copy links that change (every group holding a new pair, linked to its original again), and
        the articles whose link goes (now the original of their group). `held`: articles read already."""
        existing = self.store.copy_groups(paired)
        ids = paired | set(existing) | {link.original_id for link in existing.values()}
        full = {aid: held[aid] for aid in ids if aid in held}
        full |= {a.id: a for a in self.store.articles_by_id(ids - full.keys(), raw=False)}
        self.detector.load_signatures(ids)
        return self.detector.changed_links(full, existing)

    @staticmethod
    def _title(member_ids: list[str], articles: dict[str, Article]) -> str | None:
        return story_title([articles[m] for m in member_ids if m in articles])


def _rare_name_entries(rows: list[Member], df: DocumentFrequencies, adding: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, name column) for each rarely named person and each day an article gives (see
    DocumentFrequencies.rare_names). A day counts against the other role too: the days named are published
    days elsewhere, and back."""
    columns = [name_columns(m.anchors) for m in rows]
    owner = np.repeat(np.arange(len(rows)), [len(c) for c in columns])
    names = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int32)
    keep = (names >= DAY_BASE) | (df.anchors[names] <= df.rare_limit(adding))
    owner, names = owner[keep], names[keep]
    days = names >= DAY_BASE
    return np.concatenate([owner, owner[days]]), np.concatenate([names, swap_days(names[days])])


def _joined(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted (first, last) day intervals, overlapping ones joined."""
    out: list[list[int]] = []
    for first, last in spans:
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return [(a, b) for a, b in out]


def name_rows(rows) -> list[tuple[int, str]]:
    """(name column, article id) of the people each article names, for the store's name index."""
    return [(int(i), m.id) for m in rows for i in name_columns(m.anchors)]


def story_title(members: list[Article]) -> str | None:
    """The first member title, else the opening words of the first article."""
    for article in members:
        if article.title:
            return article.title
    if members:
        first = members[0].text.split("\n", 1)[0]
        return first if len(first) <= 100 else first[:97].rsplit(" ", 1)[0] + "…"
    return None
