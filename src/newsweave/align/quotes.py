"""Quotes across sources: the same words quoted by several sources are one quote; the same words given to
different speakers are a conflict."""
from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsweave.align.groups import components
from newsweave.align.source import Source, clip, sources_label
from newsweave.facts import same_name
from newsweave.facts.quotes import MIN_WORDS
from newsweave.records import ArticleFacts

QUOTE_OVERLAP = 0.6  # share of the shorter quote's words found in the longer one


def _words(text: str) -> set[str]:
    """Content words of a quote, crudely singular: enough to see the same words quoted twice."""
    toks = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]+", text)}
    return {w for w in toks if w not in ENGLISH_STOP_WORDS and len(w) > 1}


def quote_facts(sources: dict[str, Source], facts: list[ArticleFacts]) -> tuple[list[dict], list[dict]]:
    items = [(f.article_id, q, _words(q.text)) for f in facts for q in f.quotes]
    known_names = {e.entity for f in facts for e in f.entities if e.label in ("PERSON", "ORG")}

    def linked(i: int, j: int) -> bool:
        a, b = items[i], items[j]
        if a[1].direct != b[1].direct:
            return False
        small, big = sorted((a[2], b[2]), key=len)
        return len(small) >= MIN_WORDS and len(small & big) >= QUOTE_OVERLAP * len(small)

    quotes, facts_out = [], []
    for group in components(len(items), linked):
        members = [items[i] for i in group]
        speakers: list[tuple[str, str]] = [(sources[aid].root, q.speaker) for aid, q, _ in members if q.speaker]
        # only named speakers can contradict each other: "her rep" and "Jack Ketsoyan" may be one person
        named = [(root, s) for root, s in speakers if s in known_names]
        pool = named or speakers
        names: list[str] = []
        for _, s in pool:
            if not any(same_name(s, n) for n in names):
                names.append(s)
        longest = max(members, key=lambda m: len(m[1].text))[1]
        roots = sorted({sources[aid].root for aid, _, _ in members})
        article_ids = sorted({aid for aid, _, _ in members})
        speaker = None
        if names:  # the name most sources use, written out in full
            top = max(names, key=lambda n: sum(same_name(n, s) for _, s in pool))
            speaker = max((s for _, s in pool if same_name(top, s)), key=len)
        quotes.append({"speaker": speaker, "text": longest.text, "direct": longest.direct,
                       "channel": next((q.channel for _, q, _ in members if q.channel), None),
                       "article_ids": article_ids, "sources": roots,
                       "evidence": [{"article_id": aid, "start": q.start, "end": q.end} for aid, q, _ in members]})
        if named and len(names) > 1:
            by_name = {n: sorted({r for r, s in named if same_name(n, s)}) for n in names}
            status, rule = "conflict", "the same words are given to different speakers: " + "; ".join(
                f"{n} ({', '.join(sources_label(sources, r) for r in rs)})" for n, rs in by_name.items())
        elif len(roots) > 1:
            status, rule = "agreed", f"{len(roots)} independent sources quote it" + (f", all from {speaker}" if speaker else "")
        else:
            status, rule = "single", "one independent source"
        variants = [{"value": q.speaker, "text": q.text, "article_ids": [aid],
                     "evidence": [{"article_id": aid, "start": q.start, "end": q.end}]} for aid, q, _ in members]
        kind = "quote" if longest.direct else "claim"
        facts_out.append({"kind": kind, "status": status, "rule": rule, "sources": roots,
                          "statement": f"{speaker or 'unattributed'}: “{clip(longest.text)}”", "variants": variants})
    return quotes, facts_out
