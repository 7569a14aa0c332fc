"""Pages under load: 8 clients at once on a 5,000-article store whose dossiers were built after ingest.

    python benchmarks/bench_load.py ../shared/data [--articles 5000] [--clients 8] [--requests 100]

Builds the store as bench_ingest.py does, builds every dossier (`Newsweave.build_dossiers`, as `newsweave
dossiers` or `ingest --dossiers` do), starts the server on 127.0.0.1 and lets each client request, one after
another, a random mix of the story list (plain, searched, sorted, paged), story pages, article pages and the
JSON API. Prints the median, 99th percentile and worst latency, over all requests and per kind of page.
With --no-dossiers the dossiers are not built first: pages then answer at once that theirs is being built,
while the server builds them in the background.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_ingest import write_pages  # noqa: E402
from bench_web import served  # noqa: E402

from newsweave import Newsweave  # noqa: E402
from newsweave.web import create_app  # noqa: E402

WORDS = ["killed", "police", "Syria", "attack", "earthquake", "election", "fire", "court", "minister", "storm"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(times: list[float]) -> dict:
    return {"requests": len(times), "median_ms": round(statistics.median(times), 1),
            "p99_ms": round(percentile(times, 0.99), 1), "max_ms": round(max(times), 1)}


def client(base: str, story_ids: list[int], article_ids: list[str], n: int, seed: int, out: list) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=120) as http:
        for _ in range(n):
            kind = rng.choice(["list", "search", "story", "story", "article", "api_story", "api_list"])
            path = {"list": lambda: f"/?page={rng.randint(1, 3)}",
                    "search": lambda: f"/?q={rng.choice(WORDS)}&sort={rng.choice(['size', 'conflicts', 'recent'])}",
                    "story": lambda: f"/story/{rng.choice(story_ids)}",
                    "article": lambda: f"/article/{rng.choice(article_ids)}",
                    "api_story": lambda: f"/api/stories/{rng.choice(story_ids)}",
                    "api_list": lambda: "/api/stories?sort=sources&limit=100"}[kind]()
            start = time.perf_counter()
            status = http.get(path).status_code
            out.append((kind, (time.perf_counter() - start) * 1000, status))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=100, help="per client")
    ap.add_argument("--no-dossiers", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        write_pages(Path(args.data), folder, args.articles)
        db = Path(tmp) / "load.db"
        with Newsweave(db) as nw:
            start = time.perf_counter()
            nw.ingest([folder])
            ingest_s = time.perf_counter() - start
            start = time.perf_counter()
            if not args.no_dossiers:
                nw.build_dossiers()
            dossiers_s = time.perf_counter() - start
            story_ids = [s.id for s in nw.stories()]
            article_ids = [a.id for a in nw.store.articles(raw=False)]
        results: list = []
        with served(create_app(db), 8772) as url:  # the builder thread builds what is missing, as `serve` does
            threads = [threading.Thread(target=client, args=(url, story_ids, article_ids, args.requests, i, results))
                       for i in range(args.clients)]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - start
    by_kind: dict[str, list[float]] = {}
    for kind, ms, _ in results:
        by_kind.setdefault(kind, []).append(ms)
    print(json.dumps({"articles": args.articles, "stories": len(story_ids), "clients": args.clients,
                      "ingest_s": round(ingest_s, 1), "build_dossiers_s": round(dossiers_s, 1),
                      "requests_per_s": round(len(results) / wall, 1),
                      "errors": sum(status >= 500 for _, _, status in results),
                      "all": summary([ms for _, ms, _ in results]),
                      **{kind: summary(times) for kind, times in sorted(by_kind.items())}}, indent=1))


if __name__ == "__main__":
    main()
