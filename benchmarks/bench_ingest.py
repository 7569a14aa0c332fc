"""Ingest throughput on the plain-text path: N scraped-page .txt files, cleaned, de-duplicated, clustered.

    python benchmarks/bench_ingest.py ../shared/data [--articles 10000] [--workers N] [--ingests N]

Pages are built from the real FA-KES and ECB+ texts: each article is a real text (or, for later variants,
a shuffled 60% of its sentences) wrapped in menu, teaser and comment-form lines, so every stage has real
work to do. Prints articles/s for the whole `Newsweave.ingest` call and the peak resident memory of the main process
and of the largest worker process (per-document stages run in one worker per core); and, as a check of story
quality on such pages, B-cubed of the pages built from ECB+ texts against their gold events.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import tempfile
import time
from pathlib import Path

from newsweave import Newsweave
from newsweave.evaluate.clustering import load_gold, score
from newsweave.options import Options

CHROME_TOP = ["Home", "News", "World", "Politics", "Business", "Sport", "Subscribe", "Sign in", "Search"]
CHROME_BOTTOM = ["Leave a Reply", "Your email address will not be published.", "Related", "Share this:",
                 "Facebook", "Twitter", "© 2024 Example Media. All rights reserved.", "Privacy Policy"]


def labelled_texts(data: Path) -> list[tuple[str, str | None]]:
    """The base texts, each with its ECB+ gold event (None for FA-KES, which has no event labels)."""
    out = [(json.loads(line)["text"], None) for line in open(data / "fakes" / "articles.jsonl", encoding="utf-8")]
    gold = load_gold(data / "ecbplus-dev")
    out += [(p.read_text(encoding="utf-8"), gold.get(p.stem))
            for p in sorted((data / "ecbplus-dev" / "docs").glob("*.txt"))]
    return [(t, event) for t, event in out if len(t.split()) > 40]


def texts(data: Path) -> list[str]:
    return [t for t, _ in labelled_texts(data)]


def event_scores(data: Path, story_of_page: dict[int, int]) -> dict[str, float]:
    """B-cubed of the stories of the pages built from ECB+ texts against those texts' gold events: how the
    clusterer copes with pages that repeat each text in several partial variants."""
    events = [event for _, event in labelled_texts(data)]
    gold = {i: events[i % len(events)] for i in story_of_page if events[i % len(events)]}
    s = score({i: story_of_page[i] for i in gold}, gold)
    return {"ecb_pages_bcubed_p": round(s.bcubed_precision, 3), "ecb_pages_bcubed_r": round(s.bcubed_recall, 3),
            "ecb_pages_bcubed_f1": round(s.bcubed_f1, 3)}


def page(body: str, rng: random.Random, variant: int) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", body.strip())
    if variant:
        sentences = rng.sample(sentences, min(len(sentences), max(3, int(len(sentences) * 0.6))))
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    teasers = [" ".join(rng.sample(body.split(), min(8, len(body.split())))).title() for _ in range(4)]
    return "\n".join(CHROME_TOP + [""] + paragraphs + [""] + teasers + CHROME_BOTTOM) + "\n"


def write_pages(data: Path, folder: Path, count: int) -> None:
    """`count` scraped-page .txt files in `folder`, the same every run."""
    rng = random.Random(7)
    base = texts(data)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"{i:06d}.txt").write_text(page(base[i % len(base)], rng, i // len(base)), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=0, help="processes for per-document stages (0: one per core)")
    ap.add_argument("--ingests", type=int, default=1, help="successive ingests the pages are dealt over")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        write_pages(Path(args.data), folder, args.articles)
        parts = [folder]
        if args.ingests > 1:
            files = sorted(folder.iterdir())
            parts = [Path(tmp) / f"part{k}" for k in range(args.ingests)]
            for k, part in enumerate(parts):
                part.mkdir()
                for f in files[k:: args.ingests]:
                    f.rename(part / f.name)
        start = time.perf_counter()
        added = failed = 0
        with Newsweave(Path(tmp) / "bench.db", Options(workers=args.workers)) as nw:
            for part in parts:
                report = nw.ingest([part])
                added, failed = added + report.added, failed + len(report.errors)
            seconds = time.perf_counter() - start
            stories = len(nw.stories())
            links = len(nw.copy_links())
            story_of_page = {int(Path(a.source).stem): a.story_id for a in nw.articles()}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest worker process
    print(json.dumps({"articles": added, "errors": failed, "stories": stories, "copy_links": links,
                      "seconds": round(seconds, 1), "articles_per_second": round(added / seconds, 1),
                      "peak_rss_mib": round(peak),
                      "worker_peak_rss_mib": round(worker_peak), **event_scores(Path(args.data), story_of_page)}))


if __name__ == "__main__":
    main()
