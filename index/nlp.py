"""Provides the entity pipeline: a lean spaCy Language whose registered components find officials,
institutions, places and persons of the lexicons in a text, with character offsets.

Components, in order:
  warta_lexicon_matcher    phrase matching of every lexicon name and rule word, with the case
                           rules (capital tokens exact, others any case)
  warta_official_patterns  title + organisation/place + rank + name → one official span;
                           head + place/words → an unlisted institution; plain lexicon names;
                           longest candidate wins, no overlaps
  warta_role_resolver      a bare title ("Menteri Pertahanan Rusia") becomes the person who
                           held the role on the article's date, else the one holder of it
                           that the article names

Decisions (see docs/entities.md): a title followed by a name is one span covering both, as the
annotators mark it; a bare title that cannot be resolved (no date, or nobody in the lexicon held
it then) is kept as an official span with `listed=False` and an id `title:<role>-<of>` when it
names its country or organisation, and dropped when it names nothing ("Presiden" alone).
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.attrs import IS_SPACE, LOWER
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab
from warta.lexicons import Entry, Lexicon

from .dates import anchor_date
from .entity_rules import EntityRules, InstitutionPattern, SenseRule
from .entity_tables import EntityTables, UserDir, load_tables
from .models import EntitySpan
from .tokenizer import WORDS, LeanTokenizer, words_of

PUBLISHED = "warta_published"
HITS = "warta_hits"
LOWERS = "warta_lowers"
CANDIDATES = "warta_candidates"
SPANS = "warta_spans"
TEXT = "warta_text"
SOURCE = "warta_source"

# When two entries of different kinds claim one alias, the first kind here stands for it.
_KIND_ORDER = {"official": 0, "person": 1, "institution": 2, "place": 3}
# Among candidates of equal length: a title+name official, then a lexicon name, then patterns.
_PRIO_OFFICIAL, _PRIO_ENTRY, _PRIO_PATTERN = 0, 1, 2
_MAX_NAME_TOKENS = 5
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_MAX_OFFICE_TOKENS = 12


def is_capital_token(word: str) -> bool:
    """A token "written in capitals" (AS, PBB, TNI): matched case-sensitively."""
    return len(word) >= 2 and word.isupper()


def slug(text: str) -> str:
    """A stable ASCII id from a name: "Abdul Wahid" → "abdul-wahid"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


@dataclass
class PatternInfo:
    """Everything one written form stands for, and the case rule to apply to a match of it."""

    words: tuple[str, ...]
    exact: tuple[tuple[int, str], ...]  # positions that must match exactly (capital tokens)
    needs_upper: bool  # the form has a capital letter: an all-lower match is ordinary text
    entries: list[int] = field(default_factory=list)  # indexes into Compiled.entries
    roles: list[int] = field(default_factory=list)
    title: bool = False
    honorific: bool = False
    heads: list[int] = field(default_factory=list)  # indexes into rules.institution_patterns
    bare: bool = False  # a generic institution name, matched with its first letter a capital

    def accepts(self, words: Sequence[str], start: int) -> bool:
        for i, word in self.exact:
            if words[start + i] != word:
                return False
        if self.needs_upper:
            return any(
                any(c.isupper() for c in words[i]) for i in range(start, start + len(self.words))
            )
        return True


def token_texts(doc: Doc) -> list[str]:
    """The texts of the doc's tokens: kept by the lean tokenizer, else read once and kept.

    The components read token texts tens of times per token; a list of str is ~10x cheaper than
    making a spaCy Token object for each read."""
    words: list[str] | None = doc.user_data.get(WORDS)
    if words is None or len(words) != len(doc):
        words = [t.text for t in doc]
        doc.user_data[WORDS] = words
    return words


class Compiled:
    """The lexicon and rules turned into phrase patterns, shared by the three components."""

    def __init__(self, tables: EntityTables) -> None:
        self.tables = tables
        self.lexicon: Lexicon = tables.lexicon
        self.rules: EntityRules = tables.rules
        self.entries: list[Entry] = []
        self.patterns: list[PatternInfo] = []
        self._by_form: dict[str, int] = {}
        for entry in self.lexicon.entries.values():
            index = len(self.entries)
            self.entries.append(entry)
            for name in entry.all_names:
                info = self._info(name)
                if info is None:
                    continue
                if entry.kind == "role":
                    info.roles.append(index)
                else:
                    info.entries.append(index)
        for title in self.rules.titles:
            info = self._info(title)
            if info is not None:
                info.title = True
        for word in self.rules.honorifics:
            info = self._info(word)
            if info is not None:
                info.honorific = True
        for form in self.rules.bare_institutions:
            info = self._info(form)
            if info is not None:
                info.bare = True
        for p_index, pattern in enumerate(self.rules.institution_patterns):
            for head in pattern.heads:
                info = self._info(head)
                if info is not None:
                    info.heads.append(p_index)
        for info in self.patterns:
            info.entries.sort(key=lambda i: _KIND_ORDER.get(self.entries[i].kind, 9))
        # The one `of` of a role's spells, for titles that name it themselves ("Kapolri").
        # Only a country: a role whose one listed `of` is an institution ("Kajari", held by the
        # Kepala Kejaksaan Negeri of hundreds of places, one of them listed) names no one.
        self.sole_of: dict[str, str | None] = {}
        ofs: dict[str, set[str | None]] = {}
        for entry in self.entries:
            for spell in entry.roles:
                ofs.setdefault(spell.role, set()).add(spell.of)
        for role_id, values in ofs.items():
            role_entry = self.lexicon.get("role", role_id)
            if len(values) != 1 or role_entry is None or not role_entry.unique:
                continue
            of = next(iter(values))
            if of is not None and _COUNTRY_CODE.fullmatch(of):
                self.sole_of[role_id] = of
        # An outlet's own names, for skipping its self-references ("kepada detikcom").
        self.outlets: dict[str, str] = {}
        for entry in self.entries:
            if entry.kind == "institution" and entry.type == "media":
                for form in entry.all_names:
                    self.outlets.setdefault(str(form).casefold(), entry.id)
        self._name_words: dict[str, tuple[str, ...]] = {}
        self.senses = SenseTable(self, self.rules.senses)

    def name_words(self, entry: Entry) -> tuple[str, ...]:
        """The lower-case words of an entry's name, tokenized once."""
        found = self._name_words.get(entry.key)
        if found is None:
            found = self._name_words[entry.key] = tuple(w.lower() for w in words_of(entry.name))
        return found

    def pattern_index(self, form: str) -> int | None:
        """The pattern of a written form, as the lexicon or the rules wrote it."""
        return self._by_form.get(" ".join(words_of(form)))

    def outlet_of(self, source: str | None) -> str | None:
        """The media entry an article's source names ("detik.com", "news.detik.com", "Kompas")."""
        if not source:
            return None
        labels = source.strip().casefold().split(".")
        # "news.detik.com" → "news.detik.com", "detik.com", then without the suffix: "detik".
        for i in range(len(labels)):
            for name in (".".join(labels[i:]), ".".join(labels[i:-1])):
                found = self.outlets.get(name) if name else None
                if found is not None:
                    return found
        return None

    def _info(self, form: str) -> PatternInfo | None:
        words = tuple(words_of(form))
        if not words:
            return None
        key = " ".join(words)
        index = self._by_form.get(key)
        if index is not None:
            return self.patterns[index]
        exact = tuple((i, w) for i, w in enumerate(words) if is_capital_token(w))
        info = PatternInfo(
            words=words,
            exact=exact,
            needs_upper=any(c.isupper() for c in form),
        )
        self._by_form[key] = len(self.patterns)
        self.patterns.append(info)
        return info

    def build_trie(self) -> TokenTrie:
        trie = TokenTrie()
        for index, info in enumerate(self.patterns):
            trie.add(info.words, index)
        return trie


