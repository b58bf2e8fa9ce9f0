"""Tests of the extractor errors found in the IndoNLU NERGrit check: office words read as names,
titles inside place names, a city named like an official, a body inside another name, generic
nouns taken for bodies, titles cut at "dan", regencies read as names."""

from __future__ import annotations

import pytest
from warta.index.models import EntitySpan
from warta.index.nlp import EntityExtractor

from tests.entity_support import checked_spans

DAY = "2024-05-01"


@pytest.fixture
def x(bundled: EntityExtractor) -> EntityExtractor:
    """The bundled lexicons: the rules name their parties and offices."""
    return bundled


def spans(x: EntityExtractor, text: str, published: str | None = DAY) -> list[EntitySpan]:
    return checked_spans(x, text, published)


def ids(x: EntityExtractor, text: str) -> list[tuple[str, str]]:
    return [(s.text, s.entity_id) for s in spans(x, text)]


def no_person_reading(found: list[tuple[str, str]], *words: str) -> None:
    """None of `words` became the id of an unlisted person."""
    for _, entity_id in found:
        for word in words:
            assert not entity_id.startswith(f"unlisted:{word}"), found


# -- 1. office words are not names --
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Menurut Kepala Sekolah, siswa diliburkan.", ["sekolah"]),
        ("Ia menjabat Sekjen Deparlu pada 1960.", ["deparlu"]),
        ("Kepala Distrik menyatakan keadaan aman.", ["distrik"]),
        ("Komandan Batalyon memimpin pasukan itu.", ["batalyon"]),
        ("Ia menjadi Asisten VI Menpangad tahun 1965.", ["menpangad"]),
        ("Ia diangkat menjadi Menteri Perkebunan pada 1964.", ["perkebunan"]),
        ("Ia menjadi Menteri PU dan Tenaga Listrik dalam kabinet itu.", ["listrik", "tenaga"]),
    ],
)
def test_office_words_are_not_a_name(x: EntityExtractor, text: str, words: list[str]) -> None:
    no_person_reading(ids(x, text), *words)


def test_a_school_head_with_a_name_is_an_unlisted_official(x: EntityExtractor) -> None:
    assert ids(x, "Kepala Sekolah Sumarni Wulansari membantah kabar itu.") == [
        ("Kepala Sekolah Sumarni Wulansari", "unlisted:sumarni-wulansari")
    ]
    found = ids(x, "Namun, Kepala Sekolah SMPN 33 Sumiyati membantah hal tersebut.")
    assert found == [("Kepala Sekolah SMPN 33 Sumiyati", "unlisted:sumiyati")]


def test_a_portfolio_title_is_one_office_with_no_holder(x: EntityExtractor) -> None:
    assert ids(x, "Ia diangkat menjadi Menteri Perkebunan pada 1964.") == [
        ("Menteri Perkebunan", "title:menteri-perkebunan")
    ]
    assert ids(x, "Ia menjadi Menteri PU dan Tenaga Listrik dalam kabinet itu.") == [
        ("Menteri PU dan Tenaga Listrik", "title:menteri-pu-dan-tenaga-listrik")
    ]


def test_a_portfolio_rule_leaves_roles_and_names_alone(x: EntityExtractor) -> None:
    # "Menteri Keuangan" alone names no country: still not highlighted.
    assert ids(x, "Para Menteri Keuangan G20 bertemu di Washington.")[:1] != [
        ("Menteri Keuangan", "title:menteri-keuangan")
    ]
    found = ids(x, "Arahan dari Pak Menko (Airlangga Hartarto) sudah jelas.")
    assert ("Airlangga Hartarto", "airlangga-hartarto") in found


