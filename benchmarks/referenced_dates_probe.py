"""Would the days an article names tell a follow-up from a look-alike? The probe behind cluster.features.story_days.

    python benchmarks/referenced_dates_probe.py ../shared/data

An article's days: its publication day, and the days its text names ("July 4", "Jan. 5, 2016", "on
Saturday"), each resolved to the latest such day on or before publication, within 120 days (a weekday within
the week before). Two articles are "tied by a day" when one of the days of each lies within a day of one of
the other's. For gvc-dev (incident labels) and FA-KES (rough labels: incident date and place), over pairs
published three days or more apart, prints how many pairs of one incident and of different incidents are
tied, the latter also among pairs as similar as grouping would join (0.12 and more), and of the pairs of
one incident the stories keep apart, how many are tied.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from pair_similarity import labelled_sets, pairs  # noqa: E402

from newsweave import Newsweave  # noqa: E402

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTH_DAY = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
                       r"(?:,?\s+(\d{4}))?\b")
WEEKDAY = re.compile(r"\b(?:on|last|early|late)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
WINDOW = 120
WEEKDAYS = True  # weekdays ("on Saturday") name days too
STRICT = False


def named_days(text: str, published: str | None) -> set[int]:
    if not published:
        return set()
    pub = date.fromisoformat(published[:10])
    out = {pub.toordinal()}
    for m in MONTH_DAY.finditer(text):
        month, day = MONTHS.index(m.group(1)[:3].lower()) + 1, int(m.group(2))
        for year in ([int(m.group(3))] if m.group(3) else [pub.year, pub.year - 1]):
            try:
                d = date(year, month, day)
            except ValueError:
                continue
            if timedelta(0) <= pub - d <= timedelta(WINDOW):
                out.add(d.toordinal())
                break
    for m in (WEEKDAY.finditer(text) if WEEKDAYS else ()):
        back = (pub.weekday() - DAYS.index(m.group(1).lower())) % 7 or 7
        out.add((pub - timedelta(back)).toordinal())
    return out


def tied(a: set[int], b: set[int], pa: int | None, pb: int | None) -> bool:
    """One names a day within a day of the other's publication (a back-reference to the other's report);
    with STRICT False, any named days of the two within a day (two reports naming one earlier day)."""
    if STRICT:
        return pa is not None and pb is not None and (any(abs(x - pb) <= 1 for x in a - {pa}) or
                                                      any(abs(y - pa) <= 1 for y in b - {pb}))
    return any(abs(x - y) <= 1 for x in a for y in b)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--no-weekdays", action="store_true", help="only days named by month and day")
    ap.add_argument("--strict", action="store_true", help="tied only by a day named near the other's publication")
    args = ap.parse_args()
    data = Path(args.data)
    global WEEKDAYS, STRICT
    WEEKDAYS, STRICT = not args.no_weekdays, args.strict
    sets = labelled_sets(data)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (source, label_of) in sets.items():
            db = Path(tmp) / f"{name}.db"
            p = pairs(db, source, label_of)
            with Newsweave(db) as nw:
                arts = nw.articles()
                days = [named_days(a.text, a.published) for a in arts]
                pubs = [date.fromisoformat(a.published[:10]).toordinal() if a.published else None for a in arts]
            i, j = np.triu_indices(len(days), 1)
            tie = np.array([tied(days[a], days[b], pubs[a], pubs[b]) for a, b in zip(i, j)])
            far = p["gap"] >= 3
            same, diff = far & p["same"], far & ~p["same"]
            apart = p["same"] & ~p["together"]
            out = {"set": name, "same_incident_3_days_apart": int(same.sum()), "same_tied": int((same & tie).sum()),
                   "different_3_days_apart": int(diff.sum()), "different_tied": int((diff & tie).sum()),
                   "same_incident_kept_apart": int(apart.sum()), "kept_apart_tied": int((apart & tie).sum())}
            for t in (0.12, 0.2, 0.25, 0.3, 0.4):
                out[f"sim>={t}: different / different tied / kept apart tied"] = [
                    int((diff & (p["sim"] >= t)).sum()), int((diff & tie & (p["sim"] >= t)).sum()),
                    int((apart & tie & (p["sim"] >= t)).sum())]
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    sys.exit(main())
