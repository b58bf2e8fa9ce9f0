"""Tests of the entity rules that read the article around a match: forms with a second sense
(PKB, PKS, Demokrat), past holders of an office, generic names of the state."""

from __future__ import annotations

import pytest
from warta.index.entity_rules import RulesError, parse_rules
from warta.index.models import EntitySpan
from warta.index.nlp import EntityExtractor, SenseTable

from tests.entity_support import checked_spans

DAY = "2025-10-15"


@pytest.fixture
def x(bundled: EntityExtractor) -> EntityExtractor:
    """The bundled lexicons: the rules name their parties and offices."""
    return bundled


def spans(x: EntityExtractor, text: str, published: str | None = DAY) -> list[EntitySpan]:
    return checked_spans(x, text, published)


def ids(x: EntityExtractor, text: str, published: str | None = DAY) -> list[tuple[str, str]]:
    return [(s.text, s.entity_id) for s in spans(x, text, published) if s.kind != "place"]


# -- forms with a second sense --------------------------------------------------------------
def test_pkb_is_the_party_among_party_words(x: EntityExtractor) -> None:
    assert ids(x, "Fraksi PKB menolak usul itu.") == [("PKB", "pkb")]
    assert ("PKB", "pkb") in ids(x, "Golkar, PKB dan NasDem sepakat berkoalisi.")


def test_pkb_is_a_tax_next_to_tax_words(x: EntityExtractor) -> None:
    text = "Warga diminta melunasi tunggakan PKB sebelum akhir bulan di kantor Samsat."
    assert ids(x, text) == []


def test_an_expansion_written_in_the_article_decides(x: EntityExtractor) -> None:
    text = (
        "Pembayaran Pajak Kendaraan Bermotor (PKB) bisa dilakukan daring. "
        "Wajib pajak yang terlambat membayar PKB tidak didenda."
    )
    assert ids(x, text) == []


def test_pks_is_an_agreement_after_program(x: EntityExtractor) -> None:
    text = "Kedua instansi menandatangani Perjanjian Kerja Sama (PKS). Program PKS itu berjalan."
    assert ids(x, text) == []
    assert ids(x, "Kader PKS menyampaikan sikap partai.") == [("PKS", "pks")]


def test_pbb_is_a_land_tax_or_the_united_nations(x: EntityExtractor) -> None:
    assert ids(x, "Warga membayar PBB tepat waktu agar dapat diskon.") == []
    assert ids(x, "Dewan Keamanan bersidang. PBB menyerukan gencatan senjata.")[-1] == (
        "PBB",
        "pbb",
    )


def test_the_nearest_pointer_wins_in_a_mixed_article(x: EntityExtractor) -> None:
    text = (
        "Kader PKB berkumpul di kantor DPP. Sementara itu, di kota lain, pemutihan denda "
        "pajak kendaraan diperpanjang; tunggakan pajak kendaraan dan BBNKB dihapus, "
        "begitu pula denda PKB."
    )
    found = ids(x, text)
    assert found.count(("PKB", "pkb")) == 1


def test_demokrat_near_us_words_is_the_us_party(x: EntityExtractor) -> None:
    text = "Senat AS memanas. Pemimpin Partai Demokrat menolak rancangan anggaran Trump."
    assert ("Partai Demokrat", "partai-demokrat-as") in ids(x, text)
    assert ("Demokrat", "partai-demokrat-as") in ids(
        x, "Kongres dikuasai Partai Republik dan Demokrat."
    )


def test_demokrat_without_us_words_is_the_indonesian_party(x: EntityExtractor) -> None:
    text = "Di DPR RI, Demokrat menyatakan mendukung program itu bersama Gerindra."
    assert [i for t, i in ids(x, text) if t == "Demokrat"] == ["demokrat"]


def test_sense_rules_are_validated() -> None:
    with pytest.raises(RulesError):
        parse_rules("senses:\n  - forms: [PKB]\n    senses:\n      - entry: pkb\n")
    with pytest.raises(RulesError):
        parse_rules(
            "senses:\n  - forms: [X]\n    senses:\n      - {entry: a}\n      - {bogus: 1}\n"
        )


def test_a_rule_naming_a_missing_entry_is_off(x: EntityExtractor) -> None:
    def table(first: str) -> SenseTable:
        text = f"senses:\n  - forms: [PKB]\n    senses:\n      - {{entry: {first}}}\n"
        text += "      - {entry: null, before: [pajak]}\n"
        return SenseTable(x._compiled, parse_rules(text).senses)

    assert table("no-such-party").by_pattern == {}
    assert len(table("pkb").by_pattern) == 1


