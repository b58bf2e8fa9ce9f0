"""Provides the article cleaner: raw text and metadata in, a tidy Article with its fields out."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml
from warta.index.models import Article, RawDocument

__all__ = ["CleaningRules", "clean", "content_hash", "load_rules", "parse_published"]

TITLE_MAX = 110
UNTITLED = "(tanpa judul)"
# How many leading lines may hold a headline, author or publish line.
HEAD_LINES = 10
# Footers and credit blocks sit in the last characters of a text; only these are searched.
TAIL_WINDOW = 1000

_TOP_KEYS = {
    "version",
    "drop_lines",
    "inline_remove",
    "tail_remove",
    "inline_related",
    "abbreviations",
    "section_labels",
    "author_lines",
    "author_inline",
    "bylines",
    "outlet_aliases",
    "url_dates",
    "timezones",
    "weekdays",
    "months",
    "outlets",
}
_OUTLET_KEYS = {"drop_lines", "inline_remove", "tail_remove", "split_glued_paragraphs"}
_URL_DATE_KEYS = {"host", "pattern", "offset", "over_record"}


class RulesError(ValueError):
    """The cleaning rules file is malformed; the message names the key at fault."""


Guard = tuple[str, ...]


@dataclass(frozen=True)
class OutletRules:
    """The rules that apply to one outlet family, global rules already merged in.

    A guarded rule runs only when one of its guard strings occurs in the text (or line).
    """

    drop_line: re.Pattern[str] | None
    drop_guarded: tuple[tuple[re.Pattern[str], Guard], ...]
    inline_remove: tuple[tuple[re.Pattern[str], Guard], ...]
    tail_remove: tuple[tuple[re.Pattern[str], Guard], ...]
    split_glued: bool

    def line_filter(self, text: str) -> Callable[[str], bool]:
        """A predicate telling whether a line of `text` is boilerplate to drop."""
        # Guards are checked once against the whole text, so most lines meet one regex only.
        active = [
            (pattern, guard)
            for pattern, guard in self.drop_guarded
            if any(g in text for g in guard)
        ]
        plain = self.drop_line.fullmatch if self.drop_line is not None else None

        def drops(line: str) -> bool:
            if plain is not None and plain(line):
                return True
            for pattern, guard in active:
                if pattern.fullmatch(line) and any(g in line for g in guard):
                    return True
            return False

        return drops


@dataclass(frozen=True)
class UrlDate:
    host: str
    pattern: re.Pattern[str]
    offset: str
    # True where the records' own dates are known to be wrong (kompas: the scrape day).
    over_record: bool = False


@dataclass(frozen=True)
class CleaningRules:
    """Compiled cleaning rules, loaded once from `index/data/cleaning.yaml`."""

    default: OutletRules
    outlets: Mapping[str, OutletRules]
    inline_related: re.Pattern[str]
    abbreviations: frozenset[str]
    section_labels: frozenset[str]
    author_lines: tuple[re.Pattern[str], ...]
    author_inline: tuple[re.Pattern[str], ...]
    bylines: tuple[re.Pattern[str], ...]
    outlet_aliases: Mapping[str, str]
    url_dates: tuple[UrlDate, ...]
    timezones: Mapping[str, str]
    publish_line: re.Pattern[str]
    months: Mapping[str, int]
    sentence_starters: frozenset[str]
    bio_words: tuple[str, ...]

    def for_outlet(self, family: str | None) -> OutletRules:
        if family is None:
            return self.default
        return self.outlets.get(family, self.default)


# ----------------------------------------------------------------------------- rule loading


def _compile(pattern: object, where: str, flags: int = 0) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise RulesError(f"{where}: expected a regular expression string")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise RulesError(f"{where}: bad regular expression: {exc}") from exc


def _str_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{where}: expected a list of strings")
    return list(value)


def _alternation(patterns: Iterable[str], where: str) -> re.Pattern[str] | None:
    parts = list(patterns)
    if not parts:
        return None
    for i, p in enumerate(parts):
        _compile(p, f"{where}[{i}]")
    # One alternation keeps per-line matching to a single regex call.
    return re.compile("|".join(f"(?:{p})" for p in parts))


def _tail_pattern(pattern: str, where: str) -> re.Pattern[str]:
    return _compile(f"(?:{pattern})\\Z", where)


def _word_list(name: str) -> list[str]:
    text = resources.files("warta.index.data").joinpath(name).read_text(encoding="utf-8")
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


def _rules(value: object, where: str) -> list[tuple[str, Guard]]:
    """A rule list: plain patterns, or mappings {pattern, if: [guard strings]}."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise RulesError(f"{where}: expected a list of rules")
    out: list[tuple[str, Guard]] = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            out.append((item, ()))
            continue
        if not isinstance(item, dict) or set(item) - {"pattern", "if"} or "pattern" not in item:
            raise RulesError(f"{where}[{i}]: expected a pattern or a mapping {{pattern, if}}")
        guard = item.get("if", [])
        if isinstance(guard, str):
            guard = [guard]
        guards = _str_list(guard, f"{where}[{i}].if")
        if not guards or not isinstance(item["pattern"], str):
            raise RulesError(f"{where}[{i}]: a guarded rule needs a pattern and guard strings")
        out.append((item["pattern"], tuple(guards)))
    return out


