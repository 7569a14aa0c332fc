"""How far the stories' similarity alone tells one incident from another, pair by pair, by days apart.

    python benchmarks/pair_similarity.py ../shared/data

Ingests gvc-dev (incident labels) and FA-KES (rough labels: incident date and place) each into a fresh store
and, for every pair of articles, takes the similarity grouping uses (word and anchor cosines, weighed by
`Options.entity_weight`), without the time decay. Prints, per set, percentiles for pairs of one incident and
of different ones three days or more apart, the same-incident pairs the stories keep apart, and how many
different-incident pairs two days or more apart reach each similarity.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from newsweave import Newsweave, Options
from newsweave.cluster import DocumentFrequencies, count_matrix
from newsweave.records import day_number


def pairs(db: Path, source: Path, label_of) -> dict[str, np.ndarray]:
    with Newsweave(db) as nw:
        nw.ingest([source])
        arts = nw.articles()
        features = nw.store.features([a.id for a in arts])
        df = DocumentFrequencies.from_blobs(nw.store.blob("df_words"), nw.store.blob("df_anchors"),
                                            nw.store.blob("df_n"))
    words, anchors, _ = df.views(count_matrix([features[a.id][1] for a in arts]),
                                 count_matrix([features[a.id][2] for a in arts]))
    w = Options().entity_weight
    sim = (1 - w) * (words @ words.T).toarray() + w * (anchors @ anchors.T).toarray()
    labels = [label_of(a) for a in arts]
    days = np.array([day_number(a.published) or np.nan for a in arts], float)
    i, j = np.triu_indices(len(arts), 1)
    return {"same": np.array([labels[a] == labels[b] for a, b in zip(i, j)]), "gap": np.abs(days[i] - days[j]),
            "sim": sim[i, j], "together": np.array([arts[a].story_id == arts[b].story_id for a, b in zip(i, j)])}


def line_of(source: str) -> int:
    return int(source.rsplit(":", 1)[1]) - 1


def labelled_sets(data: Path) -> dict:
    """name -> (articles file, article -> its incident label): gvc-dev's gold, FA-KES's date and place."""
    gvc = [json.loads(x) for x in open(data / "gvc-dev" / "articles.jsonl", encoding="utf-8")]
    gold = dict(x.split("\t")[:2] for x in (data / "gvc-dev" / "gold.tsv").read_text().splitlines()[1:])
    fakes = [json.loads(x) for x in open(data / "fakes" / "articles.jsonl", encoding="utf-8")]
    return {"gvc-dev": (data / "gvc-dev" / "articles.jsonl", lambda a: gold.get(gvc[line_of(a.source)]["id"])),
            "fakes": (data / "fakes" / "articles.jsonl",
                      lambda a: (fakes[line_of(a.source)]["published"], fakes[line_of(a.source)]["location"]))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    sets = labelled_sets(Path(ap.parse_args().data))
    with tempfile.TemporaryDirectory() as tmp:
        for name, (source, label_of) in sets.items():
            p = pairs(Path(tmp) / f"{name}.db", source, label_of)
            far = p["gap"] >= 3
            out = {"set": name, "pairs": int(len(p["same"])), "same_incident": int(p["same"].sum())}
            for kind, sel in (("same", far & p["same"]), ("different", far & ~p["same"])):
                if sel.any():
                    out[f"{kind}_3_days_apart_percentiles_10_50_99.9"] = \
                        [round(float(x), 3) for x in np.percentile(p["sim"][sel], [10, 50, 99.9])]
            missed = p["same"] & ~p["together"]
            out["same_incident_apart"] = int(missed.sum())
            if missed.any():
                out["their_days_apart_min_median_max"] = [float(np.nanmin(p["gap"][missed])),
                                                          float(np.nanmedian(p["gap"][missed])),
                                                          float(np.nanmax(p["gap"][missed]))]
            different = (p["gap"] >= 2) & ~p["same"]
            out["different_2_days_apart_reaching"] = {t: int((different & (p["sim"] >= t)).sum()) for t in (0.3, 0.5)}
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    sys.exit(main())
