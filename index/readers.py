"""Provides the readers that turn files and directories into RawDocuments, reporting bad input."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .models import RawDocument, Skipped

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Files above this size are refused whole (JSON Lines files are streamed and exempt)."""

MAX_RECORD_CHARS = 2_000_000
"""A single article longer than this is not news; it is refused with a reason."""

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
GZIP_JSONL_SUFFIXES = {".jsonl.gz", ".ndjson.gz"}
SUPPORTED = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | GZIP_JSONL_SUFFIXES


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for double in GZIP_JSONL_SUFFIXES:
        if name.endswith(double):
            return double
    return path.suffix.lower()


_RECORD_FIELDS = ("id", "source", "url", "date", "title", "author")


@dataclass(frozen=True)
class Item:
    """One thing a reader produced: a document with the fingerprint of its raw bytes, or a skip."""

    doc: RawDocument | None = None
    raw_key: str = ""
    skipped: Skipped | None = None


def display_path(path: Path) -> str:
    return str(path.resolve()) if not path.is_absolute() else str(path)


def iter_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Item]:
    """Every document under the given paths, directories walked recursively in name order."""
    for given in paths:
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


def read_file(path: Path) -> Iterator[Item]:
    """The documents of one file, by its extension; a bad file yields one Skipped."""
    shown = display_path(path)
    suffix = _suffix(path)
    if suffix not in SUPPORTED:
        yield Item(skipped=Skipped(shown, f"unsupported file type {suffix or '(none)'}"))
        return
    try:
        if suffix in JSONL_SUFFIXES or suffix in GZIP_JSONL_SUFFIXES:
            yield from _read_jsonl(path, shown, compressed=suffix in GZIP_JSONL_SUFFIXES)
            return
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            yield Item(skipped=Skipped(shown, f"file is {size:,} bytes, over the {limit} MB limit"))
            return
        data = path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        # For a stream, the records read before the damage have been yielded already.
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield Item(skipped=Skipped(shown, f"cannot read: {reason}"))
        return
    text, problem = decode(data)
    if problem:
        yield Item(skipped=Skipped(shown, problem))
        return
    if suffix in JSON_SUFFIXES:
        yield from _read_json(text, shown)
        return
    if not text.strip():
        yield Item(skipped=Skipped(shown, "empty file"))
        return
    fmt = "md" if suffix in {".md", ".markdown"} else "txt"
    yield Item(doc=RawDocument(path=shown, text=text, format=fmt), raw_key=_key(text))


def decode(data: bytes) -> tuple[str, str | None]:
    """UTF-8 text of raw bytes, or the reason it is not text."""
    if not data:
        return "", "empty file"
    if b"\x00" in data[:8192]:
        return "", "binary file (NUL bytes), not text"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return "", f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    return text, None


def _key(text: str) -> str:
    from hashlib import blake2b

    return blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


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


def _read_jsonl(path: Path, shown: str, *, compressed: bool = False) -> Iterator[Item]:
    # Streamed line by line: a 23k-article file never sits in memory whole.
    opener = gzip.open if compressed else open
    with opener(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            where = f"{shown}#{n}"
            if not raw.strip():
                continue
            line, problem = decode(raw)
            if problem:
                yield Item(skipped=Skipped(where, problem))
                continue
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


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    return "nested too deeply"
