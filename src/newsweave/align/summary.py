"""Extractive summary: sentences that most independent sources support, no two saying the same thing."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsweave.align.page_text import LEADING_DATE, Template, template_opening
from newsweave.align.records import evidence
from newsweave.outlets import known_outlet
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
# a subheading in capitals run into the sentence after it by a crawl that lost the line break ("SLEEPING DEAD
# Opposition activists cited ...")
CAPS_HEAD = re.compile(r"^(?:[A-Z]{2,}[\s:—–-]+){2,}(?=[A-Z][a-z])")
# the staff and standards lines of wire copy: who reported, wrote and edited it
STAFF_LINE = re.compile(r"\b(?:reporting|editing|writing) by\b|\bOur Standards\b", re.I)
SUPPORT = 0.3  # cosine at which another source's sentence counts as saying the same
REDUNDANT = 0.45  # cosine at which a candidate repeats a sentence already chosen
CHROME = 0.9  # cosine at which two articles of one outlet give the same sentence
MIN_WORDS, MAX_WORDS = 8, 60
LEADING_FIGURES = 2  # key figures whose sentences lead the summary
SENTENCE_END = (".", "!", "?", "”", '"', "’", ":")


def summarise(sources: dict[str, Source], facts: list[ArticleFacts], aligned: list[dict] = (), most: int = 5,
              least: int = 3) -> list[dict]:
    """Up to `most` sentences: first those giving the story's key figures (each figure the sources give, so a
    disagreement is read from both sides), then those most independent sources say, none repeating another.
    `aligned`: the story's facts, aligned (key figures first). Each sentence lists the facts it gives."""
    # the key figures two or more sources give (a lone source's figure does not lead), the first two
    key_facts = [f for f in aligned if f.get("key") and f["status"] != "single"][:LEADING_FIGURES]
    rows = []  # (article id, start, end, text, position)
    titles = [_words(src.article.title) for src in sources.values() if src.article.title]
    for f in facts:
        text = sources[f.article_id].article.text
        lists = set(f.lists)  # tags, menus or headlines run into a sentence: no summary sentence
        for pos, (s, e) in enumerate(f.sentences):
            if (s, e) in lists:
                continue
            # a heading the parser ran into the sentence ("Honoring the Fallen\nDuring the ceremony, ...")
            lines = text[s:e].split("\n")
            while len(lines) > 1 and not lines[0].rstrip().endswith(SENTENCE_END):
                s += len(lines.pop(0)) + 1
            sentence = text[s:e].strip()
            s += len(text[s:e]) - len(text[s:e].lstrip())
            if pos == 0:  # the story's words, without the dateline the article opens with
                line = dateline(sentence)
                sentence, s = sentence[len(line):], s + len(line)
            # a headline with its date, run into the text by the crawl: the sentence after it, if any
            head_len = _heading(sentence, titles, sources[f.article_id].template)
            if head_len is None:  # the outlet's page text with a list after it
                continue
            sentence, s = sentence[head_len:], s + head_len
            if STAFF_LINE.search(sentence):
                continue
            if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS and sentence.endswith(SENTENCE_END[:-1]):
                rows.append((f.article_id, s, e, sentence, pos))
    if not rows:
        return []
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([r[3] for r in rows])
    sim = (x @ x.T).toarray()
    roots = np.array([sources[r[0]].root for r in rows])
    support = [sorted(set(roots[sim[i] >= SUPPORT])) for i in range(len(rows))]
    # outlets, not articles, vouch for a sentence: two articles of one outlet share its page chrome ("Follow us
    # ...", "Copyright ...") without being copies of each other
    outlets = [len({_outlet(sources[root]) for root in backers}) for backers in support]
    chrome = _outlet_chrome(rows, roots, [_outlet(sources[root]) for root in roots], sim)
    states = [_key_figures_in(r, key_facts) for r in rows]  # {(fact id, variant)} each sentence gives
    # more independent sources first, then earlier in its article (news puts the main facts first)
    order = sorted((i for i in range(len(rows)) if i not in chrome), key=lambda i: (-outlets[i], rows[i][4], rows[i][0]))
    chosen: list[int] = []
    # the key figures lead: for each, the best sentence giving each of its figures (two at most: where the
    # sources disagree, both sides are read)
    for fact in key_facts:
        for variant in range(min(2, len(fact["variants"]))):
            best = next((i for i in order if (fact["id"], variant) in states[i] and i not in chosen), None)
            if best is not None and len(chosen) < most and all(sim[best, j] < REDUNDANT for j in chosen):
                chosen.append(best)
    given = {state for j in chosen for state in states[j]}
    for i in order:
        if len(chosen) >= most or (len(chosen) >= least and outlets[i] < 2):
            break
        # a sentence repeating a sentence chosen, or only figures already given (the toll told again), adds nothing
        if i in chosen or any(sim[i, j] >= REDUNDANT for j in chosen) or (states[i] and states[i] <= given):
            continue
        chosen.append(i)
        given |= states[i]
    out = []
    for i in chosen:
        backers = sorted({rows[j][0] for j in np.flatnonzero(sim[i] >= SUPPORT)})
        out.append({"text": rows[i][3], "article_ids": backers, "sources": support[i],
                    "evidence": [evidence(rows[i][0], rows[i][1], rows[i][2])],
                    "facts": sorted({fact_id for fact_id, _ in states[i]})})
    return out


