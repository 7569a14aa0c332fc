"""Readers and bad input: one clear error per bad input, the rest of the batch goes on."""
import gzip
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import run_cli
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsweave
from newsweave import Newsweave
from newsweave.ingest import read_inputs
from newsweave.options import Options
from newsweave.prepare import CleanJob, Prepared, prepare
from newsweave.records import InputError, RawDocument
from newsweave.stages import Dropped

ARTICLE = ("The city council approved a new budget on Tuesday after a long debate about school funding. "
           "Council members said the plan adds money for teachers and repairs to three buildings. "
           "The mayor is expected to sign the budget later this week, officials said.")


def read_all(*paths, limit=50 * 1024 * 1024):
    items = list(read_inputs(paths, limit))
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, InputError)]


def make_warc(path, records):
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        for url, html in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                          http_headers=http))


def test_each_format_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.html").write_text(f"<html><head><title>Budget</title></head><body><article><p>{ARTICLE}</p>"
                                     "</article></body></html>")
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(f"<html><body><p>{ARTICLE}</p></body></html>".encode()))
    (tmp_path / "d.jsonl").write_text(json.dumps({"id": "x1", "text": ARTICLE, "outlet": "Daily", "published": "2024-03-05"})
                                      + "\n" + json.dumps({"html": f"<p>{ARTICLE}</p>", "url": "https://www.example.org/a"}) + "\n")  # noqa: E501
    (tmp_path / "e.json").write_text(json.dumps([{"text": ARTICLE}, {"text": ARTICLE + " More."}]))
    make_warc(tmp_path / "f.warc", [("https://news.example.com/1", f"<html><body><p>{ARTICLE}</p></body></html>")])
    docs, errors = read_all(tmp_path)
    assert errors == []
    kinds = sorted((d.source.rsplit("/", 1)[-1][:1] if not d.source.startswith("<urn") else "w", d.kind) for d in docs)
    assert kinds == [("a", "text"), ("b", "html"), ("c", "html"), ("d", "html"), ("d", "text"), ("e", "text"),
                     ("e", "text"), ("w", "html")]
    warc = next(d for d in docs if d.source.startswith("<urn"))
    assert warc.url == "https://news.example.com/1" and warc.outlet == "news.example.com"
    jsonl = next(d for d in docs if d.external_id == "x1")
    assert jsonl.outlet == "Daily" and jsonl.published == "2024-03-05"


def bad_inputs(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "latin1.txt").write_bytes("Caf\xe9 au lait is served every morning at the station.".encode("latin-1"))
    (bad / "empty.txt").write_bytes(b"")
    with open(bad / "huge.txt", "wb") as fh:  # sparse: costs no disk
        fh.truncate(200 * 1024 * 1024)
    (bad / "lines.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n{not json\n" + json.dumps({"title": "no body"}) + "\n")  # noqa: E501
    (bad / "cut.html.gz").write_bytes(gzip.compress(b"<html><body><p>" + ARTICLE.encode() * 50 + b"</p></body></html>")[:60])
    good_then_bad = bad / "broken.warc"
    make_warc(good_then_bad, [("https://a.example/1", f"<html><body><p>{ARTICLE}</p></body></html>")])
    with open(good_then_bad, "ab") as fh:
        fh.write(b"this is not a WARC record\r\n\r\n")
    (bad / "good.txt").write_text(ARTICLE)
    return bad


def test_bad_inputs_get_one_clear_error_each(tmp_path):
    docs, errors = read_all(bad_inputs(tmp_path))
    reasons = {e.source.rsplit("/", 1)[-1]: e.reason for e in errors}
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "limit" in reasons["huge.txt"]
    assert "gzip" in reasons["cut.html.gz"]
    assert "invalid JSON" in reasons["lines.jsonl:2"]
    assert "no 'text' or 'html'" in reasons["lines.jsonl:3"]
    assert any(k.startswith("broken.warc@") and "malformed WARC" in v for k, v in reasons.items())
    sources = {d.source.rsplit("/", 1)[-1] for d in docs}
    assert {"good.txt", "lines.jsonl:1"} <= sources
    assert sum(1 for d in docs if d.url == "https://a.example/1") == 1  # the good WARC record before the bad one


