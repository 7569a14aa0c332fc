"""Alerts: what changed in a story when new articles joined it, with the evidence.

Three kinds, each naming the story:
- "new_source": an independent source (an original, not a copy of one already there) joined the story;
- "new_conflict": a fact whose sources disagree and did not before;
- "key_figure_changed": one of the story's key figures (killed, wounded) reads differently.
Sources come from the store; conflicts and key figures are read from the dossier built before the new
articles came and the one built after (a story with no dossier before has nothing to compare with).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from newsweave.outlets import outlet_label
from newsweave.records import Article


@dataclass
class Alert:
    story_id: int
    title: str | None
    kind: str  # new_source, new_conflict, key_figure_changed
    what: str  # one line a reader understands
    evidence: list[dict] = field(default_factory=list)  # {article_id, outlet, title, url, start, end, text}

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _topic(fact: dict) -> str:
    """What a fact is about, whatever its values: "killed", "ceremony held"."""
    if fact.get("counted"):
        return fact["counted"]
    statement = fact["statement"].split(":")[0]
    return statement.split(" on ")[0].strip()


def _values(fact: dict) -> list[str]:
    return sorted({json.dumps(v["value"], sort_keys=True) for v in fact["variants"]})


def _evidence(fact: dict, articles: dict[str, Article]) -> list[dict]:
    out = []
    for variant in fact["variants"]:
        for ev in variant["evidence"][:3]:
            a = articles.get(ev["article_id"])
            out.append({"article_id": ev["article_id"], "outlet": outlet_label(a) if a else None,
                        "title": a.title if a else None, "url": a.url if a else None, "start": ev["start"],
                        "end": ev["end"], "text": a.text[ev["start"]:ev["end"]] if a else variant["text"]})
    return out


def source_alerts(story_id: int, title: str | None, new_roots: list[Article]) -> list[Alert]:
    """One alert per independent source that joined an existing story (`new_roots`: their originals)."""
    return [Alert(story_id, title, "new_source", f"new independent source: {outlet_label(a)}",
                  [{"article_id": a.id, "outlet": outlet_label(a), "title": a.title, "url": a.url,
                    "start": 0, "end": min(len(a.text), 200), "text": a.text[:200]}]) for a in new_roots]


def dossier_alerts(story_id: int, title: str | None, old: dict | None, new: dict,
                   articles: dict[str, Article]) -> list[Alert]:
    """New conflicts and changed key figures between the dossier before and after."""
    if old is None:
        return []
    alerts = []
    old_conflicts = {(f["kind"], _topic(f)) for f in old["facts"] if f["status"] == "conflict"}
    for f in new["facts"]:
        if f["status"] == "conflict" and (f["kind"], _topic(f)) not in old_conflicts:
            alerts.append(Alert(story_id, title, "new_conflict", f"sources now disagree: {f['statement']}",
                                _evidence(f, articles)))
    old_keys = {_topic(f): f for f in old["facts"] if f.get("key")}
    for f in new["facts"]:
        if not f.get("key"):
            continue
        before = old_keys.get(_topic(f))
        if before is not None and _values(before) == _values(f):
            continue
        was = before["statement"].split(": ", 1)[-1] if before else "none"
        alerts.append(Alert(story_id, title, "key_figure_changed",
                            f"{_topic(f)}: was {was}, now {f['statement'].split(': ', 1)[-1]}", _evidence(f, articles)))
    return alerts


def post_alerts(url: str, alerts: list[Alert], options) -> list[str]:
    """POST each alert as JSON to a webhook; returns one line per alert that could not be delivered."""
    import httpx

    problems = []
    with httpx.Client(timeout=options.fetch_timeout, headers={"User-Agent": options.user_agent}) as client:
        for alert in alerts:
            try:
                client.post(url, json=alert.to_dict()).raise_for_status()
            except httpx.HTTPError as e:
                problems.append(f"webhook {url}: alert on story {alert.story_id} not delivered ({type(e).__name__}: "
                                f"{str(e)[:120]})")
    return problems
