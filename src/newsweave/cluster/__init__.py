"""Stories: group articles about one event, incrementally.

New articles are clustered among themselves by average linkage (chunks of at most `cluster_chunk`), and
each resulting group then joins the existing story it is closest to on average, or opens a new story.
Similarity mixes content words and anchors (names, years, numbers), TF-IDF weighted with document
frequencies kept in the store. Time counts when both sides are dated: beyond a day's grace the similarity
halves every `date_half_life_days`, so two strikes on one town a week apart stay two stories while reports
of one event over a few days still meet; dated articles further apart than `max_gap_days` are never joined.
Each story that grew is then checked for two events of one kind and split (see `split.py`).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import normalize

from newsweave.cluster.features import DIM, article_features, unpack
from newsweave.cluster.split import split_story, story_weights
from newsweave.options import Options
from newsweave.records import StageStats, day_number

DETAIL_MEMBERS = 50  # a story's latest members stand for it when a new article picks among similar stories

__all__ = ["DocumentFrequencies", "StoryClusterer", "article_features", "count_matrix"]


def count_matrix(blobs: list[bytes]) -> sp.csr_matrix:
    indptr, indices, data = [0], [], []
    for blob in blobs:
        idx, val = unpack(blob)
        indices.append(idx)
        data.append(val)
        indptr.append(indptr[-1] + len(idx))
    if not blobs:
        return sp.csr_matrix((0, DIM), dtype=np.float32)
    return sp.csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr)), shape=(len(blobs), DIM))


def _used_columns(x: sp.csr_matrix) -> sp.csr_matrix:
    """The same rows over only the columns in use: products of matrices over the 2^20 hashed columns spend
    their time on empty ones."""
    terms, where = np.unique(x.indices, return_inverse=True)
    return sp.csr_matrix((x.data, where.astype(np.int32), x.indptr), shape=(x.shape[0], len(terms)))


class DocumentFrequencies:
    """Per-view document frequencies, kept in the store as one array each."""

    def __init__(self, words: np.ndarray | None = None, anchors: np.ndarray | None = None, n: int = 0):
        self.words = words if words is not None else np.zeros(DIM, dtype=np.int32)
        self.anchors = anchors if anchors is not None else np.zeros(DIM, dtype=np.int32)
        self.n = n

    @classmethod
    def from_blobs(cls, words: bytes | None, anchors: bytes | None, n: bytes | None) -> DocumentFrequencies:
        if words is None:
            return cls()
        return cls(np.frombuffer(words, dtype=np.int32).copy(), np.frombuffer(anchors, dtype=np.int32).copy(),
                   int(np.frombuffer(n, dtype=np.int64)[0]))

    def to_blobs(self) -> dict[str, bytes]:
        return {"df_words": self.words.tobytes(), "df_anchors": self.anchors.tobytes(),
                "df_n": np.array([self.n], dtype=np.int64).tobytes()}

    def add(self, words: sp.csr_matrix, anchors: sp.csr_matrix) -> None:
        np.add.at(self.words, words.indices, 1)
        np.add.at(self.anchors, anchors.indices, 1)
        self.n += words.shape[0]

    def weigh(self, counts: sp.csr_matrix, view: str) -> sp.csr_matrix:
        df = self.words if view == "words" else self.anchors
        x = counts.copy().astype(np.float32)
        x.data = 1.0 + np.log(x.data)
        idf = np.log((self.n + 1.0) / (df[x.indices] + 1.0)) + 1.0
        x.data *= idf.astype(np.float32)
        return normalize(x)


class StoryClusterer:
    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.stats = StageStats("cluster")

    def similarity(self, a: tuple, b: tuple) -> np.ndarray:
        """a, b: (word vectors, anchor vectors); returns dense cosine mix."""
        w = self.options.entity_weight
        return ((1 - w) * (a[0] @ b[0].T) + w * (a[1] @ b[1].T)).toarray()

    @staticmethod
    def _day_gaps(da: list[int | None], db: list[int | None]) -> np.ndarray:
        """Days between each pair of dates; NaN where either is undated."""
        a = np.array([np.nan if d is None else d for d in da], dtype=float)
        b = np.array([np.nan if d is None else d for d in db], dtype=float)
        return np.abs(a[:, None] - b[None, :])

    def _gap_weight(self, gap: np.ndarray) -> np.ndarray:
        """Factor on the similarity of two articles `gap` days apart: 1 within `date_grace_days`, halved
        every `date_half_life_days` after, 0 beyond `max_gap_days`. NaN (an undated side) gives 1."""
        o = self.options
        gap = np.nan_to_num(gap, nan=0.0)
        h = o.date_half_life_days
        weight = np.ones_like(gap) if h <= 0 else 0.5 ** (np.clip(gap - o.date_grace_days, 0.0, None) / h)
        weight[gap > o.max_gap_days] = 0.0
        return weight

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
        story_vecs, story_dates = self._story_vectors(stories, story_ids, df)
        next_temp = -1
        chunk = self.options.cluster_chunk
        for start in range(0, len(new), chunk):
            part = new[start : start + chunk]
            vecs = (df.weigh(count_matrix([p[1] for p in part]), "words"), df.weigh(count_matrix([p[2] for p in part]), "anchors"))
            dates = [day_number(p[3]) for p in part]
            labels = self._group(vecs, dates)
            candidates = self._candidate_stories(vecs, labels, dates, story_vecs, story_dates)
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
                for r, p in enumerate(part):
                    stories.setdefault(out[p[0]], []).append(p)
                story_ids = list(stories)
                story_vecs, story_dates = self._story_vectors(stories, story_ids, df)
        return out

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

    def split(self, stories: dict[int, list[tuple[str, bytes, bytes, str | None]]], next_temp: int) -> dict[str, int]:
        """stories: story id -> members (article id, word blob, anchor blob, published), one per copy group.
        Returns article id -> new temporary story id (from `next_temp` down) for the members that leave
        their story because it holds two events; the part left when the smaller side of each cut has moved
        out keeps the story."""
        out: dict[str, int] = {}
        o = self.options
        for members in stories.values():
            if len(members) < 2 * o.split_min_part:
                continue
            if len(members) > o.split_max_story:
                self.stats.add("stories_too_large_to_split")
                continue
            days = [day_number(m[3]) for m in members]
            # only the hard limit here: within a story, weighing by date would cut developing events by day
            apart = self._day_gaps(days, days) > o.max_gap_days  # NaN (undated) compares False
            labels = split_story(count_matrix([m[1] for m in members]), count_matrix([m[2] for m in members]),
                                 apart, o.split_anchor_weight, o.split_max_cut, o.split_min_part,
                                 neighbours=o.split_neighbours)
            for label in range(1, int(labels.max()) + 1):
                for r in np.flatnonzero(labels == label):
                    out[members[r][0]] = next_temp
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
        bounds = np.concatenate([[0], np.cumsum([len(stories[sid]) for sid in ids])])
        counts = (count_matrix([m[1] for m in members]), count_matrix([m[2] for m in members]))
        days = [day_number(m[3]) for m in members]
        pairs = self._merge_candidates(ids, changed, bounds, counts, days, df)
        parent: dict[int, int] = {}

        def root(sid: int) -> int:
            while sid in parent:
                sid = parent[sid]
            return sid

        parts = {sid: np.arange(bounds[k], bounds[k + 1]) for k, sid in enumerate(ids)}
        for _, a, b in sorted(pairs, reverse=True):
            a, b = root(a), root(b)
            if a == b or not 2 * o.split_min_part <= len(parts[a]) + len(parts[b]) <= o.split_max_story:
                continue
            union = np.concatenate([parts[a], parts[b]])
            if self._holds_together(counts[0][union], counts[1][union], [days[i] for i in union]):
                keep, gone = (a, b) if (a > 0, -abs(a)) >= (b > 0, -abs(b)) else (b, a)
                parent[gone] = keep
                parts[keep] = np.concatenate([parts[keep], parts.pop(gone)])
                self.stats.add("stories_merged")
        return {sid: root(sid) for sid in parent}

    def _merge_candidates(self, ids: list[int], changed: set[int], bounds: np.ndarray, counts: tuple,
                          days: list[int | None], df: DocumentFrequencies) -> set[tuple[float, int, int]]:
        """(mean pairwise similarity, story id, story id) of each changed story and its most similar story,
        when that similarity reaches the grouping threshold."""
        o = self.options
        sizes = np.diff(bounds)
        owner = np.repeat(np.arange(len(ids)), sizes)
        vecs = (_used_columns(df.weigh(counts[0], "words")), _used_columns(df.weigh(counts[1], "anchors")))
        # An upper bound first: the mean vectors' similarity (the mean over member pairs before dates count),
        # weighed by the days between the date spans, which no two dated members are closer than (a story
        # with an undated member has no span: its undated pairs keep their whole similarity).
        mean = sp.csr_matrix((1.0 / sizes[owner], (owner, np.arange(len(owner)))), shape=(len(ids), len(owner)))
        story_vecs = (mean @ vecs[0], mean @ vecs[1])
        lo, hi = self._spans(days, owner, len(ids))
        undated = np.bincount(owner, weights=[d is None for d in days], minlength=len(ids)) > 0
        dated = np.bincount(owner, weights=[d is not None for d in days], minlength=len(ids)) > 0
        lo[undated], hi[undated] = np.nan, np.nan
        rows = [k for k, sid in enumerate(ids) if sid in changed]
        bound = self.similarity((story_vecs[0][rows], story_vecs[1][rows]), story_vecs)
        bound *= self._gap_weight(np.clip(np.fmax(lo[rows, None] - hi[None, :], lo[None, :] - hi[rows, None]), 0, None))
        pairs = set()
        for r, a in enumerate(rows):
            for b in np.argsort(-bound[r], kind="stable"):
                if bound[r, b] < o.story_threshold:
                    break
                if a == b or max(ids[a], ids[b]) < 0:  # stories opened in one pass: grouping judged them
                    continue
                value = float(bound[r, b])
                if dated[a] and dated[b]:  # dates count pair by pair (otherwise no pair has two dates)
                    sa, sb = slice(bounds[a], bounds[a + 1]), slice(bounds[b], bounds[b + 1])
                    sim = self.similarity((vecs[0][sa], vecs[1][sa]), (vecs[0][sb], vecs[1][sb]))
                    value = float((sim * self._gap_weight(self._day_gaps(days[sa], days[sb]))).mean())
                if value >= o.story_threshold:
                    pairs.add((value, *sorted((ids[a], int(ids[b])), reverse=True)))
                    break  # the most similar story only: trying more changed nothing on ECB+, at twice the cost
        return pairs

    def _holds_together(self, words: sp.csr_matrix, anchors: sp.csr_matrix, days: list[int | None]) -> bool:
        """True if the split would leave these members in one story."""
        o = self.options
        labels = split_story(words, anchors, self._day_gaps(days, days) > o.max_gap_days, o.split_anchor_weight,
                             o.split_max_cut, o.split_min_part, depth=1, neighbours=o.split_neighbours)
        return not labels.any()

    @staticmethod
    def _spans(days: list[int | None], owner: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """First and last date of each story (NaN when none of its members is dated)."""
        d = np.array([np.nan if x is None else x for x in days], dtype=float)
        lo, hi = np.full(n, np.inf), np.full(n, -np.inf)
        np.fmin.at(lo, owner, d)
        np.fmax.at(hi, owner, d)
        lo[np.isinf(lo)], hi[np.isinf(hi)] = np.nan, np.nan
        return lo, hi

    def _story_vectors(self, stories, story_ids, df):
        if not story_ids:
            return None, []
        members = [m for sid in story_ids for m in stories[sid]]
        owner = np.repeat(np.arange(len(story_ids)), [len(stories[sid]) for sid in story_ids])
        words = df.weigh(count_matrix([m[1] for m in members]), "words")
        anchors = df.weigh(count_matrix([m[2] for m in members]), "anchors")
        # mean member vector per story: its dot product with x is x's average similarity to the members
        mean = sp.csr_matrix((np.ones(len(owner)) / np.bincount(owner)[owner], (owner, np.arange(len(owner)))),
                             shape=(len(story_ids), len(owner)))
        dates = []
        for sid in story_ids:
            ds = [d for d in (day_number(m[3]) for m in stories[sid]) if d is not None]
            dates.append((min(ds), max(ds)) if ds else None)
        return (mean @ words, mean @ anchors), dates

    def _group(self, vecs, dates) -> np.ndarray:
        n = vecs[0].shape[0]
        if n == 1:
            return np.zeros(1, dtype=int)
        sim = self.similarity(vecs, vecs)
        sim *= self._gap_weight(self._day_gaps(dates, dates))
        np.fill_diagonal(sim, 1.0)
        model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                        distance_threshold=1.0 - self.options.story_threshold)
        return model.fit(np.clip(1.0 - sim, 0.0, None)).labels_

    def _candidate_stories(self, vecs, labels, dates, story_vecs, story_spans, block: int = 256) -> list[np.ndarray]:
        """For each group (label), the indices of the existing stories its members are on average similar
        to at the threshold or more, most similar first (none when the dates are too far apart)."""
        n_groups = int(labels.max()) + 1
        if story_vecs is None:
            return [np.zeros(0, dtype=int)] * n_groups
        rows = np.arange(len(labels))
        # mean member vector per group: its dot product with a story's mean vector is the average similarity
        mean = sp.csr_matrix((1.0 / np.bincount(labels)[labels], (labels, rows)), shape=(n_groups, len(labels)))
        group_vecs = (mean @ vecs[0], mean @ vecs[1])
        days = np.array([np.nan if d is None else d for d in dates], dtype=float)
        lo, hi = np.full(n_groups, np.inf), np.full(n_groups, -np.inf)
        np.fmin.at(lo, labels, days)
        np.fmax.at(hi, labels, days)
        lo[np.isinf(lo)], hi[np.isinf(hi)] = np.nan, np.nan
        s_lo = np.array([np.nan if s is None else s[0] for s in story_spans], dtype=float)
        s_hi = np.array([np.nan if s is None else s[1] for s in story_spans], dtype=float)
        out: list[int | None] = []
        for b in range(0, n_groups, block):
            part = slice(b, b + block)
            avg = self.similarity((group_vecs[0][part], group_vecs[1][part]), story_vecs)
            # days between the group's dates and the story's (0 when they overlap; NaN when either is undated)
            apart = np.fmax(lo[part, None] - s_hi[None, :], s_lo[None, :] - hi[part, None])
            avg *= self._gap_weight(np.clip(apart, 0.0, None))
            for row in avg:
                above = np.flatnonzero(row >= self.options.story_threshold)
                out.append(above[np.argsort(-row[above], kind="stable")])
        return out
