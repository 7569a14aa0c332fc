"""A recorded news site for the tests of fetching and following, served by a real HTTP server on 127.0.0.1.

Outlets publish RSS feeds whose items appear round by round (`site.round`, the site's simulated time); the
article pages behind them are built from the seed texts (the example story of this project), the bundled
sample corpus (FA-KES, CC BY 4.0, see src/newsweave/data/sample/ATTRIBUTION.md) and one saved page of
extraction-dev (trafilatura's evaluation set, Apache-2.0; page copyright stays with its publisher), read at
test time and never copied into the project. Every failure a feed reader meets has its own address.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src/newsweave/data/sample/fakes.jsonl"


def page(outlet: str, title: str, text: str) -> bytes:
    """An article page with the chrome real pages have: navigation, a related-links box, a footer."""
    paras = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)} | {outlet}</title></head>"
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
            f"<article><h1>{html.escape(title)}</h1>{paras}</article>"
            f"<aside><h3>Most read</h3><ul><li>Markets close higher</li><li>Weather: rain ahead</li></ul></aside>"
            f"<footer>&copy; 2025 {outlet}. All rights reserved.</footer></body></html>").encode()


@dataclass
class Item:
    title: str
    link: str | None  # a path on the site, or None for an item without a link
    published: datetime
    description: str = "Read the full story on our site."
    content: str | None = None  # full text in content:encoded
    round: int = 1  # the round from which the feed lists it


@dataclass
class Feed:
    title: str
    items: list[Item] = field(default_factory=list)
    declared_encoding: str = "utf-8"
    cut_in_item: int | None = None  # a truncated feed: cut off 20 bytes into this item (0-based)

    def render(self, base: str, round_: int) -> bytes:
        body = []
        for it in self.items:
            if it.round > round_:
                continue
            link = f"<link>{base}{it.link}</link><guid>{base}{it.link}</guid>" if it.link else ""
            content = f"<content:encoded>{html.escape(it.content)}</content:encoded>" if it.content else ""
            body.append(f"<item><title>{html.escape(it.title)}</title>{link}"
                        f"<pubDate>{format_datetime(it.published)}</pubDate>"
                        f"<description>{html.escape(it.description)}</description>{content}</item>")
        xml = (f'<?xml version="1.0" encoding="{self.declared_encoding}"?>'
               '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
               f"<title>{html.escape(self.title)}</title><link>{base}/</link>{''.join(body)}</channel></rss>").encode()
        if self.cut_in_item is None:
            return xml
        at = -1
        for _ in range(self.cut_in_item + 1):
            at = xml.index(b"<item>", at + 1)
        return xml[: at + 20]


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client hanging up early (the size cap) is expected
        pass


class Site:
    def __init__(self):
        self.round = 1
        self.feeds: dict[str, Feed] = {}
        self.pages: dict[str, bytes] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # other documents: path -> (content type, body)
        self.page_status: dict[str, int] = {}  # a page answering with an error status (until changed)
        self.robots = "User-agent: *\nDisallow: /private/\n"
        self.requests: list[tuple[str, str, float, float]] = []  # (method, path, start, end)
        self.statuses: list[tuple[str, int]] = []  # (path, status) of every response
        self.hooks: list[dict] = []
        self.active = 0
        self.most_active = 0
        self._lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str, method: str = "GET") -> int:
        return sum(1 for m, p, *_ in self.requests if p == path and m == method)

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def send_response(self, code, message=None):
                with site._lock:
                    site.statuses.append((self.path, code))
                super().send_response(code, message)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with site._lock:
                    site.requests.append(("POST", self.path, time.monotonic(), time.monotonic()))
                    site.hooks.append(json.loads(body))
                self._send(204, b"")

            def do_GET(self):
                start = time.monotonic()
                with site._lock:
                    site.active += 1
                    site.most_active = max(site.most_active, site.active)
                try:
                    self._get()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with site._lock:
                        site.active -= 1
                        site.requests.append(("GET", self.path, start, time.monotonic()))

            def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k.replace("_", "-"), v)
                self.end_headers()
                self.wfile.write(body)

            def _get(self):
                path = self.path
                if path == "/robots.txt":
                    return self._send(200, site.robots.encode(), "text/plain")
                if path.split("?")[0] in site.feeds:
                    body = site.feeds[path.split("?")[0]].render(site.base, site.round)
                    tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    if self.headers.get("If-None-Match") == tag:
                        return self._send(304, b"", ETag=tag)
                    if "gzip" in self.headers.get("Accept-Encoding", ""):
                        return self._send(200, gzip.compress(body), "application/rss+xml", ETag=tag,
                                          Content_Encoding="gzip")
                    return self._send(200, body, "application/rss+xml", ETag=tag)
                clean = path.split("?")[0]
                if clean in site.page_status:
                    return self._send(site.page_status[clean], b"<html><body>Server trouble</body></html>")
                if clean in site.pages:
                    return self._send(200, site.pages[clean])
                if clean in site.files:
                    return self._send(200, site.files[clean][1], site.files[clean][0])
                if path == "/bad/404.xml":
                    return self._send(404, b"<html><body>Not here</body></html>")
                if path == "/bad/500.xml":
                    return self._send(500, b"<html><body>Oops</body></html>")
                if path == "/bad/slow.xml":
                    time.sleep(3)
                    return self._send(200, b"<rss/>", "application/rss+xml")
                if path in ("/bad/loop.xml", "/bad/loop2.xml"):
                    other = "/bad/loop2.xml" if path == "/bad/loop.xml" else "/bad/loop.xml"
                    return self._send(302, b"", Location=other)
                if path == "/bad/huge.xml":  # says 2 GiB, and keeps sending
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("Content-Length", str(2 << 30))
                    self.end_headers()
                    chunk = b"<item>" + b"x" * 65536 + b"</item>"
                    for _ in range(40):
                        self.wfile.write(chunk)
                    return
                if path == "/bad/endless.xml":  # no length, and more than any cap
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    chunk = b"<item>" + b"y" * 65536 + b"</item>"
                    for _ in range(400):
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                return self._send(404, b"<html><body>Not found</body></html>")

        return Handler


def _day(d: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(d).replace(hour=hour, tzinfo=timezone.utc)


def build_site(seeds: Path, extraction: Path) -> Site:
    """Seven outlets and a row of broken sources. Round 1: the seed story from two outlets (one of them in
    two feeds), a Syrian rocket attack, a Reuters awards page. Round 2: a third independent report of the seed
    story with a casualty figure the first contradicts, an aggregator's copy of the first, a new Syrian
    incident, and a fourth report whose page fails. Round 3: that page works."""
    site = Site()
    texts = {f.name[:3]: f.read_text(encoding="utf-8") for f in sorted(seeds.iterdir())}
    fakes = {r["id"]: r for r in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())}
    day = _day("2025-12-13")

    def article(outlet: str, path: str, title: str, text: str) -> str:
        site.pages[path] = page(outlet, title, text)
        return path

    nyt = article("The Times", "/times/kim-soldiers.html", "North Korean soldiers return to fanfare", texts["001"])
    site.feeds["/times/rss.xml"] = Feed("The Times", [Item("North Korean soldiers return", nyt + "?utm_source=rss", day)])
    site.feeds["/times/world.xml"] = Feed("The Times", [Item("North Korean soldiers return", nyt, day)])
    kw = article("Korea Watch", "/kw/kim-honours.html", "Kim honours soldiers killed in Ukraine war", texts["003"])
    site.feeds["/kw/rss.xml"] = Feed("Korea Watch", [Item("Kim honours soldiers", kw, day)])
    gp = article("Global Post", "/gp/troops.html", "North Korea hails troops returning from Russia", texts["002"])
    site.feeds["/gp/rss.xml"] = Feed("Global Post", [Item("North Korea hails troops", gp, _day("2025-12-14"), round=2)])
    dn = article("DNYUZ", "/dnyuz/kim.html", "North Korean Soldiers Return to Fanfare", texts["000"])
    site.feeds["/dnyuz/rss.xml"] = Feed("DNYUZ", [Item("North Korean Soldiers Return", dn, day, round=2)])
    asia = article("Asia Desk", "/asia/engineers.html", "Ceremony for engineer troops back from Kursk", texts["004"])
    site.page_status[asia] = 503  # until round 3
    site.feeds["/asia/rss.xml"] = Feed("Asia Desk", [Item("Ceremony for engineer troops", asia, day, round=2)])

    rocket, blast = fakes["fakes-1965495334"], fakes["fakes-1923848150"]
    world = [Item(rocket["title"], article("World Desk", "/world/rocket.html", rocket["title"], rocket["text"]),
                  _day(rocket["published"])),
             Item(blast["title"], article("World Desk", "/world/blast.html", blast["title"], blast["text"]),
                  _day(blast["published"]), round=2),
             Item("Leaked memo", "/private/memo.html", day)]  # robots.txt forbids it
    site.pages["/private/memo.html"] = page("World Desk", "Memo", "A memo. " * 50)
    awards = gzip.decompress((extraction / "html" / "t0851.html.gz").read_bytes())
    site.pages["/world/awards.html"] = awards
    world.append(Item("Parasite scores upset at SAG awards", "/world/awards.html", _day("2020-01-20")))
    site.feeds["/world/rss.xml"] = Feed("World Desk", world)

    bombing, mines = fakes["fakes-1914947536"], fakes["fakes-1923848284"]
    site.pages["/cut/bombing.html"] = page("Cut Wire", bombing["title"], bombing["text"])
    site.feeds["/cut/rss.xml"] = Feed("Cut Wire", [Item(bombing["title"], "/cut/bombing.html", _day(bombing["published"])),
                                                   Item("Second item, cut off", "/cut/other.html", day)], cut_in_item=1)
    site.feeds["/odd/rss.xml"] = Feed("Odd Wire", [
        Item(mines["title"], None, _day(mines["published"]), content=mines["text"]),  # no link, full text
        Item("Headline only, no link", None, day, description="Just a line.")], declared_encoding="x-unknown-42")
    site.pages["/bad/page.html"] = page("Not A Feed", "A page", "This is a web page, not a feed. " * 10)
    site.files["/news-sitemap.xml"] = ("application/xml", (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        + "".join(f"<url><loc>{site.base}{path}</loc><news:news><news:publication_date>2025-12-13T08:00:00Z"
                  f"</news:publication_date><news:title>{title}</news:title></news:news></url>"
                  for path, title in [(kw, "Kim honours soldiers"), (gp, "North Korea hails troops")])
        + "</urlset>").encode())
    site.files["/sitemap-index.xml"] = ("application/xml", (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.base}/news-sitemap.xml</loc></sitemap></sitemapindex>").encode())
    site.files["/feeds.opml"] = ("text/x-opml", (
        '<?xml version="1.0"?><opml version="2.0"><head><title>My news</title></head><body>'
        + "".join(f'<outline type="rss" text="{p}" xmlUrl="{site.base}{p}"/>' for p in ("/kw/rss.xml", "/gp/rss.xml"))
        + "</body></opml>").encode())
    return site


BROKEN = ["/bad/page.html", "/bad/404.xml", "/bad/500.xml", "/bad/slow.xml", "/bad/loop.xml", "/bad/huge.xml"]
GOOD = ["/times/rss.xml", "/times/world.xml", "/kw/rss.xml", "/gp/rss.xml", "/dnyuz/rss.xml", "/asia/rss.xml",
        "/world/rss.xml", "/cut/rss.xml", "/odd/rss.xml"]
