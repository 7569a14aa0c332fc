"""Align: one story's per-article facts in, its dossier out.

Items that state the same thing across articles are grouped (same counted thing, compatible magnitude, shared
context words); each group gets a status with the rule that decided it. Sources are independent sources:
an article and its copies are one source, so a copy can never corroborate or contradict its original.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsweave.align.groups import components, constrained_groups, context_similarity
from newsweave.align.rules import same_fact_allowed
from newsweave.align.summary import summarise
from newsweave.facts import same_name
from newsweave.facts.quotes import MIN_WORDS
from newsweave.records import Article, ArticleFacts

MIN_CONTEXT = 0.2  # mean context cosine at which two groups of same-kind figures are one fact
SAME_FIGURE_BONUS = 0.3  # added to the context cosine of two mentions giving the same figure
QUOTE_OVERLAP = 0.6  # share of the shorter quote's words found in the longer one


@dataclass
class Source:
    """An article as a witness: `root` is the original it copies (itself if none); `label` names its outlet."""

    article: Article
    root: str
    label: str


PLACE_LABELS = {"GPE", "LOC", "FAC"}


def _anchors(items, facts: list[ArticleFacts]) -> tuple[list[set[str]], list[set[str]]]:
    """For each item, the places named and the days given in its own sentence."""
    by_id = {f.article_id: f for f in facts}
    places, when = [], []
    for aid, q in items:
        f = by_id[aid]
        sent = next(((s, e) for s, e in f.sentences if s <= q.start < e), (q.start, q.end))
        places.append({_place(e.entity) for e in f.entities if e.label in PLACE_LABELS and sent[0] <= e.start < sent[1]})
        when.append({d.date for d in f.dates if d.granularity == "day" and sent[0] <= d.start < sent[1]})
    return places, when


PLACE_NOISE = {"eastern", "western", "northern", "southern", "northeastern", "northwestern", "southeastern",
               "southwestern", "northeast", "northwest", "southeast", "southwest", "central", "the", "province",
               "city", "countryside", "district", "region", "town", "village", "neighbourhood", "neighborhood"}


def _place(name: str) -> str:
    """ "northwest Idlib province" and "Idlib" are one place for telling incidents apart."""
    words = [w for w in re.split(r"[^\w-]+", name.lower()) if w and w not in PLACE_NOISE]
    return " ".join(words) or name.lower()


def _codes_of(values: list) -> np.ndarray:
    table: dict = {}
    return np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int64)


def _ordinal(value: str | None) -> int | None:
    try:
        return date.fromisoformat(value[:10]).toordinal() if value else None
    except ValueError:
        return None


def _fmt(v: float) -> str:
    if math.isinf(v):
        return "∞"
    v = round(v, 3)
    return f"{v:,.0f}" if abs(v - round(v)) < 1e-6 else f"{v:,.1f}"


def _quantity_facts(sources: dict[str, Source], facts: list[ArticleFacts]) -> list[dict]:
    items = [(f.article_id, q) for f in facts for q in f.quantities if q.counted]
    if not items:
        return []
    score = context_similarity([q.context for _, q in items])
    figure = _codes_of([(q.qualifier, tuple(q.values)) for _, q in items])
    score += SAME_FIGURE_BONUS * (figure[:, None] == figure[None, :])  # the same figure: strong evidence

    places, when = _anchors(items, facts)
    roots_naming: dict[str, set[str]] = {}
    for k, (aid, _) in enumerate(items):
        for p in places[k]:
            roots_naming.setdefault(p, set()).add(sources[aid].root)
    n_roots = len({src.root for src in sources.values()})
    # places most sources name (the country, the city of the story) say nothing about which incident
    distinctive = [{p for p in ps if len(roots_naming[p]) * 2 < n_roots} for ps in places]
    day = {aid: _ordinal(src.article.published) for aid, src in sources.items()}
    ok = same_fact_allowed(
        [q.counted for _, q in items], [q.who for _, q in items], [tuple(q.values) for _, q in items],
        [q.value for _, q in items], distinctive, when,
        [np.nan if day[aid] is None else day[aid] for aid, _ in items],
        [sources[aid].root for aid, _ in items], [sources[aid].article.outlet or None for aid, _ in items])

    def grouped() -> list[list[int]]:
        """Average linkage can only join items linked by at least one allowed pair at the threshold:
        group within those connected parts, each small."""
        _, part = connected_components(csr_matrix(ok & (score >= MIN_CONTEXT)), directed=False)
        out = []
        for label in np.unique(part):
            members = np.flatnonzero(part == label)
            for g in constrained_groups(len(members), score[np.ix_(members, members)],
                                        ok[np.ix_(members, members)], MIN_CONTEXT):
                out.append(sorted(int(members[m]) for m in g))
        return sorted(out)

    out = []
    for group in grouped():
        members = [items[i] for i in group]
        variants: dict[tuple, dict] = {}
        per_source: dict[str, tuple[float, float, str, list[float]]] = {}
        for aid, q in members:
            key = (q.qualifier, tuple(q.values), q.text.lower())
            v = variants.setdefault(key, {"value": q.values[0] if len(q.values) == 1 else list(q.values),
                                          "qualifier": q.qualifier, "low": q.low, "high": q.high,
                                          "text": q.text, "article_ids": [], "evidence": []})
            if aid not in v["article_ids"]:
                v["article_ids"].append(aid)
            v["evidence"].append({"article_id": aid, "start": q.start, "end": q.end})
            per_source.setdefault(sources[aid].root, (q.low, q.high, q.text, q.values))
        status, rule = _quantity_status(per_source, sources)
        counted = members[0][1].counted
        nouns = [q.noun for _, q in members if q.noun]
        label = counted if counted in ("killed", "wounded", "killed or wounded") else (nouns[0] if nouns else counted)
        if counted == "day":
            label = "duration in days"
        shown = sorted(variants.values(), key=lambda v: (-len(v["article_ids"]), v["low"]))
        out.append({"kind": "quantity", "counted": counted, "status": status, "rule": rule,
                    "statement": f"{label}: " + " / ".join(v["text"] for v in shown),
                    "sources": sorted(per_source), "variants": shown})
    return out


def _quantity_status(per_source: dict, sources: dict[str, Source]) -> tuple[str, str]:
    if len(per_source) == 1:
        return "single", "one independent source"
    lows = [lo for lo, _, _, _ in per_source.values()]
    highs = [hi for _, hi, _, _ in per_source.values()]
    values = {tuple(v) for _, _, _, v in per_source.values()}
    n = len(per_source)
    if max(lows) <= min(highs):
        if len(values) == 1:
            return "agreed", f"{n} independent sources give the same figure"
        given = [x for _, _, _, v in per_source.values() for x in v]
        return "range", (f"{n} independent sources give figures from {_fmt(min(given))} to {_fmt(max(given))}; "
                         f"their qualifiers leave a common interval {_fmt(max(lows))}–{_fmt(min(highs))}")
    # name one pair that cannot both be true: the highest floor against the lowest ceiling
    (r_hi, lo_src), (r_lo, hi_src) = (max(per_source.items(), key=lambda kv: kv[1][0]),
                                      min(per_source.items(), key=lambda kv: kv[1][1]))
    return "conflict", (f"“{lo_src[2]}” ({sources_label(sources, r_hi)}) and “{hi_src[2]}” "
                        f"({sources_label(sources, r_lo)}) cannot both be true: "
                        f"one allows at least {_fmt(lo_src[0])}, the other at most {_fmt(hi_src[1])}")


def sources_label(sources: dict[str, Source], root: str) -> str:
    return sources[root].label if root in sources else root


def _words(text: str) -> set[str]:
    """Content words of a quote, crudely singular: enough to see the same words quoted twice."""
    toks = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]+", text)}
    return {w for w in toks if w not in ENGLISH_STOP_WORDS and len(w) > 1}


def _quotes(sources: dict[str, Source], facts: list[ArticleFacts]) -> tuple[list[dict], list[dict]]:
    items = [(f.article_id, q, _words(q.text)) for f in facts for q in f.quotes]

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
        names: list[str] = []
        for _, s in speakers:
            if not any(same_name(s, n) for n in names):
                names.append(s)
        longest = max(members, key=lambda m: len(m[1].text))[1]
        roots = sorted({sources[aid].root for aid, _, _ in members})
        article_ids = sorted({aid for aid, _, _ in members})
        speaker = None
        if names:  # the name most sources use, written out in full
            top = max(names, key=lambda n: sum(same_name(n, s) for _, s in speakers))
            speaker = max((s for _, s in speakers if same_name(top, s)), key=len)
        quotes.append({"speaker": speaker, "text": longest.text, "direct": longest.direct,
                       "channel": next((q.channel for _, q, _ in members if q.channel), None),
                       "article_ids": article_ids, "sources": roots,
                       "evidence": [{"article_id": aid, "start": q.start, "end": q.end} for aid, q, _ in members]})
        if len(names) > 1:
            by_name = {n: sorted({r for r, s in speakers if same_name(n, s)}) for n in names}
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
                          "statement": f"{speaker or 'unattributed'}: “{_clip(longest.text)}”", "variants": variants})
    return quotes, facts_out


def _clip(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _timeline(sources: dict[str, Source], facts: list[ArticleFacts], texts: dict[str, str]) -> tuple[list[dict], list[dict]]:
    items = [(f.article_id, d) for f in facts for d in f.dates]
    sim = context_similarity([d.context for _, d in items])

    def linked(i: int, j: int) -> bool:
        (_, a), (_, b) = items[i], items[j]
        return a.date == b.date and (a.event == b.event or sim[i, j] >= MIN_CONTEXT)

    timeline, out = [], []
    for group in components(len(items), linked):
        members = [items[i] for i in group]
        roots = sorted({sources[aid].root for aid, _ in members})
        aid, first = min(members, key=lambda m: (m[1].sentence[1] - m[1].sentence[0]))
        sentence = texts[aid][first.sentence[0]: first.sentence[1]].strip()
        evidence = [{"article_id": a, "start": d.start, "end": d.end} for a, d in members]
        timeline.append({"date": first.date, "granularity": first.granularity, "event": first.event,
                         "text": _clip(sentence, 240), "article_ids": sorted({a for a, _ in members}),
                         "sources": roots, "relative": any(d.relative for _, d in members), "evidence": evidence})
        status = "agreed" if len(roots) > 1 else "single"
        out.append({"kind": "date", "status": status,
                    "rule": f"{len(roots)} independent sources date it {first.date}" if len(roots) > 1 else "one independent source",
                    "statement": f"{first.event or 'event'} on {first.date}", "sources": roots,
                    "variants": [{"value": d.date, "text": d.text, "article_ids": [a],
                                  "evidence": [{"article_id": a, "start": d.start, "end": d.end}]} for a, d in members]})
    timeline.sort(key=lambda t: (t["date"], -len(t["sources"])))
    return timeline, out


def _entity_facts(sources: dict[str, Source], facts: list[ArticleFacts]) -> list[dict]:
    """Named organisations, units and events that several independent sources name: agreed facts of who."""
    items = [(f.article_id, e) for f in facts for e in f.entities if e.label in ENTITY_FACT_LABELS]
    names = sorted({e.entity for _, e in items})  # compare each distinct name once, not each mention

    out = []
    for group in components(len(names), lambda i, j: same_name(names[i], names[j])):
        chosen = {names[i] for i in group}
        members = [(aid, e) for aid, e in items if e.entity in chosen]
        roots = sorted({sources[aid].root for aid, _ in members})
        if len(roots) < 2:
            continue
        name = max((e.entity for _, e in members), key=len)
        out.append({"kind": "entity", "status": "agreed", "rule": f"{len(roots)} independent sources name it",
                    "statement": name, "sources": roots,
                    "variants": [{"value": name, "text": members[0][1].text,
                                  "article_ids": sorted({aid for aid, _ in members}),
                                  "evidence": [{"article_id": aid, "start": e.start, "end": e.end}
                                               for aid, e in members]}]})
    return out


ENTITY_FACT_LABELS = {"ORG", "FAC", "EVENT"}
STATUS_ORDER = {"conflict": 0, "range": 1, "agreed": 2, "single": 3}


def build_dossier(sources: dict[str, Source], facts: list[ArticleFacts]) -> dict:
    """sources: article id -> Source for every member of the story; facts: their extractions."""
    texts = {aid: s.article.text for aid, s in sources.items()}
    quantity_facts = _quantity_facts(sources, facts)
    quotes, quote_facts = _quotes(sources, facts)
    timeline, date_facts = _timeline(sources, facts, texts)
    all_facts = quantity_facts + quote_facts + date_facts + _entity_facts(sources, facts)
    all_facts.sort(key=lambda f: (STATUS_ORDER[f["status"]], -len(f["sources"]), f["kind"]))
    for n, fact in enumerate(all_facts, 1):
        fact["id"] = f"f{n}"
    coverage: dict[str, dict[str, list[str]]] = {}
    for aid, src in sources.items():
        mine = {f["id"] for f in all_facts if any(aid in v["article_ids"] for v in f["variants"])}
        entry = coverage.setdefault(src.label, {"reports": set(), "omits": set()})
        entry["reports"] |= mine
    ids = [f["id"] for f in all_facts]
    coverage = {label: {"reports": [i for i in ids if i in e["reports"]],
                        "omits": [i for i in ids if i not in e["reports"]]} for label, e in sorted(coverage.items())}
    summary = summarise(sources, facts)
    return {"facts": all_facts, "quotes": quotes, "timeline": timeline, "summary": summary, "coverage": coverage}
