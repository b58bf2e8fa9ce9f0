"""Provides the NER-set part of `make eval`: highlighting precision against IndoNLU NER gold spans.

The detik annotations list an article's stakeholders, not every official or institution it
names, so a right highlight often counts as wrong there. The IndoNLU NER sets (NERGrit: PERSON,
ORGANISATION, PLACE; NERP: PPL, IND, PLC, EVT, FNB) tag every person, organisation and place
token. Each sentence's text is rebuilt from its tokens (joined by single spaces, or with
punctuation attached: `--ner-join natural`), the extractor is run on it (undated, no outlet),
and each highlighted span is checked against the gold spans:

  strict      an official/institution span overlaps a gold person or organisation span; a place
              span overlaps a gold place span
  tolerant    an official/institution span also counts when every one of its tokens outside the
              gold spans is a government word: for officials a role title, title word or rank
              (the NER sets leave titles O, so "Menteri Pertahanan [Rusia]/PLACE" overlaps no
              person), for institutions an institution head word ("Pemkot [Bandung]/PLACE",
              bare "Pemerintah")

  recall      of the gold spans that name the government: organisation spans containing an
              institution head word ("Kementerian Keuangan", "Polres Bogor") and person spans
              right after a role title ("Presiden [Joko Widodo]"), the share overlapped by an
              official/institution span. Recall of all persons and organisations is not
              measured: the lexicons cover officials and institutions, not every person or club.

The government words come from the project's own data: role names and aliases of the roles
lexicon, and the titles, ranks, region titles and institution head words of
index/data/entity_rules.yaml.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import EntitySpan
from .nlp import EntityExtractor

HIGHLIGHT_KINDS = ("official", "institution")
SPLITS = ("train", "valid", "test")
# Gold classes a span of each kind may overlap to count (strict).
ACCEPTED = {
    "official": frozenset({"person", "organisation"}),
    "institution": frozenset({"person", "organisation"}),
    "person": frozenset({"person"}),
    "place": frozenset({"place"}),
}
JOINS = ("spaces", "natural")
# Natural join: no space before closing punctuation, none after opening brackets.
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%")
_NO_SPACE_AFTER = frozenset("([{")
_WORD = re.compile(r"\w+|[^\w\s]")
_MAX_TITLE_GAP = 6


@dataclass(frozen=True)
class NerSet:
    """One IndoNLU NER set: its directory under shared/ner and its labels' classes."""

    name: str
    directory: str
    classes: dict[str, str]

    def path(self, shared: Path, split: str) -> Path:
        return shared / "ner" / self.directory / f"{split}_preprocess.txt"


NER_SETS = (
    NerSet(
        "nergrit",
        "nergrit_ner-grit",
        {"PERSON": "person", "ORGANISATION": "organisation", "PLACE": "place"},
    ),
    NerSet(
        "nerp",
        "nerp_ner-prosa",
        {"PPL": "person", "IND": "organisation", "PLC": "place", "EVT": "event", "FNB": "food"},
    ),
)


@dataclass(frozen=True)
class GoldSpan:
    start: int  # character offsets into Sentence.text
    end: int
    label: str  # as in the file: PERSON, PPL, ...
    cls: str  # person | organisation | place | event | food | other
    first: int  # token indexes, end exclusive
    last: int


@dataclass(frozen=True)
class Sentence:
    """One sentence of a BIO file, its rebuilt text and the character offsets of its tokens."""

    ident: str  # "set/split:n", n counted from 1
    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    text: str
    offsets: tuple[tuple[int, int], ...]
    gold: tuple[GoldSpan, ...]


def join_tokens(tokens: Sequence[str], join: str = "spaces") -> tuple[str, list[tuple[int, int]]]:
    """The text of tokens and each token's (start, end) in it.

    "spaces" puts one space between every two tokens ("Joko Widodo ,"); "natural" attaches
    closing punctuation to the word before and opening brackets to the word after."""
    if join not in JOINS:
        raise ValueError(f"unknown join {join!r}")
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for i, token in enumerate(tokens):
        if i:
            attached = join == "natural" and (
                token in _NO_SPACE_BEFORE or tokens[i - 1] in _NO_SPACE_AFTER
            )
            if not attached:
                parts.append(" ")
                pos += 1
        offsets.append((pos, pos + len(token)))
        parts.append(token)
        pos += len(token)
    return "".join(parts), offsets


