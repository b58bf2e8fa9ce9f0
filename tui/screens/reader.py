"""Provides `ReaderScreen`: list, article and side panel, and the workers that feed them."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Static
from textual.worker import get_current_worker

from .. import heap
from ..history import History, ListState, Location
from ..widgets.article_list import ArticleList, Entry
from ..widgets.article_view import ArticleView, card_text
from ..widgets.side_panel import SidePanel

if TYPE_CHECKING:
    from textual.timer import Timer
    from warta.index import Library
    from warta.index.models import (
        Article,
        ArticleSummary,
        EntityInfo,
        EntitySpan,
        EntitySummary,
        Event,
        RelatedArticle,
    )

    from ..app import WartaApp

SEARCH_LIMIT = 50
POSITION_KEY = "reader.position"
STALE_LEXICONS = (
    "The lexicons changed since the index was built: highlights follow them, "
    "entity search and events after `warta reindex`."
)
IDLE_TIDY_SECONDS = 2.0
REBUILD_PROGRESS_SECONDS = 0.1
LIST_DRAWN_SECONDS = 0.05  # a list's frame is out by then: one update tick and its drawing
FREEZE_ROWS = 1000
AFTER_PAINT_LATEST = 0.25  # seconds: the side panel and read mark when no frame says so
ORDERS = {"all": ("date", "title", "added"), "search": ("relevance", "date")}


def _entries(items: Sequence[Any]) -> list[Entry]:
    return [Entry(i.id, i.title, i.source, i.published) for i in items]


class ReaderScreen(Screen[None]):
    """The reading screen. Workers fetch from the core and post messages; handlers apply
    them only when they still answer the latest request."""

    AUTO_FOCUS = ""  # the list takes focus once it has rows

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (110, "-wide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="reader.search"),
        Binding("escape", "escape", "Clear", show=False, id="reader.escape"),
        Binding("backspace,left_square_bracket", "back", "Back", id="reader.back", key_display="["),
        Binding("right_square_bracket", "forward", "Forward", show=False, id="reader.forward"),
        Binding("n", "next_highlight", "Next highlight", show=False, id="reader.next_highlight"),
        Binding(
            "N",
            "previous_highlight",
            "Previous highlight",
            show=False,
            id="reader.previous_highlight",
        ),
        Binding("b", "bookmark", "Bookmark", id="reader.bookmark"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="reader.toggle_read"),
        Binding("p", "toggle_panel", "Panel", id="reader.toggle_panel"),
        Binding("t", "timeline", "Timeline", id="reader.timeline"),
        Binding("s", "sort", "Sort", show=False, id="reader.sort"),
        Binding("B", "bookmarks", "Bookmarks", show=False, id="reader.bookmarks"),
        Binding("tab", "next_pane", "Next pane", show=False, id="reader.next_pane"),
        Binding(
            "shift+tab", "previous_pane", "Previous pane", show=False, id="reader.previous_pane"
        ),
    ]

    # -- messages from workers ----------------------------------------------------------------
    class LibraryOpened(Message):
        def __init__(
            self,
            count: int,
            notices: Sequence[str],
            saved: Location | None,
            summaries: Sequence[ArticleSummary],
        ) -> None:
            super().__init__()
            self.count = count
            self.notices = tuple(notices)
            self.saved = saved
            self.summaries = list(summaries)

    class SeedProgress(Message):
        """First run: `done` of `total` bundled articles indexed, `summaries` so far."""

        def __init__(self, done: int, total: int, summaries: Sequence[ArticleSummary]) -> None:
            super().__init__()
            self.done = done
            self.total = total
            self.summaries = list(summaries)

    class RebuildProgress(Message):
        """The core is rebuilding an index it cannot use: `done` of `total` articles."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class ListLoaded(Message):
        def __init__(
            self,
            listing: ListState,
            entries: list[Entry],
            total: int,
            read: set[str],
            marked: set[str],
            select: str | None,
            snippets: dict[str, str],
        ) -> None:
            super().__init__()
            self.snippets = snippets
            self.listing = listing
            self.entries = entries
            self.total = total
            self.read = read
            self.marked = marked
            self.select = select

    class SearchFailed(Message):
        def __init__(self, query: str, reason: str) -> None:
            super().__init__()
            self.query = query
            self.reason = reason

    class ArticleLoaded(Message):
        def __init__(
            self, article: Article, spans: list[EntitySpan], scroll_y: float, event_id: str | None
        ) -> None:
            super().__init__()
            self.article = article
            self.spans = spans
            self.scroll_y = scroll_y
            self.event_id = event_id

    class SpansLoaded(Message):
        """An article's highlights, after its text (found again: the lexicons changed)."""

        def __init__(self, article_id: str, spans: list[EntitySpan]) -> None:
            super().__init__()
            self.article_id = article_id
            self.spans = spans

    class ArticleMissing(Message):
        def __init__(self, article_id: str, reason: str) -> None:
            super().__init__()
            self.article_id = article_id
            self.reason = reason

    class SideLoaded(Message):
        def __init__(
            self,
            article_id: str,
            events: list[Event],
            entities: list[EntitySummary],
            related: list[RelatedArticle],
            known: dict[str, Event],
            event_id: str | None,
        ) -> None:
            super().__init__()
            self.article_id = article_id
            self.events = events
            self.entities = entities
            self.related = related
            self.known = known
            self.event_id = event_id

    class EntityArticles(Message):
        def __init__(self, entity_id: str, articles: list[ArticleSummary]) -> None:
            super().__init__()
            self.entity_id = entity_id
            self.articles = articles

    class CardLoaded(Message):
        def __init__(
            self, article_id: str, index: int, span: EntitySpan, info: EntityInfo | None
        ) -> None:
            super().__init__()
            self.article_id = article_id
            self.index = index
            self.span = span
            self.info = info

    # -- state ------------------------------------------------------------------------------
    def __init__(self) -> None:
        super().__init__()
        self.listing = ListState()
        self.before_search = ListState()
        self.history = History()
        self.titles: dict[str, str] = {}
        self.summaries: list[ArticleSummary] = []
        self.read: set[str] = set()
        self.marked: set[str] = set()
        self.total = 0
        self.article_id: str | None = None
        self._wanted: str | None = None
        self._hits_query = ""
        self._snippets: dict[str, str] = {}
        self._saved: str | None = None
        self.ready = False
        self.listed = False  # the list has been filled once
        self._tidy_timer: Timer | None = None
        self._frozen_once = False
        self._opened = 0  # articles put on screen, so a late after-paint call knows its own
        self._after_painted = 0
        self._started = False  # after_first_frame has run
        self._draw_now = False  # an article was put in the view: draw at the next idle
        self._open_when_listed: str | None = None  # Enter pressed before its results came

    @property
    def warta(self) -> WartaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Label("Warta", id="brand")
            yield Input(placeholder="/ to search", id="search", select_on_focus=False)
            yield Static("", id="status", markup=False)
        with Horizontal(id="panes"):
            yield ArticleList(id="list")
            yield ArticleView(id="article")
            yield SidePanel(id="side")

    def on_mount(self) -> None:
        heap.defer_full_collections()
        self.query_one("#search", Input).cursor_blink = False
        self._status("Opening the library…")
        self.set_interval(1.0, self._save_position)
        if self.app._dom_ready:  # pushed after the app's first frame
            self.after_first_frame()

    def after_first_frame(self) -> None:
        """What the first frame can do without; the app calls it once that frame is out.

        Opening the core imports whoosh and SQLite stores; the list's spinner costs the first
        frame a sixth; the side panel's tabs a third. `call_after_refresh`, used before, may
        run before the first frame (the screen is idle before anything is marked dirty), and
        a worker importing the core then competes with that frame for the interpreter.
        """
        if self._started:
            return
        self._started = True
        self._open_library()
        self._spin_until_listed()
        self.side.build_later()
        # The footer's keys are a widget each, styled one by one: a tenth of the first frame.
        self.mount(Footer())

    def on_unmount(self) -> None:
        heap.restore_full_collections()

    def _spin_until_listed(self) -> None:
        if not self.listed:
            self.article_list.loading = True

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one("#list", ArticleList)

    @property
    def view(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    @property
    def side(self) -> SidePanel:
        return self.query_one("#side", SidePanel)

    def here(self) -> Location:
        """The reader's location now, as history and the saved position record it."""
        return Location(
            article_id=self.article_id,
            scroll_y=float(self.view.scroll.scroll_y) if self.article_id else 0.0,
            listing=self.listing,
            selected=self.article_list.highlighted_id,
        )

    # -- workers ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library", name="open library", exit_on_error=False)
    def _open_library(self) -> None:
        import time

        from ..history import Location

        gate = self.warta.gate
        shown = [0.0]

        def rebuilding(done: int, total: int) -> None:
            # A message every article would flood the screen's queue: ten a second at most.
            now = time.monotonic()
            if done in (1, total) or now - shown[0] >= REBUILD_PROGRESS_SECONDS:
                shown[0] = now
                self.post_message(self.RebuildProgress(done, total))

        gate.rebuild_progress = rebuilding

        def opened(library: Library) -> ReaderScreen.LibraryOpened:
            if gate.owned and library.count() == 0:
                self._add_seeds(library)
            saved = Location.from_json(library.get_state(POSITION_KEY))
            notices = list(library.notices)
            if library.lexicons_changed():
                notices.append(STALE_LEXICONS)
            return self.LibraryOpened(library.count(), notices, saved, library.articles("date"))

        self.post_message(gate.call(opened))

    def _add_seeds(self, library: Library) -> None:
        """First run: index the bundled articles, the list filling in as they are added."""
        from warta.index.library import bundled_seeds

        total = len(bundled_seeds())
        self.post_message(self.SeedProgress(0, total, []))

        def progress(done: int) -> None:
            # Same thread, same connection: the rows not yet committed are visible here.
            self.post_message(self.SeedProgress(done, total, library.articles("date")))

        library.add_seeds(progress)

    @work(thread=True, exclusive=True, group="list", name="load list", exit_on_error=False)
    def _load_list(self, listing: ListState, select: str | None) -> None:
        from warta.index.errors import WartaError

        snippets: dict[str, str] = {}
        worker = get_current_worker()

        def fetch(library: Library) -> tuple[list[Any], int, set[str], set[str]] | None:
            if worker.is_cancelled:
                # Typing on while an earlier search held the library: this query is already
                # stale, so the newest one starts as soon as the lock is free.
                return None
            read = library.read_ids()
            marked = set(library.bookmarks())
            if listing.mode == "search":
                results = library.search(listing.query, SEARCH_LIMIT)
                snippets.update({h.id: h.snippet for h in results.hits})
                return list(results.hits), results.total, read, marked
            if listing.mode == "bookmarks":
                order = library.bookmarks()
                known = {a.id: a for a in library.articles("date")}
                items = [known[i] for i in order if i in known]
                return items, len(items), read, marked
            if listing.mode == "entity":
                items = library.articles_naming(listing.query)
                return items, len(items), read, marked
            items = library.articles(listing.order)
            return items, len(items), read, marked

        try:
            fetched = self.warta.gate.call(fetch)
        except WartaError as exc:
            self.post_message(self.SearchFailed(listing.query, str(exc)))
            return
        if fetched is None or worker.is_cancelled:
            return
        items, total, read, marked = fetched
        if listing.mode == "search" and listing.order == "date":
            items.sort(key=lambda h: h.published or "", reverse=True)
        self.post_message(
            self.ListLoaded(listing, _entries(items), total, read, marked, select, snippets)
        )

    @work(thread=True, exclusive=True, group="open", name="open article", exit_on_error=False)
    def _open(self, article_id: str, scroll_y: float, event_id: str | None) -> None:
        from warta.index.errors import WartaError

        gate = self.warta.gate
        try:
            article = gate.call(lambda library: library.article(article_id))
        except WartaError as exc:
            self.post_message(self.ArticleMissing(article_id, str(exc)))
            return
        # Spans are stored with the article, so text and highlights go up together and the
        # body is drawn once; the side panel is asked for once the article is on screen.
        # Unless the lexicons changed since the index was built: the core then finds the
        # spans again with the entity pipeline (a second to load it, tens of ms an article),
        # so the text goes first and its highlights follow.
        if gate.call(lambda library: library.lexicons_changed()):
            self.post_message(self.ArticleLoaded(article, [], scroll_y, event_id))
            spans = gate.call(lambda library: library.spans(article.id))
            if not get_current_worker().is_cancelled:
                self.post_message(self.SpansLoaded(article.id, spans))
            return
        spans = gate.call(lambda library: library.spans(article.id))
        self.post_message(self.ArticleLoaded(article, spans, scroll_y, event_id))

    @work(thread=True, exclusive=True, group="side", name="load side panel", exit_on_error=False)
    def _load_side(self, article_id: str, event_id: str | None) -> None:
        gate = self.warta.gate

        def fetch(library: Library) -> tuple[Any, ...]:
            events = library.events(article_id)
            entities = library.entities(article_id)
            related = library.related(article_id)
            known = {e.event_id: e for e in events}
            wanted = {eid for e in events for eid, _ in e.related} - known.keys()
            if wanted:
                everything = gate.cache.get("events")
                if everything is None:
                    everything = {e.event_id: e for e in library.events()}
                    gate.cache["events"] = everything
                known.update({eid: everything[eid] for eid in wanted if eid in everything})
            return events, entities, related, known

        events, entities, related, known = gate.call(fetch)
        self.post_message(self.SideLoaded(article_id, events, entities, related, known, event_id))

    @work(thread=True, exclusive=True, group="links", name="entity articles", exit_on_error=False)
    def _entity_articles(self, entity_id: str) -> None:
        articles = self.warta.gate.call(lambda library: library.articles_naming(entity_id))
        self.post_message(self.EntityArticles(entity_id, articles))

    @work(thread=True, exclusive=True, group="card", name="entity card", exit_on_error=False)
    def _card(self, article_id: str, index: int, span: EntitySpan) -> None:
        from warta.index.errors import NotFound

        try:
            info = self.warta.gate.call(lambda library: library.entity(span.entity_id))
        except NotFound:
            info = None
        self.post_message(self.CardLoaded(article_id, index, span, info))

    # -- handlers -----------------------------------------------------------------------------
    def on_reader_screen_library_opened(self, message: LibraryOpened) -> None:
        self.ready = True
        self.summaries = message.summaries
        self.titles = {s.id: s.title for s in message.summaries}
        for notice in message.notices:
            # Notices quote paths and file contents: never read as markup.
            self.notify(notice, title="Library", timeout=6, markup=False)
        saved = message.saved
        if saved is not None and saved.listing.mode in ("all", "search", "bookmarks", "entity"):
            self.listing = saved.listing
            if saved.listing.mode != "search":
                self.before_search = saved.listing
            else:
                with self.prevent(Input.Changed):
                    self.query_one("#search", Input).value = saved.listing.query
        self._load_list(self.listing, saved.selected if saved else None)
        if saved is not None and saved.article_id:
            self.history.visit(None, saved)
            self._request(saved.article_id, saved.scroll_y)

    def on_reader_screen_rebuild_progress(self, message: RebuildProgress) -> None:
        if not self.ready:
            # Short enough for the status line at 80 columns.
            self._status(f"Rebuilding the index: {message.done:,}/{message.total:,}")

    def on_reader_screen_seed_progress(self, message: SeedProgress) -> None:
        if self.ready:
            return
        if message.done == 0:
            self._status(f"First run: indexing {message.total} bundled articles…")
            return
        self._status(f"First run: indexed {message.done} of {message.total} bundled articles…")
        article_list = self.article_list
        self.listed = True
        article_list.loading = False
        article_list.show(_entries(message.summaries), set(), set())

    def on_reader_screen_list_loaded(self, message: ListLoaded) -> None:
        listing = message.listing
        if listing.mode == "search":
            current = self.query_one("#search", Input).value.strip()
            if listing.query != current:
                return  # an answer to a query the user has already changed
        self.listing = listing
        self.read, self.marked, self.total = message.read, message.marked, message.total
        article_list = self.article_list
        if not self.listed or article_list.loading or self.focused is None:
            self.listed = True
            article_list.loading = False
            if self.focused is None:
                article_list.focus()
            self.refresh_bindings()
        empty = {
            "search": f"Nothing matches “{listing.query}”.",
            "bookmarks": "No bookmarks yet: press b on an article.",
            "entity": "No articles name this entity.",
        }.get(listing.mode, "No articles yet: add some with `warta add PATH`.")
        article_list.show(
            message.entries,
            message.read,
            message.marked,
            message.select or self.article_id,
            empty=empty,
        )
        self._hits_query = listing.query if listing.mode == "search" else ""
        self._snippets = message.snippets
        self._update_status()
        self._draw_now = True  # results as soon as they are laid out (see `on_idle`)
        if self._open_when_listed is not None:
            if listing.mode == "search" and listing.query == self._open_when_listed:
                self._open_highlighted()
            self._open_when_listed = None
        if not self._frozen_once and len(message.entries) >= FREEZE_ROWS:
            # The first long list is out of the collector's sight at once (start-up has made
            # little garbage yet). The idle tidy takes care of the rest.
            self._frozen_once = True
            gc.freeze()
        # A full collection, if one is due, once the list's frame is out.
        self.set_timer(LIST_DRAWN_SECONDS, heap.collect_if_due)
        self._tidy_when_idle()
        if len(self.history):
            self.history.update(self.here())

    def _tidy_when_idle(self) -> None:
        """A full collection of everything once nothing has happened for a while (see
        `warta.tui.heap`): it takes 100-200 ms with 6,000 articles listed."""
        if self._tidy_timer is not None:
            self._tidy_timer.stop()
        self._tidy_timer = self.set_timer(IDLE_TIDY_SECONDS, self._tidy_heap)

    def _tidy_heap(self) -> None:
        self._tidy_timer = None
        heap.tidy()

    def _update_status(self) -> None:
        listing = self.listing
        shown = len(self.article_list.entries)
        if listing.mode == "search":
            more = f"{shown} of {self.total}" if self.total > shown else f"{self.total}"
            text = f"{more} found · by {listing.order}"
        elif listing.mode == "bookmarks":
            text = f"{shown} bookmarked"
        elif listing.mode == "entity":
            text = f"{shown} naming {listing.label or listing.query}"
        else:
            unread = sum(1 for e in self.article_list.entries if e.id not in self.read)
            text = f"{shown} articles · {unread} unread · by {listing.order}"
        self._status(text)

    def on_reader_screen_search_failed(self, message: SearchFailed) -> None:
        if message.query == self.query_one("#search", Input).value.strip():
            self._status(message.reason)
            self.article_list.loading = False

    def on_reader_screen_article_loaded(self, message: ArticleLoaded) -> None:
        article = message.article
        if article.id != self._wanted:
            return
        self.article_id = article.id
        hits: list[tuple[int, int]] = []
        if self._hits_query:
            from ..render import find_hits, query_terms

            terms = query_terms(self._hits_query, self._snippets.get(article.id, ""))
            hits = find_hits(article.text, terms)
        # The rest waits for the article to be drawn, so that frame holds the article alone:
        # the list's highlight and read mark redraw rows and re-lay out the status line, the
        # side panel re-lays out its lists (and its worker would contend for the GIL with the
        # drawing), and the saved position is a write.
        self._opened += 1
        done = partial(self._after_paint, self._opened, article.id, message.event_id)
        self.view.show(article, message.spans, hits, message.scroll_y, on_drawn=done)
        self._draw_now = True
        # The text is drawn only where it shows: folded away (80 columns, panel shown), it
        # never is, so a timer stands in.
        self.set_timer(AFTER_PAINT_LATEST, done)

    def on_idle(self) -> None:
        """Draw an article (or a list) that was just put on screen now rather than at the
        screen's next update tick.

        Textual's update timer, resumed after a pause, skips a tick: the frame came 20-30 ms
        after the article was handed to the view, with nothing else to do meanwhile (most of
        an open's time). This runs before `Screen._on_idle` resumes that timer.
        """
        if not self._draw_now:
            return
        dirty = (
            self._layout_required
            or self._scroll_required
            or self._repaint_required
            or self._dirty_widgets
        )
        if dirty and self.is_current and not self.app._batch_count:
            self._draw_now = False
            self._on_timer_update()

    def _after_paint(self, opened: int, article_id: str, event_id: str | None) -> None:
        if opened != self._opened or opened == self._after_painted:
            return  # done already, or another article was asked for meanwhile
        self._after_painted = opened
        if article_id != self.article_id:
            return
        self.article_list.select_id(article_id)
        if article_id not in self.read:
            self._set_read(article_id, True)
        self._save_position()
        self._load_side(article_id, event_id)
        heap.collect_if_due()  # the frame is out; the side panel's worker starts meanwhile

    def on_reader_screen_spans_loaded(self, message: SpansLoaded) -> None:
        view = self.view
        if view.article is not None and view.article.id == message.article_id:
            view.set_spans(message.spans)

    def on_reader_screen_article_missing(self, message: ArticleMissing) -> None:
        if message.article_id == self._wanted:
            self._wanted = None
            self.article_id = None
            self.view.clear()
            self.side.clear()

    def on_reader_screen_side_loaded(self, message: SideLoaded) -> None:
        if message.article_id != self.article_id:
            return
        self.side.show_article(
            message.article_id,
            message.events,
            message.entities,
            message.related,
            message.known,
            self.titles,
            message.event_id,
        )
        self._tidy_when_idle()

    def on_reader_screen_entity_articles(self, message: EntityArticles) -> None:
        self.side.show_entity_articles(message.entity_id, message.articles)

    def on_reader_screen_card_loaded(self, message: CardLoaded) -> None:
        view = self.view
        if view.article is None or view.article.id != message.article_id:
            return
        if view.current != message.index:
            return
        view.show_card(card_text(message.info, message.span))

    @on(ArticleList.Opened)
    def _on_list_opened(self, message: ArticleList.Opened) -> None:
        self.open_article(message.article_id)

    @on(SidePanel.Jump)
    def _on_jump(self, message: SidePanel.Jump) -> None:
        self.open_article(message.article_id, event_id=message.event_id)

    @on(SidePanel.EntityChosen)
    def _on_entity_chosen(self, message: SidePanel.EntityChosen) -> None:
        self._entity_articles(message.entity_id)

    @on(ArticleView.HighlightMoved)
    def _on_highlight(self, message: ArticleView.HighlightMoved) -> None:
        if message.span is None:
            self.view.show_card(None)
            return
        self._card(message.article_id, message.index, message.span)

    @on(Input.Changed, "#search")
    def _on_search_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        if not self.ready:
            return
        if not query:
            self._restore_list()
            return
        if self.listing.mode != "search":
            self.before_search = self.listing
        order = self.listing.order if self.listing.mode == "search" else "relevance"
        self._load_list(ListState(mode="search", query=query, order=order), None)

    @on(Input.Submitted, "#search")
    def _on_search_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the highlighted result (the top one unless the user
        moved), now or, while the results are still coming, as soon as they are listed."""
        self.article_list.focus()
        query = event.value.strip()
        if not query or not self.ready:
            return
        if self.listing.mode == "search" and self.listing.query == query:
            self._open_when_listed = None
            self._open_highlighted()
        else:
            self._open_when_listed = query

    def _open_highlighted(self) -> None:
        article_id = self.article_list.highlighted_id
        if article_id is not None:
            self.open_article(article_id)

    def _restore_list(self) -> None:
        self._open_when_listed = None
        self._hits_query = ""
        self._load_list(self.before_search, self.article_list.highlighted_id or self.article_id)

    # -- opening and history --------------------------------------------------------------
    def open_article(self, article_id: str, *, event_id: str | None = None) -> None:
        """Open an article as a new step in the history."""
        here = self.here() if self.article_id else None
        new = Location(article_id, 0.0, self.listing, article_id)
        self.history.visit(here, new)
        self._request(article_id, 0.0, event_id)

    def _request(self, article_id: str, scroll_y: float, event_id: str | None = None) -> None:
        self._wanted = article_id
        self._open(article_id, scroll_y, event_id)

    def _go(self, location: Location) -> None:
        if location.listing != self.listing:
            search = self.query_one("#search", Input)
            with self.prevent(Input.Changed):
                search.value = location.listing.query if location.listing.mode == "search" else ""
            if location.listing.mode != "search":
                self.before_search = location.listing
            self._load_list(location.listing, location.selected)
        else:
            self.article_list.select_id(location.selected)
        if location.article_id:
            self._request(location.article_id, location.scroll_y)

    def _save_position(self) -> None:
        if not self.ready:
            return
        data = self.here().to_json()
        if data != self._saved:
            self._saved = data
            self.warta.gate.write(lambda library: library.put_state(POSITION_KEY, data))

    def _set_read(self, article_id: str, read: bool) -> None:
        if read:
            self.read.add(article_id)
        else:
            self.read.discard(article_id)
        self.article_list.update_marks(self.read, self.marked, [article_id])
        self.warta.gate.write(lambda library: library.set_read(article_id, read))
        self._update_status()

    # -- actions ------------------------------------------------------------------------------
    def _target(self) -> str | None:
        """The article an action means: the highlighted row when the list has focus."""
        if self.focused is self.article_list:
            return self.article_list.highlighted_id
        return self.article_id or self.article_list.highlighted_id

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_escape(self) -> None:
        search = self.query_one("#search", Input)
        if self.view.clear_current():
            return
        if search.value:
            with self.prevent(Input.Changed):
                search.value = ""
            self._restore_list()
            self.article_list.focus()
        elif self.listing.mode in ("bookmarks", "entity"):
            self.before_search = ListState(
                order=self.listing.order if self.listing.order in ORDERS["all"] else "date"
            )
            self._load_list(self.before_search, self.article_id)
        elif search.has_focus:
            self.article_list.focus()

    def action_back(self) -> None:
        location = self.history.back(self.here() if self.article_id else None)
        if location is None:
            self.notify("Nothing further back.", timeout=2)
            return
        self._go(location)

    def action_forward(self) -> None:
        location = self.history.forward(self.here() if self.article_id else None)
        if location is None:
            self.notify("Nothing further forward.", timeout=2)
            return
        self._go(location)

    def action_next_highlight(self) -> None:
        self.view.move(+1)

    def action_previous_highlight(self) -> None:
        self.view.move(-1)

    def action_bookmark(self) -> None:
        article_id = self._target()
        if article_id is None:
            return
        on = article_id not in self.marked
        if on:
            self.marked.add(article_id)
        else:
            self.marked.discard(article_id)
        self.article_list.update_marks(self.read, self.marked, [article_id])
        self.warta.gate.write(lambda library: library.set_bookmark(article_id, on))
        title = self.titles.get(article_id, "article")
        self.notify(
            f"{'Bookmarked' if on else 'Bookmark removed'}: {title[:60]}", timeout=2, markup=False
        )

    def action_toggle_read(self) -> None:
        article_id = self._target()
        if article_id is not None:
            self._set_read(article_id, article_id not in self.read)

    def action_toggle_panel(self) -> None:
        self.toggle_class("-side-toggled")
        side_shown = self.side.display and self.side.region.width > 0
        if not side_shown and self.side.has_focus_within:
            self.view.scroll.focus()

    def action_timeline(self) -> None:
        from .timeline import TimelineScreen

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                article_id, event_id = choice
                # The event is selected in the side panel, its other reports listed under it.
                self.open_article(article_id, event_id=event_id)

        self.app.push_screen(TimelineScreen(), chosen)

    def action_sort(self) -> None:
        mode = "search" if self.listing.mode == "search" else "all"
        if self.listing.mode not in ("all", "search"):
            return
        orders = ORDERS[mode]
        order = (
            orders[(orders.index(self.listing.order) + 1) % len(orders)]
            if self.listing.order in orders
            else orders[0]
        )
        listing = replace(self.listing, order=order)
        if mode == "all":
            self.before_search = listing
        self._load_list(listing, self.article_list.highlighted_id)

    def action_bookmarks(self) -> None:
        self.show_listing(ListState(mode="bookmarks"))

    def show_listing(self, listing: ListState) -> None:
        """Replace the list (bookmarks, articles naming an entity, or all articles)."""
        search = self.query_one("#search", Input)
        with self.prevent(Input.Changed):
            search.value = ""
        self._hits_query = ""
        self._load_list(listing, self.article_id)
        self.article_list.focus()

    def _panes(self) -> list[Widget]:
        panes: list[Widget] = []
        for widget in (self.article_list, self.view.scroll, self.side):
            if widget.display and widget.region.width > 0:
                panes.append(widget)
        return panes

    def _cycle(self, step: int) -> None:
        panes = self._panes()
        if not panes:
            return
        current = next(
            (n for n, pane in enumerate(panes) if pane.has_focus or pane.has_focus_within), -1
        )
        target = panes[(current + step) % len(panes)]
        if isinstance(target, SidePanel):
            if not target.built:
                return
            tabs = target.query_one("#side-tabs")
            active = tabs.active_pane  # type: ignore[attr-defined]
            lists = list(active.query("NavList")) if active is not None else []
            (lists[0] if lists else tabs).focus()
        else:
            target.focus()

    def action_next_pane(self) -> None:
        self._cycle(+1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_highlight", "previous_highlight"):
            views = self.query(ArticleView)
            return (bool(views) and views.first().stops > 0) or None
        if action == "forward":
            return self.history.can_forward or None
        return True
