"""A story as Markdown, for the terminal."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsweave.api import Newsweave


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def story_markdown(nw: Newsweave, story_id: int) -> str:
    story = nw.story(story_id)  # NotFound if there is none
    links = nw.copy_links()
    articles = nw.articles(story_id)
    span = f"{story.first_date} to {story.last_date}" if story.first_date else "undated"
    out = [f"# {story.title or f'Story {story.id}'}", "",
           f"Story {story.id}: {len(articles)} articles, {story.independent_sources} independent sources, {span}.", "",
           "## Articles", "", "| id | outlet | published | title | copy of |", "|---|---|---|---|---|"]
    for a in articles:
        link = links.get(a.id)
        copy = f"{link.original_id} ({link.method}; {link.evidence.get('direction', '')})" if link else ""
        out.append(f"| {a.id} | {_cell(a.outlet or a.credited_origin)} | {a.published or ''} | {_cell(a.title)} "
                   f"| {_cell(copy)} |")
    credited = sorted({a.credited_origin for a in articles if a.credited_origin})
    if credited:
        out += ["", "Credited origins: " + ", ".join(credited) + "."]
    dossier = nw.dossier_record(story_id)
    label = {a.id: _label(a) for a in articles}
    cite = lambda ids: ", ".join(sorted({label.get(i, i) for i in ids}))  # noqa: E731
    out += ["", "## Summary", ""]
    status = {f.id: f.status for f in dossier.facts}

    def differ(ids: list[str]) -> str:  # the figures of the sentence that the sources give differently
        return "".join(f" (sources differ: {status[i]} {i})" for i in ids if status.get(i) in ("conflict", "range"))

    out += [f"- {s.text} [{cite(s.article_ids)}]{differ(s.facts)}" for s in dossier.summary] or \
        ["(no sentence to summarise)"]
    out += ["", "## Facts", "", "| id | status | kind | statement | sources | rule |", "|---|---|---|---|---|---|"]
    for f in dossier.facts:
        out.append(f"| {f.id} | **{f.status.upper()}** | {f.kind} | {_cell(f.statement)} | "
                   f"{len(f.sources)}: {_cell(cite(f.sources))} | {_cell(f.rule)} |")
    out += ["", "## Quotes", ""]
    for q in dossier.quotes:
        said = "“" + q.text + "”" if q.direct else q.text
        via = f", via {q.channel}" if q.channel else ""
        out.append(f"- **{_cell(q.speaker or 'unattributed')}**{via}: {said} [{cite(q.article_ids)}]")
    out += ["", "## Timeline", ""]
    out += [f"- **{t.date}** ({t.label or t.event or 'event'}{', background' if t.background else ''}): {t.text} "
            f"[{cite(t.article_ids)}]" for t in dossier.timeline]
    out += ["", "## Coverage", "", "| outlet | reports | omits |", "|---|---|---|"]
    for outlet, c in dossier.coverage.items():
        out.append(f"| {_cell(outlet)} | {len(c.reports)}: {' '.join(c.reports)} | {len(c.omits)} |")
    return "\n".join(out) + "\n"


def _label(article) -> str:
    from newsweave.outlets import outlet_label

    return outlet_label(article)
