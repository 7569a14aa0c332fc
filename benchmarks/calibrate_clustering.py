"""Grid search of the story-clustering settings on a labelled set (ecbplus-dev), to set Options defaults.

    python benchmarks/calibrate_clustering.py ../shared/data/ecbplus-dev

Each setting ingests the documents into a fresh store once. Besides the score over all topics, it prints
a two-fold check: the best setting on the odd topics scored on the even ones, and the other way round,
so the gain of tuning can be told from the gain of the method.
"""
from __future__ import annotations

import csv
import itertools
import sys
import tempfile
from pathlib import Path

from newsweave import Newsweave
from newsweave.evaluate.clustering import load_gold, score
from newsweave.options import Options

GRID = {"story_threshold": (0.10, 0.12, 0.15), "split_max_cut": (0.2, 0.25, 0.3, 0.35),
        "split_anchor_weight": (0.6, 1.0), "split_neighbours": (5, 7)}


def stories_of(directory: Path, options: Options) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp, Newsweave(Path(tmp) / "c.db", options) as nw:
        nw.ingest([directory / "docs"])
        return {Path(a.source).stem: a.story_id for a in nw.articles()}


def main(directory: str) -> None:
    directory = Path(directory)
    gold = load_gold(directory)
    with open(directory / "gold.tsv", encoding="utf-8", newline="") as fh:
        topic = {r["doc_id"]: r.get("topic_id") or r["doc_id"].split("_")[0] for r in csv.DictReader(fh, delimiter="\t")}
    halves = [{d: e for d, e in gold.items() if int(topic[d]) % 2 == k} for k in (0, 1)]
    runs = {}
    for values in itertools.product(*GRID.values()):
        setting = dict(zip(GRID, values))
        runs[values] = predicted = stories_of(directory, Options(**setting))
        s = score(predicted, gold)
        print(" ".join(f"{k} {v}" for k, v in setting.items()) + f": B3 P {s.bcubed_precision:.3f} "
              f"R {s.bcubed_recall:.3f} F1 {s.bcubed_f1:.3f} stories {s.stories}", flush=True)
    best = max(runs, key=lambda v: score(runs[v], gold).bcubed_f1)
    print(f"best: {dict(zip(GRID, best))} B3 F1 {score(runs[best], gold).bcubed_f1:.3f}")
    for k in (0, 1):
        chosen = max(runs, key=lambda v: score(runs[v], halves[k]).bcubed_f1)
        print(f"tuned on {'even odd'.split()[k]} topics: {dict(zip(GRID, chosen))}, B3 F1 there "
              f"{score(runs[chosen], halves[k]).bcubed_f1:.3f}, on the other topics "
              f"{score(runs[chosen], halves[1 - k]).bcubed_f1:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
