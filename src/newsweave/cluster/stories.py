"""Stories: group articles about one event, incrementally.

New articles are clustered among themselves by average linkage (chunks of at most `cluster_chunk`), and
each resulting group then joins the existing story it is closest to on average over member pairs (the
same test as within a group), or opens a new story.
Similarity mixes content words and anchors (names, years, numbers), TF-IDF weighted with document
frequencies kept in the store. Time counts when both sides are dated: after `date_grace_days` (none by
default) the similarity halves every `date_half_life_days`, so two strikes on one town a week apart stay
two stories while reports of one event over a few days still meet; dated articles further apart than
`max_gap_days` are never joined.
Each story that grew is then checked for two events of one kind and split (see `split.py`), and each story
an ingest changed may merge with its most similar stored story (pieces of one event from several ingests).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering

from newsweave.cluster.features import DIM, swap_days
from newsweave.cluster.frequencies import DocumentFrequencies, count_matrix
from newsweave.cluster.pairs import (
    SMALL_GROUP,
    GrowingRows,
    grouped_products,
    mean_rows,
    products,
    row_ranges,
    take_csr_rows,
    take_rows,
)
from newsweave.cluster.split import split_story, story_weights
from newsweave.options import Options
from newsweave.records import StageStats, day_number
from newsweave.unionfind import UnionFind

DETAIL_MEMBERS = 50  # a story's latest members stand for it when a new article picks among similar stories
EXACT_BATCH_ROWS = 4096  # story members compared with small groups of new articles in one pass


class StoryVectors(NamedTuple):
    """Stories as vectors: each one's mean member vector (for average similarities), and its members'."""

    means: tuple[sp.csr_matrix, ...]  # (words, anchors, rare names), one row per story
    members: tuple[sp.csr_matrix, ...]  # one row per member, in the order they came
    order: np.ndarray  # the members' rows, stories end to end: story k's are order[bounds[k]:bounds[k + 1]]
    bounds: np.ndarray
    days: np.ndarray  # each member's date as a day number (NaN: undated), stories end to end
    lo: np.ndarray  # each story's date span (NaN: not all members dated)
    hi: np.ndarray
    dated: np.ndarray  # whether any member is dated
    languages: list[str | None]  # each story's language (its members' most common; None: not known)


def day_array(days: list[int | None] | np.ndarray) -> np.ndarray:
    """Day numbers as floats, NaN for undated."""
    if isinstance(days, np.ndarray):
        return days.astype(float, copy=False)
    return np.array([np.nan if d is None else d for d in days], dtype=float)


def language_of(member: tuple) -> str | None:
    """A member row's language: (id, words, anchors, published[, language])."""
    return member[4] if len(member) > 4 else None


def same_language(a: str | None, b: str | None) -> bool:
    """Whether two articles may share a story: stories never hold two languages (an unknown language goes
    with any). A cross-lingual comparison would decide here."""
    return a is None or b is None or a == b


def _main_language(members: list[tuple]) -> str | None:
    known = [language_of(m) for m in members if language_of(m)]
    return max(set(known), key=known.count) if known else None


def _dense_product(a: sp.csr_matrix, b: sp.csr_matrix, block: int = 256) -> np.ndarray:
    """a @ b.T as a dense array, computed a block of rows at a time: the sparse product of two large sets
    of articles is nearly dense and would be held whole beside the dense result."""
    out = np.empty((a.shape[0], b.shape[0]), dtype=np.result_type(a.dtype, b.dtype))
    bt = b.T.tocsr()
    for start in range(0, a.shape[0], block):
        out[start : start + block] = (a[start : start + block] @ bt).toarray()
    return out


