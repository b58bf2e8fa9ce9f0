"""Provides the reader's garbage-collection policy: full collections between actions, not in them.

Python's full collection walks every object the collector tracks. In the reader it ran every
half second or so while articles were opened or searched (Textual's strips are cyclic: every
frame leaves some), took 40-350 ms on the 6,000-article list, on whatever thread allocated, and
so landed inside an article's or a result list's frame at random. Here the automatic full
collections are switched off (the young generations still collect as usual, a few ms each),
and the reader asks for one at moments when nothing is waiting to be drawn: right after a
frame, and when it has been idle. After each, what survived is frozen, so the next one walks
only what was made since; the idle tidy unfreezes first, so nothing frozen is kept for good.
"""

from __future__ import annotations

import gc

FULL_DUE = 20
"""Young-generation collections (~7,000 net allocations each) after which a full one is due."""

NEVER = 1_000_000
DEFAULT_FULL = 10


def defer_full_collections() -> None:
    """Keep the young generations' thresholds; no automatic full collection."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)


def restore_full_collections() -> None:
    """Automatic full collections back as Python has them (tests run many readers)."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, DEFAULT_FULL)


def collect_if_due() -> bool:
    """A full collection of what is not frozen, if enough has happened since the last one."""
    if gc.get_count()[2] < FULL_DUE:
        return False
    gc.collect()
    gc.freeze()
    return True


def tidy() -> None:
    """A full collection of everything, frozen objects included; for idle moments."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
