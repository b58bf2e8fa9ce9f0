"""Provides the Indonesian text analyzer of the full-text index: tokens, stopwords, stems."""

from __future__ import annotations

import itertools
import marshal
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from whoosh.analysis import Analyzer, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

# Letters and digits, with inner dots and apostrophes kept ("3.5", "Ma'ruf"); a hyphen splits,
# so "AS-Rusia" is found by "AS" and by "Rusia".
TOKEN_PATTERN = r"\w+(?:[.'\u2019]\w+)*"

# Sastrawi only strips these affixes; a word with none of them is its own stem, and skipping
# the stemmer for it saves most of the cost on names and numbers.
_PREFIXES = ("me", "be", "di", "ke", "pe", "se", "te")
_SUFFIXES = ("kah", "lah", "pun", "ku", "mu", "nya", "i", "kan", "an")


def _word_list(name: str) -> frozenset[str]:
    text = resources.files("warta.index.data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return _word_list("stopwords-id.txt")


@lru_cache(maxsize=1)
def protected_words() -> frozenset[str]:
    return _word_list("no-stem.txt")


@lru_cache(maxsize=1)
def _stemmer() -> object:
    return StemmerFactory().create_stemmer()


_STEMS: dict[str, str] = {}
"""Stems computed in this process, oldest first; Sastrawi costs ~0.1 ms a word, a hit ~50 ns."""

# ~200 bytes an entry: the cap keeps the cache (and its file) near 40 MB on any corpus. A 23k
# article import meets ~100k distinct words; the words dropped first are the oldest, mostly
# names and typos seen once.
_STEM_CACHE_LIMIT = 200_000
_STEM_CACHE_KEEP = 150_000


def _trim_stems() -> None:
    """Forget the oldest stems once the cache passes its cap (dicts keep insertion order)."""
    excess = len(_STEMS) - _STEM_CACHE_KEEP
    if excess <= 0:
        return
    for word in list(itertools.islice(_STEMS, excess)):
        del _STEMS[word]


def stem(word: str) -> str:
    """The Sastrawi stem of a lower-case word, skipping words that cannot have an affix."""
    cached = _STEMS.get(word)
    if cached is not None:
        return cached
    result = word
    if (
        len(word) >= 4
        and word.isalpha()
        and (word.startswith(_PREFIXES) or word.endswith(_SUFFIXES))
    ):
        result = _stemmer().stem(word) or word  # type: ignore[attr-defined]
    if len(_STEMS) >= _STEM_CACHE_LIMIT:
        _trim_stems()
    _STEMS[word] = result
    return result


def index_form(word: str) -> str:
    """The term the index holds for one lower-case token ('' for a stopword)."""
    if word in stopwords():
        return ""
    if word in protected_words():
        return word
    return stem(word)


def load_stem_cache(path: Path) -> None:
    """Warm the stem cache from a file written by `save_stem_cache` (ignored if unreadable)."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return
    if isinstance(data, dict):
        _STEMS.update(data)
        if len(_STEMS) > _STEM_CACHE_LIMIT:
            _trim_stems()


def save_stem_cache(path: Path) -> None:
    """Persist the stems computed so far, atomically, so the next import starts warm."""
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(marshal.dumps(_STEMS))
    os.replace(tmp, path)


def stem_cache_size() -> int:
    return len(_STEMS)


@lru_cache(maxsize=1)
def indonesian_analyzer() -> Analyzer:
    """Tokenize, lowercase, drop function words, stem (cached) except protected proper nouns."""
    analyzer: Analyzer = (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=stopwords(), minsize=1)
        | StemFilter(stemfn=stem, ignore=protected_words(), cachesize=0)
    )
    return analyzer
