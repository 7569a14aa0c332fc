"""Copies and syndication: exact copies, near-copies (MinHash LSH) and containment, with a direction.

Every link keeps its evidence; no article is ever removed. Copies of one original form a group whose
root is the article judged original; every other member links to it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

import numpy as np
from datasketch import MinHashLSH

from newsweave.dedup.minhash import MinHasher, shingle_hashes
from newsweave.dedup.original import pick_original
from newsweave.options import Options
from newsweave.records import Article, CopyLink, StageStats
from newsweave.unionfind import UnionFind

KEY_BLOCK = 4096  # signatures turned into band keys at once
JACCARD_MARGIN = 0.2  # MinHash estimates this far below the Jaccard containment needs rule a pair out


def shared(a: np.ndarray, b: np.ndarray) -> int:
    """Number of hashes in both sorted unique arrays."""
    return int(shared_with_each(a, [b])[0])


def shared_with_each(a: np.ndarray, others: list[np.ndarray]) -> np.ndarray:
    """For each b of `others`, the number of hashes in both a and b (sorted unique arrays), in one pass."""
    if not others or len(a) == 0:
        return np.zeros(len(others), dtype=np.int64)
    lengths = [len(b) for b in others]
    every = np.concatenate(others)
    at = np.minimum(np.searchsorted(a, every), len(a) - 1)
    owner = np.repeat(np.arange(len(others)), lengths)
    return np.bincount(owner[a[at] == every], minlength=len(others))


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of a's shingles found in b (both sorted unique hash arrays)."""
    return shared(a, b) / len(a) if len(a) else 0.0


# band keys: the band's values as digits of a number in base BAND_POWERS[1], modulo 2**64, plus a salt per band
BAND_POWERS = np.array([pow(0x9E3779B97F4A7C15, j, 1 << 64) for j in range(64)], dtype=np.uint64)
BAND_SALT = np.array([pow(0xC2B2AE3D27D4EB4F, j + 1, 1 << 64) for j in range(64)], dtype=np.uint64)


class PlacedArticles(Protocol):
    """What the copy detector looks up among articles placed before (the store answers it)."""

    def first_placed_with_hashes(self, text_hashes: list[str]) -> dict[str, str]: ...
    def bucket_members(self, keys: list[int]) -> dict[int, set[str]]: ...
    def signatures(self, ids: list[str]) -> dict[str, bytes]: ...


# datasketch's choice of bands for the default settings, which it finds by integrating over every (b, r) in every
# new process; tests/test_dedup.py checks it against datasketch
KNOWN_BANDS = {(0.8, 128): (9, 13)}


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(b bands, r rows each) that datasketch's MinHashLSH picks for this threshold and signature length."""
    if (threshold, num_perm) in KNOWN_BANDS:
        return KNOWN_BANDS[threshold, num_perm]
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


class SignatureStack:
    """Signatures as rows of one array, to take any articles' at once."""

    def __init__(self, signatures: dict[str, np.ndarray]):
        self.row = {aid: k for k, aid in enumerate(signatures)}
        self.matrix = np.vstack(list(signatures.values())) if signatures else np.zeros((0, 0), dtype=np.uint64)

    def rows(self, ids: list[str]) -> np.ndarray:
        return self.matrix[[self.row[aid] for aid in ids]]


