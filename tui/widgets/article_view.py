"""Provides `ArticleView`: one article as plain text with its highlights, a legend and a card."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.selection import Selection
    from warta.index.models import Article, EntityInfo, EntitySpan

    from ..render import Body, BodyStyles

HEADER, LEGEND, BODY = 0, 1, 2


@dataclass(frozen=True)
class _Line:
    """One row of the document: a slice of a block's text, or a blank row (block -1)."""

    block: int
    start: int = 0
    end: int = 0


class ArticleScroll(ScrollView, can_focus=True):
    """The article as rows: header, legend and body wrapped to the width, drawn only where
    they show (Textual's Line API).

    An article of 18,000 characters is ~300 rows; laying all of them out and drawing them in
    one Static took Textual 100 ms and more. Here wrapping is a pass over the plain text
    (offsets only, ~1 ms) and a row becomes styled segments when it is first drawn.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="nav.down"),
        Binding("k", "scroll_up", "Up", show=False, id="nav.up"),
        Binding("g", "scroll_home", "Top", show=False, id="nav.first"),
        Binding("G", "scroll_end", "Bottom", show=False, id="nav.last"),
        Binding("space", "page_down", "Page down", show=False, id="nav.page_down"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: list[Text] = []
        self._lines: list[_Line] = []
        self._starts: dict[int, tuple[int, list[int]]] = {}  # block -> first row, line starts
        self._wrapped_width = 0
        self._strips: dict[int, Strip] = {}
        self._mark: tuple[int, int, int, Style] | None = None  # block, start, end, style
        self._pending_y: float | None = None
        self._on_drawn: list[Callable[[], object]] = []

    # -- content ----------------------------------------------------------------------------
    def set_blocks(
        self,
        blocks: Sequence[Text],
        scroll_y: float = 0.0,
        on_drawn: Callable[[], object] | None = None,
    ) -> None:
        """Show new text blocks (one blank row above each), scrolled to row `scroll_y`;
        `on_drawn` is called once the frame holding them has gone to the terminal."""
        self._on_drawn = [on_drawn] if on_drawn is not None else []
        self._blocks = list(blocks)
        self._mark = None
        self._wrapped_width = 0
        self._pending_y = scroll_y
        self._rewrap()

    def restyle(self, blocks: Sequence[Text]) -> None:
        """The same text with new styles (a theme change): no re-wrapping, rows redrawn."""
        self._blocks = list(blocks)
        self._strips.clear()
        self.refresh()

    def block_text(self, block: int) -> Text:
        return self._blocks[block] if 0 <= block < len(self._blocks) else Text()

    def set_mark(self, block: int, start: int, end: int, style: Style) -> None:
        """Style `start:end` of a block on top of its own styles (the current highlight)."""
        self._forget_rows_of(self._mark)
        self._mark = (block, start, end, style)
        self._forget_rows_of(self._mark)

    def clear_mark(self) -> None:
        self._forget_rows_of(self._mark)
        self._mark = None

    def _forget_rows_of(self, mark: tuple[int, int, int, Style] | None) -> None:
        if mark is None or not self._lines:
            return
        first = self.row_of(mark[0], mark[1])
        last = self.row_of(mark[0], max(mark[1], mark[2] - 1))
        for row in range(first, last + 1):
            self._strips.pop(row, None)
        self.refresh_lines(first, last - first + 1)

    def row_of(self, block: int, offset: int) -> int:
        """The row that shows character `offset` of a block."""
        first, starts = self._starts.get(block, (0, [0]))
        return first + max(0, bisect_right(starts, offset) - 1)

    @property
    def row_count(self) -> int:
        return len(self._lines)

    # -- wrapping -----------------------------------------------------------------------------
    def _text_width(self) -> int:
        return self.scrollable_content_region.width

    def _rewrap(self) -> None:
        # Imported when first needed: the first frame has no article to draw.
        from ..render import wrap_offsets

        width = self._text_width()
        if width <= 0:
            self._lines = []
            self.virtual_size = Size(0, 0)
            return  # wrapped on the first resize that gives a width
        anchor: tuple[int, int] | None = None
        if self._pending_y is None and self._lines:
            top = self._lines[min(int(self.scroll_y), len(self._lines) - 1)]
            anchor = (top.block, top.start)
        lines: list[_Line] = []
        self._starts = {}
        for number, block in enumerate(self._blocks):
            if not block.plain and number != BODY:
                continue
            lines.append(_Line(-1))
            offsets = wrap_offsets(block.plain, width)
            self._starts[number] = (len(lines), [start for start, _ in offsets])
            lines.extend(_Line(number, start, end) for start, end in offsets)
        lines.append(_Line(-1))
        self._lines = lines
        self._wrapped_width = width
        self._strips.clear()
        self.virtual_size = Size(width, len(lines))
        if self._pending_y is not None:
            target, self._pending_y = self._pending_y, None
            # Forced: right after a resize the scrollbars are not yet updated, and an unforced
            # scroll would be refused as if there were nothing to scroll.
            self.scroll_to(y=target, animate=False, force=True)
        elif anchor is not None and anchor[0] >= 0:
            # A new width moves every row: keep the same words at the top.
            self.scroll_to(y=self.row_of(*anchor), animate=False, force=True)
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        if self._blocks and self._text_width() != self._wrapped_width:
            self._rewrap()

    # -- drawing ------------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        if self._on_drawn:
            # Rows are drawn inside the compositor's update, which hands the frame to the
            # driver before it returns: a callback queued now runs after that frame.
            # (`call_after_refresh` may run before it, when the screen is idle before the
            # new text has marked anything dirty.)
            for callback in self._on_drawn:
                self.call_later(callback)
            self._on_drawn = []
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if row >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(row)
        if strip is None:
            strip = self._render_row(row, width, base)
            if self.text_selection is None:
                self._strips[row] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, row)

    def _render_row(self, row: int, width: int, base: Style) -> Strip:
        line = self._lines[row]
        if line.block < 0:
            return Strip.blank(width, base)
        piece = self._blocks[line.block][line.start : line.end]
        mark = self._mark
        if mark is not None and mark[0] == line.block:
            start, end = max(mark[1], line.start), min(mark[2], line.end)
            if start < end:
                piece.stylize(mark[3], start - line.start, end - line.start)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(row)) is not None:
            start, end = span
            end = len(piece) if end == -1 else end
            piece.stylize(self.screen.get_component_rich_style("screen--selection"), start, end)
        strip = Strip(list(piece.render(self.app.console)), piece.cell_len)
        return strip.extend_cell_length(width).apply_style(base)

    # -- selection ----------------------------------------------------------------------------
    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        rows = []
        for line in self._lines:
            block = self._blocks[line.block].plain if line.block >= 0 else ""
            rows.append(block[line.start : line.end])
        return selection.extract("\n".join(rows)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._strips.clear()
        self.refresh()


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
        yield ArticleScroll(id="scroll")
        yield Static(id="card", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._restyle, init=False)

    def _styles(self) -> BodyStyles:
        from ..render import BodyStyles

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

    @property
    def header_text(self) -> Text:
        return self.scroll.block_text(HEADER)

    @property
    def legend_text(self) -> Text:
        return self.scroll.block_text(LEGEND)

    @property
    def body_text(self) -> Text:
        return self.scroll.block_text(BODY)

    def show(
        self,
        article: Article,
        spans: Sequence[EntitySpan] = (),
        hits: Sequence[tuple[int, int]] = (),
        scroll_y: float = 0.0,
        on_drawn: Callable[[], object] | None = None,
    ) -> None:
        """Show `article` with its highlights, scrolled to `scroll_y`; `on_drawn` is called
        after the frame that shows it (see `ArticleScroll.set_blocks`)."""
        self.article = article
        self._spans = list(spans)
        self._hits = hits
        self.current = None
        self.set_class(True, "-has-article")
        self.hide_card()
        self.scroll.set_blocks(self._blocks(), scroll_y, on_drawn)

    def set_spans(self, spans: Sequence[EntitySpan]) -> None:
        """The shown article's highlights, when they come after its text (the scroll row is
        kept)."""
        if self.article is None:
            return
        self._spans = list(spans)
        self.current = None
        self.hide_card()
        scroll = self.scroll
        scroll.set_blocks(self._blocks(), scroll.scroll_y)

    def _blocks(self) -> list[Text]:
        from ..render import article_body, header, legend

        assert self.article is not None
        styles = self._styles()
        self._body = article_body(self.article, self._spans, styles, self._hits)
        kinds = {s.kind for s in self._spans}
        unlisted = any(s.kind == "official" and not s.listed for s in self._spans)
        key = legend(styles, kinds, unlisted, bool(self._hits))
        head = header(
            self.article,
            {
                "title": self.get_component_rich_style("article-view--title"),
                "meta": self.get_component_rich_style("article-view--meta"),
            },
        )
        return [head, key, self._body.text]

    def _restyle(self) -> None:
        if self.article is None:
            return
        self.scroll.restyle(self._blocks())
        if self.current is not None:
            self._mark_current()

    def clear(self) -> None:
        self.article = None
        self._body = None
        self.current = None
        self.set_class(False, "-has-article")
        self.hide_card()

    def _mark_current(self) -> int:
        """Mark the current stop in the text; the row it is on."""
        assert self._body is not None and self.current is not None
        stop = self._body.stops[self.current]
        scroll = self.scroll
        scroll.set_mark(BODY, stop.start, stop.end, self._styles().current)
        return scroll.row_of(BODY, stop.start)

    def move(self, step: int) -> bool:
        """Move the current highlight by `step`; False when there is none to move to."""
        if self._body is None or self.article is None or not self._body.stops:
            return False
        count = len(self._body.stops)
        if self.current is None:
            self.current = 0 if step > 0 else count - 1
        else:
            self.current = (self.current + step) % count
        row = self._mark_current()
        scroll = self.scroll
        # Centred, so the words around the highlight show too.
        target = max(0, row - scroll.scrollable_content_region.height // 2)
        scroll.scroll_to(y=target, animate=False, immediate=True)
        stop = self._body.stops[self.current]
        self.post_message(self.HighlightMoved(self.article.id, stop.span, self.current))
        return True

    def clear_current(self) -> bool:
        """Forget the current highlight; False if there was none."""
        if self.current is None and not self.has_class("-card"):
            return False
        self.current = None
        self.hide_card()
        self.scroll.clear_mark()
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
