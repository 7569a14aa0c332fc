"""Worker processes for per-document work, started the same way everywhere.

Forked where the system can fork: workers inherit the loaded models and never re-run the caller's script
(as spawn would in a script without a main guard); they touch no inherited lock, file or connection.
There is one worker per core, so each keeps its linear algebra to one thread: BLAS threads of several
workers fighting for the same cores made the whole pool twice as slow.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from threadpoolctl import threadpool_limits


def process_pool(workers: int, initializer: Callable | None, initargs: tuple) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(initializer, initargs))


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    threadpool_limits(1)
    if initializer is not None:
        initializer(*initargs)
