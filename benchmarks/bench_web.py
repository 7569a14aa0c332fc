"""Page render times on a 10,000-article store: the story list and a story page, over real HTTP.

    python benchmarks/bench_web.py ../shared/data [--articles 10000]

Builds the store as bench_ingest.py does, builds the dossier of the largest story, starts the server on
127.0.0.1, and prints the median and worst of 20 requests per page (after one warm-up request each).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).parent))
from bench_ingest import write_pages  # noqa: E402

from newsweave import Newsweave  # noqa: E402
from newsweave.web import create_app  # noqa: E402


@contextlib.contextmanager
def served(app, port: int):
    """A real server for `app` on 127.0.0.1:`port` for the time of the block; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True


def timed(client: httpx.Client, path: str, n: int = 20) -> dict:
    client.get(path)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--articles", type=int, default=10000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        write_pages(Path(args.data), folder, args.articles)
        db = Path(tmp) / "web.db"
        with Newsweave(db) as nw:
            nw.ingest([folder])
            biggest = max(nw.stories(), key=lambda s: len(s.article_ids))
            start = time.perf_counter()
            nw.dossier(biggest.id)
            first = time.perf_counter() - start
        # no dossier building beside the server: the pages are timed alone
        with served(create_app(db, build_dossiers=False), 8771) as url, httpx.Client(base_url=url, timeout=120) as client:
            result = {"articles": args.articles, "largest_story_articles": len(biggest.article_ids),
                      "first_dossier_seconds": round(first, 1),
                      "story_list": timed(client, "/"), "story_list_search": timed(client, "/?q=killed&sort=size"),
                      "story_page": timed(client, f"/story/{biggest.id}")}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
