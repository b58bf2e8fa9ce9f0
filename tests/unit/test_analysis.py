"""Tests of the Indonesian analyzer: stems, stopwords, proper nouns, hyphens."""

from __future__ import annotations

import pytest
from warta.index.analysis import index_form, indonesian_analyzer, stem


def terms(text: str) -> list[str]:
    return [t.text for t in indonesian_analyzer()(text)]


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("pertemuan", "temu"),
        ("bertemu", "temu"),
        ("menemui", "temu"),
        ("teleponan", "telepon"),
        ("menelepon", "telepon"),
        ("pembicaraan", "bicara"),
        ("kesepakatan", "sepakat"),
    ],
)
def test_inflected_forms_share_a_stem(word: str, root: str) -> None:
    assert terms(word) == [root]


@pytest.mark.parametrize("name", ["Bali", "Bekasi", "Maluku", "Jakarta", "Shoigu", "Gerasimov"])
def test_proper_nouns_are_not_mangled(name: str) -> None:
    assert terms(name) == [name.lower()]


def test_hyphenated_forms_split_into_both_halves() -> None:
    assert terms("AS-Rusia") == ["as", "rusia"]
    assert terms("daerah-daerah") == ["daerah", "daerah"]


def test_function_words_are_dropped_but_content_words_kept() -> None:
    assert terms("yang dan di pada untuk") == []
    assert terms("tidak perang baru") == ["tidak", "perang", "baru"]


def test_names_with_apostrophes_and_numbers_stay_whole() -> None:
    assert terms("Ma'ruf Amin 3.5 persen") == ["ma'ruf", "amin", "3.5", "persen"]


def test_index_form_matches_the_analyzer() -> None:
    for word in ["pertemuan", "bekasi", "yang", "rusia"]:
        assert index_form(word) == "".join(terms(word))


def test_stem_skips_words_that_cannot_carry_an_affix() -> None:
    assert stem("rusia") == "rusia"
    assert stem("2022") == "2022"
