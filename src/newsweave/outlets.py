"""Who published an article, as a reader is shown it. Light on purpose: alerts, pages and dossiers use it,
and a plain ingest should not load what dossiers need."""
from __future__ import annotations

from pathlib import Path

from newsweave.ingest.readers import host_of
from newsweave.records import Article


def known_outlet(article: Article) -> str | None:
    """The outlet the data names, else its URL's host; None when neither says."""
    return article.outlet or host_of(article.url)


def outlet_label(article: Article) -> str:
    """How a reader is shown who published an article: its outlet (from the data, the page or its credit
    line), else its URL's host, else its headline's first words in quotes (a file name says nothing to a
    reader), else its file."""
    known = known_outlet(article)
    if known:
        return known
    heading = article.title or article.text
    if heading and heading.strip():
        return f"“{_first_words(heading)}”"
    path, _, line = article.source.split("@")[0].rpartition(":")
    if path and line.isdigit():  # a JSON line: the file name alone would name every article in it
        return f"{Path(path).name}:{line}"
    return Path(article.source.split("@")[0]).name or article.id


def _first_words(text: str, words: int = 5, most: int = 40) -> str:
    head = " ".join(text.split()[:words])
    cut = head if len(head) <= most else head[:most].rsplit(" ", 1)[0]
    return cut + ("…" if len(cut) < len(" ".join(text.split())) else "")
