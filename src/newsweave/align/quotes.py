"""Quotes across sources: the same words quoted by several sources are one quote; the same words given to
different people are a conflict."""
from __future__ import annotations

import re

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsweave.align.groups import constrained_groups
from newsweave.align.records import evidence
from newsweave.align.source import Source, clip, sources_label
from newsweave.facts import same_name
from newsweave.facts.entities import name_tokens, similar_name
from newsweave.records import ArticleFacts

QUOTE_OVERLAP = 0.6  # share of the shorter quote's words found in the longer one
CLAIM_OVERLAP = 0.75  # reported speech is paraphrased less often than it shares stock words ("killed", "people")
SAME_WORDS = 0.8  # two texts given to different people must be nearly the same words to contradict
MIN_QUOTE_WORDS, MIN_CLAIM_WORDS = 3, 5  # fewer content words say too little to be recognised elsewhere


def _words(text: str) -> tuple[set[str], set[str]]:
    """Content words of a quote, crudely singular, and its numbers: "27 killed" is not "31 killed"."""
    toks = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]+", text)}
    numbers = set(re.findall(r"\d+", text.replace(",", "")))
    return {w for w in toks if w not in ENGLISH_STOP_WORDS and len(w) > 1}, numbers


def _overlaps(sets: list[set[str]], numbers: list[set[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Share of the smaller word set found in the other, for every pair, and whether the numbers of the one
    with fewer words all appear in the other."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, s in enumerate(sets):
        for w in s:
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    n = len(sets)
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(len(vocab), 1)))
    shared = (x @ x.T).toarray()
    size = np.array([len(s) for s in sets], dtype=float)
    smaller = np.minimum(size[:, None], size[None, :])
    overlap = np.where(smaller > 0, shared / np.maximum(smaller, 1), 0.0)
    nums_ok = np.ones((n, n), dtype=bool)
    with_numbers = [i for i, s in enumerate(numbers) if s]
    for i in with_numbers:  # few items carry numbers; a loop over them is cheap
        for j in range(n):
            few, many = (i, j) if size[i] <= size[j] else (j, i)
            nums_ok[i, j] = nums_ok[j, i] = numbers[few] <= numbers[many]
    return overlap, nums_ok


def quote_facts(sources: dict[str, Source], facts: list[ArticleFacts]) -> tuple[list[dict], list[dict]]:
    items = [(f.article_id, q, *_words(q.text)) for f in facts for q in f.quotes]
    known_names = {e.entity for f in facts for e in f.entities if e.label in ("PERSON", "ORG")}
    people = {(f.article_id, e.entity) for f in facts for e in f.entities if e.label == "PERSON"}
    n = len(items)
    if n == 0:
        return [], []
    overlap, nums_ok = _overlaps([it[2] for it in items], [it[3] for it in items])
    direct = np.array([it[1].direct for it in items])
    size = np.array([len(it[2]) for it in items])
    need = np.where(direct, QUOTE_OVERLAP, CLAIM_OVERLAP)
    min_words = np.where(direct, MIN_QUOTE_WORDS, MIN_CLAIM_WORDS)
    linked = ((direct[:, None] == direct[None, :]) & nums_ok
              & (overlap >= np.maximum(need[:, None], need[None, :]))
              & (np.minimum(size[:, None], size[None, :]) >= min_words[:, None]))
    # the same words in copies of one original are that original's one statement, however short
    told: dict[tuple[str, str], list[int]] = {}
    for i, (aid, q, *_) in enumerate(items):
        told.setdefault((sources[aid].root, " ".join(q.text.lower().split())), []).append(i)
    for same in told.values():
        if len(same) > 1:
            linked[np.ix_(same, same)] = True
            overlap[np.ix_(same, same)] = np.maximum(overlap[np.ix_(same, same)], 1.0)
    # every pair in a group must be linked: no chain of shared stock words joins unrelated statements
    groups = constrained_groups(n, overlap, linked, QUOTE_OVERLAP)

    quotes, facts_out = [], []
    for group in groups:
        members = [items[i] for i in group]
        speakers: list[tuple[str, str]] = [(sources[aid].root, q.speaker) for aid, q, *_ in members if q.speaker]
        # only named speakers can differ: "her rep" and "Jack Ketsoyan" may be one person
        named = [(root, s) for root, s in speakers if s in known_names]
        pool = named or speakers
        names: list[str] = []
        for _, s in pool:
            if not any(same_name(s, n) for n in names):
                names.append(s)
        longest = max((q for _, q, *_ in members), key=lambda q: len(q.text))
        roots = sorted({sources[aid].root for aid, *_ in members})
        speaker = None
        if names:  # the name most sources use, written out in full
            top = max(names, key=lambda n: sum(same_name(n, s) for _, s in pool))
            speaker = max((s for _, s in pool if same_name(top, s)), key=len)
        # each article is credited with its own words, cue and channel, never with another's: articles
        # giving the same words make one entry, an article quoting fewer of them makes its own
        said_by = [_variant(aid, q) for aid, q, *_ in members]
        for telling in _tellings([(v, items[i][2]) for v, i in zip(said_by, group)]):
            shown = max(telling, key=lambda v: len(v["text"]))
            quotes.append({"statement": len(facts_out), "speaker": speaker, "text": shown["text"],
                           "direct": shown["direct"], "cue": shown["cue"], "channel": shown["channel"],
                           "article_ids": sorted({v["article_id"] for v in telling}),
                           "sources": sorted({sources[v["article_id"]].root for v in telling}),
                           "statement_sources": roots,
                           "evidence": [e for v in telling for e in v["evidence"]], "variants": telling})
        disagreeing = _speaker_conflict(sources, [items[i] for i in group], group, overlap, people)
        if disagreeing:
            status, rule = "conflict", "the same words are given to different people: " + "; ".join(
                f"{name} ({', '.join(sources_label(sources, r) for r in rs)})" for name, rs in disagreeing.items())
        elif len(roots) > 1:
            status = "agreed"
            rule = f"{len(roots)} independent sources quote it" + (f", all from {speaker}" if speaker else "")
        else:
            status, rule = "single", "one independent source"
        variants = [{"value": v["speaker"], "text": v["text"], "article_ids": [v["article_id"]],
                     "evidence": v["evidence"]} for v in said_by]
        kind = "quote" if longest.direct else "claim"
        facts_out.append({"kind": kind, "status": status, "rule": rule, "sources": roots,
                          "statement": f"{speaker or 'unattributed'}: “{clip(longest.text)}”", "variants": variants})
    return quotes, facts_out


SAME_TELLING = 0.9  # share of each telling's words found in the other: the same words, give or take a few


def _tellings(said: list[tuple[dict, set[str]]]) -> list[list[dict]]:
    """Variants of one statement grouped by their words: longest first, each joins the first telling
    whose words it nearly all shares, both ways."""
    out: list[tuple[set[str], list[dict]]] = []
    for v, words in sorted(said, key=lambda x: -len(x[0]["text"])):
        for head, members in out:
            common = len(words & head)
            if common >= SAME_TELLING * max(len(words), 1) and common >= SAME_TELLING * max(len(head), 1):
                members.append(v)
                break
        else:
            out.append((words, [v]))
    return [members for _, members in out]


def _variant(aid: str, q) -> dict:
    """One article's telling of a quote: its words (fragments, each with its offsets), the quoted words'
    offsets, its cue and its channel."""
    pieces = q.fragments or [(q.start, q.end)]
    return {"article_id": aid, "text": q.text, "speaker": q.speaker, "speaker_as_written": q.speaker_text,
            "cue": q.cue, "channel": q.channel, "direct": q.direct,
            "evidence": [evidence(aid, a, b) for a, b in pieces],
            "verbatim": [evidence(aid, a, b) for a, b in q.verbatim]}


def _maybe_one(a: str, b: str) -> bool:
    """Two names that may be one person: the same name spelled or shortened another way, or the same family
    name ("JT Fowler" and "Gregory T. Fowler", a police chief in two reports)."""
    ta, tb = name_tokens(a), name_tokens(b)
    return similar_name(a, b) or bool(ta) and bool(tb) and ta[-1] == tb[-1]


def _named_there(text: str, q) -> bool:
    """The article writes the speaker's name at the quote: a "he said" resolved to the last person named is
    a guess, good enough to show, not to accuse a source of misquoting."""
    if q.speaker_span is None:
        return False
    written = set(name_tokens(text[q.speaker_span[0]:q.speaker_span[1]]))
    return bool(written & set(name_tokens(q.speaker)))


def _speaker_conflict(sources: dict[str, Source], members: list[tuple], index: list[int], overlap: np.ndarray,
                      people: set[tuple[str, str]]) -> dict[str, list[str]]:
    """Names and the sources that give them, when independent sources each give nearly the same words to one
    person and the people differ. A source naming two people for the words, an organisation ("the
    Observatory" and its director), a pronoun, an "according to" (whose parse often runs on into the
    sentence) or the same family name decides nothing."""
    by_root: dict[str, list[tuple[int, str]]] = {}
    for pos, (aid, q, *_) in zip(index, members):
        if q.speaker and (aid, q.speaker) in people and (q.cue or "").lower() != "according to" and \
                _named_there(sources[aid].article.text, q):
            by_root.setdefault(sources[aid].root, []).append((pos, q.speaker))
    sole: dict[str, tuple[str, list[int]]] = {}
    for root, said in by_root.items():
        first = said[0][1]
        if all(_maybe_one(first, s) for _, s in said):
            sole[root] = (max((s for _, s in said), key=len), [p for p, _ in said])
    names: dict[str, list[str]] = {}
    for root, (name, _) in sole.items():
        key = next((k for k in names if _maybe_one(k, name)), name)
        names.setdefault(key, []).append(root)
    if len(names) < 2:
        return {}
    groups = list(names.values())
    for a in range(len(groups)):
        for b in range(a + 1, len(groups)):
            pa = [p for r in groups[a] for p in sole[r][1]]
            pb = [p for r in groups[b] for p in sole[r][1]]
            if overlap[np.ix_(pa, pb)].max() >= SAME_WORDS:
                return {name: sorted(rs) for name, rs in names.items()}
    return {}
