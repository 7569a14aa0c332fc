"""The local executor: runs the per-document stages over batches, in worker processes when there are cores
and work enough for them, and sums the stages' counters however the work was spread.

A Spark executor runs the same blocks (newsweave.prepare.document_stages) over partitions instead.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from newsweave.options import Options
from newsweave.prepare import CleanJob, Prepared, document_stages
from newsweave.stages import Dropped, Stage, run_stages
from newsweave.workers import process_pool

CHUNK = 16  # documents per task: cleaned together, and few enough that both workers stay busy
Result = tuple[list[Prepared | Dropped], dict[str, dict[str, int]]]


def run_chunk(stages: list[Stage], jobs: list[CleanJob]) -> Result:
    """One chunk through the stages: the records out, and the counters it added to each stage."""
    out = list(run_stages(stages, jobs))
    return out, {stage.name: stage.take_stats() for stage in stages}


_stages: list[Stage] | None = None


def _init_worker(options: Options) -> None:
    global _stages
    _stages = document_stages(options)


def _run_in_worker(jobs: list[CleanJob]) -> Result:
    out, stats = run_chunk(_stages, jobs)
    for record in out:
        if isinstance(record, Prepared):
            record.article.raw = ""  # the parent has the raw page already; do not send it back
    return out, stats


class LocalExecutor:
    def __init__(self, options: Options):
        self.options = options
        self.local = document_stages(options)
        self.workers = options.workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, jobs: list[CleanJob]) -> Callable[[], list[Result]]:
        """Start `jobs`; the returned function waits for and returns each chunk's results, in order. The
        caller can read the next batch while the workers are busy with this one."""
        chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
        if self.workers < 2 or len(jobs) < self.options.parallel_min_batch:
            return lambda: [run_chunk(self.local, chunk) for chunk in chunks]
        if self._pool is None:
            self._pool = process_pool(self.workers, _init_worker, (self.options,))
        running = self._pool.map(_run_in_worker, chunks)

        def results() -> list[Result]:
            done = list(running)
            for chunk, (out, _) in zip(chunks, done):
                for job, record in zip(chunk, out):
                    if isinstance(record, Prepared):
                        record.article.raw = job.doc.content
            return done

        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
