"""Following sources over a recorded news site served on 127.0.0.1 (tests/newssite.py): feeds, pages,
sitemaps and OPML fetched politely, each page once, every failure one clear line, alerts exactly when a
story gains a source, a conflict or a changed key figure."""
from __future__ import annotations

import json
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from tests.conftest import run_cli
from tests.newssite import BROKEN, GOOD, build_site

from newsweave import Newsweave, Options
from newsweave.ingest.fetch import Fetcher, FetchError

T0 = datetime(2025, 12, 13, 10, tzinfo=timezone.utc)
EVERY = timedelta(minutes=10)


@pytest.fixture
def site(seeds, data_dir):
    site = build_site(seeds, data_dir / "extraction-dev")
    yield site
    site.close()


def quick(**kw) -> Options:
    return Options(**{"fetch_delay": 0.0, "fetch_timeout": 1.0, "max_input_bytes": 2 << 20, **kw})


def story_of(nw: Newsweave, title: str) -> int:
    [sid] = {a.story_id for a in nw.articles() if a.title == title}
    return sid


def test_following_feeds_round_by_round(site, tmp_path):
    """Three rounds over seven outlets and six broken sources, the second and third in new processes (as cron
    or a restarted `watch` runs them): each page is fetched once (a failing one again until it works) and
    stored once though two feeds list it; unchanged feeds answer 304; each article joins the right story;
    the alerts are exactly: in round 2 a new source, a new conflict and a changed key figure on the seed
    story (the aggregator's copy raises none), in round 3 the source whose page failed before."""
    db = tmp_path / "live.db"
    with Newsweave(db, quick()) as nw:
        added, refused = nw.follow([site.url(p) for p in GOOD + BROKEN] + ["ftp://example.org/feed"])
        assert len(added) == len(GOOD + BROKEN) and [e.source for e in refused] == ["ftp://example.org/feed"]
        first = nw.fetch(EVERY, now=T0)
        why = {e.source: e.reason for e in first.errors}
        expected = {"/bad/page.html": "an HTML page, not a feed", "/bad/404.xml": "HTTP 404",
                    "/bad/500.xml": "HTTP 500", "/bad/slow.xml": "timed out", "/bad/loop.xml": "redirect loop",
                    "/bad/huge.xml": "over the 2 MiB limit", "/cut/rss.xml": "malformed",
                    "/odd/rss.xml": "encoding", "/private/memo.html": "robots.txt"}
        for path, phrase in expected.items():
            assert phrase in why.pop(site.url(path)), path
        [(source, reason)] = why.items()  # and one more line: the item with neither link nor text
        assert "Headline only" in source and "no link" in reason
        assert first.alerts == [] and first.round.listings_failed == len(BROKEN)
        titles = Counter(a.title for a in nw.articles())
        assert titles == Counter({"North Korean soldiers return": 1, "Kim honours soldiers": 1,
                                  "Parasite scores upset at SAG awards": 1,
                                  "Islamists Launch Rocket Attack on Damascus At Least 3 Killed 30 Wounded": 1,
                                  "Suicide bombing kills at least 16 in northeast Syria": 1,
                                  "Group IS group land mines killed wounded dozens in Syrian town": 1})
        assert story_of(nw, "North Korean soldiers return") == story_of(nw, "Kim honours soldiers")
        assert len(nw.stories()) == 5
        times = next(a for a in nw.articles() if a.outlet == "The Times")
        assert times.url == site.url("/times/kim-soldiers.html") and times.published == "2025-12-13"

    site.round = 2
    alerts_file = tmp_path / "alerts.jsonl"
    proc = run_cli("fetch", "--db", str(db), "--delay", "0", "--timeout", "1", "--alerts", str(alerts_file),
                   "--webhook", site.url("/hook"))
    assert proc.returncode == 1, proc.stderr  # the broken sources are still broken
    assert "503" in proc.stderr and "tried again next round" in proc.stderr
    second = [json.loads(line) for line in alerts_file.read_text().splitlines()]
    kinds = sorted((a["kind"], a["what"].split(":")[0]) for a in second)
    assert kinds == [("key_figure_changed", "killed or wounded"), ("new_conflict", "sources now disagree"),
                     ("new_source", "new independent source")], second
    assert {a["story_id"] for a in second} == {a["story_id"] for a in site.hooks} and len(site.hooks) == 3
    [source] = [a for a in second if a["kind"] == "new_source"]
    assert "Global Post" in source["what"] and source["evidence"][0]["url"] == site.url("/gp/troops.html")
    [conflict] = [a for a in second if a["kind"] == "new_conflict"]
    quoted = {e["text"] for e in conflict["evidence"]}
    assert any("6,000" in q for q in quoted) and any("3,000" in q for q in quoted)
    assert ("/times/rss.xml", 304) in site.statuses and ("/kw/rss.xml", 304) in site.statuses

    with Newsweave(db, quick()) as nw:
        seed_story = story_of(nw, "North Korean soldiers return")
        assert {story_of(nw, t) for t in ("North Korea hails troops", "North Korean Soldiers Return")} == {seed_story}
        copy = next(a for a in nw.articles() if a.outlet == "DNYUZ")
        times = next(a for a in nw.articles() if a.outlet == "The Times")
        assert nw.copy_links()[copy.id].original_id == times.id
        blast = story_of(nw, "More than 30 Syrian rebels killed in IS group suicide blast")
        assert blast != story_of(nw, "Islamists Launch Rocket Attack on Damascus At Least 3 Killed 30 Wounded")
        assert {a["kind"] for a in nw.alerts(seed_story)} == {a["kind"] for a in second}

    site.page_status.clear()
    site.round = 3
    # the broken sources failed twice: they wait 4 s, past this round
    proc = run_cli("watch", "--db", str(db), "--every", "1s", "--rounds", "1", "--delay", "0", "--timeout", "1")
    third = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(a["kind"], a["story_id"]) for a in third if a["kind"] == "new_source"] == [("new_source", seed_story)]
    assert "Asia Desk" in third[0]["what"]
    pages = Counter(p for m, p, *_ in site.requests if p.endswith(".html") and not p.startswith("/bad/"))
    assert pages.pop("/asia/engineers.html") == 2 and set(pages.values()) == {1}, pages
    assert "/private/memo.html" not in pages  # robots.txt said no

    proc = run_cli("sources", "--db", str(db), "--json", check=True)
    by_path = {s["url"].removeprefix(site.base): s for s in json.loads(proc.stdout)}
    assert by_path["/times/rss.xml"]["articles"] == by_path["/times/world.xml"]["articles"] == 1
    assert by_path["/world/rss.xml"]["articles"] == 3 and by_path["/world/rss.xml"]["failed"] == 1
    assert by_path["/asia/rss.xml"]["articles"] == 1 and by_path["/asia/rss.xml"]["pending"] == 0
    assert by_path["/bad/404.xml"]["failures"] == 2 and "404" in by_path["/bad/404.xml"]["last_error"]
    with Newsweave(db) as nw:
        assert len(nw.articles()) == 10 and len({a.id for a in nw.articles()}) == 10


