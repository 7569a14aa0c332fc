"""Build the bundled sample corpus from the licence-clean development sets.

    python scripts/build_sample.py ../shared/data

Takes FA-KES incidents reported by three or more outlets (CC BY 4.0) and a few ECB+ topics, both events
of each (CC BY 3.0), and writes them as JSON lines under src/newsweave/data/sample/.
"""
from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path("src/newsweave/data/sample")
FAKES_INCIDENTS = 25
ECB_TOPICS = ("1", "3", "8", "18", "30")


def main(data: Path) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    groups = defaultdict(list)
    with open(data / "fakes" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            groups[(a["published"], a["location"])].append(a)
    multi = sorted((k for k, v in groups.items() if len({a["outlet"] for a in v}) >= 3), key=lambda k: k)
    with open(OUT / "fakes.jsonl", "w", encoding="utf-8") as out:
        for key in multi[:FAKES_INCIDENTS]:
            for a in groups[key]:
                out.write(json.dumps({k: a[k] for k in ("id", "title", "text", "outlet", "published")},
                                     ensure_ascii=False) + "\n")
    ecb = data / "ecbplus-dev"
    with open(ecb / "gold.tsv", encoding="utf-8") as fh:
        docs = [r["doc_id"] for r in csv.DictReader(fh, delimiter="\t") if r["topic_id"] in ECB_TOPICS]
    urls = {}
    with open(ecb / "meta.jsonl", encoding="utf-8") as fh:
        for line in fh:
            m = json.loads(line)
            urls[m["id"]] = m.get("url")
    with open(OUT / "ecbplus.jsonl", "w", encoding="utf-8") as out:
        for doc in docs:
            text = (ecb / "docs" / f"{doc}.txt").read_text(encoding="utf-8")
            out.write(json.dumps({"id": f"ecbplus-{doc}", "text": text, "url": urls.get(doc)}, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")))
