"""HTML pages: trafilatura extracts the body and metadata; we add the credit lines it leaves in the text."""
from __future__ import annotations

import trafilatura

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
