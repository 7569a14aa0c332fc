"""Extractive summary: sentences that most independent sources support, no two saying the same thing."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsweave.align.records import evidence
from newsweave.records import ArticleFacts

if TYPE_CHECKING:
    from newsweave.align.source import Source

# a dateline opening an article's first sentence: "PYONGYANG, North Korea —", "SEOUL (Reuters) -",
# "WASHINGTON –": a place in capitals, or a place with its region, or a place and a wire in brackets
_WORD = r"[A-Z][\w.'’-]*"
_PLACE = rf"{_WORD}(?:\s+{_WORD}){{0,3}}"
DATELINE = re.compile(rf"^(?:[A-Z]{{2,}}(?:[ .'’-]+[A-Z]{{2,}})*|{_PLACE},\s*{_PLACE}|{_PLACE})\s*"
                      rf"(?:\([^()]{{1,40}}\)\s*)?[—–-]{{1,2}}\s+")
# a date heading the text after the place ("December 14, 2025 :", "14 December 2025 -")
DATE_HEAD = re.compile(r"^(?:[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]+\.? \d{4})\s*[:—–-]\s+")
SUPPORT = 0.3  # cosine at which another source's sentence counts as saying the same
REDUNDANT = 0.45  # cosine at which a candidate repeats a sentence already chosen
MIN_WORDS, MAX_WORDS = 8, 60
SENTENCE_END = (".", "!", "?", "”", '"', "’", ":")


def summarise(sources: dict[str, Source], facts: list[ArticleFacts], most: int = 5, least: int = 3) -> list[dict]:
    rows = []  # (article id, start, end, text, position)
    for f in facts:
        text = sources[f.article_id].article.text
        for pos, (s, e) in enumerate(f.sentences):
            # a heading the parser ran into the sentence ("Honoring the Fallen\nDuring the ceremony, ...")
            lines = text[s:e].split("\n")
            while len(lines) > 1 and not lines[0].rstrip().endswith(SENTENCE_END):
                s += len(lines.pop(0)) + 1
            sentence = text[s:e].strip()
            s += len(text[s:e]) - len(text[s:e].lstrip())
            if pos == 0:  # the story's words, without the dateline the article opens with
                line = dateline(sentence)
                sentence, s = sentence[len(line):], s + len(line)
            if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS and sentence.endswith(SENTENCE_END[:-1]):
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


def dateline(sentence: str) -> str:
    """The dateline a sentence opens with ("" if none): a place given in capitals, with its region or with
    a wire service in brackets, then a dash. A name alone before a dash ("Kim Jong-un – the leader") is
    not one: it needs the capitals, the region or the brackets."""
    m = DATELINE.match(sentence)
    head = m.group(0) if m else ""
    if head and not ("," in head or "(" in head or re.match(r"[A-Z]{2,}\b", head)):
        head = ""
    date = DATE_HEAD.match(sentence[len(head):])
    return head + (date.group(0) if date else "")
