"""Provides a test double of the Library with made-up entities and events, and Pilot helpers."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from pathlib import Path

from textual.pilot import Pilot
from warta.index import Library, NotFound
from warta.index.models import (
    Article,
    ArticleSummary,
    EntityInfo,
    EntitySpan,
    EntitySummary,
    Event,
    EventMention,
    Participant,
    RelatedArticle,
    RoleInfo,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "reader" / "articles.jsonl"

# Made up for the tests: what the NLP stages would find in tests/data/reader/articles.jsonl.
NAMES = {
    "Valery Gerasimov": ("official", "ru.gerasimov", "Valery Gerasimov", True),
    "Mark Milley": ("official", "us.milley", "Mark Milley", True),
    "Sergei Shoigu": ("official", "ru.shoigu", "Sergei Shoigu", True),
    "Lloyd Austin": ("official", "us.austin", "Lloyd Austin", True),
    "Kementerian Pertahanan Rusia": ("institution", "ru.mod", "Kementerian Pertahanan Rusia", True),
    "Moskow": ("place", "place.moscow", "Moskow", True),
    "Washington": ("place", "place.washington", "Washington", True),
    "Jenderal Budi Contoh": ("official", "unlisted.budi-contoh", "Budi Contoh", False),
}
CARDS = {
    "ru.gerasimov": EntityInfo(
        "ru.gerasimov",
        "Valery Gerasimov",
        "official",
        "Rusia",
        roles=(RoleInfo("Kepala Staf Umum", "Rusia", "2012-11-09", None),),
    ),
    "ru.shoigu": EntityInfo(
        "ru.shoigu",
        "Sergei Shoigu",
        "official",
        "Rusia",
        roles=(RoleInfo("Menteri Pertahanan", "Rusia", "2012-11-06", "2024-05-12"),),
    ),
}
# event id -> kind, date, participant ids, reporting articles, related
EVENTS = {
    "ev-2021": (
        "call",
        "2021-11-23",
        ("ru.gerasimov", "us.milley"),
        ("t-call-2021", "t-call-2021-b"),
        (("ev-2022", "same_participants"),),
    ),
    "ev-2022": (
        "call",
        "2022-05-19",
        ("ru.gerasimov", "us.milley"),
        ("t-call-2022",),
        (("ev-2021", "same_participants"),),
    ),
    "ev-shoigu": ("call", "2022-10-21", ("ru.shoigu", "us.austin"), ("t-shoigu",), ()),
}
ESC_ARTICLE = "t-markup"


class DoubleLibrary(Library):
    """The real store, with spans, entities and events made up for the test articles."""

    def article(self, key: str) -> Article:
        found = super().article(key)
        if found.id == ESC_ARTICLE:
            # A core that let an escape sequence through: the reader must still strip it.
            text = found.text.replace("merah", "\x1b[31mmerah\x1b[0m")
            found = replace(found, text=text)
        return found

    def spans(self, article_id: str) -> list[EntitySpan]:
        text = self.article(article_id).text
        spans = []
        for surface, (kind, entity_id, name, listed) in NAMES.items():
            for match in re.finditer(re.escape(surface), text):
                spans.append(
                    EntitySpan(match.start(), match.end(), surface, kind, entity_id, name, listed)
                )
        spans.sort(key=lambda s: s.start)
        return spans

    def entity(self, entity_id: str) -> EntityInfo:
        if entity_id in CARDS:
            return CARDS[entity_id]
        for kind, known_id, name, listed in NAMES.values():
            if known_id == entity_id:
                return EntityInfo(entity_id, name, kind, None, listed=listed)
        raise NotFound(entity_id)

    def entities(self, article_id: str | None = None) -> list[EntitySummary]:
        ids = [article_id] if article_id else [a.id for a in self.articles()]
        counts: dict[str, list[object]] = {}
        for one in ids:
            for span in self.spans(one):
                entry = counts.setdefault(span.entity_id, [span.name, span.kind, 0, []])
                entry[2] += 1  # type: ignore[operator]
                if one not in entry[3]:  # type: ignore[operator]
                    entry[3].append(one)  # type: ignore[union-attr]
        return sorted(
            (EntitySummary(eid, n, k, c, tuple(a)) for eid, (n, k, c, a) in counts.items()),
            key=lambda e: -e.mentions,
        )

    def articles_naming(self, entity_id: str) -> list[ArticleSummary]:
        return [
            a for a in self.articles() if any(s.entity_id == entity_id for s in self.spans(a.id))
        ]

    def _event(self, event_id: str) -> Event:
        kind, date, who, reports, related = EVENTS[event_id]
        names = {v[1]: v[2] for v in NAMES.values()}
        mentions = []
        for article_id in reports:
            text = self.article(article_id).text
            end = text.find(".") + 1
            mentions.append(EventMention(article_id, text[:end], 0, end))
        return Event(
            event_id,
            kind,
            "041",
            date,
            "day",
            None,
            None,
            tuple(Participant(p, names[p], "official") for p in who),
            tuple(mentions),
            related,
        )

    def events(self, article_id: str | None = None) -> list[Event]:
        return [
            self._event(eid)
            for eid, spec in EVENTS.items()
            if article_id is None or article_id in spec[3]
        ]

    def related(self, article_id: str) -> list[RelatedArticle]:
        out = []
        titles = {a.id: a.title for a in self.articles()}
        for event in self.events(article_id):
            for mention in event.mentions:
                if mention.article_id != article_id:
                    out.append(
                        RelatedArticle(
                            mention.article_id,
                            titles[mention.article_id],
                            "same_event",
                            (event.event_id,),
                        )
                    )
        return out


def make_library(data_dir: Path) -> DoubleLibrary:
    """The double over a data dir holding the test articles (and no seeds)."""
    library = DoubleLibrary(data_dir, seed=False)
    if library.count() == 0:
        library.add([DATA])
    return library


async def settle(pilot: Pilot[object], timeout: float = 10.0) -> None:
    """Wait until no worker but the writer runs, writes are done and messages handled."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause()
        busy = [w for w in app.workers if w.group != "writer" and not w.is_finished]
        if not busy and app.gate.writes.empty():  # type: ignore[attr-defined]
            await pilot.pause()
            await pilot.pause()
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"app did not settle: {[w.name for w in app.workers]}")


def screen_text(pilot: Pilot[object]) -> str:
    """What the terminal shows, as plain text, one line a row."""
    import io

    from rich.console import Console

    app = pilot.app
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, color_system=None
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()
