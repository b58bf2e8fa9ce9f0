"""Provides date expressions of Indonesian news text, resolved against the article's anchor date."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from warta.index.models import DateMention

__all__ = ["DateRulesError", "anchor_date", "find_dates"]

# Spans never cross a line: a date written over two lines is not a news habit, and allowing
# newlines would glue a dateline to the next paragraph's first word.
_S = "[ \\t\\xa0]"
_FLAGS = re.IGNORECASE | re.ASCII

# A weekday with a day/month and no year is looked for this many years back (and one ahead).
_WEEKDAY_YEARS_BACK = 7
# How far after the anchor a weekday-fixed day/month may lie (an announced, coming event).
# A day/month repeats its weekday only after 5, 6 or 11 years, so a year ahead stays unambiguous.
_WEEKDAY_FUTURE_DAYS = 366

_DAY = "day"
_MONTH = "month"
_YEAR = "year"
_UNKNOWN = "unknown"
_WEEK = "week"

_TOP_KEYS = frozenset(
    {
        "months",
        "weekdays",
        "relative_days",
        "directions",
        "units",
        "one_units",
        "numbers",
        "modifiers",
        "context_words",
        "recurring_words",
        "time_of_day_words",
        "time_zones",
        "anaphoric_words",
        "range_words",
        "future_context_words",
    }
)


class DateRulesError(ValueError):
    """The date rule file is malformed."""


def _today() -> dt.date:
    # One seam for tests: a weekday-fixed day/month with no anchor searches back from today.
    return dt.date.today()


# ---------------------------------------------------------------------------------------------
# Rule data


@dataclass(frozen=True)
class _Rules:
    months: Mapping[str, int]
    full_months: frozenset[str]
    weekdays: Mapping[str, int]
    week_weekdays: frozenset[str]
    relative_days: Mapping[str, int]
    directions: Mapping[str, int]
    units: Mapping[str, str]
    one_units: Mapping[str, str]
    numbers: Mapping[str, int | None]
    modifiers: Mapping[str, tuple[int, int]]
    context_words: frozenset[str]
    recurring_words: frozenset[str]
    time_of_day_words: frozenset[str]
    time_zones: tuple[str, ...]
    anaphoric_words: frozenset[str]
    range_words: tuple[str, ...]
    future_context_words: frozenset[str]


def _norm(words: str) -> str:
    return " ".join(words.lower().split())


def _words(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise DateRulesError(f"dates.yaml: {where} must be a list of words")
    return [_norm(w) for w in value]


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise DateRulesError(f"dates.yaml: {where} must be a mapping of words")
    return {_norm(k): v for k, v in value.items()}


def _parse_rules(data: Any) -> _Rules:
    if not isinstance(data, dict):
        raise DateRulesError("dates.yaml: the top level must be a mapping")
    unknown = set(data) - _TOP_KEYS
    missing = _TOP_KEYS - set(data)
    if unknown:
        raise DateRulesError(f"dates.yaml: unknown keys {sorted(unknown)}")
    if missing:
        raise DateRulesError(f"dates.yaml: missing keys {sorted(missing)}")

    months: dict[str, int] = {}
    full_months: set[str] = set()
    for entry in data["months"]:
        if not isinstance(entry, dict) or set(entry) != {"number", "names", "abbreviations"}:
            raise DateRulesError("dates.yaml: a month needs exactly number, names, abbreviations")
        number = entry["number"]
        if not isinstance(number, int) or not 1 <= number <= 12:
            raise DateRulesError(f"dates.yaml: bad month number {number!r}")
        for name in _words(entry["names"], f"month {number} names"):
            months[name] = number
            full_months.add(name)
        abbreviations = entry["abbreviations"] or []
        for name in _words(abbreviations, f"month {number} abbreviations"):
            months[name] = number
    if sorted(set(months.values())) != list(range(1, 13)):
        raise DateRulesError("dates.yaml: months must name all twelve months")

    weekdays: dict[str, int] = {}
    week_weekdays: set[str] = set()
    for entry in data["weekdays"]:
        if (
            not isinstance(entry, dict)
            or not {"number", "names"} <= set(entry)
            or not set(entry) <= {"number", "names", "also_week"}
        ):
            raise DateRulesError(
                "dates.yaml: a weekday needs number, names (and may have also_week)"
            )
        number = entry["number"]
        if not isinstance(number, int) or not 0 <= number <= 6:
            raise DateRulesError(f"dates.yaml: bad weekday number {number!r}")
        for name in _words(entry["names"], f"weekday {number} names"):
            weekdays[name] = number
            if entry.get("also_week", False):
                week_weekdays.add(name)
    if sorted(set(weekdays.values())) != list(range(7)):
        raise DateRulesError("dates.yaml: weekdays must name all seven days")

    def int_map(key: str) -> dict[str, int]:
        m = _mapping(data[key], key)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in m.values()):
            raise DateRulesError(f"dates.yaml: {key} values must be integers")
        return m

    directions = int_map("directions")
    if not set(directions.values()) <= {-1, 0, 1}:
        raise DateRulesError("dates.yaml: directions must be -1, 0 or 1")

    allowed_units = {_DAY, _WEEK, _MONTH, _YEAR}
    units = _mapping(data["units"], "units")
    one_units = _mapping(data["one_units"], "one_units")
    for key, m in (("units", units), ("one_units", one_units)):
        if not set(m.values()) <= allowed_units:
            raise DateRulesError(f"dates.yaml: {key} values must be one of {sorted(allowed_units)}")

    numbers = _mapping(data["numbers"], "numbers")
    if not all(v is None or (isinstance(v, int) and v > 0) for v in numbers.values()):
        raise DateRulesError("dates.yaml: numbers must be positive integers or null")

    modifiers: dict[str, tuple[int, int]] = {}
    for word, span in _mapping(data["modifiers"], "modifiers").items():
        if (
            not isinstance(span, list)
            or len(span) != 2
            or not all(isinstance(d, int) and 0 <= d <= 6 for d in span)
            or span[0] > span[1]
        ):
            raise DateRulesError(f"dates.yaml: modifier {word!r} needs [first, last] weekdays")
        modifiers[word] = (span[0], span[1])

    return _Rules(
        months=months,
        full_months=frozenset(full_months),
        weekdays=weekdays,
        week_weekdays=frozenset(week_weekdays),
        relative_days=int_map("relative_days"),
        directions=directions,
        units=units,
        one_units=one_units,
        numbers=numbers,
        modifiers=modifiers,
        context_words=frozenset(_words(data["context_words"], "context_words")),
        recurring_words=frozenset(_words(data["recurring_words"], "recurring_words")),
        time_of_day_words=frozenset(_words(data["time_of_day_words"], "time_of_day_words")),
        time_zones=tuple(w.upper() for w in _words(data["time_zones"], "time_zones")),
        anaphoric_words=frozenset(_words(data["anaphoric_words"], "anaphoric_words")),
        range_words=tuple(_words(data["range_words"], "range_words")),
        future_context_words=frozenset(
            _words(data["future_context_words"], "future_context_words")
        ),
    )


def _load_rules() -> _Rules:
    text = resources.files("warta.index.data").joinpath("dates.yaml").read_text("utf-8")
    return _parse_rules(yaml.safe_load(text))


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31 and dt.MINYEAR <= year <= dt.MAXYEAR):
        return None
    if day > calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _day_month_not_after(day: int, month: int, ref: dt.date) -> dt.date | None:
    # 29 February may need up to eight years back to exist.
    for year in range(ref.year, ref.year - 9, -1):
        found = _safe_date(year, month, day)
        if found is not None and found <= ref:
            return found
    return None


def _day_month_not_before(day: int, month: int, ref: dt.date) -> dt.date | None:
    for year in range(ref.year, ref.year + 9):
        found = _safe_date(year, month, day)
        if found is not None and found >= ref:
            return found
    return None


def _day_month_by_weekday(
    day: int, month: int, weekday: int, ref: dt.date, ahead_days: int
) -> dt.date | None:
    """The date with this day/month falling on `weekday`, nearest to `ref`.

    A day/month falls on the same weekday only every 5, 6 or 11 years, so within the searched
    window (seven years back, a year ahead) the nearest match is the only sensible one.
    """
    latest = ref + dt.timedelta(days=ahead_days)
    best: dt.date | None = None
    for year in range(ref.year + 1, ref.year - _WEEKDAY_YEARS_BACK - 1, -1):
        found = _safe_date(year, month, day)
        if found is None or found.weekday() != weekday or found > latest:
            continue
        if best is None or abs((found - ref).days) < abs((best - ref).days):
            best = found
    return best


def _week_month(first: dt.date, last: dt.date, anchor: dt.date) -> str:
    """The month a span of days within one week is reported in (see docs/dates.md)."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    if (anchor.year, anchor.month) in {(first.year, first.month), (last.year, last.month)}:
        return f"{anchor.year:04d}-{anchor.month:02d}"
    middle = first + (last - first) // 2
    return f"{middle.year:04d}-{middle.month:02d}"


