"""Provides the command palette's entries: articles, entities, events and actions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from .history import ListState

if TYPE_CHECKING:
    from .screens.reader import ReaderScreen


def _plain(text: str) -> str:
    from warta.index.textsafe import terminal_safe

    return terminal_safe(text).replace("\n", " ")


def highlighted(matcher: Matcher, text: str) -> Content:
    """`text` with the matched letters marked; never parsed as markup (unlike
    Matcher.highlight, which would read an article's "[b]" as a tag)."""
    content = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style or "reverse", offset, offset + 1)
    return content


def _reader(provider: Provider) -> ReaderScreen | None:
    from .screens.reader import ReaderScreen

    for screen in reversed(provider.app.screen_stack):
        if isinstance(screen, ReaderScreen):
            return screen
    return None


async def _core(provider: Provider, fn: Callable[[Any], Any]) -> Any:
    """Call the core off the event loop (the palette searches as the user types)."""
    reader = _reader(provider)
    if reader is None or not reader.ready:
        return None
    gate = provider.app.gate  # type: ignore[attr-defined]
    return await asyncio.to_thread(gate.call, fn)


class ArticleCommands(Provider):
    """Open an article: full-text search, or the newest articles when nothing is typed."""

    async def discover(self) -> Hits:
        reader = _reader(self)
        if reader is None:
            return
        for summary in reader.summaries[:15]:
            yield DiscoveryHit(
                Content(_plain(summary.title)),
                partial(reader.open_article, summary.id),
                text=summary.title,
                help=" · ".join(x for x in (summary.source, (summary.published or "")[:10]) if x),
            )

    async def search(self, query: str) -> Hits:
        reader = _reader(self)
        if reader is None or len(query.strip()) < 2:
            return
        from warta.index.errors import WartaError

        try:
            results = await _core(self, lambda library: library.search(query, 12))
        except WartaError:
            return
        if results is None:
            return
        matcher = self.matcher(query)
        for rank, hit in enumerate(results.hits):
            title = _plain(hit.title)
            yield Hit(
                max(0.1, 1.0 - rank * 0.05),
                highlighted(matcher, title),
                partial(reader.open_article, hit.id),
                text=title,
                help="article · " + _plain(hit.snippet.replace("**", ""))[:120],
            )


class EntityCommands(Provider):
    """List the articles naming an entity."""

    async def startup(self) -> None:
        self.entities = await _core(self, lambda library: library.entities()) or []

    async def search(self, query: str) -> Hits:
        reader = _reader(self)
        if reader is None:
            return
        matcher = self.matcher(query)
        for entity in self.entities:
            name = _plain(entity.name)
            score = matcher.match(name)
            if score > 0:
                listing = ListState(mode="entity", query=entity.entity_id, label=entity.name)
                yield Hit(
                    score,
                    highlighted(matcher, name),
                    partial(reader.show_listing, listing),
                    text=name,
                    help=f"{entity.kind} · named in {len(entity.articles)} article(s)",
                )


class EventCommands(Provider):
    """Go to an article reporting an event."""

    async def startup(self) -> None:
        self.events = await _core(self, lambda library: library.events()) or []

    async def search(self, query: str) -> Hits:
        reader = _reader(self)
        if reader is None:
            return
        matcher = self.matcher(query)
        for event in self.events:
            if not event.mentions:
                continue
            who = " \u2013 ".join(p.name for p in event.participants)
            line = _plain(f"{event.date or '?'} {event.kind}: {who}")
            score = matcher.match(line)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, line),
                    partial(
                        reader.open_article, event.mentions[0].article_id, event_id=event.event_id
                    ),
                    text=line,
                    help=f"event · {len(event.mentions)} report(s)",
                )


ACTIONS = (
    ("Search articles", "search", "focus the search box (/)"),
    ("Timeline of events", "timeline", "all events by date (t)"),
    ("Show bookmarks", "bookmarks", "list bookmarked articles (B)"),
    ("Show all articles", "escape", "leave a search or a filtered list (Esc)"),
    ("Toggle side panel", "toggle_panel", "events and entities (p)"),
    ("Bookmark article", "bookmark", "add or remove a bookmark (b)"),
    ("Toggle read", "toggle_read", "mark read or unread (u)"),
    ("Change sort order", "sort", "date, title, added; relevance for searches (s)"),
    ("Back", "back", "where you were before ([ or Backspace)"),
    ("Forward", "forward", "(])"),
    ("Next highlight", "next_highlight", "(n)"),
)


class ActionCommands(Provider):
    """The reader's actions by name."""

    def _hits(self) -> list[tuple[str, Callable[[], Any], str]]:
        reader = _reader(self)
        if reader is None:
            return []
        return [
            (name, partial(reader.run_action, action), help_text)
            for name, action, help_text in ACTIONS
        ]

    async def discover(self) -> Hits:
        for name, command, help_text in self._hits():
            yield DiscoveryHit(Content(name), command, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._hits():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlighted(matcher, name), command, text=name, help=help_text)
