"""Provides the loading, validation and merging of the YAML lexicons."""

from __future__ import annotations

import dataclasses
import importlib.resources
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

import platformdirs

from . import yamlsafe
from .cache import Candidate, DiskCache, FileResult, Ref, cache_dir
from .model import Entry, Lexicon, LexiconIssue, RoleSpell, period_bounds
from .yamlsafe import MapNode, Node, Scalar, SeqNode

MAX_FILE_BYTES = 5 * 1024 * 1024

SECTIONS = {
    "officials": "official",
    "institutions": "institution",
    "places": "place",
    "roles": "role",
    "persons": "person",
}
_COMMON_KEYS = ("id", "name", "aliases", "country", "note")
ENTRY_KEYS: dict[str, tuple[str, ...]] = {
    "official": (*_COMMON_KEYS, "roles"),
    "institution": (*_COMMON_KEYS, "type", "parent"),
    "place": (*_COMMON_KEYS, "type", "parent", "adjectives"),
    "role": (*_COMMON_KEYS, "kind", "unique"),
    "person": _COMMON_KEYS,
}
SPELL_KEYS = ("role", "of", "from", "to", "note")
INSTITUTION_TYPES = (
    "government",
    "military",
    "police",
    "legislature",
    "judiciary",
    "party",
    "international",
    "media",
    "company",
    "other",
)
PLACE_TYPES = ("country", "region", "province", "city")

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_WORD = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRUE = frozenset({"true", "yes", "on"})


@dataclass(frozen=True)
class _Source:
    """A lexicon file: its display path, how to read it, and a key for the parse cache."""

    path: str
    read: Callable[[], bytes]
    size: int | None
    cache_key: tuple[str, int, int] | None


# Parsing is the slow part of loading; a file whose path, mtime and size are unchanged is
# parsed once per process.
_PARSE_CACHE: dict[tuple[str, int, int], FileResult] = {}


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


# -- files -------------------------------------------------------------------------------------


def _path_source(path: Path) -> _Source:
    try:
        stat = path.stat()
    except OSError:
        return _Source(str(path), path.read_bytes, None, None)
    return _Source(
        str(path), path.read_bytes, stat.st_size, (str(path), stat.st_mtime_ns, stat.st_size)
    )


def yaml_files(root: Traversable) -> list[tuple[str, Traversable]]:
    """Every *.yaml file under `root`, subdirectories included, by name relative to `root`, in
    name order (the order files are merged in)."""
    found: list[tuple[str, Traversable]] = []
    stack: list[tuple[str, Traversable]] = [("", root)]
    while stack:
        prefix, node = stack.pop()
        for child in node.iterdir():
            if child.is_dir():
                stack.append((f"{prefix}{child.name}/", child))
            elif child.name.endswith(".yaml") and child.is_file():
                found.append((prefix + child.name, child))
    return sorted(found, key=lambda pair: pair[0])


def _traversable_sources(root: Traversable) -> list[_Source]:
    if isinstance(root, Path):
        return [_path_source(p) for p in sorted(root.rglob("*.yaml")) if p.is_file()]
    return [
        _Source(f"{root}/{rel}", child.read_bytes, None, None) for rel, child in yaml_files(root)
    ]


def bundled_sources() -> list[_Source]:
    """The YAML files shipped in warta.lexicons.data, subdirectories included."""
    return _traversable_sources(importlib.resources.files("warta.lexicons.data"))


def default_user_dir() -> Path:
    """Where users keep their own lexicons: $WARTA_CONFIG_DIR/lexicons, else the platform's."""
    env = os.environ.get("WARTA_CONFIG_DIR")
    base = Path(env).expanduser() if env else Path(platformdirs.user_config_dir("warta"))
    return base / "lexicons"


def _sources_of(paths: Iterable[Path]) -> tuple[list[_Source], list[LexiconIssue]]:
    sources: list[_Source] = []
    issues: list[LexiconIssue] = []
    for path in paths:
        if path.is_dir():
            sources.extend(_traversable_sources(path))
        elif path.is_file():
            sources.append(_path_source(path))
        else:
            issues.append(LexiconIssue(str(path), 1, "no such file or directory"))
    return sources, issues


def _read_source(source: _Source, disk: DiskCache) -> FileResult:
    key = source.cache_key
    if key is None:
        return _parse_source(source)
    result = _PARSE_CACHE.get(key) or disk.get(key)
    if result is None:
        result = _parse_source(source)
        disk.put(key, result)
    _PARSE_CACHE[key] = result
    return result


