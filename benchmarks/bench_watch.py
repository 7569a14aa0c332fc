"""A watch round into a large store: N feeds on N hosts (real HTTP servers on 127.0.0.1) list M new articles;
one `fetch` round fetches the feeds and pages, ingests them into a store of S articles, rebuilds the
dossiers of the stories they changed and raises alerts; a second round finds every feed unchanged.

    python benchmarks/bench_watch.py ../shared/data [--store 100000] [--feeds 20] [--articles 1000]
        [--db PATH]   (a store built before is reused: the bulk ingest of 100,000 pages takes minutes)

The archive is bench_incremental.py's dated pages; the new articles are pages of texts held out of it,
dated just after, served as HTML. Each round runs in its own process, as `newsweave fetch` from cron would,
with no politeness delay (the hosts are local); prints the time of each part of the round and the peak
memory of the process and of its largest worker.
"""
from __future__ import annotations

import argparse
import html
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_incremental import HELD_OUT, step, write_records  # noqa: E402
from bench_ingest import page, texts  # noqa: E402

ROUND = """
import json, resource, sys, time
from datetime import datetime, timedelta, timezone
from newsweave import Newsweave, Options
start = time.perf_counter()
with Newsweave(sys.argv[1], Options(fetch_delay=0.0)) as nw:
    follow = json.loads(sys.argv[2])
    nw.follow(follow)
    report = nw.fetch(now=datetime.now(timezone.utc) + timedelta(hours=0 if follow else 1))  # round 2: all due
print(json.dumps({"seconds": round(time.perf_counter() - start, 2), **report.seconds,
                  "feeds": report.round.listings_due, "unchanged": report.round.listings_unchanged,
                  "pages_fetched": report.round.pages_fetched, "added": report.ingest.added,
                  "stories_changed": len(report.stories_changed), "alerts": len(report.alerts),
                  "errors": len(report.errors),
                  "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "worker_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}))
"""


def serve(routes: dict[str, tuple[str, bytes]]) -> str:
    """A host serving `routes` (path -> (content type, body)), answering 304 to a matching ETag."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            ctype, body = routes.get(self.path, ("text/plain", b""))
            tag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            status = 404 if self.path not in routes else 304 if self.headers.get("If-None-Match") == tag else 200
            body = body if status == 200 else b""
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", tag)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def sites(data: Path, store: int, feeds: int, articles: int) -> list[str]:
    """`feeds` hosts, each with a feed of its share of the new articles and their pages."""
    base = texts(data)
    archive = len(base) - HELD_OUT
    day = date(2019, 1, 1) + timedelta(days=731)
    urls = []
    for f in range(feeds):
        routes: dict[str, tuple[str, bytes]] = {"/robots.txt": ("text/plain", b"User-agent: *\nAllow: /\n")}
        items = []
        for i in range(f, articles, feeds):
            rng = random.Random(store + i)
            text = page(base[archive + i % HELD_OUT], rng, 1 + i // HELD_OUT)
            body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
            routes[f"/news/{i}.html"] = ("text/html; charset=utf-8", f"<html><body><article>{body}</article>"
                                                                     "</body></html>".encode())
            items.append((i, text.splitlines()[10][:80]))
        host = serve(routes)
        published = format_datetime(datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc))
        rss = "".join(f"<item><title>{html.escape(t)}</title><link>{host}/news/{i}.html</link>"
                      f"<pubDate>{published}</pubDate></item>" for i, t in items)
        routes["/rss.xml"] = ("application/rss+xml", f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                                     f"<title>Outlet {f}</title>{rss}</channel></rss>".encode())
        urls.append(f"{host}/rss.xml")
    return urls


def fetch_round(db: Path, follow: list[str] | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", ROUND, str(db), json.dumps(follow or [])], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--store", type=int, default=100_000)
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--db", help="store to build once and reuse (copied for each run)")
    args = ap.parse_args()
    data = Path(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        kept = Path(args.db) if args.db else tmp / "archive.db"
        if not kept.exists():
            write_records(data, tmp / "bulk.jsonl", 0, args.store, True)
            built = step(kept, tmp / "bulk.jsonl")
            print(json.dumps({"archive_built_seconds": built["seconds"], "articles": built["added"]}), flush=True)
        db = tmp / "store.db"
        with sqlite3.connect(kept) as source, sqlite3.connect(db) as copy:
            source.backup(copy)  # the archive stays as it was, for the next run
        urls = sites(data, args.store, args.feeds, args.articles)
        first = fetch_round(db, urls)
        print(json.dumps({"round": 1, "store": args.store, **first}), flush=True)
        second = fetch_round(db)
        print(json.dumps({"round": 2, "store": args.store, **second}), flush=True)


if __name__ == "__main__":
    main()