def _iso_day(day: dt.date) -> str:
    return day.isoformat()


def _iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _two_digit_year(value: str) -> int:
    year = int(value)
    if len(value) == 4:
        return year
    # Two-digit years in news are this century unless that would put them in the future.
    return 2000 + year if 2000 + year <= _today().year + 1 else 1900 + year


# ---------------------------------------------------------------------------------------------
# Patterns and handlers


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    date: str | None
    precision: str
    explicit: bool = False  # a full day with its year written out: usable as an anchor


_UNRESOLVED = (None, _UNKNOWN)

_Handler = Callable[["re.Match[str]", str, "dt.date | None"], "_Found | None"]
_Form = tuple["re.Pattern[str]", _Handler]


def _alt(words: Iterable[str]) -> str:
    # Longest first: the regex alternation takes the first branch that matches.
    items = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace("\\ ", f"{_S}+") for w in items)


def _trie(words: Iterable[str]) -> str:
    """One regex alternative per first letter, nested: far cheaper to try than a flat list."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _prev_word_at(text: str, start: int) -> tuple[str, int]:
    """The word just before `start` (lower case, "" if none) and where it starts."""
    j = start
    while j > 0 and text[j - 1] in " \t\xa0":
        j -= 1
    k = j
    while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "'"):
        k -= 1
    return text[k:j].lower(), k


def _prev_word(text: str, start: int) -> str:
    return _prev_word_at(text, start)[0]


def _sentence_start(text: str, start: int) -> bool:
    j = start
    while j > 0 and text[j - 1] in " \t\xa0*_\"'\u201c\u2018(":
        j -= 1
    return j == 0 or text[j - 1] in ".!?:\n"


def _prev_is_number(text: str, start: int) -> bool:
    j = start
    while j > 0 and text[j - 1] in " \t\xa0":
        j -= 1
    return j < start and j > 0 and text[j - 1].isdigit()


_NEXT_WORD = re.compile(r"[ \t\xa0]+([A-Za-z]+)")


class _Finder:
    """Compiled patterns, tried in order at each candidate position; the first accepted wins."""

    def __init__(self, rules: _Rules) -> None:
        self.rules = rules
        wd = _alt(rules.weekdays)
        mon_full = _alt(rules.full_months)
        mon_any = _alt(rules.months)
        dirs = _alt(rules.directions)
        past = _alt(w for w, sense in rules.directions.items() if sense < 0)
        units = _alt(rules.units)
        one_units = _alt(rules.one_units)
        numbers = _alt(rules.numbers)
        mods = _alt(rules.modifiers)
        reldays = _alt(rules.relative_days)
        zones = _alt(rules.time_zones)
        s = _S

        wdp = rf"(?:(?P<hari>hari){s}+)?(?P<wd>{wd})\b"
        wd_date_lead = rf"(?:{wdp}{s}*,?{s}*(?:tanggal{s}+)?)?"
        wd_lead = rf"(?:{wdp}(?:{s}+(?P<wdrel>{past}))?{s}*,?{s}*)?"
        time = (
            rf"(?:{s}*,?{s}*(?:pukul{s}+)?[0-2]?[0-9][:.][0-5][0-9](?![0-9])"
            rf"(?:{s}*(?:{zones})\b)?)?"
        )
        # Each form: its pattern, the kinds of word it can start with, its handler. At one
        # position the forms are tried in this order and the first one accepted wins.
        wdc, dayc = ("wd", "hari"), ("day",)
        forms: list[tuple[str, tuple[str, ...], _Handler]] = [
            # Kamis (19/5/2022), (19/5/22), 19/5/2022, 19-5-2022
            (
                wd_lead + rf"(?:\({s}*(?P<d>[0-9]{{1,2}})/(?P<m>[0-9]{{1,2}})/"
                rf"(?P<y>[0-9]{{4}}|[0-9]{{2}}){s}*\)"
                rf"|(?<![0-9/])(?P<d2>[0-9]{{1,2}})/(?P<m2>[0-9]{{1,2}})/(?P<y2>[0-9]{{4}})"
                rf"|(?<![0-9-])(?P<d3>[0-9]{{1,2}})-(?P<m3>[0-9]{{1,2}})-(?P<y3>[0-9]{{4}}))"
                rf"(?![0-9/])",
                (*wdc, "paren", *dayc),
                self._numeric_full,
            ),
            # Selasa (23/11), (5/2)
            (
                wd_lead + rf"\({s}*(?P<d>[0-9]{{1,2}})/(?P<m>[0-9]{{1,2}}){s}*\)",
                (*wdc, "paren"),
                self._numeric_day_month,
            ),
            # Selasa, 23/11
            (
                rf"{wdp},?{s}+(?P<d>[0-9]{{1,2}})/(?P<m>[0-9]{{1,2}})(?![0-9/])",
                wdc,
                self._numeric_day_month,
            ),
            # Sabtu, 30 Jul 2022 11:28 WIB; 30 Juli 2022; Selasa tanggal 12 Januari 2021
            (
                wd_date_lead + rf"(?<![0-9.,])(?P<d>[0-9]{{1,2}}){s}+(?P<mon>{mon_any})"
                rf"\.?{s}+(?P<y>[0-9]{{4}})(?![0-9]|[.,][0-9])" + time,
                (*wdc, *dayc),
                self._text_full,
            ),
            # January 21, 2022
            (
                rf"(?P<mon>{mon_full}){s}+(?P<d>[0-9]{{1,2}}),{s}*(?P<y>[0-9]{{4}})(?![0-9])",
                ("monf",),
                self._text_full,
            ),
            # 15 Februari lalu; Senin, 14 Oktober; 17 Agustus tahun lalu
            (
                wd_date_lead + rf"(?<![0-9.,])(?P<d>[0-9]{{1,2}}){s}+(?P<mon>{mon_full})\b"
                rf"(?:{s}+tahun{s}+(?P<ysuf>{dirs})\b|{s}+(?P<suf>{dirs})\b)?",
                (*wdc, *dayc),
                self._text_day_month,
            ),
            # Februari 2022, akhir Juli 2022, Mei tahun 2021
            (
                rf"(?:(?P<mod>{mods}){s}+)?(?:(?P<bulan>bulan){s}+)?(?P<mon>{mon_any})\.?{s}+"
                rf"(?:tahun{s}+)?(?P<y>[0-9]{{4}})(?![0-9]|[.,][0-9])",
                ("mod", "bulan", "monf", "mona"),
                self._month_year,
            ),
            # akhir Februari, bulan Mei, Mei lalu, Juni tahun lalu, (pada) Februari
            (
                rf"(?:(?P<mod>{mods}){s}+)?(?:(?P<bulan>bulan){s}+)?(?P<mon>{mon_full})\b"
                rf"(?:{s}+tahun{s}+(?P<ysuf>{dirs})\b|{s}+(?P<suf>{dirs})\b)?",
                ("mod", "bulan", "monf"),
                self._month_relative,
            ),
            # (pada) 2014, tahun 2014, akhir 2021, 2014 silam
            (
                rf"(?:(?P<mod>{mods}){s}+)?(?:(?P<tahun>tahun){s}+)?(?<![0-9.,/])"
                rf"(?P<y>(?:19|20)[0-9]{{2}})(?![0-9]|[.,/][0-9]|-an\b)"
                rf"(?:{s}+(?P<suf>{past})\b)?",
                ("mod", "tahun", "year"),
                self._year,
            ),
            # Jumat pekan lalu, Jumat lalu, Senin depan, hari Minggu kemarin
            (
                rf"{wdp}(?:{s}+(?P<unit>pekan|minggu))?{s}+(?P<rel>{dirs})\b",
                wdc,
                self._weekday_relative,
            ),
            # (pada hari) Jumat
            (wdp, wdc, self._weekday_bare),
            # kemarin, hari ini, besok
            (rf"(?P<rd>{reldays})\b", ("rel",), self._relative_day),
            # pekan lalu, dua tahun lalu, sebulan lalu, akhir pekan lalu, beberapa hari lalu
            (
                rf"(?:(?P<n>[0-9]{{1,2}}|{numbers}){s}+(?P<unit>{units})"
                rf"|(?P<one>{one_units})"
                rf"|(?:(?P<mod>{mods}){s}+)?(?P<unit2>{units})){s}+(?P<rel>{dirs})\b",
                (*dayc, "num", "one", "mod", "unit"),
                self._period,
            ),
            # akhir tahun, awal bulan: the current one
            (rf"(?P<mod>{mods}){s}+(?P<unit>bulan|tahun)\b", ("mod",), self._period_current),
        ]
        compiled = [(re.compile(p, _FLAGS), starts, h) for p, starts, h in forms]
        # The second end of a range, whose year the first end takes.
        self.range_tail = re.compile(
            rf"{s}*(?:[-\u2013\u2014]|(?:{_alt(rules.range_words)})(?![A-Za-z])){s}*"
            rf"(?:(?:{wd}){s}*,?{s}*)?(?:(?P<d>[0-9]{{1,2}}){s}+)?(?:(?:{mods}){s}+)?"
            rf"(?:bulan{s}+)?(?P<mon>{mon_any})\.?{s}+(?P<y>[0-9]{{4}})(?![0-9])",
            _FLAGS,
        )

        # Which kinds each start word is; a candidate position tries only the forms that can
        # start with its word.
        kinds: dict[str, set[str]] = {}

        def add(words: Iterable[str], kind: str) -> None:
            for w in words:
                kinds.setdefault(w.split()[0], set()).add(kind)

        add(rules.weekdays, "wd")
        add(["hari"], "hari")
        add(rules.full_months, "monf")
        add(set(rules.months) - rules.full_months, "mona")
        add(rules.modifiers, "mod")
        add(["bulan"], "bulan")
        add(["tahun"], "tahun")
        add(rules.units, "unit")
        add(rules.one_units, "one")
        add(rules.numbers, "num")
        add(rules.relative_days, "rel")

        def forms_for(kind_set: set[str]) -> tuple[_Form, ...]:
            return tuple((p, h) for p, starts, h in compiled if kind_set.intersection(starts))

        self.word_forms: dict[str, tuple[_Form, ...]] = {w: forms_for(k) for w, k in kinds.items()}
        self.day_forms = forms_for({"day"})
        self.year_forms = forms_for({"year"})
        self.paren_forms = forms_for({"paren"})

        # Candidate start tokens. A token must follow a non-alphanumeric character; putting
        # that character first (and the token in a lookahead) lets the regex engine skip
        # through words fast, which a leading look-behind would not.
        token = (
            rf"(?P<w>{_trie(kinds)})(?![A-Za-z0-9'])"
            rf"|(?P<day>[0-9]{{1,2}})(?=[/-]|{s}+[A-Za-z])"
            rf"|(?P<year>(?:19|20)[0-9]{{2}})(?![0-9])"
            rf"|(?P<paren>\(){s}*[0-9]{{1,2}}/"
        )
        self.first_token = re.compile(rf"(?:{token})", _FLAGS)
        self.tokens = re.compile(rf"[^A-Za-z0-9](?=(?:{token}))", _FLAGS)

    # -- scanning -------------------------------------------------------------------------

    def _candidates(self, text: str) -> Iterator[tuple[int, tuple[_Form, ...]]]:
        first = self.first_token.match(text)
        hits = self.tokens.finditer(text)
        if first is not None:
            yield self._dispatch(first)
        for m in hits:
            yield self._dispatch(m)

    def _dispatch(self, m: re.Match[str]) -> tuple[int, tuple[_Form, ...]]:
        kind = m.lastgroup
        if kind == "w":
            return m.start("w"), self.word_forms.get(m.group("w").lower(), ())
        if kind == "day":
            return m.start("day"), self.day_forms
        if kind == "year":
            return m.start("year"), self.year_forms
        return m.start("paren"), self.paren_forms

    def scan(self, text: str, anchor: dt.date | None) -> list[_Found]:
        found: list[_Found] = []
        covered = 0
        for start, candidates in self._candidates(text):
            if start < covered:
                continue
            for pattern, handler in candidates:
                m = pattern.match(text, start)
                if m is not None:
                    accepted = handler(m, text, anchor)
                    if accepted is not None:
                        found.append(accepted)
                        covered = accepted.end
                        break
        return found

    # -- helpers --------------------------------------------------------------------------

    def _weekday(self, m: re.Match[str]) -> int | None:
        name = m.group("wd")
        return None if name is None else self.rules.weekdays[_norm(name)]

    def _is_week_word(self, m: re.Match[str]) -> bool:
        """A bare "minggu" here most likely means "week", not Sunday."""
        name = m.group("wd")
        return name is not None and _norm(name) in self.rules.week_weekdays

    def _month(self, m: re.Match[str]) -> int:
        return self.rules.months[_norm(m.group("mon"))]

    def _has_context(self, text: str, start: int) -> bool:
        return _prev_word(text, start) in self.rules.context_words

    def _recurring(self, text: str, start: int) -> bool:
        word, at = _prev_word_at(text, start)
        if word == "hari":  # "setiap hari Selasa"
            word, _ = _prev_word_at(text, at)
        return word in self.rules.recurring_words

    def _future_context(self, text: str, start: int) -> bool:
        return _prev_word(text, start) in self.rules.future_context_words

    def _next_word(self, text: str, end: int) -> str:
        m = _NEXT_WORD.match(text, end)
        return "" if m is None else m.group(1).lower()

    def _range_end(self, m: re.Match[str]) -> tuple[int, int, int | None] | None:
        """(year, month, day or None) of the second end of a range starting right after m."""
        tail = self.range_tail.match(m.string, m.end())
        if tail is None:
            return None
        day = None if tail.group("d") is None else int(tail.group("d"))
        return int(tail.group("y")), self._month(tail), day

    # -- handlers -------------------------------------------------------------------------

    def _numeric_full(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        for d, mo, y in (("d", "m", "y"), ("d2", "m2", "y2"), ("d3", "m3", "y3")):
            if m.group(d) is not None:
                day = _safe_date(_two_digit_year(m.group(y)), int(m.group(mo)), int(m.group(d)))
                if day is None:
                    return None
                return _Found(m.start(), m.end(), _iso_day(day), _DAY, explicit=True)
        return None

    def _numeric_day_month(
        self, m: re.Match[str], text: str, anchor: dt.date | None
    ) -> _Found | None:
        day, month = int(m.group("d")), int(m.group("m"))
        if _safe_date(2000, month, day) is None:  # 2000 is a leap year: 29/2 stays valid
            return None
        return self._resolve_day_month(m, day, month, self._weekday(m), None, anchor)

    def _resolve_day_month(
        self,
        m: re.Match[str],
        day: int,
        month: int,
        weekday: int | None,
        sense: int | None,
        anchor: dt.date | None,
    ) -> _Found:
        found: dt.date | None = None
        if weekday is not None:
            # With no anchor the article's day is unknown but past: search back from today.
            if anchor is None:
                found = _day_month_by_weekday(day, month, weekday, _today(), 0)
            else:
                found = _day_month_by_weekday(day, month, weekday, anchor, _WEEKDAY_FUTURE_DAYS)
        if found is None and anchor is not None:
            if sense == 1:
                found = _day_month_not_before(day, month, anchor)
            else:
                found = _day_month_not_after(day, month, anchor)
        if found is None:
            return _Found(m.start(), m.end(), *_UNRESOLVED)
        return _Found(m.start(), m.end(), _iso_day(found), _DAY)

    def _text_full(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        day = _safe_date(int(m.group("y")), self._month(m), int(m.group("d")))
        if day is None:
            return None
        return _Found(m.start(), m.end(), _iso_day(day), _DAY, explicit=True)

    def _text_day_month(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        day, month = int(m.group("d")), self._month(m)
        if _safe_date(2000, month, day) is None:
            return None
        ysuf = m.group("ysuf")
        if ysuf is not None:
            if anchor is None:
                return _Found(m.start(), m.end(), *_UNRESOLVED)
            year = anchor.year + self.rules.directions[_norm(ysuf)]
            found = _safe_date(year, month, day)
            if found is None:
                return None
            return _Found(m.start(), m.end(), _iso_day(found), _DAY)
        suf = m.group("suf")
        sense = None if suf is None else self.rules.directions[_norm(suf)]
        if suf is None and self._future_context(text, m.start()):
            sense = 1
        if suf is None:
            tail = self._range_end(m)
            if tail is not None and tail[2] is not None:
                year, end_month, end_day = tail
                if (month, day) > (end_month, end_day):
                    year -= 1  # "28 Desember hingga 3 Januari 2022"
                found = _safe_date(year, month, day)
                if found is not None:
                    return _Found(m.start(), m.end(), _iso_day(found), _DAY)
        if sense == 0 and anchor is not None:
            found = _safe_date(anchor.year, month, day)
            if found is not None:
                return _Found(m.start(), m.end(), _iso_day(found), _DAY)
        return self._resolve_day_month(m, day, month, self._weekday(m), sense, anchor)

    def _month_year(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        return _Found(m.start(), m.end(), _iso_month(int(m.group("y")), self._month(m)), _MONTH)

    def _month_relative(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        month = self._month(m)
        ysuf, suf = m.group("ysuf"), m.group("suf")
        tail = self._range_end(m) if ysuf is None and suf is None else None
        if tail is not None:
            year = tail[0] - 1 if month > tail[1] else tail[0]  # "Januari - Agustus 2023"
            return _Found(m.start(), m.end(), _iso_month(year, month), _MONTH)
        has_word = any(m.group(g) is not None for g in ("mod", "bulan", "suf", "ysuf"))
        if not has_word and not self._has_context(text, m.start()):
            return None
        if anchor is None:
            return _Found(m.start(), m.end(), *_UNRESOLVED)
        if ysuf is not None:
            year = anchor.year + self.rules.directions[_norm(ysuf)]
        elif suf is not None and self.rules.directions[_norm(suf)] == 0:
            year = anchor.year
        elif (suf is not None and self.rules.directions[_norm(suf)] == 1) or (
            suf is None and self._future_context(text, m.start())
        ):
            year = anchor.year if month >= anchor.month else anchor.year + 1
        else:
            year = anchor.year if month <= anchor.month else anchor.year - 1
        return _Found(m.start(), m.end(), _iso_month(year, month), _MONTH)

    def _year(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        has_word = m.group("mod") is not None or m.group("tahun") is not None
        if not has_word and not self._has_context(text, m.start()):
            return None
        if (
            m.group("mod") is None
            and m.group("tahun") is not None
            and _prev_is_number(text, m.start())
        ):
            return None  # "Nomor 16 Tahun 2021", "UU 36 tahun 1999": a regulation's number
        return _Found(m.start(), m.end(), f"{int(m.group('y')):04d}", _YEAR)

    def _weekday_relative(
        self, m: re.Match[str], text: str, anchor: dt.date | None
    ) -> _Found | None:
        if (
            self._is_week_word(m)
            and m.group("hari") is None
            and m.group("unit") is None
            and not (m.group("wd")[0].isupper() and not _sentence_start(text, m.start()))
        ):
            return None  # "minggu lalu" is last week; "pada Minggu lalu" is last Sunday
        if anchor is None:
            return _Found(m.start(), m.end(), *_UNRESOLVED)
        weekday = self._weekday(m)
        assert weekday is not None
        sense = self.rules.directions[_norm(m.group("rel"))]
        if m.group("unit") is not None or sense == 0:
            day = _monday(anchor) + dt.timedelta(days=7 * sense + weekday)
        elif sense < 0:
            day = anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7 or 7)
        else:
            day = anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
        return _Found(m.start(), m.end(), _iso_day(day), _DAY)

    def _weekday_bare(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        start, end = m.start(), m.end()
        if self._recurring(text, start):
            return None
        if text[start - 1 : start] in ("-", "\u2013") or text[end : end + 1] in ("-", "\u2013"):
            return None  # "Senin-Jumat": office days, not a day
        has_hari = m.group("hari") is not None
        written = m.group("wd")
        if self._is_week_word(m) and not has_hari:
            # Sunday only with evidence: capitalised and followed by punctuation or a time word.
            after = text[end : end + 12]
            follow = re.match(r"[ \t\xa0]*([,.;:)(]|$)|[ \t\xa0]+([A-Za-z]+)", after)
            if not written[0].isupper() or follow is None:
                return None
            word = follow.group(2)
            if word is not None and word.lower() not in self.rules.time_of_day_words:
                return None
        elif not (has_hari or written[0].isupper() or self._has_context(text, start)):
            return None
        if anchor is None:
            return _Found(start, end, *_UNRESOLVED)
        weekday = self._weekday(m)
        assert weekday is not None
        day = anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)
        return _Found(start, end, _iso_day(day), _DAY)

    def _relative_day(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        if anchor is None:
            return _Found(m.start(), m.end(), *_UNRESOLVED)
        offset = self.rules.relative_days[_norm(m.group("rd"))]
        return _Found(m.start(), m.end(), _iso_day(anchor + dt.timedelta(days=offset)), _DAY)

    def _period(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        rules = self.rules
        sense = rules.directions[_norm(m.group("rel"))]
        mod = m.group("mod")
        count: int | None
        if m.group("n") is not None:
            word = _norm(m.group("n"))
            count = int(word) if word.isdigit() else rules.numbers[word]
            unit = rules.units[_norm(m.group("unit"))]
            if sense == 0 or count == 0:
                return None  # "dua tahun ini" is a duration, not a date
        elif m.group("one") is not None:
            count, unit = 1, rules.one_units[_norm(m.group("one"))]
            if sense == 0:
                return None
        else:
            count, unit = 1 if sense else 0, rules.units[_norm(m.group("unit2"))]
            if unit == _DAY:
                return None  # "hari ini" is a relative day; "hari lalu" alone is no date
        if count is None or anchor is None:
            return _Found(m.start(), m.end(), *_UNRESOLVED)
        shift = count * sense
        return self._period_found(m, unit, shift, mod, anchor)

    def _period_current(self, m: re.Match[str], text: str, anchor: dt.date | None) -> _Found | None:
        if self._recurring(text, m.start()):
            return None
        if self._next_word(text, m.end()) in self.rules.anaphoric_words:
            return None  # "akhir tahun itu" counts from another time than the anchor
        if anchor is None:
            return _Found(m.start(), m.end(), *_UNRESOLVED)
        unit = self.rules.units[_norm(m.group("unit"))]
        return self._period_found(m, unit, 0, m.group("mod"), anchor)

    def _period_found(
        self, m: re.Match[str], unit: str, shift: int, mod: str | None, anchor: dt.date
    ) -> _Found:
        start, end = m.start(), m.end()
        if unit == _DAY:
            return _Found(start, end, _iso_day(anchor + dt.timedelta(days=shift)), _DAY)
        if unit == _WEEK:
            monday = _monday(anchor) + dt.timedelta(days=7 * shift)
            first, last = (0, 6) if mod is None else self.rules.modifiers[_norm(mod)]
            month = _week_month(
                monday + dt.timedelta(days=first), monday + dt.timedelta(days=last), anchor
            )
            return _Found(start, end, month, _MONTH)
        if unit == _MONTH:
            year, month_no = _add_months(anchor.year, anchor.month, shift)
            return _Found(start, end, _iso_month(year, month_no), _MONTH)
        return _Found(start, end, f"{anchor.year + shift:04d}", _YEAR)


@lru_cache(maxsize=1)
def _finder() -> _Finder:
    return _Finder(_load_rules())


def _mention(text: str, found: _Found) -> DateMention:
    return DateMention(
        start=found.start,
        end=found.end,
        text=text[found.start : found.end],
        date=found.date,
        precision=found.precision,
    )


# ---------------------------------------------------------------------------------------------
# Public API

_ISO_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")


def find_dates(text: str, anchor: dt.date | None) -> list[DateMention]:
    """Every date expression in `text`, in order, resolved against `anchor`.

    With no anchor, relative expressions come back with date None and precision "unknown",
    except a weekday with a day/month ("Selasa (23/11)"), whose weekday fixes the year.
    """
    return [_mention(text, f) for f in _finder().scan(text, anchor)]


def anchor_date(published: str | None, text: str) -> dt.date | None:
    """The date an article's relative dates count from.

    `published` (ISO, possibly with a time and offset: its calendar date as written) if it
    parses, else the latest full date written out in the text ("Jumat (20/5/2022)") that is
    not in the future, else None. A bare year or month is never an anchor.
    """
    if published:
        m = _ISO_DATE.match(published)
        if m is not None:
            day = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if day is not None:
                return day
    today = _today()
    latest: dt.date | None = None
    for found in _finder().scan(text, None):
        if found.explicit and found.date is not None:
            day = dt.date.fromisoformat(found.date)
            if day <= today and (latest is None or day > latest):
                latest = day
    return latest