def test_a_failing_source_waits_longer_each_time(site, tmp_path):
    with Newsweave(tmp_path / "b.db", quick()) as nw:
        nw.follow([site.url("/bad/500.xml"), site.url("/kw/rss.xml")])
        due = []
        for k in range(6):
            report = nw.fetch(EVERY, now=T0 + k * EVERY)
            due.append(report.round.listings_due)
        # the good feed every round; the failing one at 0, then after 2, then 4 intervals
        assert due == [2, 1, 2, 1, 1, 1] and site.count("/bad/500.xml") == 2
        [bad] = [s for s in nw.sources() if s.url.endswith("500.xml")]
        assert bad.failures == 2 and bad.next_fetch_at == "2025-12-13T11:00:00Z"


def test_ingest_takes_urls_pages_feeds_and_sitemaps(site, tmp_path):
    db = str(tmp_path / "u.db")
    proc = run_cli("ingest", "--db", db, site.url("/world/rocket.html"), site.url("/sitemap-index.xml"),
                   site.url("/nowhere.html"), "http://127.0.0.1:9/feed.xml")
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error")]
    assert len(lines) == 2 and "/nowhere.html: HTTP 404" in lines[0] + lines[1] and "127.0.0.1:9" in proc.stderr
    with Newsweave(db) as nw:
        got = {a.url: a for a in nw.articles()}
        assert set(got) == {site.url(p) for p in ("/world/rocket.html", "/kw/kim-honours.html", "/gp/troops.html")}
        assert got[site.url("/gp/troops.html")].title == "North Korea hails troops"  # from the sitemap's news:title
        assert got[site.url("/gp/troops.html")].published == "2025-12-13"


def test_follow_an_opml_list(site, tmp_path):
    db = str(tmp_path / "o.db")
    (tmp_path / "bad.opml").write_text("<opml><body><outline text='no feed here'/></body></opml>")
    proc = run_cli("follow", "--db", db, "--opml", site.url("/feeds.opml"))
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("follow", "--db", db, "--opml", str(tmp_path / "bad.opml"))
    assert proc.returncode == 1 and "lists no feed" in proc.stderr
    with Newsweave(db) as nw:
        assert sorted(s.url for s in nw.sources()) == sorted(site.url(p) for p in ("/gp/rss.xml", "/kw/rss.xml"))
    assert run_cli("sources", "--db", str(tmp_path / "missing.db")).returncode == 2


