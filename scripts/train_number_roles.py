"""Train the number-role classifier (newsweave.facts.roles) and report its accuracy on held-out documents.

    python scripts/train_number_roles.py ../shared [-o src/newsweave/data/number_roles.npz]
    python scripts/train_number_roles.py ../shared --sample 200 > sample.tsv   # mentions to label by hand

Documents: the seeds, FA-KES and gvc-dev, read from the shared folder (their texts are not copied into the
project). Every figure the quantity pattern finds is a mention. Labels come from two places:
- weak labels from the labelling functions below (a "$" before it, "-year-old" or ", 7," after a name, "a.m."
  after it, "Image 3 of 8", a street name after it...) and, on gvc-dev, from the incident records: a number
  equal to a participant's age written next to a name is an age;
- hand labels in training/number_roles_hand.tsv (corpus, document id, start, end, figure, role), which
  override the weak ones.
Every fifth document (by a hash of its id) is held out. The classifier learns from the weak and hand labels
of the other documents; the figures to quote are its accuracy on the hand-labelled held-out mentions.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import random
import re
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from newsweave.facts.nlp import load
from newsweave.facts.quantities import number_matches
from newsweave.facts.roles import KEPT, ROLES, RoleModel, features

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "training" / "number_roles_hand.tsv"

MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
UNITS = (r"miles?|kilometers?|kilometres?|km|feet|foot|ft|inch(?:es)?|pounds?|lbs?|tons?|tonnes?|meters?|"
         r"metres?|yards?|mph|degrees?|caliber|calibre|mm|millimeters?|gallons?|acres?|square|hours?|minutes?|"
         r"seconds?|days?|weeks?|months?|years?|decades?|centuries|rounds?|shots?|bullets?")
STREET = r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|parkway|pkwy|" \
         r"highway|hwy|terrace|circle|trail|pike)\b"
CODE_BEFORE = re.compile(r"\b(?:route|highway|interstate|i|us|sr|channel|no|number|station|flight|badge|ward|"
                         r"precinct|apartment|apt|suite|room|box|code|unit|district|chapter|section|article|"
                         r"resolution|exit|lot|pier|gate|terminal|bus|line|am|fm|tv|pro|fox|abc|nbc|cbs|wsb|"
                         r"kmov|kare|wgn|ktla)\.?\s*#?$", re.IGNORECASE)
OUTCOME = re.compile(r"\b(?:kill|killed|killing|dead|die|died|death|deaths|wound|wounded|injur\w*|hurt|shot|"
                     r"shooting|casualt\w*|fatal\w*|victims?|bodies|toll|arrest\w*|troops|soldiers|people|"
                     r"civilians|children|men|women)\b", re.IGNORECASE)
PERSON_BEFORE = re.compile(r"\b(?:man|woman|boy|girl|teen|teenager|son|daughter|child|mother|father|brother|"
                           r"sister|wife|husband|victim|suspect|officer|resident|student|driver|friend|baby|"
                           r"toddler|infant|grandmother|grandfather|aunt|uncle|cousin|nephew|niece)$", re.IGNORECASE)


def weak_role(doc, text: str, start: int, end: int, ages: set[str]) -> str | None:
    """The labelling functions: a role when one of them is sure, else None (the mention is not used)."""
    raw = text[start:end]
    before, after = text[max(start - 40, 0):start], text[end:end + 40]
    b, a = before.rstrip().lower(), after.lower()
    value = re.sub(r"[^\d]", "", raw)
    if re.search(r"\b(?:image|photo|slide|picture|page|video|gallery|item|story)\s*$", b) or \
            re.match(r"\s*(?:of\s*/?\s*\d|/\s*\d)", a) and not re.match(r"\s*of\s+(?:the|them|whom|those)", a):
        return "counter"
    if b.endswith(("$", "£", "€")) or re.match(r"\s*(?:dollars|cents|euros|pounds sterling)\b", a):
        return "money"
    if re.match(r"\s*(?:%|percent|per cent)", a):
        return "percent"
    if re.match(r"\s*(?:a\.?m\b|p\.?m\b|o'clock)", a) or re.match(r":\d\d", after):
        return "time"
    if re.match(r"[- ](?:year|month|week|day)s?[- ]old\b", a) or re.search(r"\b(?:aged|age of|ages of|ages)$", b):
        return "age"
    if raw.isdigit() and int(raw) < 110 and re.match(r"\s*[,)]", a) and re.search(r"[,(]$", b):
        tok = doc.char_span(start, end, alignment_mode="expand")
        prev = doc[tok.start - 2] if tok is not None and tok.start >= 2 else None
        if prev is not None and (prev.ent_type_ == "PERSON" or prev.pos_ == "PROPN" or
                                 PERSON_BEFORE.search(prev.text) or value in ages):
            return "age"
    if raw == "911" or re.match(r"-\d{4}\b", after) or re.match(r"\)\s*\d{3}-", after) or CODE_BEFORE.search(b):
        return "code"
    if re.match(r"(?:-|\s)?block\b", a) or re.match(rf"\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w.'-]*\s+){{1,3}}{STREET}",
                                                   after, re.IGNORECASE) and re.match(r"\s+[A-Z0-9]", after):
        return "address"
    if re.search(rf"\b{MONTHS}$", b) or re.match(rf"\s*(?:,\s*)?{MONTHS}\b", a) and raw.isdigit() and int(raw) <= 31:
        return "date"
    if raw.isdigit() and len(raw) == 4 and 1800 <= int(raw) <= 2100:
        return "date"
    if re.match(r"\s*-\s*\d+\b", a) and re.search(r"\b(?:win|won|beat|lead|defeat\w*|score\w*|game|victory|loss|"
                                                 r"lost|vote\w*)\b", before + after, re.IGNORECASE):
        return "score"
    if re.match(r"\s*(?:people|residents|students|inhabitants)\s+(?:are\s+|were\s+|have\s+)?(?:live|lived|living|"
                r"enrolled|reside\w*)\b", a) or re.search(r"\b(?:town|city|village|community|county|population|suburb|country|nation|enrollment|"  # noqa: E501
                 r"school|district|home to|capacity|crowd)\s+of(?:\s+(?:about|some|nearly|roughly|more than|"
                 r"over|around|almost))?$", b) or re.match(r"\s*(?:residents|inhabitants)\b", a) and \
            re.search(r"\b(?:town|city|village|population|home)\b", b):
        return "size"
    if re.match(rf"\s*-?(?:{UNITS})\b", a):
        return "measure"
    sent = doc.char_span(start, end, alignment_mode="expand")
    if sent is not None:
        last = sent[-1]
        nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
        if (nxt is not None and nxt.pos_ == "NOUN" and not nxt.is_title) or \
                last.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and OUTCOME.search(last.sent.text):
            return "count"
    return None


def documents(shared: Path):
    """(corpus, id, text, participant ages) of every document."""
    for path in sorted((shared / "seeds").glob("*.txt")):
        yield "seeds", path.stem, path.read_text(encoding="utf-8"), set()
    for line in open(shared / "data" / "fakes" / "articles.jsonl", encoding="utf-8"):
        r = json.loads(line)
        yield "fakes", r["id"], r["text"], set()
    gvc = shared / "data" / "gvc-dev"
    incidents = json.loads((gvc / "incidents.json").read_text(encoding="utf-8"))
    ages = {d: {str(p.get("age")) for p in inc["participants"] if p.get("age")}
            for inc in incidents.values() for d in inc["doc_ids"]}
    for line in open(gvc / "articles.jsonl", encoding="utf-8"):
        r = json.loads(line)
        yield "gvc", r["id"], r["text"], ages.get(r["id"], set())


def held_out(doc_id: str) -> bool:
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % 5 == 0


def mentions(shared: Path):
    """Every candidate figure with its features and weak label."""
    nlp = load()
    docs = list(documents(shared))
    out = []
    for (corpus, doc_id, text, ages), doc in zip(docs, nlp.pipe((d[2] for d in docs), batch_size=16, n_process=2)):
        for m, start, end in number_matches(text):
            out.append({"corpus": corpus, "doc": doc_id, "start": start, "end": end, "text": text[start:end],
                        "context": text[max(start - 70, 0): end + 50].replace("\n", " ").replace("\t", " "),
                        "weak": weak_role(doc, text, start, end, ages), "features": features(doc, text, start, end)})
    return out


def read_hand() -> dict[tuple[str, str, int], str]:
    if not HAND.exists():
        return {}
    out = {}
    for line in HAND.read_text(encoding="utf-8").splitlines()[1:]:
        corpus, doc, start, end, figure, role = line.split("\t")[:6]
        assert role in ROLES, line
        out[(corpus, doc, int(start))] = role
    return out


def fit(rows: list[dict]) -> RoleModel:
    vec = DictVectorizer()
    x = vec.fit_transform([m["features"] for m in rows])
    keep = np.asarray((x != 0).sum(axis=0)).ravel() >= 2  # features seen once say nothing general
    names = np.array(vec.get_feature_names_out())[keep]
    clf = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")
    clf.fit(x[:, keep], [m["hand"] or m["weak"] for m in rows])
    return RoleModel(list(names), clf.coef_.T.copy(), clf.intercept_.copy(), list(clf.classes_))


def scores(predicted: list[str], truth: list[str], corpora: list[str]) -> dict:
    out = {"accuracy": round(float(np.mean([p == t for p, t in zip(predicted, truth)])), 3), "n": len(truth)}
    for corpus in sorted(set(corpora)):
        pairs = [(p, t) for p, t, c in zip(predicted, truth, corpora) if c == corpus]
        out[f"accuracy_{corpus}"] = [round(float(np.mean([p == t for p, t in pairs])), 3), len(pairs)]
    kept_true = [t in KEPT for t in truth]
    kept_pred = [p in KEPT for p in predicted]
    tp = sum(a and b for a, b in zip(kept_true, kept_pred))
    out["kept_precision"] = round(tp / max(sum(kept_pred), 1), 3)  # count or measure: what becomes a fact
    out["kept_recall"] = round(tp / max(sum(kept_true), 1), 3)
    out["confusions"] = collections.Counter(f"{t}->{p}" for p, t in zip(predicted, truth) if p != t).most_common(10)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared", type=Path)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "src" / "newsweave" / "data" / "number_roles.npz")
    ap.add_argument("--sample", type=int, help="print this many held-out mentions to label, then stop")
    ap.add_argument("--corpus", help="sample from this corpus only (seeds, fakes, gvc)")
    args = ap.parse_args(argv)
    data = mentions(args.shared)
    hand = read_hand()
    if args.sample:
        rng = random.Random(7)
        pool = [m for m in data if held_out(m["doc"]) and (m["corpus"], m["doc"], m["start"]) not in hand
                and m["corpus"] == (args.corpus or m["corpus"])]
        print("corpus\tdoc\tstart\tend\tfigure\trole\tcontext")
        for m in rng.sample(pool, min(args.sample, len(pool))):
            print(f"{m['corpus']}\t{m['doc']}\t{m['start']}\t{m['end']}\t{m['text']}\t{m['weak'] or '?'}\t{m['context']}")
        return 0
    for m in data:
        m["hand"] = hand.get((m["corpus"], m["doc"], m["start"]))
        m["label"] = m["hand"] or m["weak"]
    weak_train = [m for m in data if not held_out(m["doc"]) and m["weak"] and not m["hand"]]
    hand = [m for m in data if m["hand"]]
    fold = {m["doc"]: int(hashlib.md5(m["doc"].encode()).hexdigest(), 16) % 2 for m in hand}
    report = {"weak_train_mentions": len(weak_train), "hand_mentions": len(hand)}
    # the figures to quote: two folds over the hand-labelled documents, each model trained on the weak labels
    # and on the hand labels of the other fold's documents
    predicted, truth, corpora = [], [], []
    for k in (0, 1):
        model = fit(weak_train + [m for m in hand if fold[m["doc"]] != k])
        rows = [m for m in hand if fold[m["doc"]] == k]
        predicted += [r for r, _ in model.predict([m["features"] for m in rows])]
        truth += [m["hand"] for m in rows]
        corpora += [m["corpus"] for m in rows]
    report.update(scores(predicted, truth, corpora))
    held = [m for m in data if held_out(m["doc"]) and m["weak"] and not m["hand"]]
    model = fit(weak_train + hand)
    report["weak_held_out_agreement"] = round(float(np.mean(
        [p == m["weak"] for (p, _), m in zip(model.predict([m["features"] for m in held]), held)])), 3)
    report["features"], report["roles"] = len(model.index), model.roles
    np.savez_compressed(args.output, vocabulary=np.array(list(model.index), dtype=str),
                        weights=model.weights.astype(np.float32), bias=model.bias.astype(np.float32),
                        roles=np.array(model.roles))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
