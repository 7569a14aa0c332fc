"""What better people's names would buy the stories: spaCy's entities in place of the name rule.

    python benchmarks/people_names_probe.py ../shared/data --names rule|filtered|spacy [--options '{...}']

A test of an idea, not a setting: spaCy's small model reads 20-30 articles a second here, far too slow for
ingest. `--names rule` is the engine as it is; `filtered` keeps the rule's names that spaCy tags as a
PERSON (fewer false names); `spacy` takes spaCy's PERSON entities of two words or more (their last two
words) and the names after a title (more names). Prints B-cubed F1 on ecbplus-dev and gvc-dev, then the
FA-KES line of fakes_stories.py (purity as B-cubed precision). The name function is replaced before any
ingest, so the forked workers that describe articles use it too.
"""
from __future__ import annotations

import argparse
import json
import runpy
import sys
from pathlib import Path

import newsweave.cluster.features as features
from newsweave.evaluate.clustering import load_gold, score
from newsweave.facts.nlp import load
from newsweave.options import Options

sys.path.insert(0, str(Path(__file__).parent))
from calibrate_clustering import stories_of  # noqa: E402


def use_names(kind: str) -> None:
    if kind == "rule":
        return
    nlp = load()
    rule = features.person_names

    def people(text: str) -> list[str]:
        doc = nlp(text[:100_000])
        persons = [e for e in doc.ents if e.label_ == "PERSON"]
        if kind == "filtered":
            found = " | ".join(e.text.lower() for e in persons)
            return [name for name in rule(text) if name in found]
        out = {" ".join(words[-2:]) for e in persons if len(words := [t.lower_ for t in e if t.is_alpha]) >= 2}
        out.update(m.group(1).lower() for m in features.TITLED.finditer(text) if m.group(1).lower() not in features.STOP)
        return sorted(out)

    features.person_names = people


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--names", choices=("rule", "filtered", "spacy"), default="rule")
    ap.add_argument("--options", default="{}", help="Options fields as JSON")
    args = ap.parse_args()
    use_names(args.names)
    options = json.loads(args.options)
    out = {"names": args.names, "options": options}
    for name in ("ecbplus-dev", "gvc-dev"):
        directory = Path(args.data) / name
        out[name] = round(score(stories_of(directory, Options(**options)), load_gold(directory)).bcubed_f1, 3)
    print(json.dumps(out), flush=True)
    sys.argv = ["fakes_stories.py", args.data, "--options", args.options]
    runpy.run_path(str(Path(__file__).parent / "fakes_stories.py"), run_name="__main__")


if __name__ == "__main__":
    main()
