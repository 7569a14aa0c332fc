"""Building many dossiers at once (articles parsed and stories aligned in worker processes) gives the same
dossiers as building each story on its own, and caches them."""
import json
from importlib import resources

import pytest

from newsweave import Newsweave, Options
from newsweave.dossier import MIN_STORIES_PARALLEL


def test_parallel_dossiers_equal_in_process_ones(tmp_path):
    sample = resources.files("newsweave").joinpath("data/sample/fakes.jsonl")
    with Newsweave(tmp_path / "p.db", Options(workers=2)) as nw:
        nw.ingest([str(sample)])
        ids = [s.id for s in nw.stories()]
        assert len(ids) >= MIN_STORIES_PARALLEL  # else the workers would not be used
        nw.build_dossiers(ids)
        cached = {i: nw.store.cached_dossier(i) for i in ids}
        assert all(cached.values())
        parallel = {i: nw.dossier(i) for i in ids}
        nw.store.db.execute("DELETE FROM dossiers")
        nw.store.db.commit()
        assert nw.store.cached_dossier(ids[0]) is None
        alone = {i: nw.dossier(i) for i in ids}
    assert parallel == alone
    assert sum(len(d["facts"]) for d in alone.values()) > 0


def test_a_changed_story_reads_out_of_date_until_its_dossier_is_rebuilt(tmp_path, monkeypatch):
    sample = resources.files("newsweave").joinpath("data/sample/fakes.jsonl")
    with Newsweave(tmp_path / "s.db") as nw:
        nw.ingest([str(sample)])
        ids = {s.id for s in nw.stories()}
        assert set(nw.outdated_dossiers()) == ids
        assert {r["dossier"] for r in nw.story_list(limit=1000)[0]} == {"building"}
        nw.build_dossiers()
        assert nw.outdated_dossiers() == []
        rows, total = nw.story_list(limit=1000)
        assert total == len(ids) and {r["dossier"] for r in rows} == {"ready"}
        for r in rows:  # the list's stored summaries agree with the stories and their dossiers
            story, dossier = nw.story(r["id"]), nw.cached_dossier(r["id"])[0]
            assert (r["articles"], r["independent_sources"], r["first_date"], r["last_date"]) == (
                len(story.article_ids), story.independent_sources, story.first_date, story.last_date)
            assert r["conflicts"] == sum(f["status"] == "conflict" for f in dossier["facts"])
        # a reworded copy of one article joins its story: that story alone is out of date
        original = max(nw.articles(), key=lambda a: len(a.text))
        copy = tmp_path / "copy.jsonl"
        copy.write_text(json.dumps({"title": original.title, "published": original.published,
                                    "text": "Updated. " + original.text}) + "\n", encoding="utf-8")
        before, _ = nw.cached_dossier(original.story_id)
        nw.ingest([copy])
        assert nw.outdated_dossiers() == [original.story_id]
        shown, state = nw.cached_dossier(original.story_id)
        assert state == "updating" and shown == before  # the older dossier is still shown meanwhile
        nw.build_dossiers()
        assert nw.outdated_dossiers() == [] and nw.cached_dossier(original.story_id)[1] == "ready"
        # another version of the extraction makes every dossier out of date, once
        monkeypatch.setattr("newsweave.dossier.FACTS_VERSION", "test")
        assert set(nw.outdated_dossiers()) == {s.id for s in nw.stories()}


def test_a_missing_story_or_article_is_the_same_error_everywhere(tmp_path):
    from newsweave.errors import BadInput, NotFound
    from newsweave.report import story_markdown

    with Newsweave(tmp_path / "empty.db") as nw:
        for call in (lambda: nw.story(12345), lambda: nw.dossier(12345), lambda: story_markdown(nw, 12345),
                     lambda: nw.article("no-such-article")):
            with pytest.raises(NotFound) as caught:
                call()
            assert isinstance(caught.value, KeyError) and str(caught.value).startswith("no ")
        for format in ("xml", "html"):
            with pytest.raises(BadInput):
                nw.export(tmp_path / "out", format=format)