class CopyDetector:
    """Stage: finds copy pairs among new articles and between them and those placed before (looked up in
    `placed`: by text hash and by the LSH buckets kept for them), and turns each group into links to its
    root. Placed articles are never all loaded: only those sharing a bucket with a new one."""

    def __init__(self, options: Options | None = None, placed: PlacedArticles | None = None):
        self.options = options or Options()
        self.placed = placed
        self.hasher = MinHasher(self.options.num_perm, self.options.shingle_size)
        # datasketch picks the bands (b bands of r rows) that best fit the threshold; the index itself is a
        # dict of 64-bit band keys, the keys the store keeps for placed articles (a fraction of the memory)
        self.bands = lsh_bands(self.options.near_duplicate_jaccard, self.options.num_perm)
        self._bucket: dict[int, list[str]] = {}  # band key -> articles indexed in this pass
        self._new_keys: list[tuple[str, np.ndarray]] = []  # (article id, its band keys) of the new articles
        self._placed_hash: dict[str, str] = {}  # looked up in `placed` for the new articles: text hash -> id
        self._placed_bucket: dict[int, set[str]] = {}  # ... bucket key -> placed articles in it
        self.signatures: dict[str, np.ndarray] = {}
        self._shingles: dict[str, np.ndarray] = {}  # of the articles being compared
        self._handed: Mapping[str, np.ndarray] = {}  # see remember_shingles
        self._compared: dict[str, set[str]] = {}  # article id -> those it was checked with for containment
        self.by_hash: dict[str, str] = {}
        self.pairs: dict[tuple[str, str], dict] = {}
        self.stats = StageStats("dedup")

    def add_existing(self, article_id: str, signature: np.ndarray, text_hash: str) -> None:
        """An article placed before, held in memory (without `placed` to look them up)."""
        self._index(article_id, signature, self.bucket_key_matrix(signature[None, :])[0])
        self.by_hash.setdefault(text_hash, article_id)

    @property
    def new_buckets(self) -> Iterator[tuple[int, str]]:
        """(bucket key, article id) rows of the new articles, for the store, in key order (the order of the
        store's index, which SQLite then fills without jumping), without a list of them all."""
        if not self._new_keys:
            return iter(())
        keys = np.concatenate([keys for _, keys in self._new_keys])  # one per band, article by article
        order = np.argsort(keys, kind="stable")
        bands = len(keys) // len(self._new_keys)

        def rows() -> Iterator[tuple[int, str]]:
            for start in range(0, len(order), 1 << 16):
                part = order[start: start + (1 << 16)]
                for key, i in zip(keys[part].tolist(), (part // bands).tolist()):
                    yield key, self._new_keys[i][0]
        return rows()

    def bucket_keys(self, signature: np.ndarray) -> list[int]:
        """One 64-bit key per LSH band of the signature: two articles share a key where datasketch's index
        would put them in one bucket (a key mixes the band's values and its number; a rare collision only
        adds a candidate, which the Jaccard estimate then rejects)."""
        return [int(k) for k in self.bucket_key_matrix(signature[None, :])[0]]

    def bucket_key_matrix(self, signatures: np.ndarray) -> np.ndarray:
        """bucket_keys for each row of a (articles x num_perm) signature matrix, as int64."""
        b, r = self.bands
        bands = signatures[:, : b * r].astype(np.uint64).reshape(len(signatures), b, r)
        with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
            keys = (bands * BAND_POWERS[:r]).sum(axis=2, dtype=np.uint64) + BAND_SALT[:b]
        return keys.view(np.int64)

    def load_signatures(self, ids) -> None:
        """Read from `placed` the signatures of these articles not known yet (placed articles the
        containment check and the links will compare)."""
        missing = [aid for aid in ids if aid not in self.signatures]
        for article_id, blob in (self.placed.signatures(missing) if missing else {}).items():
            self.signatures[article_id] = np.frombuffer(blob, dtype=np.uint64)

    def _index(self, article_id: str, signature: np.ndarray, keys: np.ndarray) -> None:
        self.signatures[article_id] = signature
        for key in keys.tolist():
            self._bucket.setdefault(key, []).append(article_id)

    def add_new_batch(self, articles: list[tuple[str, np.ndarray, str]]) -> None:
        """`add_new` for (id, signature, text hash) of many new articles, the placed ones they may copy
        looked up at once."""
        # keys a few thousand signatures at a time: the signatures stacked whole, and the arithmetic's
        # temporaries, would be held at once for a whole bulk ingest
        matrix = np.vstack([self.bucket_key_matrix(np.vstack([sig for _, sig, _ in articles[i: i + KEY_BLOCK]]))
                            for i in range(0, len(articles), KEY_BLOCK)]) if articles else []
        if self.placed:
            self._placed_hash = self.placed.first_placed_with_hashes([h for _, _, h in articles])
            self._placed_bucket = self.placed.bucket_members(np.unique(matrix).tolist() if len(matrix) else [])
            self.load_signatures({aid for ids in self._placed_bucket.values() for aid in ids})
        for (aid, signature, text_hash), keys in zip(articles, matrix):
            self.add_new(aid, signature, text_hash, keys)
        self._bucket.clear()  # the batch is compared: its index is not needed again, and is large

    def add_new(self, article_id: str, signature: np.ndarray, text_hash: str, keys: np.ndarray | None = None) -> None:
        """Compare a new article with everything seen so far (placed articles first), then index it."""
        keys = keys if keys is not None else self.bucket_key_matrix(signature[None, :])[0]
        same_text = self._placed_hash.get(text_hash) or self.by_hash.get(text_hash)
        if same_text:
            self.pairs[(article_id, same_text)] = {"method": "exact", "jaccard": 1.0}
            self.stats.add("exact")
        else:
            mates = {aid for key in keys.tolist() for aid in self._bucket.get(key, ())}
            mates.update(aid for key in keys.tolist() for aid in self._placed_bucket.get(key, ()))
            best, best_j = None, 0.0
            for other in sorted(mates):  # sorted: ties break the same way every run
                j = MinHasher.jaccard(signature, self.signatures[other])
                if j > best_j:
                    best, best_j = other, j
            if best is not None and best_j >= self.options.near_duplicate_jaccard:
                self.pairs[(article_id, best)] = {"method": "near-duplicate", "jaccard": round(best_j, 3)}
                self.stats.add("near_duplicate")
            self.by_hash[text_hash] = article_id
        self._index(article_id, signature, keys)
        self._new_keys.append((article_id, keys))

    def remember_shingles(self, known: Mapping[str, np.ndarray]) -> None:
        """Shingle hashes computed earlier (by the workers that cleaned the articles), read from `known` when
        an article is compared (a `dedup.spill.SpilledShingles` keeps them on disk till then)."""
        self._handed = known

    def shingles(self, article: Article) -> np.ndarray:
        """The article's shingle hashes, as 32-bit integers (the hashes are 32-bit; held as such they take half
        the memory)."""
        if article.id not in self._shingles:
            handed = self._handed.get(article.id)
            self._shingles[article.id] = (handed.astype(np.uint32, copy=False) if handed is not None else
                                          shingle_hashes(article.text, self.options.shingle_size).astype(np.uint32))
        return self._shingles[article.id]

    def drop_signatures(self) -> None:
        """Let go of every signature held (those of a bulk ingest are 1 KB an article): containment and links
        read the ones they compare again from `placed`, a batch of stories at a time."""
        self.signatures.clear()

    def forget(self, ids: set[str]) -> None:
        """Let go of the shingles, signatures and pairs compared of these articles, once their stories'
        containment and links are done: a bulk ingest would hold them all."""
        for aid in ids:  # a copy group lies in one story: whoever these were compared with goes too
            self._shingles.pop(aid, None)
            self.signatures.pop(aid, None)
            self._compared.pop(aid, None)

    def contained_in_stories(self, new: list[Article], mates: dict[str, list[str]], articles: dict[str, Article]) -> None:
        """Check each new article not yet paired for containment against the members of its story (`mates`:
        article id -> the ids of its story's members; stories over `containment_max_story` are skipped)."""
        paired = {x for pair in self.pairs for x in pair}
        # every signature held, stacked once: stacking each article's others anew cost more than comparing them
        stack = SignatureStack(self.signatures)
        for article in new:
            if article.id in paired:
                continue
            members = mates.get(article.id, [])
            if 1 < len(members) <= self.options.containment_max_story:
                found = self.check_containment(article, [articles[m] for m in members if m in articles], stack)
                paired.update(found + [article.id] if found else [])

    def check_containment(self, article: Article, others: list[Article],
                          stack: SignatureStack | None = None) -> list[str]:
        """An article whose text lies (almost) whole inside another's, or holds another whole.

        Only pairs whose MinHash Jaccard could allow it are compared exactly. If the smaller of A and B lies
        (a share c of it) inside the other, J(A, B) >= c * |small| / (|A| + |B| - c * |small|): a pair whose
        estimated Jaccard is far below that (JACCARD_MARGIN, about five standard errors of a 128-hash
        estimate) cannot be contained, and `containment_min_jaccard` caps how much larger a wrapper may be.
        Each unordered pair is compared once. `stack`: the signatures held, stacked once for many calls.
        Returns the ids of the articles found paired with this one."""
        seen = self._compared.setdefault(article.id, set())
        others = [o for o in others if o.id != article.id and o.id not in seen]
        own = self.signatures.get(article.id)
        estimate: dict[str, float] = {}
        if own is not None and others:
            known = [o for o in others if o.id in self.signatures]
            if known:
                ids = [o.id for o in known]
                rows = stack.rows(ids) if stack else np.vstack([self.signatures[aid] for aid in ids])
                agree = (rows == own).mean(axis=1)
                estimate = dict(zip((o.id for o in known), agree.tolist()))
                others = [o for o in others if estimate.get(o.id, 1.0) >= self.options.containment_min_jaccard]
        if not others:
            return []
        seen.update(o.id for o in others)
        for o in others:
            self._compared.setdefault(o.id, set()).add(article.id)
        mine = self.shingles(article)
        theirs = [self.shingles(o) for o in others]
        sizes = np.array([len(t) for t in theirs])
        guess = np.array([estimate.get(o.id, np.inf) for o in others])
        ruled_out = guess < self._jaccard_needed(len(mine), sizes) - JACCARD_MARGIN
        if ruled_out.any():
            self.stats.add("containment_ruled_out_by_minhash", int(ruled_out.sum()))
        kept = np.flatnonzero(~ruled_out)
        both = shared_with_each(mine, [theirs[k] for k in kept])
        found = []
        for k, n in zip(kept.tolist(), both.tolist()):
            inside, holds = n / max(len(mine), 1), n / max(int(sizes[k]), 1)
            if max(inside, holds) >= self.options.containment:
                other = others[k]
                key = (article.id, other.id)
                if key not in self.pairs and (other.id, article.id) not in self.pairs:
                    self.pairs[key] = {"method": "containment", "contained": round(inside, 3),
                                       "contains": round(holds, 3)}
                    self.stats.add("containment")
                    found.append(other.id)
        return found

    def _jaccard_needed(self, a: int, b: np.ndarray) -> np.ndarray:
        """The least Jaccard of two shingle sets of these sizes (one set of size a, others of sizes b) when
        one lies inside the other."""
        inside = self.options.containment * np.minimum(a, b)
        return inside / np.maximum(a + b - inside, 1.0)

    def groups(self, existing: dict[str, CopyLink], pairs: Iterable[tuple[str, str]] | None = None) -> UnionFind:
        """Copy groups: the stored links given and the pairs found so far (or those given), joined."""
        uf = UnionFind()
        for link in existing.values():
            uf.union(link.original_id, link.article_id)
        for a, b in self.pairs if pairs is None else pairs:
            uf.union(a, b)
        return uf

    def changed_links(self, articles: dict[str, Article],
                      existing: dict[str, CopyLink]) -> tuple[list[CopyLink], list[str]]:
        """(the links of `links` that are new or point to another original than the stored one, the
        articles whose stored link goes: each is now its group's original)."""
        links = self.links(articles, existing)
        linked = {link.article_id for link in links}
        originals = {link.original_id for link in links}
        changed = [link for link in links
                   if link.article_id not in existing or existing[link.article_id].original_id != link.original_id]
        return changed, sorted(aid for aid in existing if aid not in linked and aid in originals)

    def links(self, articles: dict[str, Article], existing: dict[str, CopyLink]) -> list[CopyLink]:
        """Group the pairs (new and stored) that touch `articles` and link every non-root member to its
        group's original; a group with a member not in `articles` is left as it is."""
        pairs = {pair: ev for pair, ev in self.pairs.items() if pair[0] in articles or pair[1] in articles}
        uf = self.groups(existing, pairs)
        evidence = {frozenset(pair): ev for pair, ev in pairs.items()}
        groups: dict[str, list[str]] = {}
        for x in list(uf.parent):
            groups.setdefault(uf.find(x), []).append(x)
        out = []
        for ids in groups.values():
            if len(ids) < 2 or not all(i in articles for i in ids):
                continue
            # in ingest order: which member is judged original must not depend on the order groups were read
            members = sorted((articles[i] for i in ids), key=lambda a: (a.seq or 0, a.id))
            original, reason = pick_original(members)
            for m in members:
                if m.id == original.id:
                    continue
                ev = dict(evidence.get(frozenset((m.id, original.id)))
                          or (existing[m.id].evidence if m.id in existing else {"method": "same copy group"}))
                ev.setdefault("jaccard", round(MinHasher.jaccard(self.signatures[m.id], self.signatures[original.id]), 3)
                              if m.id in self.signatures and original.id in self.signatures else None)
                ev.update({
                    "direction": reason,
                    "copy_published": m.published, "original_published": original.published,
                    "copy_credits": m.credited_origin, "original_credits": original.credited_origin,
                })
                out.append(CopyLink(m.id, original.id, ev.get("method", "copy"), ev))
        return out
