"""Provides event extraction: triggers, participants, dates and places of an article's events.

An event mention is a trigger (index/data/triggers.yaml) with its participants, found in one
sentence or resolved from the nearby context, and its date and place. Per article the mentions
are then reconciled: a bare title becomes the official the article names, a vague mention
("percakapan telepon itu" by a ministry) takes the officials of the same event reported
elsewhere in the article, a generic word ("pembicaraan") joins the call or meeting it stands
for, and an undated mention takes the date the article gives the same event.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from warta.lexicons import Entry, Lexicon

from .dates import anchor_date, find_dates
from .models import DateMention, EntitySpan, EventMention, Participant
from .triggers import Trigger, TriggerLexicon, norm

_TIER_PERSON, _TIER_BODY, _TIER_COUNTRY = 0, 1, 2
_PARTY = ("person", "institution", "country")
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}
_WORD = re.compile(r"[\w-]+")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
# How far back "Keduanya" looks for the two people it means.
_ANAPHORA_CHARS = 1500


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass
class Found:
    """One event mention of an article, before it is stored and linked."""

    kind: str
    cameo: str
    generic: bool
    alone: bool
    backref: bool  # "percakapan telepon itu": points back to an event already reported
    participants: list[Participant]
    participant_spans: list[tuple[int, int]]
    sentence: Sentence
    trigger: tuple[int, int]
    rule: str
    date: str | None = None
    precision: str = "unknown"
    date_text: str | None = None
    anchor: str | None = None
    place_id: str | None = None
    place: str | None = None
    complete: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return "|".join(sorted(p.entity_id for p in self.participants))

    def mention(self, article_id: str, text: str) -> EventMention:
        s = self.sentence
        return EventMention(
            article_id=article_id,
            sentence=" ".join(text[s.start : s.end].split()),
            start=s.start,
            end=s.end,
            trigger=self.trigger,
            participant_spans=tuple(self.participant_spans),
            rule=self.rule,
        )


# -- sentences -----------------------------------------------------------------------------

_CLOSERS = "\"')]\u201d\u2019"  # quotes and brackets that close a sentence
_OPENERS = "\"'([\u201c\u2018"
_END = re.compile(rf"[.!?]+[{re.escape(_CLOSERS)}]*(?=\s+[{re.escape(_OPENERS)}]?[A-Z0-9])|\n+")


def split_sentences(text: str, abbreviations: frozenset[str]) -> list[Sentence]:
    """Sentences with offsets; a line break always ends one (and a blank line a paragraph)."""
    sentences: list[Sentence] = []
    paragraph = 0
    start = 0
    for m in _END.finditer(text):
        if m.group(0)[0] != "\n":
            word_start = text.rfind(" ", 0, m.start()) + 1
            word = text[word_start : m.start()].lstrip("(\"'“").lower()
            # "Jend. Milley", "H. Agus", "No. 5": an abbreviation or an initial, not an end.
            if word in abbreviations or (len(word) == 1 and word.isalpha()):
                continue
            end = m.end()
        else:
            end = m.start()
        _push(sentences, text, start, end, paragraph)
        if m.group(0)[0] == "\n":
            paragraph += 1
        start = m.end()
    _push(sentences, text, start, len(text), paragraph)
    return sentences


def _push(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, paragraph))


# -- the extractor ---------------------------------------------------------------------------


def _phrase_pattern(words: frozenset[str] | Sequence[str]) -> re.Pattern[str]:
    forms = sorted(words, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in forms)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _last_words(text: str, count: int) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)[-count:]]


class EventExtractor:
    """Finds the event mentions of one article; built once, reused for every article."""

    def __init__(self, lexicon: Lexicon, triggers: TriggerLexicon) -> None:
        self.lexicon = lexicon
        self.t = triggers
        self.trigger_re = _phrase_pattern(list(triggers.triggers))
        self.anaphora_re = _phrase_pattern(triggers.words("pair_anaphora"))
        self.counterpart_re = _phrase_pattern(triggers.words("counterpart"))
        self.blockers = triggers.words("blockers")
        self.blockers_after = triggers.words("blockers_after")
        self.blockers_next = triggers.words("blockers_next")
        self.speech_after = triggers.words("speech_after")
        self.time_shift = triggers.words("time_shift")
        self.date_blockers = triggers.words("date_blockers")
        self.speech = triggers.words("speech")
        self.place_links = triggers.words("place_links")
        self.destination_links = triggers.words("destination_links")
        self.counterpart_links = triggers.words("counterpart_links")
        self.back_reference = triggers.words("back_reference")
        self.abbreviations = triggers.words("abbreviations")
        self.list_separators = triggers.words("list_separators")
        self.reference_blockers = triggers.words("reference_blockers")
        self.scope = triggers.words("scope")
        self.between = triggers.words("between")
        self.between_links = triggers.words("between_links")
        self.pair_anaphora_countries = triggers.words("pair_anaphora_countries")
        self.forum_triggers = triggers.words("forum_triggers")
        self.agent_links = triggers.words("agent_links")
        self.onlookers = triggers.words("onlookers")
        self.relative = triggers.words("relative")
        self.relative_breaks = triggers.words("relative_breaks")
        self.role_ids = sorted((r.id for r in lexicon.roles), key=len, reverse=True)
        self.countries = {e.id for e in lexicon.places if e.type == "country"}
        self._title_cache: dict[str, tuple[str, str | None] | None] = {}
        # The occasions whose (not generic) triggers each sentence of the current article holds.
        self._kinds_at: dict[int, set[str]] = {}

    # -- entity facts -----------------------------------------------------------------
    def entry(self, span_kind: str, entity_id: str) -> Entry | None:
        return self.lexicon.get(span_kind, entity_id)

    def title_parts(self, entity_id: str) -> tuple[str, str | None] | None:
        """("menteri-pertahanan", "RU") from "title:menteri-pertahanan-ru"."""
        if entity_id in self._title_cache:
            return self._title_cache[entity_id]
        found: tuple[str, str | None] | None = None
        if entity_id.startswith("title:"):
            rest = entity_id[6:]
            for role in self.role_ids:
                if rest == role:
                    found = (role, None)
                    break
                if rest.startswith(role + "-"):
                    of = rest[len(role) + 1 :]
                    found = (role, of.upper() if of in self.countries else of)
                    break
        self._title_cache[entity_id] = found
        return found

    def country_of(self, p: Participant) -> str | None:
        if p.kind == "place" and p.entity_id in self.countries:
            return p.entity_id.upper()
        parts = self.title_parts(p.entity_id)
        if parts is not None:
            of = parts[1]
            if of is None or (len(of) == 2 and of.isupper()):
                return of
            body = self.lexicon.get("institution", of)
            return body.country if body is not None else None
        entry = self.lexicon.get(p.kind, p.entity_id)
        return entry.country if entry is not None else None

    def tier(self, span: EntitySpan) -> int | None:
        if span.kind in ("official", "person"):
            return _TIER_PERSON
        if span.kind == "institution":
            entry = self.lexicon.get("institution", span.entity_id)
            return None if entry is not None and entry.type == "media" else _TIER_BODY
        if span.kind == "place" and span.entity_id in self.countries:
            return _TIER_COUNTRY
        return None

    # -- one article ------------------------------------------------------------------
    def extract(self, text: str, published: str | None, spans: Sequence[EntitySpan]) -> list[Found]:
        """The event mentions of an article, reconciled within it, in text order."""
        hits = [m for m in self.trigger_re.finditer(text)]
        if not hits:
            return []
        sentences = split_sentences(text, self.abbreviations)
        starts = [s.start for s in sentences]
        anchor = anchor_date(published, text)
        dates = find_dates(text, anchor)
        date_starts = [d.start for d in dates]
        span_starts = [s.start for s in spans]
        found: list[Found] = []
        seen: set[tuple[int, str]] = set()
        # "menghadiri pertemuan G20 ..., Blinken menolak untuk bertemu Lavrov": one negated
        # trigger says the people of its sentence did not meet, whatever else the sentence says.
        denied: set[tuple[int, str]] = set()
        self._kinds_at = {}
        for m in hits:
            index = bisect.bisect_right(starts, m.start()) - 1
            known = self.t.triggers[norm(m.group(0))]
            if index >= 0 and not known.generic:
                self._kinds_at.setdefault(index, set()).add(self.t.kinds[known.kind].occasion)
            if index >= 0 and (
                self._blocked(text, sentences[index], m) or self._forum(text, m, spans, span_starts)
            ):
                denied.add((index, self.t.triggers[norm(m.group(0))].kind))
        for m in hits:
            trigger = self.t.triggers[norm(m.group(0))]
            index = bisect.bisect_right(starts, m.start()) - 1
            if index < 0 or m.end() > sentences[index].end:
                continue
            if (index, trigger.kind) in seen or (index, trigger.kind) in denied:
                continue
            if trigger.reference and self._named_reference(text, m, anchor):
                continue
            if self._list_item(text, m):
                continue
            event = self._mention(
                text, sentences, index, m, trigger, spans, span_starts, dates, date_starts, anchor
            )
            if event is not None:
                seen.add((index, trigger.kind))
                found.append(event)
        return self._reconcile(found, spans, anchor)

    def _blocked(self, text: str, sentence: Sentence, m: re.Match[str]) -> bool:
        """Negated, refused or planned: a blocker in the clause before, or right after."""
        before = text[max(sentence.start, m.start() - 80) : m.start()]
        clause = re.split(r"[,;:(]", before)[-1]
        words = _last_words(clause, 8)
        pairs = {f"{a} {b}" for a, b in itertools.pairwise(words)}
        if any(w in self.blockers for w in words) or any(p in self.blockers for p in pairs):
            return True
        if self.t.triggers[norm(m.group(0))].reference and any(
            w in self.reference_blockers for w in words
        ):
            return True  # "merespons soal perjanjian ...": an agreement talked of, not made
        after = _WORD.findall(text[m.end() : min(sentence.end, m.end() + 60)].lower())[:5]
        if after and after[0] in self.blockers_next:
            return True  # "sepakat bahwa ...": of one mind, not an agreement made
        return any(w in self.blockers_after for w in after)

    def _between(self, text: str, m: re.Match[str], chosen: list[EntitySpan]) -> list[EntitySpan]:
        """The two sides of "<trigger> (up to three words) antara A dan B", if both are named."""
        after = re.match(r"(?:\s+[\w-]+){0,3}?\s+([\w-]+)\s+", text[m.end() : m.end() + 60])
        if after is None or after.group(1).lower() not in self.between:
            return []
        at = m.end() + after.end()
        first = next((s for s in chosen if s.start == at), None)
        if first is None:
            return []
        for s in chosen:
            if s.start > first.end:
                words = text[first.end : s.start].split()
                if len(words) == 1 and words[0].lower() in self.between_links:
                    return [first, s]
                break
        return []

    def _list_item(self, text: str, m: re.Match[str]) -> bool:
        """A word in a list ("investigasi, negosiasi, kontrateroris"): a skill, not an event."""
        if not text[: m.start()].rstrip(" ").endswith(","):
            return False
        after = re.match(r"\s*(,|[\w-]+)", text[m.end() : m.end() + 20])
        return after is not None and after.group(1).lower() in self.list_separators

    def _forum(
        self, text: str, m: re.Match[str], spans: Sequence[EntitySpan], span_starts: list[int]
    ) -> bool:
        """ "pertemuan Islamic Development Bank": a forum's meeting, whose attendees the
        sentence may name without their being its parties."""
        if norm(m.group(0)) not in self.forum_triggers:
            return False
        name = re.match(r" +([A-Z][\w-]*)", text[m.end() : m.end() + 60])
        if name is None:
            return False
        at = m.end() + name.start(1)
        i = bisect.bisect_left(span_starts, at)
        if i < len(spans) and spans[i].start == at:
            tier = self.tier(spans[i])
            return tier is None or tier == _TIER_BODY
        return True

    def _bystander(self, text: str, m: re.Match[str], s: EntitySpan) -> bool:
        """Named after "oleh" in a clause about something else ("rencana yang diajukan oleh
        Trump") or as an onlooker ("disaksikan oleh Menteri BUMN"): not a party."""
        if s.start < m.end():
            return False
        between = _WORD.findall(text[m.end() : s.start].lower())
        if not between or not any(w in self.agent_links for w in between[-3:]):
            return False
        if any(w in self.onlookers for w in between):
            return True
        relatives = [i for i, w in enumerate(between) if w in self.relative]
        if len(relatives) >= 2:
            return True
        return bool(relatives) and any(w in self.relative_breaks for w in between[: relatives[0]])

    def _parent_body(self, text: str, s: EntitySpan, inside: list[EntitySpan]) -> bool:
        """ "Komisi Disiplin (Komdis) PSSI": the body the one before it belongs to is scope,
        not a second party."""
        if self.tier(s) != _TIER_BODY:
            return False
        for q in inside:
            if q.end > s.start:
                break
            gap = text[q.end : s.start]
            if (
                self.tier(q) == _TIER_BODY
                and q.entity_id != s.entity_id
                and re.fullmatch(r"\s*(\([^()]{1,15}\))?\s*", gap)
            ):
                return True
        return False

    def _named_reference(self, text: str, m: re.Match[str], anchor: dt.date | None) -> bool:
        """A past agreement named by its year ("perjanjian Minsk 2014"): referred to, not made."""
        after = _WORD.findall(text[m.end() : m.end() + 40])[:3]
        for word in after:
            if _YEAR.fullmatch(word):
                return anchor is None or int(word) < anchor.year
        return False

    def _mention(
        self,
        text: str,
        sentences: list[Sentence],
        index: int,
        m: re.Match[str],
        trigger: Trigger,
        spans: Sequence[EntitySpan],
        span_starts: list[int],
        dates: list[DateMention],
        date_starts: list[int],
        anchor: dt.date | None,
    ) -> Found | None:
        sentence = sentences[index]
        info = self.t.kinds[trigger.kind]
        lo = bisect.bisect_left(span_starts, sentence.start)
        hi = bisect.bisect_left(span_starts, sentence.end)
        inside = [s for s in spans[lo:hi] if s.end <= sentence.end]
        rules: list[str] = ["trigger"]

        date = self._date(text, sentences, index, m, dates, date_starts, anchor)
        if date is not None and date.date is not None and anchor is not None:  # noqa: SIM102
            if date.date > anchor.isoformat()[: len(date.date)]:
                return None  # a coming event, announced: not one that happened
        when = date.date if date is not None else None

        destination: EntitySpan | None = None
        place: EntitySpan | None = None
        linked: set[int] = set()  # spans that say where ("di Jenewa"), not who
        earlier: EntitySpan | None = None  # "tiba di Indonesia ... untuk kunjungan"
        for s in inside:
            if s.kind != "place":
                continue
            word = self._link_before(text, sentence, s)
            if word is None:
                continue
            linked.add(s.start)
            if info.needs_destination and destination is None and word in self.destination_links:
                if s.start > m.start():
                    destination = s
                    continue
                earlier = s
            if (
                place is None
                and info.placed
                and word in self.place_links
                and not self._after_blocker(text, m, s.start)
            ):
                place = s
        if info.needs_destination and destination is None and earlier is not None:
            destination = earlier
            if place is earlier:
                place = None

        counterpart = self._counterpart(text, sentence, inside)
        chosen: list[tuple[str, EntitySpan, bool]] = []  # (party, span, spoken)
        used: set[str] = set()
        for s in inside:
            tier = self.tier(s)
            if tier is None or s.entity_id in used or (counterpart and s is counterpart[0]):
                continue
            if s is destination or s.start in linked:
                continue
            if s.entity_id.startswith("title:") and self._named_next(text, s, inside):
                continue  # "Presiden Brasil, Luiz Inacio Lula da Silva": the name says who
            if self._bystander(text, m, s):
                continue
            if s.start > m.end() and any(
                w in self.scope for w in _WORD.findall(text[m.end() : s.start].lower())[-2:]
            ):
                continue  # "perundingan mengenai Ukraina", "MoU yang mencakup Indonesia": topic
            if self._parent_body(text, s, inside):
                used.add(s.entity_id)  # its abbreviation after it ("(PSSI)") is scope too
                continue
            before = _last_words(text[max(sentence.start, s.start - 20) : s.start], 1)
            if s.kind == "institution" and before and before[0] in self.place_links:
                continue  # "di Balai Kota Jakarta": where, not who
            after = _WORD.findall(text[s.end : min(sentence.end, s.end + 30)].lower())[:2]
            says = s.end < m.start() and any(w in self.speech_after for w in after)
            if says and self._backref(text, m.end(), sentence.end):
                continue  # "X menyebutkan pertemuan itu ...": tells of an event reported before
            spoken = (bool(before) and before[0] in self.speech) or says
            chosen.append((_PARTY[tier], s, spoken))
            used.add(s.entity_id)

        participants: list[Participant] = []
        pspans: list[tuple[int, int]] = []

        def take(span: EntitySpan) -> None:
            participants.append(Participant(span.entity_id, span.name, span.kind))
            pspans.append((span.start, span.end))

        first = info.parties[0]
        lead = sorted(
            ((s, spoken) for party, s, spoken in chosen if party == first),
            key=lambda pair: pair[1],  # who said it, last
        )
        need = max(info.min_participants, 2 if not info.needs_destination else 1)
        pair = [] if info.needs_destination else self._between(text, m, [s for _, s, _ in chosen])
        if pair:
            # "negosiasi antara Indonesia dan Rusia": the sentence names the two sides itself
            lead = []
            for s in pair:
                take(s)
            rules.append("between")
        for s, spoken in lead:
            # who said it ("Prabowo menyatakan ... negosiasi antara Indonesia dan Rusia") is
            # a participant only when the others named are too few
            if not spoken or len(participants) < need:
                take(s)
        if counterpart is not None and not pair:
            resolved = self._resolve_counterpart(counterpart[1], participants, when)
            if resolved is not None:
                participants.append(resolved)
                pspans.append((counterpart[0].start, counterpart[0].end))
                rules.append("counterpart")
        pronoun = self.anaphora_re.search(text, sentence.start, sentence.end)
        if len(participants) < 2 and pronoun is not None:
            # "Keduanya" means two people (or bodies); only "kedua negara" may mean countries
            countries = norm(pronoun.group(0)) in self.pair_anaphora_countries
            pair = self._pair_before(sentence.start, spans, span_starts, countries)
            for span in pair:
                if span.entity_id not in {p.entity_id for p in participants}:
                    take(span)
            if pair:
                rules.append("pair-anaphora")
        for wanted in info.parties[1:]:
            if len(participants) >= need:
                break
            covered = {self.country_of(p) for p in participants} - {None}
            for party, s, _ in chosen:
                if party == wanted and len(participants) < need:
                    country = self.country_of(Participant(s.entity_id, s.name, s.kind))
                    if country is None or country not in covered:
                        take(s)
                        covered.add(country)
        if destination is not None:
            rules.append("destination")
            if destination.entity_id not in self.countries:
                place = place or destination
                entry = self.lexicon.get("place", destination.entity_id)
                country = str(entry.country).lower() if entry and entry.country else ""
                covered = {self.country_of(p) for p in participants}
                if country in self.countries and country.upper() not in covered:
                    participants.append(Participant(country, self._name("place", country), "place"))
                    pspans.append((destination.start, destination.end))
            elif destination.entity_id not in {p.entity_id for p in participants}:
                take(destination)
                place = place or destination
        complete = len(participants) >= info.min_participants and (
            not info.needs_destination
            or destination is not None
            or (trigger.hosted and len(participants) >= 2)
        )
        if not participants:
            return None
        if info.needs_actor and not trigger.hosted and all(p.kind == "place" for p in participants):
            return None  # "kunjungan ke pabrik di Vietnam": nobody named who went
        return Found(
            kind=trigger.kind,
            cameo=trigger.cameo,
            generic=trigger.generic,
            alone=trigger.alone,
            backref=self._backref(text, m.end(), sentence.end),
            participants=participants,
            participant_spans=pspans,
            sentence=sentence,
            trigger=(m.start(), m.end()),
            rule="+".join(rules),
            date=when if date is not None and date.date else _iso(anchor),
            precision=date.precision if date is not None and date.date else "unknown",
            date_text=date.text if date is not None else None,
            anchor=_iso(anchor),
            place_id=place.entity_id if place is not None else None,
            place=place.name if place is not None else None,
            complete=complete,
        )

    def _name(self, kind: str, entity_id: str) -> str:
        entry = self.lexicon.get(kind, entity_id)
        return entry.name if entry is not None else entity_id

    # -- dates ------------------------------------------------------------------------
    def _date(
        self,
        text: str,
        sentences: list[Sentence],
        index: int,
        m: re.Match[str],
        dates: list[DateMention],
        date_starts: list[int],
        anchor: dt.date | None,
    ) -> DateMention | None:
        sentence = sentences[index]
        own = [
            d
            for d in self._dates_in(sentence, dates, date_starts)
            if not self._date_blocked(text, sentence, m, d)
        ]
        if own:
            return min(own, key=lambda d: abs(d.start - m.start()))
        kind = self.t.kinds[self.t.triggers[norm(m.group(0))].kind].occasion
        words = {w.lower() for w in _WORD.findall(text[sentence.start : sentence.end])}
        if words & self.time_shift:
            return None  # "sembilan hari kemudian": a time of its own, not a neighbour's date
        if index + 1 < len(sentences) and self._kinds_at.get(index + 1, {kind}) <= {kind}:
            following = sentences[index + 1]
            opening = _last_words(text[following.start : following.start + 40], 99)[:4]
            if following.paragraph == sentence.paragraph and any(
                w in self.back_reference for w in opening
            ):
                later = [d for d in self._dates_in(following, dates, date_starts) if d.date]
                if later:
                    return later[0]
        for back in range(index - 1, -1, -1):
            earlier = sentences[back]
            if earlier.paragraph != sentence.paragraph:
                break
            if not self._kinds_at.get(back, {kind}) <= {kind}:
                break  # the date there is the date of another event
            usable = [
                d
                for d in self._dates_in(earlier, dates, date_starts)
                if d.date and not self._date_blocked(text, earlier, None, d)
            ]
            if usable:
                return usable[-1]
        unresolved = [d for d in self._dates_in(sentence, dates, date_starts) if d.date is None]
        return unresolved[0] if unresolved else None

    @staticmethod
    def _dates_in(
        sentence: Sentence, dates: list[DateMention], date_starts: list[int]
    ) -> list[DateMention]:
        lo = bisect.bisect_left(date_starts, sentence.start)
        hi = bisect.bisect_left(date_starts, sentence.end)
        return [d for d in dates[lo:hi] if d.end <= sentence.end]

    def _link_before(self, text: str, sentence: Sentence, span: EntitySpan) -> str | None:
        """The "di"/"ke" a place span follows, directly or after a capitalised name
        ("di Istana Merdeka, Jakarta")."""
        words = re.findall(r"[\w-]+|,", text[max(sentence.start, span.start - 50) : span.start])
        for back, word in enumerate(reversed(words)):
            low = word.lower()
            if low in self.place_links or low in self.destination_links:
                return str(low)
            if back >= 4 or not (word == "," or word[:1].isupper()):
                return None
        return None

    @staticmethod
    def _named_next(text: str, title: EntitySpan, inside: list[EntitySpan]) -> bool:
        for s in inside:
            if s.start >= title.end:
                gap = text[title.end : s.start]
                return (
                    s.kind in ("official", "person") and len(gap) <= 3 and gap.strip() in ("", ",")
                )
        return False

    def _backref(self, text: str, at: int, end: int) -> bool:
        following = _WORD.findall(text[at : min(end, at + 40)].lower())[:3]
        return any(w in self.back_reference for w in following)

    def _after_blocker(self, text: str, m: re.Match[str], at: int) -> bool:
        """Whether `at` lies in a "sejak ..." clause after the trigger."""
        if at < m.end():
            return False
        return any(w in self.date_blockers for w in _WORD.findall(text[m.end() : at].lower()))

    def _date_blocked(
        self, text: str, sentence: Sentence, m: re.Match[str] | None, d: DateMention
    ) -> bool:
        if m is not None and d.start >= m.end():
            between = _WORD.findall(text[m.end() : d.start].lower())
        else:
            between = _last_words(text[max(sentence.start, d.start - 30) : d.start], 2)
        return any(w in self.date_blockers for w in between)

    # -- participants from the context --------------------------------------------------
    def _counterpart(
        self, text: str, sentence: Sentence, inside: list[EntitySpan]
    ) -> tuple[EntitySpan, str] | None:
        """The country span of "mitranya dari AS", and its country code."""
        found = self.counterpart_re.search(text, sentence.start, sentence.end)
        if found is None:
            return None
        for s in inside:
            if s.start < found.end() or s.kind != "place" or s.entity_id not in self.countries:
                continue
            gap = _WORD.findall(text[found.end() : s.start].lower())
            if len(gap) <= 1 and all(w in self.counterpart_links for w in gap):
                return s, s.entity_id.upper()
            break
        return None

    def _roles_of(self, p: Participant, day: dt.date | None) -> list[str]:
        parts = self.title_parts(p.entity_id)
        if parts is not None:
            return [parts[0]]
        entry = self.lexicon.get(p.kind, p.entity_id)
        if entry is None:
            return []
        return [s.role for s in entry.roles if day is None or s.active_on(day)]

    def _resolve_counterpart(
        self, country: str, participants: list[Participant], when: str | None
    ) -> Participant | None:
        day = _day(when)
        for p in participants:
            for role in self._roles_of(p, day):
                if day is not None:
                    holders = self.lexicon.holders(role, country, day)
                    if holders:
                        h = holders[0]
                        return Participant(h.id, h.name, "official")
                entry = self.lexicon.get("role", role)
                title = entry.name if entry is not None else role
                where = self._name("place", country.lower())
                return Participant(
                    f"title:{role}-{country.lower()}", f"{title} {where}", "official"
                )
        return None

    def _pair_before(
        self, at: int, spans: Sequence[EntitySpan], span_starts: list[int], countries: bool
    ) -> list[EntitySpan]:
        """The last two different people named before `at` (or bodies, else countries)."""
        hi = bisect.bisect_left(span_starts, at)
        tiers = (
            (_TIER_PERSON, _TIER_BODY, _TIER_COUNTRY) if countries else (_TIER_PERSON, _TIER_BODY)
        )
        for wanted in tiers:
            pair: list[EntitySpan] = []
            for s in reversed(spans[:hi]):
                if s.start < at - _ANAPHORA_CHARS:
                    break
                if self.tier(s) == wanted and all(s.entity_id != p.entity_id for p in pair):
                    pair.append(s)
                    if len(pair) == 2:
                        return pair[::-1]
        return []

    # -- within the article -------------------------------------------------------------
    def _reconcile(
        self, found: list[Found], spans: Sequence[EntitySpan], anchor: dt.date | None
    ) -> list[Found]:
        named = self._named_officials(spans)
        for f in found:
            self._resolve_titles(f, named)
        for f in found:
            if f.complete and not self._coarse(f):
                continue
            if f.generic and not (f.backref or self._has_person(f)):
                continue  # "pembicaraan ... pihak Amerika": too vague to stand for anything
            target = self._finer(f, found)
            if target is not None:
                f.participants = list(target.participants)
                if f.generic:
                    f.kind, f.cameo, f.generic = target.kind, target.cameo, False
                f.complete = True
                f.rule += "+same-event-in-article"
        for f in found:
            if not f.generic:
                continue
            ids = {p.entity_id for p in f.participants}
            for g in found:
                if g.generic or not g.complete or len(g.participants) < 2:
                    continue
                if {p.entity_id for p in g.participants} <= ids:
                    f.kind, f.cameo, f.generic = g.kind, g.cameo, False
                    f.participants = list(g.participants)
                    f.rule += "+same-event-in-article"
                    break
            if f.generic and (not f.alone or not self._people_enough(f)):
                f.complete = False
        kept = [f for f in found if f.complete]
        for f in kept:
            if f.precision != "unknown":
                continue
            dated = [
                g for g in kept if g.kind == f.kind and g.key == f.key and g.precision != "unknown"
            ]
            if dated:
                best = min(
                    dated,
                    key=lambda g: (_PRECISION_RANK[g.precision], abs(g.trigger[0] - f.trigger[0])),
                )
                f.date, f.precision, f.date_text = best.date, best.precision, best.date_text
                f.rule += "+date-in-article"
            if f.place is None:
                placed = [g for g in kept if g.kind == f.kind and g.key == f.key and g.place]
                if placed:
                    f.place_id, f.place = placed[0].place_id, placed[0].place
        unique: dict[tuple[int, str, str], Found] = {}
        for f in kept:
            if not self.t.kinds[f.kind].placed:
                f.place_id = f.place = None
            unique.setdefault((f.sentence.start, f.kind, f.key), f)
        return list(unique.values())

    def _named_officials(self, spans: Sequence[EntitySpan]) -> dict[str, Participant]:
        return {
            s.entity_id: Participant(s.entity_id, s.name, s.kind)
            for s in spans
            if s.kind == "official" and s.listed
        }

    def _resolve_titles(self, f: Found, named: dict[str, Participant]) -> None:
        """A bare title ("Menteri Pertahanan Rusia") is the official the article names."""
        day = _day(f.date) if f.precision == "day" else None
        ids = {p.entity_id for p in f.participants}
        for i, p in enumerate(f.participants):
            parts = self.title_parts(p.entity_id)
            if parts is None:
                continue
            role, of = parts
            matches = [
                q for q in named.values() if q.entity_id not in ids and self._held(q, role, of, day)
            ]
            if len(matches) == 1:
                f.participants[i] = matches[0]
                ids.add(matches[0].entity_id)
                f.rule += "+title-in-article"
            elif not matches and any(
                q.entity_id in ids and self._held(q, role, of, day) for q in named.values()
            ):
                # "Menteri Pertahanan AS, Lloyd Austin": the title and the name of one person.
                f.participants[i] = Participant("", "", "")
                f.rule += "+title-in-article"
        kept = [
            (p, s) for p, s in zip(f.participants, f.participant_spans, strict=True) if p.entity_id
        ]
        f.participants = [p for p, _ in kept]
        f.participant_spans = [s for _, s in kept]

    def _held(self, q: Participant, role: str, of: str | None, day: dt.date | None) -> bool:
        entry = self.lexicon.get("official", q.entity_id)
        if entry is None:
            return False
        return any(
            s.role == role and (of is None or s.of == of) and (day is None or s.active_on(day))
            for s in entry.roles
        )

    def _people_enough(self, f: Found) -> bool:
        people = [p for p in f.participants if p.kind in ("official", "person")]
        return len(people) >= self.t.kinds[f.kind].min_participants

    @staticmethod
    def _has_person(f: Found) -> bool:
        return any(
            p.kind in ("official", "person") and not p.entity_id.startswith("title:")
            for p in f.participants
        )

    def _coarse(self, f: Found) -> bool:
        return any(
            p.kind != "person" and (p.kind != "official" or p.entity_id.startswith("title:"))
            for p in f.participants
        )

    def _finer(self, f: Found, found: list[Found]) -> Found | None:
        """A complete mention of the same event naming people where `f` names countries."""
        best: Found | None = None
        for g in found:
            if g is f or g.generic or not g.complete or self._coarse(g):
                continue
            if g.kind != f.kind and not f.generic:
                continue
            if len(g.participants) < len(f.participants):
                continue
            if not self._covers(g.participants, f.participants):
                continue
            if best is None or abs(g.trigger[0] - f.trigger[0]) < abs(
                best.trigger[0] - f.trigger[0]
            ):
                best = g
        return best

    def _covers(self, people: list[Participant], vague: list[Participant]) -> bool:
        free = list(people)
        for v in vague:
            country = self.country_of(v)
            match = next(
                (
                    q
                    for q in free
                    if q.entity_id == v.entity_id
                    or (
                        v.entity_id != q.entity_id
                        and (v.kind != "official" or v.entity_id.startswith("title:"))
                        and country is not None
                        and self.country_of(q) == country
                    )
                ),
                None,
            )
            if match is None:
                return False
            free.remove(match)
        return True


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _day(value: str | None) -> dt.date | None:
    if value is None or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