# -- past holders ---------------------------------------------------------------------------
def test_a_name_after_kala_itu_is_the_holder(x: EntityExtractor) -> None:
    text = "Nama kota itu dipilih oleh Presiden RI kala itu, Joko Widodo, pada 2019."
    found = spans(x, text)
    assert [(s.text, s.entity_id) for s in found if s.kind == "official"] == [
        ("Presiden RI kala itu, Joko Widodo", "joko-widodo")
    ]


def test_a_name_after_saat_itu_ends_a_regional_office(x: EntityExtractor) -> None:
    text = "Proyek itu dipindah oleh Bupati Sukamakmur saat itu, Ahmad Fiktif, ke lokasi baru."
    found = [s for s in spans(x, text) if s.kind == "official"]
    assert [(s.text, s.entity_id) for s in found] == [
        ("Bupati Sukamakmur saat itu, Ahmad Fiktif", "unlisted:ahmad-fiktif")
    ]


def test_a_past_title_without_a_name_is_not_the_current_holder(x: EntityExtractor) -> None:
    found = spans(x, "Kebijakan itu dibuat Presiden RI saat itu dan kini dikaji ulang.")
    assert [(s.text, s.entity_id, s.listed) for s in found] == [
        ("Presiden RI", "title:presiden-id", False)
    ]
    found = spans(x, "Dia bertemu mantan Kapolri di Jakarta.")
    assert [(s.text, s.entity_id, s.listed) for s in found if s.kind == "official"] == [
        ("Kapolri", "title:kapolri-id", False)
    ]


def test_a_past_title_takes_a_past_holder_the_article_names(x: EntityExtractor) -> None:
    text = "Tito Karnavian dan Listyo Sigit Prabowo hadir. Mantan Kapolri itu memberi sambutan."
    found = [s for s in spans(x, text) if s.kind == "official"]
    assert (found[-1].text, found[-1].entity_id) == ("Mantan Kapolri", "tito-karnavian")


def test_a_former_minister_with_a_name_after_a_comma(x: EntityExtractor) -> None:
    text = "Hadir pula mantan Menteri Pertahanan, Ahmad Fiktif; dan tokoh lain."
    found = [s for s in spans(x, text) if s.kind == "official"]
    assert [s.entity_id for s in found] == ["unlisted:ahmad-fiktif"]


def test_sebelumnya_without_a_name_keeps_the_current_holder(x: EntityExtractor) -> None:
    found = spans(x, "Kapolri sebelumnya menegaskan hal itu.")
    assert [s.entity_id for s in found] == ["listyo-sigit-prabowo"]


# -- generic names of the state -------------------------------------------------------------
def test_a_generic_name_alone_names_nobody(x: EntityExtractor) -> None:
    assert ids(x, "Pemerintah berkomitmen menjaga harga beras.") == []
    assert ids(x, "Kepala Daerah diminta menjaga inflasi.") == []
    assert ids(x, "Kepolisian masih menyelidiki kasus itu.") == []


def test_a_generic_name_takes_the_one_body_named_before_it(x: EntityExtractor) -> None:
    text = "Pemkab Cirebon tidak tinggal diam. Pemerintah daerah akan memberi pendampingan."
    assert ids(x, text) == [
        ("Pemkab Cirebon", "pemkab-cirebon"),
        ("Pemerintah daerah", "pemkab-cirebon"),
    ]
    text = "Pemerintah AS menaikkan tarif. Pemerintah menyebut tarif itu adil."
    assert [i for _, i in ids(x, text)] == ["pemerintah-as", "pemerintah-as"]


def test_a_generic_name_with_two_candidate_bodies_names_nobody(x: EntityExtractor) -> None:
    text = "Pemkab Bogor dan Pemkot Depok bertemu. Pemda sepakat berbagi data."
    assert [t for t, _ in ids(x, text)] == ["Pemkab Bogor", "Pemkot Depok"]


def test_a_generic_name_before_its_body_or_in_a_plural_names_nobody(x: EntityExtractor) -> None:
    assert [t for t, _ in ids(x, "Pemda lain belum. Pemkab Bogor sudah.")] == ["Pemkab Bogor"]
    assert [t for t, _ in ids(x, "Pemkab Bogor sudah. Pemda-pemda lain belum.")] == ["Pemkab Bogor"]


def test_a_generic_name_inside_a_capitalised_name_is_not_the_body(x: EntityExtractor) -> None:
    text = "Pemkab Bogor merujuk Rencana Kerja Pemerintah dan Cadangan Beras Pemerintah."
    assert [t for t, _ in ids(x, text)] == ["Pemkab Bogor"]


def test_pemerintah_or_kepolisian_and_a_place_is_one_body(x: EntityExtractor) -> None:
    found = ids(x, "Kami bekerja sama dengan Pemerintah Banten dan Kepolisian Daerah Banten.")
    assert [t for t, _ in found] == ["Pemerintah Banten", "Kepolisian Daerah Banten"]


