"""Provides the derived SQLite store of entity spans: rebuilt by a reindex, never user state."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .models import EntitySpan, EntitySummary
from .sqlitestore import DerivedSQLite

SCHEMA = """
CREATE TABLE IF NOT EXISTS spans (
    article_id TEXT NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    name       TEXT NOT NULL,
    listed     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS spans_article ON spans (article_id, start);
CREATE INDEX IF NOT EXISTS spans_entity ON spans (entity_id);
CREATE TABLE IF NOT EXISTS done (article_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def summarize(rows: Iterable[tuple[str, str, str, str]]) -> list[EntitySummary]:
    """Entities of (entity_id, name, kind, article_id) mentions, in text order: most mentioned
    first; name and kind as most often found."""
    counts: dict[str, int] = {}
    articles: dict[str, dict[str, None]] = {}
    labels: dict[str, dict[tuple[str, str], int]] = {}
    for entity_id, name, kind, art in rows:
        counts[entity_id] = counts.get(entity_id, 0) + 1
        articles.setdefault(entity_id, {})[art] = None
        label = labels.setdefault(entity_id, {})
        label[(name, kind)] = label.get((name, kind), 0) + 1
    result = []
    for entity_id, n in counts.items():
        name, kind = max(labels[entity_id].items(), key=lambda pair: pair[1])[0]
        result.append(EntitySummary(entity_id, name, kind, n, tuple(articles[entity_id])))
    result.sort(key=lambda s: (-s.mentions, s.entity_id))
    return result


class DerivedStore(DerivedSQLite):
    """Entity spans per article, in `derived.sqlite`; `done` lists the articles analysed."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.db.executescript(SCHEMA)

    # -- writes ---------------------------------------------------------------------------
    def put(self, article_id: str, spans: Iterable[EntitySpan]) -> None:
        """Replace the spans of one article."""
        self._begin()
        self.db.execute("DELETE FROM spans WHERE article_id = ?", (article_id,))
        self.db.executemany(
            "INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (article_id, s.start, s.end, s.text, s.kind, s.entity_id, s.name, int(s.listed))
                for s in spans
            ],
        )
        self.db.execute("INSERT OR IGNORE INTO done VALUES (?)", (article_id,))

    def delete(self, article_id: str) -> None:
        self._begin()
        self.db.execute("DELETE FROM spans WHERE article_id = ?", (article_id,))
        self.db.execute("DELETE FROM done WHERE article_id = ?", (article_id,))

    def clear(self) -> None:
        self._begin()
        self.db.execute("DELETE FROM spans")
        self.db.execute("DELETE FROM done")

    # -- reads ----------------------------------------------------------------------------
    def spans(self, article_id: str) -> list[EntitySpan]:
        rows = self.db.execute(
            "SELECT start, end, text, kind, entity_id, name, listed FROM spans "
            "WHERE article_id = ? ORDER BY start",
            (article_id,),
        )
        return [EntitySpan(s, e, t, k, i, n, bool(listed)) for s, e, t, k, i, n, listed in rows]

    def summaries(self, article_id: str | None = None) -> list[EntitySummary]:
        """Entities most mentioned first; name and kind as most often found."""
        where, args = ("WHERE article_id = ?", (article_id,)) if article_id else ("", ())
        rows = self.db.execute(
            f"SELECT entity_id, name, kind, article_id FROM spans {where} ORDER BY rowid", args
        )
        return summarize(rows)

    def articles_naming(self, entity_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT article_id FROM spans WHERE entity_id = ?", (entity_id,)
        )
        return [r[0] for r in rows]

    def label(self, entity_id: str) -> tuple[str, str] | None:
        """(name, kind) of an entity as the spans give it, for ids no lexicon knows."""
        row = self.db.execute(
            "SELECT name, kind FROM spans WHERE entity_id = ? "
            "GROUP BY name, kind ORDER BY COUNT(*) DESC LIMIT 1",
            (entity_id,),
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))
