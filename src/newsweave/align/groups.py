"""Grouping helpers: context similarity of extracted items and connected components of a link rule."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


def context_similarity(contexts: list[list[str]]) -> np.ndarray:
    """Cosine similarity of context-word bags, words weighted by rarity within the story."""
    n = len(contexts)
    if n == 0 or not any(contexts):
        return np.zeros((n, n))
    vec = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
    x = vec.fit_transform(contexts)
    return (x @ x.T).toarray()


def components(n: int, linked: Callable[[int, int], bool]) -> list[list[int]]:
    """Connected components of the items 0..n-1 under `linked`, each sorted, in order of first item."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in range(n):
        for j in range(i + 1, n):
            if find(i) != find(j) and linked(i, j):
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())
