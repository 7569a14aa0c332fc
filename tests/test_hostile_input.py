"""Hostile input: records that crashed the JSON reader, records with no real text, gzip bombs, error text
that broke the terminal, articles too long to parse, dates at the calendar's edges. In every case the good
articles beside the bad ones are stored, each bad input is named on one line, and nothing crashes."""
import gzip
import json
import subprocess
import sys
import textwrap

from tests.conftest import run_cli

from newsweave import Newsweave
from newsweave.report import story_markdown

GOOD = "The council met on Monday and decided that taxes will rise next year, the mayor of the town said."


def _good(i: int) -> dict:
    return {"id": f"good{i}", "title": f"Council vote {i}", "text": GOOD + f" Vote number {i} was close."}


def test_records_that_crashed_the_reader_are_named_and_the_rest_is_stored(tmp_path):
    lines = [json.dumps(_good(0)),
             '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}",  # nested too deeply
             '{"text": "' + GOOD + '", "n": ' + "9" * 5000 + "}",  # over Python's int-string limit
             json.dumps(_good(1)),
             '{"text": "' + GOOD + ' \\ud800"}',  # a lone surrogate: no text SQLite could store
             json.dumps(_good(2))]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    with Newsweave(tmp_path / "s.db") as nw:
        report = nw.ingest([tmp_path])
        titles = sorted(a.title for a in nw.articles())
    assert titles == ["Council vote 0", "Council vote 1", "Council vote 2"]
    failed = {e.source.rsplit("/", 1)[-1]: e.reason for e in report.errors}
    assert set(failed) == {"in.jsonl:2", "in.jsonl:3", "in.jsonl:5", "deep.json", "empty.json"}
    assert "nested too deeply" in failed["in.jsonl:2"] and "surrogate" in failed["in.jsonl:5"]
    assert "no records" in failed["empty.json"]


def test_records_without_real_text_are_no_articles_and_a_flood_of_them_is_cut_short(tmp_path):
    with gzip.open(tmp_path / "flood.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines('{"text": "x"}\n' for _ in range(50_000))
    (tmp_path / "tiny.txt").write_bytes(b"ab")
    (tmp_path / "ok.jsonl").write_text(json.dumps(_good(0)) + "\n", encoding="utf-8")
    with Newsweave(tmp_path / "s.db") as nw:
        report = nw.ingest([tmp_path])
        assert [a.title for a in nw.articles()] == ["Council vote 0"]
    flood = [e for e in report.errors if "flood" in e.source]
    assert 1000 <= len(flood) <= 1002 and "rest of the file is not read" in flood[-1].reason
    assert any("tiny.txt" in e.source and "too short" in e.reason for e in report.errors)


def _ingest_peak(folder) -> dict:
    """Ingest a folder in a fresh process; its peak resident memory, what it stored and its errors."""
    script = textwrap.dedent(f"""
        import json
        from newsweave import Newsweave
        with Newsweave({str(folder / 's.db')!r}) as nw:
            report = nw.ingest([{str(folder)!r}])
            stored = [a.source for a in nw.articles()]
        # the peak of this process's own memory: ru_maxrss survives exec, so it would report the test
        # runner's peak when that is higher; VmHWM belongs to the new address space
        peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
        print(json.dumps({{"peak_mib": peak, "stored": stored, "errors": [e.reason for e in report.errors]}}))
    """)
    return json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                     check=True).stdout.strip().splitlines()[-1])


