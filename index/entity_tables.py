"""Provides the lexicon compiled for matching, cached on disk by a hash of the lexicon files.

Loading and validating the YAML lexicons takes a few hundred milliseconds; the entity pipeline
must be ready in less. The valid entries are therefore kept in a JSON file in the cache
directory ($WARTA_CACHE_DIR, else the platform's user cache dir), named by a hash of every
lexicon file, the matcher's rule file and this format. JSON, not pickle: a cache file is data,
so a tampered one cannot run code; any trouble reading it means a rebuild.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from warta.lexicons import Entry, Lexicon, RoleSpell, load_lexicon
from warta.lexicons.cache import cache_dir
from warta.lexicons.loader import bundled_sources, default_user_dir

from .entity_rules import EntityRules, parse_rules, rules_text

FORMAT = "entity-tables-1"

UserDir = Path | Literal[False] | None


@dataclass(frozen=True)
class EntityTables:
    """What the pipeline is built from: the lexicon's valid entries and the rule data."""

    lexicon: Lexicon
    rules: EntityRules
    key: str


def _files_of(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*.yaml") if q.is_file()))
        elif p.exists():
            found.append(p)
    return found


def tables_key(paths: Sequence[Path] | None, user_dir: UserDir, rules: str) -> str:
    """A hash of every input of the compiled tables: lexicon files (contents), rules, format."""
    h = hashlib.sha256(FORMAT.encode())
    h.update(rules.encode())
    if paths is None:
        for source in bundled_sources():
            h.update(source.path.encode())
            h.update(source.read())
    else:
        for path in _files_of(paths):
            h.update(str(path).encode())
            h.update(path.read_bytes())
    if user_dir is not False:
        directory = default_user_dir() if user_dir is None else user_dir
        if directory.is_dir():
            for path in _files_of([directory]):
                h.update(b"user:" + str(path).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:24]


def _entry_json(e: Entry) -> list[Any]:
    return [
        e.id,
        e.kind,
        e.name,
        list(e.aliases),
        e.country,
        [[r.role, r.of, r.start, r.end] for r in e.roles],
        e.type,
        e.parent,
        e.unique,
        list(e.adjectives),
        e.origin,
    ]


def _entry_from(row: list[Any]) -> Entry:
    return Entry(
        id=row[0],
        kind=row[1],
        name=row[2],
        aliases=tuple(row[3]),
        country=row[4],
        roles=tuple(RoleSpell(*spell) for spell in row[5]),
        type=row[6],
        parent=row[7],
        unique=row[8],
        adjectives=tuple(row[9]),
        origin=row[10],
    )


def _read_cache(path: Path, key: str) -> Lexicon | None:
    try:
        with path.open(encoding="utf-8") as f:
            data = json.load(f)
        if data.get("key") != key:
            return None
        entries = [_entry_from(row) for row in data["entries"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return Lexicon(entries={e.key: e for e in entries})


def _write_cache(path: Path, key: str, lexicon: Lexicon) -> None:
    data = {"key": key, "entries": [_entry_json(e) for e in lexicon.entries.values()]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entities-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return  # a read-only or full disk costs the next start time, nothing else


def load_tables(
    paths: Sequence[Path] | None = None, *, user_dir: UserDir = None, use_cache: bool = True
) -> EntityTables:
    """The lexicon (bundled, or `paths`) with user entries merged, and the rules, cached."""
    text = rules_text()
    rules = parse_rules(text)
    key = tables_key(paths, user_dir, text)
    directory = cache_dir() if use_cache else None
    cache_file = directory / f"entities-{key}.json" if directory is not None else None
    lexicon = _read_cache(cache_file, key) if cache_file is not None else None
    if lexicon is None:
        lexicon = load_lexicon(paths, user_dir=user_dir)
        if cache_file is not None:
            _prune(cache_file.parent)
            _write_cache(cache_file, key, lexicon)
    return EntityTables(lexicon=lexicon, rules=rules, key=key)


def _prune(directory: Path) -> None:
    # Old tables pile up as the lexicons change; a handful is plenty (tests use their own).
    with contextlib.suppress(OSError):
        old = sorted(directory.glob("entities-*.json"), key=lambda p: p.stat().st_mtime)
        for path in old[:-8]:
            path.unlink(missing_ok=True)


def _forms_of_place_or_body(lexicon: Lexicon, of: str | None) -> tuple[str, ...]:
    if of is None:
        return ()
    for entry in lexicon.places:
        if entry.type == "country" and entry.country == of:
            return tuple(str(n) for n in entry.all_names)
    for kind in ("institution", "place"):
        found = lexicon.get(kind, of)
        if found is not None:
            return tuple(str(n) for n in found.all_names)
    return ()


def search_names(lexicon: Lexicon, entry: Entry) -> list[str]:
    """What a reader may type to find an article naming `entry`: its names, and for an
    official every title it held with its country or organisation ("Menhan Rusia")."""
    names = list(entry.all_names)
    for spell in entry.roles:
        role = lexicon.get("role", spell.role)
        if role is None:
            continue
        for title in role.all_names:
            names.extend(f"{title} {where}" for where in _forms_of_place_or_body(lexicon, spell.of))
    return list(dict.fromkeys(names))