def shared_particulars(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """For rows of rare-name views: the rare names each pair shares, and the days one names that the other
    was published on (or the day after)."""
    swapped = b.copy()
    swapped.indices = swap_days(b.indices)
    swapped.has_sorted_indices = False
    return (a @ swapped.T).toarray()


class StoryClusterer:
    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.stats = StageStats("cluster")
        # (what, story id, other story id, why) for every split and merge: "split" (the part that left, the
        # story it left), "merged" (the story kept, the one absorbed); new stories have negative ids
        self.events: list[tuple[str, int, int, str]] = []

    def similarity(self, a: tuple, b: tuple) -> np.ndarray:
        """a, b: (word vectors, anchor vectors); returns dense cosine mix."""
        return self.similarities(a, b)[0]

    def similarities(self, a: tuple, b: tuple) -> tuple[np.ndarray, np.ndarray]:
        """a, b: (words, anchors, rare names) views. The cosine mix of words and anchors and, apart, how
        many rare names of people they share (for mean vectors: on average over their pairs)."""
        w = self.options.entity_weight
        sim = _dense_product(a[0], b[0])
        sim *= 1 - w
        anchors = _dense_product(a[1], b[1])
        anchors *= w
        sim += anchors
        del anchors
        return sim, shared_particulars(a[2], b[2])

    @staticmethod
    def _day_gaps(da: list[int | None] | np.ndarray, db: list[int | None] | np.ndarray) -> np.ndarray:
        """Days between each pair of dates; NaN where either is undated."""
        gaps = np.subtract.outer(day_array(da), day_array(db))
        return np.abs(gaps, out=gaps)

    def _gap_weight(self, gap: np.ndarray, names: np.ndarray | None = None) -> np.ndarray:
        """Factor on the similarity of two articles `gap` days apart: 1 within `date_grace_days`, halved
        every `date_half_life_days` after, 0 beyond `max_gap_days`. NaN (an undated side) gives 1. Two
        articles whose particulars match are not held apart by their dates: a funeral or a trial weeks later names
        the same victim; two look-alike shootings in one city name different people. `names`: how many
        rare names of people each pair shares; `particulars_names` of them are a match. Both arrays are
        overwritten (a chunk's matrices are large): pass ones made for the call."""
        o = self.options
        weight = np.nan_to_num(gap, nan=0.0, copy=False)
        far = weight > o.max_gap_days
        h = o.date_half_life_days
        if h <= 0:
            weight.fill(1.0)
        else:
            weight -= o.date_grace_days
            np.maximum(weight, 0.0, out=weight)
            weight /= h
            np.power(0.5, weight, out=weight)
        weight[far] = 0.0
        del far
        if names is not None and o.particulars_names > 0:  # each rare name shared counts for its share
            share = np.divide(names, o.particulars_names, out=names)
            np.clip(share, 0.0, 1.0, out=share)
            np.maximum(weight, share, out=weight)
        return weight

    def reach_days(self) -> int:
        """Days beyond which two dated sets of articles sharing no rare name always score under the
        threshold: the time decay alone takes their similarity (at most 1) below it."""
        o = self.options
        if o.date_half_life_days <= 0:
            return int(o.max_gap_days) + 1
        decayed = o.date_grace_days + o.date_half_life_days * math.log2(1 / max(o.story_threshold, 1e-9))
        return int(min(o.max_gap_days, decayed)) + 1

    def assign(
        self,
        new: list[tuple[str, bytes, bytes, str | None]],
        stories: dict[int, list[tuple[str, bytes, bytes, str | None]]],
        df: DocumentFrequencies,
    ) -> dict[str, int]:
        """new: (article id, word blob, anchor blob, published) of articles to place.
        stories: existing story id -> its members in the same form. Returns article id -> story id,
        where new stories get negative temporary ids."""
        out: dict[str, int] = {}
        if not new:
            return out
        df.add(count_matrix([n[1] for n in new]), count_matrix([n[2] for n in new]))
        story_ids = list(stories)
        story_vecs = self._story_vectors(stories, story_ids, df)
        next_temp = -1
        chunk = self.options.cluster_chunk
        buffers = None
        for start in range(0, len(new), chunk):
            part = new[start : start + chunk]
            vecs = df.views(count_matrix([p[1] for p in part]), count_matrix([p[2] for p in part]))
            dates = [day_number(p[3]) for p in part]
            languages = [language_of(p) for p in part]
            labels = self._group(vecs, dates, languages)
            candidates = self._candidate_stories(vecs, labels, dates, story_vecs, languages)
            for label in np.unique(labels):
                rows = np.flatnonzero(labels == label)
                found = candidates[label]
                if not len(found):
                    self.stats.add("stories_opened")
                    for r in rows:
                        out[part[r][0]] = next_temp
                    next_temp -= 1
                    continue
                self.stats.add("groups_joined_existing")
                # a group may mix two events of one kind: of several similar stories each member picks its own
                chosen = self._closest_by_details([part[r] for r in rows],
                                                  [stories[story_ids[k]][-DETAIL_MEMBERS:] for k in found], found)
                for r, k in zip(rows, chosen):
                    out[part[r][0]] = story_ids[k]
            # stories opened in this chunk are candidates for the next chunk
            if start + chunk < len(new):
                stories = dict(stories)
                for p in part:
                    stories.setdefault(out[p[0]], []).append(p)
                story_ids = list(stories)
                index = {sid: k for k, sid in enumerate(story_ids)}
                targets = np.array([index[out[p[0]]] for p in part])
                if buffers is None:  # room, once, for the members' vectors of every chunk to come
                    buffers = self.member_rows(story_vecs, new[start:])
                story_vecs = self._grown_story_vectors(story_vecs, stories, story_ids, vecs, targets, dates, buffers)
        return out

    @staticmethod
    def member_rows(old: StoryVectors | None, upcoming: list[tuple]) -> tuple[GrowingRows, ...]:
        """Arrays for the members' vectors (words, anchors, rare names) that hold the stories' members now
        (`old`) and have room for those of `upcoming` (article id, word blob, anchor blob, ...): a view has at
        most as many entries as the counts it weighs (8 bytes each in a blob)."""
        words = sum(len(m[1]) for m in upcoming) // 8
        anchors = sum(len(m[2]) for m in upcoming) // 8
        out = []
        for k, entries in enumerate((words, anchors, anchors)):
            held = old.members[k] if old is not None else None
            rows = GrowingRows(DIM, len(upcoming) + (held.shape[0] if held is not None else 0),
                               entries + (held.nnz if held is not None else 0))
            if held is not None:
                rows.append(held)
            out.append(rows)
        return tuple(out)

    def _grown_story_vectors(self, old: StoryVectors | None, stories: dict, story_ids: list[int], vecs: tuple,
                             targets: np.ndarray, dates: list[int | None], buffers: tuple[GrowingRows, ...]) -> StoryVectors:
        """The story vectors once a chunk of articles (`vecs`, weighed) joined stories or opened new ones
        (`targets`: each article's story index; new stories come after the old). The chunk's vectors are
        appended to the members' in `buffers` (see `member_rows`; not put in story order, which `order` gives)
        and only the stories that grew are averaged again: the numbers are those of building every story's
        vectors again, since the frequencies hold still while a batch is assigned."""
        n, n_old = len(story_ids), 0 if old is None else len(old.bounds) - 1
        old_sizes = np.zeros(n, dtype=np.int64)
        if old is not None:
            old_sizes[:n_old] = np.diff(old.bounds)
        added = np.bincount(targets, minlength=n)
        sizes = old_sizes + added
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        order, days = np.empty(bounds[-1], dtype=np.int64), np.empty(bounds[-1])
        if old is not None:  # each story's earlier members first, the chunk's after them, in their order
            owner = np.repeat(np.arange(n_old), old_sizes[:n_old])
            at = bounds[owner] + np.arange(len(owner)) - old.bounds[owner]
            order[at], days[at] = old.order, old.days
        by_story = np.argsort(targets, kind="stable")
        target = targets[by_story]
        at = bounds[target] + old_sizes[target] + np.arange(len(target)) - np.searchsorted(target, target)
        first_row = 0 if old is None else old.members[0].shape[0]
        order[at], days[at] = first_row + by_story, day_array(dates)[by_story]
        members = tuple(b.append(v) for b, v in zip(buffers, vecs))
        # the stories that grew, averaged again over their members in order (the same sums as for all)
        grew = np.flatnonzero(added)
        rows = row_ranges(bounds[grew], bounds[grew + 1])
        owner = np.repeat(np.arange(len(grew)), sizes[grew])
        fresh = tuple(mean_rows(m, order[rows], sizes[grew]) for m in members)
        source = np.arange(n)
        source[grew] = n_old + np.arange(len(grew))
        means = fresh if old is None else tuple(take_csr_rows(sp.vstack([a, b], format="csr"), source)
                                                for a, b in zip(old.means, fresh))
        lo, hi, dated = np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, dtype=bool)
        if old is not None:
            lo[:n_old], hi[:n_old], dated[:n_old] = old.lo, old.hi, old.dated
        lo[grew], hi[grew], dated[grew] = self._spans(days[rows], owner, len(grew))
        languages = [*(old.languages if old is not None else []), *[None] * (n - n_old)]
        for k in grew:
            languages[k] = _main_language(stories[story_ids[k]])
        return StoryVectors(means, members, order, bounds, days, lo, hi, dated, languages)

    def _closest_by_details(self, group: list[tuple], candidates: list[list[tuple]], indices: np.ndarray) -> list[int]:
        """For each member of a new group, the story among `candidates` (the existing stories the group is
        similar to, most similar first) whose members it is closest to once the words they all share are
        discounted, as in `split`: of two stories on two events of one kind, the one on the same event."""
        members = [m for c in candidates for m in c]
        if len(indices) == 1 or len(members) + len(group) > self.options.split_max_story:
            return [int(indices[0])] * len(group)
        rows = group + members
        w = story_weights(count_matrix([m[1] for m in rows]))
        a = story_weights(count_matrix([m[2] for m in rows]))
        weight = self.options.split_anchor_weight
        sim = (1 - weight) * (w[: len(group)] @ w[len(group):].T) + weight * (a[: len(group)] @ a[len(group):].T)
        owner = np.repeat(np.arange(len(candidates)), [len(c) for c in candidates])
        to_story = sp.csr_matrix((1.0 / np.bincount(owner)[owner], (np.arange(len(owner)), owner)),
                                 shape=(len(owner), len(candidates)))
        average = np.asarray((sim @ to_story).todense())  # group member x candidate story
        return [int(indices[k]) for k in average.argmax(axis=1)]

    def _apart(self, days: list[int | None], anchors: sp.csr_matrix, df: DocumentFrequencies | None) -> np.ndarray:
        """Pairs too far apart in time to share an event: only the hard limit here (within a story, weighing
        by date would cut developing events by day), and not for pairs whose particulars match."""
        apart = self._day_gaps(days, days) > self.options.max_gap_days  # NaN (undated) compares False
        if df is not None and apart.any() and self.options.particulars_names > 0:
            names = df.rare_names(anchors)
            apart &= shared_particulars(names, names) < self.options.particulars_names
        return apart

    def split(self, stories: dict[int, list[tuple[str, bytes, bytes, str | None]]], next_temp: int,
              df: DocumentFrequencies | None = None) -> dict[str, int]:
        """stories: story id -> members (article id, word blob, anchor blob, published), one per copy group.
        Returns article id -> new temporary story id (from `next_temp` down) for the members that leave
        their story because it holds two events; the part left when the smaller side of each cut has moved
        out keeps the story."""
        out: dict[str, int] = {}
        o = self.options
        for sid, members in stories.items():
            if len(members) < 2 * o.split_min_part:
                continue
            if len(members) > o.split_max_story:
                self.stats.add("stories_too_large_to_split")
                continue
            days = [day_number(m[3]) for m in members]
            anchors = count_matrix([m[2] for m in members])
            cuts: list[float] = []
            labels = split_story(count_matrix([m[1] for m in members]), anchors,
                                 self._apart(days, anchors, df), o.split_anchor_weight, o.split_max_cut,
                                 o.split_min_part, neighbours=o.split_neighbours, near_copy=o.split_near_copy, cuts=cuts)
            for label in range(1, int(labels.max()) + 1):
                rows = np.flatnonzero(labels == label)
                for r in rows:
                    out[members[r][0]] = next_temp
                self.events.append(("split", next_temp, sid, f"{len(rows)} of {len(members)} reports (copies counted "
                                    f"once) split off: normalized cut {cuts[label - 1]:.3f}, at most {o.split_max_cut} "
                                    "parts two events"))
                next_temp -= 1
                self.stats.add("stories_split_off")
        return out

    def merge(self, stories: dict[int, list[tuple[str, bytes, bytes, str | None]]], changed: set[int],
              df: DocumentFrequencies) -> dict[int, int]:
        """Stories that are one event but were left apart: pieces of one event that arrived in different
        ingests (each too small, then, to be told apart from its neighbour by the split). A story that
        changed in this pass is tried against its most similar story: the two merge when they are as
        similar as average linkage requires of one group (the mean over their member pairs, dates weighed
        as in grouping, reaches the threshold) and together they have no cut cheap enough for the split, the
        test that keeps a story whole. Two stories opened in the same pass are left as grouping made them;
        unions too small for the split to judge (under 2 * split_min_part members) are not merged.
        stories: id -> members (one per copy group), stored stories with positive ids. Returns story id ->
        id of the story it joins; the older story (lower positive id) absorbs the newer."""
        o = self.options
        ids = list(stories)
        if len(ids) < 2 or max(ids) < 0 or not changed & set(ids):
            return {}
        members = [m for sid in ids for m in stories[sid]]
        counts = (count_matrix([m[1] for m in members]), count_matrix([m[2] for m in members]))
        vectors = self._story_vectors(stories, ids, df, counts)
        bounds, days = vectors.bounds, vectors.days
        pairs = self._merge_candidates(ids, changed, vectors)
        merged: UnionFind[int] = UnionFind()
        root = merged.find

        parts = {sid: np.arange(bounds[k], bounds[k + 1]) for k, sid in enumerate(ids)}
        for value, a, b in sorted(pairs, reverse=True):
            a, b = root(a), root(b)
            if a == b or not 2 * o.split_min_part <= len(parts[a]) + len(parts[b]) <= o.split_max_story:
                continue
            union = np.concatenate([parts[a], parts[b]])
            if self._holds_together(counts[0][union], counts[1][union], days[union], df):
                keep, gone = (a, b) if (a > 0, -abs(a)) >= (b > 0, -abs(b)) else (b, a)
                merged.union(keep, gone)
                parts[keep] = np.concatenate([parts[keep], parts.pop(gone)])
                self.stats.add("stories_merged")
                self.events.append(("merged", keep, gone, f"mean similarity over their report pairs {value:.3f}, at "
                                    f"least {o.story_threshold}, and no cut cheap enough to part them"))
        return {sid: root(sid) for sid in merged.parent if root(sid) != sid}

    def _merge_candidates(self, ids: list[int], changed: set[int],
                          stories: StoryVectors) -> set[tuple[float, int, int]]:
        """(mean pairwise similarity, story id, story id) of each changed story and its most similar story,
        when that similarity reaches the grouping threshold."""
        threshold = self.options.story_threshold
        rows = [k for k, sid in enumerate(ids) if sid in changed]
        # an upper bound first: the mean vectors' similarity weighed by the date spans (see _spans)
        bound, names = self.similarities(tuple(m[rows] for m in stories.means), stories.means)
        bound *= self._span_weight(stories.lo[rows], stories.hi[rows], stories.lo, stories.hi, names)
        pairs = set()
        for r, a in enumerate(rows):
            for b in np.argsort(-bound[r], kind="stable"):
                if bound[r, b] < threshold:
                    break
                if a == b or max(ids[a], ids[b]) < 0:  # stories opened in one pass: grouping judged them
                    continue
                if not same_language(stories.languages[a], stories.languages[b]):
                    continue
                value = float(bound[r, b])
                if stories.dated[a] and stories.dated[b]:  # dates count pair by pair (else no pair has two)
                    sa = slice(stories.bounds[a], stories.bounds[a + 1])
                    group = tuple(take_rows(m, stories.order[sa]) for m in stories.members)
                    value = float(self._mean_pair_similarities(group, stories.days[sa], stories, np.array([b]))[0])
                if value >= threshold:
                    pairs.add((value, *sorted((ids[a], int(ids[b])), reverse=True)))
                    break  # the most similar story only: trying more changed nothing on ECB+, at twice the cost
        return pairs

    def _holds_together(self, words: sp.csr_matrix, anchors: sp.csr_matrix, days: list[int | None],
                        df: DocumentFrequencies | None = None) -> bool:
        """True if the split would leave these members in one story."""
        o = self.options
        labels = split_story(words, anchors, self._apart(days, anchors, df), o.split_anchor_weight,
                             o.split_max_cut, o.split_min_part, depth=1, neighbours=o.split_neighbours,
                             near_copy=o.split_near_copy)
        return not labels.any()

    @staticmethod
    def _spans(days: list[int | None], owner: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """First and last date of each set's members, and whether any member is dated. A set with an undated
        member gets no span (NaN): its pairs with that member are not weighed by date, and a span would
        understate them. No pair of dated members is closer than the days between two spans, so the span
        weight bounds every pair's from above."""
        d = day_array(days)
        lo, hi = np.full(n, np.inf), np.full(n, -np.inf)
        np.fmin.at(lo, owner, d)
        np.fmax.at(hi, owner, d)
        undated = np.bincount(owner, weights=np.isnan(d), minlength=n) > 0
        dated = np.bincount(owner, weights=~np.isnan(d), minlength=n) > 0
        lo[undated | ~dated], hi[undated | ~dated] = np.nan, np.nan
        return lo, hi, dated

    def _span_weight(self, lo_a, hi_a, lo_b, hi_b, names: np.ndarray) -> np.ndarray:
        """Date weights between every two sets from their spans (days between them; NaN: weight 1). Sets
        sharing any rare name are weighed 1: some of their pairs may match, and those are weighed pair by
        pair after this first look."""
        gap = np.clip(np.fmax(lo_a[:, None] - hi_b[None, :], lo_b[None, :] - hi_a[:, None]), 0, None)
        return self._gap_weight(gap, np.where(names > 0, np.inf, 0.0))

    def _mean_pair_similarities(self, group: tuple, days: list, stories: StoryVectors, which: np.ndarray) -> np.ndarray:
        """The mean over all pairs of a member of `group` and a member of story k of their similarity, each pair
        weighed by its dates, for each story k in `which`, in one product."""
        starts, ends = stories.bounds[which], stories.bounds[which + 1]
        rows = row_ranges(starts, ends)
        taken = stories.order[rows]
        w = self.options.entity_weight
        sim = (1 - w) * products(group[0], stories.members[0], taken) + w * products(group[1], stories.members[1], taken)
        names = products(group[2], stories.members[2], taken, swap=swap_days)
        sim *= self._gap_weight(self._day_gaps(days, stories.days[rows]), names)
        per_story = np.add.reduceat(sim.sum(axis=0), np.concatenate([[0], np.cumsum(ends - starts)[:-1]]))
        return per_story / (len(days) * (ends - starts))

    def _story_vectors(self, stories, story_ids, df, counts: tuple | None = None) -> StoryVectors | None:
        """`counts`: the members' (words, anchors) count matrices, if the caller has them already."""
        if not story_ids:
            return None
        members = [m for sid in story_ids for m in stories[sid]]
        sizes = np.array([len(stories[sid]) for sid in story_ids])
        owner = np.repeat(np.arange(len(story_ids)), sizes)
        if counts is None:
            counts = (count_matrix([m[1] for m in members]), count_matrix([m[2] for m in members]))
        views = df.views(*counts)
        days = day_array([day_number(m[3]) for m in members])
        lo, hi, dated = self._spans(days, owner, len(story_ids))
        # mean member vector per story: its dot product with x is x's average similarity to the members
        every = np.arange(len(members))
        return StoryVectors(tuple(mean_rows(v, every, sizes) for v in views), views, every,
                            np.concatenate([[0], np.cumsum(sizes)]), days, lo, hi, dated,
                            [_main_language(stories[sid]) for sid in story_ids])

    def _group(self, vecs, dates, languages: list[str | None]) -> np.ndarray:
        n = vecs[0].shape[0]
        if n == 1:
            return np.zeros(1, dtype=int)
        sim, names = self.similarities(vecs, vecs)
        sim *= self._gap_weight(self._day_gaps(dates, dates), names)
        del names
        if any(languages):
            codes = {lang: k for k, lang in enumerate(sorted({x for x in languages if x}))}
            code = np.array([codes.get(x, -1) for x in languages])
            sim[(code[:, None] != code[None, :]) & (code[:, None] >= 0) & (code[None, :] >= 0)] = 0.0
        np.fill_diagonal(sim, 1.0)
        model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                        distance_threshold=1.0 - self.options.story_threshold)
        distance = np.subtract(1.0, sim, out=sim)
        return model.fit(np.maximum(distance, 0.0, out=distance)).labels_

    def _candidate_stories(self, vecs, labels, dates, stories: StoryVectors | None,
                           languages: list[str | None], block: int = 256) -> list[np.ndarray]:
        """For each group (label), the indices of the existing stories its members are on average similar
        to at the threshold or more, most similar first: the mean over all member pairs of their similarity,
        each pair weighed by its dates, as average linkage judges one group (a story spanning weeks must not
        take an article because some member is close in time)."""
        n_groups = int(labels.max()) + 1
        if stories is None:
            return [np.zeros(0, dtype=int)] * n_groups
        threshold = self.options.story_threshold
        rows = np.arange(len(labels))
        # mean member vector per group: its dot product with a story's mean vector is the average similarity
        mean = sp.csr_matrix((1.0 / np.bincount(labels)[labels], (labels, rows)), shape=(n_groups, len(labels)))
        group_vecs = tuple(mean @ v for v in vecs)
        lo, hi, dated = self._spans(dates, labels, n_groups)
        members = np.split(rows[np.argsort(labels, kind="stable")], np.cumsum(np.bincount(labels))[:-1])
        out: list[np.ndarray] = []
        for b in range(0, n_groups, block):
            part = slice(b, b + block)
            # an upper bound first, from the date spans; pairs of dated sets are then averaged pair by pair
            avg, names = self.similarities(tuple(v[part] for v in group_vecs), stories.means)
            avg *= self._span_weight(lo[part], hi[part], stories.lo, stories.hi, names)
            aboves, exact = [], {}
            for g, row in enumerate(avg, start=b):
                above = np.flatnonzero(row >= threshold)
                language = next((languages[i] for i in members[g] if languages[i]), None)
                aboves.append(np.array([k for k in above if same_language(language, stories.languages[k])], dtype=int))
                if dated[g] and len(aboves[-1]):
                    exact[g] = aboves[-1][stories.dated[aboves[-1]]]
            for g, values in self._exact_means(vecs, members, dates, stories, exact).items():
                avg[g - b, exact[g]] = values
            for row, above in zip(avg, aboves):
                above = above[row[above] >= threshold]
                out.append(above[np.argsort(-row[above], kind="stable")])
        return out

    def _exact_means(self, vecs: tuple, members: list[np.ndarray], dates: list, stories: StoryVectors,
                     wanted: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
        """`_mean_pair_similarities` of each group g in `wanted` (rows `members[g]` of `vecs`) with the
        stories `wanted[g]`. Groups of up to SMALL_GROUP articles (nearly all) are computed together, a few
        thousand member rows at a time: one product each is mostly the cost of setting it up."""
        out: dict[int, np.ndarray] = {}
        batch: list[int] = []
        size = 0
        for g, which in wanted.items():
            if not len(which):
                continue
            if len(members[g]) > SMALL_GROUP:
                out[g] = self._mean_pair_similarities(tuple(take_rows(v, members[g]) for v in vecs),
                                                      [dates[i] for i in members[g]], stories, which)
                continue
            batch.append(g)
            size += int((stories.bounds[which + 1] - stories.bounds[which]).sum())
            if size >= EXACT_BATCH_ROWS:
                out |= self._small_group_means(vecs, members, dates, stories, {k: wanted[k] for k in batch})
                batch, size = [], 0
        if batch:
            out |= self._small_group_means(vecs, members, dates, stories, {k: wanted[k] for k in batch})
        return out

    def _small_group_means(self, vecs: tuple, members: list[np.ndarray], dates: list, stories: StoryVectors,
                           wanted: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
        """`_exact_means` for groups of up to SMALL_GROUP articles, in one pass: the same products, date
        weights and sums, in the same order, as `_mean_pair_similarities` for each group alone."""
        groups = list(wanted)
        sizes_g = np.array([len(members[g]) for g in groups])
        most = int(sizes_g.max())
        group_rows = np.concatenate([members[g] for g in groups])
        row_group = np.repeat(np.arange(len(groups)), sizes_g)
        row_local = np.concatenate([np.arange(n) for n in sizes_g])
        starts = np.concatenate([stories.bounds[wanted[g]] for g in groups])
        ends = np.concatenate([stories.bounds[wanted[g] + 1] for g in groups])
        stories_per_group = [len(wanted[g]) for g in groups]
        pair_group = np.repeat(np.arange(len(groups)), stories_per_group)
        rows = row_ranges(starts, ends)
        rows_group = np.repeat(pair_group, ends - starts)
        taken = stories.order[rows]
        w = self.options.entity_weight
        per = [grouped_products(take_rows(v, group_rows), row_group, row_local, m, taken, rows_group, most,
                                swap=swap_days if k == 2 else None)
               for k, (v, m) in enumerate(zip(vecs, stories.members))]
        sim = (1 - w) * per[0] + w * per[1]
        # each member's date against each story member's (NaN: undated; a row past a group's size is 0 anyway)
        day = np.full((len(groups), most), np.nan)
        day[row_group, row_local] = day_array([dates[i] for i in group_rows])
        gaps = np.abs(day[rows_group].T - stories.days[rows][None, :])
        sim *= self._gap_weight(gaps, per[2])
        total = sim[0].copy()
        for i in range(1, most):  # row by row, as a group's own sum over its members adds them
            total += sim[i]
        pair_sizes = ends - starts
        per_pair = np.add.reduceat(total, np.concatenate([[0], np.cumsum(pair_sizes)[:-1]]))
        per_pair /= sizes_g[pair_group] * pair_sizes
        bounds = np.concatenate([[0], np.cumsum(stories_per_group)])
        return {g: per_pair[bounds[n]: bounds[n + 1]] for n, g in enumerate(groups)}
