"""Provides the reader's speed figures: first paint against a bare Textual app, and the time
to open an article and to show search results on a large index.

Usage: python scripts/bench_reader.py [DATA_DIR]   (DATA_DIR: an index to open; default a
temporary one with the seeds). First paint is measured from process start to the first
frame carrying the app's text, in a pseudo-terminal, both apps side by side.
"""

from __future__ import annotations

import asyncio
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time

BARE = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Static('BARE-READY')\n"
    "Bare().run()\n"
)


def first_paint(argv: list[str], marker: bytes, env: dict[str, str]) -> float:
    """Seconds from spawn until `marker` appears on the terminal."""
    main, child = pty.openpty()
    os.set_blocking(main, False)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=env, close_fds=True)
    os.close(child)
    seen = b""
    try:
        while time.perf_counter() - start < 20:
            ready, _, _ = select.select([main], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(main, 65536)
                except OSError:
                    break
                if marker in seen:
                    return time.perf_counter() - start
        raise RuntimeError(f"{marker!r} never appeared")
    finally:
        proc.kill()
        proc.wait()
        os.close(main)


def paint_figures(data_dir: str, runs: int = 7) -> None:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
        "WARTA_DATA_DIR": data_dir,
        "WARTA_FORCE_TUI": "1",
    }
    warta = os.path.join(os.path.dirname(sys.executable), "warta")
    bare, reader = [], []
    for _ in range(runs):  # alternate, so both see the same machine load
        bare.append(first_paint([sys.executable, "-c", BARE], b"BARE-READY", env))
        reader.append(first_paint([warta], b"Warta", env))
    b, r = statistics.median(bare), statistics.median(reader)
    print(
        f"first paint: bare Textual {b * 1000:.0f} ms, warta {r * 1000:.0f} ms "
        f"(median of {runs}); ratio {r / b:.2f}"
    )


async def in_app_figures(data_dir: str) -> None:
    from warta.tui.app import create_app
    from warta.tui.screens.reader import ReaderScreen

    app = create_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen_stack[0]
        assert isinstance(screen, ReaderScreen)

        async def until(predicate, limit: float = 30.0) -> float:
            start = time.perf_counter()
            while not predicate():
                await asyncio.sleep(0.001)
                if time.perf_counter() - start > limit:
                    raise RuntimeError("timed out")
            await pilot.pause()
            return time.perf_counter() - start

        await until(lambda: screen.ready and not screen.article_list.loading)
        entries = screen.article_list.entries
        print(f"list: {len(entries)} articles")
        opens = []
        for entry in entries[:: max(1, len(entries) // 20)][:20]:
            start = time.perf_counter()
            screen.open_article(entry.id)
            await until(
                lambda e=entry: screen.view.article is not None and screen.view.article.id == e.id
            )
            opens.append(time.perf_counter() - start)
        print(
            f"open article: median {statistics.median(opens) * 1000:.1f} ms, "
            f"max {max(opens) * 1000:.1f} ms over {len(opens)}"
        )
        searches = []
        for query in ("jokowi", "menteri pertahanan", "banjir jakarta", "prabowo", "shoigu"):
            screen.article_list.focus()
            await pilot.press("slash", *query)
            start = time.perf_counter()  # from the last keystroke
            await until(
                lambda q=query: screen.listing.mode == "search" and screen.listing.query == q
            )
            searches.append(time.perf_counter() - start)
            await pilot.press("escape")
            await until(lambda: screen.listing.mode == "all")
        print(
            f"search results on screen after the last key: median "
            f"{statistics.median(searches) * 1000:.0f} ms, max {max(searches) * 1000:.0f} ms"
        )
    app.gate.close()


def main() -> None:
    data_dir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
    if len(sys.argv) == 1:
        from warta.index import Library

        Library(data_dir).close()  # seeds indexed: measure an existing index
    paint_figures(data_dir)
    asyncio.run(in_app_figures(data_dir))


if __name__ == "__main__":
    main()
