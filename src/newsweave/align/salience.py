"""What a reader needs first among a story's facts, and what repeats another fact.

Facts are ordered by status (conflicts, ranges, agreed, single), key figures first, then by independent
sources, then by salience: how much of the story's shared vocabulary a fact uses (words that two or more
independent sources write), per square root of its own words, so that "the ferry capsized near the harbour"
comes before "the weather was mild" when each has one source, and a long quote does not win on length.
A claim whose every span lies inside another claim of the same article says nothing the longer one does not:
it is folded into it.
"""
from __future__ import annotations

import math
from collections import defaultdict

from newsweave.align.source import Source
from newsweave.cluster.features import stop_words
from newsweave.tokens import units

SAID = ("claim", "quote")  # kinds whose facts are spans of reported speech


def _terms(text: str, stop: frozenset[str]) -> set[str]:
    return {w for w in units(text) if len(w) > 2 and w not in stop and not w.isdigit()}


def shared_vocabulary(sources: dict[str, Source]) -> set[str]:
    """Words that two or more independent sources use (an original and its copies are one source)."""
    by_root: dict[str, set[str]] = defaultdict(set)
    for src in sources.values():
        by_root[src.root] |= _terms(src.article.text, stop_words(src.article.language))
    seen: dict[str, int] = defaultdict(int)
    for words in by_root.values():
        for w in words:
            seen[w] += 1
    return {w for w, n in seen.items() if n >= 2}


def salience(fact: dict, shared: set[str], stop: frozenset[str]) -> float:
    text = " ".join([fact.get("statement", "")] + [str(v.get("text", "")) for v in fact["variants"]])
    words = _terms(text, stop)
    return len(words & shared) / math.sqrt(len(words)) if words else 0.0


def _spans(fact: dict) -> list[tuple[str, int, int]]:
    return [(e["article_id"], e["start"], e["end"]) for v in fact["variants"] for e in v.get("evidence", ())]


def fold_nested_claims(facts: list[dict]) -> list[dict]:
    """Drop each single-source claim or quote all of whose spans lie inside the spans of one other such fact
    ("their sons' portraits in tears" inside "Family members ... were shown touching their sons' portraits
    in tears")."""
    said = [f for f in facts if f["kind"] in SAID and f["status"] == "single"]
    spans = {id(f): _spans(f) for f in said}
    length = {id(f): sum(b - a for _, a, b in spans[id(f)]) for f in said}

    def inside(small: dict, big: dict) -> bool:
        outer = spans[id(big)]
        return bool(spans[id(small)]) and all(any(art == o_art and o_a <= a and b <= o_b for o_art, o_a, o_b in outer)
                                              for art, a, b in spans[id(small)])

    folded = set()
    for f in said:
        for g in said:
            if g is not f and id(g) not in folded and length[id(g)] > length[id(f)] and inside(f, g):
                folded.add(id(f))
                break
    return [f for f in facts if id(f) not in folded]


def rank(facts: list[dict], sources: dict[str, Source], status_order: dict[str, int]) -> list[dict]:
    """The facts in the order a reader needs them (see the module's docstring)."""
    shared = shared_vocabulary(sources)
    languages = [s.article.language for s in sources.values() if s.article.language]
    stop = stop_words(max(set(languages), key=languages.count) if languages else None)
    score = {id(f): salience(f, shared, stop) for f in facts}
    return sorted(facts, key=lambda f: (status_order[f["status"]], not f.get("key"), -len(f["sources"]),
                                        -round(score[id(f)], 6), f["kind"]))
