"""Provides the lexicon's dataclasses: entries, dated roles, issues and the loaded lexicon."""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

KINDS = ("official", "institution", "place", "person", "role")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@functools.lru_cache(maxsize=4096)
def period_bounds(text: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the period an ISO date names (`2024`, `2024-05`, `2024-05-12`).

    Raises ValueError for anything else, including impossible days (`2023-02-30`).
    """
    m = _DATE.match(text)
    if m is None:
        raise ValueError(f"{text!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m.group(1))
    if m.group(2) is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    month = int(m.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    if m.group(3) is None:
        last = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, 1), datetime.date(year, month, last)
    try:
        day = datetime.date(year, month, int(m.group(3)))
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the calendar") from None
    return day, day


@dataclass(frozen=True)
class RoleSpell:
    """One dated role of an official: `role` of `of` from `start` to `end` (None: open)."""

    role: str
    of: str | None
    start: str | None
    end: str | None

    def active_on(self, day: datetime.date) -> bool:
        """Whether the role was held on `day`, both ends inclusive.

        A partial date covers its whole period: a start of `2024-05` counts from 1 May, an end
        of `2024-05` until 31 May.
        """
        if self.start is not None and day < period_bounds(self.start)[0]:
            return False
        return not (self.end is not None and day > period_bounds(self.end)[1])


@dataclass(frozen=True)
class Entry:
    """One lexicon entry of any kind; `origin` is "path:line" for messages."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    roles: tuple[RoleSpell, ...] = ()
    type: str | None = None
    parent: str | None = None
    unique: bool = True
    adjectives: tuple[str, ...] = ()
    origin: str = ""

    @property
    def all_names(self) -> tuple[str, ...]:
        """The display name first, then the aliases: every form the matcher looks for."""
        return (self.name, *self.aliases)

    @property
    def key(self) -> str:
        """The key of this entry in `Lexicon.entries`: "kind:id"."""
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class LexiconIssue:
    """A problem found in a lexicon file, at a 1-based line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Lexicon:
    """The loaded lexicons: valid entries keyed by "kind:id", and the issues found on loading.

    Ids are unique within a kind only (the place `ru` and an institution `ru` may coexist),
    hence the "kind:id" keys; `get(kind, id)` and `by_kind(kind)` hide that detail.
    """

    entries: Mapping[str, Entry]
    issues: tuple[LexiconIssue, ...] = ()
    _by_kind: Mapping[str, tuple[Entry, ...]] = field(init=False, repr=False, compare=False)
    _holders: Mapping[str, tuple[tuple[RoleSpell, Entry], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        entries = MappingProxyType(dict(self.entries))
        by_kind: dict[str, list[Entry]] = {kind: [] for kind in KINDS}
        holders: dict[str, list[tuple[RoleSpell, Entry]]] = {}
        for entry in entries.values():
            by_kind.setdefault(entry.kind, []).append(entry)
            for spell in entry.roles:
                holders.setdefault(spell.role, []).append((spell, entry))
        # Frozen: the derived indexes are set once here, through object.__setattr__.
        object.__setattr__(self, "entries", entries)
        object.__setattr__(self, "_by_kind", {k: tuple(v) for k, v in by_kind.items()})
        object.__setattr__(self, "_holders", {k: tuple(v) for k, v in holders.items()})

    def by_kind(self, kind: str) -> list[Entry]:
        """Entries of one kind, in the order they were loaded."""
        return list(self._by_kind.get(kind, ()))

    def get(self, kind: str, id: str) -> Entry | None:
        return self.entries.get(f"{kind}:{id}")

    def holders(self, role: str, of: str | None, day: datetime.date) -> list[Entry]:
        """Officials holding `role` of `of` (country code or institution id) on `day`.

        `of=None` accepts a spell of any `of`. The most recently started holder comes first,
        so for a `unique` role the first one is the answer.
        """
        found: dict[str, tuple[datetime.date, Entry]] = {}
        for spell, entry in self._holders.get(role, ()):
            if of is not None and spell.of != of:
                continue
            if not spell.active_on(day):
                continue
            start = period_bounds(spell.start)[0] if spell.start else datetime.date.min
            if entry.id not in found or found[entry.id][0] < start:
                found[entry.id] = (start, entry)
        ranked = sorted(found.values(), key=lambda pair: (-pair[0].toordinal(), pair[1].id))
        return [entry for _, entry in ranked]

    @property
    def officials(self) -> list[Entry]:
        return self.by_kind("official")

    @property
    def institutions(self) -> list[Entry]:
        return self.by_kind("institution")

    @property
    def places(self) -> list[Entry]:
        return self.by_kind("place")

    @property
    def roles(self) -> list[Entry]:
        return self.by_kind("role")

    @property
    def persons(self) -> list[Entry]:
        return self.by_kind("person")