def test_a_gzip_bomb_is_stopped_in_a_stream_and_the_good_article_is_stored(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "bomb").mkdir()
    for folder in ("plain", "bomb"):
        (tmp_path / folder / "good.txt").write_text(GOOD, encoding="utf-8")
    with gzip.open(tmp_path / "bomb" / "bomb.txt.gz", "wb", compresslevel=9) as fh:
        block = b"\0" * (1 << 24)
        for _ in range(64):  # 1 GiB of zeros, about 1 MB on disk
            fh.write(block)
    baseline, out = _ingest_peak(tmp_path / "plain"), _ingest_peak(tmp_path / "bomb")
    # the bomb costs at most the 50 MiB limit and a copy, never its gigabyte (the ingest peaks near 250 MB)
    assert out["peak_mib"] - baseline["peak_mib"] < 150 and out["peak_mib"] < 1000, (baseline, out)
    assert [s.rsplit("/", 1)[-1] for s in out["stored"]] == ["good.txt"]
    assert any("limit" in e for e in out["errors"])


def test_error_lines_are_plain_escaped_text(tmp_path):
    folder = tmp_path / "bad["
    folder.mkdir()
    (folder / "red]\nname\x1b[31m.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    proc = run_cli("ingest", "--db", str(tmp_path / "s.db"), str(tmp_path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [line] = [line for line in proc.stderr.splitlines() if line.startswith("error")]
    assert "bad[/red]\\nname\\x1b[31m.txt: binary content" in line


def test_calendar_edges_and_impossible_dates_do_not_break_dossiers(tmp_path):
    text = ("The council met next Friday and said taxes would rise. Last year it rained. Next year it will snow. "
            "Yesterday a man was killed on Main Street, police said.")
    records = [{"title": f"t{i}", "text": text, "published": p}
               for i, p in enumerate(["9999-12-31", "0001-01-01", "0000-00-00", "2017-02-30", "2017-13-01"])]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Newsweave(tmp_path / "s.db") as nw:
        report = nw.ingest([tmp_path / "a.jsonl"])
        published = {a.title: a.published for a in nw.articles()}
        for story in nw.stories():
            assert nw.dossier(story.id)["facts"] is not None
    assert published == {"t0": "9999-12-31", "t1": "0001-01-01", "t2": None, "t3": None, "t4": None}
    assert not report.errors and len(report.warnings) == 3
    assert all("no calendar date" in w.reason for w in report.warnings)


def test_an_article_over_a_million_characters_gets_a_dossier(tmp_path):
    (tmp_path / "long.txt").write_text(("The council met on Monday and 12 people were hurt. " * 25_000).strip(),
                                       encoding="utf-8")
    with Newsweave(tmp_path / "s.db") as nw:
        nw.ingest([tmp_path / "long.txt"])
        [article] = nw.articles()
        assert len(article.text) > 1_000_000
        [story] = nw.stories()
        assert nw.dossier(story.id)["facts"]
        assert story_markdown(nw, story.id)


def test_utf16_html_with_a_byte_order_mark_is_read(tmp_path):
    page = f"<html><head><title>Vote</title></head><body><article><p>{GOOD}</p><p>{GOOD}</p></article></body></html>"
    (tmp_path / "page.html").write_bytes(page.encode("utf-16"))
    with Newsweave(tmp_path / "s.db") as nw:
        report = nw.ingest([tmp_path / "page.html"])
        assert not report.errors and "taxes will rise" in next(iter(nw.articles())).text


def test_a_single_path_and_odd_folder_entries(tmp_path):
    import os

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(folder / "nothing.txt", folder / "dangling.txt")
    os.symlink(folder / "loop2.txt", folder / "loop1.txt")
    os.symlink(folder / "loop1.txt", folder / "loop2.txt")
    os.mkfifo(folder / "pipe.txt")
    os.symlink(folder, folder / "sub" / "up")  # a folder loop
    with Newsweave(tmp_path / "s.db") as nw:
        report = nw.ingest(str(folder))  # a string, not a list of paths
        assert [a.source.rsplit("/", 1)[-1] for a in nw.articles()] == ["ok.txt"]
    reasons = {e.source.rsplit("/", 1)[-1]: e.reason for e in report.errors}
    assert set(reasons) == {"dangling.txt", "loop1.txt", "loop2.txt", "pipe.txt", "up"}
    assert "pipe" in reasons["pipe.txt"] and "loop" in reasons["up"]


def _children(pid: int) -> list[str]:
    from pathlib import Path

    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid):  # the field after the state is the parent's pid
            out.append(stat.parent.name)
    return out