def gold_spans(
    tags: Sequence[str], offsets: Sequence[tuple[int, int]], classes: dict[str, str]
) -> list[GoldSpan]:
    """BIO tags to spans; an I- tag not continuing a span of its label starts one (conlleval)."""
    spans: list[GoldSpan] = []
    label: str | None = None
    first = 0

    def close(last: int) -> None:
        if label is not None:
            spans.append(
                GoldSpan(
                    offsets[first][0],
                    offsets[last - 1][1],
                    label,
                    classes.get(label, "other"),
                    first,
                    last,
                )
            )

    for i, tag in enumerate(tags):
        prefix, _, name = tag.partition("-")
        if prefix == "I" and name == label:
            continue
        close(i)
        label, first = (name, i) if prefix in ("B", "I") and name else (None, i)
    close(len(tags))
    return spans


def read_bio(
    path: Path, classes: dict[str, str], join: str = "spaces", name: str | None = None
) -> Iterator[Sentence]:
    """Sentences of a token TAB tag file; blank lines separate sentences."""
    prefix = name or path.stem
    n = 0
    tokens: list[str] = []
    tags: list[str] = []

    def sentence() -> Sentence:
        text, offsets = join_tokens(tokens, join)
        return Sentence(
            f"{prefix}:{n}",
            tuple(tokens),
            tuple(tags),
            text,
            tuple(offsets),
            tuple(gold_spans(tags, offsets, classes)),
        )

    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if tokens:
                    n += 1
                    yield sentence()
                    tokens, tags = [], []
                continue
            token, sep, tag = line.rpartition("\t")
            if not sep or not token.strip():
                raise ValueError(f"{path}:{lineno}: expected token TAB tag")
            tokens.append(token.strip())
            tags.append(tag.strip())
    if tokens:
        n += 1
        yield sentence()


def _key(word: str) -> str:
    # The matcher's case rule: a word in capitals (AS, PM) is exact, any other word any case.
    return word if len(word) > 1 and word.isupper() else word.lower()


class PhraseSet:
    """Word sequences looked up token by token, with the matcher's case rule."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases: set[tuple[str, ...]] = set()
        self.longest = 0
        for phrase in phrases:
            words = tuple(_key(w) for w in _WORD.findall(phrase))
            if words:
                self._phrases.add(words)
                self.longest = max(self.longest, len(words))

    def __len__(self) -> int:
        return len(self._phrases)

    def match_at(self, words: Sequence[str], pos: int, end: int | None = None) -> int:
        """The length of the longest phrase starting at `pos` and ending by `end`, else 0."""
        stop = len(words) if end is None else end
        for n in range(min(self.longest, stop - pos), 0, -1):
            if tuple(_key(w) for w in words[pos : pos + n]) in self._phrases:
                return n
        return 0

    def covers(self, words: Sequence[str], start: int, end: int) -> bool:
        """Whether words[start:end] is a sequence of phrases (longest first)."""
        pos = start
        while pos < end:
            n = self.match_at(words, pos, end)
            if not n:
                return False
            pos += n
        return True

    def contains(self, words: Sequence[str], start: int, end: int) -> bool:
        return any(self.match_at(words, pos, end) for pos in range(start, end))

    def ends_at(self, words: Sequence[str], end: int) -> bool:
        """Whether a phrase ends right before words[end]."""
        return any(
            self.match_at(words, start, end) == end - start
            for start in range(max(0, end - self.longest), end)
        )


@dataclass(frozen=True)
class GovernmentWords:
    """The words that mark the government, from the roles lexicon and the matcher's rules."""

    roles: PhraseSet  # role names and aliases: Presiden, Menteri Pertahanan, Menhan, Kapolri
    titles: PhraseSet  # roles plus generic titles, ranks and region titles: what a title span holds
    heads: PhraseSet  # institution head words: Kementerian, Pemkot, Polres, bare Pemerintah

    @classmethod
    def of(cls, extractor: EntityExtractor) -> GovernmentWords:
        rules = extractor.tables.rules
        roles = [name for entry in extractor.lexicon.roles for name in entry.all_names]
        titles = [*roles, *rules.titles, *rules.honorifics, *rules.region_titles]
        heads = [h for p in rules.institution_patterns for h in p.heads]
        return cls(
            PhraseSet(roles), PhraseSet(titles), PhraseSet([*heads, *rules.bare_institutions])
        )


