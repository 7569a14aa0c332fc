"""Stories of the same quality in any order and over any number of ingests.

    python benchmarks/order_stability.py ../shared/data/gvc-dev [--ingests 1 5] [--orders 3]
    python benchmarks/order_stability.py ../shared/data/ecbplus-dev [--options '{"particulars_names": 0}']

A labelled set holds gold.tsv (doc_id, event_id) and either articles.jsonl (records with "id", dates and
outlets: gvc-dev) or docs/*.txt (ecbplus-dev). For each number of ingests N and each order (the file's
order, then shuffles with seeds 1, 2, ...), the documents are dealt round-robin into N parts ingested one
after the other into one store; the final stories are scored with B-cubed against the gold events. Prints
one JSON line per run and, per N, the spread of F1 over the orders.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
from pathlib import Path

from newsweave import Newsweave
from newsweave.evaluate.clustering import load_gold, score
from newsweave.options import Options


def run(directory: Path, n: int, seed: int, options: Options) -> dict:
    gold = load_gold(directory)
    jsonl = directory / "articles.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if jsonl.exists():
            items = jsonl.read_text(encoding="utf-8").splitlines()
        else:
            items = sorted((directory / "docs").glob("*.txt"))
        if seed:
            random.Random(seed).shuffle(items)
        parts = []
        for k in range(n):
            if jsonl.exists():
                part = tmp / f"part{k}.jsonl"
                part.write_text("\n".join(items[k::n]) + "\n", encoding="utf-8")
            else:
                part = tmp / f"part{k}"
                part.mkdir()
                for doc in items[k::n]:
                    shutil.copy(doc, part / doc.name)
            parts.append(part)
        with Newsweave(tmp / "s.db", options) as nw:
            for part in parts:
                nw.ingest([part])
            predicted = {}
            for a in nw.articles():
                if jsonl.exists():
                    name, line = a.source.rsplit("/", 1)[-1].rsplit(":", 1)
                    k = int(name[4:].split(".")[0])
                    predicted[json.loads(items[k::n][int(line) - 1])["id"]] = a.story_id
                else:
                    predicted[Path(a.source).stem] = a.story_id
    s = score(predicted, gold)
    return {"ingests": n, "order": seed, "bcubed_precision": round(s.bcubed_precision, 3),
            "bcubed_recall": round(s.bcubed_recall, 3), "bcubed_f1": round(s.bcubed_f1, 3), "stories": s.stories}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("directory")
    ap.add_argument("--ingests", type=int, nargs="+", default=[1, 5])
    ap.add_argument("--orders", type=int, default=3, help="the file's order and this many shuffles minus one")
    ap.add_argument("--options", default="{}", help="Options fields as JSON")
    args = ap.parse_args()
    for n in args.ingests:
        f1 = []
        for seed in range(args.orders):
            result = run(Path(args.directory), n, seed, Options(**json.loads(args.options)))
            f1.append(result["bcubed_f1"])
            print(json.dumps(result), flush=True)
        print(json.dumps({"ingests": n, "f1_min": min(f1), "f1_max": max(f1)}), flush=True)


if __name__ == "__main__":
    main()
