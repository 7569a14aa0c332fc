"""A story's dossier built from its articles' facts: facts grouped and ranked, quotes, timeline, summary and
each outlet's coverage."""
from __future__ import annotations

from newsweave.align.events import entity_facts, timeline_facts
from newsweave.align.quantities import quantity_facts
from newsweave.align.quotes import quote_facts
from newsweave.align.salience import fold_nested_claims, rank
from newsweave.align.source import Source
from newsweave.align.summary import summarise
from newsweave.records import ArticleFacts

STATUS_ORDER = {"conflict": 0, "range": 1, "agreed": 2, "single": 3}


def build_dossier(sources: dict[str, Source], facts: list[ArticleFacts]) -> dict:
    """sources: article id -> Source for every member of the story; facts: their extractions."""
    texts = {aid: s.article.text for aid, s in sources.items()}
    quotes, said = quote_facts(sources, facts)
    timeline, dated = timeline_facts(sources, facts, texts)
    all_facts = fold_nested_claims(quantity_facts(sources, facts) + said + dated + entity_facts(sources, facts))
    all_facts = rank(all_facts, sources, STATUS_ORDER)
    for n, fact in enumerate(all_facts, 1):
        fact["id"] = f"f{n}"
    return {"facts": all_facts, "quotes": quotes, "timeline": timeline, "summary": summarise(sources, facts, all_facts),
            "coverage": coverage(sources, all_facts)}


def coverage(sources: dict[str, Source], facts: list[dict]) -> dict[str, dict[str, list[str]]]:
    """For each outlet, the facts it reports and those it omits."""
    reported: dict[str, set[str]] = {src.label: set() for src in sources.values()}
    for fact in facts:
        for v in fact["variants"]:
            for aid in v["article_ids"]:
                reported[sources[aid].label].add(fact["id"])
    ids = [f["id"] for f in facts]
    return {label: {"reports": [i for i in ids if i in got], "omits": [i for i in ids if i not in got]}
            for label, got in sorted(reported.items())}
