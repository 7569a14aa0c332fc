"""One Jinja2 environment for the UI and the report. Autoescaping is on for every template: article text,
titles and sources are untrusted and are only ever shown as text."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape


def chip_groups(items, labels: dict[str, str]) -> list[dict]:
    """Sources to show as chips, one per outlet: `items` are article ids or evidence records ({article_id,
    start, end}); an outlet several articles of which appear is one chip, linking to the first (at its
    evidence's anchor, for evidence), with a count. Each group: label, article_id, anchor (None for an id),
    count, ids (every article id, for the chip's hover text)."""
    groups: dict[str, dict] = {}
    for item in items:
        evidence = isinstance(item, dict)
        aid = item["article_id"] if evidence else item
        label = labels.get(aid, aid)
        anchor = f"e-{item['start']}-{item['end']}" if evidence else None
        group = groups.setdefault(label, {"label": label, "article_id": aid, "anchor": anchor, "count": 0,
                                          "ids": []})
        if aid not in group["ids"]:
            group["ids"].append(aid)
            group["count"] += 1
    return list(groups.values())


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("newsweave.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals["chip_groups"] = chip_groups
    return env