def test_workers_die_with_a_killed_ingest(tmp_path):
    import os
    import signal
    import time

    for i in range(3000):
        (tmp_path / f"{i}.txt").write_text(f"Menu\nHome\n{GOOD} Item {i}.\n" * 20, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "newsweave.cli", "ingest", "--db", str(tmp_path / "s.db"),
                             "--quiet", str(tmp_path)])
    workers = []
    for _ in range(100):  # until the worker pool is up
        time.sleep(0.1)
        workers = _children(proc.pid)
        if workers or proc.poll() is not None:
            break
    assert workers, "the ingest ended before its workers could be seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    for _ in range(50):
        if not any(os.path.exists(f"/proc/{w}") for w in workers):
            break
        time.sleep(0.1)
    assert not any(os.path.exists(f"/proc/{w}") for w in workers)


def test_two_ingests_at_once_leave_no_empty_story_and_readers_never_fail(data_dir, tmp_path):
    import threading

    lines = (data_dir / "fakes" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    for k in (0, 1):
        (tmp_path / f"part{k}.jsonl").write_text("\n".join(lines[k::2]) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    with Newsweave(db) as nw:  # the schema first, so that both writers open a ready store
        nw.ingest([])
    failures, done = [], threading.Event()

    def read_while_writing():
        while not done.is_set():
            try:
                with Newsweave(db) as reader:
                    for story in reader.stories()[:3]:
                        reader.dossier(story.id)
            except Exception as e:  # any failure of a reader is what this test looks for
                failures.append(repr(e))

    reader = threading.Thread(target=read_while_writing)
    reader.start()
    procs = [subprocess.Popen([sys.executable, "-m", "newsweave.cli", "ingest", "--db", str(db), "--quiet",
                               str(tmp_path / f"part{k}.jsonl")]) for k in (0, 1)]
    codes = [p.wait(timeout=300) for p in procs]
    done.set()
    reader.join(60)
    assert codes == [0, 0] and not failures, failures
    with Newsweave(db) as nw:
        stored = sorted(a.source.rsplit("/", 1)[-1] for a in nw.articles())
        assert all(s.article_ids for s in nw.stories())
        empty = nw.store.db.execute("SELECT count(*) FROM stories WHERE id NOT IN "
                                    "(SELECT story_id FROM articles WHERE story_id IS NOT NULL)").fetchone()[0]
        unplaced = nw.store.db.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0]
    assert empty == 0 and unplaced == 0
    with Newsweave(tmp_path / "one-after-other.db") as nw:
        nw.ingest([tmp_path / "part0.jsonl"])
        nw.ingest([tmp_path / "part1.jsonl"])
        assert stored == sorted(a.source.rsplit("/", 1)[-1] for a in nw.articles())


def test_malformed_warc_files_are_named_and_good_records_are_read(tmp_path):
    import io
    import os

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = f"<html><body><article><p>{GOOD}</p><p>{GOOD}</p></article></body></html>".encode()
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://news.example/a", "response",
                                                  payload=io.BytesIO(page), http_headers=http))
    (tmp_path / "good.warc").write_bytes(buffer.getvalue())
    (tmp_path / "random.warc").write_bytes(os.urandom(4000))
    (tmp_path / "plain.warc").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.warc.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "truncated.warc").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with Newsweave(tmp_path / "s.db") as nw:
        report = nw.ingest([tmp_path])
        assert [a.url for a in nw.articles()] == ["https://news.example/a"]
    named = {e.source.rsplit("/", 1)[-1].split("@")[0] for e in report.errors}
    assert {"random.warc", "plain.warc", "empty.warc.gz"} <= named
    assert all(e.reason.isprintable() for e in report.errors)
