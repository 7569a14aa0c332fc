"""The trained line classifier: a boilerplate lexicon and two stages of small MLPs (page features, then
neighbourhood), run in NumPy.

Weights are produced by scripts/train_cleaner.py and shipped in newsweave/data/: the MLPs as JSON
(cleaner.json), the lexicon as compressed arrays (cleaner_lexicon.npz).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np

from newsweave.clean.lexicon import Lexicon
from newsweave.clean.lines import BASE_FEATURES, CONTEXT_FEATURES, Line, Pages, context_features, line_features, page_words


class MLP:
    def __init__(self, spec: dict):
        self.mean = np.asarray(spec["mean"])
        self.scale = np.asarray(spec["scale"])
        self.weights = [np.asarray(w) for w in spec["weights"]]
        self.biases = [np.asarray(b) for b in spec["biases"]]

    def predict(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) / self.scale
        for w, b in zip(self.weights[:-1], self.biases[:-1]):
            h = np.maximum(h @ w + b, 0.0)
        z = h @ self.weights[-1] + self.biases[-1]
        return 1.0 / (1.0 + np.exp(-np.clip(z.ravel(), -30, 30)))


class Ensemble:
    """MLPs trained alike from different random starts; their mean probability moves less with the seed of any
    one of them, so a line near the threshold does not flip between trainings."""

    def __init__(self, specs: dict | list[dict]):
        self.members = [MLP(spec) for spec in (specs if isinstance(specs, list) else [specs])]

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.mean([m.predict(x) for m in self.members], axis=0)


def first_features() -> tuple[str, ...]:
    """The columns of page_features."""
    return BASE_FEATURES + ("lexicon_score",)


def second_features() -> tuple[str, ...]:
    """The columns the second MLP sees: page_features, then context_features."""
    return first_features() + CONTEXT_FEATURES


def page_features(lines: list[Line] | Pages, lexicon: Lexicon) -> np.ndarray:
    """What the first MLP sees: the layout and page-vocabulary features, then the lexicon score."""
    words = page_words(lines)
    return np.hstack([line_features(lines, words), lexicon.score(words)[:, None]])


class LineClassifier:
    def __init__(self, spec: dict, lexicon: Lexicon):
        for stage, names in (("first", first_features()), ("second", second_features())):
            if spec["features"][stage] != list(names):
                raise ValueError(f"the line classifier's {stage} stage was trained on other features than this "
                                 "version computes: retrain it (scripts/train_cleaner.py)")
        self.first = Ensemble(spec["first"])
        self.second = Ensemble(spec["second"])
        self.lexicon = lexicon
        self.meta = spec.get("meta", {})

    def predict(self, lines: list[Line]) -> np.ndarray:
        return self.predict_pages([lines])[0]

    def predict_pages(self, pages: list[list[Line]]) -> list[np.ndarray]:
        """The probability that each line is article text, for several pages in one pass."""
        batch = Pages.of(pages)
        if not len(batch):
            return [np.zeros(0) for _ in pages]
        base = page_features(batch, self.lexicon)
        p1 = self.first.predict(base)
        return batch.split(self.second.predict(np.hstack([base, context_features(p1, batch)])))


def export_mlp(model, scaler) -> dict:
    """sklearn MLPClassifier + StandardScaler -> plain JSON-able weights."""
    return {
        "mean": scaler.mean_.tolist(),
        "scale": scaler.scale_.tolist(),
        "weights": [w.tolist() for w in model.coefs_],
        "biases": [b.tolist() for b in model.intercepts_],
    }


@lru_cache(maxsize=1)
def default_classifier() -> LineClassifier:
    data = resources.files("newsweave").joinpath("data")
    spec = json.loads(data.joinpath("cleaner.json").read_text())
    return LineClassifier(spec, Lexicon.from_bytes(data.joinpath("cleaner_lexicon.npz").read_bytes()))
