"""The story's key figures: for each outcome (killed, wounded, killed or wounded), the count each source
gives for the main event as a whole.

A source's figure is its headline: the largest count of that outcome in its text, unless the text says the
count rose ("rose to 126"), when the last such figure is its latest word. Counts that are only part of the
toll ("including six children", "two children and a man"), running totals of a longer conflict, superseded
tolls, vague words ("dozens") and figures for a place none of the story's articles is about never head a
source. A count read from named victims ("a man and his son were killed") is a floor: a report may name
only some of them. Copies speak with their original's voice, so each independent source gives one figure.
The facts holding these figures are marked `key` and shown first; whether they agree is decided as for
every figure (newsweave.align.quantities), where one outlet's or one voice's two figures are an update,
not a disagreement, and so are figures from reports more than a day apart.
"""
from __future__ import annotations

import math
import re

from newsweave.align.source import Source
from newsweave.facts.quantities import OUTCOME_KINDS
from newsweave.records import ArticleFacts, QuantityMention

ROSE = re.compile(r"\b(?:rose|risen|rising|climbed|increased|jumped|grew|reached|updated|now stands? at|"
                  r"revised)\b(?:\s+\w+){0,3}\s*(?:to|at)?\s*$", re.IGNORECASE)


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


def headlines(sources: dict[str, Source], facts: list[ArticleFacts],
              excluded: dict[str, set[int]]) -> set[tuple[str, int]]:
    """(article id, start) of each independent source's headline count of each outcome. `excluded` holds,
    per article, the starts of mentions about somewhere else."""
    by_id = {f.article_id: f for f in facts}
    out: set[tuple[str, int]] = set()
    for counted in sorted(OUTCOME_KINDS):
        done: set[str] = set()
        for aid in sorted(by_id, key=lambda a: (sources[a].root != a, a)):  # an original before its copies
            if sources[aid].root in done:
                continue
            q = headline(by_id[aid], sources[aid].article.text, counted, excluded.get(aid, set()))
            if q is not None:
                done.add(sources[aid].root)
                out.add((aid, q.start))
    return out
