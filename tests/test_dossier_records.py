"""The dossier's typed records are its export contract: every dossier built reads into them and back
unchanged, and their JSON keys are pinned here (more may be added; none renamed or dropped)."""
from importlib import resources

from newsweave import Newsweave
from newsweave.align.records import Dossier

KEYS = {
    "dossier": {"story_id", "independent_sources", "facts", "quotes", "timeline", "summary", "coverage"},
    "fact": {"id", "kind", "status", "rule", "statement", "sources", "variants"},
    "quantity fact": {"id", "kind", "status", "rule", "statement", "sources", "variants", "counted"},
    "variant": {"value", "text", "article_ids", "evidence"},
    "quantity variant": {"value", "qualifier", "low", "high", "text", "article_ids", "evidence"},
    "evidence": {"article_id", "start", "end"},
    "quote": {"statement", "speaker", "text", "direct", "cue", "channel", "article_ids", "sources",
              "statement_sources", "evidence", "variants"},
    "quote telling": {"article_id", "text", "speaker", "speaker_as_written", "cue", "channel", "direct", "evidence",
                      "verbatim"},
    "timeline entry": {"date", "granularity", "event", "label", "background", "text", "article_ids", "sources",
                       "relative", "evidence"},
    "summary sentence": {"text", "article_ids", "sources", "evidence", "facts"},
    "coverage": {"reports", "omits"},
}


def test_every_dossier_reads_into_the_records_and_back_unchanged(seeds, tmp_path):
    sample = resources.files("newsweave").joinpath("data/sample/fakes.jsonl")
    seen = {name: 0 for name in KEYS}
    with Newsweave(tmp_path / "r.db") as nw:
        nw.ingest([seeds, str(sample)])
        nw.build_dossiers()
        for story in nw.stories():
            d = nw.dossier(story.id)
            assert Dossier.from_dict(d).to_dict() == d
            for name, items in keyed(d):
                for item in items:
                    seen[name] += 1
                    got = set(item)
                    assert got == KEYS[name] or (name == "quantity fact" and got == KEYS[name] | {"key"}), (name, got)
    assert all(seen.values()), seen  # every kind of record was met


def keyed(d):
    yield "dossier", [d]
    facts = d["facts"]
    yield "fact", [f for f in facts if f["kind"] != "quantity"]
    yield "quantity fact", [f for f in facts if f["kind"] == "quantity"]
    yield "variant", [v for f in facts if f["kind"] != "quantity" for v in f["variants"]]
    yield "quantity variant", [v for f in facts if f["kind"] == "quantity" for v in f["variants"]]
    tellings = [t for q in d["quotes"] for t in q["variants"]]
    yield "evidence", [e for f in facts for v in f["variants"] for e in v["evidence"]] + \
        [e for t in tellings for e in t["evidence"] + t["verbatim"]]
    yield "quote", d["quotes"]
    yield "quote telling", tellings
    yield "timeline entry", d["timeline"]
    yield "summary sentence", d["summary"]
    yield "coverage", list(d["coverage"].values())
