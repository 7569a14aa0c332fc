"""Train the plain-text boilerplate classifier on the extraction development set.

    python scripts/train_cleaner.py ../shared/data/extraction-dev [-o src/newsweave/data/cleaner.json]

Lines of each whole-page text are labelled from the gold snippets (a line inside a `with` snippet is
article, a line holding a `without` snippet is boilerplate). Every fifth page (sorted by id) is held out
for validation; the scores printed for it are the ones to quote. The first MLP sees page features; the
second also sees the first one's out-of-fold predictions for the neighbouring lines.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from newsweave.clean.lines import context_features, line_features, split_lines
from newsweave.clean.model import LineClassifier, export_mlp
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


def fit(x, y, w, seed=0):
    scaler = StandardScaler().fit(x)
    scaler.scale_[scaler.scale_ == 0] = 1.0
    model = MLPClassifier(hidden_layer_sizes=(48, 16), alpha=1e-3, max_iter=400, early_stopping=True,
                          random_state=seed).fit(scaler.transform(x), y, sample_weight=w)
    return model, scaler


def weak_labels(data: Path, doc_id: str, lines) -> np.ndarray:
    """Lines trafilatura keeps from the same page's HTML: many more (noisier) labels than the gold snippets."""
    import trafilatura

    html = load_page(data, doc_id, "html")
    out = trafilatura.extract(html, include_comments=False) if html else None
    if not out:
        return np.full(len(lines), -1)
    body = normalize(out)
    return np.array([1 if len(normalize(ln.text)) >= 2 and normalize(ln.text) in body else 0 for ln in lines])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("-o", "--output", default="src/newsweave/data/cleaner.json")
    ap.add_argument("--weak", type=float, default=0.0,
                    help="weight of lines labelled by trafilatura on the page's HTML (0: gold snippets only)")
    args = ap.parse_args()
    data = Path(args.data)
    gold = load_gold(data)
    ids = sorted(gold)
    valid = set(ids[::5])
    train = [i for i in ids if i not in valid]

    feats, labels, groups, weights = [], [], [], []
    for g, doc_id in enumerate(train):
        page = load_page(data, doc_id, "text")
        if page is None:
            continue
        lines = split_lines(page)
        y = label_lines(lines, gold[doc_id].get("with", []), gold[doc_id].get("without", []))
        weak = weak_labels(data, doc_id, lines) if args.weak else np.full(len(lines), -1)
        w = np.where(y >= 0, 1.0, np.where(weak >= 0, args.weak, 0.0))
        y = np.where(y >= 0, y, weak)
        feats.append(line_features(lines))
        labels.append(y)
        weights.append(w)
        groups.append(np.full(len(lines), g))
    x = np.vstack(feats)
    y = np.concatenate(labels)
    grp = np.concatenate(groups)
    wt = np.concatenate(weights)
    known = (y >= 0) & (wt > 0)
    print(f"train pages {len(train)}, lines {len(y)}, labelled {known.sum()} (keep {int((y == 1).sum())})")

    # out-of-fold first-pass predictions so the second pass learns from honest neighbours
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(x, groups=grp):
        m = tr[known[tr]]
        model, scaler = fit(x[m], y[m], wt[m])
        oof[te] = model.predict_proba(scaler.transform(x[te]))[:, 1]
    first, first_scaler = fit(x[known], y[known], wt[known])
    ctx = []
    for g in np.unique(grp):
        ctx.append(context_features(oof[grp == g]))
    x2 = np.hstack([x, np.vstack(ctx)])
    second, second_scaler = fit(x2[known], y[known], wt[known])

    spec = {
        "first": export_mlp(first, first_scaler),
        "second": export_mlp(second, second_scaler),
        "meta": {"trained_on": "extraction-dev (every page but each fifth by id)", "train_pages": len(train)},
    }
    classifier = LineClassifier(spec)

    from newsweave.clean.text import TextCleaner

    cleaner = TextCleaner(classifier=classifier)
    scores = evaluate(data, lambda page: cleaner.clean(page).text, "text", sorted(valid))
    print(f"validation ({len(valid)} pages): P {scores.precision:.3f} R {scores.recall:.3f} F {scores.f1:.3f}")
    spec["meta"]["validation"] = scores.as_dict()
    Path(args.output).write_text(json.dumps(spec, separators=(",", ":")))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
