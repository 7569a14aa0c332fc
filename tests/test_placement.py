"""Placement reads only the stored stories new articles could join; the stories are those comparing with
every stored story gives (Options.read_every_story), and a store without the lookups gets them filled."""
import pytest

from newsweave import Newsweave, Options


def deal(path, parts, folder):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for k in range(parts):
        part = folder / f"part{k}.jsonl"
        part.write_text("\n".join(lines[k::parts]) + "\n", encoding="utf-8")
        out.append(part)
    return out


def placed(db, parts, options):
    reads = []
    with Newsweave(db, options) as nw:
        for part in parts:
            reads.append(nw.ingest([part]).stats["place"]["stories_read"])
        name = {a.id: a.source.rsplit("/", 1)[-1] for a in nw.articles()}
        stories = sorted(sorted(name[i] for i in s.article_ids) for s in nw.stories())
        links = sorted((name[k], name[v.original_id], v.method) for k, v in nw.copy_links().items())
        return stories, links, reads, len(nw.stories())


@pytest.mark.parametrize("corpus", ["gvc-dev/articles.jsonl", "fakes/articles.jsonl"])
def test_reading_only_the_stories_in_reach_gives_the_same_stories(data_dir, tmp_path, corpus):
    parts = deal(data_dir / corpus, 5, tmp_path)
    bounded = placed(tmp_path / "bounded.db", parts, Options())
    every = placed(tmp_path / "every.db", parts, Options(read_every_story=True))
    assert bounded[:2] == every[:2]
    assert len(bounded[0]) > 50
    # the last ingest read a part of the stories that were stored before it
    assert bounded[2][-1] < every[2][-1] and every[2][-1] >= 0.5 * every[3]


def test_a_store_without_placement_lookups_gets_them_filled(data_dir, tmp_path):
    parts = deal(data_dir / "gvc-dev/articles.jsonl", 2, tmp_path)
    with Newsweave(tmp_path / "s.db") as nw:
        nw.ingest([parts[0]])
        counts = [nw.store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("copy_buckets", "article_names")]
        assert all(counts)
        nw.store.db.execute("DELETE FROM copy_buckets")
        nw.store.db.execute("DELETE FROM article_names")
        nw.store.db.execute("DELETE FROM blobs WHERE name = 'placement_index'")
    with Newsweave(tmp_path / "s.db") as nw:
        nw.ingest([parts[1]])  # fills the lookups for what was placed before, then places the rest
        assert nw.store.db.execute("SELECT count(*) FROM copy_buckets").fetchone()[0] > counts[0]
    reference = placed(tmp_path / "ref.db", parts, Options())
    with Newsweave(tmp_path / "s.db") as nw:
        name = {a.id: a.source.rsplit("/", 1)[-1] for a in nw.articles()}
        assert sorted(sorted(name[i] for i in s.article_ids) for s in nw.stories()) == reference[0]


def test_document_frequencies_written_in_place_equal_those_written_whole(seeds, tmp_path):
    """A later ingest writes only the document frequencies it changed, in place; the arrays must be those
    one ingest of everything writes whole."""
    files = sorted(seeds.iterdir())
    with Newsweave(tmp_path / "parts.db") as parts, Newsweave(tmp_path / "whole.db") as whole:
        for chunk in (files[:2], files[2:3], files[3:]):
            parts.ingest(chunk)
        whole.ingest(files)
        for name in ("df_words", "df_anchors", "df_n"):
            assert parts.store.blob(name) == whole.store.blob(name), name
        assert any(parts.store.blob("df_words"))


def test_containment_read_a_few_stories_at_a_time_finds_the_same_links(data_dir, tmp_path, monkeypatch):
    """Containment, links and titles go over the changed stories a batch of articles at a time (so a bulk
    ingest does not hold every text); batches of a few articles give what one batch gives."""
    import newsweave.placement as placement

    parts = [data_dir / "fakes" / "articles.jsonl"]
    whole = placed(tmp_path / "whole.db", parts, Options())
    with Newsweave(tmp_path / "whole.db") as nw:
        titles = sorted(s.title or "" for s in nw.stories())
    monkeypatch.setattr(placement, "CONTAINMENT_BATCH", 7)
    small = placed(tmp_path / "small.db", parts, Options())
    with Newsweave(tmp_path / "small.db") as nw:
        assert sorted(s.title or "" for s in nw.stories()) == titles
    assert small[:2] == whole[:2]
    assert sum(method == "containment" for _, _, method in whole[1]) >= 5  # containment found copies here
