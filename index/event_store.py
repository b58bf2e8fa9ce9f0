"""Provides the derived event store: mentions per article, merged into events, and their links.

Mentions of one kind with one participant set form a group; a group's mentions are merged into
events by their dates (see `cluster`), so adding or removing an article re-merges only the
groups its mentions belong to. Everything here is derived: `reindex` rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .events import Found
from .models import Event, EventMention, Participant, RelatedArticle
from .sqlitestore import DerivedSQLite

SCHEMA = """
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL, seq INTEGER NOT NULL,
    kind TEXT NOT NULL, cameo TEXT NOT NULL, pkey TEXT NOT NULL, participants TEXT NOT NULL,
    date TEXT, precision TEXT NOT NULL, date_text TEXT, anchor TEXT,
    place_id TEXT, place TEXT,
    sentence TEXT NOT NULL, s_start INTEGER NOT NULL, s_end INTEGER NOT NULL,
    t_start INTEGER NOT NULL, t_end INTEGER NOT NULL, p_spans TEXT NOT NULL, rule TEXT NOT NULL,
    event_id TEXT,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX IF NOT EXISTS mentions_group ON mentions (kind, pkey);
CREATE INDEX IF NOT EXISTS mentions_event ON mentions (event_id);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY, kind TEXT NOT NULL, cameo TEXT NOT NULL,
    date TEXT, precision TEXT NOT NULL, date_text TEXT, place_id TEXT, place TEXT,
    participants TEXT NOT NULL, pkey TEXT NOT NULL, sort_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_group ON events (kind, pkey);
