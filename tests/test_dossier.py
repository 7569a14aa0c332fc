"""Building many dossiers at once (articles parsed and stories aligned in worker processes) gives the same
dossiers as building each story on its own, and caches them."""
from importlib import resources

from newsweave import Newsweave, Options
from newsweave.dossier import MIN_STORIES_PARALLEL


def test_parallel_dossiers_equal_in_process_ones(tmp_path):
    sample = resources.files("newsweave").joinpath("data/sample/fakes.jsonl")
    with Newsweave(tmp_path / "p.db", Options(workers=2)) as nw:
        nw.ingest([str(sample)])
        ids = [s.id for s in nw.stories()]
        assert len(ids) >= MIN_STORIES_PARALLEL  # else the workers would not be used
        nw.prepare_dossiers(ids)
        cached = {i: nw.store.cached_dossier(i) for i in ids}
        assert all(cached.values())
        parallel = {i: nw.dossier(i) for i in ids}
        nw.store.db.execute("DELETE FROM dossiers")
        nw.store.db.commit()
        assert nw.store.cached_dossier(ids[0]) is None
        alone = {i: nw.dossier(i) for i in ids}
    assert parallel == alone
    assert sum(len(d["facts"]) for d in alone.values()) > 0
