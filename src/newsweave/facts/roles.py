"""What a number in a news text is: a count, an age, a clock time, a phone number, a street number...

Only counts and measures may become quantity facts; every other number is dropped before alignment, so
"Amari Brown, 7, was shot", "call 911", "around 11 p.m.", "Image 8 of 8" and "a town of 3,500" never
stand as a toll. A logistic regression over the words around the number, its shape and its place in the
parse decides; it is trained by scripts/train_number_roles.py on labelled mentions (training/) and shipped
as arrays in newsweave/data/number_roles.npz.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

import numpy as np

ROLES = ("count", "measure", "age", "time", "date", "code", "address", "money", "percent", "ordinal",
         "score", "size", "counter")
KEPT = {"count", "measure"}  # the roles that can become quantity facts

_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
           "dec"}
_WORDNUM = re.compile(r"^(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                      r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
                      r"seventy|eighty|ninety|hundred|thousand|million|billion|dozens?|scores|hundreds|"
                      r"thousands)$", re.IGNORECASE)


def _word(tok) -> str:
    """A token as a feature: numbers by shape, so "7" and "12" look alike, and words lower-cased."""
    t = tok.lower_
    if tok.like_num or _WORDNUM.match(t):
        return "<num>" if any(c.isdigit() for c in t) else "<numword>"
    return t


def _shape(s: str) -> str:
    return re.sub(r"\d+", "D", re.sub(r"[A-Za-z]+", "a", s))


def features(doc, text: str, start: int, end: int) -> dict[str, float]:
    """Features of the number written at text[start:end] (the figure alone, without its qualifier)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    first, last = span[0], span[-1]
    f: dict[str, float] = {"bias": 1.0}
    raw = text[start:end]
    digits = re.sub(r"[^\d.]", "", raw)
    f["shape=" + _shape(raw)[:12]] = 1.0
    f["is_word"] = float(not any(c.isdigit() for c in raw))
    value = None
    try:
        value = float(digits) if digits and digits != "." else None
    except ValueError:
        value = None
    if value is not None:
        f[f"log10={min(int(math.log10(value)) if value >= 1 else -1, 7)}"] = 1.0
        f["year_like"] = float(1800 <= value <= 2100 and len(digits) == 4)
        f["leading_zero"] = float(digits.startswith("0") and len(digits) > 1)
    before, after = text[max(start - 3, 0):start], text[end:end + 3]
    for ch in "$#£€(/:-,":
        if ch in before[-2:]:
            f["char_before=" + ch] = 1.0
    for ch in "%/:-,)'":
        if ch in after[:2]:
            f["char_after=" + ch] = 1.0
    f["sep_after=" + _shape(after[:2])] = 1.0
    f["sep_before=" + _shape(before[-2:])] = 1.0
    n = len(doc)
    for k in (1, 2, 3):
        i = first.i - k
        f[f"w-{k}=" + (_word(doc[i]) if i >= 0 else "<s>")] = 1.0
        j = last.i + k
        f[f"w+{k}=" + (_word(doc[j]) if j < n else "</s>")] = 1.0
    if first.i >= 1:
        f["tag-1=" + doc[first.i - 1].tag_] = 1.0
        f["ent-1=" + (doc[first.i - 1].ent_type_ or "O")] = 1.0
    if first.i >= 2:
        f["tag-2=" + doc[first.i - 2].tag_] = 1.0
        f["bigram-2=" + _word(doc[first.i - 2]) + "_" + _word(doc[first.i - 1])] = 1.0
    if last.i + 1 < n:
        f["tag+1=" + doc[last.i + 1].tag_] = 1.0
    if last.i + 2 < n:
        f["bigram+2=" + _word(doc[last.i + 1]) + "_" + _word(doc[last.i + 2])] = 1.0
    for tok in doc[max(first.i - 6, 0): min(last.i + 7, n)]:
        if tok.i < first.i or tok.i > last.i:
            if tok.is_alpha and not tok.is_stop:
                f["near=" + tok.lemma_.lower()] = 1.0
            if tok.lower_ in _MONTHS and tok.is_title:
                f["near_month"] = 1.0
    f["dep=" + last.dep_] = 1.0
    f["ent=" + (last.ent_type_ or "O")] = 1.0
    head = last.head
    f["head=" + head.lemma_.lower()] = 1.0
    f["head_pos=" + head.pos_] = 1.0
    f["head_dep=" + last.dep_ + ">" + head.dep_] = 1.0
    f["head_side=" + ("left" if head.i < last.i else "right" if head.i > last.i else "self")] = 1.0
    sent = last.sent
    f["sent_start"] = float(first.i == sent.start)
    f["title_case"] = float(sum(t.is_title for t in sent) > 0.6 * max(sum(t.is_alpha for t in sent), 1))
    return f


class RoleModel:
    """Multinomial logistic regression over sparse features, in NumPy: weights[feature] is a row of
    one score per role."""

    def __init__(self, vocabulary: list[str], weights: np.ndarray, bias: np.ndarray, roles: list[str]):
        self.index = {name: k for k, name in enumerate(vocabulary)}
        self.weights = weights
        self.bias = bias
        self.roles = list(roles)

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> "RoleModel":
        with resources.files("newsweave.data").joinpath("number_roles.npz").open("rb") as fh:
            z = np.load(fh, allow_pickle=False)
            return cls(list(z["vocabulary"]), z["weights"], z["bias"], list(z["roles"]))

    def probabilities(self, feats: list[dict[str, float]]) -> np.ndarray:
        scores = np.tile(self.bias, (len(feats), 1)).astype(float)
        for row, f in enumerate(feats):
            for name, x in f.items():
                k = self.index.get(name)
                if k is not None:
                    scores[row] += x * self.weights[k]
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, feats: list[dict[str, float]]) -> list[tuple[str, float]]:
        if not feats:
            return []
        p = self.probabilities(feats)
        best = p.argmax(axis=1)
        return [(self.roles[b], float(p[i, b])) for i, b in enumerate(best)]
