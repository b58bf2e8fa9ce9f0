"""Provides the SQLite store of imported sources and their cleaned articles (the ground truth)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from .models import Article, ArticleSummary, RawDocument

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id           TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    path         TEXT NOT NULL,
    title        TEXT NOT NULL,
    source       TEXT,
    url          TEXT,
    published    TEXT,
    author       TEXT,
    dateline     TEXT,
    text         TEXT NOT NULL,
    raw          TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
-- rowid is the import order.
CREATE TABLE IF NOT EXISTS sources (
    path       TEXT PRIMARY KEY,
    raw_key    TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS sources_article ON sources (article_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_ARTICLE_COLUMNS = "id, path, title, text, source, url, published, author, dateline, content_hash"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _article(row: sqlite3.Row | tuple[object, ...]) -> Article:
    return Article(*row)


class SourceStore:
    """Raw documents as imported, the articles cleaned from them, and which path gave which."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- transactions ---------------------------------------------------------------------
    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- reads ----------------------------------------------------------------------------
    def count(self) -> int:
        row = self.db.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0])

    def source(self, path: str) -> tuple[str, str] | None:
        """(raw_key, article_id) recorded for a source path."""
        row = self.db.execute(
            "SELECT raw_key, article_id FROM sources WHERE path = ?", (path,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def id_for_hash(self, content_hash: str) -> str | None:
        row = self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def has_id(self, article_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            is not None
        )

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return _article(row) if row else None

    def article_by_path(self, path: str) -> Article | None:
        row = self.db.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _ARTICLE_COLUMNS.split(','))} "
            "FROM sources s JOIN articles a ON a.id = s.article_id WHERE s.path = ?",
            (path,),
        ).fetchone()
        return _article(row) if row else None

    def texts(self, ids: list[str]) -> dict[str, str]:
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def paths_of(self, article_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT path FROM sources WHERE article_id = ? ORDER BY path", (article_id,)
        )
        return [r[0] for r in rows]

    def summaries(self, order: str = "date", limit: int | None = None) -> list[ArticleSummary]:
        by = {
            "date": "published IS NULL, published DESC, rowid DESC",
            "added": "rowid DESC",
            "title": "title COLLATE NOCASE",
        }[order]
        sql = f"SELECT id, title, source, published, path FROM articles ORDER BY {by}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [ArticleSummary(*r) for r in self.db.execute(sql)]

    def iter_raw(self) -> Iterator[tuple[str, RawDocument]]:
        """(article id, raw document) of every article, in import order."""
        for article_id, raw in self.db.execute("SELECT id, raw FROM articles ORDER BY rowid"):
            yield article_id, RawDocument(**json.loads(raw))

    def iter_articles(self) -> Iterator[Article]:
        for row in self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY rowid"):
            yield _article(row)

    def all_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM articles")}

    # -- writes ---------------------------------------------------------------------------
    def insert(self, article: Article, raw: RawDocument, raw_key: str) -> None:
        now = _now()
        self.db.execute(
            "INSERT INTO articles (id, content_hash, path, title, source, url, published,"
            " author, dateline, text, raw, added_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id, article.content_hash, article.path, article.title,
                article.source, article.url, article.published, article.author,
                article.dateline, article.text, json.dumps(asdict(raw), ensure_ascii=False),
                now, now,
            ),
        )  # fmt: skip
        self.link(raw.path, raw_key, article.id)

    def replace(self, article: Article, raw: RawDocument, raw_key: str) -> None:
        """New content for an existing article id (its source file changed)."""
        self.db.execute(
            "UPDATE articles SET content_hash = ?, path = ?, title = ?, source = ?, url = ?,"
            " published = ?, author = ?, dateline = ?, text = ?, raw = ?, updated_at = ?"
            " WHERE id = ?",
            (
                article.content_hash, article.path, article.title, article.source, article.url,
                article.published, article.author, article.dateline, article.text,
                json.dumps(asdict(raw), ensure_ascii=False), _now(), article.id,
            ),
        )  # fmt: skip
        self.link(raw.path, raw_key, article.id)

    def update_cleaned(self, article: Article) -> None:
        """Cleaned fields re-derived from the stored raw document (reindex)."""
        self.db.execute(
            "UPDATE articles SET title = ?, source = ?, url = ?, published = ?, author = ?,"
            " dateline = ?, text = ? WHERE id = ?",
            (
                article.title, article.source, article.url, article.published, article.author,
                article.dateline, article.text, article.id,
            ),
        )  # fmt: skip

    def link(self, path: str, raw_key: str, article_id: str) -> None:
        self.db.execute(
            "INSERT INTO sources (path, raw_key, article_id) VALUES (?, ?, ?)"
            " ON CONFLICT (path) DO UPDATE SET raw_key = excluded.raw_key,"
            " article_id = excluded.article_id",
            (path, raw_key, article_id),
        )

    def drop_if_orphan(self, article_id: str) -> bool:
        """Delete an article no source path points at any more; True if it was deleted."""
        if self.db.execute("SELECT 1 FROM sources WHERE article_id = ?", (article_id,)).fetchone():
            return False
        self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return True

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
