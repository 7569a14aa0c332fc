"""The trained line classifier: two small MLPs (page features, then neighbourhood), run in NumPy.

Weights are produced by scripts/train_cleaner.py and shipped as JSON in newsweave/data/cleaner.json.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np

from newsweave.clean.lines import Line, context_features, line_features


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


class LineClassifier:
    def __init__(self, spec: dict):
        self.first = MLP(spec["first"])
        self.second = MLP(spec["second"])
        self.meta = spec.get("meta", {})

    def predict(self, lines: list[Line]) -> np.ndarray:
        if not lines:
            return np.zeros(0)
        base = line_features(lines)
        p1 = self.first.predict(base)
        return self.second.predict(np.hstack([base, context_features(p1)]))


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
    spec = json.loads(resources.files("newsweave").joinpath("data/cleaner.json").read_text())
    return LineClassifier(spec)
