"""HTML pages: trafilatura extracts the body and metadata; we add the credit lines it leaves in the text."""
from __future__ import annotations

import lxml.html
import trafilatura
from lxml.etree import ParserError

from newsweave.clean.lines import split_lines
from newsweave.clean.text import CleanResult, TextCleaner


def clean_html(html: str, url: str | None = None) -> CleanResult:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False)
    if doc is None or not (doc.text or "").strip():
        return CleanResult(text="")
    lines = split_lines(doc.text)
    # Re-assemble through the text path with every line kept: same credit/byline handling, no re-filtering.
    result = TextCleaner.assemble_lines(lines, [True] * len(lines))
    result.title = doc.title or result.title
    result.published = (doc.date or "")[:10] or result.published
    result.author = doc.author or result.author
    result.site = doc.sitename
    return result


MAX_VISIBLE_HTML = 4_000_000  # characters of a page read for its visible lines


def visible_lines(html: str) -> list[str]:
    """The text a browser would show of a page, one line per block, scripts and styles left out: what the
    cleaner chose from, as a reader can read it (not the markup)."""
    try:
        doc = lxml.html.fromstring(html[:MAX_VISIBLE_HTML])
    except (ParserError, ValueError):
        return [line.strip() for line in html.splitlines() if line.strip()]
    for hidden in doc.xpath("//script|//style|//noscript|//template|//svg|//head/*[not(self::title)]"):
        hidden.drop_tree()
    return [line.strip() for line in doc.text_content().splitlines() if line.strip()]
