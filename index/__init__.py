"""Provides the headless core of Warta: readers, cleaning, NLP, events and the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import LockBusy, NotFound, QueryError, WartaError

if TYPE_CHECKING:
    from .library import Library

__all__ = ["Library", "LockBusy", "NotFound", "QueryError", "WartaError"]


def __getattr__(name: str) -> Any:
    # Library pulls in whoosh, SQLite and the cleaner: import it when first asked for, so the
    # reader can paint its first screen before the core has loaded.
    if name == "Library":
        from .library import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
