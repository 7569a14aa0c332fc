"""Language detection on extraction-dev's pages, cleaned as ingest cleans them, against the labels in
tests/fixtures/extraction_dev_languages.tsv; and whether stories keep languages apart.

    python benchmarks/language_detection.py ../shared/data [--compare]

Prints the accuracy and the time per page of newsweave's detector (py3langid on the first 1,500
characters); with --compare, also of lingua-language-detector and langdetect if they are installed (they are
not dependencies). How many texts of four corpora are told English without loading the model, and whether
the model ever disagrees. Then ingests all pages into one store and counts the stories that hold two languages.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from newsweave import Newsweave
from newsweave.clean import language
from newsweave.clean.language import LANGUAGE_SAMPLE, detect_language

ROOT = Path(__file__).resolve().parents[1]


def labels() -> dict[str, str]:
    lines = (ROOT / "tests" / "fixtures" / "extraction_dev_languages.tsv").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if line and not line.startswith("#") and not line.startswith("id\t"))


def others():
    out = {}
    try:
        from lingua import LanguageDetectorBuilder

        lingua = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def by_lingua(text):
            found = lingua.detect_language_of(text[:LANGUAGE_SAMPLE])
            return found.iso_code_639_1.name.lower() if found else None
        out["lingua-language-detector"] = by_lingua
    except ImportError:
        pass
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0

        def by_langdetect(text):
            try:
                return detect(text[:LANGUAGE_SAMPLE]).split("-")[0]
            except Exception:
                return None
        out["langdetect"] = by_langdetect
    except ImportError:
        pass
    return out


def shortcut(data: Path) -> None:
    """How often plain English is told without the model, and whether the model ever disagrees: over the
    raw page texts of extraction-dev and the texts of FA-KES, gvc-dev and polnear-dev."""
    sets = {"extraction-dev": [p.read_text(encoding="utf-8", errors="replace")
                               for p in sorted((data / "extraction-dev" / "page-text").glob("*.txt"))],
            "polnear-dev": [p.read_text(encoding="utf-8", errors="replace")
                            for p in sorted((data / "polnear-dev" / "docs").glob("*"))]}
    for name in ("fakes", "gvc-dev"):
        sets[name] = [json.loads(line)["text"] for line in open(data / name / "articles.jsonl", encoding="utf-8")]
    for name, texts in sets.items():
        samples = [t[:language.LANGUAGE_SAMPLE] for t in texts]
        samples = [t for t in samples if sum(c.isalpha() for c in t) >= language.MIN_LETTERS]
        told = [t for t in samples if language._plainly_english(t)]
        disagree = 0
        for t in told:
            lang, probability = language._identifier().classify(t)
            disagree += not (lang == "en" and probability >= language.MIN_CONFIDENCE)
        print(json.dumps({"set": name, "texts": len(samples), "english_without_the_model": len(told),
                          "model_disagrees": disagree}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared_data")
    ap.add_argument("--compare", action="store_true")
    args = ap.parse_args()
    gold = labels()
    pages = Path(args.shared_data) / "extraction-dev" / "page-text"
    with tempfile.TemporaryDirectory() as tmp, Newsweave(Path(tmp) / "l.db") as nw:
        nw.ingest([pages / f"{i}.txt" for i in sorted(gold)])
        articles = {Path(a.source).stem: a for a in nw.articles()}
        stories = nw.stories()
    detectors = {"newsweave (py3langid)": lambda text: detect_language(text)}
    if args.compare:
        detectors.update(others())
    norm = {"nb": "no", "nn": "no"}
    for name, detect in detectors.items():
        start = time.perf_counter()
        found = {i: detect(a.text) for i, a in articles.items()}
        seconds = time.perf_counter() - start
        right = sum(norm.get(found[i], found[i]) == gold[i] for i in found)
        unknown = sum(found[i] is None for i in found)
        print(json.dumps({"detector": name, "pages": len(found), "accuracy": round(right / len(found), 4),
                          "unknown": unknown, "ms_per_page": round(1000 * seconds / len(found), 3)}))
    shortcut(Path(args.shared_data))
    by_id = {a.id: a for a in articles.values()}
    mixed = [s.id for s in stories if len({by_id[i].language for i in s.article_ids if by_id[i].language}) > 1]
    wrong = [s.id for s in stories if len({gold[Path(by_id[i].source).stem] for i in s.article_ids}) > 1]
    print(json.dumps({"stories": len(stories), "multi_article_stories": sum(len(s.article_ids) > 1 for s in stories),
                      "stories_with_two_detected_languages": len(mixed),
                      "stories_with_two_labelled_languages": len(wrong)}))


if __name__ == "__main__":
    main()