def test_a_degree_after_a_comma_is_not_the_name(x: EntityExtractor) -> None:
    assert ids(x, "Wakil ketua H. Sutarno, BA hadir dalam rapat.") == [
        ("Wakil ketua H. Sutarno", "unlisted:sutarno")
    ]
    found = ids(x, "Kepala Desa Sukamaju, Siti Aminah SH, hadir.")
    assert [i for _, i in found if i.startswith("unlisted:")] == ["unlisted:siti-aminah"]


def test_a_subordinate_title_after_a_comma_is_not_the_name(x: EntityExtractor) -> None:
    found = ids(x, "Camat Batam Kota, SekCam dan lurah hadir.")
    no_person_reading(found, "sekcam")
    assert found and found[0][0] == "Camat Batam Kota"


# -- 2. titles inside place names --
@pytest.mark.parametrize(
    "text",
    [
        "Ia menginap di Hotel Sutan Raja Amurang.",
        "Pertandingan di Stadion Raja Baudouin berlangsung ramai.",
        "Pesawat mendarat di Bandar Udara Sultan Aji Muhammad Sulaiman.",
        "Pendaki menuju gunung Raja Basa.",
        "Kantornya di Jl. Sultan Agung nomor 5.",
        "Puncak Datuk Panglima Husin setinggi 1.035 meter.",
        "Desa wisata di Kabupaten Karo Sumatera Utara ramai.",
    ],
)
def test_a_title_after_a_facility_word_is_the_place_name(x: EntityExtractor, text: str) -> None:
    assert [s for s in spans(x, text) if s.kind in ("official", "person")] == []


def test_a_king_elsewhere_is_still_an_official(x: EntityExtractor) -> None:
    assert ("Raja Salman", "raja-salman") in ids(x, "Raja Salman tiba di Jakarta.")


# -- 3. Austin the city --
@pytest.mark.parametrize(
    "text",
    [
        "Ia lahir di Austin, Texas.",
        "Konser digelar di Austin pekan lalu.",
        "Warga kota Austin berdemo.",
        "Ia bekerja di Dallas, Austin, Texas dan lagi di Nebraska.",
    ],
)
def test_austin_is_the_city_where_the_text_says_so(x: EntityExtractor, text: str) -> None:
    assert [(s.text, s.kind, s.entity_id) for s in spans(x, text) if s.text == "Austin"] == [
        ("Austin", "place", "austin")
    ]


def test_austin_is_the_secretary_among_defence_words(x: EntityExtractor) -> None:
    found = ids(x, "Austin mengatakan Pentagon akan mengirim bantuan ke Ukraina.")
    assert ("Austin", "lloyd-austin") in found
    assert ids(x, "Menhan AS Austin berkunjung.") == [("Menhan AS Austin", "lloyd-austin")]


# -- 4, 5. a body inside another name, the right academy --
def test_the_library_of_congress_is_not_congress(x: EntityExtractor) -> None:
    found = ids(x, "Ia mempelajari arsip Perpustakaan Kongres Amerika Serikat.")
    assert found == [("Perpustakaan Kongres Amerika Serikat", "perpustakaan-kongres-as")]
    assert ids(x, "Kongres Amerika Serikat menyetujui anggaran.") == [
        ("Kongres Amerika Serikat", "kongres-as")
    ]


def test_the_dutch_academy_is_not_the_akmil(x: EntityExtractor) -> None:
    found = ids(x, "Ia masuk Akademi Militer Kerajaan di Breda pada 1943.")
    assert ("Akademi Militer Kerajaan", "kma-belanda") in found
    assert ("Akademi Militer", "akmil") in ids(x, "Ia lulus dari Akademi Militer Magelang.")


# -- 6. generic nouns --
@pytest.mark.parametrize(
    "text",
    [
        "Koperasi itu sebuah Badan Hukum yang terdaftar.",
        "Museum itu berstatus Lembaga Publik Nondepartemen.",
        "Kecamatan itu memiliki 4 Puskesmas Pembantu.",
        "Di dukuh tersedia Puskesmas Desa dan WC umum.",
    ],
)
def test_a_class_of_bodies_is_not_a_body(x: EntityExtractor, text: str) -> None:
    assert [s for s in spans(x, text) if s.kind == "institution"] == []


