"""The stage contract: every stage is a block that takes records and yields records.

A stage knows nothing of how it is scheduled: it gets what it needs when it is built (options, models) or
in its records, keeps no state between records but its counters, and runs alike in the main process, in a
worker process or over a Spark partition. What it lets go it yields as `Dropped`, with the reason; later
stages pass a `Dropped` on untouched, so whoever runs the blocks reports every input once, as stored or
as dropped with why. Its counters (`stats`) are read and reset by whoever runs it (`take_stats`), so the
counts of several workers or partitions add up to the same totals as one process would keep.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newsweave.records import StageStats


@dataclass
class Dropped:
    """A record a stage let go: where it came from, why, and the counter it was counted under."""

    source: str
    reason: str
    stage: str
    stat: str


class Stage:
    """Records in, records out. Subclasses give `process` (one record in, one out) or override `run` (when
    records are better handled together, as the cleaner's classifier does)."""

    name = "stage"

    def __init__(self) -> None:
        self.stats = StageStats(self.name)

    def process(self, record: Any) -> Any:
        raise NotImplementedError

    def run(self, records: Iterable[Any]) -> Iterator[Any]:
        for record in records:
            yield record if isinstance(record, Dropped) else self.process(record)

    def drop(self, source: str, reason: str, stat: str) -> Dropped:
        self.stats.add(stat)
        return Dropped(source, reason, self.name, stat)

    def take_stats(self) -> dict[str, int]:
        """The counters since the last call, and start again from zero."""
        counts, self.stats = self.stats.counts, StageStats(self.name)
        return counts


def run_stages(stages: list[Stage], records: Iterable[Any]) -> Iterator[Any]:
    """The stages one after the other, lazily: records flow through all of them one batch at a time."""
    for stage in stages:
        records = stage.run(records)
    return iter(records)


def add_stats(total: dict[str, dict[str, int]], part: dict[str, dict[str, int]]) -> None:
    """Sum one run's counters (stage -> counter -> n) into `total`."""
    for stage, counts in part.items():
        into = total.setdefault(stage, {})
        for key, n in counts.items():
            into[key] = into.get(key, 0) + n
