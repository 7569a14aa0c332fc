"""The stage contract: blocks take records and yield records, drop with a reason, and count the same
however the work is spread."""
from __future__ import annotations

import json

from newsweave import Newsweave, Options
from newsweave.prepare import CleanJob, Prepared, document_stages
from newsweave.records import RawDocument
from newsweave.stages import Dropped, Stage, run_stages


def test_stages_pass_drops_on_and_count_each_record_once():
    docs = [RawDocument("a.txt", "text", "Flood waters rose across the lowland villages of Veldmark on Tuesday "
                                         "after three days of rain, and crews moved two hundred families."),
            RawDocument("b.txt", "text", "x"), RawDocument("c.html", "html", "<html><body><nav>Home</nav></body></html>")]
    stages = document_stages(Options())
    out = list(run_stages(stages, [CleanJob(d) for d in docs]))
    assert [type(r) for r in out] == [Prepared, Dropped, Dropped]
    assert [r.source for r in out] == ["a.txt", "b.txt", "c.html"] and {r.stage for r in out[1:]} == {"clean"}
    clean, describe = (stage.take_stats() for stage in stages)
    assert sum(clean.values()) == 3 and clean["cleaned_text"] == 1
    assert describe == {"language_en": 1} and stages[0].take_stats() == {}  # taken once, then from zero

    class Upper(Stage):
        name = "upper"

        def process(self, record):
            return record.upper()

    assert list(Upper().run(["a", Dropped("x", "why", "clean", "n"), "b"]))[::2] == ["A", "B"]


def test_counters_add_up_the_same_in_one_process_or_in_workers(tmp_path):
    from importlib import resources

    sample = resources.files("newsweave").joinpath("data/sample")
    lines = (sample / "fakes.jsonl").read_text(encoding="utf-8").splitlines()[:120]
    broken = [json.dumps({"text": "too short"}), json.dumps({"html": "<html><body><nav>Menu</nav></body></html>"})]
    (tmp_path / "in.jsonl").write_text("\n".join(lines + broken) + "\n", encoding="utf-8")
    stats = []
    for workers in (1, 2):
        with Newsweave(tmp_path / f"{workers}.db", Options(workers=workers, parallel_min_batch=20)) as nw:
            report = nw.ingest([tmp_path / "in.jsonl"])
        stats.append({k: v for k, v in report.stats.items() if k in ("read", "clean", "describe")})
        assert sum(report.stats["clean"].values()) == report.stats["read"]["documents"] - report.already_stored
        dropped = report.stats["clean"].get("dropped_no_text", 0) + report.stats["clean"].get("dropped_too_short", 0)
        assert dropped == 1 and len(report.errors) == 2
    assert stats[0] == stats[1]


def test_the_facts_stage_counts_alike_in_one_process_or_two(seeds):
    from newsweave.facts import FactExtractor, facts_to_json

    items = [(p.name, p.read_text(encoding="utf-8"), "2025-12-13") for p in sorted(seeds.iterdir())]
    extractor = FactExtractor()
    here, counted_here = [facts_to_json(f) for f in extractor.run(items)], extractor.take_stats()
    spread = [facts_to_json(f) for f in extractor.extract_many(items, processes=2)]
    assert spread == here and extractor.take_stats() == counted_here and counted_here["quantities"] > 10