class TokenTrie:
    """Exact lookup of token sequences, compared in lower case: the phrase matching of the
    lexicon. Built from plain dicts in a few milliseconds where spaCy's PhraseMatcher spent
    ~0.2 s turning 6,400 forms into Docs (and growing the StringStore by every word of them)."""

    _END = ""  # no token is empty, so this key never collides with a word

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}

    def add(self, words: Sequence[str], value: int) -> None:
        node = self.root
        for word in words:
            node = node.setdefault(word.lower(), {})
        node.setdefault(self._END, []).append(value)

    def find(self, lowers: Sequence[str]) -> list[tuple[int, int, int]]:
        """Every (start, end, value) whose token sequence occurs in `lowers`."""
        root, end_key = self.root, self._END
        found: list[tuple[int, int, int]] = []
        n = len(lowers)
        for start in range(n):
            node = root.get(lowers[start])
            pos = start + 1
            while node is not None:
                values = node.get(end_key)
                if values is not None:
                    found.extend((start, pos, v) for v in values)
                if pos >= n:
                    break
                node = node.get(lowers[pos])
                pos += 1
        return found


class SenseTable:
    """The forms the lexicon shares with something else ("PKB": the party, Pajak Kendaraan
    Bermotor) and what in an article points to each sense; built from the rules' `senses`.

    For each occurrence the word right before it decides; else the nearest pointer in the
    article (a sense's written-out name, its context words, another entry of its type and
    country); with none, the first sense. A rule naming an entry this lexicon lacks is off."""

    _KINDS = ("official", "person", "institution", "place")

    def __init__(self, compiled: Compiled, rules: Sequence[SenseRule]) -> None:
        self.patterns = compiled.patterns
        self.entries = compiled.entries
        self.by_pattern: dict[int, int] = {}  # pattern of an ambiguous form -> rule index
        self.choices: list[tuple[int | None, ...]] = []  # per rule, per sense: entry index
        self.before: list[list[tuple[tuple[str, ...], int]]] = []  # per rule: words, sense
        self.trie = TokenTrie()
        self.phrases: list[tuple[tuple[tuple[int, str], ...], int, int]] = []  # exact, rule, sense
        self.by_entry: dict[int, list[tuple[int, int]]] = {}
        self.by_type: dict[tuple[str | None, str | None], list[tuple[int, int]]] = {}
        index_of = {(e.kind, e.id): i for i, e in enumerate(compiled.entries)}
        for rule in rules:
            forms = {compiled.pattern_index(form) for form in rule.forms} - {None}
            choices: list[int | None] = []
            for sense in rule.senses:
                found = None
                if sense.entry is not None:
                    keys = [(k, sense.entry) for k in self._KINDS]
                    found = next((index_of[k] for k in keys if k in index_of), None)
                    if found is None:
                        break
                choices.append(found)
            if len(choices) != len(rule.senses) or not forms:
                continue
            r = len(self.choices)
            self.choices.append(tuple(choices))
            self.before.append([])
            for p in forms:
                assert p is not None
                self.by_pattern[p] = r
            for s, (sense, found) in enumerate(zip(rule.senses, choices, strict=True)):
                self.before[r].extend((tuple(words_of(w.lower())), s) for w in sense.before)
                for phrase in (*sense.expansions, *sense.context):
                    words = words_of(phrase)
                    if not words:
                        continue
                    exact = tuple((i, w) for i, w in enumerate(words) if is_capital_token(w))
                    self.trie.add(words, len(self.phrases))
                    self.phrases.append((exact, r, s))
                if found is not None:
                    self.by_entry.setdefault(found, []).append((r, s))
                    if sense.near_type is not None:
                        key = (sense.near_type, compiled.entries[found].country)
                        self.by_type.setdefault(key, []).append((r, s))

    def decide(
        self, words: Sequence[str], lowers: Sequence[str], hits: list[tuple[int, int, int]]
    ) -> dict[tuple[int, int], int | None] | None:
        """(start, end) of each ambiguous occurrence -> the entry it stands for (None: none)."""
        if not self.by_pattern:
            return None
        found = [(s, e, self.by_pattern[p]) for s, e, p in hits if p in self.by_pattern]
        if not found:
            return None
        needed = {r for _, _, r in found}
        evidence: dict[int, list[tuple[int, int, int]]] = {}  # rule -> (start, end, sense)
        for start, end, value in self.trie.find(lowers):
            exact, r, s = self.phrases[value]
            if r in needed and all(words[start + i] == w for i, w in exact):
                evidence.setdefault(r, []).append((start, end, s))
        for start, end, p in hits:
            info = self.patterns[p]
            if p in self.by_pattern or not info.entries:
                continue
            index = info.entries[0]
            entry = self.entries[index]
            for r, s in self.by_entry.get(index, ()):
                if r in needed:
                    evidence.setdefault(r, []).append((start, end, s))
            for r, s in self.by_type.get((entry.type, entry.country), ()):
                if r in needed and self.choices[r][s] != index:
                    evidence.setdefault(r, []).append((start, end, s))
        return {
            (start, end): self.choices[r][self._sense(r, start, end, lowers, evidence.get(r, []))]
            for start, end, r in found
        }

    def _sense(
        self,
        r: int,
        start: int,
        end: int,
        lowers: Sequence[str],
        evidence: list[tuple[int, int, int]],
    ) -> int:
        for words, s in self.before[r]:
            k = len(words)
            if start >= k and tuple(lowers[start - k : start]) == words:
                return s
        best: tuple[int, int] | None = None
        for e_start, e_end, s in evidence:
            if e_start < end and start < e_end:
                continue  # inside the occurrence itself ("Partai" of "Partai Demokrat")
            distance = start - e_end if e_end <= start else e_start - end
            if best is None or (distance, s) < best:
                best = (distance, s)
        return best[1] if best is not None else 0


