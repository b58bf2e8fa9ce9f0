"""Provides the base of the derived SQLite stores: WAL, and a transaction begun lazily."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class DerivedSQLite:
    """A derived store's connection; its transaction begins on the first write and ends with
    the index commit (`commit`) or is abandoned with it (`rollback`).

    Subclasses' schemas have a `meta (key, value)` table and a `done (article_id, ...)` table
    of the articles analysed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._open = False

    def close(self) -> None:
        self.db.close()

    def _begin(self) -> None:
        if not self._open:
            self.db.execute("BEGIN")
            self._open = True

    def commit(self) -> None:
        if self._open:
            self.db.execute("COMMIT")
            self._open = False

    def rollback(self) -> None:
        if self._open:
            self.db.execute("ROLLBACK")
            self._open = False

    def set_meta(self, key: str, value: str) -> None:
        self._begin()
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def done_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT article_id FROM done")}
