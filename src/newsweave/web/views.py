"""What the pages show, as plain data: shared by the web UI, its JSON API and the self-contained HTML report.

Nothing here writes HTML by hand: templates (autoescaped) do, so article text is always shown as text.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from newsweave.api import Newsweave
from newsweave.clean.html import visible_lines
from newsweave.errors import NotFound
from newsweave.facts import facts_from_json
from newsweave.outlets import outlet_label, source_name

MAX_LINEAGE = 60  # boxes in the copy-lineage drawing
MAX_SINGLE_FACTS = 60  # single-source facts listed on a story page
MAX_COVERAGE_FACTS = 20  # facts (with two or more sources) in the coverage matrix
SORTS = {"recent": "most recent", "size": "most articles", "sources": "most independent sources",
         "conflicts": "most conflicts"}


PAGE_SIZE = 50  # stories per page of the list
EMPTY_DOSSIER = {"facts": [], "quotes": [], "timeline": [], "summary": [], "coverage": {}}


VISIT_GAP = timedelta(minutes=30)  # a reader away this long starts a new visit


def last_visit(last_seen: str | None, mark: str | None, now: str) -> str | None:
    """When the reader's previous visit ended: stories changed after it are marked. A visit is a run of
    requests less than VISIT_GAP apart, so paging through the list keeps the marks of its first page."""
    try:
        gap = datetime.fromisoformat(now) - datetime.fromisoformat(last_seen) if last_seen else None
    except ValueError:
        return None
    if gap is None:
        return None  # a first visit: nothing is new to this reader yet
    return last_seen if gap > VISIT_GAP else (mark or None)


def story_page(nw: Newsweave, query: str = "", sort: str = "recent", outlet: str = "", since: str = "",
               until: str = "", page: int = 1) -> dict:
    """One page of the story list (searched, filtered, sorted and paged by the store, in SQL)."""
    page = max(1, page)
    rows, total = nw.story_list(query, sort if sort in SORTS else "recent", outlet, since, until,
                                PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return {"rows": rows, "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE)),
            "building": sum(r["dossier"] != "ready" for r in rows)}


def story_view(nw: Newsweave, story_id: int, build: bool = True) -> dict | None:
    """A story page. With `build` False the dossier is the one last built, never built here: a page shows
    at once, saying that its dossier is being built or updated."""
    try:
        story = nw.story(story_id)
    except NotFound:
        return None
    dossier, state = (nw.dossier(story_id), "ready") if build else nw.cached_dossier(story_id)
    dossier = dossier or EMPTY_DOSSIER
    articles = nw.store.articles("story_id=?", (story_id,), raw=False)
    links = nw.store.copy_links_for([a.id for a in articles])
    label = {a.id: outlet_label(a) for a in articles}
    members = [{"id": a.id, "label": label[a.id], "title": a.title, "published": a.published,
                "copy_of": links[a.id].original_id if a.id in links else None,
                "copy_method": links[a.id].method if a.id in links else None,
                "copy_evidence": links[a.id].evidence if a.id in links else None} for a in articles]
    shown = [f for f in dossier["facts"] if f["status"] != "single"]
    singles = [f for f in dossier["facts"] if f["status"] == "single"]
    shown += singles[:MAX_SINGLE_FACTS]  # a large story has thousands; the JSON API has them all
    columns = [f for f in shown if len(f["sources"]) > 1][:MAX_COVERAGE_FACTS]
    return {"story": {"id": story.id, "title": story.title or f"Story {story.id}", "articles": len(articles),
                      "independent_sources": story.independent_sources, "first_date": story.first_date,
                      "last_date": story.last_date},
            "articles": members, "labels": label, "source_names": {a.id: source_name(a.source) for a in articles},
            **dossier, "dossier_state": state, "facts": shown,
            "all_facts": dossier["facts"],
            "hidden_facts": len(dossier["facts"]) - len(shown), "coverage_facts": columns,
            "coverage_rows": [(outlet, [f["id"] in set(c["reports"]) for f in columns])
                              for outlet, c in dossier["coverage"].items()],
            "lineage_svg": lineage(members), "timeline_svg": timeline_chart(dossier["timeline"]),
            "events": nw.story_events(story_id),
            "alerts": nw.alerts(story_id, 20),
            "fact_status": {f["id"]: f["status"] for f in dossier["facts"]}}


def lineage(members: list[dict]) -> dict:
    """Copy lineage as positioned boxes and arrows (copy -> original), drawn by the template as SVG."""
    # only copy groups are drawn (at most MAX_LINEAGE boxes); every article is listed below the drawing
    originals = {m["copy_of"] for m in members if m["copy_of"]}
    members = [m for m in members if m["copy_of"] or m["id"] in originals][:MAX_LINEAGE]
    roots = [m for m in members if not m["copy_of"]]
    nodes, edges, row_h = {}, [], 44
    for i, root in enumerate(roots):
        nodes[root["id"]] = {"x": 10, "y": 10 + i * row_h, **root}
    extra = len(roots)
    for m in members:
        if m["copy_of"]:
            nodes[m["id"]] = {"x": 330, "y": 10 + extra * row_h, **m}
            extra += 1
    for m in members:
        if m["copy_of"] and m["copy_of"] in nodes:
            a, b = nodes[m["id"]], nodes[m["copy_of"]]
            edges.append({"x1": a["x"], "y1": a["y"] + 15, "x2": b["x"] + 250, "y2": b["y"] + 15,
                          "method": m["copy_method"], "direction": (m["copy_evidence"] or {}).get("direction", "")})
    return {"nodes": list(nodes.values()), "edges": edges, "height": 20 + max(extra, 1) * row_h}


def timeline_chart(timeline: list[dict]) -> dict:
    """The story's own dated events on a time axis (background dates, long before, are listed apart): x from
    the date, one row per event, and ticks naming the dates along the axis."""
    def ordinal(value: str) -> int:
        parts = (value + "-01-01").split("-")[:3]
        return date(int(parts[0]), int(parts[1]), int(parts[2])).toordinal()

    own = [t for t in timeline if not t.get("background")]
    if not own:
        return {"points": [], "ticks": [], "height": 0}
    days = [ordinal(t["date"]) for t in own]
    lo, hi = min(days), max(days)
    width = 560

    def x(day: int) -> float:
        return 20 + (day - lo) / max(hi - lo, 1) * width

    points = [{"x": x(d), "y": 40 + i * 22, "date": t["date"], "label": t.get("label") or t["event"] or "event",
               "sources": len(t["sources"])} for i, (d, t) in enumerate(zip(days, own))]
    ticks = sorted({lo, hi, (lo + hi) // 2}) if hi > lo else [lo]
    return {"points": points, "height": 60 + len(points) * 22, "start": own[0]["date"], "end": own[-1]["date"],
            "ticks": [{"x": x(d), "date": date.fromordinal(d).isoformat()} for d in ticks]}


def article_view(nw: Newsweave, article_id: str, build: bool = True) -> dict | None:
    """An article page; with `build` False, its highlights and facts are those of the dossier last built."""
    try:
        article = nw.article(article_id)
    except NotFound:
        return None
    # the story's dossier first: building it extracts (or refreshes) this article's facts
    dossier, state = EMPTY_DOSSIER, "ready"
    if article.story_id is not None:
        dossier, state = (nw.dossier(article.story_id), "ready") if build else nw.cached_dossier(article.story_id)
        dossier = dossier or EMPTY_DOSSIER
    cached = nw.store.cached_facts([article_id])
    facts = facts_from_json(cached[article_id][1]) if cached else None
    spans = []
    if facts:
        spans += [(q.start, q.end, "quantity", q.text) for q in facts.quantities]
        spans += [(d.start, d.end, "date", d.date) for d in facts.dates]
        spans += [(a, b, "quote", q.speaker or "") for q in facts.quotes for a, b in q.fragments or [(q.start, q.end)]]
        spans += [(e.start, e.end, "entity", e.entity) for e in facts.entities]
    link = nw.store.copy_links_for([article_id]).get(article_id)
    supports = [{"id": f["id"], "status": f["status"], "statement": f["statement"]} for f in dossier["facts"]
                if any(article_id in v["article_ids"] for v in f["variants"])]
    return {"article": article, "label": outlet_label(article), "source_name": source_name(article.source),
            "segments": highlight(article.text, spans),
            "dossier_state": state if facts else "building",
            "raw_lines": removed_lines(article.raw, article.text, article.kind == "html"), "copy_link": link,
            "supports": supports}


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> list[dict]:
    """Cut the text at every span boundary; each piece lists the kinds of items covering it and, where an
    item starts, an anchor id "e-START-END" that evidence links point to."""
    cuts = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [(s, e, kind, note) for s, e, kind, note in spans if s <= a and b <= e]
        anchors = [f"e-{s}-{e}" for s, e, _, _ in covering if s == a]
        out.append({"text": text[a:b], "kinds": sorted({k for _, _, k, _ in covering}),
                    "notes": sorted({n for _, _, _, n in covering if n}), "anchors": anchors})
    return out


def removed_lines(raw: str, text: str, html: bool = False, limit: int = 200_000) -> list[dict]:
    """The raw input line by line (a page: its visible lines, not its markup), each marked kept or removed
    by the cleaner."""
    kept = {line.strip() for line in text.splitlines() if line.strip()}
    out = []
    for line in (visible_lines(raw) if html else raw[:limit].splitlines()):
        stripped = line.strip()
        if stripped:
            out.append({"text": stripped, "kept": stripped in kept or any(stripped in k for k in kept)
                        if len(stripped) > 20 else stripped in kept})
    return out
