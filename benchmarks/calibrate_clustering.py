"""Grid search of the story-clustering settings on labelled sets, to set Options defaults without tuning
to one corpus.

    python benchmarks/calibrate_clustering.py ../shared/data/ecbplus-dev ../shared/data/gvc-dev

Each directory holds gold.tsv (doc_id, event_id, topic_id) and either articles.jsonl (records with "id",
dates, outlets: gvc-dev) or docs/*.txt (ecbplus-dev). Each setting ingests each set into a fresh store
once; a setting's score is the mean B-cubed F1 over the sets. The two-fold check splits every set by
topic (ECB+ topic numbers odd and even; other sets by a hash of the topic): the setting best on one half
of every set is scored on the other half, and the other way round, so the gain of tuning can be told from
the gain of the method.
"""
from __future__ import annotations

import csv
import itertools
import json
import sys
import tempfile
import zlib
from pathlib import Path

from newsweave import Newsweave
from newsweave.evaluate.clustering import load_gold, score
from newsweave.options import Options

GRID = {"story_threshold": (0.10, 0.12, 0.15), "particulars_names": (1, 2, 3),
        "date_half_life_days": (2.0, 3.0), "split_max_cut": (0.25, 0.3)}


def stories_of(directory: Path, options: Options) -> dict[str, int]:
    jsonl = directory / "articles.jsonl"
    with tempfile.TemporaryDirectory() as tmp, Newsweave(Path(tmp) / "c.db", options) as nw:
        if jsonl.exists():
            records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
            nw.ingest([jsonl])
            return {records[int(a.source.rsplit(":", 1)[1]) - 1]["id"]: a.story_id for a in nw.articles()}
        nw.ingest([directory / "docs"])
        return {Path(a.source).stem: a.story_id for a in nw.articles()}


def halves(directory: Path, gold: dict[str, str]) -> list[dict[str, str]]:
    with open(directory / "gold.tsv", encoding="utf-8", newline="") as fh:
        topic = {r["doc_id"]: r.get("topic_id") or r["doc_id"].split("_")[0] for r in csv.DictReader(fh, delimiter="\t")}

    def side(t: str) -> int:
        return int(t) % 2 if t.isdigit() else zlib.crc32(t.encode()) % 2
    return [{d: e for d, e in gold.items() if side(topic[d]) == k} for k in (0, 1)]


def main(directories: list[str]) -> None:
    sets = [Path(d) for d in directories]
    golds = [load_gold(d) for d in sets]
    parts = [halves(d, g) for d, g in zip(sets, golds)]
    runs = {}
    for values in itertools.product(*GRID.values()):
        setting = dict(zip(GRID, values))
        runs[values] = [stories_of(d, Options(**setting)) for d in sets]
        f1 = [score(p, g).bcubed_f1 for p, g in zip(runs[values], golds)]
        print(json.dumps({**setting, **{d.name: round(f, 3) for d, f in zip(sets, f1)},
                          "mean": round(sum(f1) / len(f1), 3)}), flush=True)

    def mean_f1(values, k=None) -> float:
        scores = [score(p, g if k is None else part[k]).bcubed_f1 for p, g, part in zip(runs[values], golds, parts)]
        return sum(scores) / len(scores)
    best = max(runs, key=mean_f1)
    print(f"best: {dict(zip(GRID, best))} mean B3 F1 {mean_f1(best):.3f}")
    for k in (0, 1):
        chosen = max(runs, key=lambda v: mean_f1(v, k))
        other = [round(score(p, part[1 - k]).bcubed_f1, 3) for p, part in zip(runs[chosen], parts)]
        print(f"tuned on half {k}: {dict(zip(GRID, chosen))}, mean B3 F1 there {mean_f1(chosen, k):.3f}, "
              f"on the other half {mean_f1(chosen, 1 - k):.3f} (per set {other})")


if __name__ == "__main__":
    main(sys.argv[1:])
