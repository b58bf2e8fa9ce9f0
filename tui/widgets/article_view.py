"""Provides `ArticleView`: one article as plain text with its highlights, a legend and a card."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Static

from ..render import Body, BodyStyles, article_body, header, legend, line_of, with_current

if TYPE_CHECKING:
    from warta.index.models import Article, EntityInfo, EntitySpan


class ArticleScroll(VerticalScroll):
    """The scrolling part of the view, with vim keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="nav.down"),
        Binding("k", "scroll_up", "Up", show=False, id="nav.up"),
        Binding("g", "scroll_home", "Top", show=False, id="nav.first"),
        Binding("G", "scroll_end", "Bottom", show=False, id="nav.last"),
        Binding("space", "page_down", "Page down", show=False, id="nav.page_down"),
    ]


def card_text(info: EntityInfo | None, span: EntitySpan) -> Text:
    """The entity card: name, kind and country, then each role with its dates."""
    from warta.index.textsafe import terminal_safe as safe

    text = Text()
    name = info.name if info is not None else span.name or span.text
    text.append(safe(name), "bold")
    kind = info.kind if info is not None else span.kind
    details = [kind]
    if info is not None and info.country:
        details.append(info.country)
    listed = span.listed and (info is None or info.listed)
    if not listed:
        details.append("not in the lexicon")
    text.append("  " + safe(" · ".join(details)), "dim")
    if info is not None:
        for role in info.roles:
            line = role.role + (f", {role.of}" if role.of else "")
            dates = f"{role.start or '?'} \u2013 {role.end or 'now'}"
            text.append("\n")
            text.append(safe(line))
            text.append(f"  {dates}", "dim")
        if info.aliases:
            text.append("\n")
            text.append("also: " + safe(", ".join(info.aliases[:6])), "dim")
    elif span.text and span.text != name:
        text.append("\n")
        text.append(f"as written: {safe(span.text)}", "dim")
    return text


class ArticleView(Vertical):
    """Shows one article; `n`/`N` move between highlights and ask for the entity card."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title",
        "article-view--meta",
        "article-view--official",
        "article-view--institution",
        "article-view--place",
        "article-view--person",
        "article-view--unlisted",
        "article-view--hit",
        "article-view--current",
    }

    class HighlightMoved(Message):
        """The current highlight changed; `span` is None for a search hit."""

        def __init__(self, article_id: str, span: EntitySpan | None, index: int) -> None:
            super().__init__()
            self.article_id = article_id
            self.span = span
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self._spans: list[EntitySpan] = []
        self._hits: Sequence[tuple[int, int]] = ()
        self._body: Body | None = None
        self.current: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Choose an article from the list.", id="empty", markup=False)
        with ArticleScroll(id="scroll"):
            yield Static(id="meta", markup=False)
            yield Static(id="legend", markup=False)
            yield Static(id="body", markup=False)
        yield Static(id="card", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._restyle, init=False)

    def _styles(self) -> BodyStyles:
        style = self.get_component_rich_style
        return BodyStyles(
            kinds={
                "official": style("article-view--official"),
                "institution": style("article-view--institution"),
                "place": style("article-view--place"),
                "person": style("article-view--person"),
            },
            unlisted=style("article-view--unlisted"),
            hit=style("article-view--hit"),
            current=style("article-view--current"),
        )

    @property
    def scroll(self) -> ArticleScroll:
        return self.query_one("#scroll", ArticleScroll)

    @property
    def stops(self) -> int:
        return len(self._body.stops) if self._body else 0

    def show(
        self,
        article: Article,
        spans: Sequence[EntitySpan] = (),
        hits: Sequence[tuple[int, int]] = (),
        scroll_y: float = 0.0,
    ) -> None:
        """Show `article` with its highlights, scrolled to `scroll_y`."""
        self.article = article
        self._spans = list(spans)
        self._hits = hits
        self.current = None
        self.set_class(True, "-has-article")
        self.hide_card()
        styles = {
            "title": self.get_component_rich_style("article-view--title"),
            "meta": self.get_component_rich_style("article-view--meta"),
        }
        self.query_one("#meta", Static).update(header(article, styles))
        self._render_body()
        scroll = self.scroll
        scroll.scroll_to(y=0, animate=False, immediate=True)
        if scroll_y:
            # The new text must be laid out before it can be scrolled into.
            self.call_after_refresh(scroll.scroll_to, y=scroll_y, animate=False)

    def _render_body(self) -> None:
        if self.article is None:
            return
        styles = self._styles()
        self._body = article_body(self.article, self._spans, styles, self._hits)
        kinds = {s.kind for s in self._spans}
        unlisted = any(s.kind == "official" and not s.listed for s in self._spans)
        key = legend(styles, kinds, unlisted, bool(self._hits))
        legend_widget = self.query_one("#legend", Static)
        legend_widget.update(key)
        legend_widget.display = bool(key)
        self.query_one("#body", Static).update(with_current(self._body, self.current, styles))

    def _restyle(self) -> None:
        if self.article is not None:
            self._render_body()

    def clear(self) -> None:
        self.article = None
        self._body = None
        self.current = None
        self.set_class(False, "-has-article")
        self.hide_card()

    def move(self, step: int) -> bool:
        """Move the current highlight by `step`; False when there is none to move to."""
        if self._body is None or self.article is None or not self._body.stops:
            return False
        count = len(self._body.stops)
        if self.current is None:
            self.current = 0 if step > 0 else count - 1
        else:
            self.current = (self.current + step) % count
        styles = self._styles()
        text = with_current(self._body, self.current, styles)
        body = self.query_one("#body", Static)
        body.update(text)
        stop = self._body.stops[self.current]
        line = line_of(text, stop.start, body.content_region.width or body.size.width)
        top = body.virtual_region.y
        self.scroll.scroll_to_region(
            Region(0, top + line, 1, 1), animate=False, center=True, immediate=True
        )
        self.post_message(self.HighlightMoved(self.article.id, stop.span, self.current))
        return True

    def clear_current(self) -> bool:
        """Forget the current highlight; False if there was none."""
        if self.current is None and not self.has_class("-card"):
            return False
        self.current = None
        self.hide_card()
        if self._body is not None:
            self.query_one("#body", Static).update(self._body.text)
        return True

    def show_card(self, content: Text | None) -> None:
        card = self.query_one("#card", Static)
        if content is None:
            self.hide_card()
            return
        card.update(content)
        self.set_class(True, "-card")

    def hide_card(self) -> None:
        self.set_class(False, "-card")
