"""Provides the `warta` command line: a thin layer that parses, calls Library, prints."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_SKIPPED, EXIT_FATAL = 0, 1, 2


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    # Imported here: plain `warta` opens the reader without parsing anything, and every
    # millisecond before its first frame counts.
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse that raises instead of printing usage and exiting, for one-line errors."""

        def error(self, message: str) -> NoReturn:
            raise UsageError(message)

    # --data-dir is accepted before and after the command. The subcommands' copy defaults to
    # SUPPRESS so that, when absent there, it does not overwrite a value given before.
    def data_dir_option(p: argparse.ArgumentParser, default: object) -> None:
        p.add_argument(
            "--data-dir",
            metavar="DIR",
            default=default,
            help="data directory (default: $WARTA_DATA_DIR or the platform's user data dir)",
        )

    common = _Parser(add_help=False)
    data_dir_option(common, argparse.SUPPRESS)
    parser = _Parser(
        prog="warta",
        description="Warta: a keyboard-driven terminal reader for Indonesian news.",
        epilog="Run `warta` with no command to open the reader.",
    )
    data_dir_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str, *, json_flag: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
        if json_flag:
            p.add_argument("--json", action="store_true", help="print one JSON document")
        return p

    p = command(
        "add",
        "import files or directories (text, Markdown, JSON, JSON Lines, HTML pages, RSS/Atom"
        " feeds); - reads standard input",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p = command("search", "full-text search")
    p.add_argument("query", nargs="+", metavar="QUERY")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="hits to show (default 20)")
    p = command("show", "show one article by id or by the path it came from")
    p.add_argument("id", metavar="ID")
    command("reindex", "rebuild everything derived from the stored sources")
    p = command("entities", "officials, institutions, places and persons named in the articles")
    p.add_argument("--article", metavar="ID", help="only the entities of one article")
    p = command("events", "events (calls, visits, meetings, talks...) as a timeline")
    p.add_argument("--article", metavar="ID", help="only the events of one article")
    p = command("related", "articles linked to one: same event, participants or entities")
    p.add_argument("id", metavar="ID")
    p = command(
        "lexicon", "validate lexicons: file:line messages, exit 1 on any error", json_flag=False
    )
    p.add_argument("action", choices=["check"], help="check: validate the lexicons")
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="lexicon files or directories (default: all)"
    )
    p = command("read", "open the reader", json_flag=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        # Plain `warta`, the reader: what the parser would give, without building it (its
        # help formatter imports shutil, lzma and bz2, all before the first frame).
        args: Any = SimpleNamespace(command=None, data_dir=None)
    else:
        try:
            args = build_parser().parse_args(args_list)
        except UsageError as exc:
            return _fail(f"{exc} (see `warta --help`)")
    handler = _HANDLERS.get(args.command or "read")
    assert handler is not None
    from warta.index.errors import WartaError

    try:
        return handler(args)
    except WartaError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        # Output piped into `head` and closed: not an error worth a message.
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))


def _fail(message: str) -> int:
    print(f"warta: {message}", file=sys.stderr)
    return EXIT_FATAL


def _library(args: argparse.Namespace) -> Any:
    from warta.index import Library

    library = Library(args.data_dir)
    for notice in library.notices:
        print(f"warta: {notice}", file=sys.stderr)
    return library


STALE_NOTICE = (
    "lexicons changed since the index was built: run `warta reindex` to update entity search"
)


def _stale_notice(stale: bool) -> None:
    """On stderr, so stdout (and --json) stays what the contract says."""
    if stale:
        print(f"warta: {STALE_NOTICE}", file=sys.stderr)


def _emit(data: dict[str, Any]) -> None:
    import json

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


