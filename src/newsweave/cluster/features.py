"""Term features for story clustering, hashed so that vectors computed in different runs line up.

Two views of an article: its content words, and its "anchors": capitalised names inside sentences, years
and numbers. Two events of one kind (two earthquakes) share content words but rarely anchors. Chinese and
Japanese runs, which have no spaces and no capitals, give character pairs as content words instead.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsweave.tokens import CJK, CJK_RUN, cjk_bigrams

DIM = 1 << 20
TOKEN = re.compile(r"[\w'’-]+", re.UNICODE)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
YEAR = re.compile(r"(1[89]|20)\d\d")
STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "mr", "mrs", "ms", "dr", "new"}


@lru_cache(maxsize=1 << 20)
def _hash(token: str) -> int:
    return zlib.crc32(token.encode("utf-8", "ignore")) % DIM


def word_tokens(text: str) -> list[str]:
    pairs = []
    if CJK.search(text):
        pairs, text = cjk_bigrams(text), CJK_RUN.sub(" ", text)
    return [w for w in (t.lower().strip("'’-") for t in TOKEN.findall(text)) if len(w) > 1 and w not in STOP
            and not w.isdigit()] + pairs


def anchor_tokens(text: str) -> list[str]:
    if CJK.search(text):  # numbers and Latin names inside CJK text stand apart from the characters around them
        text = CJK_RUN.sub(" ", text)
    out = []
    for sentence in SENTENCE.split(text):
        toks = TOKEN.findall(sentence)
        for j, w in enumerate(toks):
            if w[0].isdigit():
                out.append(("Y" if YEAR.fullmatch(w) else "N") + w)
            elif j and w[0].isupper() and w.lower() not in STOP:
                out.append(w.lower())
    return out


def pack(tokens: list[str]) -> bytes:
    counts = Counter(map(_hash, tokens))
    idx = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
    val = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
    order = np.argsort(idx)
    return idx[order].tobytes() + val[order].tobytes()


def unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    n = len(blob) // 8
    return np.frombuffer(blob[: 4 * n], dtype=np.int32), np.frombuffer(blob[4 * n :], dtype=np.float32)


def article_features(title: str | None, text: str) -> tuple[bytes, bytes]:
    body = f"{title}\n{text}" if title else text
    return pack(word_tokens(body)), pack(anchor_tokens(body))
