"""Who published an article, as a reader is shown it. Light on purpose: alerts, pages and dossiers use it,
and a plain ingest should not load what dossiers need."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from newsweave.records import Article


def host_of(url: str | None) -> str | None:
    """A URL's host without "www.", lower-cased; None when there is none."""
    if not url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def known_outlet(article: Article) -> str | None:
    """The outlet the data names, else its URL's host; None when neither says."""
    return outlet_of(article.outlet, article.url)


def outlet_of(outlet: str | None, url: str | None) -> str | None:
    """`known_outlet` from an article's outlet and URL columns alone."""
    return outlet or host_of(url)


def outlet_label(article: Article) -> str:
    """How a reader is shown who published an article: its outlet (from the data, the page or its credit
    line), else its URL's host, else its headline's (or text's) first words in quotes (a file name says
    nothing to a reader)."""
    known = known_outlet(article)
    if known:
        return known
    heading = article.title or article.text
    if heading and heading.strip():
        return f"“{_first_words(heading)}”"
    return source_name(article.source) or article.id


def source_name(source: str) -> str:
    """An input as a shared page names it: a URL whole, a local file by its name alone (with the line or
    archive member that follows it: "articles.jsonl:12"), never the folders of the machine it was read on."""
    if "://" in source:
        return source
    path, at, member = source.partition("@")
    return Path(path).name + at + member


def _first_words(text: str, words: int = 5, most: int = 40) -> str:
    parts = text.split(maxsplit=words)  # the first words and the rest: a long text is not split whole
    head = " ".join(parts[:words])
    cut = head if len(head) <= most else head[:most].rsplit(" ", 1)[0]
    return cut + ("…" if len(parts) > words or len(cut) < len(head) else "")
