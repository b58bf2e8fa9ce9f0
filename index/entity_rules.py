"""Provides the rule data of the entity matcher, read from index/data/entity_rules.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

RULES_FILE = "entity_rules.yaml"

_LIST_KEYS = (
    "honorifics",
    "titles",
    "office_words",
    "not_names",
    "name_particles",
    "connectors",
    "bare_institutions",
    "region_titles",
    "org_prefixes",
    "blocked_after",
    "past_before",
    "past_after",
    "past_after_named",
    "place_openers",
    "not_institutions",
    "place_suffixes",
    "degree_suffixes",
    "portfolio_titles",
)
_KEYS = frozenset({*_LIST_KEYS, "institution_patterns", "senses", "bare_antecedents"})
_PATTERN_KEYS = frozenset({"type", "tail", "heads", "max_words"})
_SENSE_RULE_KEYS = frozenset({"forms", "senses"})
_SENSE_KEYS = frozenset({"entry", "expansions", "before", "context", "near_type"})
_TAILS = ("place", "words")


class RulesError(ValueError):
    """The rules file is malformed; the message says where."""


@dataclass(frozen=True)
class InstitutionPattern:
    """A head word ("Pemprov", "Dinas") followed by a place or by capitalised words."""

    type: str
    tail: str
    heads: tuple[str, ...]
    max_words: int = 4


@dataclass(frozen=True)
class Sense:
    """One meaning of an ambiguous written form, and the words that point to it."""

    entry: str | None  # the lexicon entry's id; None: no entity ("Pajak Kendaraan Bermotor")
    expansions: tuple[str, ...] = ()  # the written-out name ("Perjanjian Kerja Sama")
    before: frozenset[str] = frozenset()  # lower case: the word right before decides
    context: tuple[str, ...] = ()  # words anywhere in the article that point to this sense
    near_type: str | None = None  # other entries of this type (same country) point here too


@dataclass(frozen=True)
class SenseRule:
    """Forms one lexicon entry claims that the press also writes for something else: "PKB" is
    a party and Pajak Kendaraan Bermotor, "Demokrat" the Indonesian or the US party."""

    forms: tuple[str, ...]
    senses: tuple[Sense, ...]  # the first is the default, when nothing in the article decides


@dataclass(frozen=True)
class EntityRules:
    honorifics: tuple[str, ...]
    titles: tuple[str, ...]
    office_words: frozenset[str]  # lower case
    not_names: frozenset[str]  # lower case
    name_particles: frozenset[str]
    connectors: frozenset[str]
    bare_institutions: tuple[str, ...]
    institution_patterns: tuple[InstitutionPattern, ...]
    region_titles: frozenset[str] = frozenset()  # lower case, words joined by one space
    org_prefixes: frozenset[str] = frozenset()  # lower case
    blocked_after: frozenset[str] = frozenset()  # lower case
    senses: tuple[SenseRule, ...] = ()
    # Past holders: "mantan Menhan", "Presiden RI kala itu, Joko Widodo". Lower case, words
    # joined by one space; `past_after_named` counts only when a name follows.
    past_before: frozenset[str] = frozenset()
    past_after: frozenset[str] = frozenset()
    past_after_named: frozenset[str] = frozenset()
    place_openers: frozenset[str] = frozenset()  # lower case, words joined by one space
    not_institutions: frozenset[str] = frozenset()  # lower case, words joined by one space
    place_suffixes: frozenset[str] = frozenset()  # lower case
    # Academic degrees written after a name ("H. Sutarno, BA", "Oikurnia Zega SH"): never a
    # name, as written (tokens joined without spaces, dots kept), lower case.
    degree_suffixes: frozenset[str] = frozenset()
    # Titles whose office words name a portfolio ("Menteri Perkebunan"): with no name, the
    # title and its office words are one unlisted office span. Lower case, words joined by one
    # space.
    portfolio_titles: frozenset[str] = frozenset()
    # A generic name ("Pemda") -> the heads of the names of the bodies it may stand for, each
    # as lower-case words; keys are lower case, words joined by one space.
    bare_antecedents: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


def rules_text() -> str:
    return resources.files("warta.index.data").joinpath(RULES_FILE).read_text(encoding="utf-8")


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{RULES_FILE}: {where} must be a list of non-empty strings")
    return [v.strip() for v in value]


def parse_rules(text: str) -> EntityRules:
    """Validate and read the rules; unknown keys are errors, as in the lexicons."""
    # libyaml when present: the pure-Python parser spends ~50 ms of the start-up on this file.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: Any = yaml.load(text, Loader=loader)
    if not isinstance(data, dict):
        raise RulesError(f"{RULES_FILE}: expected a mapping at the top")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise RulesError(f"{RULES_FILE}: unknown keys {', '.join(map(str, unknown))}")
    lists = {key: _strings(data.get(key, []), key) for key in _LIST_KEYS}
    patterns: list[InstitutionPattern] = []
    for i, raw in enumerate(data.get("institution_patterns") or []):
        where = f"institution_patterns[{i}]"
        if not isinstance(raw, dict):
            raise RulesError(f"{RULES_FILE}: {where} must be a mapping")
        bad = sorted(set(raw) - _PATTERN_KEYS)
        if bad:
            raise RulesError(f"{RULES_FILE}: {where}: unknown keys {', '.join(map(str, bad))}")
        tail = raw.get("tail")
        if tail not in _TAILS:
            raise RulesError(f"{RULES_FILE}: {where}: tail must be one of {', '.join(_TAILS)}")
        max_words = raw.get("max_words", 4)
        if not isinstance(max_words, int) or not 1 <= max_words <= 10:
            raise RulesError(f"{RULES_FILE}: {where}: max_words must be 1..10")
        patterns.append(
            InstitutionPattern(
                type=str(raw.get("type") or "government"),
                tail=tail,
                heads=tuple(_strings(raw.get("heads"), f"{where}.heads")),
                max_words=max_words,
            )
        )
    raw_rules = data.get("senses") or []
    senses = tuple(_sense_rule(raw, f"senses[{i}]") for i, raw in enumerate(raw_rules))
    return EntityRules(
        honorifics=tuple(lists["honorifics"]),
        titles=tuple(lists["titles"]),
        office_words=frozenset(w.casefold() for w in lists["office_words"]),
        not_names=frozenset(w.casefold() for w in lists["not_names"]),
        name_particles=frozenset(lists["name_particles"]),
        connectors=frozenset(lists["connectors"]),
        bare_institutions=tuple(lists["bare_institutions"]),
        institution_patterns=tuple(patterns),
        region_titles=frozenset(" ".join(w.split()).casefold() for w in lists["region_titles"]),
        org_prefixes=frozenset(w.casefold() for w in lists["org_prefixes"]),
        blocked_after=frozenset(w.casefold() for w in lists["blocked_after"]),
        senses=senses,
        past_before=_phrases(lists["past_before"]),
        past_after=_phrases(lists["past_after"]),
        past_after_named=_phrases(lists["past_after_named"]),
        place_openers=_phrases(lists["place_openers"]),
        not_institutions=_phrases(lists["not_institutions"]),
        place_suffixes=_phrases(lists["place_suffixes"]),
        degree_suffixes=frozenset("".join(w.split()).casefold() for w in lists["degree_suffixes"]),
        portfolio_titles=_phrases(lists["portfolio_titles"]),
        bare_antecedents=_antecedents(data.get("bare_antecedents") or {}),
    )


def _antecedents(raw: object) -> dict[str, tuple[tuple[str, ...], ...]]:
    if not isinstance(raw, dict):
        raise RulesError(f"{RULES_FILE}: bare_antecedents must be a mapping")
    found: dict[str, tuple[tuple[str, ...], ...]] = {}
    for form, heads in raw.items():
        if not isinstance(form, str) or not form.strip():
            raise RulesError(f"{RULES_FILE}: bare_antecedents: keys must be names")
        words = _strings(heads or [], f"bare_antecedents.{form}")
        key = " ".join(form.split()).casefold()
        found[key] = tuple(tuple(w.casefold().split()) for w in words)
    return found


def _phrases(values: list[str]) -> frozenset[str]:
    return frozenset(" ".join(v.split()).casefold() for v in values)


def _mapping(raw: object, keys: frozenset[str], where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RulesError(f"{RULES_FILE}: {where} must be a mapping")
    bad = sorted(set(raw) - keys)
    if bad:
        raise RulesError(f"{RULES_FILE}: {where}: unknown keys {', '.join(map(str, bad))}")
    return raw


def _sense_rule(raw: object, where: str) -> SenseRule:
    rule = _mapping(raw, _SENSE_RULE_KEYS, where)
    forms = _strings(rule.get("forms"), f"{where}.forms")
    raw_senses = rule.get("senses")
    if not forms or not isinstance(raw_senses, list) or len(raw_senses) < 2:
        raise RulesError(f"{RULES_FILE}: {where} needs forms and two or more senses")
    senses: list[Sense] = []
    for j, item in enumerate(raw_senses):
        at = f"{where}.senses[{j}]"
        sense = _mapping(item, _SENSE_KEYS, at)
        entry = sense.get("entry")
        near_type = sense.get("near_type")
        if entry is not None and not (isinstance(entry, str) and entry.strip()):
            raise RulesError(f"{RULES_FILE}: {at}.entry must be an entry id or null")
        if near_type is not None and not isinstance(near_type, str):
            raise RulesError(f"{RULES_FILE}: {at}.near_type must be a type name")
        senses.append(
            Sense(
                entry=entry.strip() if isinstance(entry, str) else None,
                expansions=tuple(_strings(sense.get("expansions", []), f"{at}.expansions")),
                before=frozenset(
                    w.casefold() for w in _strings(sense.get("before", []), f"{at}.before")
                ),
                context=tuple(_strings(sense.get("context", []), f"{at}.context")),
                near_type=near_type,
            )
        )
    return SenseRule(forms=tuple(forms), senses=tuple(senses))
