"""Provides the article as styled plain text: highlights placed by offsets, never by markup."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size
from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from warta.index.models import Article, EntitySpan

KINDS = ("official", "institution", "place", "person")
_MARKED = re.compile(r"\*\*(.+?)\*\*")
_WORD = re.compile(r"[\w*]+(?:[-'][\w*]+)*", re.UNICODE)
_OPERATORS = {"and", "or", "not", "andnot", "to"}


def _safe(text: str) -> str:
    # Imported here: the core package is loaded by the worker that opens the library, and
    # the reader must paint before that import has happened.
    from warta.index.textsafe import terminal_safe

    # A tab's width depends on its column, which a wrapped line does not know: spaces instead.
    return terminal_safe(text).replace("\t", "    ")


@dataclass(frozen=True)
class Stop:
    """A place `n`/`N` moves to: an entity mention or a search hit, in display offsets."""

    start: int
    end: int
    span: EntitySpan | None = None


@dataclass(frozen=True)
class Body:
    """The article text ready to show, with the stops in text order."""

    text: Text
    stops: tuple[Stop, ...]


@dataclass(frozen=True)
class BodyStyles:
    """Rich styles for each kind of highlight, resolved from the app's CSS and theme."""

    kinds: dict[str, Style]
    unlisted: Style
    hit: Style
    current: Style

    @classmethod
    def plain(cls) -> BodyStyles:
        """Distinct text styles without colour, for tests and monochrome terminals."""
        return cls(
            kinds={
                "official": Style(bold=True),
                "institution": Style(italic=True),
                "place": Style(underline=True),
                "person": Style(dim=True),
            },
            unlisted=Style(bold=True, italic=True),
            hit=Style(reverse=True),
            current=Style(reverse=True, bold=True),
        )

    def for_span(self, span: EntitySpan) -> Style:
        if span.kind == "official" and not span.listed:
            return self.unlisted
        return self.kinds.get(span.kind, self.kinds["person"])


def query_terms(query: str, snippet: str = "") -> list[str]:
    """The words to mark in an article found by `query`: the query's own words and the
    forms the index matched (the snippet's `**marked**` words), longest first."""
    terms: set[str] = set()
    for marked in _MARKED.findall(snippet):
        terms.add(marked.strip().lower())
    for word in _WORD.findall(query.replace(":", " ")):
        lowered = word.lower()
        if lowered in _OPERATORS or len(lowered.strip("*")) < 2:
            continue
        terms.add(lowered)
    return sorted((t for t in terms if t), key=lambda t: (-len(t), t))


def find_hits(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) offsets of whole-word occurrences of `terms` in `text`."""
    if not terms:
        return []
    alternatives = []
    for term in terms:
        pieces = [re.escape(p) for p in term.split("*")]
        alternatives.append(r"\w*".join(pieces))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]


def _clean_spans(spans: Iterable[EntitySpan], length: int) -> list[EntitySpan]:
    """Spans inside the text, in order, overlaps dropped (the core promises none; guard)."""
    kept: list[EntitySpan] = []
    last_end = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if 0 <= span.start < span.end <= length and span.start >= last_end:
            kept.append(span)
            last_end = span.end
    return kept


def article_body(
    article: Article,
    spans: Iterable[EntitySpan],
    styles: BodyStyles,
    hits: Sequence[tuple[int, int]] = (),
) -> Body:
    """The article text with control characters removed and highlights placed by offset.

    Span offsets index the original `article.text`; removing control characters shifts
    everything after them, so the text is cleaned piece by piece between span boundaries
    and each boundary is mapped to its place in the cleaned text.
    """
    source = article.text
    entity_spans = _clean_spans(spans, len(source))
    hit_spans = [(s, e) for s, e in hits if 0 <= s < e <= len(source)]
    cuts = {0, len(source)}
    for span in entity_spans:
        cuts.update((span.start, span.end))
    for start, end in hit_spans:
        cuts.update((start, end))
    ordered = sorted(cuts)
    where: dict[int, int] = {0: 0}
    pieces: list[str] = []
    position = 0
    for left, right in pairwise(ordered):
        piece = _safe(source[left:right])
        pieces.append(piece)
        position += len(piece)
        where[right] = position
    text = Text("".join(pieces), no_wrap=False)
    stops: list[Stop] = []
    for span in entity_spans:
        start, end = where[span.start], where[span.end]
        if end > start:
            text.stylize(styles.for_span(span), start, end)
            stops.append(Stop(start, end, span))
    for start, end in hit_spans:
        shown_start, shown_end = where[start], where[end]
        if shown_end > shown_start:
            text.stylize(styles.hit, shown_start, shown_end)
            if not any(s.start <= shown_start < s.end for s in stops):
                stops.append(Stop(shown_start, shown_end))
    stops.sort(key=lambda s: (s.start, s.end))
    return Body(text, tuple(stops))


_WORD_RUN = re.compile(r"\S+")


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """The (start, end) offsets of each line of `text` word-wrapped to `width` cells.

    Lines break at newlines and between words; the spaces at a break belong to no line, and a
    word wider than the line is cut. Offsets index `text` itself, so a highlight's line is
    found by bisecting the starts, and each line is sliced from the styled text only when it
    is drawn.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    paragraph = 0
    length = len(text)
    while paragraph <= length:
        stop = text.find("\n", paragraph)
        if stop < 0:
            stop = length
        start = end = paragraph
        used = 0
        for match in _WORD_RUN.finditer(text, paragraph, stop):
            word_start, word_end = match.span()
            word = _cells(text[word_start:word_end])
            gap = _cells(text[end:word_start]) if end > start or start == paragraph else 0
            if used + gap + word <= width:
                end, used = word_end, used + gap + word
                continue
            if end > start:
                lines.append((start, end))
            start = end = word_start
            used = 0
            if word <= width:
                end, used = word_end, word
                continue
            for offset in range(word_start, word_end):  # a word wider than the line
                size = get_character_cell_size(text[offset])
                if used + size > width and offset > start:
                    lines.append((start, offset))
                    start, used = offset, 0
                used += size
            end = word_end
        lines.append((start, end) if end > start else (paragraph, paragraph))
        paragraph = stop + 1
    return lines


def header(article: Article, styles: dict[str, Style]) -> Text:
    """Title, then outlet · date · author · dateline, all plain text."""
    text = Text()
    text.append(_safe(article.title), styles.get("title", Style(bold=True)))
    meta = [
        article.source,
        (article.published or "")[:10] or None,
        article.author,
        article.dateline,
    ]
    shown = " · ".join(_safe(m) for m in meta if m)
    if shown:
        text.append("\n")
        text.append(shown, styles.get("meta", Style(dim=True)))
    return text


def legend(
    styles: BodyStyles, kinds_present: Iterable[str], has_unlisted: bool, has_hits: bool
) -> Text:
    """One line naming the highlight styles that this article uses."""
    present = set(kinds_present)
    entries = [(kind, styles.kinds[kind]) for kind in KINDS if kind in present]
    if has_unlisted:
        entries.append(("official, unlisted", styles.unlisted))
    if has_hits:
        entries.append(("search hit", styles.hit))
    text = Text()
    for number, (label, style) in enumerate(entries):
        if number:
            text.append("  ")
        text.append(label, style)
    return text
