"""The story's key figures: for each outcome (killed, wounded, killed or wounded), the figure each source
gives for the main event as a whole, and whether the sources agree.

A source's figure is its headline: the largest count of that outcome in its text, unless the text says the
count rose ("rose to 126"), when the last such figure is its latest word. A count read from named victims
("a man and his son were killed") is a floor: the report may name only some of them. Counts
that are only part of the toll ("including six children"), running totals of a longer conflict, superseded
tolls, vague words ("dozens") and figures for a place none of the story's articles is about never head a
source. Copies speak with their original's voice, so each independent source gives one figure.

Updates: one outlet's articles (not copies of each other) are one voice over time; its latest article
gives its figure and the earlier ones are shown as updates. Between different outlets, figures that cannot
both be true are a `conflict` when their articles appeared within MAX_DAYS_APART of each other (or are
undated); when they only differ across days, the later count replaced the earlier (`updated`).
"""
from __future__ import annotations

import math
import re

from newsweave.align.rules import MAX_DAYS_APART
from newsweave.align.source import Source, sources_label
from newsweave.records import ArticleFacts, QuantityMention, day_number

OUTCOMES = ("killed", "wounded", "killed or wounded")
ROSE = re.compile(r"\b(?:rose|risen|rising|climbed|increased|jumped|grew|reached|updated|now stands? at|"
                  r"revised)\b(?:\s+\w+){0,3}\s*(?:to|at)?\s*$", re.IGNORECASE)


def _fmt(v: float) -> str:
    if math.isinf(v):
        return "∞"
    return f"{v:,.0f}" if abs(v - round(v)) < 1e-6 else f"{v:,.1f}"


def headline(f: ArticleFacts, text: str, counted: str, excluded: set[int]) -> QuantityMention | None:
    """One article's figure for an outcome: its largest plain count, or its last "rose to" figure."""
    plain = [q for q in f.quantities if q.counted == counted and q.qualifier != "vague" and q.start not in excluded]
    if not plain:
        return None
    rose = [q for q in plain if ROSE.search(text[max(q.start - 40, 0): q.start])]
    # the largest count: parts, running totals and other places are set aside already, so what is left
    # is the toll and the counts of some of its victims; on a tie, the first written
    return rose[-1] if rose else max(plain, key=lambda q: (q.low, not q.implicit, -q.start))


def bounds(q: QuantityMention) -> tuple[float, float]:
    """What a key figure allows of the whole toll: a count read from named victims ("a man and his son")
    says at least that many died, since a report may name only some of them."""
    return q.low, (math.inf if q.implicit and q.value > 0 else q.high)


def key_figures(sources: dict[str, Source], facts: list[ArticleFacts],
                excluded: dict[str, set[int]]) -> tuple[list[dict], set[tuple[str, int]]]:
    """Key-figure facts, and the (article id, start) of the mentions they use. `excluded` holds, per
    article, the starts of mentions about somewhere else."""
    by_id = {f.article_id: f for f in facts}
    out, used = [], set()
    for counted in OUTCOMES:
        per_root: dict[str, tuple[str, QuantityMention]] = {}
        for aid in sorted(by_id, key=lambda a: (sources[a].root != a, a)):  # an original before its copies
            root = sources[aid].root
            if root in per_root:
                continue
            q = headline(by_id[aid], sources[aid].article.text, counted, excluded.get(aid, set()))
            if q is not None:
                per_root[root] = (aid, q)
        if not per_root:
            continue
        # one outlet's articles over time: the latest speaks for it
        per_outlet: dict[str, list[tuple[str, str, QuantityMention]]] = {}
        for root, (aid, q) in per_root.items():
            per_outlet.setdefault(sources[aid].label, []).append((root, aid, q))
        current, earlier = [], []
        for label, rows in per_outlet.items():
            rows.sort(key=lambda r: (sources[r[1]].article.published or "", sources[r[1]].article.seq or 0))
            current.append(rows[-1])
            earlier += rows[:-1]
        status, rule = _status(current, sources)
        if earlier and status in ("single", "agreed"):
            figures = {tuple(q.values) for _, _, q in earlier + current}
            if len(figures) > 1:
                status = "updated" if status == "single" else status
                rule += "; " + "; ".join(f"{sources[aid].label} gave “{q.text}” in an earlier report"
                                         for _, aid, q in earlier)
        variants = []
        for root, aid, q in current + earlier:
            used.add((aid, q.start))
            variants.append({"value": q.values[0] if len(q.values) == 1 else list(q.values),
                             "qualifier": q.qualifier, "low": q.low, "high": q.high, "text": q.text,
                             "implicit": q.implicit, "update_of_outlet": (root, aid, q) in earlier,
                             "article_ids": sorted(a for a, s in sources.items() if s.root == root),
                             "evidence": [{"article_id": aid, "start": q.start, "end": q.end}]})
        variants.sort(key=lambda v: (v["update_of_outlet"], v["low"]))
        shown = " / ".join(dict.fromkeys(
            (_fmt(v["low"]) if v["implicit"] else v["text"]) for v in variants))
        out.append({"kind": "quantity", "counted": counted, "key": True, "status": status, "rule": rule,
                    "statement": f"{counted} (key figure): {shown}",
                    "sources": sorted(per_root), "variants": variants})
    return out, used


def _status(rows: list[tuple[str, str, QuantityMention]], sources: dict[str, Source]) -> tuple[str, str]:
    if len(rows) == 1:
        return "single", "one independent source gives a figure for the whole event"
    lows = [bounds(q)[0] for _, _, q in rows]
    highs = [bounds(q)[1] for _, _, q in rows]
    n = len(rows)
    if max(lows) <= min(highs):
        if len({tuple(q.values) for _, _, q in rows}) == 1:
            return "agreed", f"{n} independent sources give the same figure for the whole event"
        given = [x for _, _, q in rows for x in q.values]
        return "range", (f"{n} independent sources give figures from {_fmt(min(given))} to {_fmt(max(given))}; "
                         f"their qualifiers leave a common interval {_fmt(max(lows))}–{_fmt(min(highs))}")
    day = [day_number(sources[aid].article.published) for _, aid, _ in rows]
    rivals = [(i, j) for i in range(n) for j in range(n) if lows[i] > highs[j]]
    same_time = [(i, j) for i, j in rivals
                 if day[i] is None or day[j] is None or abs(day[i] - day[j]) <= MAX_DAYS_APART]
    if same_time:
        i, j = max(same_time, key=lambda p: lows[p[0]] - highs[p[1]])
        a, b = rows[i], rows[j]
        return "conflict", (f"“{a[2].text}” ({sources_label(sources, a[0])}) and “{b[2].text}” "
                            f"({sources_label(sources, b[0])}) cannot both be true of the whole event: one allows "
                            f"at least {_fmt(lows[i])}, the other at most {_fmt(highs[j])}")
    latest = max(range(n), key=lambda k: day[k] or 0)
    return "updated", (f"the figures differ only between reports more than {MAX_DAYS_APART} day apart; the "
                       f"latest, {sources[rows[latest][1]].article.published}, gives “{rows[latest][2].text}” "
                       f"({sources_label(sources, rows[latest][0])})")
