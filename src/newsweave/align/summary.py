"""Extractive summary: sentences that most independent sources support, no two saying the same thing."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsweave.align.records import evidence
from newsweave.records import ArticleFacts

if TYPE_CHECKING:
    from newsweave.align.source import Source

SUPPORT = 0.3  # cosine at which another source's sentence counts as saying the same
REDUNDANT = 0.45  # cosine at which a candidate repeats a sentence already chosen
MIN_WORDS, MAX_WORDS = 8, 60


def summarise(sources: dict[str, Source], facts: list[ArticleFacts], most: int = 5, least: int = 3) -> list[dict]:
    rows = []  # (article id, start, end, text, position)
    for f in facts:
        text = sources[f.article_id].article.text
        for pos, (s, e) in enumerate(f.sentences):
            sentence = text[s:e].strip()
            if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS and sentence[-1:] in ".!?”\"’":
                rows.append((f.article_id, s, e, sentence, pos))
    if not rows:
        return []
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([r[3] for r in rows])
    sim = (x @ x.T).toarray()
    roots = np.array([sources[r[0]].root for r in rows])
    support = [sorted(set(roots[sim[i] >= SUPPORT])) for i in range(len(rows))]
    # more independent sources first, then earlier in its article (news puts the main facts first)
    order = sorted(range(len(rows)), key=lambda i: (-len(support[i]), rows[i][4], rows[i][0]))
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= most or (len(chosen) >= least and len(support[i]) < 2):
            break
        if all(sim[i, j] < REDUNDANT for j in chosen):
            chosen.append(i)
    out = []
    for i in chosen:
        backers = sorted({rows[j][0] for j in np.flatnonzero(sim[i] >= SUPPORT)})
        out.append({"text": rows[i][3], "article_ids": backers, "sources": support[i],
                    "evidence": [evidence(rows[i][0], rows[i][1], rows[i][2])]})
    return out
