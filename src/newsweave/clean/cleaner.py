"""The cleaner: raw documents in, articles out (body text plus recovered metadata)."""
from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from datetime import date

from newsweave.clean.html import clean_html
from newsweave.clean.meta import find_date
from newsweave.clean.text import CleanResult, TextCleaner
from newsweave.options import Options
from newsweave.records import Article, RawDocument


def chrome_group(doc: RawDocument) -> str:
    """Documents of one outlet, or failing that of one folder, share their page chrome."""
    if doc.outlet:
        return doc.outlet
    return os.path.dirname(doc.source.split("@")[0]) or "."


class Cleaner:
    """RawDocument -> Article (None when no article text is left); run as a stage by prepare.CleanStage."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.text = TextCleaner(threshold=self.options.keep_threshold, min_lines=self.options.min_lines_to_classify)

    def repeated_lines(self, docs: list[RawDocument]) -> dict[str, set[str]]:
        """Short lines found in several documents of one group: navigation and forms, not news."""
        per_group: dict[str, Counter] = defaultdict(Counter)
        for doc in docs:
            if doc.kind == "text":
                stripped = (raw.strip() for raw in doc.content.splitlines())
                per_group[chrome_group(doc)].update({t for t in stripped if t and len(t) < 160})
        need = self.options.batch_repeat_docs
        return {g: {t for t, c in counts.items() if c >= need} for g, counts in per_group.items()}

    def clean_one(self, doc: RawDocument, drop_lines: set[str] | frozenset = frozenset()) -> Article | None:
        result = clean_html(doc.content, doc.url) if doc.kind == "html" else self.text.clean(doc.content, drop_lines)
        return self.article_from(doc, result)

    def clean_texts(self, docs: list[tuple[RawDocument, set[str] | frozenset]]) -> list[Article | None]:
        """Several plain-text documents at once (their lines are classified in one pass)."""
        results = self.text.clean_many([(doc.content, drop) for doc, drop in docs])
        return [self.article_from(doc, result) for (doc, _), result in zip(docs, results)]

    def article_from(self, doc: RawDocument, result: CleanResult) -> Article | None:
        if not result.text.strip():
            return None
        return Article(
            id=doc.article_id, source=doc.source, kind=doc.kind, raw=doc.content, text=result.text,
            title=doc.title or result.title, url=doc.url, outlet=doc.outlet or result.site,
            author=doc.author or result.author, published=_iso_date(doc.published) or result.published,
            credited_origin=result.credited_origin, credit_line=result.credit_line,
            removed_chars=max(len(doc.content) - len(result.text), 0),
        )


def _iso_date(value: str | None) -> str | None:
    """Dates given with the input (JSON `published`) -> YYYY-MM-DD, or None if unreadable."""
    if not value:
        return None
    found = find_date(value)
    head = found[0] if found else value.strip()[:10]
    try:  # a real calendar day: "2017-02-30" and "0000-00-00" are none
        return date.fromisoformat(head).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", head) else None
    except ValueError:
        return None