def _too_big(path: str, size: int) -> FileResult:
    message = (
        f"file is {size / 1_048_576:.1f} MB; a lexicon file may hold at most "
        f"{MAX_FILE_BYTES // 1_048_576} MB (split it into several files)"
    )
    return FileResult((), (LexiconIssue(path, 1, message),))


def _parse_source(source: _Source) -> FileResult:
    if source.size is not None and source.size > MAX_FILE_BYTES:
        return _too_big(source.path, source.size)
    try:
        data = source.read()
    except OSError as exc:
        return FileResult((), (LexiconIssue(source.path, 1, f"cannot read: {exc.strerror}"),))
    if len(data) > MAX_FILE_BYTES:
        return _too_big(source.path, len(data))
    return _parse_text(data, source.path)


# -- one file ----------------------------------------------------------------------------------


def _parse_text(data: bytes | str, path: str) -> FileResult:
    """Check one file's text on its own: syntax, sections, keys, types, ids and dates."""
    try:
        root = yamlsafe.parse(data)
    except yamlsafe.YamlProblem as problem:
        return FileResult((), (LexiconIssue(path, problem.line, problem.message),))
    expected = ", ".join(f"{s}:" for s in SECTIONS)
    if root is None:
        return FileResult((), (LexiconIssue(path, 1, f"empty file: expected one of {expected}"),))
    if not isinstance(root, MapNode) or not root.items:
        message = f"a lexicon file holds a mapping with one of the keys {expected}"
        return FileResult((), (LexiconIssue(path, root.line, message),))

    issues: list[LexiconIssue] = []
    candidates: list[Candidate] = []
    first: Scalar | None = None
    for key, value in root.items:
        if key.text not in SECTIONS:
            message = f"unknown top-level key {key.text!r}: expected one of {expected}"
            issues.append(LexiconIssue(path, key.line, message))
            continue
        if first is not None:
            message = (
                f"a lexicon file holds exactly one section; {key.text!r} follows "
                f"{first.text!r} (line {first.line}): put it in a file of its own"
            )
            issues.append(LexiconIssue(path, key.line, message))
            continue
        first = key
        kind = SECTIONS[key.text]
        if isinstance(value, Scalar) and value.is_null:
            continue
        if not isinstance(value, SeqNode):
            message = f"{key.text!r} must be a list of entries (each starting with '- id:')"
            issues.append(LexiconIssue(path, value.line, message))
            continue
        for item in value.items:
            checker = _EntryChecker(kind, path)
            candidate = checker.check(item)
            issues.extend(checker.issues)
            if candidate is not None:
                candidates.append(candidate)
    return FileResult(tuple(candidates), tuple(issues))


