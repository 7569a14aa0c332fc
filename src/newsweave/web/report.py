"""The self-contained HTML report: the story pages and their articles in one file, inline CSS and SVG,
no script and no network, links between parts as in-page anchors."""
from __future__ import annotations

from newsweave.api import Newsweave
from newsweave.web import views
from newsweave.web.templating import environment


def report_url(target: str, anchor: str | None = None) -> str:
    if target.startswith("story:"):
        sid = target.split(":", 1)[1]
        return f"#s{sid}-{anchor}" if anchor else f"#story-{sid}"
    return f"#a-{target}-{anchor}" if anchor else f"#article-{target}"


def render_report(nw: Newsweave, story_ids: list[int] | None = None) -> str:
    """The self-contained HTML report of these stories (all by default); NotFound if one is none."""
    for story_id in story_ids or ():
        nw.story(story_id)
    ids = story_ids or [s.id for s in nw.stories()]
    nw.build_dossiers(ids)
    stories = [v for v in (views.story_view(nw, sid) for sid in ids) if v is not None]
    articles = [views.article_view(nw, a["id"]) for v in stories for a in v["articles"]]
    return environment().get_template("report.html").render(url=report_url, stories=stories, articles=articles)