def test_cli_reports_failures_and_keeps_the_rest(tmp_path, db):
    bad = bad_inputs(tmp_path)
    proc = run_cli("ingest", str(bad), "--db", str(db), "--quiet")
    assert proc.returncode == 1
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error")]
    assert len(lines) == 8, proc.stderr
    assert all(str(bad) in ln for ln in lines)
    with Newsweave(db) as nw:
        assert len(nw.articles()) == 3  # good.txt, lines.jsonl:1 and the good WARC record
        assert all(a.story_id is not None for a in nw.articles())
        errors = nw.store.db.execute("SELECT count(*) FROM input_errors").fetchone()[0]
        assert errors == 8


def test_same_input_twice_adds_nothing(seeds, db):
    with Newsweave(db) as nw:
        first = nw.ingest([seeds])
        second = nw.ingest([seeds])
        assert first.added == 5 and second.added == 0 and second.already_stored == 5
        assert len(nw.articles()) == 5 and len(nw.stories()) == 1
        assert len(nw.copy_links()) == 1


def test_new_articles_join_existing_stories(seeds, tmp_path, db):
    first = tmp_path / "first"
    later = tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for f in sorted(seeds.iterdir()):
        (first if f.name < "002" else later).joinpath(f.name).write_bytes(f.read_bytes())
    with Newsweave(db) as nw:
        nw.ingest([first])
        assert len(nw.stories()) == 1 and nw.stories()[0].independent_sources == 1
        nw.ingest([later])
        stories = nw.stories()
        assert len(stories) == 1 and len(stories[0].article_ids) == 5 and stories[0].independent_sources == 4