class _EntryChecker:
    """Checks one entry; collects every problem so one run of `check` shows them all."""

    def __init__(self, kind: str, path: str) -> None:
        self.kind = kind
        self.path = path
        self.issues: list[LexiconIssue] = []
        self.fatal = False
        self.label = kind

    def problem(self, line: int, message: str, *, fatal: bool = True) -> None:
        self.issues.append(LexiconIssue(self.path, line, f"{self.label}: {message}"))
        self.fatal = self.fatal or fatal

    def text(self, node: Node, key: str) -> str | None:
        # Scalars are taken as written, so `country: NO` is Norway, not YAML 1.1's false.
        if not isinstance(node, Scalar) or node.is_null:
            self.problem(node.line, f"{key} must be a text value")
            return None
        value = node.text.strip()
        if not value:
            self.problem(node.line, f"{key} must not be empty")
            return None
        if _CONTROL.search(value):
            self.problem(node.line, f"{key} must be one line of text")
            return None
        return value

    def ident(self, node: Node, key: str, pattern: re.Pattern[str], shape: str) -> str | None:
        value = self.text(node, key)
        if value is not None and not pattern.match(value):
            self.problem(node.line, f"{key} {value!r} is not {shape}")
            return None
        return value

    def text_list(self, node: Node, key: str) -> list[tuple[str, int]]:
        if isinstance(node, Scalar) and node.is_null:
            return []
        if not isinstance(node, SeqNode):
            self.problem(node.line, f"{key} must be a list, e.g. [{key[:-1].title()} A, B]")
            return []
        out: list[tuple[str, int]] = []
        for item in node.items:
            value = self.text(item, f"each of {key}")
            if value is not None:
                out.append((value, item.line))
        return out

    def date(self, node: Node, key: str) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        try:
            period_bounds(value)
        except ValueError as exc:
            self.problem(node.line, f"{key}: {exc}")
            return None
        return value

    def check(self, node: Node) -> Candidate | None:
        if not isinstance(node, MapNode):
            self.problem(node.line, "an entry must be a mapping (id: ..., name: ...)")
            return None
        for key, value in node.items:
            if key.text == "id" and isinstance(value, Scalar) and _ID.match(value.text.strip()):
                self.label = f"{self.kind} {value.text.strip()!r}"
        allowed = ENTRY_KEYS[self.kind]
        fields: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key, value in node.items:
            if key.text in fields:
                message = f"key {key.text!r} given twice (first at line {key_lines[key.text]})"
                self.problem(key.line, message)
            elif key.text not in allowed:
                message = f"unknown key {key.text!r}; allowed: {', '.join(allowed)}"
                self.problem(key.line, message)
            else:
                fields[key.text] = value
                key_lines[key.text] = key.line

        ident = None
        if "id" in fields:
            ident = self.ident(fields["id"], "id", _ID, "lower-case ASCII words joined by '-'")
        else:
            self.problem(node.line, "id is missing")
        if ident is not None:
            self.label = f"{self.kind} {ident!r}"
        name = self.text(fields["name"], "name") if "name" in fields else None
        if "name" not in fields:
            self.problem(node.line, "name is missing")
        refs: list[Ref] = []

        aliases: list[str] = []
        seen: dict[str, str] = {_fold(name): "the name"} if name else {}
        for alias, line in (
            self.text_list(fields["aliases"], "aliases") if "aliases" in fields else []
        ):
            folded = _fold(alias)
            if folded in seen:
                # Harmless, so the alias is dropped and the entry kept.
                self.problem(line, f"alias {alias!r} repeats {seen[folded]}", fatal=False)
                continue
            seen[folded] = f"the alias {alias!r}"
            aliases.append(alias)

        country = None
        if "country" in fields:
            shape = "an upper-case ISO 3166-1 alpha-2 code (RU, US, ID)"
            country = self.ident(fields["country"], "country", _COUNTRY_CODE, shape)
            if country is not None:
                refs.append(("country", country, fields["country"].line))

        kind_type = self._type(fields, ident, country)
        if kind_type is not None and kind_type[1] is not None:
            country = kind_type[1]
        parent = self._parent(fields, refs)
        unique = self._unique(fields)
        roles = self._roles(fields, refs)
        adjectives = (
            tuple(a for a, _ in self.text_list(fields["adjectives"], "adjectives"))
            if "adjectives" in fields
            else ()
        )

        if self.fatal or ident is None or name is None:
            return None
        entry = Entry(
            id=ident,
            kind=self.kind,
            name=name,
            aliases=tuple(aliases),
            country=country,
            roles=roles,
            type=kind_type[0] if kind_type is not None else None,
            parent=parent,
            unique=unique,
            adjectives=adjectives,
            origin=f"{self.path}:{node.line}",
        )
        return Candidate(entry, self.path, node.line, tuple(refs))

    def _type(
        self, fields: dict[str, Node], ident: str | None, country: str | None
    ) -> tuple[str | None, str | None] | None:
        """The entry's type (institution/place type, role kind) and a country it implies."""
        if self.kind == "institution":
            if "type" not in fields:
                return ("government", None)
            value = self.text(fields["type"], "type")
            if value is not None and value not in INSTITUTION_TYPES:
                message = f"type {value!r} is not one of {', '.join(INSTITUTION_TYPES)}"
                self.problem(fields["type"].line, message)
                return None
            return (value, None)
        if self.kind == "role":
            if "kind" not in fields:
                return None
            shape = "a lower-case word (minister, head-of-state, ...)"
            return (self.ident(fields["kind"], "kind", _WORD, shape), None)
        if self.kind != "place" or "type" not in fields:
            return None
        value = self.text(fields["type"], "type")
        if value is not None and value not in PLACE_TYPES:
            message = f"type {value!r} is not one of {', '.join(PLACE_TYPES)}"
            self.problem(fields["type"].line, message)
            return None
        if value != "country" or ident is None:
            return (value, None)
        line = fields["type"].line
        if not re.match(r"^[a-z]{2}$", ident):
            self.problem(line, "a country's id must be its lower-case ISO alpha-2 code")
            return None
        if country is not None and country != ident.upper():
            self.problem(line, f"a country's country must be {ident.upper()}, not {country}")
            return None
        return (value, ident.upper())

    def _parent(self, fields: dict[str, Node], refs: list[Ref]) -> str | None:
        if "parent" not in fields:
            return None
        node = fields["parent"]
        value = self.ident(node, "parent", _ID, "an id")
        if value is not None:
            refs.append(
                ("institution" if self.kind == "institution" else "place", value, node.line)
            )
        return value

    def _unique(self, fields: dict[str, Node]) -> bool:
        if "unique" not in fields:
            return True
        node = fields["unique"]
        if not isinstance(node, Scalar) or not node.is_bool:
            self.problem(node.line, "unique must be true or false")
            return True
        return node.text.lower() in _TRUE

    def _roles(self, fields: dict[str, Node], refs: list[Ref]) -> tuple[RoleSpell, ...]:
        if "roles" not in fields:
            return ()
        node = fields["roles"]
        if isinstance(node, Scalar) and node.is_null:
            return ()
        if not isinstance(node, SeqNode):
            self.problem(node.line, "roles must be a list of mappings (- role: ..., of: ...)")
            return ()
        spells: list[RoleSpell] = []
        for item in node.items:
            spell = self._spell(item, refs)
            if spell is not None:
                spells.append(spell)
        return tuple(spells)

    def _spell(self, node: Node, refs: list[Ref]) -> RoleSpell | None:
        if not isinstance(node, MapNode):
            self.problem(node.line, "each role must be a mapping (role: ..., of: ..., from: ...)")
            return None
        fields: dict[str, Node] = {}
        for key, value in node.items:
            if key.text in fields:
                self.problem(key.line, f"role: key {key.text!r} given twice")
            elif key.text not in SPELL_KEYS:
                message = f"role: unknown key {key.text!r}; allowed: {', '.join(SPELL_KEYS)}"
                self.problem(key.line, message)
            else:
                fields[key.text] = value
        role = None
        if "role" in fields:
            role = self.ident(fields["role"], "role", _ID, "a role id")
            if role is not None:
                refs.append(("role", role, fields["role"].line))
        else:
            self.problem(node.line, "role: the role id is missing (role: ...)")
        of = None
        if "of" in fields:
            of = self.text(fields["of"], "of")
            if of is not None:
                if _COUNTRY_CODE.match(of) or _ID.match(of):
                    refs.append(("of", of, fields["of"].line))
                else:
                    shape = "a country code (RU) or an institution id (pbb)"
                    self.problem(fields["of"].line, f"of {of!r} is not {shape}")
                    of = None
        start = self.date(fields["from"], "from") if "from" in fields else None
        end = self.date(fields["to"], "to") if "to" in fields else None
        if (
            start is not None
            and end is not None
            and period_bounds(start)[0] > period_bounds(end)[1]
        ):
            self.problem(fields["to"].line, f"to {end} comes before from {start}")
            return None
        if role is None:
            return None
        return RoleSpell(role=role, of=of, start=start, end=end)


