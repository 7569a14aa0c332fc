"""Figures across sources: group the mentions that state the same count, then decide agreed, range or
conflict from the intervals their qualifiers allow."""
from __future__ import annotations

import math
import re

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from newsweave.align.groups import constrained_groups, context_similarity
from newsweave.align.key_figures import bounds, headlines
from newsweave.align.records import evidence
from newsweave.align.rules import codes, no_shared, same_fact_allowed
from newsweave.align.source import Source, sources_label
from newsweave.facts.entities import similar_name
from newsweave.facts.quantities import OUTCOME_KINDS as OUTCOMES
from newsweave.records import ArticleFacts, day_number

MIN_CONTEXT = 0.2  # mean context cosine at which two groups of same-kind figures are one fact
SAME_FIGURE_BONUS = 0.3  # added to the context cosine of two mentions giving the same figure
# Figures that cannot both be true stay one fact only if some rival pair shares more context than figures
# that agree need: calling two sources contradictory is the stronger claim. Rival counts of things other than casualties
# (buses, vehicles, towns) mostly count different things, so they need near-identical context.
RIVAL_CONTEXT = 0.25
DETAIL_RIVAL_CONTEXT = 0.6
PART = " (among them)"
LEAD_BONUS = 0.2  # added to the context of two articles' first casualty figures: both speak of the main event


PLACE_LABELS = {"GPE", "LOC", "FAC"}


def _sentence(f: ArticleFacts, q) -> tuple[int, int]:
    """The sentence holding a mention (its own span if the sentences do not cover it)."""
    return next(((s, e) for s, e in f.sentences if s <= q.start < e), (q.start, q.end))


def _anchors(items, by_id: dict[str, ArticleFacts]) -> tuple[list[set[str]], list[set[str]]]:
    """For each item, the places named and the days given in its own sentence."""
    places, when = [], []
    for aid, q in items:
        f = by_id[aid]
        sent = _sentence(f, q)
        places.append({key for e in f.entities if e.label in PLACE_LABELS and sent[0] <= e.start < sent[1]
                       for key in _place(e.entity)})
        when.append({d.date for d in f.dates if d.granularity == "day" and sent[0] <= d.start < sent[1]})
    return places, when


PLACE_NOISE = {"eastern", "western", "northern", "southern", "northeastern", "northwestern", "southeastern",
               "southwestern", "northeast", "northwest", "southeast", "southwest", "central", "the", "province",
               "city", "countryside", "district", "region", "town", "village", "neighbourhood", "neighborhood"}


LEAD_SENTENCES = 2  # the title and first sentence of an article say what its story is about


def _elsewhere(places: list[set[str]], facts: list[ArticleFacts], texts: dict[str, str]) -> np.ndarray:
    """Mentions whose sentence names places, none of them named at the head of any article of the story:
    a figure for somewhere else ("five were also killed in eastern Ghouta" in a story on Aleppo). The heads
    are read word by word, not through the entity tagger, which misses names in title case."""
    story = set()
    for f in facts:
        end = f.sentences[min(LEAD_SENTENCES, len(f.sentences)) - 1][1] if f.sentences else 0
        story |= {_skeleton(w.lower()) for w in re.findall(r"[A-Z][\w'-]+", texts[f.article_id][:end])}
    # "Syrias" (a possessive with its apostrophe lost) is Syria
    return np.array([bool(ps) and not any(p in story or p.removesuffix("s") in story for p in ps) for ps in places])


def _place(name: str) -> set[str]:
    """Comparable keys of a place name: its words without direction or kind words, each reduced to its
    consonants, so that "northwest Idlib province" and "Idlib", "Hasakeh" and "Hasaka", "Douma" and "Duma"
    (one place transliterated two ways) share a key."""
    words = [w for w in re.split(r"[^\w]+", name.lower().replace(".", "")) if w and w not in PLACE_NOISE]
    return {_skeleton(w) for w in words if w != "al"} or {name.lower()}


def _skeleton(word: str) -> str:
    word = re.sub(r"h$", "", word)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy]", "", word)) or word


VOICE_LABELS = {"PERSON", "ORG"}


def _leads(items) -> np.ndarray:
    """The first casualty figure of each article: in a story's articles, the toll of its main event."""
    first: dict[tuple[str, str], int] = {}
    for k, (aid, q) in enumerate(items):
        if q.counted in OUTCOMES and q.who is None:
            key = (aid, q.counted)
            if key not in first or q.start < items[first[key]][1].start:
                first[key] = k
    out = np.zeros(len(items), dtype=bool)
    out[list(first.values())] = True
    return out


