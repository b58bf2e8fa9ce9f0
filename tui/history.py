"""Provides the reader's back/forward history: where the reader was, exactly."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class ListState:
    """What the article list shows: every article, search results, bookmarks, or the
    articles naming one entity (`query` holds the entity id, `label` its name)."""

    mode: str = "all"  # all | search | bookmarks | entity
    query: str = ""
    order: str = "date"  # date | title | added for lists; relevance | date for searches
    label: str = ""


@dataclass(frozen=True)
class Location:
    """One place in the reader: the article, how far down it, and the list beside it."""

    article_id: str | None
    scroll_y: float = 0.0
    listing: ListState = field(default_factory=ListState)
    selected: str | None = None  # the article highlighted in the list

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str | None) -> Location | None:
        """A location saved by `to_json`; None for anything unreadable."""
        if not data:
            return None
        try:
            raw = json.loads(data)
            listing = ListState(**raw.get("listing", {}))
            return cls(
                article_id=raw.get("article_id"),
                scroll_y=float(raw.get("scroll_y", 0.0)),
                listing=listing,
                selected=raw.get("selected"),
            )
        except (ValueError, TypeError, AttributeError):
            return None


class History:
    """Back and forward through visited locations, like a browser.

    Each move takes `here`, the reader's location at that moment, so that going back to
    it later restores the scroll position and list it had when the reader left.
    """

    def __init__(self, limit: int = 200) -> None:
        self._entries: list[Location] = []
        self._index = -1
        self._limit = limit

    @property
    def current(self) -> Location | None:
        return self._entries[self._index] if self._entries else None

    @property
    def can_back(self) -> bool:
        return self._index > 0

    @property
    def can_forward(self) -> bool:
        return 0 <= self._index < len(self._entries) - 1

    def _remember(self, here: Location | None) -> None:
        if here is not None and self._entries:
            self._entries[self._index] = here

    def visit(self, here: Location | None, new: Location) -> None:
        """Go to `new`; everything forward of here is dropped."""
        self._remember(here)
        del self._entries[self._index + 1 :]
        self._entries.append(new)
        if len(self._entries) > self._limit:
            del self._entries[0]
        self._index = len(self._entries) - 1

    def update(self, here: Location) -> None:
        """Record a change to the current location (a scroll, a new list)."""
        if self._entries:
            self._entries[self._index] = here
        else:
            self.visit(None, here)

    def back(self, here: Location | None) -> Location | None:
        if not self.can_back:
            return None
        self._remember(here)
        self._index -= 1
        return self._entries[self._index]

    def forward(self, here: Location | None) -> Location | None:
        if not self.can_forward:
            return None
        self._remember(here)
        self._index += 1
        return self._entries[self._index]

    def __len__(self) -> int:
        return len(self._entries)
