"""The learned part of attribution: which words are cues, and which candidate attributions to keep.

Both are fitted on hand-annotated news (PolNeAR's train part) by `scripts/train_attributions.py` and
shipped as `newsweave/data/attributions.npz`:
- the cue lexicon: verbs annotated as the cue of an attribution often enough ("said", "told", "argued",
  "believes", "plans"), each with the share of its uses that are cues;
- a logistic regression over each candidate (the cue, how its content was found, the source's kind, the
  content's length, whether it is quoted) that says whether it is an attribution a reader would count.
"""
from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import numpy as np

DEFAULT_PATH = "attributions.npz"
PERSON_LABELS = {"PERSON"}
GROUP_LABELS = {"ORG", "NORP", "GPE"}


class AttributionModel:
    def __init__(self, lexicon: dict[str, float], names: list[str] | None = None, coef=None, intercept: float = 0.0,
                 threshold: float = 0.5, threshold_direct: float = 0.5):
        self.lexicon = lexicon
        self.names = names or []
        self.index = {n: i for i, n in enumerate(self.names)}
        self.coef = np.asarray(coef if coef is not None else [], dtype=float)
        self.intercept = float(intercept)
        self.threshold = threshold
        self.threshold_direct = threshold_direct  # direct quotes are rarely wrong: a threshold of their own

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> "AttributionModel":
        with resources.files("newsweave.data").joinpath(DEFAULT_PATH).open("rb") as fh:
            z = np.load(fh, allow_pickle=False)
            lexicon = dict(zip(z["lemmas"].tolist(), z["shares"].tolist()))
            return cls(lexicon, z["names"].tolist(), z["coef"], float(z["intercept"]), float(z["threshold"]),
                       float(z["threshold_direct"]))

    def save(self, path) -> None:
        np.savez_compressed(path, lemmas=np.array(list(self.lexicon)), shares=np.array(list(self.lexicon.values())),
                            names=np.array(self.names), coef=self.coef, intercept=self.intercept,
                            threshold=self.threshold, threshold_direct=self.threshold_direct)

    def cue_weight(self, lemma: str) -> float | None:
        """The share of a verb's uses annotated as a cue, or None when it is no cue."""
        return self.lexicon.get(lemma)

    def probability(self, features: dict[str, float]) -> float | None:
        if not self.names:
            return None
        z = self.intercept + sum(self.coef[self.index[k]] * v for k, v in features.items() if k in self.index)
        return 1.0 / (1.0 + math.exp(-z))

    def keep(self, features: dict[str, float]) -> bool | None:
        """Whether a candidate is kept; None before a classifier is fitted (everything is a candidate)."""
        p = self.probability(features)
        if p is None:
            return None
        return p >= (self.threshold_direct if features.get("direct") else self.threshold)


def _source_kind(tok) -> str:
    if tok is None:
        return "none"
    if tok.pos_ == "PRON":
        return "pronoun"
    label = tok.ent_type_
    if label in PERSON_LABELS:
        return "person"
    if label in GROUP_LABELS:
        return "group"
    if tok.pos_ == "PROPN":
        return "name"
    return "plural" if tok.tag_ == "NNS" else "noun"


def candidate_features(doc, cand, direct: bool, has_quote: bool, n_words: int,
                       model: AttributionModel) -> dict[str, float]:
    """What the classifier sees of one candidate attribution."""
    cue = cand.cue[0]
    lemma = "according to" if cand.kind == "according" else cue.lemma_.lower()
    f = {f"kind={cand.kind}": 1.0, f"cue={lemma}": 1.0, f"source={_source_kind(cand.source)}": 1.0,
         f"tag={cue.tag_}": 1.0, f"dep={cue.dep_}": 1.0}
    f["cue_share"] = model.lexicon.get(lemma, 0.0)
    f["direct"] = float(direct)
    f["mixed"] = float(has_quote and not direct)
    f["words_log"] = math.log1p(n_words)
    f["short"] = float(n_words < 4)
    f["negated"] = float(any(c.dep_ == "neg" for c in cue.children))
    f["modal"] = float(any(c.tag_ == "MD" for c in cue.children))
    if cand.content:
        first = doc[min(cand.content)]
        f["that"] = float(first.lower_ == "that")
        f["before_cue"] = float(min(cand.content) < cue.i)
        f["question"] = float(any(doc[i].text == "?" for i in cand.content))
    return f
