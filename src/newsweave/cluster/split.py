"""Splitting a story that holds two events of one kind (two earthquakes, two navy rescues of a ship).

Story grouping compares articles with document frequencies of the whole store, where the words of the
topic ("earthquake", "magnitude") are rare and weigh most, so two events of one kind look alike. Inside one
story those words are in every member: weighted by the story's own document frequencies they count for
nothing, and what is left are the details that tell its events apart (the place, the ship's name, 23 or 26
pirates, the weekday). Each member keeps its edges to its few closest others only: two events of one kind
share many weak ties across, which a full graph adds up into one cluster, while an article's nearest
neighbours are reports of its own event. The story is cut in two along the second eigenvector of that
graph (a normalized cut, which, unlike average linkage, does not just peel off one outlying article) when
the cut is cheap enough; each part is then checked the same way.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components


def story_weights(counts: sp.csr_matrix) -> sp.csr_matrix:
    """TF-IDF with document frequencies taken from these rows alone (a term in every row weighs zero), rows
    of unit length. Columns are renumbered to the terms present: products over the 2^20 hashed columns
    would spend their time on empty ones."""
    counts = counts.tocsr()
    terms, where, df = np.unique(counts.indices, return_inverse=True, return_counts=True)
    data = (1.0 + np.log(counts.data)) * np.log((counts.shape[0] + 1.0) / (df[where] + 1.0))
    x = sp.csr_matrix((data.astype(np.float32), where, counts.indptr), shape=(counts.shape[0], len(terms)))
    x.eliminate_zeros()
    return unit_rows(x)


def unit_rows(x: sp.csr_matrix) -> sp.csr_matrix:
    """Each row scaled to unit length, in place (empty rows stay empty). Written out rather than taken from
    scikit-learn, whose input checks cost more than the arithmetic on one article's rows."""
    row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    norms = np.sqrt(np.bincount(row, weights=x.data ** 2, minlength=x.shape[0]))
    norms[norms == 0] = 1.0
    x.data /= norms[row].astype(x.data.dtype)
    return x


def normalized_cut(sim: np.ndarray) -> tuple[float, np.ndarray]:
    """The cheapest two-way normalized cut along the graph's Fiedler vector: (cut value, mask of one side).
    `sim`: symmetric, non-negative, zero diagonal. A value near 0 means two parts that barely touch."""
    degree = sim.sum(axis=1)
    degree[degree <= 0] = 1e-9
    scale = 1.0 / np.sqrt(degree)
    laplacian = np.eye(len(sim)) - scale[:, None] * sim * scale[None, :]
    _, vectors = np.linalg.eigh(laplacian)
    order = np.argsort(vectors[:, 1] * scale)
    ordered = sim[np.ix_(order, order)]
    # cut between the first k and the rest, for every k at once: edges leaving the first k
    inside = np.diagonal(ordered.cumsum(axis=0).cumsum(axis=1))[:-1]
    volume_a = np.cumsum(degree[order])[:-1]
    cut = volume_a - inside
    value = cut / volume_a + cut / np.maximum(degree.sum() - volume_a, 1e-12)  # members without edges last
    k = int(np.argmin(value)) + 1
    mask = np.zeros(len(sim), dtype=bool)
    mask[order[:k]] = True
    return float(value[k - 1]), mask


def nearest_neighbours(sim: np.ndarray, k: int) -> np.ndarray:
    """Keep each member's `k` most similar others (and the edges to those that keep it); drop the rest.
    Two events of one kind share many weak ties across; a member's closest ones are on its own event."""
    if k <= 0 or k >= len(sim) - 1:
        return sim
    keep = np.zeros(sim.shape, dtype=bool)
    np.put_along_axis(keep, np.argsort(-sim, axis=1, kind="stable")[:, :k], True, axis=1)
    return np.where(keep | keep.T, sim, 0.0)


def near_copy_groups(sim: np.ndarray, near: float) -> np.ndarray:
    """Group label of each member: members linked by a chain of similarities of `near` or more are versions
    of one text (partial reposts, rewrites the copy detector does not link) and count as one member."""
    if near <= 0:
        return np.arange(len(sim))
    return connected_components(sp.csr_matrix(sim >= near), directed=False)[1]


def split_story(words: sp.csr_matrix, anchors: sp.csr_matrix, apart: np.ndarray, anchor_weight: float,
                max_cut: float, min_part: int, depth: int = 2, neighbours: int = 0,
                near_copy: float = 0.0, cuts: list[float] | None = None) -> np.ndarray:
    """Part labels (0..k-1) for the members of one story, given their raw word and anchor counts and a
    boolean matrix of pairs whose dates are too far apart to share an event. Versions of one text (see
    near_copy_groups) are cut as one member, with their mean similarities: otherwise each member's nearest
    neighbours would be versions of its own text, and the graph would fall apart by text, not by event.
    `cuts`, if given, receives the normalized cut that made each part from 1 on (the reason for it)."""
    labels = np.zeros(words.shape[0], dtype=int)
    stack = [(np.arange(words.shape[0]), depth)]
    next_label = 1
    while stack:
        rows, left = stack.pop()
        if left == 0 or len(rows) < 2 * min_part:
            continue
        w, a = story_weights(words[rows]), story_weights(anchors[rows])
        sim = ((1 - anchor_weight) * (w @ w.T) + anchor_weight * (a @ a.T)).toarray()
        sim[apart[np.ix_(rows, rows)]] = 0.0
        np.fill_diagonal(sim, 0.0)
        sim = np.clip(sim, 0.0, None)
        groups = near_copy_groups(sim, near_copy)
        count = int(groups.max()) + 1
        if count < 2 * min_part:
            continue
        if count < len(rows):
            member_of = sp.csr_matrix((np.ones(len(rows)), (np.arange(len(rows)), groups)), shape=(len(rows), count))
            size = np.bincount(groups)
            sim = np.asarray(member_of.T @ sim @ member_of) / np.outer(size, size)
            np.fill_diagonal(sim, 0.0)
        value, part = normalized_cut(nearest_neighbours(sim, neighbours))
        if not np.isfinite(value) or value > max_cut or min(part.sum(), (~part).sum()) < min_part:
            continue
        mask = part[groups]
        if mask.sum() > (~mask).sum():
            mask = ~mask  # the smaller side moves to a new part
        labels[rows[mask]] = next_label
        next_label += 1
        if cuts is not None:
            cuts.append(value)
        stack += [(rows[~mask], left - 1), (rows[mask], left - 1)]
    return labels
