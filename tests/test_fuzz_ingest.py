"""Fuzzing ingest: generated bad inputs of every kind the readers take (bytes, text, HTML, JSON lines, JSON,
gzip, WARC), under odd names, mixed with good articles in one ingest. Whatever they hold: no exception,
every good article stored and placed, and every bad input either stored as an article or named on a line
of its own; the CLI says so with exit code 1, never a traceback."""
import gzip
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import run_cli

from newsweave import Newsweave

GOOD = ["The council met on Monday and decided that taxes will rise next year, the mayor said.",
        "Firefighters fought a warehouse blaze at the harbour for six hours on Tuesday night, officials said.",
        "A new bridge over the river opened on Friday after three years of work, the city engineer said."]

SUFFIXES = [".txt", ".html", ".jsonl", ".json", ".txt.gz", ".jsonl.gz", ".warc", ".wet"]
NAMES = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
                min_size=1, max_size=12)
JSONISH = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                 max_leaves=12).map(lambda v: json.dumps(v).encode()),
    st.integers(min_value=1, max_value=20_000).map(lambda n: ('{"text": ' + "[" * n + "]" * n + "}").encode()),
    st.sampled_from([b'{"text": "x"}', b'{"text": "\\ud800 surrogate here"}', b"[]", b"{}", b'{"text": 1e999}',
                     b'{"html": "<p>' + b"<div>" * 5000 + b'</p>"}']),
)
BAD = st.tuples(NAMES, st.sampled_from(SUFFIXES), JSONISH)


def _write(folder: Path, name: str, suffix: str, data: bytes) -> Path:
    path = folder / f"{name}{suffix}"
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad=st.lists(BAD, min_size=1, max_size=6, unique_by=lambda b: (b[0], b[1])))
def test_bad_inputs_beside_good_articles(bad):
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "in").mkdir()
        for i, text in enumerate(GOOD):
            (folder / "in" / f"good{i}.jsonl").write_text(json.dumps({"title": f"good {i}", "text": text}) + "\n",
                                                          encoding="utf-8")
        written = [_write(folder / "in", f"x{name}", suffix, data) for name, suffix, data in bad]
        with Newsweave(folder / "s.db") as nw:
            report = nw.ingest([folder / "in"])
            articles = list(nw.articles())
        titles = {a.title for a in articles}
        assert {f"good {i}" for i in range(3)} <= titles
        assert all(a.story_id is not None for a in articles)
        named = " ".join(e.source for e in report.errors)
        for path in written:  # every bad input is stored as an article or named in an error
            stored = any(a.source == str(path) or a.source.startswith((f"{path}:", f"{path}[", f"{path}@"))
                         for a in articles)
            assert stored or str(path) in named, path
    finally:
        shutil.rmtree(folder)


def test_the_cli_reports_bad_inputs_with_exit_code_1_and_no_traceback(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD[0], encoding="utf-8")
    (tmp_path / "bad.jsonl").write_bytes(b'{"text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}\n")
    (tmp_path / "bad.warc").write_bytes(b"\x97garbage" * 100)
    proc = run_cli("ingest", "--db", str(tmp_path / "s.db"), str(tmp_path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert sum(line.startswith("error") for line in proc.stderr.splitlines()) == 2
