"""Grouping helpers: context similarity of extracted items and connected components of a link rule."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsweave.unionfind import UnionFind


def context_similarity(contexts: list[list[str]]) -> np.ndarray:
    """Cosine similarity of context-word bags, words weighted by rarity within the story."""
    n = len(contexts)
    if n == 0 or not any(contexts):
        return np.zeros((n, n))
    # character 4-grams within words: "Korea" and "Korean", "deploy" and "deployment" share most of theirs
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True)
    x = vec.fit_transform([" ".join(words) for words in contexts])
    return (x @ x.T).toarray()


def components(n: int, linked: Callable[[int, int], bool]) -> list[list[int]]:
    """Connected components of the items 0..n-1 under `linked`, each sorted, in order of first item."""
    sets: UnionFind[int] = UnionFind()
    for i in range(n):
        for j in range(i + 1, n):
            if sets.find(i) != sets.find(j) and linked(i, j):
                sets.union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(sets.find(i), []).append(i)
    return list(groups.values())


def constrained_groups(n: int, score: np.ndarray, allowed: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage grouping: merge the two groups with the highest mean pair score while it reaches
    `threshold`, and only if every pair across them is `allowed` (a boolean matrix; a hard rule, as in
    complete linkage), so chaining cannot join two items that may not be together.
    Each row keeps its best partner, so a merge costs one pass over the groups, not over all pairs."""
    if n == 0:
        return []
    sums = score.astype(float).copy()
    ok = allowed.copy()
    np.fill_diagonal(ok, False)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members = [[i] for i in range(n)]
    mean = np.where(ok, sums, -np.inf)
    best = mean.argmax(axis=1)
    best_val = mean[np.arange(n), best]
    while True:
        a = int(np.argmax(np.where(alive, best_val, -np.inf)))
        if not alive[a] or best_val[a] < threshold:
            break
        b = int(best[a])
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        ok[a, :] &= ok[b, :]
        ok[:, a] = ok[a, :]
        ok[a, a] = False
        size[a] += size[b]
        alive[b] = False
        members[a] += members[b]
        row = np.where(ok[a] & alive, sums[a] / (size[a] * size), -np.inf)
        row[a] = -np.inf
        mean[a, :] = row
        mean[:, a] = row
        mean[b, :] = -np.inf
        mean[:, b] = -np.inf
        best_val[b] = -np.inf
        # rows whose best partner was a or b look again; the others only compare with the new group a
        stale = np.flatnonzero(alive & ((best == a) | (best == b)))
        for i in stale:
            best[i] = int(mean[i].argmax())
            best_val[i] = mean[i, best[i]]
        better = alive & (row > best_val)
        best[better] = a
        best_val[better] = row[better]
        best[a] = int(row.argmax())
        best_val[a] = row[best[a]]
    return [sorted(members[i]) for i in range(n) if alive[i]]
