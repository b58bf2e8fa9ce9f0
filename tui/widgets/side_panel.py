"""Provides `SidePanel`: an article's events and entities, and the articles linked to them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .nav import NavList

if TYPE_CHECKING:
    from warta.index.models import ArticleSummary, EntitySummary, Event, RelatedArticle


def _safe(text: str) -> str:
    from warta.index.textsafe import terminal_safe

    return terminal_safe(text).replace("\n", " ")


def event_line(event: Event) -> Content:
    """Date and kind, then who, then where."""
    date = event.date or event.date_text or "date unknown"
    who = " \u2013 ".join(p.name for p in event.participants) or "participants unknown"
    first = Content.assemble((_safe(date), "$text-muted"), "  ", (_safe(event.kind), "bold"))
    lines = [first, Content(_safe(who))]
    if event.place:
        lines.append(Content.assemble(("at ", "$text-muted"), _safe(event.place)))
    return Content("\n").join(lines)


def _heading(text: str) -> Option:
    return Option(Content.assemble((text, "$text-muted italic")), disabled=True)


def _article(prefix: str, article_id: str, title: str, note: str = "") -> Option:
    prompt = Content.assemble("↪ ", _safe(title) or article_id)
    if note:
        prompt = Content.assemble(prompt, "\n  ", (note, "$text-muted"))
    return Option(prompt, id=f"{prefix}{article_id}")


class SidePanel(Vertical):
    """Events and Entities tabs; the lower list of each tab holds jumpable articles."""

    class Jump(Message):
        """Go to another article (and, when set, show this event there)."""

        def __init__(self, article_id: str, event_id: str | None = None) -> None:
            super().__init__()
            self.article_id = article_id
            self.event_id = event_id

    class EntityChosen(Message):
        """The user moved onto an entity: its articles are wanted."""

        def __init__(self, entity_id: str) -> None:
            super().__init__()
            self.entity_id = entity_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article_id: str | None = None
        self.events: list[Event] = []
        self.entities: list[EntitySummary] = []
        self.related: list[RelatedArticle] = []
        self.known_events: dict[str, Event] = {}
        self.titles: Mapping[str, str] = {}
        self._entity_for_links: str | None = None
        self.built = False
        self._pending: tuple[tuple[Any, ...], str | None] | None = None

    def compose(self) -> ComposeResult:
        return iter(())

    def build_later(self) -> None:
        """Build the tabs: the screen asks once its first frame is out (they cost a third of
        the reader's start-up)."""
        if not self.built:
            self.call_later(self._build)

    async def _build(self) -> None:
        if self.built:
            return
        # Imported here: the tabs' modules are a tenth of the reader's own imports.
        from textual.widgets import TabbedContent, TabPane

        tabs = TabbedContent(id="side-tabs", initial="tab-events")
        # What `with TabbedContent():` does in a compose method.
        tabs.compose_add_child(
            TabPane(
                "Events",
                NavList(id="event-list"),
                Static("", id="event-note", markup=False),
                NavList(id="event-links"),
                id="tab-events",
            )
        )
        tabs.compose_add_child(
            TabPane(
                "Entities",
                NavList(id="entity-list"),
                NavList(id="entity-links"),
                id="tab-entities",
            )
        )
        await self.mount(tabs)
        self.built = True
        if self._pending is not None:
            args, focus_event = self._pending
            self._pending = None
            self.show_article(*args, focus_event=focus_event)

    def show_article(
        self,
        article_id: str,
        events: Sequence[Event],
        entities: Sequence[EntitySummary],
        related: Sequence[RelatedArticle],
        known_events: Mapping[str, Event],
        titles: Mapping[str, str],
        focus_event: str | None = None,
    ) -> None:
        """Fill both tabs for one article."""
        if not self.built:
            self._pending = (
                (article_id, events, entities, related, known_events, titles),
                focus_event,
            )
            return
        self.article_id = article_id
        self.events = list(events)
        self.entities = list(entities)
        self.related = list(related)
        self.known_events = dict(known_events)
        self.titles = titles
        event_list = self.query_one("#event-list", NavList)
        if self.events:
            event_list.set_options(Option(event_line(e), id=e.event_id) for e in self.events)
            index = 0
            for number, event in enumerate(self.events):
                if event.event_id == focus_event:
                    index = number
            event_list.highlighted = index
        else:
            event_list.set_options([_heading("No events found in this article.")])
        self._show_event_links(self.events[event_list.highlighted or 0] if self.events else None)
        entity_list = self.query_one("#entity-list", NavList)
        if self.entities:
            entity_list.set_options(
                Option(
                    Content.assemble(
                        _safe(e.name),
                        "  ",
                        (f"{e.mentions}\u00d7", "$text-muted"),
                        "\n",
                        (e.kind, "$text-muted"),
                    ),
                    id=e.entity_id,
                )
                for e in self.entities
            )
        else:
            entity_list.set_options([_heading("No entities found in this article.")])
        self.query_one("#entity-links", NavList).clear_options()
        self._entity_for_links = None
        if focus_event is not None:
            self.query_one("#side-tabs").active = "tab-events"  # type: ignore[attr-defined]

    def clear(self) -> None:
        self.article_id = None
        self._pending = None
        if not self.built:
            return
        for list_id in ("#event-list", "#event-links", "#entity-list", "#entity-links"):
            self.query_one(list_id, NavList).clear_options()
        self.query_one("#event-note", Static).update("")

    def _show_event_links(self, event: Event | None) -> None:
        links = self.query_one("#event-links", NavList)
        note = self.query_one("#event-note", Static)
        options: list[Option] = []
        if event is not None:
            sentence = next(
                (m.sentence for m in event.mentions if m.article_id == self.article_id), ""
            )
            note.update(Content.assemble(("“" + _safe(sentence)[:160] + "”", "italic")))
            note.display = bool(sentence)
            others = []
            for mention in event.mentions:
                if mention.article_id != self.article_id and mention.article_id not in others:
                    others.append(mention.article_id)
            if others:
                options.append(_heading("Also reported by"))
                options.extend(_article("a:", a, self.titles.get(a, a)) for a in others)
            related = [(eid, rel) for eid, rel in event.related if eid != event.event_id]
            if related:
                options.append(_heading("Related events"))
                for event_id, relation in related:
                    other = self.known_events.get(event_id)
                    target = self._target(other)
                    if other is None or target is None:
                        continue
                    prompt = Content.assemble(
                        "↪ ", event_line(other), "\n", (relation.replace("_", " "), "$text-muted")
                    )
                    options.append(Option(prompt, id=f"e:{event_id}:{target}"))
        else:
            note.display = False
        others_related = [r for r in self.related if r.relation != "same_event"]
        if others_related:
            options.append(_heading("Related articles"))
            options.extend(
                _article(f"r{n}:", r.article_id, r.title, r.relation.replace("_", " "))
                for n, r in enumerate(others_related)
            )
        links.set_options(options)

    def _target(self, event: Event | None) -> str | None:
        """The article to open for an event: one that is not the current article."""
        if event is None:
            return None
        for mention in event.mentions:
            if mention.article_id != self.article_id:
                return mention.article_id
        return event.mentions[0].article_id if event.mentions else None

    def show_entity_articles(self, entity_id: str, articles: Sequence[ArticleSummary]) -> None:
        if entity_id != self._entity_for_links or not self.built:
            return
        links = self.query_one("#entity-links", NavList)
        others = [a for a in articles if a.id != self.article_id]
        options = [_heading(f"Named in {len(articles)} article{'s' * (len(articles) != 1)}")]
        options.extend(
            _article(
                "a:",
                a.id,
                a.title,
                " · ".join(x for x in (a.source, (a.published or "")[:10]) if x),
            )
            for a in others
        )
        links.set_options(options)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        list_id = event.option_list.id
        if list_id == "event-list":
            index = event.option_index
            if 0 <= index < len(self.events):
                self._show_event_links(self.events[index])
        elif list_id == "entity-list" and event.option.id is not None:
            self._entity_for_links = event.option.id
            self.query_one("#entity-links", NavList).set_options([_heading("Looking…")])
            self.post_message(self.EntityChosen(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id is None:
            return
        if event.option_list.id in ("event-links", "entity-links"):
            prefix, _, rest = option_id.partition(":")
            if prefix == "e":
                event_id, _, article_id = rest.partition(":")
                self.post_message(self.Jump(article_id, event_id))
            else:
                self.post_message(self.Jump(rest))
        elif event.option_list.id == "event-list":
            self.query_one("#event-links", NavList).focus()
        elif event.option_list.id == "entity-list":
            self.query_one("#entity-links", NavList).focus()
