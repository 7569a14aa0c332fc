"""The web UI, its JSON API and the HTML report, over a real HTTP server on 127.0.0.1 and in a real browser
(Debian's chromium driven by Playwright). Screenshots are kept in test-artifacts/."""
import contextlib
import json
import os
import shutil
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from tests.conftest import ROOT, run_cli

from newsweave import Newsweave
from newsweave.web import create_app, render_report, views

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE_TITLE = "Harbour <b onmouseover=alert(4)>warehouse</b> fire"
HOSTILE = ("A fire broke out at the harbour warehouse on Monday and burned for hours before crews put it out, "
           "officials said. <script>window.__xss = 1; alert(1)</script>\n"
           "Witnesses described thick smoke over the docks <img src=x onerror=\"window.__xss = 2; alert(2)\"> "
           "while 12 people were treated for smoke inhalation at the city hospital.\n"
           "The port authority posted updates at <a href=\"javascript:alert(3)\">the harbour page</a> and "
           "{{ 7*7 }} {% raw %} ${7*7} through the evening, a spokesman said.\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store(seeds, tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    (folder / "in").mkdir()
    for f in seeds.iterdir():
        shutil.copy(f, folder / "in" / f.name)
    record = {"title": HOSTILE_TITLE, "text": HOSTILE, "url": "javascript:alert(5)", "outlet": "<i>Port News</i>"}
    (folder / "in" / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = folder / "web.db"
    with Newsweave(db) as nw:
        nw.ingest([folder / "in"])
        hostile = next(a for a in nw.articles() if "hostile.jsonl" in a.source)
        seed_story = next(s for s in nw.stories() if len(s.article_ids) == 5)
    return {"db": db, "hostile": hostile, "seed_story": seed_story.id, "folder": folder}


@contextlib.contextmanager
def serving(app):
    """A real HTTP server for `app` on 127.0.0.1, on a free port, for the time of the block."""
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not uv.started:
        assert time.time() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(store):
    app = create_app(store["db"])
    with serving(app) as url:
        assert app.state.builder.idle.wait(300), "the dossiers were not built in the background"
        assert not app.state.builder.failed
        yield url


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def watched_page(browser, width=1200):
    """A page that records dialogs (alert) and any request leaving 127.0.0.1 or the file system."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.dialogs, page.outside = [], []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "file://", "data:", "about:"))
            else page.outside.append(r.url))
    return page


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_json_api_search_and_schema(server, store):
    with httpx.Client(base_url=server, timeout=60) as http:
        story = http.get(f"/api/stories/{store['seed_story']}").json()
        assert any(f["status"] == "conflict" for f in story["facts"])
        rows = http.get("/api/stories", params={"q": "Kursk regiment", "sort": "conflicts"}).json()
        assert [r["id"] for r in rows] == [store["seed_story"]] and rows[0]["conflicts"] >= 1
        assert http.get("/api/stories", params={"q": "zzzqqq"}).json() == []
        hits = {p["text"].lower() for p in rows[0]["snippet"] if p["match"]}
        assert hits and hits <= {"kursk", "regiment"}  # where the story matches, the hits marked
        assert store["seed_story"] in [r["id"] for r in http.get("/api/stories", params={"q": "regim*"}).json()]
        assert http.get("/api/stories", params={"q": "regim"}).json() == []  # a prefix only with its *
        assert http.get("/api/stories", params={"sort": "nonsense"}).status_code == 422
        assert http.get("/api/stories/99999").status_code == 404
        by_outlet = http.get("/api/stories", params={"outlet": "<i>Port News</i>"}).json()
        assert [r["id"] for r in by_outlet] == [store["hostile"].story_id]
        assert store["seed_story"] in [r["id"] for r in http.get("/api/stories", params={"since": "2025-12-14"}).json()]
        assert store["seed_story"] not in [r["id"] for r in http.get("/api/stories", params={"until": "2025-01-01"}).json()]
        sizes = [r["articles"] for r in http.get("/api/stories", params={"sort": "size"}).json()]
        assert sizes == sorted(sizes, reverse=True) and sizes[0] == 5
        everything = http.get("/api/stories", params={"sort": "size"})
        second = http.get("/api/stories", params={"sort": "size", "limit": 1, "offset": 1})
        assert second.json() == everything.json()[1:2] and second.headers["x-total-count"] == str(len(sizes))
        assert http.get("/api/stories", params={"limit": 0}).status_code == 422
        article = http.get(f"/api/articles/{store['hostile'].id}").json()
        assert "<script>" in article["article"]["text"]
        paths = http.get("/openapi.json").json()["paths"]
        assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}"} <= set(paths)


def test_story_list_to_story_to_evidence(server, store, browser):
    page = watched_page(browser)
    page.goto(server + "/")
    page.fill("input[name=q]", "Kurs*")
    page.click("button[type=submit]")
    assert page.locator(".snippet mark").first.inner_text() == "Kursk"
    page.click(f"a[href='/story/{store['seed_story']}']")
    conflict = page.locator("tr[data-status=conflict]").first
    assert conflict.locator(".badge").inner_text() == "CONFLICT"  # a word, not only a colour
    assert "3,000" in conflict.inner_text() and "6,000" in conflict.inner_text()
    assert page.locator("svg[aria-label^='Timeline']").count() == 1
    assert page.locator("svg[aria-label='Copy lineage'] line").count() >= 1
    shot(page, "story")
    evidence = conflict.locator("a.evidence").first
    target = evidence.get_attribute("href").split("#")[1]
    evidence.click()
    page.wait_for_url("**/article/**")
    mark = page.locator(f"mark#{target}")
    assert mark.count() == 1 and mark.inner_text().strip() in {"between 3,000 and 4,000", "over 6,000"}
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == target
    assert page.locator(".removed").count() >= 0 and page.locator("h2", has_text="Raw input").count() == 1
    shot(page, "article")
    assert not page.dialogs and not page.outside


def test_untrusted_text_stays_text(server, store, browser):
    page = watched_page(browser)
    for path in (f"/story/{store['hostile'].story_id}", "/?q=harbour", f"/article/{store['hostile'].id}"):
        page.goto(server + path)
        page.mouse.move(200, 200)
        assert page.evaluate("document.querySelectorAll('script, img, i, b, a[href^=javascript]').length") == 0, path
    body = page.inner_text("main")
    assert "<script>window.__xss = 1; alert(1)</script>" in body and "{{ 7*7 }}" in body and HOSTILE_TITLE in body
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.querySelectorAll('script, img, a[href^=javascript]').length") == 0
    assert not page.dialogs


def test_narrow_screen_and_keyboard(server, store, browser):
    page = watched_page(browser, width=375)
    page.goto(f"{server}/story/{store['seed_story']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    shot(page, "story-375px")


def test_html_report_is_self_contained(store, browser):
    report = store["folder"] / "report.html"
    with Newsweave(store["db"]) as nw:
        report.write_text(render_report(nw), encoding="utf-8")
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html.replace("&lt;script", "")  # no script at all, and the hostile one escaped
    # a file to share: inputs named by their file, never by the folders of this machine
    assert str(store["folder"]) not in html and "Source: hostile.jsonl:1" in html
    page = watched_page(browser)
    page.goto(report.as_uri())
    assert page.locator(".badge.conflict").count() >= 1
    assert page.evaluate("typeof window.__xss") == "undefined" and not page.dialogs and not page.outside
    link = page.locator("tr[data-status=conflict] a.evidence").first
    target = link.get_attribute("href")[1:]
    link.click()
    assert page.evaluate("location.hash") == f"#{target}" and page.locator(f"[id='{target}']").count() == 1
    shot(page, "report")


def test_every_page_carries_the_security_headers_and_no_script_may_run(server, store):
    for path in ("/", f"/story/{store['seed_story']}", f"/article/{store['hostile'].id}", "/api/stories"):
        response = httpx.get(server + path)
        assert response.status_code == 200, path
        assert "script-src" not in response.headers["content-security-policy"]
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY" and response.headers["referrer-policy"] == "no-referrer"


def test_a_foreign_host_name_is_refused(server):
    assert httpx.get(server + "/api/stories", headers={"Host": "attacker.example"}).status_code == 400
    assert httpx.get(server + "/api/stories", headers={"Host": "attacker.example:8000"}).status_code == 400
    assert httpx.get(server + "/api/stories", headers={"Host": "localhost:8000"}).status_code == 200


def test_huge_ids_are_not_found_and_head_is_answered(server, store):
    for path in ("/story/99999999999999999999", "/api/stories/99999999999999999999", "/story/0"):
        assert httpx.get(server + path).status_code == 404, path
    head = httpx.head(server + f"/story/{store['seed_story']}")
    assert head.status_code == 200 and head.content == b""


def test_serving_beyond_this_machine_needs_allow_remote(store):
    proc = run_cli("serve", "--db", str(store["db"]), "--host", "0.0.0.0", "--port", str(free_port()))
    assert proc.returncode == 2 and "--allow-remote" in proc.stderr


def test_served_on_every_address_any_host_is_accepted(store):
    # the app as `serve --host 0.0.0.0 --allow-remote` builds it, run here on 127.0.0.1 only
    with serving(create_app(store["db"], host="0.0.0.0", build_dossiers=False)) as url:
        response = httpx.get(url + "/api/stories", headers={"Host": "192.0.2.7:8000"})
        assert response.status_code == 200


def test_pages_never_wait_for_a_dossier_and_show_it_once_built(seeds, tmp_path, monkeypatch):
    """A story whose dossier is not built is shown at once, saying so; the thread beside the server builds
    it, the story the reader opened first, and the same page then shows the facts."""
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"title": "Harbour fire", "text": HOSTILE}) + "\n", encoding="utf-8")
    with Newsweave(tmp_path / "fresh.db") as nw:
        nw.ingest([seeds, other])
        assert len(nw.stories()) == 2
        seed_story = next(s.id for s in nw.stories() if len(s.article_ids) == 5)
        article = nw.articles(seed_story)[0].id
    with serving(create_app(tmp_path / "fresh.db", build_dossiers=False)) as url:
        story = httpx.get(f"{url}/api/stories/{seed_story}").json()
        assert story["dossier_state"] == "building" and story["facts"] == [] and len(story["articles"]) == 5
        page = httpx.get(f"{url}/story/{seed_story}").text
        assert "newsweave dossiers</code> builds it" in page and 'http-equiv="refresh"' not in page
        assert httpx.get(f"{url}/api/articles/{article}").json()["dossier_state"] == "building"
        assert {r["dossier"] for r in httpx.get(f"{url}/api/stories").json()} == {"building"}
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    app = create_app(tmp_path / "fresh.db")
    with serving(app) as url:
        first = httpx.get(f"{url}/story/{seed_story}").text
        assert "being built" in first or "CONFLICT" in first
        assert app.state.builder.idle.wait(300) and not app.state.builder.failed
        built = httpx.get(f"{url}/story/{seed_story}").text
        assert "being built" not in built and 'http-equiv="refresh"' not in built and "CONFLICT" in built
        rows = httpx.get(f"{url}/api/stories").json()
        assert {r["dossier"] for r in rows} == {"ready"}
        assert next(r for r in rows if r["id"] == seed_story)["conflicts"] >= 1
        listing = httpx.get(f"{url}/", params={"sort": "size"}).text
        assert "Page 1 of 2" in listing and 'href="/?sort=size&amp;page=2"' in listing
        assert f'href="/story/{seed_story}"' in listing  # the largest first, alone on page 1
        assert f'href="/story/{seed_story}"' not in httpx.get(f"{url}/", params={"sort": "size", "page": 2}).text


def test_the_api_docs_page_works_offline(server, browser):
    """/docs renders Swagger UI from assets served by newsweave itself: no request leaves 127.0.0.1."""
    page = watched_page(browser)
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/stories" in p for p in paths) and not page.outside


def test_every_evidence_link_lands_on_its_text(server, store):
    """Each evidence link of a story page names an anchor that exists on the article page it points to,
    also where spans overlap (a quote holding a figure and a date)."""
    import re

    page = httpx.get(f"{server}/story/{store['seed_story']}").text
    links = set(re.findall(r'href="/article/([^"#]+)#(e-\d+-\d+)"', page))
    assert len(links) > 20
    by_article: dict[str, set[str]] = {}
    for article, anchor in links:
        by_article.setdefault(article, set()).add(anchor)
    for article, anchors in by_article.items():
        ids = set(re.findall(r'id="(e-\d+-\d+)"', httpx.get(f"{server}/article/{article}").text))
        assert anchors <= ids, sorted(anchors - ids)[:5]


def test_an_html_page_reads_as_text_beside_its_visible_lines(data_dir, tmp_path, browser):
    """A scraped page (1.5 MB of markup and minified script): the cleaned text gets half the width, the raw
    side lists the page's visible lines (no markup, no script), collapsed, and the page stays short."""
    import gzip

    page_html = gzip.decompress((data_dir / "extraction-dev" / "html" / "t0327.html.gz").read_bytes())
    (tmp_path / "page.html").write_bytes(page_html)
    with Newsweave(tmp_path / "h.db") as nw:
        nw.ingest([tmp_path / "page.html"])
        [article] = nw.articles()
    with serving(create_app(tmp_path / "h.db", build_dossiers=False)) as url:
        page = watched_page(browser)
        page.goto(f"{url}/article/{article.id}")
        raw = page.locator("details .raw")
        assert not page.locator("details").first.evaluate("d => d.open")
        text = page.locator(".cols section").first
        assert text.bounding_box()["width"] > 400
        assert page.evaluate("document.documentElement.scrollHeight") < 20000
        lines = raw.first.text_content()
        assert "<script" not in lines and "function(" not in lines and "Polarization" in lines
        page.locator("details summary").first.click()
        assert page.evaluate("document.documentElement.scrollHeight") < 20000  # the raw side scrolls inside
        shot(page, "article-html")


def test_sources_are_named_for_a_reader_and_one_outlet_is_one_chip(tmp_path, seeds):
    """Chips name outlets; an input with no outlet is named by its headline, its file only on hover; several
    articles of one outlet are one chip with a count."""
    import re

    mill = [("Example Daily", "A fire destroyed the old textile mill in Riverton on Monday night, the fire brigade said. "
             "Forty firefighters fought the flames for six hours."),
            ("Example Daily", "Firefighters fought for six hours on Monday night to save houses near the burning textile "
             "mill in Riverton, the fire brigade said."),
            ("Riverton Herald", "The old textile mill in Riverton burned down on Monday night, the fire brigade said, "
             "after firefighters fought the flames for six hours.")]
    (tmp_path / "mill.jsonl").write_text("".join(json.dumps({"title": f"Mill fire {i}", "text": t, "outlet": o}) + "\n"
                                                 for i, (o, t) in enumerate(mill)), encoding="utf-8")
    with Newsweave(tmp_path / "n.db") as nw:
        nw.ingest([seeds, tmp_path / "mill.jsonl"])
        nw.build_dossiers()
        seed = next(s.id for s in nw.stories() if len(s.article_ids) == 5)
        mill_story = next(s.id for s in nw.stories() if len(s.article_ids) == 3)
        article = nw.articles(seed)[0].id
    with serving(create_app(tmp_path / "n.db", build_dossiers=False)) as url:
        page = httpx.get(f"{url}/story/{seed}").text
        chips = re.findall(r'<a class="chip[^"]*" href="[^"]*" title="([^"]*)">([^<]*)</a>', page)
        assert chips and not [label for _, label in chips if ".txt" in label]
        assert ("002_8283f320a35650dd.txt", "“North Korea Publicly Hails Troops…”") in chips
        page = httpx.get(f"{url}/story/{mill_story}").text
        summary = page.split("<h2>Summary</h2>")[1].split("<h2>")[0]
        for item in re.findall(r"<li>.*?</li>", summary, re.S):
            labels = [label for _, label in re.findall(r'<a class="chip" href="[^"]*" title="([^"]*)">([^<]*)</a>', item)]
            assert len(labels) == len({re.sub(" ×\\d+$", "", x) for x in labels}), labels
        assert "Example Daily ×2" in page
        # an article page lists the facts it shares with other sources; its own are counted, not listed
        supports = httpx.get(f"{url}/article/{article}").text.split("Supports: ")[1].split("</p>")[0]
        assert "badge single" not in supports and "no other source reports" in supports