# -- across files ------------------------------------------------------------------------------


@dataclass
class _Known:
    """Ids that references may name: every entry that passed its own file's checks."""

    roles: set[str]
    countries: set[str]
    institutions: set[str]
    places: set[str]

    @classmethod
    def of(cls, candidates: Iterable[Candidate]) -> _Known:
        known = cls(set(), set(), set(), set())
        for c in candidates:
            e = c.entry
            if e.kind == "role":
                known.roles.add(e.id)
            elif e.kind == "institution":
                known.institutions.add(e.id)
            elif e.kind == "place":
                known.places.add(e.id)
                if e.type == "country":
                    known.countries.add(e.id.upper())
        return known

    def problem(self, ref: Ref) -> str | None:
        what, value, _ = ref
        if what == "role":
            return None if value in self.roles else f"role {value!r} is not in the roles lexicon"
        if what == "country" or (what == "of" and _COUNTRY_CODE.match(value)):
            if value in self.countries:
                return None
            return f"{value!r} is not the code of a country in the places lexicon"
        if what in ("of", "institution"):
            if value in self.institutions:
                return None
            return f"{value!r} is not the id of an institution"
        return None if value in self.places else f"{value!r} is not the id of a place"


def _check_refs(
    candidates: list[Candidate], known: _Known, issues: list[LexiconIssue]
) -> list[Candidate]:
    kept = []
    for c in candidates:
        problems = [(ref[2], p) for ref in c.refs if (p := known.problem(ref)) is not None]
        for line, message in problems:
            issues.append(LexiconIssue(c.path, line, f"{c.entry.kind} {c.entry.id!r}: {message}"))
        if not problems:
            kept.append(c)
    return kept


