"""Tests of the precision rules of the entity pipeline, its token trie and the scoring."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from warta.index.evaluate import occurrences, score_article
from warta.index.models import EntitySpan
from warta.index.nlp import EntityExtractor, TokenTrie

DATA = Path(__file__).resolve().parents[1] / "data"
TEST_LEXICON = DATA / "lexicon"


@pytest.fixture(scope="module")
def nlp() -> EntityExtractor:
    return EntityExtractor([TEST_LEXICON], user_dir=False, use_cache=False)


def spans(
    x: EntityExtractor, text: str, published: str | None = None, **kw: str
) -> list[EntitySpan]:
    found = x.extract(text, published, **kw)
    for s in found:
        assert text[s.start : s.end] == s.text
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start, "spans overlap"
    return found


def officials(found: list[EntitySpan]) -> list[EntitySpan]:
    return [s for s in found if s.kind == "official"]


# -- the token trie ----------------------------------------------------------------------------
def test_trie_finds_every_occurrence_like_a_brute_force_scan() -> None:
    rng = random.Random(7)
    vocab = ["a", "b", "c", "d"]
    patterns = [tuple(rng.choice(vocab) for _ in range(rng.randint(1, 4))) for _ in range(30)]
    trie = TokenTrie()
    for i, words in enumerate(patterns):
        trie.add([w.upper() if i % 2 else w for w in words], i)  # compared in lower case
    tokens = [rng.choice(vocab) for _ in range(200)]
    expected = sorted(
        (s, s + len(p), i)
        for i, p in enumerate(patterns)
        for s in range(len(tokens) - len(p) + 1)
        if tuple(tokens[s : s + len(p)]) == p
    )
    assert sorted(trie.find(tokens)) == expected


# -- a comma between the office and the name ---------------------------------------------------
def test_title_comma_rank_and_listed_name_is_one_span(nlp: EntityExtractor) -> None:
    text = "Menteri Pertahanan Rusia, Jenderal Sergei Shoigu mengatakan"
    (span,) = officials(spans(nlp, text))
    assert span.text == "Menteri Pertahanan Rusia, Jenderal Sergei Shoigu"
    assert span.entity_id == "sergei-shoigu"


def test_title_comma_unlisted_name_is_one_span(nlp: EntityExtractor) -> None:
    text = "Diplomat Rusia, Konstantin Gavrilov mengatakan hal itu."
    (span,) = officials(spans(nlp, text))
    assert span.text == "Diplomat Rusia, Konstantin Gavrilov"
    assert (span.entity_id, span.listed) == ("unlisted:konstantin-gavrilov", False)


def test_a_bare_title_takes_an_unranked_name_after_a_comma_only_when_listed(
    nlp: EntityExtractor,
) -> None:
    assert not any("Budi" in s.text for s in spans(nlp, "kata Gubernur, Budi Santoso."))
    (span,) = officials(spans(nlp, "kata Kapolri, Listyo Sigit Prabowo."))
    assert span.entity_id == "listyo-sigit-prabowo"


def test_a_comma_list_of_offices_is_not_a_name(nlp: EntityExtractor) -> None:
    found = spans(nlp, "Hadir Diplomat Rusia, Menteri Pertahanan Rusia dan lainnya.", "2022-10-21")
    assert "Diplomat Rusia" in [s.text for s in found]
    assert all("," not in s.text for s in found)


# -- regions, organisations and names ----------------------------------------------------------
def test_one_unknown_word_after_a_regional_title_is_its_region(nlp: EntityExtractor) -> None:
    (span,) = officials(spans(nlp, "Gubernur Gresik menyampaikan apresiasi."))
    assert (span.text, span.entity_id, span.listed) == (
        "Gubernur Gresik",
        "title:gubernur-gresik",
        False,
    )
    (span,) = officials(spans(nlp, "Gubernur Gresik, Fandi Akhmad Yani menyampaikan"))
    assert span.text == "Gubernur Gresik, Fandi Akhmad Yani"
    assert span.entity_id == "unlisted:fandi-akhmad-yani"


def test_words_before_an_institution_belong_to_the_office(nlp: EntityExtractor) -> None:
    text = "Direktur Penyakit Tidak Menular KPK Siti Nadia Tarmizi mengatakan"
    (span,) = officials(spans(nlp, text))
    assert span.text == "Direktur Penyakit Tidak Menular KPK Siti Nadia Tarmizi"
    assert span.name == "Siti Nadia Tarmizi"


def test_words_before_a_rank_belong_to_the_office(nlp: EntityExtractor) -> None:
    (span,) = officials(spans(nlp, "Kasat Gakkum AKP Gede Sukadi mengatakan"))
    assert span.name == "Gede Sukadi"


def test_a_company_name_is_not_its_directors_name(nlp: EntityExtractor) -> None:
    (span,) = officials(spans(nlp, "oleh HYL selaku Direktur PT Praba Indopersasa. Polisi"))
    assert span.text == "Direktur PT Praba Indopersasa"
    assert span.entity_id.startswith("title:")


def test_digits_stuck_to_a_word_end_the_name(nlp: EntityExtractor) -> None:
    (span,) = officials(spans(nlp, "5. Menteri Pariwisata Widiyanti Putri7. Menteri"))
    assert span.name == "Widiyanti"


def test_a_regulation_is_not_an_official_or_the_government(nlp: EntityExtractor) -> None:
    text = "Peraturan Pemerintah Nomor 16 dan Peraturan Menteri Pertahanan Rusia Nomor 5."
    assert [s for s in spans(nlp, text, "2022-10-21") if s.kind != "place"] == []
    found = spans(nlp, "Pemkot Malang menggelar rapat. Pemerintah Kota melalui dinas", None)
    assert [s.text for s in found if s.kind == "institution"] == [
        "Pemkot Malang",
        "Pemerintah Kota",
    ]


def test_the_articles_own_outlet_is_left_out(nlp: EntityExtractor) -> None:
    text = "kata dia kepada TASS, Senin."
    assert [s.entity_id for s in spans(nlp, text)] == ["tass"]
    assert spans(nlp, text, source="tass.ru") == []
    assert spans(nlp, text, source="www.tass.ru") == []
    assert [s.entity_id for s in spans(nlp, text, source="detik.com")] == ["tass"]


def test_extract_many_takes_a_source(nlp: EntityExtractor) -> None:
    items = [("kepada TASS", None, "tass.ru"), ("kepada TASS", None)]
    assert [len(found) for found in nlp.extract_many(items)] == [0, 1]


# -- the evaluation's scoring ------------------------------------------------------------------
def test_occurrences_are_whole_words_and_accept_a_comma() -> None:
    text = "Harga pangan naik, kata PAN. Gubernur Bali, Wayan Koster hadir."
    assert occurrences(text, "PAN") == [(24, 27)]
    assert occurrences(text, "Gubernur Bali Wayan Koster") == [(29, 56)]
    assert occurrences(text, "Bank Indonesia (PAN)") == [(24, 27)]


def test_a_span_counts_when_it_names_an_annotated_entity(nlp: EntityExtractor) -> None:
    text = "Shoigu menelepon Washington. Lalu Gerasimov datang."
    annotation = {"government": ["Menteri Pertahanan Rusia Sergei Shoigu"], "other": []}
    found = nlp.extract(text, "2022-10-21")
    result = score_article(text, "2022-10-21", found, annotation, nlp)
    assert result.absent == 1 and result.annotated == 0
    verdicts = {span.text: (ok, literal) for span, ok, literal in result.spans}
    assert verdicts["Shoigu"] == (True, False)
    assert verdicts["Gerasimov"] == (False, False)
    assert [s.text for s in result.false_positives] == ["Gerasimov"]


def test_recall_counts_an_overlapping_span(nlp: EntityExtractor) -> None:
    text = "Kemarin Menhan Rusia Sergei Shoigu berkata."
    annotation = {"government": ["Sergei Shoigu", "Kemenlu"]}
    result = score_article(text, "2022-10-21", nlp.extract(text, "2022-10-21"), annotation, nlp)
    assert (result.annotated, result.found, result.absent) == (1, 1, 1)
    assert all(literal for _, _, literal in result.spans)
