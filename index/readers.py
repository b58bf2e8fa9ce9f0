"""Provides the readers that turn files, folders and stdin into RawDocuments; bad input reported."""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path
from typing import Any, BinaryIO

from . import markup
from .models import RawDocument, Skipped

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Files above this size are refused whole (JSON Lines files are streamed and exempt)."""

MAX_LINE_BYTES = 8 * 1024 * 1024
"""One JSON Lines record above this is refused without being held in memory whole."""

MAX_RECORD_CHARS = 2_000_000
"""A single article longer than this is not news; it is refused with a reason."""

SNIFF_BYTES = 64 * 1024
"""How much of a file is read to decide what it holds."""

STDIN = "-"
"""The path that stands for standard input; documents read there get `stdin#KEY` paths."""

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
GZIP_JSONL_SUFFIXES = {".jsonl.gz", ".ndjson.gz"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
SUPPORTED = (
    TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | GZIP_JSONL_SUFFIXES | HTML_SUFFIXES
    | FEED_SUFFIXES
)  # fmt: skip
# Kinds a directory walk takes from a file whose name does not say what it is.
_SELF_EVIDENT = {"html", "feed", "jsonl", "json"}

_CHUNK = 1024 * 1024


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for double in GZIP_JSONL_SUFFIXES:
        if name.endswith(double):
            return double
    return path.suffix.lower()


_RECORD_FIELDS = ("id", "source", "url", "date", "title", "author")


@dataclass(frozen=True)
class Item:
    """One thing a reader produced: a document with the fingerprint of its raw bytes, or a skip.

    `note` tells of something done to make an input readable (a legacy encoding decoded, bad
    bytes replaced): the input was imported, and the user should know how. An Item may carry
    only a note (a summary for a whole JSON Lines file).
    """

    doc: RawDocument | None = None
    raw_key: str = ""
    skipped: Skipped | None = None
    note: Skipped | None = None


def display_path(path: Path) -> str:
    return str(path.resolve()) if not path.is_absolute() else str(path)


# ----------------------------------------------------------------------------- decoding

# File signatures of common binary formats, to name what a mis-named file really is.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or office document"),
    (b"\x1f\x8b", "gzip-compressed file"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "old Microsoft Office document"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
)
# C0 controls other than tab, newline, vertical tab, form feed, return and ESC (ANSI-coloured
# text is text), and the C1 controls a Latin-1 reading of binary data is full of.
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x80-\x9f]")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes; `problem` says why there is none, `note` how it was read."""

    text: str
    problem: str | None = None
    note: str | None = None


def _binary_reason(data: bytes) -> str | None:
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return f"binary file ({what}), not text"
    if b"\x00" in data[:8192]:
        return "binary file (NUL bytes), not text"
    return None


