"""What adding articles costs as the store grows: bulk ingest of N pages, then 1 and 100 more, each in its
own ingest, in a fresh process as a command would run.

    python benchmarks/bench_incremental.py ../shared/data [--sizes 2000 20000 100000] [--undated]

The pages are bench_ingest.py's scraped pages, written as JSON lines with a publication date: the pages
built from one text (its rewrites and copies) get dates within two days of each other, the texts' dates
spread over two years, as in a news archive; the articles added afterwards are pages of texts held out of
the archive, dated in the three days after it, as news arriving from feeds.
With --undated no page carries a date, as the .txt pages of bench_ingest.py (an undated article may belong
with a story of any date, so it is compared with every story).
Prints, per store size, the bulk ingest time and rate, the time to add 1 and 100 articles, the stories
read to place them, and the peak memory of each step (main process, largest worker, and the most the main
process and its workers held at one moment, sampled every 20 ms: the workers end before placement); and the time to
add 1 article in a process that has placed one before (warm: the cleaner's and language detector's models
loaded, as in a process watching feeds). First, as a gauge of the machine's speed that day (shared machines
vary by a third from one day to the next), the milliseconds one core takes to clean and describe a page
(`one_core_ms_per_page`, over 1,000 of the pages): the bulk rate's reading phase is about that times the
pages, over the cores.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_ingest import page, texts  # noqa: E402

HELD_OUT = 150  # texts kept out of the archive, for the articles added afterwards
STEP = """
import glob, json, os, resource, sys, threading, time
from newsweave import Newsweave


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:  # the process has just ended
        return 0.0


together = [0.0]  # the most the main process and its workers held at one moment, sampled every 20 ms


def sample():
    while True:
        children = set()
        for path in glob.glob(f"/proc/{os.getpid()}/task/*/children"):
            try:
                with open(path) as fh:
                    children.update(fh.read().split())
            except OSError:  # the thread has just ended
                pass
        together[0] = max(together[0], rss_mib(os.getpid()) + sum(rss_mib(c) for c in children))
        time.sleep(0.02)


if os.environ.get("SAMPLE_TOGETHER"):  # the bulk step only: polling would weigh on a 0.1 s add
    threading.Thread(target=sample, daemon=True).start()
if len(sys.argv) > 3:  # a process that placed an article before (models loaded, as in a watching process)
    with Newsweave(sys.argv[1]) as nw:
        nw.ingest([sys.argv[3]])
start = time.perf_counter()
with Newsweave(sys.argv[1]) as nw:
    report = nw.ingest([sys.argv[2]])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": round(seconds, 3), "added": report.added,
                  "stories_read": report.stats.get("place", {}).get("stories_read"),
                  "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "worker_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
                  "together_peak_rss_mib": round(together[0])}))
"""


def write_records(data: Path, path: Path, first: int, count: int, dated: bool, fresh: bool = False) -> None:
    """Pages `first` .. `first + count - 1` as JSON lines (the same pages every run); `fresh`: dated just
    after the archive."""
    base = texts(data)
    start = date(2019, 1, 1)
    archive = len(base) - HELD_OUT
    with path.open("w", encoding="utf-8") as fh:
        for i in range(first, first + count):
            rng = random.Random(i)
            k = archive + i % HELD_OUT if fresh else i % archive
            record = {"id": f"page-{i}", "text": page(base[k], rng, i // len(base))}
            if fresh:
                record["id"] = f"new-{i}"
            if dated:
                day = 730 if fresh else (k * 37) % 730
                record["published"] = (start + timedelta(days=day + rng.randint(0, 2))).isoformat()
            fh.write(json.dumps(record) + "\n")

CORE = """
import json, sys, time
from threadpoolctl import threadpool_limits
from newsweave.prepare import CleanJob, prepare
from newsweave.records import RawDocument

threadpool_limits(1)  # as in a worker
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")][:1000]
jobs = [CleanJob(RawDocument(source=r["id"], kind="text", content=r["text"])) for r in records]
prepare(jobs[:50])  # models loaded
start = time.perf_counter()
for k in range(0, len(jobs), 200):
    prepare(jobs[k: k + 200])
print(round((time.perf_counter() - start) * 1000 / len(jobs), 3))
"""


def core_ms_per_page(path: Path) -> float:
    out = subprocess.run([sys.executable, "-c", CORE, str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def step(db: Path, path: Path, warm_up: Path | None = None, together: bool = False) -> dict:
    extra = [str(warm_up)] if warm_up else []
    env = {**os.environ, "SAMPLE_TOGETHER": "1"} if together else None
    out = subprocess.run([sys.executable, "-c", STEP, str(db), str(path), *extra], capture_output=True, text=True,
                         check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 100000])
    ap.add_argument("--undated", action="store_true")
    args = ap.parse_args()
    data = Path(args.data)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            bulk, one, hundred = tmp / "bulk.jsonl", tmp / "one.jsonl", tmp / "hundred.jsonl"
            warm_up, warm_one = tmp / "warm_up.jsonl", tmp / "warm_one.jsonl"
            write_records(data, bulk, 0, size, not args.undated)
            write_records(data, one, size, 1, not args.undated, fresh=True)
            write_records(data, hundred, size + 1, 100, not args.undated, fresh=True)
            write_records(data, warm_up, size + 101, 1, not args.undated, fresh=True)
            write_records(data, warm_one, size + 102, 1, not args.undated, fresh=True)
            db = tmp / "store.db"
            core = core_ms_per_page(bulk)
            first = step(db, bulk, together=True)
            result = {"store": size, "dated": not args.undated, "one_core_ms_per_page": core,
                      "bulk_seconds": first["seconds"],
                      "bulk_articles_per_second": round(first["added"] / first["seconds"], 1),
                      "bulk_peak_rss_mib": first["peak_rss_mib"], "bulk_worker_peak_rss_mib": first["worker_peak_rss_mib"],
                      "bulk_together_peak_rss_mib": first["together_peak_rss_mib"]}
            for name, path in (("add_1", one), ("add_100", hundred)):
                r = step(db, path)
                result.update({f"{name}_seconds": r["seconds"], f"{name}_stories_read": r["stories_read"],
                               f"{name}_peak_rss_mib": r["peak_rss_mib"]})
            r = step(db, warm_one, warm_up)
            result.update({"add_1_warm_seconds": r["seconds"], "add_1_warm_stories_read": r["stories_read"]})
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
