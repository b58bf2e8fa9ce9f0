"""Provides the reader's speed and memory figures for `make bench`, as Markdown table rows.

Usage: python scripts/bench_reader.py [DATA_DIR] [--quick] [--paint-only | --app-only]

DATA_DIR is an index to measure; without it the shared corpus (news.jsonl, 6,270 articles) is
imported into a temporary one (~45 s), or with --quick only the bundled seeds are used.

- First paint: from process start until the first frame carrying the app's text reaches a
  pseudo-terminal (80x24), warta and a bare Textual app alternately, median of 9. Wall time
  on a shared machine swings by 2x; the CPU time each process used until then is printed too.
- Opening an article: from the request until the frame with the article is handed to the
  terminal driver (the side panel fills after that and is timed apart), 50 articles spread
  over the list, back to back.
- Search: from the last keystroke until the frame with the results.
- Memory: peak resident set of the reader process after those 50 articles and 40 searches.

Opening and searching are reported as median, 95th percentile and maximum.

The data directory is opened once before anything is timed. An index the core must rebuild
(made by an older version) is rebuilt on open; left to the reader, that rebuild started in
each warta the first-paint runs kill, never finished, and the in-app run then waited for a
whole rebuild: the "timed out waiting for the library" of earlier runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import pty
import resource
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WARTA_SHARED", REPO.parent / "shared"))
NEWS = SHARED / "corpus" / "news.jsonl"
QUERIES = [
    q.strip()
    for q in (REPO / "scripts" / "bench_queries.txt").read_text(encoding="utf-8").splitlines()
    if q.strip() and not q.startswith("#")
]
OPENS = 50
SEARCHES = 40
PAINT_RUNS = 9

BARE = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Static('BARE-READY')\n"
    "Bare().run()\n"
)


def first_paint(argv: list[str], marker: bytes, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds from spawn until `marker` shows on the terminal, and the CPU seconds the
    process had used by then."""
    main, child = pty.openpty()
    os.set_blocking(main, False)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=env, close_fds=True)
    os.close(child)
    seen = b""
    wall = None
    try:
        while time.perf_counter() - start < 30:
            ready, _, _ = select.select([main], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(main, 65536)
                except OSError:
                    break
                if marker in seen:
                    wall = time.perf_counter() - start
                    break
    finally:
        proc.send_signal(signal.SIGKILL)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = -signal.SIGKILL
        os.close(main)
    if wall is None:
        raise RuntimeError(f"{marker!r} never appeared; the screen showed {seen[-400:]!r}")
    return wall, usage.ru_utime + usage.ru_stime


def paint_figures(data_dir: str, cache: str, runs: int = PAINT_RUNS) -> dict[str, float]:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
        "WARTA_DATA_DIR": data_dir,
        "WARTA_FORCE_TUI": "1",
        # As installed: pip compiles every module, Textual's and warta's alike. An editable
        # checkout under PYTHONDONTWRITEBYTECODE would compile warta's from source at each
        # start (~15 ms) while the bare app loads Textual's compiled, so the bytecode goes to
        # a cache of the bench's own, filled by a first untimed run of each.
        "PYTHONPYCACHEPREFIX": cache,
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    warta = os.path.join(os.path.dirname(sys.executable), "warta")
    first_paint([sys.executable, "-c", BARE], b"BARE-READY", env)
    first_paint([warta], b"Warta", env)
    bare: list[tuple[float, float]] = []
    reader: list[tuple[float, float]] = []
    for _ in range(runs):  # alternate, so both see the same machine load
        bare.append(first_paint([sys.executable, "-c", BARE], b"BARE-READY", env))
        reader.append(first_paint([warta], b"Warta", env))

    def median(values: list[tuple[float, float]], column: int) -> float:
        return statistics.median(v[column] for v in values) * 1000

    return {
        "runs": runs,
        "bare_ms": median(bare, 0),
        "warta_ms": median(reader, 0),
        "bare_cpu_ms": median(bare, 1),
        "warta_cpu_ms": median(reader, 1),
    }


# -- in the reader's own process -------------------------------------------------------------
async def in_app_figures(data_dir: str) -> dict[str, Any]:
    from textual.app import App
    from warta.tui.app import create_app
    from warta.tui.screens.reader import ReaderScreen
    from warta.tui.widgets.article_view import ArticleView

    loop = asyncio.get_running_loop()
    frames: list[asyncio.Future[float]] = []
    display = App._display

    def _display(self: App[Any], screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        if renderable is not None:
            now = time.perf_counter()
            while frames:
                frame = frames.pop()
                if not frame.done():
                    frame.set_result(now)

    App._display = _display  # type: ignore[method-assign]

    def next_frame() -> asyncio.Future[float]:
        frame: asyncio.Future[float] = loop.create_future()
        frames.append(frame)
        return frame

    # The frame after the one an article (or a result list) is put on screen in.
    shown: dict[str, asyncio.Future[float]] = {}
    show_article = ArticleView.show

    def show(self: ArticleView, article: Any, *args: Any, **kwargs: Any) -> None:
        show_article(self, article, *args, **kwargs)
        shown[article.id] = next_frame()

    ArticleView.show = show  # type: ignore[method-assign]
    list_loaded = ReaderScreen.on_reader_screen_list_loaded

    def on_list_loaded(self: ReaderScreen, message: Any) -> None:
        list_loaded(self, message)
        if self.listing.mode == "search":
            shown["search:" + self.listing.query] = next_frame()

    ReaderScreen.on_reader_screen_list_loaded = on_list_loaded  # type: ignore[method-assign]

    app = create_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen_stack[0]
        assert isinstance(screen, ReaderScreen)

        def notices() -> list[str]:
            return [str(n.message) for n in app._notifications]

        async def until(predicate: Any, what: str, limit: float = 60.0) -> None:
            start = time.perf_counter()
            while not predicate():
                await asyncio.sleep(0.001)
                if time.perf_counter() - start > limit:
                    raise RuntimeError(
                        f"timed out waiting for {what}; notices: {notices()}; "
                        f"{screen.listing} {screen.query_one('#search').value!r} {list(shown)}"
                    )

        async def frame_of(key: str) -> float:
            await until(lambda: key in shown, key)
            return await asyncio.wait_for(shown.pop(key), timeout=30)

        await until(lambda: screen.ready and screen.listed, "the library")
        await pilot.pause()
        if screen.listing.mode != "all":  # the last run's search, restored with its position
            screen.query_one("#search").focus()
            await pilot.press("escape")
            await until(lambda: screen.listing.mode == "all", "the whole list")
        await asyncio.sleep(3)  # past the idle heap tidy after start-up
        shown.clear()
        entries = screen.article_list.entries
        picks = list(dict.fromkeys(e.id for e in entries[:: max(1, len(entries) // OPENS)]))
        opens, sides = [], []
        for article_id in picks[:OPENS]:
            start = time.perf_counter()
            screen.open_article(article_id)
            opens.append(await frame_of(article_id) - start)
            await until(lambda a=article_id: screen.side.article_id == a, "the side panel")
            await pilot.pause()
            sides.append(time.perf_counter() - start)
        searches = []
        for query in (QUERIES * 2)[:SEARCHES]:
            box = screen.query_one("#search")
            await pilot.press("slash")
            await until(lambda box=box: box.has_focus, "the search box")
            await pilot.press(*query[:-1])
            if not box.has_focus:
                raise RuntimeError(f"focus left the search box for {app.focused!r}")
            start = time.perf_counter()  # from the last keystroke
            await pilot.press(query[-1])
            searches.append(await frame_of("search:" + query) - start)
            await pilot.press("escape")
            await until(lambda: screen.listing.mode == "all", "the list back")
        count = len(entries)
    app.gate.close()

    def ms(values: list[float]) -> dict[str, float]:
        return {
            "median": statistics.median(values) * 1000,
            "p95": statistics.quantiles(values, n=20, method="inclusive")[-1] * 1000,
            "max": max(values) * 1000,
            "n": len(values),
        }

    return {
        "articles": count,
        "open": ms(opens),
        "side": ms(sides),
        "search": ms(searches),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def prepare(data_dir: str) -> dict[str, Any]:
    """Open the library once: seeds a new directory, rebuilds an index that needs it."""
    from warta.index import Library

    start = time.perf_counter()
    with Library(data_dir) as library:
        count = library.count()
        notices = list(library.notices)
    return {"articles": count, "notices": notices, "seconds": time.perf_counter() - start}


def run_child(*args: str, timeout: float = 900) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"bench_reader: {' '.join(args[:1])} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def build_index(target: str) -> None:
    warta = os.path.join(os.path.dirname(sys.executable), "warta")
    subprocess.run(
        [warta, "--data-dir", target, "add", str(NEWS), "--json"],
        check=True,
        capture_output=True,
        timeout=1800,
    )


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] in ("--child-prepare", "--child-in-app"):
        data_dir = sys.argv[2]
        if sys.argv[1] == "--child-prepare":
            result = prepare(data_dir)
        else:
            result = asyncio.run(in_app_figures(data_dir))
        print(json.dumps(result))
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv or not NEWS.exists()
    with tempfile.TemporaryDirectory(prefix="warta-bench-reader-") as tmp:
        data_dir = args[0] if args else os.path.join(tmp, "data")
        if not args and not quick:
            build_index(data_dir)
        ready = run_child("--child-prepare", data_dir)
        paint = None if "--app-only" in sys.argv else paint_figures(data_dir, f"{tmp}/pycache")
        app = None if "--paint-only" in sys.argv else run_child("--child-in-app", data_dir)
    rows = []
    if ready["notices"]:
        rows.append(
            (
                "reader: index rebuilt before measuring",
                f"{'; '.join(ready['notices'])} ({ready['seconds']:.0f} s)",
            )
        )
    if paint is not None:
        rows.append(
            (
                f"reader: first paint, pty 80x24, median of {paint['runs']}",
                f"bare Textual {paint['bare_ms']:.0f} ms, warta {paint['warta_ms']:.0f} ms:"
                f" **{paint['warta_ms'] / paint['bare_ms']:.2f}x** wall; CPU"
                f" {paint['bare_cpu_ms']:.0f} / {paint['warta_cpu_ms']:.0f} ms:"
                f" **{paint['warta_cpu_ms'] / paint['bare_cpu_ms']:.2f}x**",
            )
        )
    if app is not None:
        rows += app_rows(app)
    print("| measurement | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


def app_rows(app: dict[str, Any]) -> list[tuple[str, str]]:
    label = f"{app['articles']:,} articles"
    return [
        (
            f"reader: open an article ({label}), to its frame, {app['open']['n']} spread",
            f"median **{app['open']['median']:.0f} ms**, p95 **{app['open']['p95']:.0f} ms**,"
            f" max {app['open']['max']:.0f} ms; side panel filled: median"
            f" {app['side']['median']:.0f} ms, p95 {app['side']['p95']:.0f} ms",
        ),
        (
            f"reader: search results on screen after the last key ({label})",
            f"median **{app['search']['median']:.0f} ms**, p95 **{app['search']['p95']:.0f} ms**,"
            f" max {app['search']['max']:.0f} ms over {app['search']['n']} searches",
        ),
        (
            f"reader: peak RSS after {app['open']['n']} articles and {SEARCHES} searches ({label})",
            f"**{app['peak_mb']:.0f} MB**",
        ),
    ]


if __name__ == "__main__":
    main()