def _outlet_rules(base: Mapping[str, Any], extra: Mapping[str, Any], where: str) -> OutletRules:
    unknown = set(extra) - _OUTLET_KEYS
    if unknown:
        raise RulesError(f"{where}: unknown keys {sorted(unknown)}")

    def both(key: str) -> list[tuple[str, str, Guard]]:
        return [(f"{key}[{i}]", p, g) for i, (p, g) in enumerate(_rules(base.get(key), key))] + [
            (f"{where}.{key}[{i}]", p, g)
            for i, (p, g) in enumerate(_rules(extra.get(key), f"{where}.{key}"))
        ]

    drops = both("drop_lines")
    plain = [p for _, p, g in drops if not g]
    guarded = tuple((_compile(p, w), g) for w, p, g in drops if g)
    # Outlet patterns may anchor at line starts with ^ (re.M); global ones never do.
    inline = tuple((_compile(p, w, re.M), g) for w, p, g in both("inline_remove"))
    tails = tuple((_tail_pattern(p, w), g) for w, p, g in both("tail_remove"))
    split = extra.get("split_glued_paragraphs", False)
    if not isinstance(split, bool):
        raise RulesError(f"{where}.split_glued_paragraphs: expected true or false")
    return OutletRules(
        drop_line=_alternation(plain, f"{where}.drop_lines"),
        drop_guarded=guarded,
        inline_remove=inline,
        tail_remove=tails,
        split_glued=split,
    )


