"""CLI commands and the export contract."""
import json

import pyarrow.parquet as pq
from tests.conftest import run_cli

ARTICLE_FIELDS = {"id", "source", "title", "outlet", "author", "published", "text", "story_id", "copy_of",
                  "credited_origin", "copy_evidence"}
STORY_FIELDS = {"id", "title", "article_ids", "independent_sources"}


def test_ingest_stories_show_export(seeds, db, tmp_path):
    proc = run_cli("ingest", str(seeds), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "5 articles added" in proc.stderr

    stories = json.loads(run_cli("stories", "--db", str(db), "--json", check=True).stdout)
    assert len(stories) == 1 and stories[0]["independent_sources"] == 4

    shown = run_cli("show", str(stories[0]["id"]), "--db", str(db), "--plain", check=True).stdout
    assert shown.startswith("# ") and "4 independent sources" in shown
    assert run_cli("show", "999", "--db", str(db)).returncode == 1

    doc = json.loads(run_cli("export", "--db", str(db), "--format", "json", check=True).stdout)
    assert all(ARTICLE_FIELDS <= set(a) for a in doc["articles"])
    assert all(STORY_FIELDS <= set(s) for s in doc["stories"])
    copies = [a for a in doc["articles"] if a["copy_of"]]
    assert len(copies) == 1 and copies[0]["copy_evidence"]["method"] in ("exact", "near-duplicate", "containment")
    assert copies[0]["source"].endswith("000_47c3ce1ddb203557.txt")
    assert {a["id"] for a in doc["articles"]} == set(doc["stories"][0]["article_ids"])

    out = tmp_path / "a.jsonl"
    run_cli("export", "--db", str(db), "--format", "jsonl", "-o", str(out), check=True)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [a["id"] for a in doc["articles"]]

    pq_path = tmp_path / "a.parquet"
    run_cli("export", "--db", str(db), "--format", "parquet", "-o", str(pq_path), check=True)
    table = pq.read_table(pq_path)
    assert table.num_rows == 5 and ARTICLE_FIELDS <= set(table.column_names)
    # typed by the export, not by the rows: the seeds have no URL or author, and those columns stay strings
    assert str(table.schema.field("url").type) == "string" and str(table.schema.field("author").type) == "string"
    assert str(table.schema.field("story_id").type) == "int64"

    shown = json.loads(run_cli("show", str(stories[0]["id"]), "--db", str(db), "--json", check=True).stdout)
    assert shown["id"] == stories[0]["id"] and shown["facts"]
    assert set(shown["article_ids"]) == {a["id"] for a in doc["articles"]}

    missing = run_cli("export", "--db", str(db), "--story", "999", "-o", str(tmp_path / "none.json"))
    assert missing.returncode == 1 and "no story 999" in missing.stderr and not (tmp_path / "none.json").exists()

    bad = run_cli("export", "--db", str(db), "--format", "xml")
    assert bad.returncode == 2 and "unknown format" in bad.stderr


def test_env_var_names_the_store(seeds, tmp_path):
    db = tmp_path / "env.db"
    run_cli("ingest", str(seeds / "004_aea31402ca2acb0f.txt"), "--quiet", env={"NEWSWEAVE_DB": str(db)}, check=True)
    assert db.exists()
    stories = json.loads(run_cli("stories", "--json", env={"NEWSWEAVE_DB": str(db)}, check=True).stdout)
    assert len(stories) == 1


def test_demo_runs_on_the_bundled_corpus(tmp_path):
    db = tmp_path / "demo.db"
    proc = run_cli("demo", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "226 articles added" in proc.stderr
    assert f"newsweave serve --db {db}" in proc.stdout and "-f html" in proc.stdout  # how to open the UI and the report
    stories = json.loads(run_cli("stories", "--db", str(db), "--json", "--limit", "1000", check=True).stdout)
    assert 10 <= len(stories) <= 120
    assert sum(len(s["article_ids"]) for s in stories) == 226
    _story_list_options(db, stories)


def _story_list(db, *args) -> tuple[list[dict], str]:
    proc = run_cli("stories", "--db", str(db), "--json", *args, check=True)
    return json.loads(proc.stdout), proc.stderr.replace("\n", " ")


def _story_list_options(db, everything: list[dict]) -> None:
    """`stories` says when it does not show them all, pages, sorts, filters by date and searches (prefixes too)."""
    first, note = _story_list(db, "--limit", "5")
    assert [s["id"] for s in first] == [s["id"] for s in everything[:5]]
    assert f"stories 1-5 of {len(everything)}; --offset 5 for the next" in note
    second, note = _story_list(db, "--limit", "5", "--offset", "5")
    assert [s["id"] for s in second] == [s["id"] for s in everything[5:10]] and "stories 6-10" in note
    recent, _ = _story_list(db, "--sort", "recent", "--limit", "1000")
    assert [s["last_date"] or "" for s in recent] == sorted((s["last_date"] or "" for s in recent), reverse=True)
    days = sorted(s["first_date"] for s in everything if s["first_date"])
    since, until = days[len(days) // 3], days[2 * len(days) // 3]
    window, _ = _story_list(db, "--since", since, "--until", until, "--limit", "1000")
    assert 0 < len(window) < len(everything)
    assert all(s["last_date"] >= since and s["first_date"] <= until for s in window)
    year = until[:4]  # a year lasts to its last day
    assert {s["id"] for s in _story_list(db, "--until", year, "--limit", "1000")[0]} == \
        {s["id"] for s in everything if s["first_date"] and s["first_date"][:4] <= year}
    prefixed, _ = _story_list(db, "-s", "alep*", "--limit", "1000")
    exact, _ = _story_list(db, "-s", "alep", "--limit", "1000")
    assert prefixed and not exact
    for s in prefixed:
        hits = [p["text"].lower() for p in s["snippet"] if p["match"]]
        assert hits and all(h.startswith("alep") for h in hits)
    for bad in (["--sort", "bogus"], ["--since", "2025-13"], ["--until", "yesterday"]):
        proc = run_cli("stories", "--db", str(db), *bad)
        assert proc.returncode == 2 and proc.stderr, bad


def test_version_and_flags_in_help():
    from newsweave import __version__

    assert run_cli("--version", check=True).stdout.strip() == f"newsweave {__version__}"
    shown = run_cli("stories", "--help", check=True).stdout
    assert "--json" in shown and "<bool>" not in shown and "<int" in shown


def test_only_commands_that_add_create_a_store(tmp_path):
    """A mistyped --db is named, not silently created empty: only ingest and follow may create a store."""
    missing = tmp_path / "seedz.db"
    for args in (["stories"], ["show", "1"], ["export", "-f", "json", "-o", str(tmp_path / "out.json")], ["dossiers"],
                 ["sources"], ["fetch"]):
        proc = run_cli(*args, "--db", str(missing))
        assert proc.returncode == 2 and f"no store at {missing}" in proc.stderr.replace("\n", ""), args
    assert not missing.exists() and not (tmp_path / "out.json").exists()