def _one_layer(candidates: list[Candidate], issues: list[LexiconIssue]) -> list[Candidate]:
    """Drops later duplicates of an id, then entries claiming a name another entry holds."""
    by_key: dict[str, Candidate] = {}
    for c in candidates:
        first = by_key.get(c.entry.key)
        if first is not None:
            message = (
                f"{c.entry.kind} {c.entry.id!r}: duplicate id, "
                f"first defined at {first.entry.origin}"
            )
            issues.append(LexiconIssue(c.path, c.line, message))
            continue
        by_key[c.entry.key] = c
    claimed: dict[tuple[str, str], Candidate] = {}
    kept: list[Candidate] = []
    for c in by_key.values():
        clashes = [
            (n, claimed[(c.entry.kind, _fold(n))])
            for n in c.entry.all_names
            if (c.entry.kind, _fold(n)) in claimed
        ]
        for name, owner in clashes:
            message = (
                f"{c.entry.kind} {c.entry.id!r}: {name!r} is already a name of "
                f"{owner.entry.kind} {owner.entry.id!r} ({owner.entry.origin})"
            )
            issues.append(LexiconIssue(c.path, c.line, message))
        if clashes:
            continue
        for n in c.entry.all_names:
            claimed[(c.entry.kind, _fold(n))] = c
        kept.append(c)
    return kept


def _merge(bundled: list[Candidate], user: list[Candidate]) -> dict[str, Entry]:
    """User entries replace bundled ones of the same kind and id, and take their names."""
    entries = {c.entry.key: c.entry for c in bundled}
    user_keys = {c.entry.key for c in user}
    claims = {(c.entry.kind, _fold(n)) for c in user for n in c.entry.all_names}
    for c in user:
        entries[c.entry.key] = c.entry
    for key, entry in list(entries.items()):
        if key in user_keys:
            continue
        if (entry.kind, _fold(entry.name)) in claims:
            # The user gave this entry's very name to an entry of their own: theirs stands for it.
            del entries[key]
            continue
        kept = tuple(a for a in entry.aliases if (entry.kind, _fold(a)) not in claims)
        if len(kept) != len(entry.aliases):
            entries[key] = dataclasses.replace(entry, aliases=kept)
    return entries


def _load(bundled: list[_Source], user: list[_Source], issues: list[LexiconIssue]) -> Lexicon:
    order = {s.path: i for i, s in enumerate([*bundled, *user])}
    layers: list[list[Candidate]] = []
    disk = DiskCache(cache_dir())
    for sources in (bundled, user):
        layer: list[Candidate] = []
        for source in sources:
            result = _read_source(source, disk)
            layer.extend(result.candidates)
            issues.extend(result.issues)
        layers.append(layer)
    disk.save()
    known = _Known.of([*layers[0], *layers[1]])
    bundled_ok = _one_layer(_check_refs(layers[0], known, issues), issues)
    user_ok = _one_layer(_check_refs(layers[1], known, issues), issues)
    entries = _merge(bundled_ok, user_ok)
    issues.sort(key=lambda i: (order.get(i.path, -1), i.line))
    return Lexicon(entries=entries, issues=tuple(issues))


def load_lexicon(
    paths: Sequence[Path] | None = None,
    *,
    user_dir: Path | Literal[False] | None = None,
) -> Lexicon:
    """Load and validate lexicons; invalid entries are left out and reported in `issues`.

    `paths` (files, or directories searched for *.yaml) replace the bundled lexicons; None
    loads the bundled ones. `user_dir` holds the user's own *.yaml files, merged over them:
    None is `default_user_dir()`, False loads no user files.
    """
    issues: list[LexiconIssue] = []
    if paths is None:
        base = bundled_sources()
    else:
        base, missing = _sources_of(paths)
        issues.extend(missing)
    user: list[_Source] = []
    if user_dir is not False:
        directory = default_user_dir() if user_dir is None else user_dir
        if directory.is_dir():
            user = _traversable_sources(directory)
    return _load(base, user, issues)


def check_lexicons(paths: Sequence[Path] | None = None) -> list[LexiconIssue]:
    """Every issue in the lexicons Warta would load, or in `paths` laid over the bundled ones.

    With `paths` (files or directories), they are checked as user files are: merged over the
    bundled lexicons, so their roles, countries and institutions may refer to bundled entries.
    """
    if paths is None:
        return list(load_lexicon().issues)
    issues: list[LexiconIssue] = []
    user, missing = _sources_of(paths)
    issues.extend(missing)
    # A bundled file named on the command line is checked once, as the file given.
    given = {os.path.realpath(s.path) for s in user}
    bundled = [s for s in bundled_sources() if os.path.realpath(s.path) not in given]
    return list(_load(bundled, user, issues).issues)
