"""Provides `TimelineScreen`: every event in the corpus by date, filtered by who and kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..widgets.nav import NavList
from ..widgets.side_panel import event_line

if TYPE_CHECKING:
    from warta.index.models import Event

ALL_KINDS = "all"


def matches(event: Event, who: str, kind: str) -> bool:
    """Does `event` have a participant whose name contains `who`, and the kind `kind`?"""
    if kind != ALL_KINDS and event.kind != kind:
        return False
    if not who:
        return True
    needle = who.casefold()
    return any(needle in p.name.casefold() or needle in p.entity_id for p in event.participants)


class TimelineScreen(Screen[tuple[str, str] | None]):
    """Dismisses with the article to open and the event chosen there, or None."""

    CSS_PATH = "../timeline.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to reading", id="timeline.close"),
        Binding("slash", "filter", "Filter", id="timeline.filter"),
    ]

    class Loaded(Message):
        def __init__(self, events: list[Event]) -> None:
            super().__init__()
            self.events = events

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline"):
            with Horizontal(id="timeline-filters"):
                yield Input(placeholder="participant…", id="who")
                yield Select([("all kinds", ALL_KINDS)], id="kind", allow_blank=False)
            yield Static("Loading events…", id="timeline-status", markup=False)
            yield NavList(id="timeline-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#who", Input).cursor_blink = False
        self.query_one("#timeline-list", NavList).focus()
        self._load()

    @work(thread=True, exclusive=True, group="timeline", name="load events", exit_on_error=False)
    def _load(self) -> None:
        gate = self.app.gate  # type: ignore[attr-defined]
        events = gate.call(lambda library: library.events())
        self.post_message(self.Loaded(events))

    def on_timeline_screen_loaded(self, message: Loaded) -> None:
        self.events = sorted(message.events, key=lambda e: e.date or "9999")
        kinds = sorted({e.kind for e in self.events})
        select = self.query_one("#kind", Select)
        select.set_options([("all kinds", ALL_KINDS), *((k, k) for k in kinds)])
        select.value = ALL_KINDS
        self._refilter()

    @on(Input.Changed, "#who")
    @on(Select.Changed, "#kind")
    def _refilter(self) -> None:
        who = self.query_one("#who", Input).value.strip()
        kind = self.query_one("#kind", Select).value
        kind = kind if isinstance(kind, str) else ALL_KINDS
        shown = [e for e in self.events if matches(e, who, kind)]
        listing = self.query_one("#timeline-list", NavList)
        listing.set_options(
            Option(
                Content.assemble(
                    event_line(e), "\n", (f"{len(e.mentions)} report(s)", "$text-muted")
                ),
                id=e.event_id,
            )
            for e in shown
        )
        if shown:
            listing.highlighted = 0
        status = self.query_one("#timeline-status", Static)
        if not self.events:
            status.update("No events yet: they appear as articles are analysed.")
        else:
            status.update(f"{len(shown)} of {len(self.events)} events")

    @on(Input.Submitted, "#who")
    def _to_list(self) -> None:
        self.query_one("#timeline-list", NavList).focus()

    @on(OptionList.OptionSelected, "#timeline-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = next((e for e in self.events if e.event_id == event.option.id), None)
        if chosen is not None and chosen.mentions:
            self.dismiss((chosen.mentions[0].article_id, chosen.event_id))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_filter(self) -> None:
        self.query_one("#who", Input).focus()