def test_a_named_puskesmas_is_still_a_body(x: EntityExtractor) -> None:
    found = ids(x, "Pasien dirujuk dari Puskesmas Cibeber ke rumah sakit.")
    assert found == [("Puskesmas Cibeber", "unlisted:puskesmas-cibeber")]


# -- 7. titles are not cut at "dan" --
def test_a_title_runs_over_dan_between_office_words(x: EntityExtractor) -> None:
    found = ids(x, "Ia menjadi Menteri Perguruan Tinggi dan Ilmu Pengetahuan pada 1962.")
    assert [t for t, _ in found] == ["Menteri Perguruan Tinggi dan Ilmu Pengetahuan"]
    assert ids(x, "Ia bekerja di Departemen P dan K.") == [("Departemen P dan K", "kemendikbud")]
    found = ids(x, "Ia diangkat sebagai Pembantu Bupati Mojolaban.")
    assert [t for t, _ in found] == ["Pembantu Bupati Mojolaban"]


# -- 8. regencies and cities --
def test_a_multi_word_regency_is_a_place_not_a_name(x: EntityExtractor) -> None:
    found = ids(x, "Kasi Intel Kejaksaan Negeri Kuantan Singingi Soenardi mengatakan.")
    assert found == [("Kasi Intel Kejaksaan Negeri Kuantan Singingi Soenardi", "unlisted:soenardi")]
    found = ids(x, "Ketua DPRD Kuantan Singingi periode 2009-2014 ditahan.")
    assert found == [("Ketua DPRD Kuantan Singingi", "title:ketua-dprd-kuantan-singingi")]
    places = [(s.text, s.entity_id) for s in spans(x, "Banjir melanda Ogan Komering Ilir.")]
    assert places == [("Ogan Komering Ilir", "ogan-komering-ilir")]


def test_a_regency_named_like_a_city_is_written_out(x: EntityExtractor) -> None:
    found = [(s.text, s.entity_id) for s in spans(x, "Warga Kabupaten Bogor dan Kota Bogor.")]
    assert found == [("Kabupaten Bogor", "kabupaten-bogor"), ("Kota Bogor", "bogor")]
    # A bare name that is also a word stays a word.
    assert spans(x, "Pohon itu batang dan daunnya kering. Batang pohon patah.") == []
    # "Kaur" is also the village office Kepala Urusan: the regency is written out.
    assert spans(x, "Noor Sofan sebagai Kaur Pemerintahan desa.") == []
    found = [s.entity_id for s in spans(x, "Banjir melanda Kabupaten Kaur, Bengkulu.")]
    assert found[0] == "kabupaten-kaur"


def test_a_bare_surname_after_a_local_office_is_a_local_official(x: EntityExtractor) -> None:
    found = ids(x, "Kepala Kejaksaan Negeri Kuantan Singingi, Sahroni, mengatakan.")
    assert found == [("Kepala Kejaksaan Negeri Kuantan Singingi, Sahroni", "unlisted:sahroni")]
    found = ids(x, "Kepala Kejaksaan Negeri Kuantan Singingi Sahroni mengatakan.")
    assert found == [("Kepala Kejaksaan Negeri Kuantan Singingi Sahroni", "unlisted:sahroni")]


def test_a_national_figure_keeps_his_surname_elsewhere(x: EntityExtractor) -> None:
    found = ids(x, "Wakil Ketua Komisi III DPR, Sahroni, mengatakan.")
    assert found == [("Wakil Ketua Komisi III DPR, Sahroni", "ahmad-sahroni")]
    # His full name after a local office is still him.
    found = ids(x, "Bupati Siak, Ahmad Sahroni, hadir.")
    assert found[-1][1] == "ahmad-sahroni"
