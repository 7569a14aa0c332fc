"""Train the attribution model (newsweave.facts.attribution): the cue lexicon and the candidate classifier.

    python scripts/train_attributions.py ../shared [-o src/newsweave/data/attributions.npz] [--cache DIR]

Data: PolNeAR's train part (`data/polnear-train`: 840 articles, every attribution annotated as source, cue
and content), read from the shared folder; its texts are not copied into the project. polnear-dev is never
read here: it is the held-out check (`score_quotes.py`, see docs/evaluation.md).

1. Cue lexicon: the verb heading each annotated cue; a lemma is a cue when at least MIN_SHARE of its uses
   in the train articles are annotated as cues (and it is seen MIN_SEEN times).
2. Candidates: the extractor (newsweave.facts.quotes) run with the lexicon and no classifier. A candidate is
   right when it matches an annotated content: it covers at least half of the content's words (runs of two
   or more words in order) and at least half of its own words lie in that content.
3. A logistic regression on the candidates' features; the threshold is the lowest whose candidates reach
   the precision asked for (--precision 0.73 for attributions, --precision-direct 0.9 for direct quotes)
   over two folds of the train articles (by article).
   Reported: the folds' precision and recall of candidates.
"""
from __future__ import annotations

import argparse
import collections
import difflib
import json
import re
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from newsweave.facts.attribution import AttributionModel
from newsweave.facts.entities import extract_entities
from newsweave.facts.nlp import load
from newsweave.facts.quotes import candidates

ROOT = Path(__file__).resolve().parents[1]
MIN_SHARE, MIN_SEEN = 0.1, 3
WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def parsed(folder: Path, cache: Path | None):
    nlp = load()
    files = sorted((folder / "docs").glob("*.txt"))
    ids = [f.stem for f in files]
    if cache and (cache / "train.spacy").exists():
        from spacy.tokens import DocBin
        return dict(zip((cache / "train.ids").read_text().split("\n"),
                        DocBin().from_disk(cache / "train.spacy").get_docs(nlp.vocab)))
    texts = [open(f, encoding="utf-8", newline="").read() for f in files]
    return dict(zip(ids, nlp.pipe(texts, batch_size=32, n_process=2)))


def lexicon(docs, gold) -> dict[str, float]:
    seen, cued = collections.Counter(), collections.Counter()
    for doc_id, doc in docs.items():
        seen.update(t.lemma_.lower() for t in doc if t.pos_ == "VERB")
        for r in gold[doc_id]:
            cue = r.get("cue")
            span = doc.char_span(cue["start"], cue["end"], alignment_mode="expand") if cue else None
            verbs = [t for t in span or () if t.pos_ == "VERB"]
            if verbs:
                cued[verbs[0].lemma_.lower()] += 1
            elif span is not None and span.text.lower().startswith("according"):
                cued["according to"] += 1
    out = {w: cued[w] / seen[w] for w in cued if seen[w] >= MIN_SEEN and cued[w] / seen[w] >= MIN_SHARE}
    out["according to"] = 1.0
    return out


def matches(pred: str, gold_fragments: list[list[str]]) -> bool:
    p = words(pred)
    g = [w for f in gold_fragments for w in f]
    if not p or not g:
        return False
    covered = 0
    for frag in gold_fragments:
        sm = difflib.SequenceMatcher(None, frag, p, autojunk=False)
        covered += sum(b.size for b in sm.get_matching_blocks() if b.size >= (1 if len(frag) == 1 else 2))
    return covered >= 0.5 * len(g) and covered >= 0.5 * len(p)


def gold_fragments(r, text: str) -> list[list[str]]:
    c = r["content"]
    if c.get("fragments"):
        return [words(text[a:b]) for a, b in c["fragments"]]
    return [words(c["text"])]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared")
    ap.add_argument("-o", "--out", default=str(ROOT / "src" / "newsweave" / "data" / "attributions.npz"))
    ap.add_argument("--precision", type=float, default=0.73, help="held-out precision to reach, attributions")
    ap.add_argument("--precision-direct", type=float, default=0.9, help="held-out precision to reach, direct quotes")
    ap.add_argument("--cache", help="a folder with train.spacy/train.ids (a DocBin of the train articles)")
    args = ap.parse_args()
    folder = Path(args.shared) / "data" / "polnear-train"
    gold = collections.defaultdict(list)
    for line in open(folder / "gold.jsonl", encoding="utf-8"):
        r = json.loads(line)
        gold[r["doc_id"]].append(r)
    docs = parsed(folder, Path(args.cache) if args.cache else None)
    lex = lexicon(docs, gold)
    print(f"lexicon: {len(lex)} cues", file=sys.stderr)
    bare = AttributionModel(lex)
    rows, labels, groups = [], [], []
    for n, (doc_id, doc) in enumerate(docs.items()):
        text = doc.text
        frags = [gold_fragments(r, text) for r in gold[doc_id]]
        for q, feats in candidates(doc, extract_entities(doc), bare):
            rows.append(feats)
            labels.append(any(matches(q.text, f) for f in frags))
            groups.append(n % 2)
    y, groups = np.array(labels), np.array(groups)
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    print(f"candidates: {len(y)}, right: {y.mean():.3f}", file=sys.stderr)
    scores = np.zeros(len(y))
    for fold in (0, 1):
        clf = LogisticRegression(C=1.0, max_iter=2000).fit(x[groups != fold], y[groups != fold])
        scores[groups == fold] = clf.predict_proba(x[groups == fold])[:, 1]
    # per kind (direct quotes, other attributions), the lowest threshold whose held-out candidates reach the
    # precision asked for: as much recall as that precision allows
    direct = np.array([r.get("direct", 0.0) == 1.0 for r in rows])
    thresholds = {}
    for name, part, want in (("direct", direct, args.precision_direct), ("other", ~direct, args.precision)):
        s, yy = scores[part], y[part]
        t = next((float(t) for t in np.arange(0.05, 0.95, 0.01)
                  if (s >= t).sum() and ((s >= t) & yy).sum() / (s >= t).sum() >= want), 0.5)
        kept = s >= t
        thresholds[name] = t
        print(f"two folds, {name}: threshold {t:.2f}, candidate precision {(kept & yy).sum() / kept.sum():.3f}, "
              f"recall of right candidates {(kept & yy).sum() / yy.sum():.3f}", file=sys.stderr)
    clf = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    model = AttributionModel(lex, list(vec.get_feature_names_out()), clf.coef_[0], clf.intercept_[0],
                             thresholds["other"], thresholds["direct"])
    model.save(args.out)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