class _Progress:
    """One line on stderr, rewritten in place: count, rate and, when the total is known,
    how far along and about how long is left. Redrawn at most a few times a second."""

    def __init__(self, total: int | None = None, noun: str = "articles") -> None:
        self.total = total if total else None
        self.noun = noun
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.width = 0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.shown_at < 0.2:
            return
        self.shown_at = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        line = f"{done:,} {self.noun}"
        if self.total is not None:
            line = f"{done:,} of ~{max(self.total, done):,} {self.noun}"
        line += f" · {rate:,.0f}/s"
        if self.total is not None and rate > 0 and done < self.total:
            line += f" · about {_duration((self.total - done) / rate)} left"
        pad = " " * max(0, self.width - len(line))
        self.width = len(line)
        print(f"\r{line}{pad}", end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.width:
            print("\r" + " " * self.width + "\r", end="", file=sys.stderr, flush=True)
            self.width = 0


def _duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}:{seconds:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


def _progress_printer(enabled: bool, total: int | None = None) -> _Progress | None:
    return _Progress(total) if enabled else None


def cmd_add(args: argparse.Namespace) -> int:
    import errno

    from warta.index.readers import STDIN, estimate_total
    from warta.index.textsafe import terminal_safe

    if args.paths.count(STDIN) > 1:
        return _fail("`-` (standard input) may be given only once")
    if STDIN in args.paths and sys.stdin.isatty():
        print("warta: reading an article from the terminal; end it with Ctrl-D", file=sys.stderr)
    tty = sys.stderr.isatty()
    started = time.monotonic()
    with _library(args) as library:
        progress = _progress_printer(tty, estimate_total(args.paths) if tty else None)
        try:
            report = library.add(args.paths, progress=progress)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            return _fail(
                "the disk is full: every article committed before it is kept; "
                "free some space and run `warta add` again to import the rest"
            )
        finally:
            if progress is not None:
                progress.finish()
    elapsed = time.monotonic() - started
    for note in report.notes:
        print(f"warta: note: {terminal_safe(note.path)}: {note.reason}", file=sys.stderr)
    for skipped in report.skipped:
        print(
            f"warta: skipped {terminal_safe(skipped.path)}: {terminal_safe(skipped.reason)}",
            file=sys.stderr,
        )
    done = report.added + report.updated + report.unchanged
    summary = (
        f"{report.added:,} added, {report.updated:,} updated, {report.unchanged:,} unchanged, "
        f"{len(report.skipped):,} skipped"
    )
    timing = f"in {_duration(elapsed)}" + (f" ({done / elapsed:,.0f}/s)" if elapsed >= 1 else "")
    if args.json:
        _emit(report.to_json())
        if tty:
            print(f"warta: {summary} {timing}", file=sys.stderr)
    else:
        print(f"{summary} {timing}")
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        return _fail("--limit must be 1 or more")
    query = " ".join(args.query)
    with _library(args) as library:
        results = library.search(query, limit=args.limit)
        stale = library.lexicons_changed()
    _stale_notice(stale)
    if args.json:
        _emit(
            {
                "query": results.query,
                "total": results.total,
                "hits": [
                    {
                        "id": h.id,
                        "path": h.path,
                        "title": h.title,
                        "source": h.source,
                        "published": h.published,
                        "score": h.score,
                        "snippet": h.snippet,
                    }
                    for h in results.hits
                ],
            }
        )
        return EXIT_OK
    from warta.index.textsafe import terminal_safe

    if not results.hits:
        print(f"No articles match {query!r}.")
        return EXIT_OK
    shown = len(results.hits)
    print(f"{results.total} article{'s' if results.total != 1 else ''} match; showing {shown}.\n")
    for hit in results.hits:
        meta = " · ".join(x for x in (hit.source, (hit.published or "")[:10], hit.id) if x)
        print(terminal_safe(hit.title))
        print(f"  {terminal_safe(meta)}")
        if hit.snippet:
            print(f"  {terminal_safe(hit.snippet)}")
        print()
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    with _library(args) as library:
        article = library.article(args.id)
        extra = library.article_extras(article.id)
    if args.json:
        _emit(
            {
                "id": article.id,
                "path": article.path,
                "title": article.title,
                "source": article.source,
                "published": article.published,
                "author": article.author,
                "dateline": article.dateline,
                "url": article.url,
                "text": article.text,
                "entities": extra["entities"],
                "events": extra["events"],
            }
        )
        return EXIT_OK
    from warta.index.textsafe import terminal_safe

    print(terminal_safe(article.title))
    meta = [article.source, article.published, article.author, article.dateline, article.url]
    print(terminal_safe(" · ".join(m for m in meta if m)))
    print(f"id {article.id} · {terminal_safe(article.path)}\n")
    print(terminal_safe(article.text))
    return EXIT_OK


def cmd_reindex(args: argparse.Namespace) -> int:
    with _library(args) as library:
        count = library.reindex(progress=_progress_printer(sys.stderr.isatty()))
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    if getattr(args, "json", False):
        _emit({"reindexed": count})
    else:
        print(f"{count} articles reindexed")
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    with _library(args) as library:
        article_id = library.article(args.article).id if args.article else None
        found = library.entities(article_id)
        stale = library.lexicons_changed()
    _stale_notice(stale)
    if args.json:
        _emit(
            {
                "entities": [
                    {
                        "entity_id": e.entity_id,
                        "name": e.name,
                        "kind": e.kind,
                        "mentions": e.mentions,
                        "articles": list(e.articles),
                    }
                    for e in found
                ]
            }
        )
        return EXIT_OK
    from warta.index.textsafe import terminal_safe

    if not found:
        print("No entities.")
        return EXIT_OK
    name_width = min(40, max(len(e.name) for e in found))
    print(f"{'NAME':<{name_width}}  {'KIND':<11}  {'MENTIONS':>8}  {'ARTICLES':>8}  ID")
    for e in found:
        name = terminal_safe(e.name)[:name_width]
        print(
            f"{name:<{name_width}}  {e.kind:<11}  {e.mentions:>8}  {len(e.articles):>8}  "
            f"{terminal_safe(e.entity_id)}"
        )
    return EXIT_OK


def cmd_events(args: argparse.Namespace) -> int:
    with _library(args) as library:
        article_id = library.article(args.article).id if args.article else None
        found = library.events(article_id)
        stale = library.lexicons_changed()
    _stale_notice(stale)
    if args.json:
        _emit({"events": [_event_json(e) for e in found]})
        return EXIT_OK
    from warta.index.textsafe import terminal_safe

    if not found:
        print("No events.")
        return EXIT_OK
    for e in found:
        when = e.date or "date unknown"
        if e.date and e.date_precision == "unknown":
            when = f"{e.date}?"  # the report's date: the text gives none
        names = " – ".join(terminal_safe(p.name) for p in e.participants)  # noqa: RUF001 (a dash between names is meant)
        where = f" in {terminal_safe(e.place)}" if e.place else ""
        print(f"{when:<12}  {e.kind:<10} {names}{where}  [{e.event_id}]")
        for article in dict.fromkeys(m.article_id for m in e.mentions):
            print(f"{'':<14}{terminal_safe(article)}")
    return EXIT_OK


def _event_json(e: Any) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "kind": e.kind,
        "cameo": e.cameo,
        "date": e.date,
        "date_precision": e.date_precision,
        "date_text": e.date_text,
        "place": e.place,
        "participants": [
            {"entity_id": p.entity_id, "name": p.name, "kind": p.kind} for p in e.participants
        ],
        "mentions": [{"article_id": m.article_id, "sentence": m.sentence} for m in e.mentions],
        "related": [{"event_id": other, "relation": how} for other, how in e.related],
    }


