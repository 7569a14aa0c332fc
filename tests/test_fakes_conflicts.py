"""Conflict flags on FA-KES stories that were checked by hand: the real disagreements must still be flagged,
and the share of real ones among the flags in those stories must not fall below what was measured."""
import json
from pathlib import Path

import pytest

from newsweave import Newsweave
from newsweave.align import Source, build_dossier
from newsweave.dossier import outlet_label
from newsweave.facts import FactExtractor

CHECKED = json.loads((Path(__file__).parent / "fixtures" / "fakes_conflicts_checked.json").read_text(encoding="utf-8"))
CASUALTIES = {"killed", "wounded", "killed or wounded"}
MEASURED_PRECISION = 8 / 9  # real flags among all casualty conflicts in these stories, when last checked


@pytest.fixture(scope="module")
def flags(data_dir, tmp_path_factory):
    wanted = {i for entry in CHECKED for i in entry["story_articles"]}
    records = [json.loads(line) for line in open(data_dir / "fakes" / "articles.jsonl", encoding="utf-8")]
    folder = tmp_path_factory.mktemp("fakes")
    with open(folder / "checked.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records if r["id"] in wanted)
    with Newsweave(folder / "f.db") as nw:
        nw.ingest([folder / "checked.jsonl"])
        line_id = [r["id"] for r in records if r["id"] in wanted]
        articles = {line_id[int(a.source.rsplit(":", 1)[1]) - 1]: a for a in nw.articles()}
    fx = FactExtractor()
    found = []  # (story key, counted, flagged figure texts) of every casualty conflict
    for key in {tuple(e["story_articles"]) for e in CHECKED}:
        copy_of = next(e["copy_of"] for e in CHECKED if tuple(e["story_articles"]) == key)
        members = [articles[i] for i in key]
        sources = {a.id: Source(a, articles[copy_of[fid]].id if fid in copy_of else a.id, outlet_label(a))
                   for fid, a in zip(key, members)}
        facts = fx.extract_many([(a.id, a.text, a.published) for a in members])
        for fact in build_dossier(sources, facts)["facts"]:
            if fact["status"] == "conflict" and fact.get("counted") in CASUALTIES:
                found.append((key, fact["counted"], {v["text"] for v in fact["variants"]}))
    return found


def test_real_disagreements_are_still_flagged(flags):
    for entry in CHECKED:
        if entry["true_conflict"] and entry["flagged_when_checked"]:
            key = tuple(entry["story_articles"])
            assert any(k == key and c == entry["counted"] and set(entry["flagged"]) <= texts
                       for k, c, texts in flags), entry["note"]


def test_wrong_flags_fixed_before_do_not_come_back(flags):
    current = {(k, c, frozenset(texts)) for k, c, texts in flags}
    for entry in CHECKED:
        if not entry["true_conflict"] and not entry["flagged_when_checked"]:
            assert (tuple(entry["story_articles"]), entry["counted"], frozenset(entry["flagged"])) not in current, \
                entry["note"]


def test_conflict_precision_on_checked_stories_does_not_fall(flags):
    verdict = {(tuple(e["story_articles"]), e["counted"], frozenset(e["flagged"])): e["true_conflict"] for e in CHECKED}
    real = sum(verdict.get((k, c, frozenset(t)), False) for k, c, t in flags)
    assert flags and real / len(flags) >= MEASURED_PRECISION