def test_killed_ingest_resumes_without_duplicates(data_dir, tmp_path, db):
    corpus = data_dir / "fakes" / "articles.jsonl"
    total = sum(1 for line in open(corpus) if line.strip())
    proc = subprocess.Popen([sys.executable, "-m", "newsweave.cli", "ingest", str(corpus), "--db", str(db),
                             "--quiet", "--commit-every", "20"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(db, timeout=5) as con:
                stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0
        if stored >= 40:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest ended before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as con:
        partial = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        placed = con.execute("SELECT count(*) FROM articles WHERE story_id IS NOT NULL").fetchone()[0]
    assert 0 < partial < total and placed == 0
    proc = run_cli("ingest", str(corpus), "--db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr
    with Newsweave(db) as nw:
        ids = [a.id for a in nw.articles()]
        assert len(ids) == len(set(ids)) == total
        assert all(a.story_id is not None for a in nw.articles())
        assert nw.store.db.execute("SELECT count(*) FROM article_features").fetchone()[0] == total
        assert nw.store.db.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0] == total


def test_worker_processes_give_the_same_result_as_one_process(tmp_path):
    sample = Path(newsweave.__file__).parent / "data" / "sample"
    results = []
    for workers in (1, 2):
        options = Options(workers=workers, parallel_min_batch=20, commit_every=60)
        with Newsweave(tmp_path / f"w{workers}.db", options) as nw:
            report = nw.ingest([sample])
            doc = nw.document(dossier=False)
        assert report.added > 200 and not report.errors
        stories = sorted(sorted(s["article_ids"]) for s in doc["stories"])
        articles = {a["id"]: (a["text"], a["title"], a["published"], a["copy_of"]) for a in doc["articles"]}
        results.append((articles, stories))
    assert results[0] == results[1]


def test_a_page_that_breaks_the_cleaner_fails_alone(seeds):
    """Pages are cleaned in batches; one the batch cannot clean is retried alone and named, the rest go on."""
    docs = [RawDocument(p.name, "text", p.read_text(encoding="utf-8")) for p in sorted(seeds.iterdir())]
    broken = RawDocument("broken.txt", "text", b"\x00not decoded")  # bytes where text belongs: the cleaner raises
    done = prepare([CleanJob(d) for d in [*docs[:2], broken, *docs[2:]]])
    assert [d.source for d in done] == [*[d.source for d in docs[:2]], "broken.txt", *[d.source for d in docs[2:]]]
    assert isinstance(done[2], Dropped) and done[2].reason.startswith("cannot clean") and done[2].stage == "clean"
    assert all(isinstance(d, Prepared) and d.article.text for d in done[:2] + done[3:])


def test_rss_and_atom_feeds_are_read_item_by_item(seeds, tmp_path):
    """A feed file is another input: each item one article (its full content, else its summary), with the
    item's title, link, date and author, and the feed's title as outlet. Headline-only items are reported
    as too short; an HTML page named .rss and a cut-off feed get one clear line each."""
    from xml.sax.saxutils import escape

    texts = [f.read_text(encoding="utf-8") for f in sorted(seeds.iterdir())][1:3]
    items = "".join(
        f"<item><title>Report {k}</title><link>https://news.example.org/{k}</link>"
        f"<pubDate>Sat, 13 Dec 2025 0{k}:00:00 GMT</pubDate><author>desk@example.org (Desk)</author>"
        f"<description>Short teaser {k}.</description>"
        f"<content:encoded>{escape('<p>' + text.replace(chr(10), '</p><p>') + '</p>')}</content:encoded></item>"
        for k, text in enumerate(texts, start=1))
    (tmp_path / "wire.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Example Wire</title><link>https://news.example.org/</link>{items}"
        "<item><title>Headline only</title><link>https://news.example.org/h</link><description>Hi.</description>"
        "</item></channel></rss>", encoding="utf-8")
    (tmp_path / "desk.atom").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>'
        "<entry><title>Atom report</title><link href='https://desk.example.net/a'/><id>urn:desk:a</id>"
        f"<updated>2025-12-14T08:00:00Z</updated><summary type='html'>{escape('<p>' + ARTICLE + '</p>')}</summary>"
        "</entry></feed>", encoding="utf-8")
    (tmp_path / "page.rss").write_text("<html><body><p>Not a feed at all, only a page.</p></body></html>")
    (tmp_path / "cut.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><ite')
    docs, errors = read_all(tmp_path)
    why = {Path(e.source.rsplit(":", 1)[0]).name if e.source.count(":") else Path(e.source).name: e.reason
           for e in errors}
    assert set(why) == {"wire.rss", "page.rss", "cut.xml"}, why
    assert "too short" in why["wire.rss"] and "an HTML page, not a feed" in why["page.rss"]
    wire = sorted((d for d in docs if "wire.rss" in d.source), key=lambda d: d.source)
    assert [d.title for d in wire] == ["Report 1", "Report 2"] and all(d.kind == "html" for d in wire)
    assert wire[0].outlet == "Example Wire" and wire[0].url == "https://news.example.org/1"
    assert wire[0].published == "2025-12-13" and "Short teaser" not in wire[0].content
    [atom] = [d for d in docs if "desk.atom" in d.source]
    assert atom.outlet == "Desk" and atom.published == "2025-12-14" and atom.external_id == "urn:desk:a"
    with Newsweave(tmp_path / "f.db") as nw:  # and stored, cleaned and placed like any article
        report = nw.ingest([tmp_path / "wire.rss", tmp_path / "desk.atom"])
        assert report.added == 3 and report.placed == 3
        stored = {a.title: a for a in nw.articles()}
        assert "Kim" in stored["Report 1"].text and stored["Report 1"].outlet == "Example Wire"


def test_a_json_lines_file_is_read_line_by_line(tmp_path):
    """A line that is not UTF-8 is that line's error, the others are read; a gzipped file cut off keeps the
    records before the cut."""
    import gzip

    good = [json.dumps({"text": f"{ARTICLE} Report {k}."}).encode() for k in range(3)]
    (tmp_path / "mixed.jsonl").write_bytes(good[0] + b"\n" + b'{"text": "caf\xe9 au lait"}\n' + good[1] + b"\n")
    whole = gzip.compress(b"\n".join(good * 200) + b"\n")
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    docs, errors = read_all(tmp_path)
    reasons = {Path(e.source).name: e.reason for e in errors}
    assert "not valid UTF-8" in reasons["mixed.jsonl:2"] and "broken or truncated gzip" in reasons["cut.jsonl.gz"]
    mixed = [d for d in docs if "mixed.jsonl" in d.source]
    assert [Path(d.source).name for d in mixed] == ["mixed.jsonl:1", "mixed.jsonl:3"]
    assert 0 < len([d for d in docs if "cut.jsonl.gz" in d.source]) < 600


def test_a_file_ingest_never_loads_the_dossier_parser(tmp_path, seeds):
    """Placing articles needs no spaCy: a process that only ingests (a cron job adding one file) does not pay
    for importing it."""
    import subprocess
    import sys

    code = ("import sys; from newsweave import Newsweave; nw = Newsweave(sys.argv[1]); nw.ingest([sys.argv[2]]); "
            "print(len(nw.stories()), 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.db"), str(seeds)], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["1", "False"]
