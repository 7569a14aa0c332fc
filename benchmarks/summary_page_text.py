"""How much page text reaches summaries, and what the list rule (newsweave.facts.lists) flags.

    python benchmarks/summary_page_text.py ../shared/data [--seeds ../shared/seeds]

1. The list rule over samples of FA-KES (250 articles), gvc-dev (120) and polnear-dev (84), and the seeds:
   sentences whose opening the rule calls a list, with the flagged sentences for reading by hand.
2. FA-KES in one store, every dossier built: summary sentences that open with page text, counted with one
   pattern written from reading FA-KES's crawls (tag lists, "Get short URL", "Print Tweet", page labels
   with dates, clock times before headlines). The pattern is a measuring stick for this corpus only; the
   engine knows none of these words.
"""
from __future__ import annotations

import argparse
import glob
import json
import random
import re
import tempfile
from pathlib import Path

from newsweave import Newsweave
from newsweave.facts.lists import list_openings
from newsweave.facts.nlp import load

PAGE_TEXT = re.compile(r"^(Tags |Date of publication|Get short URL|\d\d\.\d\d\.\d{4}|FOLLOW|SUBSCRIBE|Subscribe|"
                       r".*Copyright|Print Tweet|Reuters [A-Z][a-z]+day|Last updated|\d\d:\d\d |Sputnik|Flickr)")


def samples(data: Path, seeds: Path | None) -> dict[str, list[str]]:
    rng = random.Random(1)
    fakes = [json.loads(x) for x in open(data / "fakes" / "articles.jsonl", encoding="utf-8")]
    gvc = [json.loads(x) for x in open(data / "gvc-dev" / "articles.jsonl", encoding="utf-8")]
    out = {"fakes": [r["text"] for r in rng.sample(fakes, 250)], "gvc-dev": [r["text"] for r in rng.sample(gvc, 120)],
           "polnear-dev": [Path(f).read_text(encoding="utf-8")
                           for f in sorted(glob.glob(str(data / "polnear-dev" / "docs" / "*")))[:84]]}
    if seeds:
        out["seeds"] = [Path(f).read_text(encoding="utf-8") for f in sorted(glob.glob(str(seeds / "*")))]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--seeds")
    args = ap.parse_args()
    data = Path(args.data)
    nlp = load()
    for name, texts in samples(data, Path(args.seeds) if args.seeds else None).items():
        flagged, total = [], 0
        for doc in nlp.pipe(texts, batch_size=16):
            total += sum(1 for _ in doc.sents)
            flagged += [doc.text[s:e][:100].replace("\n", " ") for s, e in list_openings(doc)]
        print(json.dumps({"set": name, "sentences": total, "flagged_as_lists": len(flagged), "flagged": flagged},
                         ensure_ascii=False))
    with tempfile.TemporaryDirectory() as tmp, Newsweave(Path(tmp) / "f.db") as nw:
        nw.ingest([data / "fakes" / "articles.jsonl"])
        nw.build_dossiers()
        sentences = [s["text"] for story in nw.stories() for s in nw.dossier(story.id)["summary"]]
    page = [s for s in sentences if PAGE_TEXT.match(s)]
    print(json.dumps({"set": "fakes summaries", "sentences": len(sentences), "opening_with_page_text": len(page),
                      "opening_with_tags": sum(s.startswith("Tags ") for s in sentences)}))


if __name__ == "__main__":
    main()
