"""Provides the reader's one way to the core: the Library behind a lock, and a write queue."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warta.index import Library

Write = Callable[["Library"], Any]


class LibraryGate:
    """Holds the Library (opened lazily, in a worker) and serialises every call into it.

    The Library is not safe for concurrent writes, so every call holds `lock`; writes go
    through `writes`, a queue one worker drains in order, so a bookmark set and unset in
    quick succession lands in that order.
    """

    def __init__(self, data_dir: str | os.PathLike[str] | None, library: Library | None) -> None:
        self.data_dir = data_dir
        self._library = library
        self._owned = library is None
        self.lock = threading.RLock()
        self.writes: queue.Queue[Write | None] = queue.Queue()
        self.cache: dict[str, Any] = {}
        # Told (done, total) while the Library rebuilds an index it cannot use, on open.
        self.rebuild_progress: Callable[[int, int], None] | None = None

    @property
    def is_open(self) -> bool:
        return self._library is not None

    @property
    def library(self) -> Library:
        """The open Library; call from a worker that holds `lock`."""
        if self._library is None:
            with self.lock:
                if self._library is None:
                    # Imported here, off the UI thread: the core pulls in whoosh and friends.
                    from warta.index import Library

                    # Seeds are the reader's to add, in its worker, so it can show progress.
                    self._library = Library(
                        self.data_dir, seed=False, rebuild_progress=self.rebuild_progress
                    )
        return self._library

    @property
    def owned(self) -> bool:
        """True when the gate opened the Library itself (from a data directory)."""
        return self._owned

    def call(self, fn: Callable[[Library], Any]) -> Any:
        with self.lock:
            return fn(self.library)

    def write(self, fn: Write) -> None:
        self.writes.put(fn)

    def drain(self, cancelled: Callable[[], bool]) -> None:
        """Run queued writes in order until a None arrives (or the worker is cancelled and
        the queue is empty)."""
        while True:
            try:
                job = self.writes.get(timeout=0.25)
            except queue.Empty:
                if cancelled():
                    return
                continue
            if job is None:
                return
            with self.lock:
                job(self.library)

    def close(self) -> None:
        with self.lock:
            if self._owned and self._library is not None:
                self._library.close()
                self._library = None