@dataclass
class SpanResult:
    span: EntitySpan
    strict: bool
    tolerant: bool


def _tokens_of(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The token range [first, last) overlapping the characters [start, end)."""
    inside = [i for i, (s, e) in enumerate(sentence.offsets) if s < end and start < e]
    if not inside:
        return 0, 0
    return inside[0], inside[-1] + 1


def judge_span(span: EntitySpan, sentence: Sentence, words: GovernmentWords) -> SpanResult:
    """Whether a span counts strictly (overlaps an accepted gold class) and title-tolerantly."""
    accepted = ACCEPTED.get(span.kind, frozenset())
    overlapping = [g for g in sentence.gold if span.start < g.end and g.start < span.end]
    strict = any(g.cls in accepted for g in overlapping)
    tolerant = strict
    if not strict and span.kind in HIGHLIGHT_KINDS:
        phrases = words.titles if span.kind == "official" else words.heads
        first, last = _tokens_of(sentence, span.start, span.end)
        covered = {i for g in overlapping for i in range(g.first, g.last)}
        runs = list(_runs(first, last, covered))
        if span.kind == "official":
            # A title word must stand outside the gold spans: a span wholly inside a gold place
            # ("Austin" the city read as Lloyd Austin, "Raja Basa" the district) is wrong.
            titled = bool(runs)
        else:
            # NERGrit tags some offices as places, head word and all ("Kejaksaan Negeri
            # Amurang"): a head word inside a gold span counts.
            titled = phrases.contains(sentence.tokens, first, last)
        tolerant = titled and all(
            phrases.covers(sentence.tokens, run_start, run_end) for run_start, run_end in runs
        )
    return SpanResult(span, strict, tolerant)


def _runs(first: int, last: int, covered: set[int]) -> Iterator[tuple[int, int]]:
    """Maximal runs of token indexes in [first, last) outside `covered`."""
    start: int | None = None
    for i in range(first, last + 1):
        out = i < last and i not in covered
        if out and start is None:
            start = i
        elif not out and start is not None:
            yield start, i
            start = None


def government_gold(sentence: Sentence, words: GovernmentWords) -> list[GoldSpan]:
    """Gold spans naming the government: organisations containing an institution head word,
    persons after a role title (ranks and gold-tagged words such as the country may stand
    between: "Menteri Pertahanan [Rusia] Jenderal [Sergei Shoigu]")."""
    found: list[GoldSpan] = []
    tokens = sentence.tokens
    tagged = {i for g in sentence.gold for i in range(g.first, g.last)}
    for gold in sentence.gold:
        if gold.cls == "organisation" and words.heads.contains(tokens, gold.first, gold.last):
            found.append(gold)
        elif gold.cls == "person":
            end = gold.first
            for _ in range(_MAX_TITLE_GAP + 1):
                if words.roles.ends_at(tokens, end):
                    found.append(gold)
                    break
                if end == 0:
                    break
                if end - 1 in tagged:
                    end -= 1
                    continue
                # A rank ("Jenderal", "AKBP") between the title and the name.
                step = next(
                    (
                        n
                        for n in range(min(words.titles.longest, end), 0, -1)
                        if words.titles.match_at(tokens, end - n, end) == n
                    ),
                    0,
                )
                if not step:
                    break
                end -= step
    return found


def _overlaps(span: EntitySpan, gold: GoldSpan) -> bool:
    return span.start < gold.end and gold.start < span.end


@dataclass
class Wrong:
    """A highlighted span the NER measure counts as wrong, with its sentence for context."""

    sentence: Sentence
    span: EntitySpan
    strict: bool
    tolerant: bool

    @property
    def context(self) -> str:
        return mark(self.sentence, self.span)


def mark(sentence: Sentence, span: EntitySpan) -> str:
    """The sentence with the span in [[ ]] and gold spans as {text|LABEL}."""
    # (position, closing before opening, nesting order, text): of two marks at one position the
    # one opened later closes first and the longer one opens first; the span is outermost.
    edits: list[tuple[int, int, tuple[int, int], str]] = [
        (span.start, 1, (-span.end, 0), "[["),
        (span.end, 0, (-span.start, 1), "]]"),
    ]
    for g in sentence.gold:
        edits.append((g.start, 1, (-g.end, 1), "{"))
        edits.append((g.end, 0, (-g.start, 0), f"|{g.label}}}"))
    text = sentence.text
    out: list[str] = []
    pos = 0
    for at, _, _, piece in sorted(edits):
        out.append(text[pos:at])
        out.append(piece)
        pos = at
    out.append(text[pos:])
    return "".join(out)


@dataclass
class NerScores:
    """Counts over one NER set (all the splits read)."""

    name: str
    splits: list[str] = field(default_factory=list)
    sentences: int = 0
    tokens: int = 0
    chars: int = 0
    seconds: float = 0.0
    capitalised_tokens: int = 0
    gold: Counter[str] = field(default_factory=Counter)  # by label
    spans: Counter[str] = field(default_factory=Counter)  # by kind
    strict: Counter[str] = field(default_factory=Counter)
    tolerant: Counter[str] = field(default_factory=Counter)
    by_listed: Counter[str] = field(default_factory=Counter)  # official/institution only
    by_listed_strict: Counter[str] = field(default_factory=Counter)
    by_listed_tolerant: Counter[str] = field(default_factory=Counter)
    by_split: Counter[str] = field(default_factory=Counter)  # official/institution spans
    by_split_tolerant: Counter[str] = field(default_factory=Counter)
    government: Counter[str] = field(default_factory=Counter)  # gold class -> spans
    government_found: Counter[str] = field(default_factory=Counter)
    wrong: Counter[str] = field(default_factory=Counter)  # tolerant-wrong highlight spans
    wrong_places: Counter[str] = field(default_factory=Counter)
    # Place spans outside gold places, by the gold class they overlap instead ("none").
    wrong_places_within: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)

    def _sum(self, counter: Counter[str]) -> int:
        return sum(counter[k] for k in HIGHLIGHT_KINDS)

    @property
    def highlighted(self) -> int:
        return self._sum(self.spans)

    @property
    def lower_cased(self) -> bool:
        """Fewer than 1% of the tokens begin with a capital (NERP is lower-cased throughout)."""
        return self.capitalised_tokens < 0.01 * self.tokens

    @property
    def precision_strict(self) -> float:
        return _ratio(self._sum(self.strict), self.highlighted)

    @property
    def precision_tolerant(self) -> float:
        return _ratio(self._sum(self.tolerant), self.highlighted)

    @property
    def recall(self) -> float:
        return _ratio(sum(self.government_found.values()), sum(self.government.values()))

    def to_json(self, top: int) -> dict[str, Any]:
        return {
            "splits": self.splits,
            "sentences": self.sentences,
            "tokens": self.tokens,
            "capitalised_tokens": self.capitalised_tokens,
            "lower_cased": self.lower_cased,
            "gold_spans": dict(self.gold),
            "spans": self.highlighted,
            "spans_by_kind": dict(self.spans),
            "precision_strict": round(self.precision_strict, 4),
            "precision_tolerant": round(self.precision_tolerant, 4),
            "spans_strict": self._sum(self.strict),
            "spans_tolerant": self._sum(self.tolerant),
            "precision_by_kind": {
                k: {
                    "strict": round(_ratio(self.strict[k], n), 4),
                    "tolerant": round(_ratio(self.tolerant[k], n), 4),
                    "spans": n,
                }
                for k, n in sorted(self.spans.items())
            },
            "precision_by_listed": {
                k: {
                    "strict": round(_ratio(self.by_listed_strict[k], n), 4),
                    "tolerant": round(_ratio(self.by_listed_tolerant[k], n), 4),
                    "spans": n,
                }
                for k, n in sorted(self.by_listed.items())
            },
            "precision_tolerant_by_split": {
                k: {"tolerant": round(_ratio(self.by_split_tolerant[k], n), 4), "spans": n}
                for k, n in self.by_split.items()
            },
            "government_recall": round(self.recall, 4),
            "government_gold": dict(self.government),
            "government_found": dict(self.government_found),
            "top_wrong": self.wrong.most_common(top),
            "wrong_places_within": dict(self.wrong_places_within),
            "top_wrong_places": self.wrong_places.most_common(top),
            "top_missed": self.missed.most_common(top),
            "mb_per_second": round(self.chars / 1e6 / self.seconds, 3) if self.seconds else None,
        }


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def score_sentence(
    sentence: Sentence,
    spans: Sequence[EntitySpan],
    words: GovernmentWords,
    scores: NerScores,
    split: str,
    wrong: list[Wrong] | None = None,
) -> None:
    """Add one sentence's spans and government gold spans to `scores`."""
    scores.sentences += 1
    scores.tokens += len(sentence.tokens)
    scores.capitalised_tokens += sum(t[:1].isupper() for t in sentence.tokens)
    scores.gold.update(g.label for g in sentence.gold)
    for span in spans:
        result = judge_span(span, sentence, words)
        kind = span.kind
        scores.spans[kind] += 1
        scores.strict[kind] += result.strict
        scores.tolerant[kind] += result.tolerant
        if kind == "place" and not result.strict:
            scores.wrong_places[span.text] += 1
            within = {g.cls for g in sentence.gold if _overlaps(span, g)}
            scores.wrong_places_within["+".join(sorted(within)) or "none"] += 1
        if kind not in HIGHLIGHT_KINDS:
            continue
        listed = "listed" if span.listed else "unlisted"
        scores.by_listed[listed] += 1
        scores.by_listed_strict[listed] += result.strict
        scores.by_listed_tolerant[listed] += result.tolerant
        scores.by_split[split] += 1
        scores.by_split_tolerant[split] += result.tolerant
        if not result.tolerant:
            scores.wrong[f"{span.text} [{span.kind}]"] += 1
        if wrong is not None and not (result.strict and result.tolerant):
            wrong.append(Wrong(sentence, span, result.strict, result.tolerant))
    highlighted = [s for s in spans if s.kind in HIGHLIGHT_KINDS]
    for gold in government_gold(sentence, words):
        scores.government[gold.cls] += 1
        if any(_overlaps(s, gold) for s in highlighted):
            scores.government_found[gold.cls] += 1
        else:
            scores.missed[f"{sentence.text[gold.start : gold.end]} [{gold.label}]"] += 1


def evaluate_set(
    shared: Path,
    ner_set: NerSet,
    extractor: EntityExtractor,
    *,
    splits: Sequence[str] = SPLITS,
    join: str = "spaces",
    words: GovernmentWords | None = None,
    wrong: list[Wrong] | None = None,
) -> NerScores:
    """Scores of one NER set over the given splits; every span not counted strictly and
    tolerantly is appended to `wrong`."""
    words = words or GovernmentWords.of(extractor)
    scores = NerScores(ner_set.name)
    for split in splits:
        path = ner_set.path(shared, split)
        if not path.exists():
            continue
        scores.splits.append(split)
        sentences = list(read_bio(path, ner_set.classes, join, f"{ner_set.name}/{split}"))
        started = time.process_time()
        found = list(extractor.extract_many((s.text, None) for s in sentences))
        scores.seconds += time.process_time() - started
        for sentence, spans in zip(sentences, found, strict=True):
            scores.chars += len(sentence.text.encode("utf-8"))
            score_sentence(sentence, spans, words, scores, split, wrong)
    return scores


def evaluate_ner(
    shared: Path,
    extractor: EntityExtractor,
    *,
    splits: Sequence[str] = SPLITS,
    join: str = "spaces",
    wrong: list[Wrong] | None = None,
) -> dict[str, NerScores]:
    """Scores of every NER set present under shared/ner, by set name."""
    words = GovernmentWords.of(extractor)
    return {
        s.name: evaluate_set(
            shared, s, extractor, splits=splits, join=join, words=words, wrong=wrong
        )
        for s in NER_SETS
        if (shared / "ner" / s.directory).is_dir()
    }


def print_ner(results: dict[str, NerScores], top: int, join: str) -> None:
    print(f"\nNER sets (IndoNLU; tokens joined: {join}; undated sentences)")
    for scores in results.values():
        highlighted = scores.highlighted
        print(
            f"\n{scores.name}: {scores.sentences} sentences ({'+'.join(scores.splits)}), "
            f"{scores.tokens} tokens, {scores.capitalised_tokens} capitalised; gold "
            + ", ".join(f"{k} {n}" for k, n in sorted(scores.gold.items()))
        )
        if scores.lower_cased:
            print(
                "  (lower-cased set: a lexicon form with a capital never matches all-lower-case"
                " text, docs/entities.md, Case rules; these figures do not describe news text)"
            )
        print(
            f"  precision strict    {scores.precision_strict:.3f}  "
            f"({scores._sum(scores.strict)}/{highlighted} official/institution spans "
            "overlapping a gold person/organisation)"
        )
        print(
            f"  precision tolerant  {scores.precision_tolerant:.3f}  "
            f"({scores._sum(scores.tolerant)}/{highlighted}; titles and head words outside "
            "gold spans allowed)"
        )
        for kind, n in sorted(scores.spans.items()):
            print(
                f"    {kind:<16} strict {_ratio(scores.strict[kind], n):.3f}  "
                f"tolerant {_ratio(scores.tolerant[kind], n):.3f}  ({n} spans)"
            )
        for listed, n in sorted(scores.by_listed.items()):
            print(
                f"    {listed:<16} strict {_ratio(scores.by_listed_strict[listed], n):.3f}  "
                f"tolerant {_ratio(scores.by_listed_tolerant[listed], n):.3f}  ({n} spans)"
            )
        for split, n in scores.by_split.items():
            print(
                f"    {split:<16} tolerant {_ratio(scores.by_split_tolerant[split], n):.3f}"
                f"  ({n} spans)"
            )
        government = sum(scores.government.values())
        print(
            f"  government recall   {scores.recall:.3f}  "
            f"({sum(scores.government_found.values())}/{government} gold spans: "
            + ", ".join(
                f"{cls} {scores.government_found[cls]}/{n}"
                for cls, n in sorted(scores.government.items())
            )
            + ")"
        )
        if scores.seconds:
            print(f"  extraction          {scores.chars / 1e6 / scores.seconds:.2f} MB/s CPU")
        print(f"  most frequent wrong spans (tolerant; of {sum(scores.wrong.values())}):")
        for text, n in scores.wrong.most_common(top):
            print(f"    {n:4}  {text}")
        within = ", ".join(f"{k} {n}" for k, n in sorted(scores.wrong_places_within.items()))
        print(
            f"  most frequent places outside gold places (of {sum(scores.wrong_places.values())};"
            f" overlapping gold {within or '-'}):"
        )
        for text, n in scores.wrong_places.most_common(top):
            print(f"    {n:4}  {text}")
        print(f"  most frequent missed government gold spans (of {sum(scores.missed.values())}):")
        for text, n in scores.missed.most_common(top):
            print(f"    {n:4}  {text}")


def print_sample(wrong: list[Wrong], n: int, seed: int, *, strict: bool = False) -> None:
    """N spans drawn at random among those counted wrong (tolerant measure unless `strict`)."""
    pool = [w for w in wrong if not (w.strict if strict else w.tolerant)]
    picked = random.Random(seed).sample(pool, min(n, len(pool)))
    for i, w in enumerate(picked, 1):
        span = w.span
        listed = "listed" if span.listed else "unlisted"
        print(f"{i:3} {w.sentence.ident} {span.kind:<11} {listed:<8} {span.entity_id}")
        print(f"    {w.context}")
