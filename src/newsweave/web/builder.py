"""Dossiers built beside the server, so that no page waits on the language model.

A thread builds every dossier that is missing or older than its story, the stories a reader asked for first,
then the most recently changed; it looks again every few seconds for stories an ingest changed meanwhile.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from pathlib import Path

from newsweave.api import Newsweave
from newsweave.options import Options

log = logging.getLogger(__name__)
BATCH = 20  # stories per build: parsed together (on all cores), then saved


class DossierBuilderThread:
    def __init__(self, db: str | Path, options: Options | None = None, poll_seconds: float = 3.0):
        self.db, self.options, self.poll_seconds = db, options, poll_seconds
        self.failed: dict[int, str] = {}  # story id -> why its dossier could not be built (not retried)
        self._wanted: deque[int] = deque()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dossier-builder", daemon=True)
        self.idle = threading.Event()  # set while nothing is left to build

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def want(self, story_id: int) -> None:
        """A reader is waiting for this story's dossier: build it next."""
        if story_id not in self.failed:
            self._wanted.append(story_id)
            self._wake.set()

    def _next_batch(self, nw: Newsweave) -> list[int]:
        outdated = [sid for sid in nw.outdated_dossiers(BATCH + len(self.failed)) if sid not in self.failed]
        wanted = []
        while self._wanted:
            sid = self._wanted.popleft()
            if sid not in wanted and sid not in self.failed:
                wanted.append(sid)
        wanted = [sid for sid in wanted if not (nw.store.dossier_state(sid) or ("", False))[1]]  # asked twice
        return (wanted + [sid for sid in outdated if sid not in wanted])[:max(BATCH, len(wanted))]

    def _run(self) -> None:
        with Newsweave(self.db, self.options) as nw:
            while not self._stop.is_set():
                self._wake.clear()
                batch = self._next_batch(nw)
                if not batch:
                    self.idle.set()
                    self._wake.wait(self.poll_seconds)
                    continue
                self.idle.clear()
                self._build(nw, batch)

    def _build(self, nw: Newsweave, batch: list[int]) -> None:
        try:
            nw.build_dossiers(batch)
            return
        except Exception:  # one bad story must not stop the others: find it, one story at a time
            pass
        for sid in batch:
            if self._stop.is_set():
                return
            try:
                nw.build_dossiers([sid])
            except Exception as e:
                self.failed[sid] = f"{type(e).__name__}: {e}"
                log.error("the dossier of story %s could not be built: %s", sid, self.failed[sid])
