"""How well stories keep FA-KES incidents apart (a check beside ecbplus-dev, which is mostly undated).

    python benchmarks/fakes_stories.py ../shared/data [--options '{"date_half_life_days": 0}'] [--ingests 5]

FA-KES has no event labels, but each article carries the incident's date and province. Two articles with the
same (date, province) are taken as one incident: a rough label (one incident reported a day apart counts as
two; two incidents in one province on one day count as one), so read the B-cubed precision as a lower bound on
story purity and compare settings, not absolute values. Also prints how many stories with two or more
independent sources span more than three days of incident dates (a story mixing incidents, almost surely).
With --ingests N the articles are dealt round-robin into N files ingested one after the other.
"""
from __future__ import annotations

import argparse
import datetime
import json
import tempfile
from pathlib import Path

from newsweave import Newsweave
from newsweave.evaluate.clustering import score
from newsweave.options import Options


def fakes_scores(path: Path, options: Options, ingests: int = 1) -> dict:
    """Stories of FA-KES's articles.jsonl at `path`, scored against (incident date, province)."""
    lines = open(path, encoding="utf-8").read().splitlines()
    with tempfile.TemporaryDirectory() as tmp, Newsweave(Path(tmp) / "f.db", options) as nw:
        parts = {}
        for k in range(ingests):
            part = Path(tmp) / f"part{k}.jsonl"
            part.write_text("\n".join(lines[k::ingests]) + "\n", encoding="utf-8")
            parts[part.name] = [json.loads(line) for line in lines[k::ingests]]
            nw.ingest([part])
        articles = list(nw.articles())
        stories = [s for s in nw.stories() if s.independent_sources >= 2]
    record = {}
    for a in articles:
        name, line = a.source.rsplit("/", 1)[-1].rsplit(":", 1)
        record[a.id] = parts[name][int(line) - 1]
    incident = {i: (r["published"], r["location"]) for i, r in record.items()}
    s = score({a.id: a.story_id for a in articles}, incident)
    wide = 0
    for story in stories:
        days = sorted(datetime.date.fromisoformat(record[i]["published"]) for i in story.article_ids)
        wide += (days[-1] - days[0]).days > 3
    return {"articles": len(articles), "stories": s.stories, "incident_labels": s.gold_events,
            "bcubed_precision": round(s.bcubed_precision, 3), "bcubed_recall": round(s.bcubed_recall, 3),
            "bcubed_f1": round(s.bcubed_f1, 3), "stories_2plus_sources": len(stories),
            "articles_in_them": sum(len(st.article_ids) for st in stories),
            "stories_2plus_sources_over_3_days": wide}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--options", default="{}", help="Options fields as JSON")
    ap.add_argument("--ingests", type=int, default=1, help="successive ingests the articles are dealt over")
    args = ap.parse_args()
    options = Options(**json.loads(args.options))
    print(json.dumps(fakes_scores(Path(args.data) / "fakes" / "articles.jsonl", options, args.ingests)))


if __name__ == "__main__":
    main()
