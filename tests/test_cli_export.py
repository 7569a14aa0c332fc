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
    stories = json.loads(run_cli("stories", "--db", str(db), "--json", "--limit", "1000", check=True).stdout)
    assert 10 <= len(stories) <= 120
    assert sum(len(s["article_ids"]) for s in stories) == 226


def test_only_commands_that_add_create_a_store(tmp_path):
    """A mistyped --db is named, not silently created empty: only ingest and follow may create a store."""
    missing = tmp_path / "seedz.db"
    for args in (["stories"], ["show", "1"], ["export", "-f", "json", "-o", str(tmp_path / "out.json")], ["dossiers"],
                 ["sources"], ["fetch"]):
        proc = run_cli(*args, "--db", str(missing))
        assert proc.returncode == 2 and f"no store at {missing}" in proc.stderr.replace("\n", ""), args
    assert not missing.exists() and not (tmp_path / "out.json").exists()