def _str_map(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise RulesError(f"{where}: expected a mapping of strings to strings")
    return dict(value)


def parse_rules(data: object) -> CleaningRules:
    """Validate and compile rules from their YAML data; raise RulesError on any problem."""
    if not isinstance(data, dict):
        raise RulesError("cleaning rules: expected a mapping at the top level")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise RulesError(f"cleaning rules: unknown keys {sorted(unknown)}")

    outlets_raw = data.get("outlets", {}) or {}
    if not isinstance(outlets_raw, dict):
        raise RulesError("outlets: expected a mapping of outlet domains to rules")
    default = _outlet_rules(data, {}, "global")
    outlets = {
        str(name).lower(): _outlet_rules(data, extra or {}, f"outlets.{name}")
        for name, extra in outlets_raw.items()
    }

    url_dates = []
    for i, item in enumerate(data.get("url_dates", []) or []):
        where = f"url_dates[{i}]"
        if not isinstance(item, dict) or set(item) - _URL_DATE_KEYS or "pattern" not in item:
            raise RulesError(f"{where}: expected keys {sorted(_URL_DATE_KEYS)}")
        url_dates.append(
            UrlDate(
                host=str(item.get("host", "")).lower(),
                pattern=_compile(item["pattern"], f"{where}.pattern"),
                offset=str(item.get("offset", "")),
                over_record=bool(item.get("over_record", False)),
            )
        )

    months_raw = data.get("months", {})
    if not isinstance(months_raw, dict) or not all(
        isinstance(v, int) and 1 <= v <= 12 for v in months_raw.values()
    ):
        raise RulesError("months: expected a mapping of month names to 1..12")
    months = {str(k).lower(): int(v) for k, v in months_raw.items()}
    timezones = _str_map(data.get("timezones", {}), "timezones")
    weekdays = _str_list(data.get("weekdays", []), "weekdays")

    return CleaningRules(
        default=default,
        outlets=outlets,
        inline_related=_compile(data.get("inline_related", r"(?!x)x"), "inline_related"),
        abbreviations=frozenset(_str_list(data.get("abbreviations", []), "abbreviations")),
        section_labels=frozenset(_str_list(data.get("section_labels", []), "section_labels")),
        author_lines=tuple(
            _compile(p, f"author_lines[{i}]")
            for i, p in enumerate(_str_list(data.get("author_lines", []), "author_lines"))
        ),
        author_inline=tuple(
            _compile(p, f"author_inline[{i}]")
            for i, p in enumerate(_str_list(data.get("author_inline", []), "author_inline"))
        ),
        bylines=tuple(
            _compile(p, f"bylines[{i}]")
            for i, p in enumerate(_str_list(data.get("bylines", []), "bylines"))
        ),
        outlet_aliases={
            k.lower(): v
            for k, v in _str_map(data.get("outlet_aliases", {}), "outlet_aliases").items()
        },
        url_dates=tuple(url_dates),
        timezones=timezones,
        publish_line=_publish_pattern(months, weekdays, timezones),
        months=months,
        sentence_starters=frozenset(_word_list("sentence_starters.txt")),
        bio_words=tuple(_word_list("bio_words.txt")),
    )


def _publish_pattern(
    months: Mapping[str, int], weekdays: Iterable[str], timezones: Mapping[str, str]
) -> re.Pattern[str]:
    def alt(words: Iterable[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    wd = alt(weekdays)
    mon = alt(months)
    tz = alt(timezones)
    time = rf"(?P<H>\d{{1,2}})[:.](?P<M>\d{{2}})(?:[:.]\d{{2}})?\s*(?P<tz>{tz})?"
    return re.compile(
        rf"(?:(?:{wd})\s*,?\s*)?"
        rf"(?:(?P<d>\d{{1,2}})\s+(?P<mon>{mon})\.?\s+(?P<y>\d{{4}})"
        rf"|(?P<d2>\d{{1,2}})/(?P<m2>\d{{1,2}})/(?P<y2>\d{{4}}))"
        rf"(?:\s*[,|]?\s*(?:(?:pukul|jam)\s+)?{time})?",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def load_rules() -> CleaningRules:
    """The bundled rules, compiled once per process."""
    text = resources.files("warta.index.data").joinpath("cleaning.yaml").read_text("utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"cleaning.yaml: {exc}") from exc
    return parse_rules(data)


# ----------------------------------------------------------------------------- text hygiene

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
# C0 and C1 controls except tab and newline; DEL; zero-width and bidi formatting characters
# that would let text steer the terminal or hide itself.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
_SPACES = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Only runs that need rewriting: a lone ordinary space is left alone, which keeps this cheap.
_HSPACE = re.compile(f"[{_SPACES}][ {_SPACES}]*| [ {_SPACES}]+")


def _sanitise(text: str) -> str:
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = _LINE_BREAKS.sub("\n", text)
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


# ----------------------------------------------------------------------------- markdown

_MD_HINT = re.compile(
    r"\*\*|\]\(|^#{1,6} |\[(?:img|video|embed|audio)\.\d|\\[\\@|*_$#\[\]]|^:::|\{[#.]?[\w-]+",
    re.M,
)
# Each step: pattern, replacement, and a substring the text must hold for the step to run.
_MD_STEPS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    # A paragraph or bullet that is nothing but a link is a related-article teaser.
    (
        re.compile(
            r"^[ \t]*(?:[-+][ \t]+)?\**\[[^\]\n]+\]\([^)\n]*\)(?:\{[^}\n]*\})?\**[ \t]*$", re.M
        ),
        "",
        "](",
    ),
    (re.compile(r"\[(?:img|video|embed|audio)\.\d+\]"), "", "["),
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)(?:\{[^}\n]*\})?"), "", "!["),
    (
        re.compile(
            r"\[([^\]\n]*)\]\((?:[^()\s]|\([^)\s]*\))*(?:\s+\"[^\"\n]*\")?\)(?:\{[^}\n]*\})?"
        ),
        r"\1",
        "](",
    ),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1", "<http"),
    (
        re.compile(
            r"\{(?:[#.][\w-]+|[\w-]+=\"[^\"\n]*\")(?:\s+(?:[#.][\w-]+|[\w-]+=\"[^\"\n]*\"))*\}"
        ),
        "",
        "{",
    ),
    (re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M), "", "#"),
    (re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M), "", ""),
    (re.compile(r"^[ \t]*:{3,}.*$", re.M), "", ":::"),
    (re.compile(r"^[ \t]*\\[ \t]*$", re.M), "", "\\"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|@$<>~\"'])"), r"\1", "\\"),
    (re.compile(r"\*+"), "", "*"),
    (re.compile(r"(?<!-)---(?!-)"), "\u2014", "---"),
    (re.compile(r"(?<!-)--(?!-)"), "\u2013", "--"),
)


