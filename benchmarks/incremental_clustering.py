"""Story clustering when documents arrive over several ingests (a labelled set laid out as ecbplus-dev).

    python benchmarks/incremental_clustering.py ../shared/data/ecbplus-dev [--ingests 2 5 10]

The documents are dealt round-robin into N folders, ingested one after the other into one store, and the
final stories are scored with B-cubed against the gold events, as `newsweave eval clustering` scores a
single ingest.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from newsweave import Newsweave
from newsweave.evaluate.clustering import load_gold, score


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("directory")
    ap.add_argument("--ingests", type=int, nargs="+", default=[2, 5, 10])
    args = ap.parse_args()
    directory = Path(args.directory)
    gold = load_gold(directory)
    docs = sorted((directory / "docs").glob("*.txt"))
    for n in args.ingests:
        with tempfile.TemporaryDirectory() as tmp:
            parts = [Path(tmp) / f"part{k}" for k in range(n)]
            for k, part in enumerate(parts):
                part.mkdir()
                for doc in docs[k::n]:
                    shutil.copy(doc, part / doc.name)
            with Newsweave(Path(tmp) / "s.db") as nw:
                for part in parts:
                    nw.ingest([part])
                predicted = {Path(a.source).stem: a.story_id for a in nw.articles()}
        s = score(predicted, gold)
        print(json.dumps({"ingests": n, "bcubed_precision": round(s.bcubed_precision, 3),
                          "bcubed_recall": round(s.bcubed_recall, 3), "bcubed_f1": round(s.bcubed_f1, 3),
                          "stories": s.stories}), flush=True)


if __name__ == "__main__":
    main()
