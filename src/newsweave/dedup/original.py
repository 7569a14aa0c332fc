"""Which of a group of copies is the original, and the evidence for it: a credit line naming the other
outlet, an earlier date, less page chrome around the same text, or failing all of these the order of ingest."""
from __future__ import annotations

import re

from newsweave.outlets import host_of
from newsweave.records import Article


def _norm(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "", (name or "").lower().removeprefix("the "))


def _names(article: Article) -> set[str]:
    names = {_norm(article.outlet)} if article.outlet else set()
    host = host_of(article.url)
    if host:
        names.add(_norm(host.rsplit(".", 1)[0]))
    return {n for n in names if n}


def _chrome(article: Article) -> float:
    """Share of the raw input the cleaner removed (raw = text + removed, so the raw input need not be read)."""
    return article.removed_chars / max(article.removed_chars + len(article.text), 1)


def more_original(a: Article, b: Article) -> tuple[Article, str]:
    """Which of two copies is the original, and why."""
    for x, y in ((a, b), (b, a)):
        credit = _norm(x.credited_origin)
        if credit and any(credit in n or n in credit for n in _names(y)):
            return y, f"{x.id} credits {y.outlet or y.id}"
    if a.published and b.published and a.published != b.published:
        first = a if a.published < b.published else b
        return first, "published earlier"
    ca, cb = _chrome(a), _chrome(b)
    if abs(ca - cb) > 0.1:
        return (a, "less page chrome around the same text") if ca < cb else (b, "less page chrome around the same text")
    first = a if (a.seq or 0) <= (b.seq or 0) else b
    return first, "ingested first (no other evidence)"


def pick_original(members: list[Article]) -> tuple[Article, str]:
    best, reason = members[0], "only member"
    for other in members[1:]:
        best, reason = more_original(best, other)
    return best, reason