def _strip_markdown(text: str) -> str:
    if not any(c in text for c in "*[]\\#:{<") or not _MD_HINT.search(text):
        return text
    for pattern, repl, needs in _MD_STEPS:
        if needs in text:
            text = pattern.sub(repl, text)
    return text


# ----------------------------------------------------------------------------- dates


def _iso(y: int, m: int, d: int, hh: int | None, mm: int | None, offset: str | None) -> str | None:
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    if hh is None or mm is None:
        return day.isoformat()
    if not (0 <= hh <= 23 and 0 <= mm <= 59):
        return day.isoformat()
    return f"{day.isoformat()}T{hh:02d}:{mm:02d}{offset or ''}"


_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::\d{2}(?:\.\d+)?)?(?P<off>Z|[+-]\d{2}:?\d{2})?)?)?"
)


def parse_published(text: str) -> str | None:
    """An ISO 8601 date from a publish line or an ISO string, else None.

    "Sabtu, 30 Jul 2022 11:28 WIB" -> "2022-07-30T11:28+07:00"; "2025-10-20" -> "2025-10-20".
    Only a whole line that is a date (with optional weekday, time and zone) counts, so dates
    of events inside sentences are never taken for the publication date.
    """
    if len(text) > 120 or not any(c.isdigit() for c in text[:12]):
        return None
    s = _HSPACE.sub(" ", text).strip()
    if not s or len(s) > 80:
        return None
    m = _ISO.fullmatch(s)
    if m:
        if m["d"] is None:
            try:
                date(int(m["y"]), int(m["m"]), 1)
            except ValueError:
                return None
            return f"{m['y']}-{m['m']}"
        off = m["off"]
        if off == "Z":
            off = "+00:00"
        elif off and ":" not in off:
            off = f"{off[:3]}:{off[3:]}"
        hh = int(m["H"]) if m["H"] else None
        mm = int(m["M"]) if m["M"] else None
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]), hh, mm, off)
    rules = load_rules()
    m = rules.publish_line.fullmatch(s)
    if not m:
        return None
    if m["d"]:
        y, mon, d = int(m["y"]), rules.months[m["mon"].lower()], int(m["d"])
    else:
        y, mon, d = int(m["y2"]), int(m["m2"]), int(m["d2"])
    hh = int(m["H"]) if m["H"] else None
    mm = int(m["M"]) if m["M"] else None
    offset = None
    if m["tz"]:
        zones = {k.upper(): v for k, v in rules.timezones.items()}
        offset = zones.get(m["tz"].upper())
    return _iso(y, mon, d, hh, mm, offset)


