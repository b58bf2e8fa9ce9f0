"""Snapshot tests of the reader at 80x24 and 120x40 (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

from warta.tui.app import create_app

from .reader_support import make_library, settle


def _opened(article_id: str, *keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        screen = pilot.app.screen_stack[0]
        screen.article_list.select_id(article_id)
        await pilot.press("enter")
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


def test_reader_80x24(snap_compare, tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_opened("t-call-2021"))


def test_reader_80x24_side_panel(snap_compare, tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_opened("t-call-2021", "p"))


def test_reader_120x40_with_card(snap_compare, tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_opened("t-shoigu", "n"))