def _mostly_controls(text: str) -> bool:
    sample = text[:8192]
    return len(_BINARY_CONTROLS.findall(sample)) > max(8, len(sample) // 20)


def decode_bytes(data: bytes) -> Decoded:
    """Text of raw bytes: UTF-8, else (said in the note) a legacy Windows encoding; or a problem.

    Indonesian text saved by older Windows tools is Windows-1252 (a superset of Latin-1's
    printable range), so that is the fallback: it always decodes, and text that is really
    binary is recognised by its signature, NUL bytes or a mass of control characters. A UTF-8
    text with a few damaged bytes keeps its UTF-8 and gets U+FFFD for the damage.
    """
    if not data:
        return Decoded("", "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = ""
        # A real UTF-16 text (Notepad's "Unicode") is mostly ASCII letters and spaces.
        if text and sum(c < "\x80" for c in text[:4096]) * 2 >= len(text[:4096]):
            return Decoded(text, note="read as UTF-16")
    reason = _binary_reason(data)
    if reason:
        return Decoded("", reason)
    try:
        text = data.decode("utf-8-sig")
        note = None
    except UnicodeDecodeError:
        text, note = _decode_damaged(data)
    if _mostly_controls(text):
        return Decoded("", "binary file (control bytes), not text")
    return Decoded(text, note=note)


def _decode_damaged(data: bytes) -> tuple[str, str]:
    replaced = data.decode("utf-8-sig", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\xef\xbf\xbd".encode("latin-1"))
    # Every well-formed multibyte character makes the text shorter than its bytes.
    multibyte = len(data) - len(replaced)
    if multibyte >= bad:
        return replaced, f"{bad} byte(s) not valid UTF-8, replaced with \ufffd"
    try:
        return data.decode("cp1252"), "not UTF-8: read as Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not UTF-8: read as Latin-1"


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of raw bytes, or the reason it is not text (see `decode_bytes`)."""
    found = decode_bytes(data)
    return found.text, found.problem


def _key(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# ----------------------------------------------------------------------------- sniffing

_HTML_ROOT = re.compile(r"<!doctype\s+html|<html[\s>]")
_HTML_HINT = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title[\s>]|<article[\s>]"
    r"|<div[\s>]|<p[\s>]|<h1[\s>]"
)


def sniff(head: bytes, suffix: str = "") -> tuple[str | None, str | None]:
    """What a file holds, from its first bytes and its name: (kind, None) or (None, reason).

    Kinds: text, md, json, jsonl, html, feed. The content decides first (a feed saved as .txt
    is a feed, JSON Lines saved as .txt are JSON Lines); the name only settles ties.
    """
    if suffix in JSONL_SUFFIXES or suffix in GZIP_JSONL_SUFFIXES:
        # Records are judged one by one: a damaged line must not cost the lines around it.
        reason = _binary_reason(head[:64])
        if reason is None and _mostly_controls(head.decode("latin-1")):
            reason = "binary file (control bytes), not text"
        if reason is None and not head.strip():
            reason = "empty file"
        return (None, reason) if reason else ("jsonl", None)
    found = decode_bytes(head)
    if found.problem:
        return None, found.problem
    s = found.text.lstrip("\ufeff \t\r\n")
    if not s:
        return None, "empty file"
    low = s[:4096].lower()
    if s.startswith("<"):
        feed_at = markup.feed_root_at(low)
        page_at = _HTML_ROOT.search(low)
        if feed_at is not None and (page_at is None or feed_at < page_at.start()):
            return "feed", None
        if _HTML_HINT.search(low) is not None or suffix in HTML_SUFFIXES:
            return "html", None
        if low.startswith("<?xml") or suffix in FEED_SUFFIXES:
            return None, "XML that is not an RSS or Atom feed"
    if s.startswith(("{", "[")):
        first = s.split("\n", 1)[0].strip()
        try:
            one = json.loads(first)
        except (ValueError, RecursionError):
            one = None
        rest = s[len(first) :].lstrip()
        if isinstance(one, dict) and (suffix not in JSON_SUFFIXES or rest.startswith("{")):
            return "jsonl", None
        return "json", None
    if suffix in JSON_SUFFIXES:
        return "json", None
    if suffix in HTML_SUFFIXES:
        return "html", None
    if suffix in FEED_SUFFIXES:
        return None, "not an RSS or Atom feed"
    return ("md" if suffix in {".md", ".markdown"} else "text"), None


# ----------------------------------------------------------------------------- walking


def iter_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Item]:
    """Every document under the given paths, directories walked recursively in name order.

    `-` reads standard input (once).
    """
    for given in paths:
        if str(given) == STDIN:
            yield from read_stdin()
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield from read_file(path)
        else:
            yield Item(skipped=Skipped(str(given), "no such file or directory"))


def _walk(root: Path) -> Iterator[Item]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if _suffix(path) in SUPPORTED:
                yield from read_file(path)
            elif path.is_file():
                # An unknown name is read only when its content plainly is an article format.
                yield from read_file(path, only=_SELF_EVIDENT)


def read_file(path: Path, *, only: set[str] | None = None) -> Iterator[Item]:
    """The documents of one file, by its content and name; a bad file yields one Skipped."""
    shown = display_path(path)
    try:
        yield from _read_file(path, shown, only)
    except (OSError, EOFError, zlib.error) as exc:
        # For a stream, the records read before the damage have been yielded already.
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield Item(skipped=Skipped(shown, f"cannot read: {reason}"))
    except Exception as exc:  # a reader bug must cost one input, never the whole import
        yield Item(skipped=Skipped(shown, f"reader error ({type(exc).__name__}: {exc})"))


def _read_head(fh: BinaryIO, size: int = SNIFF_BYTES) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < size:
        part = fh.read(size - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _chunks(head: bytes, fh: BinaryIO) -> Iterator[bytes]:
    if head:
        yield head
    while chunk := fh.read(_CHUNK):
        yield chunk


def _read_file(path: Path, shown: str, only: set[str] | None) -> Iterator[Item]:
    suffix = _suffix(path)
    with path.open("rb") as fh:
        head = _read_head(fh)
        if head.startswith(b"\x1f\x8b"):
            if only is not None and suffix not in GZIP_JSONL_SUFFIXES:
                return
            yield from _read_gzip(path, shown, suffix)
            return
        kind, problem = sniff(head, suffix)
        if only is not None and kind not in only:
            return
        if kind is None:
            yield Item(skipped=Skipped(shown, problem or "unreadable"))
            return
        if kind == "jsonl":
            yield from _read_jsonl(_chunks(head, fh), shown)
            return
        if kind == "text" and suffix and suffix not in TEXT_SUFFIXES:
            yield Item(
                skipped=Skipped(
                    shown, f"unsupported file type {suffix} (plain text: name it .txt to import)"
                )
            )
            return
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_FILE_BYTES:
            yield Item(skipped=Skipped(shown, _too_big(size)))
            return
        data = head + fh.read()
    yield from _read_whole(data, kind, shown, suffix)


def _too_big(size: int) -> str:
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return f"file is {size:,} bytes, over the {limit} MB limit"


def _read_gzip(path: Path, shown: str, suffix: str) -> Iterator[Item]:
    with gzip.open(path, "rb") as fh:
        head = _read_head(fh)  # type: ignore[arg-type]
        kind, problem = sniff(head, suffix)
        if kind != "jsonl":
            reason = (
                problem if kind is None else "compressed file: only gzipped JSON Lines are read"
            )
            yield Item(skipped=Skipped(shown, reason or "unreadable"))
            return
        yield from _read_jsonl(_chunks(head, fh), shown)  # type: ignore[arg-type]


def read_stdin(stream: BinaryIO | None = None) -> Iterator[Item]:
    """The documents piped to standard input, whatever format they are in."""
    fh = stream if stream is not None else sys.stdin.buffer
    try:
        head = _read_head(fh)
        kind, problem = sniff(head)
        if kind is None:
            yield Item(skipped=Skipped(STDIN, problem or "unreadable"))
            return
        if kind == "jsonl":
            items: Iterable[Item] = _read_jsonl(_chunks(head, fh), "stdin")
        else:
            data = head + fh.read(MAX_FILE_BYTES + 1 - len(head))
            if len(data) > MAX_FILE_BYTES:
                yield Item(
                    skipped=Skipped(STDIN, _too_big(len(data)).replace("file is", "input is over"))
                )
                return
            items = _read_whole(data, kind, "stdin", "")
        for item in items:
            yield _stdin_item(item)
    except OSError as exc:
        yield Item(skipped=Skipped(STDIN, f"cannot read: {exc.strerror or exc}"))


def _stdin_item(item: Item) -> Item:
    # What arrives on stdin has no file name: its path is keyed by content (or a feed entry's
    # id), so piping the same story twice is "unchanged" and a different one is never taken
    # for an update of the first.
    if item.doc is None or item.doc.format == "feed":
        return item
    path = f"stdin#{item.raw_key[:16]}"
    doc = RawDocument(**{**item.doc.__dict__, "path": path})
    return Item(doc=doc, raw_key=item.raw_key, note=item.note)


# ----------------------------------------------------------------------------- formats


def _read_whole(data: bytes, kind: str, shown: str, suffix: str) -> Iterator[Item]:
    if kind == "feed":
        yield from _read_feed(data, shown)
        return
    found = decode_bytes(data)
    if found.problem:
        yield Item(skipped=Skipped(shown, found.problem))
        return
    note = Skipped(shown, found.note) if found.note else None
    text = found.text
    if not text.strip():
        yield Item(skipped=Skipped(shown, "empty file"))
        return
    if kind == "json":
        items = list(_read_json(text, shown))
        if suffix not in JSON_SUFFIXES and all(i.doc is None for i in items):
            kind = "md" if suffix in {".md", ".markdown"} else "text"  # text that opens with "{"
        else:
            yield from _with_note(items, note)
            return
    if kind == "html":
        entry = markup.read_page(text)
        if entry is None:
            yield Item(skipped=Skipped(shown, "no article text found in the HTML page"))
            return
        doc = markup.to_raw(entry, shown, "html")
        yield Item(doc=doc, raw_key=_key(text), note=note)
        return
    fmt = "md" if kind == "md" else "txt"
    yield Item(doc=RawDocument(path=shown, text=text, format=fmt), raw_key=_key(text), note=note)


def _with_note(items: Iterable[Item], note: Skipped | None) -> Iterator[Item]:
    for item in items:
        if note is not None and item.doc is not None:
            yield Item(doc=item.doc, raw_key=item.raw_key, note=note)
            note = None
        else:
            yield item
    if note is not None:
        yield Item(note=note)


def _read_feed(data: bytes, shown: str) -> Iterator[Item]:
    try:
        entries = list(markup.read_feed(data))
    except markup.FeedError as exc:
        yield Item(skipped=Skipped(shown, str(exc)))
        return
    if not entries:
        yield Item(skipped=Skipped(shown, "feed has no entries"))
        return
    for entry in entries:
        where = f"{shown}#{entry.key}"
        if isinstance(entry, markup.BadEntry):
            yield Item(skipped=Skipped(where, entry.reason))
            continue
        if len(entry.doc_text) > MAX_RECORD_CHARS:
            yield Item(skipped=Skipped(where, "entry text is over the length limit"))
            continue
        doc = markup.to_raw(entry, where, "feed")
        key = _key("\x1f".join((doc.text, doc.title or "", doc.url or "", doc.date or "")))
        yield Item(doc=doc, raw_key=key)


def record_to_doc(record: object, shown: str, fmt: str) -> tuple[RawDocument | None, str | None]:
    """A RawDocument from one JSON object of the news.jsonl shape, or why it cannot be one."""
    if not isinstance(record, dict):
        return None, f"expected a JSON object, got {type(record).__name__}"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return None, "record has no text"
    if len(text) > MAX_RECORD_CHARS:
        return None, f"record text is {len(text):,} characters, over the limit"
    fields: dict[str, str | None] = {}
    for name in _RECORD_FIELDS:
        value = record.get(name)
        fields[name] = str(value) if isinstance(value, (str, int)) and str(value).strip() else None
    return (
        RawDocument(
            path=shown,
            text=text,
            title=fields["title"],
            source=fields["source"],
            url=fields["url"],
            date=fields["date"],
            author=fields["author"],
            record_id=fields["id"],
            format=fmt,
        ),
        None,
    )


def _read_json(text: str, shown: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        yield Item(skipped=Skipped(shown, f"invalid JSON: {_json_reason(exc)}"))
        return
    records = data if isinstance(data, list) else [data]
    for n, record in enumerate(records, start=1):
        where = shown if len(records) == 1 else f"{shown}#{n}"
        doc, problem = record_to_doc(record, where, "json")
        if doc is None:
            yield Item(skipped=Skipped(where, problem or "unreadable record"))
        else:
            yield Item(doc=doc, raw_key=_key(json.dumps(record, sort_keys=True)))


def iter_lines(chunks: Iterable[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number from 1, line without its newline) of a byte stream; None for a line over
    `limit` bytes, which is dropped as it streams by rather than gathered."""
    n = 0
    partial: list[bytes] = []
    size = 0
    overlong = False
    for chunk in chunks:
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            piece = chunk[start:] if nl < 0 else chunk[start:nl]
            if not overlong:
                size += len(piece)
                if size > limit:
                    overlong, partial = True, []
                else:
                    partial.append(piece)
            if nl < 0:
                break
            n += 1
            yield n, None if overlong else b"".join(partial)
            partial, size, overlong = [], 0, False
            start = nl + 1
    if overlong or size:
        yield n + 1, None if overlong else b"".join(partial)


def _read_jsonl(chunks: Iterable[bytes], shown: str) -> Iterator[Item]:
    # Streamed line by line: a 23k-article file never sits in memory whole.
    recoded = 0
    how = ""
    for n, raw in iter_lines(chunks, MAX_LINE_BYTES):
        where = f"{shown}#{n}"
        if raw is None:
            limit = MAX_LINE_BYTES // (1024 * 1024)
            yield Item(skipped=Skipped(where, f"line is over the {limit} MB limit"))
            continue
        if not raw.strip():
            continue
        found = decode_bytes(raw)
        if found.problem:
            yield Item(skipped=Skipped(where, found.problem))
            continue
        if found.note:
            recoded += 1
            how = how or found.note
        line = found.text
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield Item(skipped=Skipped(where, f"invalid JSON: {_json_reason(exc)}"))
            continue
        doc, problem = record_to_doc(record, where, "jsonl")
        if doc is None:
            yield Item(skipped=Skipped(where, problem or "unreadable record"))
        else:
            yield Item(doc=doc, raw_key=_key(line.strip()))
    if recoded:
        yield Item(note=Skipped(shown, f"{recoded} line(s) {how.split(': ', 1)[-1]}"))


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
    return "nested too deeply"


# ----------------------------------------------------------------------------- estimates


def estimate_total(
    paths: Iterable[str | os.PathLike[str]], budget_seconds: float = 1.0
) -> int | None:
    """About how many documents the inputs hold, for a progress display; None if unknowable
    within the time budget (stdin, or so many files that counting would delay the import)."""
    deadline = time.monotonic() + budget_seconds
    total = 0
    for given in paths:
        if str(given) == STDIN:
            return None
        path = Path(given)
        files: Iterable[Path]
        if path.is_dir():
            files = (
                Path(d) / f
                for d, dirs, names in os.walk(path)
                for f in names
                if not f.startswith(".") and _suffix(Path(f)) in SUPPORTED
            )
        else:
            files = [path] if path.is_file() else []
        for file in files:
            if time.monotonic() > deadline:
                return None
            counted = _count_in(file, deadline)
            if counted is None:
                return None
            total += counted
    return total


def _count_in(path: Path, deadline: float) -> int | None:
    suffix = _suffix(path)
    opener: Callable[..., Any] | None = None
    if suffix in JSONL_SUFFIXES:
        opener = open
    elif suffix in GZIP_JSONL_SUFFIXES:
        opener = gzip.open
    if opener is None:
        return 1
    lines = 0
    last = b"\n"
    try:
        with opener(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
                if time.monotonic() > deadline:
                    return None
    except (OSError, EOFError, zlib.error):
        return lines or 1
    return lines + (last != b"\n")
