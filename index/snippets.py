"""Provides search snippets: the densest window of an article's text with the hits marked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .analysis import TOKEN_PATTERN

_TOKEN = re.compile(TOKEN_PATTERN)
_SPACE = re.compile(r"\s+")

MARK = "**"


def find_hits(
    text: str, terms: Iterable[str], normalise: Callable[[str], str]
) -> list[tuple[int, int]]:
    """Character spans of the tokens of `text` whose index form is one of `terms`."""
    wanted = frozenset(terms)
    if not wanted:
        return []
    spans = []
    for match in _TOKEN.finditer(text):
        if normalise(match.group().lower()) in wanted:
            spans.append(match.span())
    return spans


def best_window(text: str, hits: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The window of about `width` characters that holds the most hits (distinct words first)."""
    if not hits:
        return 0, min(len(text), width)
    best_start, best_score = hits[0][0], (-1, -1)
    right = 0
    for left, (start, _end) in enumerate(hits):
        right = max(right, left)
        while right + 1 < len(hits) and hits[right + 1][1] - start <= width:
            right += 1
        words = {text[s:e].lower() for s, e in hits[left : right + 1]}
        score = (len(words), right - left + 1)
        if score > best_score:
            best_start, best_score = start, score
    # Centre the hits in the window, then snap both ends to word boundaries.
    first_end = hits[0][1]
    span_len = max(first_end - best_start, 0)
    start = max(0, best_start - max((width - span_len) // 3, 0))
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best_start else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def make_snippet(
    text: str, terms: Iterable[str], normalise: Callable[[str], str], width: int = 220
) -> str:
    """One line: the best window of `text`, each hit as **hit**, ellipses where text is cut."""
    hits = find_hits(text, terms, normalise)
    start, end = best_window(text, hits, width)
    pieces = ["… " if start > 0 else ""]
    cursor = start
    for s, e in hits:
        if s < start or e > end:
            continue
        pieces.append(text[cursor:s])
        pieces.append(f"{MARK}{text[s:e]}{MARK}")
        cursor = e
    pieces.append(text[cursor:end])
    if end < len(text):
        pieces.append(" …")
    return _SPACE.sub(" ", "".join(pieces)).strip()