@dataclass
class Candidate:
    """A span the composer proposes; `role`/`of` are set for a bare title still to resolve."""

    start: int  # token indexes
    end: int
    prio: int
    kind: str
    entity_id: str
    name: str
    listed: bool
    role: str | None = None
    of: str | None = None
    of_name: str | None = None
    past: bool = False  # "mantan Menhan", "Presiden RI kala itu": not the holder on the day
    generic: str | None = None  # a generic name ("pemda") standing for a body the article names


class _Component:
    name = ""

    def __init__(self) -> None:
        self.compiled: Compiled | None = None

    def bind(self, compiled: Compiled) -> None:
        self.compiled = compiled

    def _need(self) -> Compiled:
        if self.compiled is None:
            raise RuntimeError(f"{self.name}: bind() the compiled lexicon before use")
        return self.compiled


class LexiconMatcher(_Component):
    """Finds every lexicon name and rule word; keeps the matches that pass the case rules."""

    name = "warta_lexicon_matcher"

    def __init__(self) -> None:
        super().__init__()
        self.trie: TokenTrie | None = None

    def bind(self, compiled: Compiled) -> None:
        super().bind(compiled)
        self.trie = compiled.build_trie()

    def __call__(self, doc: Doc) -> Doc:
        compiled = self._need()
        assert self.trie is not None
        patterns = compiled.patterns
        words = token_texts(doc)
        lowers = [w.lower() for w in words]
        hits = [
            (start, end, index)
            for start, end, index in self.trie.find(lowers)
            if patterns[index].accepts(words, start)
        ]
        doc.user_data[HITS] = hits
        doc.user_data[LOWERS] = lowers
        return doc


class OfficialPatterns(_Component):
    """Composes the matches into candidate spans and keeps the longest, never overlapping."""

    name = "warta_official_patterns"

    def __call__(self, doc: Doc) -> Doc:
        compiled = self._need()
        hits: list[tuple[int, int, int]] = doc.user_data.get(HITS, [])
        by_start: dict[int, list[tuple[int, PatternInfo]]] = {}
        for start, end, index in hits:
            by_start.setdefault(start, []).append((end, compiled.patterns[index]))
        for found in by_start.values():
            found.sort(key=lambda pair: -pair[0])
        honorific_end: dict[int, int] = {}
        for start, end, index in hits:
            if compiled.patterns[index].honorific and end > honorific_end.get(start, -1):
                honorific_end[start] = end
        honorific_start = {end: start for start, end in honorific_end.items()}
        words = token_texts(doc)
        ctx = _Context(doc, words, compiled, by_start, honorific_end)
        cands: list[Candidate] = []
        outlet = compiled.outlet_of(doc.user_data.get(SOURCE))
        blocked = compiled.rules.blocked_after
        lowers: list[str] = doc.user_data.get(LOWERS) or [w.lower() for w in words]
        # "PKB": the party, or Pajak Kendaraan Bermotor? The article decides.
        senses = compiled.senses.decide(words, lowers, hits)
        for start in sorted(by_start):
            # "Peraturan Pemerintah", "Peraturan Menteri Keuangan": a regulation's name.
            after_blocker = start > 0 and words[start - 1].casefold() in blocked
            for end, info in by_start[start]:
                entry_index = info.entries[0] if info.entries else None
                if senses and (start, end) in senses:
                    entry_index = senses[(start, end)]
                if entry_index is not None and compiled.entries[entry_index].id == outlet:
                    continue  # the article's own outlet ("kepada detikcom") is no stakeholder
                if after_blocker and entry_index is None:
                    continue
                if entry_index is not None:
                    entry = compiled.entries[entry_index]
                    if entry.kind in ("official", "person") and ctx.someone_else(
                        start, end, info, entry
                    ):
                        continue
                    s = start
                    if entry.kind in ("official", "person"):
                        while s in honorific_start:
                            s = honorific_start[s]
                    cands.append(
                        Candidate(s, end, _PRIO_ENTRY, entry.kind, entry.id, entry.name, True)
                    )
                first = words[start][:1]
                if (info.roles or info.title) and first.isupper():
                    cand = ctx.official(start, end, info)
                    if cand is not None:
                        cands.append(cand)
                if (
                    info.bare
                    and not info.entries
                    and first.isupper()
                    and not ctx.in_capitalised_run(start)
                ):
                    text = " ".join(info.words)
                    cands.append(
                        Candidate(
                            start,
                            end,
                            _PRIO_PATTERN,
                            "institution",
                            f"unlisted:{slug(text)}",
                            text,
                            False,
                            generic=text.casefold(),
                        )
                    )
                if info.heads and first.isupper():
                    if info.bare and ctx.in_capitalised_run(start):
                        continue  # "Asosiasi Pemerintah Kabupaten Seluruh Indonesia"
                    cand = ctx.institution(start, end, info)
                    if cand is not None:
                        cands.append(cand)
        openers = compiled.rules.place_openers
        if openers:
            # "Jalan Kolonel Sugiono", "Bandara Sultan Aji ...": a place named after someone;
            # ranks may stand between ("Hotel Sutan Raja Amurang").
            cands = [
                c
                for c in cands
                if c.kind not in ("official", "person")
                or not ctx.opened(c.start, openers, honorific_start)
            ]
        doc.user_data[CANDIDATES] = resolve_generic(select(cands), lowers, compiled.rules)
        return doc


