"""Pilot tests that drive the reader built by `create_app`, as users run it."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Input
from warta.tui.app import create_app
from warta.tui.screens.reader import ReaderScreen
from warta.tui.widgets.article_list import ArticleList
from warta.tui.widgets.article_view import BODY, ArticleView
from warta.tui.widgets.nav import NavList

from .reader_support import make_library, screen_text, settle


def shown(widget: object) -> str:
    """The plain text a Static was given."""
    return str(widget.content)  # type: ignore[attr-defined]


def reader(app: object) -> ReaderScreen:
    screen = app.screen_stack[0]  # type: ignore[attr-defined]
    assert isinstance(screen, ReaderScreen)
    return screen


async def open_by_id(pilot, article_id: str) -> None:
    screen = reader(pilot.app)
    screen.article_list.focus()
    screen.article_list.select_id(article_id)
    await pilot.press("enter")
    await settle(pilot)
    assert screen.article_id == article_id


async def test_first_run_fills_the_list_from_the_bundled_seeds(tmp_path: Path) -> None:
    app = create_app(tmp_path / "fresh")
    progress: list[ReaderScreen.SeedProgress] = []

    def hook(message: object) -> None:
        if isinstance(message, ReaderScreen.SeedProgress):
            progress.append(message)

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot)
        screen = reader(app)
        assert len(screen.article_list.entries) >= 1
        # Progress is shown while the seeds are indexed, the list filling in as they come.
        assert progress[0].done == 0
        assert progress[-1].done == progress[-1].total == len(screen.article_list.entries)
        assert [len(p.summaries) for p in progress[1:]] == [p.done for p in progress[1:]]
        assert "articles" in screen_text(pilot)
        assert screen.focused is screen.article_list
    app.gate.close()


async def test_an_index_rebuilt_on_open_shows_its_progress(tmp_path: Path) -> None:
    import shutil

    data_dir = tmp_path / "data"
    make_library(data_dir).close()
    shutil.rmtree(data_dir / "index")  # the core must rebuild it from the stored sources
    app = create_app(data_dir)
    progress: list[ReaderScreen.RebuildProgress] = []

    def hook(message: object) -> None:
        if isinstance(message, ReaderScreen.RebuildProgress):
            progress.append(message)

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot, timeout=60)
        screen = reader(app)
        total = len(screen.article_list.entries)
        assert total == 5
        assert [p.total for p in progress] == [total] * len(progress)
        assert progress[0].done == 1 and progress[-1].done == total
        assert "articles" in screen_text(pilot)
    app.gate.close()


def test_plain_warta_skips_the_parser_with_the_same_arguments() -> None:
    from warta.tui.cli import build_parser

    # `main([])` builds this namespace itself, so the parser must agree with it.
    assert vars(build_parser().parse_args([])) == {"command": None, "data_dir": None}


async def test_open_with_keys_marks_read(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        second = screen.article_list.entries[1]
        await pilot.press("j", "enter")
        await settle(pilot)
        assert screen.article_id == second.id
        assert second.title in screen.view.header_text.plain
        assert second.id in screen.read
        await pilot.press("u")
        await settle(pilot)
        assert second.id not in screen.read
        assert second.id not in app.gate.library.read_ids()
        await pilot.press("G")
        assert screen.article_list.highlighted == len(screen.article_list.entries) - 1
        await pilot.press("g")
        assert screen.article_list.highlighted == 0


async def test_search_as_you_type_replaces_the_list_and_escape_restores_it(
    tmp_path: Path,
) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        assert len(screen.article_list.entries) == 5
        await pilot.press("slash", *"shoigu")
        await settle(pilot)
        assert isinstance(screen.focused, Input)
        assert [e.id for e in screen.article_list.entries] == ["t-shoigu"]
        assert "found" in screen_text(pilot)
        await pilot.press("enter")  # opens the top hit
        await settle(pilot)
        assert screen.article_id == "t-shoigu"
        assert screen.focused is screen.article_list
        view = screen.query_one(ArticleView)
        assert "search hit" in view.legend_text.plain
        await pilot.press("escape")
        await settle(pilot)
        assert len(screen.article_list.entries) == 5
        assert screen.query_one("#search", Input).value == ""


async def test_one_enter_in_the_search_box_opens_the_top_result(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        # Enter right after the last key, before the search worker has answered.
        await pilot.press("slash", *"gerasimov", "enter")
        await settle(pilot)
        hits = [e.id for e in screen.article_list.entries]
        assert len(hits) >= 2
        assert screen.article_id == hits[0]
        assert screen.view.article is not None and screen.view.article.id == hits[0]
        # Back in the box with the second result highlighted: Enter opens that one.
        screen.article_list.highlighted = 1
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert screen.article_id == hits[1]
        # A query with no result opens nothing.
        await pilot.press("slash", *"zzzz", "enter")
        await settle(pilot)
        assert screen.article_id == hits[1]


async def test_stale_search_results_are_not_applied(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("slash", *"gerasimov")
        await pilot.press(*("backspace" for _ in "gerasimov"), *"shoigu")
        await settle(pilot)
        assert [e.id for e in screen.article_list.entries] == ["t-shoigu"]


async def test_highlights_move_and_show_the_entity_card(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_by_id(pilot, "t-shoigu")
        await pilot.press("n")
        await settle(pilot)
        text = shown(reader(app).view.query_one("#card"))
        assert "Sergei Shoigu" in text
        assert "Menteri Pertahanan, Rusia" in text
        assert "2012-11-06 \u2013 2024-05-12" in text
        await pilot.press("escape")
        assert not reader(app).view.has_class("-card")


async def test_with_changed_lexicons_the_text_comes_first_and_its_highlights_after(
    tmp_path: Path,
) -> None:
    library = make_library(tmp_path)
    library.lexicons_changed = lambda: True  # type: ignore[method-assign]
    loaded: list[object] = []

    def hook(message: object) -> None:
        if isinstance(message, ReaderScreen.ArticleLoaded | ReaderScreen.SpansLoaded):
            loaded.append(message)

    app = create_app(library=library)
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot)
        await open_by_id(pilot, "t-shoigu")
        # Each message is seen twice by the hook: at the screen and bubbled up to the app.
        first, then = list(dict.fromkeys(loaded))
        assert isinstance(first, ReaderScreen.ArticleLoaded) and first.spans == []
        assert isinstance(then, ReaderScreen.SpansLoaded) and then.spans
        view = reader(app).view
        assert "official" in view.legend_text.plain
        await pilot.press("n")
        await settle(pilot)
        assert "Sergei Shoigu" in shown(view.query_one("#card"))


async def test_jump_through_an_event_to_a_related_article_and_back(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await open_by_id(pilot, "t-call-2021")
        screen.view.scroll.focus()
        await pilot.press("j", "j", "j", "j")
        await pilot.pause()
        scrolled = screen.view.scroll.scroll_y
        assert scrolled > 0
        links = screen.query_one("#event-links", NavList)
        links.focus()
        ids = [o.id for o in links.options]
        assert "a:t-call-2021-b" in ids
        related = next(i for i in ids if i and i.startswith("e:ev-2022:"))
        links.highlighted = ids.index(related)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.article_id == "t-call-2022"
        assert "Gerasimov dan Milley kembali" in screen.view.header_text.plain
        await pilot.press("left_square_bracket")
        await settle(pilot)
        await pilot.pause()
        assert screen.article_id == "t-call-2021"
        assert screen.view.scroll.scroll_y == scrolled
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.article_id == "t-call-2022"
        # Another report of the same event, then Backspace goes back.
        await open_by_id(pilot, "t-call-2021")
        links.focus()
        links.highlighted = [o.id for o in links.options].index("a:t-call-2021-b")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.article_id == "t-call-2021-b"
        screen.article_list.focus()
        await pilot.press("backspace")
        await settle(pilot)
        assert screen.article_id == "t-call-2021"


async def test_entities_tab_lists_every_article_naming_the_entity(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await open_by_id(pilot, "t-call-2022")
        screen.query_one("#side-tabs").active = "tab-entities"
        entities = screen.query_one("#entity-list", NavList)
        entities.focus()
        entities.highlighted = [o.id for o in entities.options].index("ru.gerasimov")
        await settle(pilot)
        links = screen.query_one("#entity-links", NavList)
        ids = {o.id for o in links.options}
        assert {"a:t-call-2021", "a:t-call-2021-b"} <= ids
        assert "a:t-shoigu" not in ids
        links.focus()
        links.highlighted = [o.id for o in links.options].index("a:t-call-2021-b")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.article_id == "t-call-2021-b"


async def test_bookmarks_read_marks_and_position_survive_a_restart(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await open_by_id(pilot, "t-call-2021")
        await pilot.press("b")
        screen.view.scroll.focus()
        await pilot.press("j", "j", "j")
        await pilot.pause()
        scrolled = screen.view.scroll.scroll_y
        await pilot.press("q")
    app.gate.library.close()

    again = create_app(library=make_library(tmp_path))
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause()
        screen = reader(again)
        assert screen.article_id == "t-call-2021"
        assert screen.view.scroll.scroll_y == scrolled
        assert "t-call-2021" in screen.marked
        assert "t-call-2021" in screen.read
        assert "★" in screen_text(pilot)
        await pilot.press("B")
        await settle(pilot)
        assert [e.id for e in screen.article_list.entries] == ["t-call-2021"]


async def test_position_is_saved_without_quitting(tmp_path: Path) -> None:
    """A kill loses nothing: the position is written while reading, not only at quit."""
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_by_id(pilot, "t-shoigu")
        await settle(pilot)
        saved = app.gate.library.get_state("reader.position")
        assert saved is not None and "t-shoigu" in saved


async def test_markup_and_escapes_in_articles_show_literally(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        assert "Teks aneh [b]tebal[/b] di judul" in screen_text(pilot)
        await open_by_id(pilot, "t-markup")
        body = screen.view.body_text.plain
        assert "[bold red]x[/]" in body
        assert "[link=https://example.test]tautan[/link]" in body
        assert "\x1b" not in body
        assert "[31m" not in body
        assert "merah" in body
        # The span after the stripped escape still lands on its words.
        await pilot.press("n")
        await settle(pilot)
        view = screen.view
        stop = view._body.stops[view.current]
        assert view.body_text.plain[stop.start : stop.end] == "Jenderal Budi Contoh"
        assert "not in the lexicon" in shown(view.query_one("#card"))


async def test_narrow_terminal_folds_the_side_panel_behind_a_key(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await open_by_id(pilot, "t-call-2021")
        assert screen.side.region.width == 0
        assert screen.article_list.region.width > 0
        await pilot.press("p")
        await pilot.pause()
        assert screen.side.region.width > 0
        assert screen.view.region.width > 0
        await pilot.press("p")
        await pilot.pause()
        assert screen.side.region.width == 0
    wide = create_app(library=make_library(tmp_path))
    async with wide.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(wide)
        assert screen.side.region.width > 0
        assert screen.article_list.region.width > 0
        assert screen.view.region.width > 0


async def test_tab_moves_between_panes(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await open_by_id(pilot, "t-call-2021")
        assert screen.focused is screen.article_list
        await pilot.press("tab")
        assert screen.focused is screen.view.scroll
        await pilot.press("tab")
        assert screen.side.has_focus_within
        await pilot.press("tab")
        assert screen.focused is screen.article_list


async def test_help_is_generated_from_the_bindings_and_keys_remap(
    tmp_path: Path, monkeypatch
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keys.yaml").write_text("reader.bookmark: x\nno.such.binding: y\n")
    monkeypatch.setenv("WARTA_CONFIG_DIR", str(config))
    app = create_app(library=make_library(tmp_path / "data"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await open_by_id(pilot, "t-shoigu")
        await pilot.press("x")
        await settle(pilot)
        assert "t-shoigu" in screen.marked
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(pilot)
        assert "reader.bookmark" in text
        assert "Bookmark" in text
        assert "nav.down" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert any("no.such.binding" in str(n.message) for n in app._notifications)


async def test_timeline_filters_by_participant_and_jumps(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        screen.query_one("#side-tabs").active = "tab-entities"  # the jump must switch back
        await pilot.press("t")
        await settle(pilot)
        timeline = app.screen
        listing = timeline.query_one("#timeline-list", NavList)
        assert listing.option_count == 3
        await pilot.press("slash", *"shoigu")
        await pilot.pause()
        assert listing.option_count == 1
        listing.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.article_id == "t-shoigu"
        events = screen.query_one("#event-list", NavList)
        assert events.highlighted_id == "ev-shoigu"
        assert screen.query_one("#side-tabs").active == "tab-events"


async def test_command_palette_runs_actions(tmp_path: Path) -> None:
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("ctrl+p", *"show bookmarks")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.listing.mode == "bookmarks"
        assert isinstance(screen.query_one("#list"), ArticleList)


async def test_long_article_rows_follow_highlights_and_resizes(tmp_path: Path) -> None:
    """The body is drawn row by row: n scrolls to the highlight's row, a resize re-wraps and
    keeps the same words at the top."""
    import json

    words = " ".join(f"kata{n}" for n in range(40))
    paragraphs = [f"Paragraf {n}: {words}." for n in range(60)]
    paragraphs[45] += " Sergei Shoigu menelepon."
    record = {
        "id": "t-long",
        "source": "example.test",
        "date": "2022-10-22",
        "title": "Artikel panjang",
        "text": "\n\n".join(paragraphs),
    }
    (tmp_path / "long.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    library = make_library(tmp_path / "data")
    library.add([tmp_path / "long.jsonl"])
    app = create_app(library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await open_by_id(pilot, "t-long")
        scroll = screen.view.scroll
        rows_narrow = scroll.row_count
        assert rows_narrow > 200
        await pilot.press("n")
        await settle(pilot)
        stop = screen.view._body.stops[screen.view.current]
        assert screen.view.body_text.plain[stop.start : stop.end] == "Sergei Shoigu"
        row = scroll.row_of(BODY, stop.start)
        height = scroll.scrollable_content_region.height
        assert row > height  # far below the first screen...
        assert scroll.scroll_y <= row < scroll.scroll_y + height  # ...and scrolled into view
        top = scroll._lines[int(scroll.scroll_y)]
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert scroll.row_count != rows_narrow  # re-wrapped to the new width
        # The same words are at the top after the re-wrap.
        assert scroll.row_of(top.block, top.start) == int(scroll.scroll_y)


async def test_the_whole_list_comes_back_with_its_rows_and_current_marks(
    tmp_path: Path, monkeypatch
) -> None:
    """Clearing a search brings back the kept rows (no rebuild), with marks changed meanwhile."""
    from warta.tui.widgets import article_list

    monkeypatch.setattr(article_list, "KEEP_ROWS", 2)  # kept: the 5 rows, not 1 hit
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = reader(app)
        await open_by_id(pilot, "t-shoigu")  # read now
        rows = screen.article_list
        kept = rows.get_option("t-shoigu")
        assert not str(kept.prompt).startswith(article_list.UNREAD)
        await pilot.press("slash", *"shoigu", "enter")
        await settle(pilot)
        assert [e.id for e in rows.entries] == ["t-shoigu"]
        await pilot.press("u")  # unread again, in the search results
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert len(rows.entries) == 5
        assert rows.get_option("t-shoigu") is kept
        assert str(kept.prompt).startswith(article_list.UNREAD)


async def test_changed_lexicons_are_told_on_opening(tmp_path: Path) -> None:
    from warta.tui.screens.reader import STALE_LEXICONS

    library = make_library(tmp_path)
    app = create_app(library=library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not any(n.message == STALE_LEXICONS for n in app._notifications)
    lexicons = Path(os.environ["WARTA_CONFIG_DIR"]) / "lexicons"
    lexicons.mkdir(parents=True, exist_ok=True)
    (lexicons / "mine.yaml").write_text(
        "officials:\n"
        "  - id: ratna-kusumo\n"
        "    name: Ratna Kusumo\n"
        "    country: ID\n"
        "    roles:\n"
        "      - {role: menteri, of: ID, from: 2024-10-21}\n",
        encoding="utf-8",
    )
    app = create_app(library=make_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any(n.message == STALE_LEXICONS for n in app._notifications)
