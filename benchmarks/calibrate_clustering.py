"""Grid search of the story-clustering settings on labelled sets, to set Options defaults without tuning
to one corpus.

    python benchmarks/calibrate_clustering.py ../shared/data/ecbplus-dev ../shared/data/gvc-dev \
        [--grid '{"date_grace_days": [0, 1]}'] [--fakes ../shared/data/fakes/articles.jsonl]

Each directory holds gold.tsv (doc_id, event_id, topic_id) and either articles.jsonl (records with "id",
dates, outlets: gvc-dev) or docs/*.txt (ecbplus-dev). Each setting ingests each set into a fresh store
once; a setting's score is the mean B-cubed F1 over the sets. The two-fold check splits every set by
topic (ECB+ topic numbers odd and even; other sets by a hash of the topic): the setting best on one half
of every set is scored on the other half, and the other way round, so the gain of tuning can be told from
the gain of the method. `--grid` replaces the grid (Options fields and their values, as JSON). `--fakes`
prints each setting's FA-KES purity beside its scores (fakes_stories.py): FA-KES has no event labels, so it
is a guard against settings that join incidents, never a score the grid maximises: the best setting and the
two-fold check choose only among settings whose purity is at least `--fakes-floor`.
"""
from __future__ import annotations

import argparse
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

sys.path.insert(0, str(Path(__file__).parent))
from fakes_stories import fakes_scores  # noqa: E402

GRID = {"story_threshold": (0.11, 0.12), "date_grace_days": (0.0, 0.5, 1.0), "date_half_life_days": (2.0, 2.5, 3.0),
        "split_anchor_weight": (0.6, 0.8, 1.0)}


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


def main(directories: list[str], grid: dict, fakes: Path | None, floor: float) -> None:
    sets = [Path(d) for d in directories]
    golds = [load_gold(d) for d in sets]
    parts = [halves(d, g) for d, g in zip(sets, golds)]
    runs, allowed = {}, []
    for values in itertools.product(*grid.values()):
        setting = dict(zip(grid, values))
        runs[values] = [stories_of(d, Options(**setting)) for d in sets]
        f1 = [score(p, g).bcubed_f1 for p, g in zip(runs[values], golds)]
        guard = {}
        if fakes:
            fk = fakes_scores(fakes, Options(**setting))
            guard = {"fakes_purity": fk["bcubed_precision"], "fakes_over_3_days": fk["stories_2plus_sources_over_3_days"]}
        if not fakes or guard["fakes_purity"] >= floor:
            allowed.append(values)
        print(json.dumps({**setting, **{d.name: round(f, 3) for d, f in zip(sets, f1)},
                          "mean": round(sum(f1) / len(f1), 3), **guard}), flush=True)

    def mean_f1(values, k=None) -> float:
        scores = [score(p, g if k is None else part[k]).bcubed_f1 for p, g, part in zip(runs[values], golds, parts)]
        return sum(scores) / len(scores)
    if not allowed:
        print(f"no setting keeps FA-KES purity at {floor} or above")
        return
    if fakes:
        print(f"choosing among the {len(allowed)} settings of {len(runs)} with FA-KES purity >= {floor}")
    best = max(allowed, key=mean_f1)
    print(f"best: {dict(zip(grid, best))} mean B3 F1 {mean_f1(best):.3f}")
    for k in (0, 1):
        chosen = max(allowed, key=lambda v: mean_f1(v, k))
        other = [round(score(p, part[1 - k]).bcubed_f1, 3) for p, part in zip(runs[chosen], parts)]
        print(f"tuned on half {k}: {dict(zip(grid, chosen))}, mean B3 F1 there {mean_f1(chosen, k):.3f}, "
              f"on the other half {mean_f1(chosen, 1 - k):.3f} (per set {other})")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+", help="labelled set directories")
    ap.add_argument("--grid", help="JSON: Options field -> list of values (replaces the default grid)")
    ap.add_argument("--fakes", type=Path, help="FA-KES articles.jsonl, for its purity beside each setting")
    ap.add_argument("--fakes-floor", type=float, default=0.677,
                    help="settings whose FA-KES purity falls below this are not chosen (0.677: the stories before "
                         "people's names and days named)")
    args = ap.parse_args()
    grid = {k: tuple(v) for k, v in json.loads(args.grid).items()} if args.grid else GRID
    main(args.sets, grid, args.fakes, args.fakes_floor)