def resolve_generic(
    kept: list[Candidate], lowers: Sequence[str], rules: EntityRules
) -> list[Candidate]:
    """A generic name ("Pemerintah", "Pemda") takes the id of the one body of its kind the
    article names before it ("Pemkab Cirebon"); with none, or several, it names nobody and is
    dropped. `kept` is in text order."""
    if not any(c.generic is not None for c in kept):
        return kept
    result: list[Candidate] = []
    for c in kept:
        heads = rules.bare_antecedents.get(c.generic) if c.generic is not None else None
        if heads is None:
            result.append(c)
            continue
        if c.end < len(lowers) and lowers[c.end] == "-":
            continue  # "Pemda-pemda lain": a plural, many bodies
        bodies: dict[str, Candidate] = {}
        for other in kept:
            if other.start >= c.start:
                break  # an anaphor: the body is named before it
            if other.generic is not None or other.kind != "institution":
                continue
            written = lowers[other.start : other.end]
            if any(tuple(written[: len(h)]) == h for h in heads):
                bodies.setdefault(other.entity_id, other)
        if len(bodies) == 1:
            body = next(iter(bodies.values()))
            c.entity_id, c.name, c.listed = body.entity_id, body.name, body.listed
            result.append(c)
    return result


def select(cands: list[Candidate]) -> list[Candidate]:
    """Longest first, then by priority; a candidate overlapping a kept one is dropped."""
    # An unlisted title + name loses a tie to a lexicon name: "Raja Ampat" is a place.
    cands.sort(
        key=lambda c: (
            c.start - c.end,
            c.prio + 1.5
            if c.prio == _PRIO_OFFICIAL and not c.listed and c.role is None
            else c.prio,
            c.start,
        )
    )
    taken: list[tuple[int, int]] = []
    kept: list[Candidate] = []
    for c in cands:
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        taken.append((c.start, c.end))
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept


class _Context:
    """One document's matches, and the walks that build official and institution spans."""

    def __init__(
        self,
        doc: Doc,
        words: list[str],
        compiled: Compiled,
        by_start: dict[int, list[tuple[int, PatternInfo]]],
        honorific_end: dict[int, int],
    ) -> None:
        self.doc = doc
        self.words = words
        self.c = compiled
        self.rules = compiled.rules
        self.by_start = by_start
        self.honorific_end = honorific_end
        self.hit_ends = {end for found in by_start.values() for end, _ in found}

    def _entry_at(self, pos: int, kinds: tuple[str, ...]) -> tuple[int, Entry] | None:
        for end, info in self.by_start.get(pos, ()):
            for i in info.entries:
                entry = self.c.entries[i]
                if entry.kind in kinds:
                    return end, entry
        return None

    def _title_at(self, pos: int) -> int | None:
        for end, info in self.by_start.get(pos, ()):
            if info.roles or info.title:
                return end
        return None

    def _is_word(self, pos: int) -> bool:
        return pos < len(self.words) and self.words[pos][:1].isalnum()

    def _capitalised(self, pos: int) -> bool:
        if pos >= len(self.words):
            return False
        text = self.words[pos]
        return text[:1].isupper() and text.casefold() not in self.rules.not_names

    def _paren_skip(self, pos: int) -> int | None:
        """After "(": the position past ")" when only capitalised words stand between."""
        doc = self.words
        j = pos + 1
        while j < len(doc) and j - pos <= 5:
            if doc[j] == ")":
                return j + 1 if j > pos + 1 else None
            if not doc[j][:1].isupper():
                return None
            j += 1
        return None

    def _name_word(self, pos: int) -> bool:
        """A capitalised word that may be part of a person's name (no digits: "Putri7" is a
        list number stuck to a name by the scraper)."""
        if not self._capitalised(pos):
            return False
        text = self.words[pos]
        return text[:1].isalpha() and not any(c.isdigit() for c in text)

    def _ends_name(self, pos: int) -> bool:
        """The words before `pos`, taken for a name, named the office instead: an institution,
        a rank or an office word follows ("Direktur Penyakit Tidak Menular Kemenkes RI ...",
        "Kasat Polairud AKP Gede", "Kepala Kanwil Kementerian HAM Jabar Hasbullah")."""
        text = self.words[pos]
        if not text[:1].isupper():
            return False
        return (
            pos in self.honorific_end
            or text.casefold() in self.rules.office_words
            or self._entry_at(pos, ("institution",)) is not None
        )

    def in_capitalised_run(self, start: int) -> bool:
        """A capitalised word right before `start` that does not open a sentence: the words
        name something else ("Rencana Kerja Pemerintah", "Ilmu Kepolisian", "Cadangan Beras
        Pemerintah"), not the body."""
        if start < 2:
            return False
        prev, before = self.words[start - 1], self.words[start - 2]
        return prev[:1].isupper() and prev[:1].isalpha() and before[:1].isalnum()

    def _phrase_at(self, pos: int, phrases: frozenset[str]) -> int | None:
        """The end of the longest of `phrases` (lower case) written from `pos` on."""
        best: int | None = None
        for k in range(1, 4):
            if pos + k > len(self.words):
                break
            if " ".join(self.words[pos : pos + k]).casefold() in phrases:
                best = pos + k
        return best

    def someone_else(self, start: int, end: int, info: PatternInfo, entry: Entry) -> bool:
        """A short alias next to a name word the lexicon does not know is part of another
        person's name: "Jean-Pierre Lacroix" is not Karine Jean-Pierre, "Herman N Supratman"
        not Supratman Andi Agtas."""
        name = self.c.name_words(entry)
        if len(name) <= len(info.words):
            return False
        alias = tuple(w.lower() for w in info.words)
        if (
            name[-len(alias) :] == alias
            and end not in self.by_start
            and self._name_word(end)
            and self.doc[end - 1].whitespace_ == " "
        ):
            return True
        # "Herman N Supratman", "Budi S. Supratman": an initial right before is another
        # person's (a capitalised word is not enough: "Kebijakan Trump" in a title-cased line).
        prev = start - 1
        if prev > 0 and self.words[prev] == ".":
            prev -= 1
        word = self.words[prev] if prev >= 0 else ""
        return len(word) == 1 and word.isupper() and prev + 1 not in self.hit_ends

    def opened(self, pos: int, openers: frozenset[str], honorific_start: dict[int, int]) -> bool:
        """A place opener right before `pos`, or before the ranks that lead to it."""
        while True:
            if self.phrase_before(pos, openers):
                return True
            if pos not in honorific_start:
                return False
            pos = honorific_start[pos]

    def degree_at(self, pos: int) -> int | None:
        """The end of an academic degree written from `pos` on ("BA", "S.H."), if any."""
        degrees = self.rules.degree_suffixes
        if not degrees or not self.words[pos : pos + 1] or not self.words[pos][:1].isupper():
            return None
        for k in range(1, 5):
            if pos + k > len(self.words):
                break
            if "".join(self.words[pos : pos + k]).casefold() in degrees:
                return pos + k
        return None

    def local_stranger(
        self,
        start: int,
        office_end: int,
        named_office: bool,
        p_start: int,
        p_end: int,
        entry: Entry,
        info: PatternInfo,
    ) -> bool:
        """A one-word alias of a national figure after a local office is a local official of
        that name: "Kepala Kejaksaan Negeri Kuantan Singingi, Sahroni" is not Ahmad Sahroni.
        Kept when the person held the title's role or any office below the national one."""
        if p_end - p_start != 1 or len(self.c.name_words(entry)) < 2:
            return False
        if any(r.of is not None and not _COUNTRY_CODE.fullmatch(r.of) for r in entry.roles):
            return False  # a regional or institutional office: he may well be meant
        if any(r.role == self.c.entries[i].id for r in entry.roles for i in info.roles):
            return False
        if named_office and self._region_title(start, start + len(info.words)):
            return True
        pos = start
        while pos < office_end:
            place = self._entry_at(pos, ("place",))
            if place is not None:
                found = place[1]
                if found.type != "country" and found.country == "ID":
                    return True
                pos = place[0]
                continue
            pos += 1
        return False

    def phrase_before(self, pos: int, phrases: frozenset[str]) -> bool:
        return any(
            pos >= k and " ".join(self.words[pos - k : pos]).casefold() in phrases
            for k in range(1, 3)
        )

    def official(self, start: int, end: int, info: PatternInfo) -> Candidate | None:
        """Title [organisation/place ...] [rank ...] [, ] [name]: one official span."""
        doc = self.words
        pos = end
        office_end = end
        qualifier: Entry | None = None
        name_start: int | None = None
        named_office = False  # capitalised words not in the lexicon were read as the office
        while pos < len(doc) and pos - start < _MAX_OFFICE_TOKENS:
            person = self._entry_at(pos, ("official", "person"))
            if person is not None and (
                name_start is not None
                or not self.local_stranger(
                    start, office_end, named_office, pos, person[0], person[1], info
                )
            ):
                p_end, entry = person
                kind = "official" if entry.kind == "official" else entry.kind
                return Candidate(start, p_end, _PRIO_OFFICIAL, kind, entry.id, entry.name, True)
            text = doc[pos]
            if name_start is not None and self._ends_name(pos):
                name_start = None
                named_office = True
                office_end = pos
            if name_start is None:
                h_end = self.honorific_end.get(pos)
                if h_end is not None:
                    pos = office_end = h_end
                    continue
                place = self._entry_at(pos, ("institution", "place"))
                if place is not None:
                    if qualifier is None:
                        qualifier = place[1]
                    pos = office_end = place[0]
                    continue
                t_end = self._title_at(pos)
                if t_end is not None and text[:1].isupper():
                    pos = office_end = t_end
                    continue
                if text == "(":
                    skip = self._paren_skip(pos)
                    if skip is None:
                        break
                    pos = office_end = skip
                    continue
                folded = text.casefold()
                if folded in self.rules.org_prefixes and self._name_word(pos + 1):
                    # "Direktur PT Praba Indopersasa": the company's name, not the director's.
                    pos += 1
                    while pos < len(doc) and self._name_word(pos) and pos - start < 12:
                        pos += 1
                    office_end = pos
                    named_office = True
                    continue
                body_end = self._body_at(pos)
                if body_end is not None:
                    # "Kasat Reskrim Polres Bogor AKP ...": the office's own unit and region.
                    pos = office_end = body_end
                    named_office = True
                    continue
                if text[:1].isupper() and (
                    folded in self.rules.office_words or is_capital_token(text)
                ):
                    pos = office_end = pos + 1
                    continue
                if (
                    text.isdigit()
                    and pos == office_end
                    and pos > end
                    and (is_capital_token(doc[pos - 1]) or doc[pos - 1] in self.rules.office_words)
                    and self._capitalised(pos + 1)
                ):
                    # "Kepala Sekolah SMPN 33 Sumiyati", "Komandan Batalyon 512 ...": the
                    # number is the unit's.
                    pos = office_end = pos + 1
                    continue
                # "Penindakan dan Eksekusi" is one office; "Rusia dan Mark Milley" is not.
                if (
                    folded in self.rules.connectors
                    and pos + 1 < len(doc)
                    and doc[pos + 1].casefold() in self.rules.office_words
                ):
                    pos += 1
                    continue
                if self._name_word(pos):
                    name_start = pos
                    pos += 1
                    continue
                break
            # In the name: capitalised words, particles, an initial's dot.
            if pos - name_start >= _MAX_NAME_TOKENS:
                break
            if self.degree_at(pos) is not None:
                break  # "Oikurnia Zega SH": the degree is not the name
            if self._name_word(pos):
                if self._entry_at(pos, ("place",)) is not None:
                    break
                pos += 1
                continue
            if text in self.rules.name_particles and self._capitalised(pos + 1):
                pos += 1
                continue
            if text == "." and len(doc[pos - 1]) == 1 and self._capitalised(pos + 1):
                pos += 1
                continue
            break
        if (
            name_start is not None
            and pos - name_start == 1
            and qualifier is None
            and self._region_title(start, end)
        ):
            # "Bupati Gresik": one unknown word after a regional title is its region.
            name_start = None
            named_office = True
            office_end = pos
        # "mantan Menhan": a past holder, never the one of the article's date.
        past = self.phrase_before(start, self.rules.past_before)
        if pos < len(doc) and doc[pos] == "," and (name_start is None or pos - name_start == 1):
            # "Sekretaris Pers Pentagon, Laksamana John Kirby", "Kepala KPP Pratama Klaten,
            # Veronica Heryanti": the name after the comma is the office holder's.
            plain = name_start is None and not named_office and office_end == end
            after = self._comma_name(pos + 1, ranked_only=plain and qualifier is None and not past)
            if after is not None:
                n_start, n_end, entry = after
                if entry is not None and self.local_stranger(
                    start, office_end, named_office, n_start, n_end, entry, info
                ):
                    entry = None
                if entry is not None:
                    kind = "official" if entry.kind == "official" else entry.kind
                    return Candidate(start, n_end, _PRIO_OFFICIAL, kind, entry.id, entry.name, True)
                name = " ".join(w for w in doc[n_start:n_end] if w[:1].isalpha())
                return Candidate(
                    start, n_end, _PRIO_OFFICIAL, "official", f"unlisted:{slug(name)}", name, False
                )
        if pos < len(doc):
            # "Presiden RI kala itu, Joko Widodo": the name after the marker is the holder's
            # ("Bupati Kuantan Singingi saat itu, Sukarmis": the words before it the office's).
            marker = self._phrase_at(pos, self.rules.past_after)
            named_only = marker is None
            if marker is None:
                marker = self._phrase_at(pos, self.rules.past_after_named)
            comma = marker is not None and marker < len(doc) and doc[marker] == ","
            if marker is not None and (name_start is None or comma):
                at = marker + 1 if comma else marker
                named = self._comma_name(at, ranked_only=False)
                if named is not None:
                    n_start, n_end, entry = named
                    if entry is not None:
                        return Candidate(
                            start, n_end, _PRIO_OFFICIAL, entry.kind, entry.id, entry.name, True
                        )
                    name = " ".join(w for w in doc[n_start:n_end] if w[:1].isalpha())
                    return Candidate(
                        start,
                        n_end,
                        _PRIO_OFFICIAL,
                        "official",
                        f"unlisted:{slug(name)}",
                        name,
                        False,
                    )
                past = past or (not named_only and name_start is None)
        if name_start is not None:
            # A sentence-initial function word is not a name ("... Gubernur Riau Di sana").
            name_words = [w for w in doc[name_start:pos] if w[:1].isalpha()]
            name = " ".join(name_words)
            return Candidate(
                start, pos, _PRIO_OFFICIAL, "official", f"unlisted:{slug(name)}", name, False
            )
        if past and start > 0 and doc[start - 1][:1].isupper():
            start -= 1  # "Mantan Presiden RI": the marker opens the sentence, and the span
        return self._bare(start, end, office_end, info, qualifier, named_office, past)

    def _portfolio(self, start: int, end: int) -> bool:
        """A portfolio title ("Menteri") followed by its office words ("Perkebunan"), and no
        longer title here ("Menteri Keuangan" is a role of its own, resolved or dropped)."""
        if self._title_at(start) != end or end >= len(self.words):
            return False
        after = self.words[end]
        office = self.rules.office_words
        if not (
            after.casefold() in office
            or is_capital_token(after)
            # "Menteri PU dan Tenaga Listrik"
            or (
                after in self.rules.connectors
                and end + 1 < len(self.words)
                and self.words[end + 1].casefold() in office
            )
        ):
            return False  # "Pak Menko (Airlangga Hartarto)": the name decides
        title = [w.casefold() for w in self.words[start:end]]
        return any(
            " ".join(title[:k]) in self.rules.portfolio_titles for k in range(1, len(title) + 1)
        )

    def _region_title(self, start: int, end: int) -> bool:
        return " ".join(self.words[start:end]).casefold() in self.rules.region_titles

    def _comma_name(self, pos: int, *, ranked_only: bool) -> tuple[int, int, Entry | None] | None:
        """After a title's comma: [rank] and a listed person, or [rank] and capitalised words
        ending the name run (not a place, an office or another title: "Gubernur, Wakil ...")."""
        doc = self.words
        j = pos
        ranked = False
        while j in self.honorific_end:
            j = self.honorific_end[j]
            ranked = True
        person = self._entry_at(j, ("official", "person"))
        if person is not None:
            return j, person[0], person[1]
        if ranked_only and not ranked:
            return None
        if (
            not self._name_word(j)
            or self._entry_at(j, ("institution", "place")) is not None
            or self._title_at(j) is not None
            or doc[j].casefold() in self.rules.office_words
            or self.degree_at(j) is not None  # "H. Sutarno, BA": a degree, not a name
        ):
            return None
        k = j
        while k < len(doc) and k - j < _MAX_NAME_TOKENS:
            if self.degree_at(k) is not None:
                return j, k, None  # "..., Siti Aminah SH": the name ends at the degree
            if (
                self._name_word(k)
                and self._entry_at(k, ("institution", "place")) is None
                and doc[k].casefold() not in self.rules.office_words
            ):
                k += 1
                continue
            if doc[k] in self.rules.name_particles and self._name_word(k + 1):
                k += 1
                continue
            if doc[k] == "." and len(doc[k - 1]) == 1 and self._name_word(k + 1):
                k += 1
                continue
            break
        if k < len(doc) and doc[k][:1].isupper():
            return None  # the run stopped at a place or an office: not a name
        return j, k, None

    def _bare(
        self,
        start: int,
        end: int,
        office_end: int,
        info: PatternInfo,
        qualifier: Entry | None,
        named_office: bool,
        past: bool = False,
    ) -> Candidate | None:
        """A title with no name: left to the role resolver, or an unlisted office."""
        text = self.doc[start:office_end].text
        if info.roles:
            role = self.c.entries[info.roles[0]]
            if qualifier is not None:
                of: str | None = _of_code(qualifier)
                of_name: str | None = qualifier.name
            elif named_office or (office_end > end and self._portfolio(start, end)):
                # "Bupati Gresik", "Direktur PT Praba Indopersasa", "Menteri Perkebunan", "Menteri
                # PU dan Tenaga Listrik" (not the Menteri PU): an office the lexicon does not
                # know, highlighted but resolved to nobody.
                return Candidate(
                    start, office_end, _PRIO_PATTERN, "official", f"title:{slug(text)}", text, False
                )
            elif role.id in self.c.sole_of:
                of, of_name = self.c.sole_of[role.id], None
            else:
                return None
            return Candidate(
                start,
                office_end,
                _PRIO_OFFICIAL,
                "official",
                "",
                text,
                False,
                role=role.id,
                of=of,
                of_name=of_name,
                past=past,
            )
        portfolio = self._portfolio(start, end)
        if (qualifier is None and not named_office and not portfolio) or office_end == end:
            return None
        return Candidate(
            start, office_end, _PRIO_PATTERN, "official", f"title:{slug(text)}", text, False
        )

    def institution(self, start: int, end: int, info: PatternInfo) -> Candidate | None:
        """Head + place ("Pemprov Riau") or head + capitalised words ("Dinas Tanaman Pangan")."""
        best: Candidate | None = None
        for p_index in info.heads:
            pattern = self.rules.institution_patterns[p_index]
            tail_end = self._tail(end, pattern)
            if tail_end is None:
                continue
            if best is None or tail_end > best.end:
                text = " ".join(w for w in self.words[start:tail_end] if not w.isspace())
                if self._class_of_bodies(start, tail_end):
                    continue  # "Badan Usaha Milik Negara": a class of bodies
                best = Candidate(
                    start,
                    tail_end,
                    _PRIO_PATTERN,
                    "institution",
                    f"unlisted:{slug(text)}",
                    text,
                    False,
                )
        return best

    def _class_of_bodies(self, start: int, end: int) -> bool:
        """The words name a class of bodies (`not_institutions`), alone or before a connector:
        "Puskesmas Desa dan WC umum" names no one Puskesmas."""
        words = [w for w in self.words[start:end] if not w.isspace()]
        for i, word in enumerate(words):
            if i and word in self.rules.connectors:
                words = words[:i]
                break
        return " ".join(words).casefold() in self.rules.not_institutions

    def _tail(self, pos: int, pattern: InstitutionPattern) -> int | None:
        doc = self.words
        start = pos
        words = 0
        limit = pattern.max_words if pattern.tail == "words" else 4
        last_known_end = -1
        while pos < len(doc) and words < limit:
            if self._entry_at(pos, ("official", "person")) is not None:
                break
            if pos > start and (self._title_at(pos) is not None or pos in self.honorific_end):
                break  # a title or a rank ("Polres Garut AKP ...") starts someone else
            known = self._entry_at(pos, ("institution", "place"))
            if known is not None:
                pos = last_known_end = known[0]
                words += 1
                continue
            text = doc[pos]
            if (
                pattern.tail == "place"
                and pos == last_known_end
                and text.casefold() not in self.rules.place_suffixes
            ):
                break  # "DPRD Bone | Adriani Alimuddin": the region ends at its place
            if self._capitalised(pos) and text[:1].isalpha():
                pos += 1
                words += 1
                continue
            if text == "(" and pos == start:
                skip = self._paren_skip(pos)
                if skip is not None and self._capitalised(skip):
                    pos = skip
                    continue
            if (
                pattern.tail == "words"
                and pos > start
                # "BNN Pemerintah Republik Indonesia dan Ministry ...": two bodies, not one.
                and pos != last_known_end
                and text in self.rules.connectors
                and self._capitalised(pos + 1)
                and not self._head_at(pos + 1)
            ):
                pos += 1
                continue
            break
        return pos if pos > start else None

    def _body_at(self, pos: int) -> int | None:
        """The end of a head + place body starting at `pos` ("Polres Bogor"), if any, read
        inside an office's title."""
        if not self.words[pos][:1].isupper():
            return None
        best: int | None = None
        for end, info in self.by_start.get(pos, ()):
            for p_index in info.heads:
                pattern = self.rules.institution_patterns[p_index]
                if pattern.tail != "place":
                    continue
                tail_end = self._tail(end, pattern)
                if tail_end is None:
                    continue
                if not any(
                    self._entry_at(i, ("institution", "place")) for i in range(end, tail_end)
                ):
                    # No known place: one word is the region, as after a regional title;
                    # the rest may be the holder's name ("DPRD Bone Ahmad ...").
                    tail_end = end + 1
                if best is None or tail_end > best:
                    best = tail_end
        return best

    def _head_at(self, pos: int) -> bool:
        return any(info.heads for _, info in self.by_start.get(pos, ()))


