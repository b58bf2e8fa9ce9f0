"""Tests the reader's garbage-collection policy (`warta.tui.heap`)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from warta.tui import heap


@pytest.fixture
def collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def _cycle() -> None:
    a: list[object] = []
    a.append(a)


def test_full_collections_are_deferred_and_restored(collector: None) -> None:
    heap.defer_full_collections()
    young, middle, full = gc.get_threshold()
    assert full == heap.NEVER
    assert (young, middle) != (0, 0)
    heap.restore_full_collections()
    assert gc.get_threshold()[2] == heap.DEFAULT_FULL


def test_collect_if_due_waits_for_enough_young_collections(collector: None) -> None:
    heap.defer_full_collections()
    gc.collect()  # counts start from zero
    assert heap.collect_if_due() is False
    for _ in range(heap.FULL_DUE):
        gc.collect(1)
    frozen = gc.get_freeze_count()
    assert heap.collect_if_due() is True
    assert gc.get_count()[2] == 0
    assert gc.get_freeze_count() >= frozen  # what survived is out of the next one's sight


def test_tidy_collects_garbage_that_was_frozen(collector: None) -> None:
    gc.collect()
    _cycle()
    gc.freeze()  # the cycle is frozen: ordinary collections no longer see it
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        heap.tidy()
        assert any(isinstance(o, list) and o and o[0] is o for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
