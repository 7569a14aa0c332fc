"""Story clustering scores on a labelled set laid out as `docs/<doc_id>.txt` and `gold.tsv`
(tab-separated, with `doc_id` and `event_id` columns). Documents are ingested into a fresh store with the
same code users run; the clusterer is never told how many events there are."""
from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from newsweave.options import Options


@dataclass
class ClusterScores:
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    documents: int
    gold_events: int
    stories: int

    def as_dict(self) -> dict:
        return asdict(self)


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(predicted: dict[str, object], gold: dict[str, object]) -> ClusterScores:
    ids = [i for i in gold if i in predicted]
    pred_sets, gold_sets = defaultdict(set), defaultdict(set)
    for i in ids:
        pred_sets[predicted[i]].add(i)
        gold_sets[gold[i]].add(i)
    p = r = 0.0
    for i in ids:
        inter = len(pred_sets[predicted[i]] & gold_sets[gold[i]])
        p += inter / len(pred_sets[predicted[i]])
        r += inter / len(gold_sets[gold[i]])
    n = max(len(ids), 1)
    # pairwise: pairs in the same predicted cluster vs pairs in the same gold event
    tp = sum(len(pred_sets[c] & g) * (len(pred_sets[c] & g) - 1) / 2 for c in pred_sets for g in gold_sets.values())
    pred_pairs = sum(len(s) * (len(s) - 1) / 2 for s in pred_sets.values())
    gold_pairs = sum(len(s) * (len(s) - 1) / 2 for s in gold_sets.values())
    pp = tp / pred_pairs if pred_pairs else 1.0
    pr = tp / gold_pairs if gold_pairs else 1.0
    return ClusterScores(p / n, r / n, _f(p / n, r / n), pp, pr, _f(pp, pr), len(ids), len(gold_sets), len(pred_sets))


def load_gold(directory: Path) -> dict[str, str]:
    with open(directory / "gold.tsv", encoding="utf-8", newline="") as fh:
        return {row["doc_id"]: row["event_id"] for row in csv.DictReader(fh, delimiter="\t")}


def evaluate(directory: str | Path, options: Options | None = None, db: str | None = None) -> ClusterScores:
    from newsweave.api import Newsweave

    directory = Path(directory)
    gold = load_gold(directory)
    with tempfile.TemporaryDirectory() as tmp:
        with Newsweave(db or Path(tmp) / "eval.db", options) as nw:
            nw.ingest([directory / "docs"])
            predicted = {Path(a.source).stem: a.story_id for a in nw.articles()}
    return score(predicted, gold)