def cmd_related(args: argparse.Namespace) -> int:
    with _library(args) as library:
        article_id = library.article(args.id).id
        found = library.related(article_id)
        stale = library.lexicons_changed()
    _stale_notice(stale)
    if args.json:
        _emit(
            {
                "article_id": article_id,
                "related": [
                    {
                        "article_id": r.article_id,
                        "title": r.title,
                        "relation": r.relation,
                        "via": list(r.via),
                    }
                    for r in found
                ],
            }
        )
        return EXIT_OK
    from warta.index.textsafe import terminal_safe

    if not found:
        print("No related articles.")
        return EXIT_OK
    for rank, r in enumerate(found, 1):
        print(f"{rank:>3}. {terminal_safe(r.title)}  [{terminal_safe(r.article_id)}]")
        print(f"     {r.relation.replace('_', ' ')} via {terminal_safe(', '.join(r.via))}")
    return EXIT_OK


def cmd_lexicon(args: argparse.Namespace) -> int:
    from pathlib import Path

    from warta.lexicons import check_lexicons

    paths = [Path(p) for p in args.paths] or None
    if paths is not None:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            return _fail(f"no such file or directory: {', '.join(missing)}")
    issues = check_lexicons(paths)
    for issue in issues:
        print(str(issue))
    if issues:
        plural = "s" if len(issues) != 1 else ""
        print(f"warta: {len(issues)} lexicon issue{plural}", file=sys.stderr)
        return EXIT_SKIPPED
    print("lexicons ok")
    return EXIT_OK


def cmd_read(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get("WARTA_FORCE_TUI"):
        return _fail("the reader needs a terminal; use `warta search` or `warta show` in scripts")
    from warta.tui.app import run_reader

    return run_reader(args.data_dir)


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "add": cmd_add,
    "search": cmd_search,
    "show": cmd_show,
    "reindex": cmd_reindex,
    "entities": cmd_entities,
    "events": cmd_events,
    "related": cmd_related,
    "lexicon": cmd_lexicon,
    "read": cmd_read,
}


if __name__ == "__main__":
    raise SystemExit(main())
