"""Peak memory and time of one bulk ingest, step by step: after reading and storing, and after each phase
of placement (copies, stories, split, merge, containment, links).

    python benchmarks/placement_memory.py ../shared/data [--articles 100000]

The pages are bench_incremental.py's dated JSON lines. Prints one line per step with the seconds since the
start, the peak RSS of the main process so far and its RSS now, then the largest worker's.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_incremental import write_records  # noqa: E402

import newsweave.placement as placement  # noqa: E402
from newsweave import Newsweave  # noqa: E402

PHASES = ["_copies", "_assign", "_split", "_merge", "_contained", "_links"]


def peak_mib(who: int = resource.RUSAGE_SELF) -> int:
    return resource.getrusage(who).ru_maxrss // 1024


def now_mib() -> int:
    """Resident memory of this process now (Linux), to tell what a phase holds from what it peaked at."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() // 2**20


def probe(start: float) -> None:
    """Print the time and peak memory when placement starts and after each of its phases."""
    def after(name: str, method):
        def wrapped(self, *args, **kwargs):
            result = method(self, *args, **kwargs)
            print(f"{time.perf_counter() - start:7.1f} s  after {name.strip('_')}: peak {peak_mib()} MiB, "
                  f"now {now_mib()} MiB", flush=True)
            return result
        return wrapped

    for name in PHASES:
        setattr(placement.Placement, name, after(name, getattr(placement.Placement, name)))
    run = placement.Placement.run

    def starting(self):
        print(f"{time.perf_counter() - start:7.1f} s  placement starts (read and stored): {peak_mib()} MiB", flush=True)
        return run(self)

    placement.Placement.run = starting


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--articles", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages.jsonl"
        write_records(Path(args.data), pages, 0, args.articles, True)
        start = time.perf_counter()
        probe(start)
        with Newsweave(Path(tmp) / "store.db") as nw:
            report = nw.ingest([pages])
        seconds = time.perf_counter() - start
        print(f"{seconds:7.1f} s  done: {report.added} articles ({report.added / seconds:.0f}/s); peak {peak_mib()} "
              f"MiB, largest worker {peak_mib(resource.RUSAGE_CHILDREN)} MiB")


if __name__ == "__main__":
    main()
