"""Train the plain-text boilerplate classifier on the extraction development set.

    python scripts/train_cleaner.py ../shared/data/extraction-dev [-o src/newsweave/data/cleaner.json]

Lines of each whole-page text are labelled from the gold snippets (a line inside a `with` snippet is
article, a line holding a `without` snippet is boilerplate). Every fifth page (sorted by id) is held out
for validation; the scores printed for it are the ones to quote. A logistic regression over the lines' hashed
words and character n-grams becomes the lexicon; the first stage of MLPs sees page features and the
lexicon's score; the second also sees the first one's predictions for the neighbouring lines. Each stage
averages five MLPs trained from different random starts, and learns from out-of-fold predictions of the
stage before, so it never trusts scores made on its own training pages.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from newsweave.clean.lexicon import Lexicon, featurize
from newsweave.clean.lines import context_features, line_features, page_words, split_lines
from newsweave.clean.model import LineClassifier, export_mlp, first_features, second_features
from newsweave.clean.text import TextCleaner
from newsweave.evaluate.extraction import evaluate, load_gold, load_page, normalize


def label_lines(lines, keep, drop) -> np.ndarray:
    """1 keep, 0 drop, -1 unknown."""
    keep_n = [normalize(s) for s in keep if len(normalize(s)) >= 10]
    drop_n = [normalize(s) for s in drop if len(normalize(s)) >= 3]
    labels = np.full(len(lines), -1)
    for i, ln in enumerate(lines):
        t = normalize(ln.text)
        if any(s in t for s in drop_n) or any(len(t) >= 3 and t in s and len(t) >= 0.5 * len(s) for s in drop_n):
            labels[i] = 0
        if any(s in t or (len(t) >= 20 and t in s) for s in keep_n):
            labels[i] = 1
    return labels


MEMBERS = 5  # MLPs per stage, from different random starts; the classifier averages them


def fit(x, y):
    scaler = StandardScaler().fit(x)
    scaler.scale_[scaler.scale_ == 0] = 1.0
    z = scaler.transform(x)
    return [(MLPClassifier(hidden_layer_sizes=(48, 16), alpha=1e-2, max_iter=400, early_stopping=True,
                           random_state=seed).fit(z, y), scaler) for seed in range(MEMBERS)]


def predict(members, x) -> np.ndarray:
    return np.mean([model.predict_proba(scaler.transform(x))[:, 1] for model, scaler in members], axis=0)


def fit_lexicon(matrix, y) -> Lexicon:
    model = LogisticRegression(C=3.0, max_iter=2000).fit(matrix, y)
    return Lexicon(model.coef_.ravel(), model.intercept_[0])


def out_of_fold(x, y, known, groups, fit_one, predict) -> np.ndarray:
    """Predictions for every row from models that never saw its page: the next stage learns from honest inputs."""
    out = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(x, groups=groups):
        m = tr[known[tr]]
        out[te] = predict(fit_one(x[m], y[m]), x[te])
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("-o", "--output", default="src/newsweave/data/cleaner.json",
                    help="the MLPs; the lexicon is written beside it as cleaner_lexicon.npz")
    args = ap.parse_args()
    data = Path(args.data)
    gold = load_gold(data)
    ids = sorted(gold)
    valid = set(ids[::5])
    train = [i for i in ids if i not in valid]

    feats, labels, groups, words = [], [], [], []
    for g, doc_id in enumerate(train):
        page = load_page(data, doc_id, "text")
        if page is None:
            continue
        lines = split_lines(page)
        words_of = page_words(lines)
        feats.append(line_features(lines, words_of))
        labels.append(label_lines(lines, gold[doc_id].get("with", []), gold[doc_id].get("without", [])))
        groups.append(np.full(len(lines), g))
        words.extend(words_of.per_line())
    x = np.vstack(feats)
    y = np.concatenate(labels)
    grp = np.concatenate(groups)
    known = y >= 0
    print(f"train pages {len(train)}, lines {len(y)}, labelled {known.sum()} (keep {int((y == 1).sum())})")

    lex_matrix = featurize(words)
    lex_oof = out_of_fold(lex_matrix, y, known, grp, fit_lexicon, lambda lex, m: m @ lex.weights + lex.intercept)
    lexicon = fit_lexicon(lex_matrix[known], y[known])
    x = np.hstack([x, lex_oof[:, None]])
    oof = out_of_fold(x, y, known, grp, fit, predict)
    first = fit(x[known], y[known])
    ctx = np.vstack([context_features(oof[grp == g]) for g in np.unique(grp)])
    x2 = np.hstack([x, ctx])
    second = fit(x2[known], y[known])

    spec = {
        "first": [export_mlp(model, scaler) for model, scaler in first],
        "second": [export_mlp(model, scaler) for model, scaler in second],
        "features": {"first": list(first_features()), "second": list(second_features())},
        "meta": {"trained_on": "extraction-dev (every page but each fifth by id)", "train_pages": len(train)},
    }
    lexicon = Lexicon.from_bytes(lexicon.to_bytes())  # score validation with the weights as shipped
    cleaner = TextCleaner(classifier=LineClassifier(spec, lexicon))
    scores = evaluate(data, lambda page: cleaner.clean(page).text, "text", sorted(valid))
    print(f"validation ({len(valid)} pages): P {scores.precision:.3f} R {scores.recall:.3f} F {scores.f1:.3f}")
    spec["meta"]["validation"] = scores.as_dict()
    out = Path(args.output)
    out.write_text(json.dumps(spec, separators=(",", ":")))
    out.with_name("cleaner_lexicon.npz").write_bytes(lexicon.to_bytes())
    print(f"wrote {out} and {out.with_name('cleaner_lexicon.npz')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
