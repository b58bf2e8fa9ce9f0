"""Tests of the article cleaner: the seeds, each rule on a small made-up text, and dates."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from warta.index.clean import (
    RulesError,
    clean,
    content_hash,
    load_rules,
    parse_published,
    parse_rules,
)
from warta.index.models import Article, RawDocument

SEEDS = Path(__file__).parents[2] / "seeds"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def seed(prefix: str) -> Article:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return clean(RawDocument(path=str(path), text=path.read_text(encoding="utf-8")))


def doc(text: str, **meta: str) -> Article:
    return clean(RawDocument(path="t.txt", text=text, **meta))


def paragraphs(article: Article) -> list[str]:
    return article.text.split("\n\n")


# ----------------------------------------------------------------------------- seeds


def test_seed_000_tribunnews_byline() -> None:
    a = seed("000")
    assert a.source == "tribunnews.com"
    assert a.dateline == "Moskow"
    assert a.published is None  # "Kamis (19/5/2022)" is the event, not the publication
    assert a.author is None
    assert a.title.startswith("Kepala Staf Umum Rusia Jenderal Valery Gerasimov")
    assert len(a.title) <= 111 and a.title.endswith("\u2026")
    paras = paragraphs(a)
    assert paras[0].startswith("Kepala Staf Umum Rusia Jenderal Valery Gerasimov")
    assert paras[-1].endswith("Sekretaris Pers Pentagon, Laksamana John Kirby.")
    assert "Baca juga" not in a.text
    assert "TRIBUNNEWS" not in a.text
    assert "\u201cSesuai praktik sebelumnya" in a.text
    assert len(paras) == 14


def test_seed_001_section_label_footer_and_editor_code() -> None:
    a = seed("001")
    assert a.title == (
        "Di tengah Situasi Kian Memanas, Panglima Militer AS-Rusia Adakan Pembicaraan"
    )
    assert a.published is None
    for gone in ("Lensa Manca", "Share", "Leave a Reply", "Your email address", "(MRS L44)"):
        assert gone not in a.text
    paras = paragraphs(a)
    assert paras[0].startswith("Panglima Militer Rusia dan Amerika Serikat menggelar")
    assert paras[-1].endswith("sebanyak 30 kali pada bulan ini saja.")
    assert not a.text.startswith("Di tengah Situasi")
    assert "\u00a0" not in a.text


def test_seed_002_author_bio_dropped_credit_kept() -> None:
    a = seed("002")
    assert a.title.startswith("Menteri Pertahanan Rusia mengadakan percakapan telepon")
    assert a.published is None
    assert "Ninja budaya pop" not in a.text
    paras = paragraphs(a)
    assert paras[0].startswith("Menteri Pertahanan Rusia mengadakan percakapan telepon")
    assert paras[-1] == "Reuters dan Agence France-Presse berkontribusi pada laporan ini"
    assert "Enam bulan kemudian, pasukan Ukraina mundur." in paras


def test_seed_003_outlet_promos_and_subheads() -> None:
    a = seed("003")
    assert a.source == "newestindonesia.co.id"
    assert a.published is None  # "(5/2)" and "Februari 2022" are events
    for gone in (
        "(DAW)",
        "Dapatkan update",
        "Ikuti Sekarang",
        "Hubungi marketing",
        "You must be logged in",
        "Newestindonesia.co.id",
    ):
        assert gone not in a.text
    paras = paragraphs(a)
    assert paras[0].startswith("Amerika Serikat dan Rusia sepakat untuk melanjutkan dialog")
    assert "Kesepakatan yang Direstorasi" in paras
    assert paras[-1].startswith("Pembicaraan damai yang dipimpin oleh Amerika di Abu Dhabi")
    assert a.title.startswith("Amerika Serikat dan Rusia sepakat")


def test_seed_004_detik_page() -> None:
    a = seed("004")
    assert a.title == "Menlu AS-Rusia Pertama Teleponan Sejak Invasi Ukraina, Bahas Apa?"
    assert a.source == "detik.com"
    assert a.published == "2022-07-30T11:28+07:00"
    assert a.author == "Novi Christiastuti"
    for gone in (
        "ADVERTISEMENT",
        "REUTERS",
        "(dok.",
        "(nvc/idh)",
        "detikNews",
        "Sabtu, 30 Jul 2022",
        "Menlu AS-Rusia Pertama",
    ):
        assert gone not in a.text
    paras = paragraphs(a)
    assert paras[0].startswith("Kementerian Luar Negeri Rusia dalam pernyataan terpisah")
    assert paras[-1].endswith("saat keduanya sama-sama menghadiri pertemuan di Kamboja.")
    assert len(paras) == 7


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_shape(prefix: str) -> None:
    a = seed(prefix)
    assert a.text and "\n\n\n" not in a.text
    assert not CONTROL.search(a.text)
    assert re.fullmatch(r"[0-9a-f]{16}", a.content_hash)
    assert a.id == a.content_hash[:12]
    assert a.content_hash == content_hash(a.text)
    assert all(p == p.strip() and "  " not in p for p in paragraphs(a))


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_body_does_not_repeat_headline(prefix: str) -> None:
    a = seed(prefix)
    assert not a.text.startswith(a.title)


# ----------------------------------------------------------------------------- metadata


def test_record_metadata_fills_what_text_lacks() -> None:
    a = doc(
        "Gubernur Riau meluncurkan Mobil Topling di Pekanbaru, Senin (20/10/2025).\n"
        "Mobil itu keliling ke desa-desa.",
        title="Gubernur Luncurkan Mobil Topling",
        source="detik.com",
        url="https://www.detik.com/sumut/berita/d-8170307/gubernur",
        date="2025-10-20",
        record_id="detik.com:f4bbe9c95a92",
    )
    assert a.id == "detik.com:f4bbe9c95a92"
    assert a.title == "Gubernur Luncurkan Mobil Topling"
    assert a.source == "detik.com"
    assert a.published == "2025-10-20"
    assert a.url == "https://www.detik.com/sumut/berita/d-8170307/gubernur"
    assert a.path == "t.txt"


def test_no_date_is_invented_from_the_body() -> None:
    a = doc("Pertemuan digelar pada Kamis (19/5/2022) di Jakarta, 20 Mei 2022 pukul 10.00 WIB.")
    assert a.published is None


def test_source_from_host_and_shortener() -> None:
    assert (
        doc("Isi berita yang cukup panjang.", url="https://www.tempo.co/x/1").source == "tempo.co"
    )
    assert doc("Isi berita.", url="http://kmp.im/AGHpuZ").source == "kompas.com"
    assert doc("Isi berita.", source="cnnindonesia.com").source == "cnnindonesia.com"


def test_kompas_url_date_beats_scrape_day() -> None:
    a = doc(
        "**JAKARTA, KOMPAS.com** - Isi berita pertama.",
        source="kompas.com",
        url="http://www.kompas.com/food/read/2025/11/05/090300875/cara-bikin",
        date="2025-11-07",
    )
    assert a.published == "2025-11-05T09:03+07:00"
    assert a.source == "kompas.com"
    assert a.dateline == "Jakarta"
    assert a.text == "Isi berita pertama."


def test_record_author_wins() -> None:
    assert doc("Isi.\n(Penulis: Budi Santoso)", author="Ani").author == "Ani"
    assert doc("Isi.\n(Penulis: Budi Santoso)").author == "Budi Santoso"


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sabtu, 30 Jul 2022 11:28 WIB", "2022-07-30T11:28+07:00"),
        ("Senin, 20 Okt 2025 08:05 WITA", "2025-10-20T08:05+08:00"),
        ("Selasa, 21 Oktober 2025 19:30 WIT", "2025-10-21T19:30+09:00"),
        ("Kamis, 11 September 2025 | 10.06 WIB", "2025-09-11T10:06+07:00"),
        ("Jum'at, 3 Mei 2024", "2024-05-03"),
        ("05/11/2025, 09:03 WIB", "2025-11-05T09:03+07:00"),
        ("30 Jul 2022 11:28", "2022-07-30T11:28"),
        ("2025-10-20", "2025-10-20"),
        ("2025-10", "2025-10"),
        ("2025-10-20T10:00:00Z", "2025-10-20T10:00+00:00"),
        ("2025-10-20 10:00:00+0700", "2025-10-20T10:00+07:00"),
        ("31 Feb 2022", None),
        ("Sabtu, 30 Jul 2022 11:28 WIB lalu rapat dimulai", None),
        ("Pada Kamis (19/5/2022) kedua menteri bertelepon.", None),
        ("", None),
        ("ADVERTISEMENT", None),
    ],
)
def test_parse_published(text: str, expected: str | None) -> None:
    assert parse_published(text) == expected


# ----------------------------------------------------------------------------- rules


LEAD = "Paragraf pertama berisi berita yang sebenarnya."
LAST = "Paragraf terakhir juga berita yang sebenarnya."


@pytest.mark.parametrize(
    "junk",
    [
        "Baca juga: Menhan Rusia Muncul di Publik",
        "Baca Juga",
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Share",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "You must be logged in to post a comment Login",
        "Dapatkan update berita terkini langsung di WhatsApp Anda.",
        "Ikuti SekarangIngin publikasi berita? Hubungi marketing kami di WhatsApp",
        "Cek Berita dan Artikel yang lain di Google News",
        "Simak juga Video 'Menteri Bicara soal Harga':",
        'Tonton juga video "Prabowo di Istana" di sini:',
        "Saksikan Live DetikPagi :",
        "[Gambas:Video CNN]",
        "A post shared by Kompas Travel (@kompas.travel)",
        "[video.1]",
        "**[img.2]**",
        "Artikel ini telah tayang di Surya.co.id dengan judul Guru Tolak Damai",
        "U.S. Secretary of State stands with the minister in Geneva. Alex Brandon/Pool via REUTERS",
        "Menlu AS dan Menlu Rusia berfoto bersama (dok. Alex Brandon/Pool via REUTERS)",
        "Pengamat politik Ujang Komarudin. Foto: Ricardo/JPNN.com",
        "KOMPAS.com/ANGGARA WIKAN PRASETYA Sunrise dari Puncak Mahkota",
        "------------------------------------------------------------------------",
    ],
)
def test_boilerplate_line_dropped(junk: str) -> None:
    a = doc(f"{LEAD}\n{junk}\n{LAST}")
    assert paragraphs(a) == [LEAD, LAST]


def test_inline_boilerplate_in_single_line_records() -> None:
    a = doc(
        f"{LEAD} SCROLL TO CONTINUE WITH CONTENT Kalimat kedua. ADVERTISEMENT Kalimat ketiga. "
        "Tonton juga Video: Perdana, Nuggets Juara NBA! [Gambas:Video 20detik] Kalimat keempat."
    )
    assert a.text == f"{LEAD} Kalimat kedua. Kalimat ketiga. Kalimat keempat."


def test_real_lines_that_look_like_rules_are_kept() -> None:
    keep = [
        "Simak selengkapnya jadwal KRL Jogja Solo pada 3-6 November 2025.",
        "Kompas.com sudah menyaksikan sendiri keindahan Bukit Rhema.",
        "Berita tersebut dikutip dari AFP, kata dia.",
        "Share pasar perusahaan itu naik 5 persen tahun ini.",
        "Menurut data, pendapatan naik 10 persen (yoy).",
    ]
    a = doc("\n".join([LEAD, *keep, LAST]))
    assert paragraphs(a) == [LEAD, *keep, LAST]


@pytest.mark.parametrize("code", ["(nvc/idh)", "(DAW)", "(MRS L44)", "(dil/jpnn)", "(jpnn)"])
def test_editor_code_at_end_dropped(code: str) -> None:
    assert doc(f"{LEAD}\n{LAST} {code}").text == f"{LEAD}\n\n{LAST}"
    assert doc(f"{LEAD}\n{LAST}\n{code}").text == f"{LEAD}\n\n{LAST}"


def test_acronym_at_end_of_body_kept() -> None:
    a = doc(f"{LEAD}\nHal itu disampaikan Kepala Badan Intelijen Negara (BIN)")
    assert a.text.endswith("(BIN)")


def test_jpnn_video_promo_and_code() -> None:
    a = doc(
        'jpnn.com, JAKARTA - Ketua umum partai hadir di acara.\n"Kami siap," kata dia. '
        "(boy/jpnn)Yuk, Simak Juga Video ini!",
        source="jpnn.com",
    )
    assert a.text == 'Ketua umum partai hadir di acara.\n\n"Kami siap," kata dia.'
    assert a.dateline == "Jakarta"
    assert a.source == "jpnn.com"


def test_author_bio_tagline_dropped() -> None:
    bio = "\u201cPecandu kopi. Penggemar media sosial. Tipikal pemecah masalah. Ahli web.\u201d"
    assert paragraphs(doc(f"{LEAD}\n{LAST}\n{bio}")) == [LEAD, LAST]
    short_real = "Semoga bermanfaat. Selamat mencoba. Terima kasih."
    assert paragraphs(doc(f"{LEAD}\n{short_real}"))[-1] == short_real


def test_headline_duplicate_author_and_publish_line() -> None:
    text = (
        "Judul Berita Besar Hari Ini\n\nADVERTISEMENT\n\nJudul Berita Besar Hari Ini\n\n"
        "Budi Santoso - detikFinance\nSenin, 20 Okt 2025 14:00 WIB\n\n"
        f"{LEAD}\n\n{LAST}"
    )
    a = doc(text)
    assert a.title == "Judul Berita Besar Hari Ini"
    assert a.author == "Budi Santoso"
    assert a.source == "detik.com"
    assert a.published == "2025-10-20T14:00+07:00"
    assert paragraphs(a) == [LEAD, LAST]


def test_record_title_line_not_repeated_in_body() -> None:
    a = doc(f"Harga Emas Naik Lagi\n{LEAD}", title="Harga Emas Naik Lagi")
    assert a.title == "Harga Emas Naik Lagi"
    assert a.text == LEAD


def test_derived_title_trimmed_at_word_boundary() -> None:
    lead = (
        "Menteri Pertahanan Rusia mengadakan percakapan telepon yang jarang dengan mitranya dari "
        "AS pada hari Jumat, setelah pejabat mengatakan kota itu menjadi benteng. Kalimat dua."
    )
    a = doc(lead)
    assert a.title.endswith("\u2026")
    assert len(a.title) <= 111
    assert lead.startswith(a.title[:-1])
    assert doc("Rapat selesai sore hari. Semua pulang.").title == "Rapat selesai sore hari"


def test_kompas_markdown() -> None:
    text = (
        "**JAKARTA, KOMPAS.com** --- Presiden *menerima* tamu negara.\n\n[video.1]\n\n"
        '## Agenda Pertemuan\n\nBaca [laporan lengkap](http://kmp.im/abc){target="_self"} '
        "di sini \\@kompas.\n\n- butir satu\n- butir dua\n\n"
        "**(Penulis: Kontributor Solo, Labib Zamani)**"
    )
    a = doc(text, source="kompas.com")
    assert a.dateline == "Jakarta"
    assert a.source == "kompas.com"
    assert a.author == "Labib Zamani"
    assert paragraphs(a) == [
        "Presiden menerima tamu negara.",
        "Agenda Pertemuan",
        "Baca laporan lengkap di sini @kompas.",
        "- butir satu\n- butir dua",
    ]


def test_antara_credit_block_and_inline_related() -> None:
    text = (
        "Pangkalpinang (ANTARA) - Gubernur memastikan Natal aman, kata dia. "
        "Baca juga: Babel pastikan kenyamanan masyarakat beribadah Natal Dalam memastikan "
        "suasana kondusif, ia memantau gereja. Pewarta: Aprionis Editor: Endang "
        "Copyright \u00a9 ANTARA 2025 Dilarang keras mengambil konten tanpa izin."
    )
    a = doc(text)
    assert a.source == "antaranews.com"
    assert a.dateline == "Pangkalpinang"
    assert a.author == "Aprionis"
    assert a.text == (
        "Gubernur memastikan Natal aman, kata dia. "
        "Dalam memastikan suasana kondusif, ia memantau gereja."
    )


def test_bisnis_glued_paragraphs_split() -> None:
    text = (
        "Bisnis.com, SURABAYA - Jaringan internet belum mampu bersaing di ASEAN.Salah satu "
        "penyebabnya adalah sewa lahan di Jl. Sudirman.“Kami keberatan,” kata dia.Baca Juga"
        "Cek Berita dan Artikel yang lain di Google                  News"
    )
    a = doc(text, source="bisnis.com")
    assert a.source == "bisnis.com"
    assert a.dateline == "Surabaya"
    assert paragraphs(a) == [
        "Jaringan internet belum mampu bersaing di ASEAN.",
        "Salah satu penyebabnya adalah sewa lahan di Jl. Sudirman.",
        "\u201cKami keberatan,\u201d kata dia.",
    ]


def test_tempo_teaser_tail() -> None:
    a = doc(
        "Ringkasan Berita Inflasi turun. MENTERI Keuangan menyatakan inflasi turun. -",
        source="tempo.co",
    )
    assert a.text == "Inflasi turun. MENTERI Keuangan menyatakan inflasi turun."


def test_bylines() -> None:
    assert doc("TRIBUNNEWS.COM, MOSKOW - Isi.").dateline == "Moskow"
    a = doc("jpnn.com - KUALA LUMPUR - Isi berita.")
    assert (a.source, a.dateline, a.text) == ("jpnn.com", "Kuala Lumpur", "Isi berita.")
    b = doc("Jakarta, CNN Indonesia -- Isi berita.")
    assert (b.source, b.dateline) == ("cnnindonesia.com", "Jakarta")
    c = doc("Amerika Serikat dan AS-Rusia sepakat berdialog.")
    assert c.dateline is None and c.text.startswith("Amerika Serikat dan AS-Rusia")


def test_hygiene_controls_escape_nfc_whitespace() -> None:
    raw = "Jude\u0301l\x1b[31m merah\x1b[0m\x07 dan\u00a0\u00a0spasi\ttab\r\nBaris\u200b dua.\x00"
    a = doc(raw)
    assert a.text == "Judél merah dan spasi tab\n\nBaris dua."
    assert unicodedata.is_normalized("NFC", a.text)


def test_content_hash_normalises_case_and_space() -> None:
    assert content_hash("Satu  dua\n\nTiga") == content_hash("satu dua tiga")
    assert content_hash("satu") != content_hash("dua")
    assert re.fullmatch(r"[0-9a-f]{16}", content_hash(""))


def test_empty_text() -> None:
    a = doc("")
    assert a.text == "" and a.title == "(tanpa judul)"
    assert doc("  \n ADVERTISEMENT \n", title="Judul").title == "Judul"


def test_rules_validation() -> None:
    assert load_rules() is load_rules()
    with pytest.raises(RulesError, match="unknown keys"):
        parse_rules({"drop_line": ["x"]})
    with pytest.raises(RulesError, match=r"drop_lines\[0\]"):
        parse_rules({"drop_lines": ["(unclosed"]})
    with pytest.raises(RulesError, match=r"outlets\.x\.com"):
        parse_rules({"outlets": {"x.com": {"dorp_lines": []}}})
    with pytest.raises(RulesError, match="guard"):
        parse_rules({"inline_remove": [{"pattern": "x", "if": []}]})


def test_bundled_rules_are_valid_yaml_with_known_keys() -> None:
    path = Path(__file__).parents[2] / "index" / "data" / "cleaning.yaml"
    parse_rules(yaml.safe_load(path.read_text(encoding="utf-8")))


# ----------------------------------------------------------------------------- properties

hostile = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(
            ["\x1b", "[", "]", "/", "*", "#", "\n", "\r", "\t", "(", ")", ":", "\x00", "\x9b"]
        ),
        st.sampled_from(["[bold]x[/]", "\x1b[2J", "\x1b]0;t\x07", "**", "](", "Baca juga: "]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=hostile, title=st.one_of(st.none(), hostile))
def test_clean_never_raises_and_strips_controls(text: str, title: str | None) -> None:
    a = clean(RawDocument(path="p", text=text, title=title))
    for value in (a.text, a.title, a.author or "", a.dateline or "", a.source or ""):
        assert not CONTROL.search(value)
        assert "\x1b" not in value
    assert re.fullmatch(r"[0-9a-f]{16}", a.content_hash)
    assert "\n\n\n" not in a.text


def test_cnn_url_stamp_refines_but_never_overrides_record_date() -> None:
    url = "https://www.cnnindonesia.com/ekonomi/20190906133131-532-428133/sri-mulyani"
    assert doc("Isi.", url=url, date="2019-09-06").published == "2019-09-06T13:31+07:00"
    assert doc("Isi.", url=url, date="2019-09-07").published == "2019-09-07"
    assert doc("Isi.", url=url).published == "2019-09-06T13:31+07:00"


def test_related_link_bullets_in_markdown_dropped() -> None:
    text = (
        f"**KOMPAS.com** - {LEAD}\n\n"
        '- **[Resep Es Timun Selasih](http://www.kompas.com/food/read/1){target="_self"}**\n\n'
        f"{LAST}"
    )
    assert paragraphs(doc(text)) == [LEAD, LAST]
