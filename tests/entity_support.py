"""Provides the checks every entity test makes of the spans the extractor returns."""

from __future__ import annotations

import itertools

from warta.index.models import EntitySpan
from warta.index.nlp import EntityExtractor


def checked_spans(x: EntityExtractor, text: str, published: str | None) -> list[EntitySpan]:
    """The spans found in `text`, after checking that each one's offsets give its text and that
    no two overlap."""
    found = x.extract(text, published)
    for s in found:
        assert text[s.start : s.end] == s.text
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start, "spans overlap"
    return found