def _voices(items, by_id: dict[str, ArticleFacts], texts: dict[str, str]) -> list[set[str]]:
    """Who gives each figure: the named speaker of the statement or sentence holding it ("..., the ministry
    said"), the channel ("according to the Observatory"), or a name heading its sentence ("Defense
    Ministry: 100 killed")."""
    named = {aid: {e.entity for e in f.entities if e.label in VOICE_LABELS} for aid, f in by_id.items()}
    out = []
    for aid, q in items:
        f = by_id[aid]
        voices = {v for c in f.quotes if c.start <= q.start < c.end for v in (c.speaker, c.channel) if v in named[aid]}
        sent = _sentence(f, q)
        voices |= {name for s, e, name in f.voices if s <= q.start < e}
        voices |= {e.entity for e in f.entities if e.label in VOICE_LABELS and sent[0] <= e.start and
                   e.end < q.start and texts[aid][e.end: e.end + 1] == ":"}
        out.append(voices)
    return out


def _same_voice(voices: list[set[str]]) -> np.ndarray:
    """Pairs whose voices hold similar names: the distinct names are compared once, then every pair of
    items at once."""
    names = sorted(set().union(*voices))
    similar = np.zeros((len(names), len(names)), dtype=np.float32)
    for a, x in enumerate(names):
        for b, y in enumerate(names):
            similar[a, b] = similar_name(x, y)
    index = {x: k for k, x in enumerate(names)}
    incidence = np.zeros((len(voices), len(names)), dtype=np.float32)
    for i, vs in enumerate(voices):
        incidence[i, [index[v] for v in vs]] = 1.0
    return (incidence @ similar @ incidence.T) > 0


def _wholes(items, by_id: dict[str, ArticleFacts]) -> list[tuple[float, float] | None]:
    """For each part count ("including five children"), the interval of the whole it is part of ("18
    people" before it in its sentence); None for other counts or when no whole is found."""
    wholes: list[tuple[float, float] | None] = []
    for aid, q in items:
        found = None
        if q.counted.endswith(PART):
            f = by_id[aid]
            sent = _sentence(f, q)
            before = [w for w in f.quantities if w.counted == q.counted.removesuffix(PART) and sent[0] <= w.start < q.start]
            if before:
                found = (before[-1].low, before[-1].high)
        wholes.append(found)
    return wholes


def _rival_wholes(wholes: list[tuple[float, float] | None]) -> np.ndarray:
    """Pairs of part counts whose wholes ("18 people", "15 civilians") cannot both be true: a breakdown of
    two different tolls is not a second disagreement."""
    low = np.array([w[0] if w else np.nan for w in wholes])
    high = np.array([w[1] if w else np.nan for w in wholes])
    return (low[:, None] > high[None, :]) | (low[None, :] > high[:, None])  # NaN (no whole) compares False


def _fmt(v: float) -> str:
    if math.isinf(v):
        return "∞"
    v = round(v, 3)
    return f"{v:,.0f}" if abs(v - round(v)) < 1e-6 else f"{v:,.1f}"


def quantity_facts(sources: dict[str, Source], facts: list[ArticleFacts]) -> list[dict]:
    """Every figure grouped across sources, then the groups holding a source's headline count of an outcome
    marked as the story's key figures (see newsweave.align.key_figures). A count read from named victims
    ("a man and his son were killed") is a floor when compared: a report may name only some of them."""
    by_id = {f.article_id: f for f in facts}
    texts = {aid: src.article.text for aid, src in sources.items()}
    outcome_items = [(f.article_id, q) for f in facts for q in f.quantities if q.counted in OUTCOMES]
    excluded: dict[str, set[int]] = {}
    if outcome_items:
        places, _ = _anchors(outcome_items, by_id)
        for (aid, q), off in zip(outcome_items, _elsewhere(places, facts, texts)):
            if off:
                excluded.setdefault(aid, set()).add(q.start)
    heads = headlines(sources, facts, excluded)
    # counts read from named victims are floors: they never contradict anything, so they are grouped
    # apart, and the figures written out are grouped (and may conflict) as before
    written = [(f.article_id, q) for f in facts for q in f.quantities if q.counted and not q.implicit]
    implicit = [(f.article_id, q) for f in facts for q in f.quantities if q.counted and q.implicit]
    out = _grouped_facts(sources, facts, written) + _grouped_facts(sources, facts, implicit)
    for fact in out:
        marked = [(e["article_id"], e["start"]) in heads for v in fact["variants"] for e in v["evidence"]]
        if any(marked) and fact["counted"] in OUTCOMES:
            fact["key"] = True
            fact["statement"] = fact["statement"].replace(f"{fact['counted']}: ", f"{fact['counted']} (key figure): ", 1)
    return out


