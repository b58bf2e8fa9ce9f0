"""Provides `ArticleList`: the articles or search results, with unread and bookmark marks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from .nav import NavList

UNREAD = "●"
KEEP_ROWS = 1000
BOOKMARK = "★"


@dataclass(frozen=True)
class Entry:
    """One row of the list, from an article summary or a search hit."""

    id: str
    title: str
    source: str | None
    published: str | None


def _safe(text: str) -> str:
    from warta.index.textsafe import terminal_safe

    return terminal_safe(text).replace("\n", " ")


class ArticleList(NavList):
    """Two lines an article: marks and title, then outlet and date."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--unread",
        "article-list--bookmark",
        "article-list--meta",
    }

    class Opened(Message):
        """The user chose an article (Enter or a click)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = []
        self.read: set[str] = set()
        self.marked: set[str] = set()
        self._by_id: dict[str, Entry] = {}
        self._kept: tuple[tuple[str, ...], list[Option], frozenset[str], frozenset[str]] | None
        self._kept = None
        self._showing_kept = False

    def _prompt(self, entry: Entry) -> Content:
        unread = entry.id not in self.read
        marks = Content.assemble(
            (UNREAD if unread else " ", "$text-accent" if unread else ""),
            (BOOKMARK if entry.id in self.marked else " ", "$text-warning"),
            " ",
        )
        title = Content(_safe(entry.title) or "(untitled)")
        if unread:
            title = title.stylize("bold")
        meta_parts = [entry.source or "", (entry.published or "")[:10]]
        meta = " · ".join(_safe(p) for p in meta_parts if p) or "—"
        # The trailing newline leaves a blank line between rows: calmer to scan.
        return Content.assemble(marks, title, "\n   ", (meta, "$text-muted"), "\n")

    def show(
        self,
        entries: Sequence[Entry],
        read: set[str],
        marked: set[str],
        select: str | None = None,
        empty: str = "No articles.",
    ) -> None:
        """Replace the rows; keep `select` highlighted if it is among them."""
        self.entries = list(entries)
        self.read = set(read)
        self.marked = set(marked)
        self._by_id = {e.id: e for e in self.entries}
        if not self.entries:
            self._showing_kept = False
            self.set_options([Option(Content(empty), disabled=True)])
            return
        self.set_options(self._rows())
        index = 0
        if select is not None and select in self._by_id:
            index = self.get_option_index(select)
        self.highlighted = index
        self.scroll_to_highlight(top=False)

    def _rows(self) -> list[Option]:
        """The rows for `entries`; a long list's rows are kept and reused when it comes back.

        Building 6,000 rows took ~200 ms (~500 ms with the collector walking them), and the
        whole list comes back every time a search is cleared: kept rows are measured already,
        and only those whose marks changed meanwhile get a new prompt.
        """
        key = tuple(e.id for e in self.entries)
        kept = self._kept
        if kept is not None and kept[0] == key:
            _, options, read, marked = kept
            changed = (read ^ self.read) | (marked ^ self.marked)
            for option in options:
                if option.id in changed:
                    option._set_prompt(self._prompt(self._by_id[option.id]))
        else:
            options = [Option(self._prompt(e), id=e.id) for e in self.entries]
        self._showing_kept = len(options) >= KEEP_ROWS
        if self._showing_kept:
            self._kept = (key, options, frozenset(self.read), frozenset(self.marked))
        return options

    def update_marks(self, read: set[str], marked: set[str], ids: Iterable[str]) -> None:
        """New read/bookmark sets; only the rows of `ids` are redrawn."""
        self.read = set(read)
        self.marked = set(marked)
        for article_id in ids:
            entry = self._by_id.get(article_id)
            if entry is None:
                continue
            # A mark never changes a row's height, so only this row's renders are dropped and
            # only its lines redrawn: replace_option_prompt would re-measure every row (~100 ms
            # for 6,000), and clearing the whole render cache redraws every visible row.
            option = self.get_option(article_id)
            option._set_prompt(self._prompt(entry))
            cache = self._option_render_cache
            stale = [key for key in cache.keys() if key[0] is option]  # noqa: SIM118 (no iter)
            for key in stale:
                cache.discard(key)
            index = self.get_option_index(article_id)
            line = self._index_to_line.get(index)
            if line is not None:
                self.refresh_lines(line, self._heights.get(index, 1))
        if self._showing_kept and self._kept is not None:
            # The kept rows' prompts now show these marks.
            self._kept = (*self._kept[:2], frozenset(self.read), frozenset(self.marked))

    def select_id(self, article_id: str | None) -> None:
        if article_id is not None and article_id in self._by_id:
            self.highlighted = self.get_option_index(article_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Opened(event.option.id))
