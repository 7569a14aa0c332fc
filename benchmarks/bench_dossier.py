"""Dossier throughput and the conflicts it flags on FA-KES (Syrian-war incidents, 15 outlets).

    python benchmarks/bench_dossier.py ../shared/data [--dump conflicts.jsonl]

Ingests the 804 articles into a fresh store, builds the dossier of every story with two or more independent
sources, and prints articles/s for the dossier step (spaCy parsing, extraction, alignment), peak memory, and
the number of facts by status. With --dump, writes every `conflict` fact on a casualty count with the
sentence around each variant, for checking by hand (see docs/evaluation.md).
"""
from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from newsweave import Newsweave

CASUALTIES = {"killed", "wounded", "killed or wounded"}


def sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start) + 2, 0)
    right = text.find(". ", end)
    return text[left: right + 1 if right >= 0 else len(text)].strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--dump")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Newsweave(Path(tmp) / "fakes.db") as nw:
        nw.ingest([Path(args.data) / "fakes" / "articles.jsonl"])
        stories = [s for s in nw.stories() if s.independent_sources >= 2]
        n_articles = sum(len(s.article_ids) for s in stories)
        start = time.perf_counter()
        nw.build_dossiers([s.id for s in stories])  # parse all articles at once, on every core
        dossiers = {s.id: nw.dossier(s.id) for s in stories}
        seconds = time.perf_counter() - start
        statuses: dict[str, int] = {}
        conflicts = []
        for s in stories:
            texts = {a.id: (a.text, a.outlet) for a in nw.articles(s.id)}
            for fact in dossiers[s.id]["facts"]:
                statuses[fact["status"]] = statuses.get(fact["status"], 0) + 1
                if fact["status"] == "conflict" and fact.get("counted") in CASUALTIES:
                    conflicts.append({
                        "story_id": s.id, "title": s.title, "counted": fact["counted"], "rule": fact["rule"],
                        "variants": [{"text": v["text"], "article_ids": v["article_ids"],
                                      "outlets": sorted({texts[a][1] or "" for a in v["article_ids"]}),
                                      "sentence": sentence_around(texts[v["evidence"][0]["article_id"]][0],
                                                                  v["evidence"][0]["start"], v["evidence"][0]["end"])}
                                     for v in fact["variants"]]})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in conflicts)
    print(json.dumps({"stories": len(stories), "articles": n_articles, "seconds": round(seconds, 1),
                      "articles_per_second": round(n_articles / seconds, 1), "peak_rss_mib": round(peak),
                      "worker_peak_rss_mib": round(worker_peak),
                      "facts_by_status": statuses, "casualty_conflicts": len(conflicts),
                      "stories_with_casualty_conflict": len({c["story_id"] for c in conflicts})}))


if __name__ == "__main__":
    main()