def _url_published(
    url: str | None, host: str | None, record_date: str | None, rules: CleaningRules
) -> str | None:
    """A publication stamp from the URL, when it may replace or refine the record's date."""
    if not url or not host:
        return None
    for rule in rules.url_dates:
        if host == rule.host or host.endswith("." + rule.host):
            m = rule.pattern.search(url)
            if not m:
                continue
            groups = m.groupdict()
            hh = int(groups["H"]) if groups.get("H") else None
            mm = int(groups["M"]) if groups.get("M") else None
            stamp = _iso(int(m["y"]), int(m["m"]), int(m["d"]), hh, mm, rule.offset)
            if stamp and (rule.over_record or not record_date or stamp[:10] == record_date[:10]):
                return stamp
    return None


# ----------------------------------------------------------------------------- outlets


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def _outlet_name(name: str, rules: CleaningRules) -> str:
    key = name.strip().lower()
    if key.startswith("www."):
        key = key[4:]
    return rules.outlet_aliases.get(key, key)


def _family(candidates: Iterable[str | None], rules: CleaningRules) -> str | None:
    for cand in candidates:
        if not cand:
            continue
        name = _outlet_name(cand, rules)
        for family in rules.outlets:
            if name == family or name.endswith("." + family):
                return family
    return None


# ----------------------------------------------------------------------------- body helpers

_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019')\]]*$")
_HEADLINE_END_BAD = re.compile(r"[.,;:]$")
_WORD = re.compile(r"\w+")
_FIRST_SENTENCE = re.compile(
    r"(?<=[\w)\"\u201d\u2019][.!?])[\"\u201d\u2019]?\s+(?=[\"\u201c\u2018(]?[A-Z0-9])"
)
_GLUE = re.compile(
    r"(?<=[\w)\]%\"\u201d\u2019][.!?])(?=[\"\u201c]?[A-Z][a-z])|(?<=[.!?][\"\u201d\u2019])(?=[\"\u201c]?[A-Z])"
)
_TOKEN = re.compile(r"\S+")
_LEAD_DOMAIN = re.compile(r"[\W_]*([A-Za-z0-9-]+[.,](?i:co\.id|com|co|id|net))\b")
_LIST_ITEM = re.compile(r"(?:[-•] |\d{1,2}[.)] )")


def _norm_key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _split_glued(line: str, abbreviations: frozenset[str]) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in _GLUE.finditer(line):
        cut = m.start()
        before = line[start:cut]
        last = before.rsplit(None, 1)[-1] if before.strip() else ""
        word = last.rstrip('.!?"\u201d\u2019').lstrip('("\u201c')
        if word in abbreviations or len(word) == 1:
            continue
        parts.append(line[start:cut].strip())
        start = cut
    parts.append(line[start:].strip())
    return [p for p in parts if p]


def _related_end(rest: str, rules: CleaningRules) -> int | None:
    """Where the linked title after "Baca juga:" ends in `rest`, or None when unsure."""
    tokens = list(_TOKEN.finditer(rest))
    if len(tokens) <= 16 and not _SENTENCE_END.search(rest):
        return len(rest)
    fallback = None
    for i in range(2, min(len(tokens), 30)):
        word = tokens[i].group()
        if rules.inline_related.match(rest, tokens[i].start()):
            return tokens[i].start()
        prev = tokens[i - 1].group()
        starts_upper = word[0].isupper() or word[0] in '"\u201c'
        prev_lower = prev[-1].islower() or prev[-1].isdigit()
        if not (starts_upper and prev_lower):
            continue
        if word.strip('"\u201c,') in rules.sentence_starters or word[0] in '"\u201c':
            return tokens[i].start()
        nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        if fallback is None and nxt[:1].islower():
            fallback = tokens[i].start()
    return fallback


def _cut_inline_related(line: str, rules: CleaningRules) -> str:
    """Cut "Baca juga: <linked title>" out of a paragraph, up to the next sentence start."""
    out: list[str] = []
    pos = 0
    for m in rules.inline_related.finditer(line):
        if m.start() < pos:
            continue
        out.append(line[pos : m.start()])
        rest = line[m.end() :]
        end = _related_end(rest, rules)
        # Unsure where the title ends: drop only the marker rather than risk real text.
        pos = m.end() + (end or 0)
    out.append(line[pos:])
    return " ".join(" ".join(out).split())


