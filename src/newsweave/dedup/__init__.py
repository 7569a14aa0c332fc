"""Dedup: articles in, copy links out; no article is ever removed.

- `minhash`: shingles and their MinHash signatures;
- `copies`: the copy detector (exact copies, near-copies by LSH, containment) and its groups;
- `original`: which member of a group is the original, and why;
- `spill`: the workers' shingle hashes, kept on disk until containment reads them.
"""
from newsweave.dedup.copies import CopyDetector, containment
from newsweave.dedup.minhash import MinHasher
from newsweave.dedup.original import pick_original

__all__ = ["CopyDetector", "MinHasher", "containment", "pick_original"]
