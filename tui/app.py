"""Provides the Warta reader app, `create_app` (its one factory) and `run_reader`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from .gate import LibraryGate

if TYPE_CHECKING:
    from warta.index import Library


def _provider(name: str) -> type:
    from . import commands

    return getattr(commands, name)  # type: ignore[no-any-return]


class WartaApp(App[int]):
    """The reader. All core calls go through `gate`, from thread workers."""

    CSS_PATH = "app.tcss"
    TITLE = "Warta"
    ENABLE_COMMAND_PALETTE = True
    # Factories, so the palette's modules load when the palette opens, not before first paint.
    COMMANDS: ClassVar = App.COMMANDS | {
        lambda: _provider("ArticleCommands"),
        lambda: _provider("EntityCommands"),
        lambda: _provider("EventCommands"),
        lambda: _provider("ActionCommands"),
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
    ]

    class KeymapLoaded(Message):
        def __init__(self, keymap: dict[str, str], problems: list[str]) -> None:
            super().__init__()
            self.keymap = keymap
            self.problems = problems

    def __init__(self, gate: LibraryGate) -> None:
        super().__init__()
        self.gate = gate

    def get_default_screen(self) -> Screen[None]:
        from .screens.reader import ReaderScreen

        return ReaderScreen()

    def on_mount(self) -> None:
        self.run_worker(
            self._write_loop,
            thread=True,
            name="writer",
            group="writer",
            exclusive=True,
            exit_on_error=False,
        )

    def on_ready(self) -> None:
        # Textual sends Ready once the first frame is out: only now does the rest start.
        from .screens.reader import ReaderScreen

        reader = self.screen_stack[0] if self.screen_stack else None
        if isinstance(reader, ReaderScreen):
            reader.after_first_frame()
        self._load_keymap()

    @work(thread=True, exclusive=True, group="keymap", name="read key file", exit_on_error=False)
    def _load_keymap(self) -> None:
        from warta.index.paths import config_dir

        from .keys import load_keymap

        keymap, problems = load_keymap(config_dir(), known_binding_ids())
        self.post_message(self.KeymapLoaded(keymap, problems))

    def on_warta_app_keymap_loaded(self, message: KeymapLoaded) -> None:
        if message.keymap:
            self.set_keymap(message.keymap)
        for problem in message.problems:
            self.notify(problem, title="Key file", severity="warning", timeout=8, markup=False)

    def _write_loop(self) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        self.gate.drain(lambda: worker.is_cancelled)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # One place turns a failed worker into a message the user can read.
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                f"{event.worker.name}: {error}",
                title="Something went wrong",
                severity="error",
                timeout=8,
                markup=False,
            )

    async def action_quit(self) -> None:
        from .screens.reader import ReaderScreen

        if isinstance(self.screen_stack[0], ReaderScreen):
            self.screen_stack[0]._save_position()
        await self.flush_writes()
        self.exit(0)

    async def flush_writes(self) -> None:
        """Wait until every queued write has reached the user store."""
        import asyncio
        import contextlib

        done = asyncio.Event()
        loop = asyncio.get_running_loop()
        self.gate.write(lambda _library: loop.call_soon_threadsafe(done.set))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(done.wait(), timeout=5)

    def action_help(self) -> None:
        from .screens.help import HelpScreen, binding_sections
        from .screens.reader import ReaderScreen

        if isinstance(self.screen, HelpScreen):
            return
        reader = self.screen_stack[0]
        groups = [("Anywhere", self)]
        if isinstance(reader, ReaderScreen):
            groups.append(("Reading", reader))
            groups.append(("Lists", reader.article_list))
            groups.append(("Article text", reader.view.scroll))
        self.push_screen(HelpScreen(binding_sections(groups)))

    def on_unmount(self) -> None:
        self.gate.writes.put(None)


def known_binding_ids() -> set[str]:
    """Every binding id a key file may remap."""
    from .screens.help import HelpScreen
    from .screens.reader import ReaderScreen
    from .screens.timeline import TimelineScreen
    from .widgets.article_view import ArticleScroll
    from .widgets.nav import NavList

    ids: set[str] = set()
    for owner in (WartaApp, ReaderScreen, NavList, ArticleScroll, HelpScreen, TimelineScreen):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def create_app(
    data_dir: str | os.PathLike[str] | None = None, *, library: Library | None = None
) -> WartaApp:
    """The reader as users run it; tests pass a `library` to drive it with their own data.

    The key file is read by a worker after the first frame: finding the config directory
    imports the core, which costs more than painting the screen.
    """
    return WartaApp(LibraryGate(data_dir, library))


def run_reader(data_dir: str | os.PathLike[str] | None = None) -> int:
    """Run the reader until the user quits; the exit status for the command line."""
    app = create_app(data_dir)
    try:
        result = app.run()
    finally:
        app.gate.close()
    return result if isinstance(result, int) else 0
