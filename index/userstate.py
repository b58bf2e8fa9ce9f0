"""Provides the SQLite store of user state: read marks, bookmarks, reading position, history."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS read_marks (
    article_id TEXT PRIMARY KEY,
    read_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bookmarks (
    article_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class UserStore:
    """User state is not derived: it lives apart from the index and survives every reindex.

    WAL mode and one transaction per write, so a kill never leaves a half-written mark.
    """

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def set_read(self, article_id: str, read: bool = True) -> None:
        if read:
            self.db.execute(
                "INSERT OR IGNORE INTO read_marks (article_id, read_at) VALUES (?, ?)",
                (article_id, _now()),
            )
        else:
            self.db.execute("DELETE FROM read_marks WHERE article_id = ?", (article_id,))

    def read_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT article_id FROM read_marks")}

    def set_bookmark(self, article_id: str, on: bool = True) -> None:
        if on:
            self.db.execute(
                "INSERT OR IGNORE INTO bookmarks (article_id, created_at) VALUES (?, ?)",
                (article_id, _now()),
            )
        else:
            self.db.execute("DELETE FROM bookmarks WHERE article_id = ?", (article_id,))

    def bookmarks(self) -> list[str]:
        rows = self.db.execute("SELECT article_id FROM bookmarks ORDER BY created_at DESC")
        return [r[0] for r in rows]

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
