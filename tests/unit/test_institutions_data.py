"""Tests the bundled institution lexicons: required ids, structure, and aliases that are words."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from warta.lexicons import Lexicon, load_lexicon
from warta.lexicons.loader import INSTITUTION_TYPES

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus" / "news.jsonl"
# Ids other lexicons and the matcher refer to by name.
REQUIRED = [
    "nato",
    "pbb",
    "dewan-keamanan-pbb",
    "uni-eropa",
    "asean",
    "g20",
    "who",
    "imf",
    "bank-dunia",
    "tni",
    "polri",
    "dpr-ri",
    "mpr-ri",
    "kpk",
    "bi",
    "mk",
    "kemenhan-ri",
    "kemenlu-ri",
    "kemendagri",
    "kemenkeu",
    "kemenhan-ru",
    "kemenlu-ru",
    "pentagon",
    "deplu-as",
    "gedung-putih",
    "kremlin",
    "tass",
    "reuters",
    "afp",
    "ap",
    "antara",
]
TYPES = set(INSTITUTION_TYPES)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(user_dir=False)


def test_required_institutions_exist(lexicon: Lexicon) -> None:
    missing = [i for i in REQUIRED if lexicon.get("institution", i) is None]
    assert missing == []
    assert len(lexicon.institutions) >= 400


def test_every_institution_file_loads_without_issues(lexicon: Lexicon) -> None:
    assert [str(i) for i in lexicon.issues if "/institutions/" in i.path] == []
    files = {e.origin.rsplit(":", 1)[0].rsplit("/", 1)[-1] for e in lexicon.institutions}
    assert {
        "indonesia-government.yaml",
        "indonesia-security.yaml",
        "indonesia-state.yaml",
        "indonesia-regional.yaml",
        "foreign.yaml",
        "international.yaml",
        "media.yaml",
        "parties.yaml",
    } <= files


def test_parents_and_types_are_valid(lexicon: Lexicon) -> None:
    for entry in lexicon.institutions:
        assert entry.type is None or entry.type in TYPES, entry.id
        if entry.parent is not None:
            assert lexicon.get("institution", entry.parent) is not None, entry.id


def test_ambiguous_acronyms_stay_with_their_frequent_sense(lexicon: Lexicon) -> None:
    def owner(alias: str) -> str | None:
        for entry in lexicon.institutions:
            if alias in entry.all_names:
                return entry.id
        return None

    assert owner("MK") == "mk"
    assert owner("BI") == "bi"
    assert owner("PBB") == "pbb"
    assert owner("DPR") == "dpr-ri"
    assert owner("DPR AS") == "dpr-as"
    # Left out on purpose: initials, Madrasah Aliyah, Rukun Tetangga, the word "between".
    for alias in ("MA", "AP", "RT", "Antara", "DPD", "OKI"):
        assert owner(alias) is None, alias


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
def test_one_word_aliases_are_not_mostly_ordinary_words(lexicon: Lexicon) -> None:
    # Mixed-case tokens match case-insensitively, so an alias the press mostly writes in lower
    # case ("bernama" = named, "antara" = between) would light up ordinary prose.
    words: Counter[str] = Counter()
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            # Domains and handles ("tribunnews.com", "@kompascom") are brands, not words.
            text = re.sub(r"\S*(?:\.(?:com|id|co|net|org)\b|@)\S*", " ", json.loads(line)["text"])
            words.update(re.findall(r"\w+", text))
    offenders = []
    for entry in lexicon.institutions:
        for alias in entry.all_names:
            if " " in alias or not re.fullmatch(r"\w+", alias) or alias.isupper():
                continue
            lower = words[alias.lower()]
            if lower > 20 and lower > words[alias]:
                offenders.append(f"{entry.id}: {alias} ({lower} lower-case)")
    assert offenders == []