CREATE TABLE IF NOT EXISTS event_participants (
    event_id TEXT NOT NULL, entity_id TEXT NOT NULL, kind TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ep_entity ON event_participants (entity_id);
CREATE INDEX IF NOT EXISTS ep_event ON event_participants (event_id);
CREATE TABLE IF NOT EXISTS article_entities (
    article_id TEXT NOT NULL, entity_id TEXT NOT NULL, n INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ae_entity ON article_entities (entity_id);
CREATE INDEX IF NOT EXISTS ae_article ON article_entities (article_id);
CREATE TABLE IF NOT EXISTS done (article_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

SCHEMA_NUMBER = 2
EVENTS_VERSION = "1"
"""Stamped on every commit; a store without it (older data) is rebuilt by a reindex."""

UNKNOWN_WINDOW_DAYS = 14
"""An undated report joins a dated event of the same kind and people only if it was
published within this many days after it ("pada hari Jumat" in a report a week later)."""

DAY_TOLERANCE = 1
"""Reports a day apart are one event: "Kamis waktu Washington" is Friday in Moscow."""

RELATED_LIMIT = 30
COMMON_SHARE = 0.1
"""An entity named in more than this share of the articles (Indonesia, Jakarta) links
nothing by itself; skipping it keeps `related` fast."""

_RANK = {"same_event": 0, "same_participants": 1, "shared_entities": 2}


@dataclass
class Row:
    """One stored mention, as clustering needs it."""

    article_id: str
    seq: int
    date: str | None
    precision: str
    date_text: str | None
    anchor: str | None
    place_id: str | None
    place: str | None
    cameo: str


@dataclass
class Cluster:
    rows: list[Row]
    date: str | None
    precision: str
    date_text: str | None
    key: str  # what the event id hashes besides kind and participants


def _parse(value: str) -> dt.date:
    parts = [int(x) for x in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(parts[0], parts[1], parts[2])


def _period_end(value: str, precision: str) -> dt.date:
    start = _parse(value)
    if precision == "month":
        following = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    if precision == "year":
        return dt.date(start.year, 12, 31)
    return start


def _most(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    if not counted:
        return None
    return sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def cluster(rows: Sequence[Row]) -> list[Cluster]:
    """Merge one group's mentions (same kind, same participants) into events by date.

    Days a day apart chain into one event; a month or a year joins the one event inside it
    when there is exactly one; an undated mention joins the latest dated event it was
    reported within `UNKNOWN_WINDOW_DAYS` of; undated leftovers chain by their anchors.
    """
    days = sorted((r for r in rows if r.precision == "day" and r.date), key=lambda r: r.date or "")
    clusters: list[Cluster] = []
    for r in days:
        assert r.date is not None
        last = clusters[-1] if clusters else None
        previous = last.rows[-1].date if last is not None else None
        near = previous is not None and (_parse(r.date) - _parse(previous)).days <= DAY_TOLERANCE
        if last is not None and near:
            last.rows.append(r)
            continue
        clusters.append(Cluster([r], r.date, "day", None, ""))
    for level in ("month", "year"):
        width = 7 if level == "month" else 4
        for r in sorted((r for r in rows if r.precision == level and r.date), key=_by_date):
            assert r.date is not None
            inside = [c for c in clusters if c.date and c.date[:width] == r.date[:width]]
            if len(inside) == 1:
                inside[0].rows.append(r)
                continue
            same = [c for c in clusters if c.precision == level and c.date == r.date]
            if same:
                same[0].rows.append(r)
            else:
                clusters.append(Cluster([r], r.date, level, None, ""))
    leftovers: list[Row] = []
    for r in sorted((r for r in rows if r.precision == "unknown" or not r.date), key=_by_anchor):
        home = _home(clusters, r.anchor)
        if home is not None:
            home.rows.append(r)
        else:
            leftovers.append(r)
    unknown: list[Cluster] = []
    for r in leftovers:
        last = unknown[-1] if unknown else None
        if last is not None and _near(last.rows[-1].anchor, r.anchor):
            last.rows.append(r)
            continue
        unknown.append(Cluster([r], r.anchor, "unknown", None, f"unknown:{r.anchor or 'none'}"))
    for c in clusters:
        dated = [r for r in c.rows if r.precision == c.precision and r.date]
        c.date = _most(r.date for r in dated) if c.precision == "day" else c.date
        c.key = c.date or ""
        c.date_text = next((r.date_text for r in dated if r.date == c.date and r.date_text), None)
    for c in unknown:
        c.date_text = next((r.date_text for r in c.rows if r.date_text), None)
    return clusters + unknown


def _by_date(r: Row) -> tuple[str, str, int]:
    return (r.date or "", r.article_id, r.seq)


def _by_anchor(r: Row) -> tuple[str, str, int]:
    return (r.anchor or "~", r.article_id, r.seq)


def _home(clusters: list[Cluster], anchor: str | None) -> Cluster | None:
    if anchor is None:
        return None
    day = _parse(anchor)
    best: Cluster | None = None
    for c in clusters:
        if c.date is None:
            continue
        start, end = _parse(c.date), _period_end(c.date, c.precision)
        inside = start <= day and (day - end).days <= UNKNOWN_WINDOW_DAYS
        if inside and (best is None or (best.date or "") < c.date):
            best = c
    return best


def _near(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs((_parse(a) - _parse(b)).days) <= UNKNOWN_WINDOW_DAYS // 2


def event_id(kind: str, pkey: str, key: str) -> str:
    """Stable: the same kind, people and date give the same id on every rebuild."""
    digest = hashlib.sha1(f"{kind}|{pkey}|{key}".encode()).hexdigest()
    return f"ev-{digest[:12]}"


class EventStore(DerivedSQLite):
    """Event mentions, events and the entities of each article, in `events.sqlite`."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        if self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_NUMBER:
            # Derived data in an older layout: dropped here, rebuilt by the reindex that
            # the missing version stamp asks for.
            tables = self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for (name,) in tables.fetchall():
                self.db.execute(f'DROP TABLE IF EXISTS "{name}"')
            self.db.execute(f"PRAGMA user_version = {SCHEMA_NUMBER}")
        self.db.executescript(SCHEMA)

    # -- writes ---------------------------------------------------------------------------
    def clear(self) -> None:
        self._begin()
        for table in (
            "mentions",
            "events",
            "event_participants",
            "article_entities",
            "done",
            "meta",
        ):
            self.db.execute(f"DELETE FROM {table}")

    def put(
        self,
        article_id: str,
        text: str,
        found: Sequence[Found],
        entity_ids: Iterable[str] = (),
    ) -> set[str]:
        """Replace an article's mentions and entities; re-merge the groups they touch.

        Returns the articles whose list of event ids changed (this one included).
        """
        self._begin()
        groups = self._groups_of(article_id)
        self.db.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
        self.db.execute("DELETE FROM article_entities WHERE article_id = ?", (article_id,))
        rows = []
        for seq, f in enumerate(found):
            m = f.mention(article_id, text)
            participants = [[p.entity_id, p.name, p.kind] for p in f.participants]
            rows.append(
                (
                    article_id, seq, f.kind, f.cameo, f.key, json.dumps(participants),
                    f.date if f.precision != "unknown" else None, f.precision, f.date_text,
                    f.anchor, f.place_id, f.place, m.sentence, m.start, m.end,
                    m.trigger[0], m.trigger[1], json.dumps(m.participant_spans), m.rule, None,
                )
            )  # fmt: skip
            groups.add((f.kind, f.key))
        self.db.executemany(f"INSERT INTO mentions VALUES ({', '.join('?' * 20)})", rows)
        counts = Counter(entity_ids)
        self.db.executemany(
            "INSERT INTO article_entities VALUES (?, ?, ?)",
            [(article_id, e, n) for e, n in counts.items()],
        )
        self.db.execute("INSERT OR IGNORE INTO done VALUES (?)", (article_id,))
        changed = {article_id}
        for kind, pkey in sorted(groups):
            changed |= self._merge(kind, pkey)
        return changed

    def delete(self, article_id: str) -> set[str]:
        self._begin()
        groups = self._groups_of(article_id)
        self.db.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
        self.db.execute("DELETE FROM article_entities WHERE article_id = ?", (article_id,))
        self.db.execute("DELETE FROM done WHERE article_id = ?", (article_id,))
        changed: set[str] = set()
        for kind, pkey in sorted(groups):
            changed |= self._merge(kind, pkey)
        changed.discard(article_id)
        return changed

    def _groups_of(self, article_id: str) -> set[tuple[str, str]]:
        rows = self.db.execute(
            "SELECT DISTINCT kind, pkey FROM mentions WHERE article_id = ?", (article_id,)
        )
        return {(k, p) for k, p in rows}

    def _merge(self, kind: str, pkey: str) -> set[str]:
        """Re-merge one group; the articles whose event ids changed."""
        stored = self.db.execute(
            "SELECT article_id, seq, date, precision, date_text, anchor, place_id, place, cameo,"
            " event_id, participants FROM mentions WHERE kind = ? AND pkey = ?",
            (kind, pkey),
        ).fetchall()
        before = {(r[0], r[9]) for r in stored if r[9]}
        old = [r[0] for r in self.db.execute(
            "SELECT event_id FROM events WHERE kind = ? AND pkey = ?", (kind, pkey)
        )]  # fmt: skip
        for eid in old:
            self.db.execute("DELETE FROM events WHERE event_id = ?", (eid,))
            self.db.execute("DELETE FROM event_participants WHERE event_id = ?", (eid,))
        after: set[tuple[str, str]] = set()
        if stored:
            participants = json.loads(stored[0][10])
            rows = [Row(*r[:9]) for r in stored]
            for c in cluster(rows):
                eid = event_id(kind, pkey, c.key)
                place_id = _most(r.place_id for r in c.rows)
                place = next((r.place for r in c.rows if r.place_id == place_id), None)
                cameo = _most(r.cameo for r in c.rows) or ""
                sort_key = c.date or "9999"
                self.db.execute(
                    "INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (eid, kind, cameo, c.date, c.precision, c.date_text, place_id, place,
                     json.dumps(participants), pkey, sort_key),
                )  # fmt: skip
                self.db.executemany(
                    "INSERT INTO event_participants VALUES (?, ?, ?)",
                    [(eid, p[0], p[2]) for p in participants],
                )
                self.db.executemany(
                    "UPDATE mentions SET event_id = ? WHERE article_id = ? AND seq = ?",
                    [(eid, r.article_id, r.seq) for r in c.rows],
                )
                after |= {(r.article_id, eid) for r in c.rows}
        return {a for a, _ in before ^ after}

    # -- reads ----------------------------------------------------------------------------
    def event_ids(self, article_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT m.event_id FROM mentions m JOIN events e USING (event_id) "
            "WHERE m.article_id = ? ORDER BY e.sort_key, m.event_id",
            (article_id,),
        )
        return [r[0] for r in rows]

    def events(self, article_id: str | None = None) -> list[Event]:
        """Events of one article (or all), by date; undated ones by report date, last."""
        if article_id is None:
            rows = self.db.execute("SELECT * FROM events ORDER BY sort_key, event_id").fetchall()
        else:
            rows = self.db.execute(
                "SELECT * FROM events WHERE event_id IN "
                "(SELECT event_id FROM mentions WHERE article_id = ?) "
                "ORDER BY sort_key, event_id",
                (article_id,),
            ).fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        mentions = self._mentions_of(ids if article_id is not None else None)
        related = self._relations(rows)
        return [
            Event(
                event_id=r[0],
                kind=r[1],
                cameo=r[2],
                date=r[3],
                date_precision=r[4],
                date_text=r[5],
                place=r[7],
                participants=tuple(Participant(*p) for p in json.loads(r[8])),
                mentions=tuple(mentions.get(r[0], ())),
                related=tuple(related.get(r[0], ())),
            )
            for r in rows
        ]

    def _mentions_of(self, ids: list[str] | None) -> dict[str, list[EventMention]]:
        query = (
            "SELECT event_id, article_id, sentence, s_start, s_end, t_start, t_end, p_spans, rule"
            " FROM mentions"
        )
        args: tuple[str, ...] = ()
        if ids is not None:
            query += f" WHERE event_id IN ({', '.join('?' * len(ids))})"
            args = tuple(ids)
        out: dict[str, list[EventMention]] = defaultdict(list)
        for eid, art, sentence, s0, s1, t0, t1, pspans, rule in self.db.execute(
            query + " ORDER BY article_id, seq", args
        ):
            spans = tuple((int(a), int(b)) for a, b in json.loads(pspans))
            out[eid].append(EventMention(art, sentence, s0, s1, (t0, t1), spans, rule))
        return out

    def _relations(self, rows: list[tuple[object, ...]]) -> dict[str, list[tuple[str, str]]]:
        """Other events with the same pair of people, the same person and kind, or the same
        place and day. Countries alone relate nothing: Russia takes part in hundreds."""
        out: dict[str, list[tuple[str, str]]] = {}
        for r in rows:
            eid, kind, date, precision, place_id = (
                str(r[0]), str(r[1]), r[3], r[4], r[6]
            )  # fmt: skip
            people = [p[0] for p in json.loads(str(r[8])) if p[2] != "place"]
            found: dict[str, str] = {}
            if people:
                marks = ", ".join("?" * len(people))
                shared = self.db.execute(
                    "SELECT ep.event_id, COUNT(*), e.kind FROM event_participants ep "
                    "JOIN events e USING (event_id) "
                    f"WHERE ep.entity_id IN ({marks}) AND ep.event_id != ? "
                    "GROUP BY ep.event_id ORDER BY e.sort_key",
                    (*people, eid),
                ).fetchall()
                for other, count, other_kind in shared:
                    if count >= 2:
                        found[other] = "same_participants"
                    elif other_kind == kind and other not in found:
                        found[other] = "same_participant_kind"
            if place_id and precision == "day":
                for (other,) in self.db.execute(
                    "SELECT event_id FROM events WHERE place_id = ? AND date = ? "
                    "AND precision = 'day' AND event_id != ?",
                    (place_id, date, eid),
                ):
                    found.setdefault(other, "same_place_date")
            order = {"same_participants": 0, "same_place_date": 1, "same_participant_kind": 2}
            out[eid] = sorted(found.items(), key=lambda kv: order[kv[1]])
        return out

    def related(
        self, article_id: str, titles: Callable[[list[str]], dict[str, str]]
    ) -> list[RelatedArticle]:
        """Other articles: same event, then the same participants, then shared entities."""
        found: dict[str, tuple[str, list[str], float]] = {}
        mine = self.event_ids(article_id)
        if mine:
            marks = ", ".join("?" * len(mine))
            by_article: dict[str, list[str]] = defaultdict(list)
            for art, eid in self.db.execute(
                f"SELECT DISTINCT article_id, event_id FROM mentions WHERE event_id IN ({marks})"
                " AND article_id != ? ORDER BY event_id",
                (*mine, article_id),
            ):
                by_article[art].append(eid)
            for art, eids in by_article.items():
                found[art] = ("same_event", eids, float(len(eids)))
            pairs = self._pair_partners(mine)
            for art, people in pairs.items():
                if art != article_id and art not in found:
                    found[art] = ("same_participants", sorted(people), float(len(people)))
        for art, shared, score in self._entity_neighbours(article_id):
            if art not in found and len(found) < RELATED_LIMIT * 2:
                found[art] = ("shared_entities", shared, score)
        ranked = sorted(found.items(), key=lambda kv: (_RANK[kv[1][0]], -kv[1][2], kv[0]))
        ranked = ranked[:RELATED_LIMIT]
        names = titles([art for art, _ in ranked])
        return [
            RelatedArticle(art, names.get(art, ""), relation, tuple(via))
            for art, (relation, via, _) in ranked
        ]

    def _pair_partners(self, mine: list[str]) -> dict[str, set[str]]:
        """Articles reporting other events of two or more of the same participants."""
        out: dict[str, set[str]] = defaultdict(set)
        marks = ", ".join("?" * len(mine))
        people = self.db.execute(
            "SELECT event_id, entity_id FROM event_participants "
            f"WHERE kind != 'place' AND event_id IN ({marks})",
            tuple(mine),
        ).fetchall()
        per_event: dict[str, set[str]] = defaultdict(set)
        for eid, ent in people:
            per_event[eid].add(ent)
        for eid, ents in per_event.items():
            if len(ents) < 2:
                continue
            emarks = ", ".join("?" * len(ents))
            others = self.db.execute(
                "SELECT event_id, GROUP_CONCAT(entity_id, '\t') FROM event_participants "
                f"WHERE entity_id IN ({emarks}) AND event_id != ? GROUP BY event_id "
                "HAVING COUNT(*) >= 2",
                (*ents, eid),
            ).fetchall()
            if not others:
                continue
            shared_by = {o: set(s.split("\t")) for o, s in others if o not in mine}
            if not shared_by:
                continue
            omarks = ", ".join("?" * len(shared_by))
            for art, other in self.db.execute(
                f"SELECT DISTINCT article_id, event_id FROM mentions WHERE event_id IN ({omarks})",
                tuple(shared_by),
            ):
                out[art] |= shared_by[other]
        return out

    def _entity_neighbours(self, article_id: str) -> list[tuple[str, list[str], float]]:
        """Articles sharing at least two entities, scored by how rare the shared ones are."""
        total = self.db.execute("SELECT COUNT(*) FROM done").fetchone()[0] or 1
        mine = [
            r[0]
            for r in self.db.execute(
                "SELECT entity_id FROM article_entities WHERE article_id = ?", (article_id,)
            )
        ]
        if not mine:
            return []
        marks = ", ".join("?" * len(mine))
        df = dict(
            self.db.execute(
                "SELECT entity_id, COUNT(*) FROM article_entities "
                f"WHERE entity_id IN ({marks}) GROUP BY entity_id",
                tuple(mine),
            ).fetchall()
        )
        cap = max(20, int(total * COMMON_SHARE))
        useful = [e for e in mine if 1 < df.get(e, 0) <= cap]
        if not useful:
            return []
        weight = {e: math.log((total + 1) / df[e]) for e in useful}
        shared: dict[str, list[str]] = defaultdict(list)
        umarks = ", ".join("?" * len(useful))
        for art, ent in self.db.execute(
            f"SELECT article_id, entity_id FROM article_entities WHERE entity_id IN ({umarks})"
            " AND article_id != ?",
            (*useful, article_id),
        ):
            shared[art].append(ent)
        scored = [
            (art, sorted(ents, key=lambda e: (-weight[e], e)), sum(weight[e] for e in ents))
            for art, ents in shared.items()
            if len(ents) >= 2
        ]
        scored.sort(key=lambda t: (-t[2], t[0]))
        return scored[:RELATED_LIMIT]