# -- fixes from the hand-checked sample --------------------------------------------------------
def test_a_place_named_after_someone_is_no_official(x: EntityExtractor) -> None:
    assert [s.kind for s in spans(x, "Kantornya di Jalan Kolonel Sugiono nomor 9.")] == []
    found = spans(x, "Pesawat mendarat di Bandara Sultan Fiktif Alamsyah pagi tadi.")
    assert [s for s in found if s.kind == "official"] == []


def test_a_title_word_opening_a_place_name_is_the_place(x: EntityExtractor) -> None:
    found = spans(x, "Wisatawan ramai mengunjungi Raja Ampat tahun ini.")
    assert [(s.text, s.kind) for s in found] == [("Raja Ampat", "place")]


def test_a_surname_alias_before_another_name_is_someone_else(x: EntityExtractor) -> None:
    assert ids(x, "kata utusan khusus Jean-Pierre Lacroix kepada wartawan.") == []
    assert ids(x, "kata Jean-Pierre kepada wartawan.") == [("Jean-Pierre", "karine-jean-pierre")]


def test_a_generic_head_inside_an_association_name_is_not_the_body(x: EntityExtractor) -> None:
    text = "Hal itu disampaikan dalam Asosiasi Pemerintah Kota Seluruh Indonesia (APEKSI)."
    assert [s for s in spans(x, text) if s.kind == "institution"] == []


def test_metro_police_office_then_rank_and_name(x: EntityExtractor) -> None:
    found = spans(x, "kata Kapolres Metro Bekasi Kombes Ahmad Fiktif kepada wartawan.")
    assert [(s.text, s.entity_id) for s in found] == [
        ("Kapolres Metro Bekasi Kombes Ahmad Fiktif", "unlisted:ahmad-fiktif")
    ]


def test_dpr_and_bea_cukai_in_us_news_are_the_us_bodies(x: EntityExtractor) -> None:
    text = "Partai Republik berjuang merebut kursi Senat dan DPR pada pemilu sela."
    assert ("DPR", "dpr-as") in ids(x, text)
    assert ("DPR", "dpr-ri") in ids(x, "Fraksi Gerindra di DPR menolak usul itu.")
    text = "Demonstran di Los Angeles menuntut pembubaran badan Imigrasi dan Bea Cukai (ICE)."
    assert ("Bea Cukai", "ice-as") in ids(x, text)


def test_a_class_of_bodies_is_no_institution(x: EntityExtractor) -> None:
    text = "Empat bank Badan Usaha Milik Negara menguat, kata Lembaga Swadaya Masyarakat itu."
    assert [s for s in spans(x, text) if s.kind == "institution"] == []


def test_a_hospital_named_after_a_sultan_is_no_official(x: EntityExtractor) -> None:
    found = spans(x, "Jalan di depan RSI Sultan Fiktif Semarang tergenang.")
    assert [s for s in found if s.kind == "official"] == []


def test_jk_fbi_and_mahkamah_agung_take_their_articles_sense(x: EntityExtractor) -> None:
    assert ids(x, "Bansos meliputi PKH, BPNT dan PBI JK bagi warga miskin.") == []
    assert ids(x, "Pendapatan bank dari fee based income (FBI) valas naik.") == []
    text = "Tarif Trump digugat di pengadilan banding AS, lalu ke Mahkamah Agung."
    assert ("Mahkamah Agung", "ma-as") in ids(x, text)
    assert ("Mahkamah Agung", "ma") in ids(x, "Terdakwa mengajukan kasasi ke Mahkamah Agung.")


def test_a_body_by_pattern_ends_at_its_place_and_before_a_rank(x: EntityExtractor) -> None:
    found = ids(x, "Anggota Banggar DPRD Bone Ahmad Fiktif Saleh menyoroti sikap ketua.")
    assert found[-1] == (
        "Anggota Banggar DPRD Bone Ahmad Fiktif Saleh",
        "unlisted:ahmad-fiktif-saleh",
    )
    found = ids(x, "kata Kasat Reskrim Polres Sukamakmur AKP Ahmad Fiktif kepada wartawan.")
    assert found == [
        ("Kasat Reskrim Polres Sukamakmur AKP Ahmad Fiktif", "unlisted:ahmad-fiktif"),
    ]


def test_an_initial_before_a_surname_alias_is_someone_else(x: EntityExtractor) -> None:
    assert ids(x, "mengacu pada pendapat Herman N Supratman soal biaya politik.") == []
    assert ids(x, "kata Menkum Supratman Andi Agtas.")[-1][1] == "supratman-andi-agtas"
