"""The local web UI and its JSON API. Read-only over articles and stories; the only writes are the
dossier caches, filled by a thread beside the server (pages show the dossiers built so far, never wait)."""
from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal
from urllib.parse import quote, urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi_offline import FastAPIOffline

from newsweave.api import Newsweave
from newsweave.options import Options
from newsweave.web import views
from newsweave.web.builder import DossierBuilderThread
from newsweave.web.templating import environment

SortKey = Literal[tuple(views.SORTS)]  # the sorts the story list offers, one list for page and API


def web_url(target: str, anchor: str | None = None) -> str:
    """Links between pages: an article id, or "story:N"."""
    path = f"/story/{target.split(':', 1)[1]}" if target.startswith("story:") else f"/article/{quote(target)}"
    return path + (f"#{anchor}" if anchor else "")


LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
SECURITY_HEADERS = {
    # no script at all: the pages need none; styles are inline in the pages and the SVG charts
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
API_DOCS = ("/docs", "/redoc", "/openapi.json", "/static-offline-docs")  # the schema pages run their own scripts


LAST_SEEN, VISIT_MARK = "nw_last_seen", "nw_visit_mark"  # cookies: the reader's last request, and the visit's start


def create_app(db: str | Path, options: Options | None = None, host: str = "127.0.0.1",
               build_dossiers: bool = True) -> FastAPI:
    """`host`: the address served on. Requests must name it (or a loopback name) in their Host header: a web
    page elsewhere cannot read the store through a DNS name rebound to this machine. `build_dossiers`: build
    missing and out-of-date dossiers in a thread while serving (else pages show those built before)."""
    if not Path(db).exists():
        raise FileNotFoundError(f"no store at {db}")
    builder = DossierBuilderThread(db, options) if build_dossiers else None

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if builder:
            builder.start()
        yield
        if builder:
            builder.stop()

    # the schema pages' scripts and styles are served from the fastapi-offline package: /docs works offline
    app = FastAPIOffline(title="newsweave", description="Stories, dossiers and articles of a newsweave store.",
                         lifespan=lifespan)
    app.state.builder = builder
    # on every address (0.0.0.0, ::, allowed only with `serve --allow-remote`) the machine's names are not
    # known here: any Host is accepted, as the user chose to open the store to the network
    allowed = None if host.strip("[]") in ("0.0.0.0", "::", "") else {host.strip("[]").lower(), *LOCAL_NAMES}

    @app.middleware("http")
    async def guard(request: Request, call_next):
        head = request.method == "HEAD"
        if head:  # answered as GET, without the body
            request.scope["method"] = "GET"
        if allowed is not None and _host_name(request.headers.get("host", "")) not in allowed:
            response = PlainTextResponse("unknown host", status_code=400)
        else:
            response = await call_next(request)
        if head:
            response = Response(status_code=response.status_code, headers=dict(response.headers))
        if not request.url.path.startswith(API_DOCS):
            response.headers.update(SECURITY_HEADERS)
        else:
            response.headers.update({k: v for k, v in SECURITY_HEADERS.items() if k != "Content-Security-Policy"})
        return response

    def open_store() -> Newsweave:
        return Newsweave(db, options)  # one connection per request: requests run on several threads

    def page(template: str, **context) -> HTMLResponse:
        return HTMLResponse(environment().get_template(template).render(url=web_url, builds=builder is not None,
                                                                         **context))

    def found(value, what: str):
        if value is None:
            raise HTTPException(404, f"no {what}")
        return value

    def found_id(story_id: int) -> None:
        if not 0 < story_id < 2**63:  # SQLite's integers end there: a longer id is no story, not an error
            raise HTTPException(404, f"no story {story_id}")

    def asked_for(state: str, story_id: int | None) -> None:
        if builder and state != "ready" and story_id is not None:
            builder.want(story_id)

    @app.get("/api/stories", summary="Stories, searched, filtered, sorted and paged",
             description="The number of matching stories is in the X-Total-Count header. Each story's "
                         "`dossier` is ready, updating (the story changed since it was built) or building.")
    def api_stories(response: Response, q: str = "", sort: SortKey = "recent", outlet: str = "",
                    since: str = "", until: str = "", limit: int = Query(100, ge=1, le=1000),
                    offset: int = Query(0, ge=0)) -> list[dict]:
        with open_store() as nw:
            rows, total = nw.story_list(q, sort, outlet, since, until, limit, offset)
        response.headers["X-Total-Count"] = str(total)
        return rows

    @app.get("/api/stories/{story_id}", summary="One story with its dossier",
             description="`dossier_state`: ready, updating (the dossier shown is older than the story) or "
                         "building (none yet: facts, quotes and timeline are empty until it is built).")
    def api_story(story_id: int) -> dict:
        found_id(story_id)
        with open_store() as nw:
            v = found(views.story_view(nw, story_id, build=False), f"story {story_id}")
        asked_for(v["dossier_state"], story_id)
        out = {k: val for k, val in v.items() if not k.endswith("_svg") and k not in ("all_facts", "hidden_facts",
                                                                                      "coverage_facts")}
        return dict(out, facts=v["all_facts"])

    @app.get("/api/articles/{article_id}", summary="One article with its extracted items")
    def api_article(article_id: str) -> dict:
        with open_store() as nw:
            a = found(views.article_view(nw, article_id, build=False), f"article {article_id}")
        art = a["article"]
        asked_for(a["dossier_state"], art.story_id)
        return {"article": {k: getattr(art, k) for k in ("id", "source", "title", "outlet", "author", "published",
                                                          "text", "story_id", "credited_origin")},
                "copy_of": a["copy_link"].original_id if a["copy_link"] else None, "supports": a["supports"],
                "dossier_state": a["dossier_state"],
                "highlights": [{"start": s, "kinds": seg["kinds"]} for s, seg in _starts(a["segments"]) if seg["kinds"]]}

    @app.get("/api/sources", summary="The sources followed (feeds, sitemaps), with their last fetch and counts")
    def api_sources() -> list[dict]:
        with open_store() as nw:
            return [s.to_dict() for s in nw.sources()]

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page():
        with open_store() as nw:
            return page("sources.html", sources=nw.sources())

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, q: str = "", sort: str = "recent", outlet: str = "", since: str = "", until: str = "",
             page_number: int = Query(1, alias="page", ge=1, lt=2**40)):
        with open_store() as nw:
            listing = views.story_page(nw, q, sort, outlet, since, until, page_number)
            names = nw.outlets()
        query = {"q": q, "sort": sort, "outlet": outlet, "since": since, "until": until}
        now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")  # the store's own time format (UTC)
        mark = views.last_visit(request.cookies.get(LAST_SEEN), request.cookies.get(VISIT_MARK), now)
        response = page("stories.html", **listing, q=q, sort=sort, sorts=views.SORTS, outlet=outlet, outlets=names,
                        since=since, until=until, query=urlencode({k: v for k, v in query.items() if v}), mark=mark)
        for name, value in ((LAST_SEEN, now), (VISIT_MARK, mark or "")):
            response.set_cookie(name, value, max_age=400 * 86400, httponly=True, samesite="strict")
        return response

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story(story_id: int):
        found_id(story_id)
        with open_store() as nw:
            v = found(views.story_view(nw, story_id, build=False), f"story {story_id}")
        asked_for(v["dossier_state"], story_id)
        return page("story.html", v=v)

    @app.get("/article/{article_id}", response_class=HTMLResponse,
                   include_in_schema=False)
    def article(article_id: str):
        with open_store() as nw:
            a = found(views.article_view(nw, article_id, build=False), f"article {article_id}")
        asked_for(a["dossier_state"], a["article"].story_id)
        return page("article.html", a=a)

    return app


def _host_name(header: str) -> str:
    """The name in a Host header, without its port: "localhost:8000" -> localhost, "[::1]:80" -> ::1."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _starts(segments: list[dict]):
    pos = 0
    for seg in segments:
        yield pos, seg
        pos += len(seg["text"])
