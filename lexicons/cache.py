"""Provides per-file parse results and their JSON cache on disk, keyed by mtime and size."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import platformdirs

from .model import Entry, LexiconIssue, RoleSpell

# A reference an entry makes to another entry, checked once every file is read:
# (what is referred to, the value, the line it is written on).
RefKind = Literal["role", "country", "of", "institution", "place"]
Ref = tuple[RefKind, str, int]
_REF_KINDS: frozenset[str] = frozenset({"role", "country", "of", "institution", "place"})

# Bump when the meaning of a cached result changes in a way the code fingerprint misses.
_FORMAT = 1


@dataclass(frozen=True)
class Candidate:
    """An entry that passed the checks of its own file, with what it refers to."""

    entry: Entry
    path: str
    line: int
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class FileResult:
    """What one file yields on its own: candidate entries and the issues found in it."""

    candidates: tuple[Candidate, ...]
    issues: tuple[LexiconIssue, ...]


def _entry_to_json(e: Entry) -> dict[str, Any]:
    return {
        "id": e.id,
        "kind": e.kind,
        "name": e.name,
        "aliases": list(e.aliases),
        "country": e.country,
        "roles": [[r.role, r.of, r.start, r.end] for r in e.roles],
        "type": e.type,
        "parent": e.parent,
        "unique": e.unique,
        "adjectives": list(e.adjectives),
        "origin": e.origin,
    }


def _entry_from_json(d: dict[str, Any]) -> Entry:
    return Entry(
        id=d["id"],
        kind=d["kind"],
        name=d["name"],
        aliases=tuple(d["aliases"]),
        country=d["country"],
        roles=tuple(RoleSpell(role=r[0], of=r[1], start=r[2], end=r[3]) for r in d["roles"]),
        type=d["type"],
        parent=d["parent"],
        unique=d["unique"],
        adjectives=tuple(d["adjectives"]),
        origin=d["origin"],
    )


def _ref_from_json(r: list[Any]) -> Ref:
    kind, value, line = r
    if kind not in _REF_KINDS:
        raise ValueError(f"unknown reference kind {kind!r}")
    return (kind, str(value), int(line))


def result_to_json(result: FileResult) -> dict[str, Any]:
    return {
        "candidates": [
            {
                "entry": _entry_to_json(c.entry),
                "path": c.path,
                "line": c.line,
                "refs": [list(r) for r in c.refs],
            }
            for c in result.candidates
        ],
        "issues": [[i.path, i.line, i.message] for i in result.issues],
    }


def result_from_json(d: dict[str, Any]) -> FileResult:
    return FileResult(
        candidates=tuple(
            Candidate(
                entry=_entry_from_json(c["entry"]),
                path=c["path"],
                line=c["line"],
                refs=tuple(_ref_from_json(r) for r in c["refs"]),
            )
            for c in d["candidates"]
        ),
        issues=tuple(LexiconIssue(p, line, m) for p, line, m in d["issues"]),
    )


def cache_dir() -> Path | None:
    """$WARTA_CACHE_DIR, else the platform's cache dir; None when WARTA_CACHE_DIR is "off"."""
    env = os.environ.get("WARTA_CACHE_DIR")
    if env == "off":
        return None
    return Path(env).expanduser() if env else Path(platformdirs.user_cache_dir("warta"))


def _code_fingerprint() -> str:
    # A result depends on the code that checked it: any change to this package's modules
    # (mtime or size) invalidates every cached file.
    here = Path(__file__).parent
    h = hashlib.sha256(str(_FORMAT).encode())
    for name in ("cache.py", "loader.py", "model.py", "yamlsafe.py"):
        with contextlib.suppress(OSError):
            st = (here / name).stat()
            h.update(f"{name}:{st.st_mtime_ns}:{st.st_size};".encode())
    return h.hexdigest()[:16]


class DiskCache:
    """Parse results of lexicon files in one JSON file; any trouble with it means a miss.

    JSON, not pickle: a cache file is data, so a tampered one cannot run code.
    """

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / "lexicons-cache.json" if directory is not None else None
        self.files: dict[str, Any] = {}
        self.dirty = False
        self.loaded = False

    def _load(self) -> None:
        # Read lazily: a load served from the in-process cache never touches the disk.
        self.loaded = True
        if self.path is None:
            return
        try:
            with self.path.open(encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("code") == _code_fingerprint():
            files = data.get("files")
            if isinstance(files, dict):
                self.files = files

    def get(self, key: tuple[str, int, int]) -> FileResult | None:
        if not self.loaded:
            self._load()
        path, mtime_ns, size = key
        hit = self.files.get(path)
        if not isinstance(hit, dict) or hit.get("mtime_ns") != mtime_ns or hit.get("size") != size:
            return None
        try:
            return result_from_json(hit["result"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: tuple[str, int, int], result: FileResult) -> None:
        if self.path is None:
            return
        if not self.loaded:
            self._load()
        path, mtime_ns, size = key
        self.files[path] = {"mtime_ns": mtime_ns, "size": size, "result": result_to_json(result)}
        self.dirty = True

    def save(self) -> None:
        """Write the cache if anything changed; a read-only or full disk is not an error."""
        if self.path is None or not self.dirty:
            return
        # Results of files that are gone (a test's temporary files) are dropped.
        self.files = {p: v for p, v in self.files.items() if os.path.exists(p)}
        data = {"code": _code_fingerprint(), "files": self.files}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".lexicons-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            return
        self.dirty = False