def test_the_fetcher_is_polite_and_bounded(site):
    site.pages.update({f"/p{k}.html": b"<html><body>page</body></html>" for k in range(3)})
    with Fetcher(quick(fetch_delay=0.3)) as fetcher:
        from newsweave.follow import fetch_all

        results = fetch_all(fetcher, [site.url(f"/p{k}.html") for k in range(3)], threads=3)
        assert all(r.status == 200 for r in results.values())
        spans = sorted((start, end) for m, p, start, end in site.requests if p.startswith("/p"))
        assert all(b[0] - a[1] >= 0.25 for a, b in zip(spans, spans[1:])), spans  # one at a time, 0.3 s apart
        assert site.most_active == 1
    with Fetcher(quick(max_input_bytes=1 << 20)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError, match="passes the 1 MiB limit"):
            fetcher.get(site.url("/bad/endless.xml"))
        assert time.monotonic() - started < 5
        with pytest.raises(FetchError, match="only http and https"):
            fetcher.get("file:///etc/passwd")
        first = fetcher.get(site.url("/kw/rss.xml"))
        again = fetcher.get(site.url("/kw/rss.xml"), etag=first.etag)
        assert first.status == 200 and b"Korea Watch" in first.body and again.not_modified
        with pytest.raises(FetchError, match="robots.txt") as refused:
            fetcher.get(site.url("/private/memo.html"))
        assert refused.value.lasting
    assert [p for m, p, *_ in site.requests].count("/robots.txt") == 2  # once per fetcher
    assert all(p != "/private/memo.html" for m, p, *_ in site.requests)


def test_the_web_ui_marks_stories_changed_since_the_last_visit_and_shows_what_changed(site, tmp_path):
    import httpx
    from tests.test_web import serving

    from newsweave.web import create_app

    db = tmp_path / "w.db"
    with Newsweave(db, quick()) as nw:
        nw.follow([site.url(p) for p in ("/times/rss.xml", "/kw/rss.xml", "/gp/rss.xml", "/world/rss.xml")])
        nw.fetch(EVERY, now=T0)
        time.sleep(1.1)  # the store keeps times to the second
        between = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        time.sleep(1.1)
        site.round = 2
        nw.fetch(EVERY, now=T0 + EVERY)
        seed_story = story_of(nw, "Kim honours soldiers")
        blast = story_of(nw, "More than 30 Syrian rebels killed in IS group suicide blast")
    with serving(create_app(db, build_dossiers=False)) as url:
        first = httpx.get(f"{url}/")
        assert "CHANGED" not in first.text and "NEW<" not in first.text  # a first visit marks nothing
        assert {"nw_last_seen", "nw_visit_mark"} <= set(first.cookies)
        back = httpx.get(f"{url}/", cookies={"nw_last_seen": between, "nw_visit_mark": between}).text
        rows = {int(r.split('"')[0]): r.split("</tr>")[0] for r in back.split('<a href="/story/')[1:]}
        marked = {sid: ("NEW" if ">NEW<" in row else "CHANGED" if ">CHANGED<" in row else "") for sid, row in rows.items()}
        assert marked.pop(seed_story) == "CHANGED" and marked.pop(blast) == "NEW" and set(marked.values()) == {""}
        away = httpx.get(f"{url}/", cookies={"nw_last_seen": "2000-01-01 00:00:00", "nw_visit_mark": between}).text
        assert away.count(">NEW<") == len(rows)  # away for long: everything is new since that visit
        sources = httpx.get(f"{url}/api/sources").json()
        assert len(sources) == 4 and all(s["last_error"] is None and s["articles"] >= 1 for s in sources)
        listing = httpx.get(f"{url}/sources").text
        assert "Korea Watch" in listing and site.url("/gp/rss.xml") in listing and "never" not in listing
        page = httpx.get(f"{url}/story/{seed_story}").text
        assert "What changed" in page and "new independent source: Global Post" in page and "sources now disagree" in page


def test_a_round_fetches_at_most_so_many_pages_and_the_rest_next_round(site, tmp_path):
    with Newsweave(tmp_path / "c.db", quick(max_pages_per_round=2)) as nw:
        nw.follow([site.url("/world/rss.xml")])  # three items in round 1: two pages and one robots.txt forbids
        first = nw.fetch(EVERY, now=T0)
        assert len(first.round.outcomes) == 2 and first.round.pages_fetched == 1  # the oldest two items
        second = nw.fetch(EVERY, now=T0 + EVERY)
        assert second.ingest.added == 1 and len(nw.articles()) == 2
        [source] = nw.sources()
        assert source.items == 3 and source.articles == 2 and source.pending == 0 and source.failed == 1
