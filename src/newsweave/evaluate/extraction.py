"""Boilerplate-removal scores.

Snippet mode (gold `with` / `without` lists): a kept snippet found in the output is a true positive, a kept
snippet missing is a false negative, a boilerplate snippet found is a false positive.
Body mode (gold `body`): word 4-gram shingle precision/recall/F1 against the gold body, averaged per document.
"""
from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from newsweave.errors import BadInput

SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    return SPACE.sub(" ", text).strip()


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    documents: int
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def snippet_counts(output: str, keep: list[str], drop: list[str]) -> tuple[int, int, int]:
    out = normalize(output)
    tp = sum(normalize(s) in out for s in keep)
    fp = sum(normalize(s) in out for s in drop)
    return tp, fp, len(keep) - tp


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))} if words else set()


def body_scores(output: str, body: str) -> tuple[float, float, float]:
    a, b = shingles(output), shingles(body)
    if not a or not b:
        return 0.0, 0.0, 0.0
    inter = len(a & b)
    p, r = inter / len(a), inter / len(b)
    return p, r, _f(p, r)


def load_gold(directory: Path) -> dict[str, dict]:
    gold = {}
    with open(directory / "gold.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                gold[item["id"]] = item
    return gold


def load_page(directory: Path, doc_id: str, source: str) -> str | None:
    """source: 'text' reads page-text/<id>.txt, 'html' reads html/<id>.html(.gz)."""
    if source == "text":
        path = directory / "page-text" / f"{doc_id}.txt"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else None
    for name in (f"{doc_id}.html.gz", f"{doc_id}.html"):
        path = directory / "html" / name
        if path.exists():
            data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
            return data.decode("utf-8", errors="replace")
    return None


def evaluate(
    directory: str | Path,
    clean: Callable[[str], str],
    source: str = "text",
    ids: list[str] | None = None,
) -> Scores:
    directory = Path(directory)
    gold = load_gold(directory)
    tp = fp = fn = docs = 0
    body_p = body_r = body_f = 0.0
    body_docs = 0
    for doc_id in ids or sorted(gold):
        page = load_page(directory, doc_id, source)
        if page is None:
            continue
        item = gold[doc_id]
        output = clean(page)
        docs += 1
        if "body" in item:
            p, r, f = body_scores(output, item["body"])
            body_p, body_r, body_f, body_docs = body_p + p, body_r + r, body_f + f, body_docs + 1
        else:
            a, b, c = snippet_counts(output, item.get("with", []), item.get("without", []))
            tp, fp, fn = tp + a, fp + b, fn + c
    if body_docs and not (tp or fp or fn):
        return Scores(body_p / body_docs, body_r / body_docs, body_f / body_docs, docs)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Scores(p, r, _f(p, r), docs, tp, fp, fn)


def cleaner_for(method: str) -> tuple[Callable[[str], str], str]:
    """method -> (page to text, which page form it reads)."""
    if method == "raw":
        return (lambda page: page), "text"
    if method == "trafilatura":
        import trafilatura

        return (lambda page: trafilatura.extract(page, include_comments=False) or ""), "html"
    if method == "newsweave-html":
        from newsweave.clean import clean_html

        return (lambda page: clean_html(page).text), "html"
    if method == "newsweave":
        from newsweave.clean import TextCleaner

        cleaner = TextCleaner()
        return (lambda page: cleaner.clean(page).text), "text"
    raise BadInput(f"unknown method '{method}' (raw, newsweave, newsweave-html, trafilatura)")


def validation_ids(directory: str | Path) -> list[str]:
    """The pages the shipped cleaner was not trained on (every fifth id, see scripts/train_cleaner.py)."""
    return sorted(load_gold(Path(directory)))[::5]