def _is_bio(line: str, bio_words: tuple[str, ...]) -> bool:
    frags = [f for f in re.split(r"[.!?]+", line.strip("\"\u201c\u201d' ")) if f.strip()]
    if len(frags) < 3 or any(len(f.split()) > 6 for f in frags):
        return False
    hits = sum(1 for f in frags if any(w in f.lower() for w in bio_words))
    return hits * 2 >= len(frags)


def _derive_title(text: str) -> str:
    first = text.split("\n", 1)[0].strip()
    if not first:
        return UNTITLED
    m = _FIRST_SENTENCE.search(first)
    sentence = first[: m.start() + 1].strip() if m else first
    sentence = sentence.rstrip()
    if len(sentence) <= TITLE_MAX:
        return sentence.rstrip(".")
    cut = sentence[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:-\u2013\u2014 ")
    return cut + "\u2026"


def _tidy_place(place: str) -> str:
    place = place.strip(" ,.-")
    if place.isupper():
        return " ".join(w.capitalize() if w.isalpha() else w.title() for w in place.split())
    return place


# ----------------------------------------------------------------------------- the cleaner


# A dateline the byline rules did not know ("BANDUNG, Pikiran-Rakyat.com —", "Solo (Espos) -"):
# a short opening with a comma, a parenthesis or a word in capitals, then a dash.
_LOOSE_BYLINE = re.compile(
    r"(?=(?:[^.\n]|\.(?!\s)){0,60}?(?:[,(]|\b[A-Z]{3,}\b))"
    r"(?:[^.\n]|\.(?!\s)){1,60}?\s[-\u2013\u2014]{1,2}\s"
)


def content_hash(text: str) -> str:
    """16 hex characters of blake2b over the text's words, casefolded, without its dateline.

    Copies of one story that differ only in punctuation, quote style, spacing or the outlet's
    opening dateline hash alike, so the store keeps the story once.
    """
    m = _LOOSE_BYLINE.match(text)
    if m:
        text = text[m.end() :]
    norm = " ".join(_WORD.findall(text.casefold()))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def _match_author(line: str, rules: CleaningRules) -> tuple[str, str | None] | None:
    if len(line) > 200:
        return None
    for pattern in rules.author_lines:
        m = pattern.fullmatch(line)
        if m:
            groups = m.groupdict()
            return m["author"].strip(" ,"), groups.get("outlet")
    return None


def clean(raw: RawDocument) -> Article:
    """Turn a RawDocument into an Article: fields found, boilerplate out, paragraphs kept."""
    rules = load_rules()
    host = _host(raw.url)
    text = _strip_markdown(_sanitise(raw.text or ""))
    record_title = _HSPACE.sub(" ", _sanitise(raw.title or "")).strip() or None
    if record_title:
        record_title = _strip_markdown(record_title).strip() or None

    lead = _LEAD_DOMAIN.match(text)
    family = _family((raw.source, host, lead[1] if lead else None), rules)
    orules = rules.for_outlet(family)

    for pattern, guard in orules.inline_remove:
        if not guard or any(g in text for g in guard):
            text = pattern.sub(" ", text)

    # str.split() knows every Unicode space (no-break, thin, ideographic): one C call a line.
    lines = [s for s in (" ".join(ln.split()) for ln in text.split("\n")) if s]

    if lines and lines[0] in rules.section_labels and len(lines) > 1:
        lines.pop(0)

    author: str | None = None
    text_outlet: str | None = None
    published: str | None = None
    kept: list[str] = []
    drops = orules.line_filter(text)
    for line in lines:
        if drops(line):
            continue
        found = _match_author(line, rules)
        if found:
            author = author or found[0]
            if found[1]:
                text_outlet = text_outlet or _outlet_name(found[1], rules)
            continue
        kept.append(line)
    lines = kept

    # The headline: a short first line without a closing period, confirmed by the record's
    # title, by a repetition, or (without a record title) by the paragraph after it.
    headline: str | None = None
    if lines:
        first = lines[0]
        words = len(first.split())
        shaped = len(first) <= 200 and 2 <= words <= 30 and not _HEADLINE_END_BAD.search(first)
        key = _norm_key(first) if shaped else ""
        if key:
            repeated = any(
                abs(len(ln) - len(first)) <= len(first) // 3 + 3 and _norm_key(ln) == key
                for ln in lines[1:HEAD_LINES]
            )
            same_as_record = record_title is not None and _norm_key(record_title) == key
            leads = (
                record_title is None
                and len(lines) > 1
                and len(lines[1]) > len(first)
                and _SENTENCE_END.search(lines[1]) is not None
            )
            if repeated or same_as_record or leads:
                headline = first
    title_key = _norm_key(headline or record_title or "")
    if title_key:
        span = len(headline or record_title or "")
        head = [
            ln
            for ln in lines[:HEAD_LINES]
            if abs(len(ln) - span) > span // 3 + 3 or _norm_key(ln) != title_key
        ]
        lines = head + lines[HEAD_LINES:]

    for i, line in enumerate(lines[:HEAD_LINES]):
        stamp = parse_published(line)
        if stamp is not None and ("T" in stamp or len(line.split()) >= 3):
            published = stamp
            del lines[i]
            break

    body = "\n".join(lines)
    if body:
        for pattern in rules.author_inline:
            m = pattern.search(body, max(0, len(body) - 600))
            if m:
                author = author or m["author"].strip()
                break
        changed = True
        while changed and body:
            changed = False
            window = max(0, len(body) - TAIL_WINDOW)
            for pattern, guard in orules.tail_remove:
                if guard and not any(g in body[window:] for g in guard):
                    continue
                m = pattern.search(body, window)
                if m and m.start() < len(body):
                    body = body[: m.start()].rstrip()
                    changed = True
            last_nl = body.rfind("\n")
            if _is_bio(body[last_nl + 1 :], rules.bio_words):
                body = body[: max(last_nl, 0)].rstrip()
                changed = True
    lines = [ln.strip() for ln in body.split("\n") if ln.strip()]

    dateline: str | None = None
    if lines:
        first = lines[0]
        for pattern in rules.bylines:
            m = pattern.match(first)
            if not m:
                continue
            groups = m.groupdict()
            if groups.get("outlet"):
                text_outlet = text_outlet or _outlet_name(groups["outlet"], rules)
            if groups.get("place"):
                dateline = _tidy_place(groups["place"])
            rest = first[m.end() :].strip()
            if rest:
                lines[0] = rest
            else:
                lines.pop(0)
            break

    out: list[str] = []
    for line in lines:
        if "aca" in line and "juga" in line.lower():
            line = _cut_inline_related(line, rules)
        if orules.split_glued:
            out.extend(_split_glued(line, rules.abbreviations))
        elif line:
            out.append(line)
    lines = [ln for ln in out if ln]

    title = headline or record_title
    if title is not None:
        # A headline repeated as the first paragraph once the byline is gone.
        if (
            lines
            and len(lines[0]) <= 2 * len(title) + 3
            and _norm_key(lines[0]) == _norm_key(title)
        ):
            lines.pop(0)
    else:
        title = _derive_title(lines[0]) if lines else UNTITLED

    # Paragraphs are separated by a blank line; consecutive list items stay together.
    parts: list[str] = []
    for i, line in enumerate(lines):
        if i and _LIST_ITEM.match(line) and _LIST_ITEM.match(lines[i - 1]):
            parts.append("\n")
        elif i:
            parts.append("\n\n")
        parts.append(line)
    body = "".join(parts)

    if published is None:
        published = _url_published(raw.url, host, raw.date, rules)
    if published is None and raw.date:
        published = parse_published(raw.date)

    source = text_outlet
    if source is None and host:
        source = _outlet_name(host, rules)
    if source is None and raw.source:
        source = _outlet_name(raw.source, rules)

    digest = content_hash(body)
    return Article(
        id=raw.record_id or digest[:12],
        path=raw.path,
        title=title,
        text=body,
        source=source,
        url=raw.url,
        published=published,
        author=(raw.author or "").strip() or author,
        dateline=dateline,
        content_hash=digest,
    )