def _grouped_facts(sources: dict[str, Source], facts: list[ArticleFacts], items: list) -> list[dict]:
    if not items:
        return []
    context = context_similarity([q.context for _, q in items])
    figure = codes([(q.qualifier, tuple(q.values)) for _, q in items])
    lead = _leads(items)
    context = context + LEAD_BONUS * (lead[:, None] & lead[None, :])
    score = context + SAME_FIGURE_BONUS * (figure[:, None] == figure[None, :])  # the same figure: strong evidence

    by_id = {f.article_id: f for f in facts}
    places, when = _anchors(items, by_id)
    roots_naming: dict[str, set[str]] = {}
    for k, (aid, _) in enumerate(items):
        for p in places[k]:
            roots_naming.setdefault(p, set()).add(sources[aid].root)
    n_roots = len({src.root for src in sources.values()})
    # places most sources name (the country, the city of the story) say nothing about which incident
    distinctive = [{p for p in ps if len(roots_naming[p]) * 2 < n_roots} for ps in places]
    day = {aid: day_number(src.article.published) for aid, src in sources.items()}
    ok = same_fact_allowed(
        [q.counted for _, q in items], [q.who for _, q in items], [tuple(q.values) for _, q in items],
        [q.value for _, q in items], distinctive, when,
        [np.nan if day[aid] is None else day[aid] for aid, _ in items],
        [sources[aid].root for aid, _ in items], [sources[aid].article.outlet or None for aid, _ in items])

    wholes = _wholes(items, by_id)
    low = np.array([q.low for _, q in items])
    # the part of an open toll is open too: "at least 21 killed, including two children" says at least two
    high = np.array([math.inf if w and math.isinf(w[1]) else bounds(q)[1] for (_, q), w in zip(items, wholes)])
    rivals = (low[:, None] > high[None, :]) | (low[None, :] > high[:, None])
    # a figure for a place the story is not about is a different count unless the other names that place too
    texts = {aid: src.article.text for aid, src in sources.items()}
    off = _elsewhere(places, facts, texts)
    ok &= ~(rivals & (off[:, None] | off[None, :]) & no_shared(places))
    vague = np.array([q.qualifier == "vague" for _, q in items])
    ok &= ~(rivals & (vague[:, None] | vague[None, :]))  # "scores" is no figure to contradict "122" with
    outcome = np.array([q.counted.removesuffix(PART) in OUTCOMES for _, q in items])
    need = np.where(outcome[:, None] & outcome[None, :], RIVAL_CONTEXT, DETAIL_RIVAL_CONTEXT)
    ok &= ~_rival_wholes(wholes)
    # one voice giving two figures (a ministry, the Observatory) has updated itself or counted two things;
    # outlets relaying it are not independent witnesses of a disagreement
    ok &= ~(rivals & _same_voice(_voices(items, by_id, texts)))

    def grouped() -> list[list[int]]:
        """Average linkage can only join items linked by at least one allowed pair at the threshold:
        group within those connected parts, each small."""
        _, part = connected_components(csr_matrix(ok & (score >= MIN_CONTEXT)), directed=False)
        out = []
        for label in np.unique(part):
            members = np.flatnonzero(part == label)
            for g in constrained_groups(len(members), score[np.ix_(members, members)],
                                        ok[np.ix_(members, members)], MIN_CONTEXT):
                g = members[g]
                pairs = np.ix_(g, g)
                if rivals[pairs].any() and not (rivals[pairs] & (context[pairs] >= need[pairs])).any():
                    # no rival pair shares enough context to call it a contradiction: keep what agrees
                    out += [sorted(int(g[m]) for m in h) for h in constrained_groups(
                        len(g), score[pairs], ok[pairs] & ~rivals[pairs], MIN_CONTEXT)]
                else:
                    out.append(sorted(int(m) for m in g))
        return sorted(out)

    out = []
    for group in grouped():
        members = [items[i] for i in group]
        variants: dict[tuple, dict] = {}
        per_source: dict[str, tuple[float, float, str, list[float]]] = {}
        for i in group:
            aid, q = items[i]
            key = (q.qualifier, tuple(q.values), q.text.lower())
            v = variants.setdefault(key, {"value": q.values[0] if len(q.values) == 1 else list(q.values),
                                          "qualifier": q.qualifier, "low": q.low, "high": high[i],
                                          "text": q.text, "article_ids": [], "evidence": []})
            if aid not in v["article_ids"]:
                v["article_ids"].append(aid)
            v["evidence"].append(evidence(aid, q.start, q.end))
            per_source.setdefault(sources[aid].root, (q.low, high[i], q.text, q.values))
        status, rule = _quantity_status(per_source, sources)
        counted = members[0][1].counted
        nouns = [q.noun for _, q in members if q.noun]
        label = counted if counted in ("killed", "wounded", "killed or wounded") else (nouns[0] if nouns else counted)
        if counted == "day":
            label = "duration"
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
