"""Conflict flags on FA-KES stories read by hand (tests/fixtures/fakes_conflicts_checked.json): the real
disagreements flagged when they were read must still be flagged, wrong flags fixed before must not come
back, and the share of real ones among all conflict flags in those stories must stay at the target."""
import json
from pathlib import Path

import pytest

from newsweave import Newsweave
from newsweave.align import Source, build_dossier
from newsweave.dossier import outlet_label
from newsweave.facts import FactExtractor

CHECKED = json.loads((Path(__file__).parent / "fixtures" / "fakes_conflicts_checked.json").read_text(encoding="utf-8"))
TARGET_PRECISION = 0.9  # measured 31 of 34 (0.91) over the 54 stories when last read; an unread new flag counts as wrong


def _kind(fact: dict) -> str:
    return fact.get("counted") or fact["kind"]


@pytest.fixture(scope="module")
def flags(data_dir, tmp_path_factory):
    wanted = {i for s in CHECKED["stories"] for i in s["story_articles"]}
    records = [json.loads(line) for line in open(data_dir / "fakes" / "articles.jsonl", encoding="utf-8")]
    folder = tmp_path_factory.mktemp("fakes")
    with open(folder / "checked.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records if r["id"] in wanted)
    with Newsweave(folder / "f.db") as nw:
        nw.ingest([folder / "checked.jsonl"])
        line_id = [r["id"] for r in records if r["id"] in wanted]
        articles = {line_id[int(a.source.rsplit(":", 1)[1]) - 1]: a for a in nw.articles()}
    fx = FactExtractor()
    facts = {f.article_id: f for f in fx.extract_many([(a.id, a.text, a.published) for a in articles.values()],
                                                      processes=2)}
    found = []  # (story key, counted or kind, texts of the variants) of every conflict
    for story in CHECKED["stories"]:
        key, copy_of = tuple(story["story_articles"]), story["copy_of"]
        sources = {articles[i].id: Source(articles[i], articles[copy_of.get(i, i)].id, outlet_label(articles[i]))
                   for i in key}
        for fact in build_dossier(sources, [facts[articles[i].id] for i in key])["facts"]:
            if fact["status"] == "conflict":
                found.append((key, _kind(fact), {v["text"] for v in fact["variants"]}))
    return found


def _is_real(key: tuple, counted: str, texts: set) -> bool:
    return any(e["true_conflict"] and tuple(e["story_articles"]) == key and e["counted"] == counted
               and set(e["flagged"]) <= texts for e in CHECKED["flags"])


def test_fifty_stories_were_read():
    assert len({tuple(s["story_articles"]) for s in CHECKED["stories"]}) >= 50


def test_real_disagreements_are_still_flagged(flags):
    for entry in CHECKED["flags"]:
        if entry["true_conflict"]:
            key = tuple(entry["story_articles"])
            assert any(k == key and c == entry["counted"] and set(entry["flagged"]) <= texts
                       for k, c, texts in flags), entry["note"]


def test_wrong_flags_fixed_before_do_not_come_back(flags):
    current = {(k, c, frozenset(texts)) for k, c, texts in flags}
    for entry in CHECKED["wrong_before"]:
        assert (tuple(entry["story_articles"]), entry["counted"], frozenset(entry["flagged"])) not in current, \
            entry["note"]


def test_conflict_precision_on_read_stories_stays_at_target(flags):
    real = sum(_is_real(k, c, texts) for k, c, texts in flags)
    assert flags and real / len(flags) >= TARGET_PRECISION, flags
