"""Tests of the entity pipeline: case and overlap rules, patterns, role resolution, the lexicon."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from warta.index.entity_rules import RulesError, parse_rules, rules_text
from warta.index.models import EntitySpan
from warta.index.nlp import PIPE_NAMES, EntityExtractor, slug

from tests.entity_support import checked_spans

DATA = Path(__file__).resolve().parents[1] / "data"
TEST_LEXICON = DATA / "lexicon"


@pytest.fixture(scope="session")
def nlp() -> EntityExtractor:
    """The pipeline over the small test lexicon, so rule tests do not move with the bundled one."""
    return EntityExtractor([TEST_LEXICON], user_dir=False, use_cache=False)


def spans(x: EntityExtractor, text: str, published: str | None = None) -> list[EntitySpan]:
    return checked_spans(x, text, published)


def by_text(found: list[EntitySpan]) -> dict[str, EntitySpan]:
    return {s.text: s for s in found}


# -- the pipeline ------------------------------------------------------------------------------
def test_pipeline_has_the_registered_components(nlp: EntityExtractor) -> None:
    assert tuple(nlp.nlp.pipe_names) == PIPE_NAMES


def test_tokenizer_keeps_the_text_and_offsets(nlp: EntityExtractor) -> None:
    text = "  Menhan  Rusia,\n\nkata AS-Rusia (19/5/2022).\t"
    doc = nlp.nlp.make_doc(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text
    assert [t.text for t in doc if not t.is_space][:3] == ["Menhan", "Rusia", ","]


def test_offsets_survive_odd_whitespace(nlp: EntityExtractor) -> None:
    text = "Laporan\n\n  Kementerian   Pertahanan Rusia  dan\tPBB."
    found = by_text(spans(nlp, text))
    assert "PBB" in found
    assert found["PBB"].entity_id == "pbb"


def test_extract_many_matches_extract(nlp: EntityExtractor) -> None:
    items = [("Menhan Rusia bicara.", "2022-10-21"), ("Menhan Rusia bicara.", "2025-01-01")]
    many = list(nlp.extract_many(items))
    assert many == [nlp.extract(t, p) for t, p in items]
    assert [m[0].entity_id for m in many] == ["sergei-shoigu", "andrei-belousov"]


# -- case rules ----------------------------------------------------------------------------------
def test_acronyms_match_case_sensitively(nlp: EntityExtractor) -> None:
    found = spans(nlp, "Pasukan AS bertemu as usual dengan pbb dan PBB.")
    texts = [s.text for s in found]
    assert "AS" in texts and "PBB" in texts
    assert "as" not in texts and "pbb" not in texts


def test_names_match_in_any_case_but_not_all_lower(nlp: EntityExtractor) -> None:
    found = spans(nlp, "SERGEI SHOIGU dan Shoigu; kaum puan, lalu Puan datang.")
    assert [(s.text, s.entity_id) for s in found] == [
        ("SERGEI SHOIGU", "sergei-shoigu"),
        ("Shoigu", "sergei-shoigu"),
        ("Puan", "puan-maharani"),
    ]


# -- overlaps ------------------------------------------------------------------------------------
def test_longest_match_wins(nlp: EntityExtractor) -> None:
    found = spans(nlp, "Kementerian Pertahanan Rusia menyatakan.")
    assert [(s.text, s.kind, s.entity_id) for s in found] == [
        ("Kementerian Pertahanan Rusia", "institution", "kemenhan-ru")
    ]


def test_title_and_name_form_one_official_span(nlp: EntityExtractor) -> None:
    text = (
        "Kepala Staf Umum Rusia Jenderal Valery Gerasimov dan Menteri Dalam Negeri Tito Karnavian."
    )
    found = spans(nlp, text)
    assert [(s.text, s.entity_id, s.listed) for s in found] == [
        ("Kepala Staf Umum Rusia Jenderal Valery Gerasimov", "valery-gerasimov", True),
        ("Menteri Dalam Negeri Tito Karnavian", "tito-karnavian", True),
    ]


def test_an_honorific_joins_a_known_name(nlp: EntityExtractor) -> None:
    found = spans(nlp, "Pernyataan Jenderal Valery Gerasimov kemarin.")
    assert found[0].text == "Jenderal Valery Gerasimov"


def test_two_people_joined_by_dan_stay_apart(nlp: EntityExtractor) -> None:
    found = spans(nlp, "Kepala Staf Umum Rusia dan Sergei Shoigu bertemu.", "2022-01-01")
    assert [s.text for s in found] == ["Kepala Staf Umum Rusia", "Sergei Shoigu"]


# -- role resolution -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Menteri Pertahanan Rusia menelepon.", "2022-10-21", "sergei-shoigu"),
        ("Menteri Pertahanan Rusia menelepon.", "2025-02-01", "andrei-belousov"),
        ("Menhan Rusia menelepon.", "2024-05-13T10:00+07:00", None),  # a day between the two
        ("Menlu AS menelepon.", "2025-03-01", "marco-rubio"),
        ("Menlu AS menelepon.", "2022-07-30", "antony-blinken"),
        ("Menteri Luar Negeri Amerika Serikat menelepon.", "2022-07-30", "antony-blinken"),
        ("Kapolri menyatakan.", "2023-01-01", "listyo-sigit-prabowo"),
    ],
)
def test_bare_title_resolves_by_date(
    nlp: EntityExtractor, text: str, published: str, expected: str | None
) -> None:
    span = spans(nlp, text, published)[0]
    assert span.kind == "official"
    if expected is None:
        assert not span.listed and span.entity_id.startswith("title:")
    else:
        assert (span.entity_id, span.listed) == (expected, True)


def test_bare_title_without_a_date_uses_a_date_in_the_text(nlp: EntityExtractor) -> None:
    text = "Menhan Rusia menelepon pada Jumat (21/10/2022)."
    assert spans(nlp, text)[0].entity_id == "sergei-shoigu"


def test_unresolved_title_is_an_unlisted_official(nlp: EntityExtractor) -> None:
    span = spans(nlp, "Menteri Pertahanan Rusia menelepon.")[0]
    assert (span.kind, span.entity_id, span.name, span.listed) == (
        "official",
        "title:menteri-pertahanan-ru",
        "Menteri Pertahanan Rusia",
        False,
    )


def test_a_title_naming_nothing_is_not_highlighted(nlp: EntityExtractor) -> None:
    assert spans(nlp, "Presiden menyatakan.", "2022-01-01") == []


def test_non_unique_role_does_not_resolve_to_one_person(nlp: EntityExtractor) -> None:
    found = spans(nlp, "Diplomat Rusia menyatakan.", "2022-01-01")
    assert found[0].listed is False


# -- unlisted officials and institutions ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "span_text", "entity_id"),
    [
        (
            "Diplomat Rusia Konstantin Gavrilov berkata.",
            "Diplomat Rusia Konstantin Gavrilov",
            "unlisted:konstantin-gavrilov",
        ),
        (
            "Gubernur Riau Abdul Wahid meninjau.",
            "Gubernur Riau Abdul Wahid",
            "unlisted:abdul-wahid",
        ),
        (
            "Kapolres Bogor AKBP Rio Wahyu Anggoro hadir.",
            "Kapolres Bogor AKBP Rio Wahyu Anggoro",
            "unlisted:rio-wahyu-anggoro",
        ),
        (
            "Wakil Ketua KPK Fitroh Rohcahyanto, Senin (1/1).",
            "Wakil Ketua KPK Fitroh Rohcahyanto",
            "unlisted:fitroh-rohcahyanto",
        ),
        (
            "Menteri Keuangan (Menkeu) Purbaya Yudhi Sadewa bicara.",
            "Menteri Keuangan (Menkeu) Purbaya Yudhi Sadewa",
            "unlisted:purbaya-yudhi-sadewa",
        ),
    ],
)
def test_unlisted_officials_by_pattern(
    nlp: EntityExtractor, text: str, span_text: str, entity_id: str
) -> None:
    span = spans(nlp, text)[0]
    assert (span.text, span.kind, span.entity_id, span.listed) == (
        span_text,
        "official",
        entity_id,
        False,
    )


def test_a_day_name_after_a_title_is_not_a_name(nlp: EntityExtractor) -> None:
    found = spans(nlp, "Gubernur Riau Senin lalu meninjau.", "2025-01-01")
    assert found[0].text == "Gubernur Riau"


@pytest.mark.parametrize(
    "text",
    [
        "Pemprov Riau",
        "Pemerintah Provinsi Riau",
        "Polres Bogor",
        "Dinas Tanaman Pangan",
        "DPRD Riau",
    ],
)
def test_unlisted_institutions_by_pattern(nlp: EntityExtractor, text: str) -> None:
    found = spans(nlp, f"Kata {text} kemarin.")
    assert [(s.text, s.kind, s.listed) for s in found] == [(text, "institution", False)]
    assert found[0].entity_id == f"unlisted:{slug(text)}"


def test_two_institutions_joined_by_dan_stay_apart(nlp: EntityExtractor) -> None:
    found = spans(nlp, "Pemprov Riau dan Dinas Tanaman Pangan bekerja.")
    assert [s.text for s in found] == ["Pemprov Riau", "Dinas Tanaman Pangan"]


def test_places_are_places(nlp: EntityExtractor) -> None:
    found = spans(nlp, "Di Jakarta dan Federasi Rusia.")
    assert [(s.text, s.kind, s.entity_id) for s in found] == [
        ("Jakarta", "place", "jakarta"),
        ("Federasi Rusia", "place", "ru"),
    ]


# -- rules file and cache ----------------------------------------------------------------------
def test_rules_reject_unknown_keys() -> None:
    with pytest.raises(RulesError, match="unknown keys"):
        parse_rules("honorifics: [Dr.]\nhonorific: [Prof.]\n")
    with pytest.raises(RulesError, match="tail"):
        parse_rules("institution_patterns:\n  - heads: [Dinas]\n    tail: nowhere\n")
    assert parse_rules(rules_text()).titles


def test_warm_start_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARTA_CACHE_DIR", str(tmp_path))
    EntityExtractor([TEST_LEXICON], user_dir=False)
    assert list(tmp_path.glob("entities-*.json"))
    started = time.perf_counter()
    warm = EntityExtractor([TEST_LEXICON], user_dir=False)
    assert time.perf_counter() - started < 2.0  # generous: the machine is shared
    assert warm.extract("Menhan Rusia", "2022-10-21")[0].entity_id == "sergei-shoigu"


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARTA_CACHE_DIR", str(tmp_path))
    EntityExtractor([TEST_LEXICON], user_dir=False)
    for path in tmp_path.glob("entities-*.json"):
        path.write_text("{not json", encoding="utf-8")
    x = EntityExtractor([TEST_LEXICON], user_dir=False)
    assert x.extract("Shoigu")[0].entity_id == "sergei-shoigu"


# -- the bundled lexicons ----------------------------------------------------------------------
def test_every_bundled_entry_matches_its_own_names(bundled: EntityExtractor) -> None:
    failures = []
    for kind in ("official", "institution", "place", "person"):
        for entry in bundled.lexicon.by_kind(kind):
            for name in entry.all_names:
                text = f"Kemarin {name} hadir."
                covering = [
                    s
                    for s in bundled.extract(text, None)
                    if s.start <= 8 and s.end >= 8 + len(name)
                ]
                # Another entry of a stronger kind may claim the same form (a place and its
                # government); the form must still be matched as a whole.
                if not covering:
                    failures.append(f"{entry.origin} {entry.id}: {name!r}")
    assert not failures, f"{len(failures)} names not matched, e.g. {failures[:10]}"


SEED_ENTITIES = {
    "official": [
        "valery-gerasimov",
        "mark-milley",
        "sergei-shoigu",
        "lloyd-austin",
        "tod-wolters",
        "john-kirby",
        "dmitry-peskov",
        "konstantin-gavrilov",
        "steve-witkoff",
        "volodymyr-zelensky",
        "antony-blinken",
        "sergei-lavrov",
        "vladimir-putin",
        "joe-biden",
        "ned-price",
    ],
    "institution": [
        "kemenhan-ru",
        "pentagon",
        "kremlin",
        "nato",
        "tass",
        "reuters",
        "afp",
        "ap",
        "eucom",
        "g20",
    ],
}


def test_the_seeds_entities_have_the_right_kinds(bundled: EntityExtractor) -> None:
    from warta.index.clean import clean
    from warta.index.library import bundled_seeds
    from warta.index.readers import read_file

    found: dict[str, set[str]] = {}
    texts: set[str] = set()
    for path in bundled_seeds():
        for item in read_file(path):
            assert item.doc is not None
            article = clean(item.doc)
            for s in bundled.extract(article.text, article.published):
                found.setdefault(s.entity_id, set()).add(s.kind)
                texts.add(s.text)
    for kind, ids in SEED_ENTITIES.items():
        for entity_id in ids:
            assert found.get(entity_id) == {kind}, (entity_id, found.get(entity_id))
    for written in ("Pakta Pertahanan Atlantik Utara", "Agence France-Presse", "Associated Press"):
        assert written in texts
    assert any("Departemen Luar Negeri AS" in t for t in texts)


def test_undated_bare_title_resolves_to_the_one_holder_the_article_names(
    bundled: EntityExtractor,
) -> None:
    text = "Menteri Pertahanan Rusia menelepon mitranya. Sergei Shoigu mengatakan hal itu."
    first = spans(bundled, text)[0]
    assert (first.text, first.entity_id, first.listed) == (
        "Menteri Pertahanan Rusia",
        "sergei-shoigu",
        True,
    )


def test_undated_bare_title_stays_unresolved_when_two_holders_are_named(
    bundled: EntityExtractor,
) -> None:
    text = "Menteri Pertahanan Rusia hadir. Sergei Shoigu dan Andrei Belousov juga datang."
    first = spans(bundled, text)[0]
    assert first.entity_id == "title:menteri-pertahanan-ru" and not first.listed
