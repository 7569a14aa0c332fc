"""Worker processes for per-document work, started the same way everywhere.

Forked where the system can fork: workers inherit the loaded models and never re-run the caller's script
(as spawn would in a script without a main guard); they touch no inherited lock, file or connection.
There is one worker per core, so each keeps its linear algebra to one thread: BLAS threads of several
workers fighting for the same cores made the whole pool twice as slow.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from threadpoolctl import threadpool_limits

PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies
PARENT = [0]  # pid of the process that started the pool (read by forked workers)


def process_pool(workers: int, initializer: Callable | None, initargs: tuple) -> ProcessPoolExecutor:
    PARENT[0] = os.getpid()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(initializer, initargs))


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the process that started it dies, even by `kill -9`, which
    gives the pool no chance to stop its workers (elsewhere the pool's own shutdown is all there is)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != PARENT[0]:  # the parent died before the request was made
        os._exit(1)


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    _die_with_parent()
    threadpool_limits(1)
    if initializer is not None:
        initializer(*initargs)
