"""Grid search of the story-clustering thresholds on a labelled set (ecbplus-dev), to set Options defaults.

    python benchmarks/calibrate_clustering.py ../shared/data/ecbplus-dev
"""
from __future__ import annotations

import itertools
import sys

from newsweave.evaluate.clustering import evaluate
from newsweave.options import Options


def main(directory: str) -> None:
    rows = []
    for threshold, weight in itertools.product((0.1, 0.14, 0.18, 0.22, 0.26, 0.3), (0.3, 0.5, 0.7)):
        s = evaluate(directory, Options(story_threshold=threshold, entity_weight=weight))
        rows.append((s.bcubed_f1, threshold, weight, s.bcubed_precision, s.bcubed_recall, s.stories))
        print(f"threshold {threshold:.2f} entity_weight {weight:.1f}: B3 P {s.bcubed_precision:.3f} "
              f"R {s.bcubed_recall:.3f} F1 {s.bcubed_f1:.3f} stories {s.stories}", flush=True)
    best = max(rows)
    print(f"best: threshold {best[1]} entity_weight {best[2]} B3 F1 {best[0]:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