def _outlet(src: Source) -> str:
    """The outlet an article speaks for, when the data or its URL says; else the article alone (a label made
    from a headline is no outlet: two papers' headlines may begin alike)."""
    return known_outlet(src.article) or src.root


def _outlet_chrome(rows: list[tuple], roots: np.ndarray, label: list[str], sim: np.ndarray) -> set[int]:
    """Sentences that two articles of one outlet, otherwise different, give word for word: its page chrome
    ("Follow us ...") or a stock paragraph. Two versions of one report (most sentences shared) are not."""
    same = [(i, j) for i, j in zip(*np.nonzero(sim >= CHROME)) if roots[i] != roots[j] and label[i] == label[j]]
    sentences = Counter(r[0] for r in rows)
    shared: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, j in same:
        shared[rows[i][0], rows[j][0]].add(i)
    return {i for (a, b), found in shared.items() if len(found) <= 0.5 * min(sentences[a], sentences[b])
            for i in found}


def _key_figures_in(row: tuple, key_facts: list[dict]) -> set[tuple[str, int]]:
    """(fact id, variant number) of the key figures whose evidence lies in this sentence."""
    aid, start, end = row[0], row[1], row[2]
    return {(fact["id"], k) for fact in key_facts for k, variant in enumerate(fact["variants"])
            for e in variant["evidence"] if e["article_id"] == aid and start <= e["start"] and e["end"] <= end}


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


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _heading(sentence: str, titles: list[list[str]], template: Template = Template()) -> int | None:
    """How many characters of `sentence` are headlines, subheadings, dates and the outlet's page text heading
    it, in any order; None when page text heads no sentence of its own (a tag list)."""
    at = 0
    while True:
        date = LEADING_DATE.match(sentence[at:]) or CAPS_HEAD.match(sentence[at:])
        step = (date.end() if date else 0) + _title_prefix(sentence[at + (date.end() if date else 0):], titles)
        if not step:
            step, sentence_follows = template_opening(sentence[at:], template)
            if step and not sentence_follows:
                return None
        if not step:
            return at
        at += step


def _title_prefix(sentence: str, titles: list[list[str]]) -> int:
    """How many characters of `sentence` are one of the story's headlines, word for word, followed by a new
    sentence (0 if none)."""
    for title in sorted(titles, key=len, reverse=True):
        if len(title) >= 5:  # a headline, not a sentence's opening words that happen to be a short title
            m = re.match(r"\W*" + r"\W+".join(map(re.escape, title)) + r"\b\W*", sentence, re.I)
            rest = sentence[m.end():] if m else ""
            if m and (not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in "“\"'‘"):
                return m.end()
    return 0
