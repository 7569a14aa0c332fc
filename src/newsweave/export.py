"""Data exports (JSON, JSON lines, Parquet). The JSON field names are a contract; more fields may be added,
none renamed. Readable views (Markdown, HTML) are presentation: newsweave.report and newsweave.web."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from newsweave.errors import BadInput

if TYPE_CHECKING:
    from newsweave.api import Newsweave

FORMATS = ("json", "jsonl", "parquet")  # html: newsweave.web.render_report
ARTICLE_FIELDS = ("id", "source", "url", "title", "outlet", "author", "published", "language", "text", "story_id",
                  "copy_of", "credited_origin", "credit_line", "copy_evidence")


def article_record(article, link) -> dict:
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "text": article.text,
        "story_id": article.story_id,
        "copy_of": link.original_id if link else None,
        "credited_origin": article.credited_origin,
        "credit_line": article.credit_line,
        "copy_evidence": dict(link.evidence, method=link.method) if link else None,
    }


DOSSIER_FIELDS = ("facts", "quotes", "timeline", "summary", "coverage")


def build_document(nw: Newsweave, story_ids: list[int] | None = None, dossier: bool = True) -> dict:
    """Articles and stories; with `dossier`, each story also carries its facts, quotes, timeline, summary
    and coverage (computed on first use, then cached in the store). NotFound if a story asked for is none."""
    for story_id in story_ids or ():
        nw.story(story_id)
    links = nw.copy_links()
    stories = [s for s in nw.stories() if story_ids is None or s.id in story_ids]
    wanted = {aid for s in stories for aid in s.article_ids}
    articles = [article_record(a, links.get(a.id)) for a in nw.articles()
                if story_ids is None or a.id in wanted]
    if dossier:
        nw.build_dossiers(story_ids)
    return {"articles": articles, "stories": [story_record(nw, s, dossier) for s in stories]}


def story_record(nw: Newsweave, story, dossier: bool = True) -> dict:
    """One story as the export writes it, with its dossier's facts, quotes, timeline, summary and coverage."""
    record = {"id": story.id, "title": story.title, "article_ids": story.article_ids,
              "independent_sources": story.independent_sources, "first_date": story.first_date,
              "last_date": story.last_date}
    if dossier:
        full = nw.dossier(story.id)
        record.update({k: full[k] for k in DOSSIER_FIELDS})
    return record


def write(document: dict, output: str | Path | None, format: str) -> str | None:
    """Write to `output` (a path), or return the text when output is None or "-" (not for parquet)."""
    if format == "html":
        raise BadInput("html is a readable view, not a data export: newsweave.web.render_report writes it")
    if format not in FORMATS:
        raise BadInput(f"unknown format '{format}' (choose from {', '.join(FORMATS)}, html)")
    if format == "parquet":
        if output in (None, "-"):
            raise BadInput("parquet needs an output file (-o FILE)")
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [dict(a, copy_evidence=json.dumps(a["copy_evidence"]) if a["copy_evidence"] else None)
                for a in document["articles"]]
        # typed here, not guessed from the rows: a column empty in one store (no URLs) would be typed null
        schema = pa.schema([(name, pa.int64() if name == "story_id" else pa.string()) for name in ARTICLE_FIELDS])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), str(output))
        return None
    if format == "json":
        text = json.dumps(document, ensure_ascii=False, indent=2)
    else:
        text = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in document["articles"])
    if output in (None, "-"):
        return text
    Path(output).write_text(text, encoding="utf-8")
    return None