def _of_code(entry: Entry) -> str:
    """What a role spell's `of` holds for a qualifier: a country code or an entry id."""
    if entry.kind == "place" and entry.type == "country" and entry.country:
        return str(entry.country)
    return str(entry.id)


class RoleResolver(_Component):
    """Turns the kept candidates into EntitySpans, resolving bare titles by the article's date."""

    name = "warta_role_resolver"

    def __call__(self, doc: Doc) -> Doc:
        compiled = self._need()
        candidates: list[Candidate] = doc.user_data.get(CANDIDATES, [])
        text: str = doc.user_data.get(TEXT) or doc.text  # doc.text is rebuilt on each access
        day: datetime.date | None = None
        if any(c.role is not None for c in candidates):
            # The published date, else the latest full date the text writes out.
            day = anchor_date(doc.user_data.get(PUBLISHED), text)
        spans: list[EntitySpan] = []
        for c in candidates:
            entity_id, name, listed = c.entity_id, c.name, c.listed
            if c.role is not None:
                if c.past:
                    holder = self._named_holder(compiled, c.role, c.of, candidates, not_on=day)
                else:
                    holder = self._holder(compiled, c.role, c.of, day) or self._named_holder(
                        compiled, c.role, c.of, candidates
                    )
                if holder is not None:
                    entity_id, name, listed = holder.id, holder.name, True
                elif c.of_name is None and not (c.past and c.of):
                    continue  # a title naming nobody and resolving to nobody
                else:
                    role = compiled.lexicon.get("role", c.role)
                    title = role.name if role is not None else c.role
                    entity_id = "title:" + slug(f"{c.role} {c.of or ''}")
                    name = f"{title} {c.of_name or self._of_name(compiled, c.of)}"
            start = doc[c.start].idx
            last = doc[c.end - 1]
            end = last.idx + len(last.text)
            spans.append(EntitySpan(start, end, text[start:end], c.kind, entity_id, name, listed))
        doc.user_data[SPANS] = spans
        return doc

    @staticmethod
    def _holder(
        compiled: Compiled, role: str, of: str | None, day: datetime.date | None
    ) -> Entry | None:
        if day is None:
            return None
        holders = compiled.lexicon.holders(role, of, day)
        if not holders:
            return None
        entry = compiled.lexicon.get("role", role)
        if entry is not None and not entry.unique and len(holders) > 1:
            return None  # one of many ambassadors or spokespeople: nobody in particular
        return holders[0]

    @staticmethod
    def _of_name(compiled: Compiled, of: str | None) -> str:
        if of is None:
            return ""
        place = compiled.lexicon.get("place", of.lower())
        return place.name if place is not None else of

    @staticmethod
    def _named_holder(
        compiled: Compiled,
        role: str,
        of: str | None,
        candidates: list[Candidate],
        not_on: datetime.date | None = None,
    ) -> Entry | None:
        """The one official the article names who ever held this office, when the date cannot
        tell: "Menteri Pertahanan Rusia" in an undated report that also names Sergei Shoigu.
        With `not_on` (a past holder: "mantan Menhan"), the one who no longer held it then."""
        current = (
            {e.id for e in compiled.lexicon.holders(role, of, not_on)} if not_on else set[str]()
        )
        found: dict[str, Entry] = {}
        for other in candidates:
            if other.role is not None or other.kind != "official" or not other.listed:
                continue
            entry = compiled.lexicon.get("official", other.entity_id)
            if entry is None or entry.id in current:
                continue
            if any(r.role == role and (of is None or r.of == of) for r in entry.roles):
                found[entry.id] = entry
        return next(iter(found.values())) if len(found) == 1 else None


