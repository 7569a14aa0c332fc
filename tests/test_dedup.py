"""Copy detection: MinHash estimates, containment and the direction of a copy."""
import numpy as np

from newsweave.dedup import MinHasher, containment, pick_original
from newsweave.dedup.minhash import shingle_hashes
from newsweave.records import Article

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
