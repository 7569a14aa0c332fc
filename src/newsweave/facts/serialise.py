"""ArticleFacts to and from the JSON the store keeps."""
from __future__ import annotations

import json
from dataclasses import asdict

from newsweave.records import ArticleFacts, DateMention, EntityMention, QuantityMention, QuoteMention


def facts_to_json(facts: ArticleFacts) -> str:
    return json.dumps(asdict(facts), ensure_ascii=False)


def facts_from_json(text: str) -> ArticleFacts:
    d = json.loads(text)
    return ArticleFacts(
        article_id=d["article_id"], base_date=d["base_date"],
        entities=[EntityMention(**e) for e in d["entities"]],
        quantities=[QuantityMention(**q) for q in d["quantities"]],
        dates=[DateMention(**{**x, "sentence": tuple(x["sentence"])}) for x in d["dates"]],
        quotes=[QuoteMention(**{**q, "speaker_span": tuple(q["speaker_span"]) if q["speaker_span"] else None,
                                 "fragments": [tuple(x) for x in q.get("fragments", [])],
                                 "verbatim": [tuple(x) for x in q.get("verbatim", [])]})
                for q in d["quotes"]],
        sentences=[tuple(s) for s in d["sentences"]],
        voices=[tuple(v) for v in d.get("voices", [])],
        lists=[tuple(x) for x in d.get("lists", [])],
    )
