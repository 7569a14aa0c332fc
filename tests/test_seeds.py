"""The defining example: five texts on one event, two of them the same article."""
import re

import pytest

from newsweave import Newsweave


@pytest.fixture(scope="module")
def seed_store(seeds, tmp_path_factory):
    nw = Newsweave(tmp_path_factory.mktemp("seeds") / "s.db")
    report = nw.ingest([seeds])
    assert report.errors == []
    yield nw
    nw.close()


def by_name(nw):
    return {a.source.rsplit("/", 1)[-1][:3]: a for a in nw.articles()}


def sentences(text):
    """Sentences of an article body: lines of prose split at sentence ends, 8 words or more."""
    out = []
    for line in text.splitlines():
        for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", line.strip()):
            if len(s.split()) >= 8 and s.rstrip().endswith((".", "”", '"', "?", "!")):
                out.append(s.strip())
    return out


def test_one_story_of_five_with_four_sources(seed_store):
    stories = seed_store.stories()
    assert len(stories) == 1
    assert len(stories[0].article_ids) == 5
    assert stories[0].independent_sources == 4


def test_aggregator_page_linked_to_the_article_it_wraps(seed_store):
    arts = by_name(seed_store)
    links = seed_store.copy_links()
    assert links[arts["000"].id].original_id == arts["001"].id
    assert arts["001"].id not in links
    assert arts["000"].credited_origin == arts["001"].credited_origin == "New York Times"
    evidence = links[arts["000"].id].evidence
    assert evidence["direction"] and evidence["jaccard"] >= 0.8


def test_no_page_chrome_left(seed_store, seeds):
    arts = by_name(seed_store)
    raw = (seeds / "000_47c3ce1ddb203557.txt").read_text()
    tail = raw.split("appeared first on New York Times.", 1)[1]
    teasers = [ln.strip() for ln in tail.splitlines() if len(ln.split()) >= 2]
    assert teasers, "the aggregator page has headline teasers after the article"
    body = arts["000"].text
    assert not [t for t in teasers if t in body]
    for menu in ("No Result", "View All Result", "Home News"):
        assert menu not in body
    for key in ("002", "003"):
        text = arts[key].text.lower()
        assert "comment" not in text and "reply" not in text and "required fields" not in text


def test_no_article_sentence_lost(seed_store, seeds):
    arts = by_name(seed_store)
    # 001 is the bare article: every one of its sentences must survive in both copies
    raw_001 = (seeds / "001_ad42f186b11cc35e.txt").read_text()
    article_sentences = [s for s in sentences(raw_001) if "appeared first on" not in s]
    assert len(article_sentences) > 15
    for key in ("000", "001"):
        missing = [s for s in article_sentences if s not in arts[key].text]
        assert not missing, (key, missing)
    for key, name in (("002", "002_8283f320a35650dd.txt"), ("003", "003_89f001be194d08bb.txt"),
                      ("004", "004_aea31402ca2acb0f.txt")):
        raw = (seeds / name).read_text()
        kept = [s for s in sentences(raw) if "comment" not in s.lower() and "email" not in s.lower()]
        missing = [s for s in kept if s not in arts[key].text]
        assert not missing, (key, missing)


def test_titles_and_dates_recovered(seed_store):
    arts = by_name(seed_store)
    assert arts["000"].title.startswith("North Korean Soldiers Return to Fanfare")
    assert arts["000"].published == "2025-12-13"
    assert arts["002"].published == "2025-12-14"
    assert arts["002"].title.startswith("North Korea Publicly Hails Troops")
    # a title is metadata, not a line of the body
    assert not arts["002"].text.startswith(arts["002"].title)
