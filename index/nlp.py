"""Provides the entity pipeline: a lean spaCy Language whose registered components find officials,
institutions, places and persons of the lexicons in a text, with character offsets.

Components, in order:
  warta_lexicon_matcher    phrase matching of every lexicon name and rule word, with the case
                           rules (capital tokens exact, others any case)
  warta_official_patterns  title + organisation/place + rank + name → one official span;
                           head + place/words → an unlisted institution; plain lexicon names;
                           longest candidate wins, no overlaps
  warta_role_resolver      a bare title ("Menteri Pertahanan Rusia") becomes the person who
                           held the role on the article's date

Decisions (see docs/entities.md): a title followed by a name is one span covering both, as the
annotators mark it; a bare title that cannot be resolved (no date, or nobody in the lexicon held
it then) is kept as an official span with `listed=False` and an id `title:<role>-<of>` when it
names its country or organisation, and dropped when it names nothing ("Presiden" alone).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.attrs import IS_SPACE, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab
from warta.lexicons import Entry, Lexicon

from .dates import anchor_date
from .entity_rules import EntityRules, InstitutionPattern
from .entity_tables import EntityTables, UserDir, load_tables
from .models import EntitySpan
from .tokenizer import LeanTokenizer, words_of

PUBLISHED = "warta_published"
HITS = "warta_hits"
CANDIDATES = "warta_candidates"
SPANS = "warta_spans"
TEXT = "warta_text"

# When two entries of different kinds claim one alias, the first kind here stands for it.
_KIND_ORDER = {"official": 0, "person": 1, "institution": 2, "place": 3}
# Among candidates of equal length: a title+name official, then a lexicon name, then patterns.
_PRIO_OFFICIAL, _PRIO_ENTRY, _PRIO_PATTERN = 0, 1, 2
_MAX_NAME_TOKENS = 5
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

    def accepts(self, doc: Doc, start: int) -> bool:
        for i, word in self.exact:
            if doc[start + i].text != word:
                return False
        if self.needs_upper:
            return any(
                any(c.isupper() for c in doc[i].text) for i in range(start, start + len(self.words))
            )
        return True


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
        self.sole_of: dict[str, str | None] = {}
        ofs: dict[str, set[str | None]] = {}
        for entry in self.entries:
            for spell in entry.roles:
                ofs.setdefault(spell.role, set()).add(spell.of)
        for role, values in ofs.items():
            if len(values) == 1:
                self.sole_of[role] = next(iter(values))

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

    def build_matcher(self, vocab: Vocab) -> PhraseMatcher:
        matcher = PhraseMatcher(vocab, attr="LOWER")
        # One add call per key: grouping is what keeps a cold start fast (measured: ~6x).
        groups: dict[str, list[Doc]] = {}
        for index, info in enumerate(self.patterns):
            groups.setdefault(str(index), []).append(Doc(vocab, words=list(info.words)))
        for key, docs in groups.items():
            matcher.add(key, docs)
        return matcher


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

    def __init__(self, vocab: Vocab) -> None:
        super().__init__()
        self.vocab = vocab
        self.matcher: PhraseMatcher | None = None

    def bind(self, compiled: Compiled) -> None:
        super().bind(compiled)
        self.matcher = compiled.build_matcher(self.vocab)

    def __call__(self, doc: Doc) -> Doc:
        compiled = self._need()
        assert self.matcher is not None
        strings = self.vocab.strings
        hits: list[tuple[int, int, int]] = []
        for match_id, start, end in self.matcher(doc):
            index = int(strings[match_id])
            if compiled.patterns[index].accepts(doc, start):
                hits.append((start, end, index))
        doc.user_data[HITS] = hits
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
        ctx = _Context(doc, compiled, by_start, honorific_end)
        cands: list[Candidate] = []
        for start in sorted(by_start):
            for end, info in by_start[start]:
                if info.entries:
                    entry = compiled.entries[info.entries[0]]
                    s = start
                    if entry.kind in ("official", "person"):
                        while s in honorific_start:
                            s = honorific_start[s]
                    cands.append(
                        Candidate(s, end, _PRIO_ENTRY, entry.kind, entry.id, entry.name, True)
                    )
                if (info.roles or info.title) and doc[start].text[:1].isupper():
                    cand = ctx.official(start, end, info)
                    if cand is not None:
                        cands.append(cand)
                if info.bare and not info.entries and doc[start].text[:1].isupper():
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
                        )
                    )
                if info.heads and doc[start].text[:1].isupper():
                    cand = ctx.institution(start, end, info)
                    if cand is not None:
                        cands.append(cand)
        doc.user_data[CANDIDATES] = select(cands)
        return doc


def select(cands: list[Candidate]) -> list[Candidate]:
    """Longest first, then by priority; a candidate overlapping a kept one is dropped."""
    cands.sort(key=lambda c: (c.start - c.end, c.prio, c.start))
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
        compiled: Compiled,
        by_start: dict[int, list[tuple[int, PatternInfo]]],
        honorific_end: dict[int, int],
    ) -> None:
        self.doc = doc
        self.c = compiled
        self.rules = compiled.rules
        self.by_start = by_start
        self.honorific_end = honorific_end

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
        return pos < len(self.doc) and self.doc[pos].text[:1].isalnum()

    def _capitalised(self, pos: int) -> bool:
        if pos >= len(self.doc):
            return False
        text = self.doc[pos].text
        return text[:1].isupper() and text.casefold() not in self.rules.not_names

    def _paren_skip(self, pos: int) -> int | None:
        """After "(": the position past ")" when only capitalised words stand between."""
        doc = self.doc
        j = pos + 1
        while j < len(doc) and j - pos <= 5:
            if doc[j].text == ")":
                return j + 1 if j > pos + 1 else None
            if not doc[j].text[:1].isupper():
                return None
            j += 1
        return None

    def official(self, start: int, end: int, info: PatternInfo) -> Candidate | None:
        """Title [organisation/place ...] [rank ...] [name]: one official span."""
        doc = self.doc
        pos = end
        office_end = end
        qualifier: Entry | None = None
        name_start: int | None = None
        while pos < len(doc) and pos - start < _MAX_OFFICE_TOKENS:
            person = self._entry_at(pos, ("official", "person"))
            if person is not None:
                p_end, entry = person
                kind = "official" if entry.kind == "official" else entry.kind
                return Candidate(start, p_end, _PRIO_OFFICIAL, kind, entry.id, entry.name, True)
            text = doc[pos].text
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
                if text[:1].isupper() and (
                    folded in self.rules.office_words or is_capital_token(text)
                ):
                    pos = office_end = pos + 1
                    continue
                # "Penindakan dan Eksekusi" is one office; "Rusia dan Mark Milley" is not.
                if (
                    folded in self.rules.connectors
                    and pos + 1 < len(doc)
                    and doc[pos + 1].text.casefold() in self.rules.office_words
                ):
                    pos += 1
                    continue
                if self._capitalised(pos) and text[:1].isalpha():
                    name_start = pos
                    pos += 1
                    continue
                break
            # In the name: capitalised words, particles, an initial's dot.
            if pos - name_start >= _MAX_NAME_TOKENS:
                break
            if self._capitalised(pos) and text[:1].isalpha():
                if self._entry_at(pos, ("institution", "place")) is not None:
                    break
                if text.casefold() in self.rules.office_words:
                    break
                pos += 1
                continue
            if text in self.rules.name_particles and self._capitalised(pos + 1):
                pos += 1
                continue
            if text == "." and len(doc[pos - 1].text) == 1 and self._capitalised(pos + 1):
                pos += 1
                continue
            break
        if name_start is not None:
            # A sentence-initial function word is not a name ("... Gubernur Riau Di sana").
            name_words = [t.text for t in doc[name_start:pos] if t.text[:1].isalpha()]
            name = " ".join(name_words)
            return Candidate(
                start, pos, _PRIO_OFFICIAL, "official", f"unlisted:{slug(name)}", name, False
            )
        return self._bare(start, end, office_end, info, qualifier)

    def _bare(
        self, start: int, end: int, office_end: int, info: PatternInfo, qualifier: Entry | None
    ) -> Candidate | None:
        """A title with no name: left to the role resolver, or an unlisted office."""
        text = self.doc[start:office_end].text
        if info.roles:
            role = self.c.entries[info.roles[0]]
            if qualifier is not None:
                of: str | None = _of_code(qualifier)
                of_name: str | None = qualifier.name
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
            )
        if qualifier is None or office_end == end:
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
                text = " ".join(t.text for t in self.doc[start:tail_end] if not t.is_space)
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

    def _tail(self, pos: int, pattern: InstitutionPattern) -> int | None:
        doc = self.doc
        start = pos
        words = 0
        limit = pattern.max_words if pattern.tail == "words" else 4
        while pos < len(doc) and words < limit:
            if self._entry_at(pos, ("official", "person")) is not None:
                break
            if pos > start and self._title_at(pos) is not None:
                break
            known = self._entry_at(pos, ("institution", "place"))
            if known is not None:
                pos = known[0]
                words += 1
                continue
            text = doc[pos].text
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
                and text in self.rules.connectors
                and self._capitalised(pos + 1)
                and not self._head_at(pos + 1)
            ):
                pos += 1
                continue
            break
        return pos if pos > start else None

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
                holder = self._holder(compiled, c.role, c.of, day)
                if holder is not None:
                    entity_id, name, listed = holder.id, holder.name, True
                elif c.of_name is None:
                    continue  # a title naming nobody and resolving to nobody
                else:
                    role = compiled.lexicon.get("role", c.role)
                    title = role.name if role is not None else c.role
                    entity_id = "title:" + slug(f"{c.role} {c.of or ''}")
                    name = f"{title} {c.of_name}"
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


@Language.factory("warta_lexicon_matcher")
def make_lexicon_matcher(nlp: Language, name: str) -> LexiconMatcher:
    return LexiconMatcher(nlp.vocab)


@Language.factory("warta_official_patterns")
def make_official_patterns(nlp: Language, name: str) -> OfficialPatterns:
    return OfficialPatterns()


@Language.factory("warta_role_resolver")
def make_role_resolver(nlp: Language, name: str) -> RoleResolver:
    return RoleResolver()


PIPE_NAMES = ("warta_lexicon_matcher", "warta_official_patterns", "warta_role_resolver")


def lean_vocab() -> Vocab:
    """A Vocab computing only the lexeme attributes matching needs (each costs every new word)."""
    return Vocab(lex_attr_getters={LOWER: str.lower, IS_SPACE: str.isspace})


def build_pipeline(tables: EntityTables) -> Language:
    """A Language with the lean tokenizer and the three components bound to `tables`."""
    nlp = Language(lean_vocab())
    nlp.tokenizer = LeanTokenizer(nlp.vocab)
    compiled = Compiled(tables)
    for name in PIPE_NAMES:
        component: Any = nlp.add_pipe(name)
        component.bind(compiled)
    return nlp


class EntityExtractor:
    """Finds entity spans in article texts; built once, reused for every article."""

    def __init__(
        self,
        lexicon_paths: Sequence[Path] | None = None,
        *,
        user_dir: UserDir = None,
        use_cache: bool = True,
    ) -> None:
        self.tables = load_tables(lexicon_paths, user_dir=user_dir, use_cache=use_cache)
        self.nlp = build_pipeline(self.tables)

    @property
    def lexicon(self) -> Lexicon:
        return self.tables.lexicon

    def _doc(self, text: str, published: str | None) -> Doc:
        doc = self.nlp.make_doc(text)
        doc.user_data[PUBLISHED] = published
        doc.user_data[TEXT] = text
        return doc

    def extract(self, text: str, published: str | None = None) -> list[EntitySpan]:
        """Spans in text order, never overlapping; offsets index `text`."""
        doc = self.nlp(self._doc(text, published))
        spans: list[EntitySpan] = doc.user_data[SPANS]
        return spans

    def extract_many(
        self, items: Iterable[tuple[str, str | None]], batch_size: int = 64
    ) -> Iterator[list[EntitySpan]]:
        """`extract` over (text, published) pairs, in order, through `nlp.pipe`."""
        docs = (self._doc(text, published) for text, published in items)
        for doc in self.nlp.pipe(docs, batch_size=batch_size):
            yield doc.user_data[SPANS]


_DEFAULT: EntityExtractor | None = None


def default_extractor() -> EntityExtractor:
    """The extractor of the bundled and user lexicons, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = EntityExtractor()
    return _DEFAULT
