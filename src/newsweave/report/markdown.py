"""A story as Markdown, for the terminal."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsweave.api import Newsweave


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def story_markdown(nw: Newsweave, story_id: int) -> str:
    story = nw.story(story_id)
    if story is None:
        raise KeyError(f"no story {story_id}")
    links = nw.copy_links()
    articles = nw.articles(story_id)
    span = f"{story.first_date} to {story.last_date}" if story.first_date else "undated"
    out = [f"# {story.title or f'Story {story.id}'}", "",
           f"Story {story.id}: {len(articles)} articles, {story.independent_sources} independent sources, {span}.", "",
           "## Articles", "", "| id | outlet | published | title | copy of |", "|---|---|---|---|---|"]
    for a in articles:
        link = links.get(a.id)
        copy = f"{link.original_id} ({link.method}; {link.evidence.get('direction', '')})" if link else ""
        out.append(f"| {a.id} | {_cell(a.outlet or a.credited_origin)} | {a.published or ''} | {_cell(a.title)} | {_cell(copy)} |")
    credited = sorted({a.credited_origin for a in articles if a.credited_origin})
    if credited:
        out += ["", "Credited origins: " + ", ".join(credited) + "."]
    out += ["", "## Lead paragraphs", ""]
    for a in articles:
        if a.id in links:
            continue
        lead = a.text.split("\n", 1)[0]
        out.append(f"- **{_cell(a.outlet or a.title or a.id)}**: {lead}")
    return "\n".join(out) + "\n"
