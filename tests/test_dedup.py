"""Copy detection: MinHash estimates, containment and the direction of a copy."""
import re

import numpy as np

from newsweave import Newsweave
from newsweave.dedup import CopyDetector, MinHasher, containment, pick_original
from newsweave.dedup.minhash import shingle_hashes
from newsweave.records import Article, CopyLink

TEXT = " ".join(f"word{i} is followed by token{i * 7 % 31} and then" for i in range(120))


def article(id, text, **kw):
    return Article(id=id, source=id, kind="text", raw=kw.pop("raw", text), text=text, **kw)


def test_minhash_estimates_jaccard():
    hasher = MinHasher(num_perm=256)
    a = shingle_hashes(TEXT, 5)
    half = TEXT[: len(TEXT) // 2]
    b = shingle_hashes(half, 5)
    true = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    est = MinHasher.jaccard(hasher.signature(TEXT), hasher.signature(half))
    assert abs(est - true) < 0.1
    assert MinHasher.jaccard(hasher.signature(TEXT), hasher.signature(TEXT)) == 1.0
    other = MinHasher.jaccard(hasher.signature(TEXT), hasher.signature("completely different words " * 40))
    assert other < 0.05


def test_containment_is_directional():
    inner = shingle_hashes(TEXT[:2000], 5)
    chrome = " ".join(f"teaser headline {i} about topic{i * 3} read more" for i in range(150))
    outer = shingle_hashes(chrome + " " + TEXT[:2000], 5)
    assert containment(inner, outer) > 0.95
    assert containment(outer, inner) < 0.6


def test_shared_shingles_counted_for_many_texts_at_once():
    from newsweave.dedup.copies import shared, shared_with_each

    words = TEXT.split()
    mine = shingle_hashes(" ".join(words[:400]), 5)
    others = [shingle_hashes(" ".join(words[a:b]), 5) for a, b in ((0, 100), (300, 700))]
    others += [shingle_hashes(" ".join(f"other{i}" for i in range(200)), 5), shingle_hashes("too short", 5),
               np.zeros(0, dtype=mine.dtype)]
    counts = shared_with_each(mine, others).tolist()
    assert counts == [len(np.intersect1d(mine, b)) for b in others]
    assert shared(mine, others[1]) == counts[1]
    assert counts[0] == len(others[0]) and 0 < counts[1] < len(others[1]) and counts[2] == 0 and counts[4] == 0
    assert shared_with_each(mine[:0], others).tolist() == [0] * len(others)


def test_direction_prefers_credit_then_date_then_less_chrome():
    a = article("a", TEXT, outlet="Wire Service", published="2024-01-02")
    b = article("b", TEXT, credited_origin="Wire Service", published="2024-01-01")
    assert pick_original([b, a])[0].id == "a"  # the credit beats an earlier date
    c = article("c", TEXT, published="2024-01-03")
    d = article("d", TEXT, published="2024-01-01")
    assert pick_original([c, d]) == (d, "published earlier")
    wrapped = article("w", TEXT, raw="chrome " * 2000 + TEXT, removed_chars=14000)
    bare = article("x", TEXT)
    assert pick_original([wrapped, bare])[0].id == "x"


CJK_PAGES = ["t0060", "t0108", "t0136", "t0983"]  # Chinese and Japanese pages of the extraction set


def _lightly_edited(text: str) -> str:
    """A repost that drops one sentence and writes every fourth possessive particle differently."""
    sentences = text.split("。")
    del sentences[len(sentences) // 2]
    seen = iter(range(1, 1 << 30))
    return re.sub("的|の", lambda m: "之" if next(seen) % 4 == 0 else m.group(), "。".join(sentences))


def test_chinese_and_japanese_reposts_are_found_as_near_copies(data_dir, tmp_path):
    # without spaces a whole clause reads as one word, and one edit would change every shingle around it
    pages = {p: (data_dir / "extraction-dev" / "page-text" / f"{p}.txt").read_text() for p in CJK_PAGES}
    hasher = MinHasher()
    for name, text in pages.items():
        assert MinHasher.jaccard(hasher.signature(text), hasher.signature(_lightly_edited(text))) >= 0.8, name
    for name, text in pages.items():
        (tmp_path / f"{name}.txt").write_text(text)
        (tmp_path / f"{name}-repost.txt").write_text(_lightly_edited(text))
    with Newsweave(tmp_path / "cjk.db") as nw:
        nw.ingest([tmp_path], progress=None)
        names = {a.id: a.source.rsplit("/", 1)[1].removesuffix(".txt") for a in nw.articles()}
        linked = sorted(sorted((names[link.article_id], names[link.original_id])) for link in nw.copy_links().values())
    assert linked == sorted([f"{p}", f"{p}-repost"] for p in CJK_PAGES)


def test_an_article_judged_original_again_loses_its_old_link():
    """A group's stored links say x copies y; a new member shows y credits x, so x is the original now: y
    links to x, and x's own link goes (no article is both an original and a copy)."""
    hasher = MinHasher()
    x = article("x", TEXT, outlet="Harbour Times", seq=2)
    y = article("y", TEXT, outlet="Coast Daily", credited_origin="Harbour Times", seq=1)
    z = article("z", TEXT + " Updated.", seq=3)
    detector = CopyDetector()
    for a in (x, y):
        detector.add_existing(a.id, hasher.signature(a.text), a.id)
    detector.add_new("z", hasher.signature(z.text), "z")
    assert set(detector.pairs) == {("z", "x")}
    existing = {"x": CopyLink("x", "y", "near-duplicate", {"method": "near-duplicate"})}
    links, unlinked = detector.changed_links({a.id: a for a in (x, y, z)}, existing)
    assert {(link.article_id, link.original_id) for link in links} == {("y", "x"), ("z", "x")}
    assert unlinked == ["x"]


def test_placed_copies_are_found_through_the_stored_buckets(tmp_path):
    """A copy of an article placed in an earlier ingest is linked to it, found through the LSH buckets and
    text hashes kept in the store (nothing placed before is held in memory)."""
    words = " ".join(f"harbour{i} crane{i * 3 % 17} shift" for i in range(150))
    (tmp_path / "a.txt").write_text("Cranes stopped at the harbour. " + words, encoding="utf-8")
    (tmp_path / "other.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "near.txt").write_text("Cranes stopped at the harbour today. " + words, encoding="utf-8")
    (tmp_path / "exact.txt").write_text("Cranes stopped at the harbour. " + words, encoding="utf-8")
    with Newsweave(tmp_path / "s.db") as nw:
        nw.ingest([tmp_path / "a.txt", tmp_path / "other.txt"])
        assert nw.store.db.execute("SELECT count(*) FROM copy_buckets").fetchone()[0] == 2 * CopyDetector().bands[0]
        nw.ingest([tmp_path / "near.txt"])
        nw.ingest([tmp_path / "exact.txt"])
        by_name = {a.source.rsplit("/", 1)[1]: a for a in nw.articles()}
        links = nw.copy_links()
        assert {links[by_name[n].id].original_id for n in ("near.txt", "exact.txt")} == {by_name["a.txt"].id}
        assert links[by_name["exact.txt"].id].method == "exact"
        assert links[by_name["near.txt"].id].method == "near-duplicate"


def test_the_known_bands_are_datasketchs_choice():
    from datasketch import MinHashLSH

    from newsweave.dedup.copies import KNOWN_BANDS, lsh_bands

    for (threshold, num_perm), bands in KNOWN_BANDS.items():
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert bands == (lsh.b, lsh.r)
    lsh = MinHashLSH(threshold=0.6, num_perm=64)
    assert lsh_bands(0.6, 64) == (lsh.b, lsh.r)


def test_minhash_rules_out_rewrites_but_never_a_wrapped_article(data_dir):
    """Containment skips the exact comparison of pairs whose MinHash estimate is far below the Jaccard a
    contained pair must have: rewrites (half an article's sentences, half another's) are skipped; an
    article with 600 to 2,400 characters of another page around it is still found, and the bound holds."""
    import json

    from newsweave.options import Options

    texts = [json.loads(line)["text"] for line in open(data_dir / "fakes" / "articles.jsonl", encoding="utf-8")][:40]
    hasher = MinHasher(128, 5)
    detector = CopyDetector(Options())
    chrome = " ".join(texts[-1].split()[:400])
    found = {"wrapped": 0, "rewrite": 0}
    for k, text in enumerate(texts[:20]):
        others = re.split(r"(?<=[.!?])\s+", texts[k + 20])
        rewrite = " ".join(re.split(r"(?<=[.!?])\s+", text)[::2] + others[1::2])  # half its, half another's
        for suffix, body in (("wrapped", text + " " + chrome[: 600 * (k % 4 + 1)]), ("rewrite", rewrite)):
            pair = [Article(id=f"{k}", source="a", kind="text", raw="", text=text),
                    Article(id=f"{k}-{suffix}", source="b", kind="text", raw="", text=body)]
            for article in pair:
                detector.signatures[article.id] = hasher.signature_of(shingle_hashes(article.text, 5))
            a, b = (np.unique(shingle_hashes(x.text, 5)) for x in pair)
            if suffix == "wrapped":
                assert len(np.intersect1d(a, b)) / len(np.union1d(a, b)) >= detector._jaccard_needed(len(a), len(b))
            found[suffix] += bool(detector.check_containment(pair[0], [pair[1]]))
    ruled_out = detector.stats.counts.get("containment_ruled_out_by_minhash", 0)
    assert found == {"wrapped": 20, "rewrite": 0}
    assert ruled_out >= 10  # most rewrites need no exact comparison


def test_spilled_shingles_read_back_as_written():
    from newsweave.dedup.spill import SpilledShingles

    texts = {f"a{k}": " ".join(TEXT.split()[k * 10: k * 10 + 200]) for k in range(5)}
    spill = SpilledShingles(most=3 * 200)
    for aid, text in texts.items():
        spill.add(aid, shingle_hashes(text, 5).astype(np.uint32).tobytes())
    assert 0 < len(spill) < len(texts)  # past `most` hashes, no more are kept
    for aid in spill:
        assert np.array_equal(spill[aid], shingle_hashes(texts[aid], 5).astype(np.uint32))
    assert "a4" not in spill and spill.get("a4") is None
    detector = CopyDetector()
    detector.remember_shingles(spill)
    wanted = [article(aid, text) for aid, text in texts.items()]
    assert all(np.array_equal(detector.shingles(a), shingle_hashes(a.text, 5).astype(np.uint32)) for a in wanted)
    spill.close()