@Language.factory("warta_lexicon_matcher")
def make_lexicon_matcher(nlp: Language, name: str) -> LexiconMatcher:
    return LexiconMatcher()


@Language.factory("warta_official_patterns")
def make_official_patterns(nlp: Language, name: str) -> OfficialPatterns:
    return OfficialPatterns()


@Language.factory("warta_role_resolver")
def make_role_resolver(nlp: Language, name: str) -> RoleResolver:
    return RoleResolver()


PIPE_NAMES = ("warta_lexicon_matcher", "warta_official_patterns", "warta_role_resolver")

# Every new word a Doc is made of stays in the Vocab (a Lexeme and its string, ~280 bytes) for
# the life of the Language; a 23k article import meets ~120k. The components read only the
# token texts, never the Vocab, so the pipeline is rebuilt on a fresh Vocab past this many
# (the rebuild reuses the compiled lexicon; ~50 ms, once every few thousand articles).
VOCAB_LIMIT = 60_000


def lean_vocab() -> Vocab:
    """A Vocab computing only the lexeme attributes matching needs (each costs every new word)."""
    return Vocab(lex_attr_getters={LOWER: str.lower, IS_SPACE: str.isspace})


def build_pipeline(tables: EntityTables, compiled: Compiled | None = None) -> Language:
    """A Language with the lean tokenizer and the three components bound to `tables`."""
    # Given at construction, so spaCy never compiles the default tokenizer's regexes (~80 ms).
    nlp = Language(lean_vocab(), create_tokenizer=lambda nlp: LeanTokenizer(nlp.vocab))
    if compiled is None:
        compiled = Compiled(tables)
    for name in PIPE_NAMES:
        component: Any = nlp.add_pipe(name)
        component.bind(compiled)
    return nlp


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # Building the tables allocates ~100,000 long-lived objects; the cyclic collector would
    # walk them again and again while they are made (measured: 70 of 85 ms of a warm start).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class EntityExtractor:
    """Finds entity spans in article texts; built once, reused for every article."""

    def __init__(
        self,
        lexicon_paths: Sequence[Path] | None = None,
        *,
        user_dir: UserDir = None,
        use_cache: bool = True,
    ) -> None:
        with _gc_paused():
            self.tables = load_tables(lexicon_paths, user_dir=user_dir, use_cache=use_cache)
            self._compiled = Compiled(self.tables)
            self.nlp = build_pipeline(self.tables, self._compiled)

    @property
    def lexicon(self) -> Lexicon:
        return self.tables.lexicon

    def _doc(self, text: str, published: str | None, source: str | None = None) -> Doc:
        if len(self.nlp.vocab) > VOCAB_LIMIT:
            # Docs still in a running `pipe` keep the old Vocab alive until they are done.
            self.nlp = build_pipeline(self.tables, self._compiled)
        doc = self.nlp.make_doc(text)
        doc.user_data[PUBLISHED] = published
        doc.user_data[TEXT] = text
        doc.user_data[SOURCE] = source
        return doc

    def extract(
        self, text: str, published: str | None = None, *, source: str | None = None
    ) -> list[EntitySpan]:
        """Spans in text order, never overlapping; offsets index `text`.

        `source` is the article's outlet ("detik.com"): its names in the text ("kepada
        detikcom") are self-references, not stakeholders, and are left out."""
        doc = self.nlp(self._doc(text, published, source))
        spans: list[EntitySpan] = doc.user_data[SPANS]
        return spans

    def extract_many(
        self,
        items: Iterable[tuple[str, str | None] | tuple[str, str | None, str | None]],
        batch_size: int = 64,
    ) -> Iterator[list[EntitySpan]]:
        """`extract` over (text, published) or (text, published, source), in order."""
        docs = (self._doc(*item) for item in items)
        for doc in self.nlp.pipe(docs, batch_size=batch_size):
            yield doc.user_data[SPANS]


_DEFAULT: EntityExtractor | None = None


def default_extractor() -> EntityExtractor:
    """The extractor of the bundled and user lexicons, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = EntityExtractor()
    return _DEFAULT
