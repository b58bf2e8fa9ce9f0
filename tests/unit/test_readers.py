"""Tests of the readers: sniffing, decoding, HTML pages, feeds, stdin, streaming, properties."""

from __future__ import annotations

import gzip
import io
import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warta.index import markup, readers
from warta.index.readers import Item, decode_bytes, iter_inputs, iter_lines, read_stdin, sniff

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Menhan Bertemu Mitra - contoh.id</title>
<meta property="og:title" content="Menhan Bertemu Mitra dari Jepang">
<meta name="author" content="Rina Wati">
<meta property="article:published_time" content="2022-05-19T14:05:00+07:00">
<link rel="canonical" href="https://www.contoh.id/berita/menhan-jepang">
<script>var x = "<p>skrip</p>";</script></head>
<body><nav><a href="/">Beranda</a> <a href="/politik">Politik</a></nav>
<article><h1>Menhan Bertemu Mitra dari Jepang</h1>
<p>Menteri Pertahanan bertemu dengan mitranya dari Jepang di Bekasi pada Kamis (19/5/2022).
Pertemuan itu membahas latihan bersama dan pengadaan kapal patroli untuk wilayah perairan.</p>
<div class="baca-juga">Baca juga: <a href="/x">Kapal Patroli Baru Tiba di Surabaya</a></div>
<p>Kedua menteri juga sepakat memperkuat kerja sama industri pertahanan kedua negara, kata
juru bicara kementerian kepada wartawan di Jakarta.</p></article>
<section id="comments"><p>Komentar: setuju sekali dengan kebijakan ini!</p></section>
<footer>Hak cipta contoh.id</footer></body></html>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Contoh</title><link>https://www.contoh.id/</link>
<item><title>Menlu AS &amp; Menlu Rusia Bicara</title><link>https://www.contoh.id/a</link>
<guid>a-1</guid><pubDate>Sabtu, 30 Jul 2022 11:28 WIB</pubDate>
<description>Ringkasan.</description>
<content:encoded><![CDATA[<p>Isi lengkap paragraf satu.</p><script>alert(1)</script>
<p>Paragraf &amp; dua.</p>]]></content:encoded></item>
<item><title>Kedua</title><link>https://www.contoh.id/b</link>
<pubDate>Mon, 01 Aug 2022 08:00:00 +0700</pubDate><description>Isi kedua saja.</description></item>
<item><title>Ketiga</title><guid>c-3</guid><pubDate>bukan tanggal</pubDate>
<description>Isi ketiga.</description></item>
</channel></rss>
"""


def docs(items: list[Item]) -> list[readers.RawDocument]:
    return [i.doc for i in items if i.doc is not None]


def skips(items: list[Item]) -> dict[str, str]:
    return {Path(i.skipped.path).name: i.skipped.reason for i in items if i.skipped is not None}


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# -- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "suffix", "kind"),
    [
        (PAGE, "", "html"),
        (PAGE, ".txt", "html"),
        ("  \n<p>Sepotong <b>HTML</b></p>", ".txt", "html"),
        (RSS, ".txt", "feed"),
        (RSS, ".xml", "feed"),
        ('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', "", "feed"),
        ('{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n', ".txt", "jsonl"),
        ('{"id": 1, "text": "a"}\n', ".json", "json"),
        ('{\n  "id": 1,\n  "text": "a"\n}\n', ".txt", "json"),
        ('[{"id": 1}]', ".json", "json"),
        ("Judul\n\nIsi berita.", ".txt", "text"),
        ("# Judul\n\nIsi berita.", ".md", "md"),
        ("Judul\n\nIsi berita.", "", "text"),
        ("Isi apa saja", ".jsonl", "jsonl"),
    ],
)
def test_sniff_goes_by_content_first(head: str, suffix: str, kind: str) -> None:
    assert sniff(head.encode(), suffix) == (kind, None)


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (PNG image), not text"),
        (b"%PDF-1.7\n", "binary file (PDF document), not text"),
        (b"abc\x00def", "binary file (NUL bytes), not text"),
        (bytes(range(1, 32)) * 40, "binary file (control bytes), not text"),
        (b"", "empty file"),
        (b" \n\t ", "empty file"),
        (b'<?xml version="1.0"?><katalog/>', "XML that is not an RSS or Atom feed"),
    ],
)
def test_sniff_refuses_what_is_not_an_article_format(head: bytes, reason: str) -> None:
    assert sniff(head, ".txt") == (None, reason)


# -- decoding ------------------------------------------------------------------------------


def test_decoding_utf8_and_its_bom() -> None:
    assert decode_bytes("Café “kutip”".encode()).text == "Café “kutip”"
    assert decode_bytes(b"\xef\xbb\xbfteks").text == "teks"


def test_cp1252_and_latin1_text_is_read_with_a_note() -> None:
    cp = decode_bytes("“Kami siap,” kata Menteri \u2013 café".encode("cp1252"))
    assert cp.text == "“Kami siap,” kata Menteri \u2013 café"
    assert cp.note == "not UTF-8: read as Windows-1252" and cp.problem is None
    # 0x81 is undefined in Windows-1252: the reading falls back to Latin-1.
    latin = decode_bytes(b"M\xfcnchen \x81 Bali")
    assert latin.note == "not UTF-8: read as Latin-1" and latin.text.startswith("München")


def test_damaged_utf8_keeps_utf8_and_marks_the_damage() -> None:
    found = decode_bytes("“Kami” kata Menteri di café".encode() + b" \xff rusak")
    assert found.text.startswith("“Kami” kata Menteri di café") and "\ufffd rusak" in found.text
    assert found.note == "1 byte(s) not valid UTF-8, replaced with \ufffd"


def test_utf16_with_bom_is_read_but_two_odd_bytes_are_not_text() -> None:
    assert decode_bytes("Berita hari ini".encode("utf-16")).text == "Berita hari ini"
    assert decode_bytes(b"\xff\xfe\x00\x01").problem == "binary file (NUL bytes), not text"


# -- files -------------------------------------------------------------------------------


def test_html_page_gives_text_and_metadata_without_chrome(tmp_path: Path) -> None:
    items = list(iter_inputs([write(tmp_path / "halaman", PAGE)]))
    (doc,) = docs(items)
    assert doc.format == "html"
    assert doc.title == "Menhan Bertemu Mitra dari Jepang"
    assert doc.author == "Rina Wati"
    assert doc.date == "2022-05-19T14:05+07:00"
    assert doc.url == "https://www.contoh.id/berita/menhan-jepang"
    assert doc.source == "contoh.id"
    assert "Pertemuan itu membahas latihan bersama" in doc.text
    assert "kerja sama industri pertahanan" in doc.text
    for chrome in ("Beranda", "Baca juga", "Komentar", "Hak cipta", "skrip", "var x"):
        assert chrome not in doc.text


def test_html_page_without_meta_falls_back_to_title_tag_and_body(tmp_path: Path) -> None:
    bare = "<html><head><title>Judul Saja</title></head><body><p>Isi singkat.</p></body></html>"
    (doc,) = docs(list(iter_inputs([write(tmp_path / "a.html", bare)])))
    assert doc.title == "Judul Saja" and doc.text == "Isi singkat."
    assert doc.date is None and doc.author is None


def test_html_page_with_control_character_references_still_yields_text() -> None:
    entry = markup.read_page(PAGE.replace("Kamis", "Kamis &#x1b;[31m&#0;&#27;"))
    assert entry is not None and "Pertemuan itu membahas" in entry.doc_text
    assert "\x1b" not in entry.doc_text and "\x00" not in entry.doc_text


def test_html_page_with_no_text_is_skipped(tmp_path: Path) -> None:
    items = list(iter_inputs([write(tmp_path / "kosong.html", "<html><body></body></html>")]))
    assert skips(items) == {"kosong.html": "no article text found in the HTML page"}


def test_rss_entries_with_full_content_and_indonesian_dates(tmp_path: Path) -> None:
    path = write(tmp_path / "umpan.txt", RSS)
    items = list(iter_inputs([path]))
    first, second, third = docs(items)
    assert first.path == f"{path}#a-1" and first.format == "feed"
    assert first.title == "Menlu AS & Menlu Rusia Bicara"
    assert first.text == "Isi lengkap paragraf satu.\nParagraf & dua."  # content, not summary
    assert first.date == "2022-07-30T11:28+07:00"
    assert first.url == "https://www.contoh.id/a" and first.source == "contoh.id"
    assert second.path == f"{path}#https://www.contoh.id/b"  # no guid: keyed by its link
    assert second.date == "2022-08-01T08:00+07:00"
    assert third.date is None and third.text == "Isi ketiga."  # a bad date costs only the date
    assert third.source == "contoh.id"  # from the feed's own link


def test_atom_feed(tmp_path: Path) -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><link href="https://a.contoh.id/"/>
<id>urn:a</id><updated>2022-10-21T10:00:00Z</updated>
<entry><title>Judul Atom</title><link href="https://a.contoh.id/1"/><id>urn:a:1</id>
<published>2022-10-21T18:30:00+07:00</published><author><name>Budi</name></author>
<content type="html">&lt;p&gt;Isi atom.&lt;/p&gt;</content></entry></feed>"""
    (doc,) = docs(list(iter_inputs([write(tmp_path / "atom.xml", atom)])))
    assert (doc.title, doc.text, doc.author) == ("Judul Atom", "Isi atom.", "Budi")
    assert doc.date == "2022-10-21T18:30+07:00"
    assert doc.path.endswith("atom.xml#urn:a:1")


def test_jsonl_saved_as_txt_is_streamed_as_records(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"r{n}", "text": f"Isi rekaman {n}."}) for n in (1, 2)]
    path = write(tmp_path / "ekspor.txt", "\n".join(lines) + "\n")
    got = docs(list(iter_inputs([path])))
    assert [(d.path, d.record_id) for d in got] == [(f"{path}#1", "r1"), (f"{path}#2", "r2")]


def test_walk_reads_unknown_names_only_when_their_content_is_plainly_an_article_format(
    tmp_path: Path,
) -> None:
    write(tmp_path / "in" / "halaman", PAGE)
    write(tmp_path / "in" / "umpan.rss", RSS)
    write(tmp_path / "in" / "catatan.csv", "a,b\n1,2\n")
    write(tmp_path / "in" / "gambar.png", b"\x89PNG\r\n\x1a\n\x00")
    write(tmp_path / "in" / ".tersembunyi.txt", "rahasia")
    items = list(iter_inputs([tmp_path / "in"]))
    assert not [i for i in items if i.skipped is not None]
    assert len(docs(items)) == 4  # the page and three feed entries


def test_named_text_file_with_an_odd_extension_is_refused_with_advice(tmp_path: Path) -> None:
    items = list(iter_inputs([write(tmp_path / "catatan.csv", "a,b\n")]))
    assert "name it .txt" in skips(items)["catatan.csv"]


def test_jsonl_gzip_with_another_name_and_gzip_of_other_things(tmp_path: Path) -> None:
    line = json.dumps({"id": "g1", "text": "Isi terkompresi."}) + "\n"
    ok = write(tmp_path / "arsip.gz", gzip.compress(line.encode()))
    other = write(tmp_path / "teks.txt", gzip.compress(b"teks biasa " * 50))
    items = list(iter_inputs([ok, other]))
    assert [d.record_id for d in docs(items)] == ["g1"]
    assert skips(items) == {"teks.txt": "compressed file: only gzipped JSON Lines are read"}


def test_jsonl_with_legacy_lines_gets_one_note(tmp_path: Path) -> None:
    good = json.dumps({"id": "u", "text": "utf-8 biasa"}).encode()
    legacy = json.dumps({"id": "w", "text": "caf\u00e9"}, ensure_ascii=False).encode("cp1252")
    items = list(iter_inputs([write(tmp_path / "campur.jsonl", good + b"\n" + legacy + b"\n")]))
    assert [d.text for d in docs(items)] == ["utf-8 biasa", "café"]
    notes = [i.note.reason for i in items if i.note is not None]
    assert notes == ["1 line(s) read as Windows-1252"]


def test_overlong_jsonl_line_is_refused_without_being_gathered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 1000)
    big = json.dumps({"id": "big", "text": "x" * 5000})
    small = json.dumps({"id": "small", "text": "kecil"})
    items = list(iter_inputs([write(tmp_path / "r.jsonl", f"{big}\n{small}\n{big}")]))
    assert [d.record_id for d in docs(items)] == ["small"]
    assert [i.skipped.path.rsplit("#", 1)[1] for i in items if i.skipped] == ["1", "3"]


def test_iter_lines_across_chunks_and_limits() -> None:
    chunks = [b"satu\ndu", b"a\n", b"", b"tiga-panjang-sekali", b"\nempat"]
    assert list(iter_lines(chunks, 10)) == [(1, b"satu"), (2, b"dua"), (3, None), (4, b"empat")]
    assert list(iter_lines([b"a\n"], 10)) == [(1, b"a")]
    assert list(iter_lines([], 10)) == []


# -- stdin ---------------------------------------------------------------------------------


def test_stdin_text_is_keyed_by_content() -> None:
    first = list(read_stdin(io.BytesIO(b"Judul\n\nIsi dari pipa.")))
    again = list(read_stdin(io.BytesIO(b"Judul\n\nIsi dari pipa.")))
    other = list(read_stdin(io.BytesIO(b"Judul\n\nIsi lain.")))
    assert docs(first)[0].path == docs(again)[0].path
    assert docs(first)[0].path.startswith("stdin#")
    assert docs(first)[0].path != docs(other)[0].path


def test_stdin_jsonl_html_feed_and_binary() -> None:
    lines = b'{"id": "s1", "text": "satu"}\n{"id": "s2", "text": "dua"}\n'
    assert [d.record_id for d in docs(list(read_stdin(io.BytesIO(lines))))] == ["s1", "s2"]
    (page,) = docs(list(read_stdin(io.BytesIO(PAGE.encode()))))
    assert page.format == "html" and page.title == "Menhan Bertemu Mitra dari Jepang"
    entries = docs(list(read_stdin(io.BytesIO(RSS.encode()))))
    assert entries[0].path == "stdin#a-1"
    (bad,) = list(read_stdin(io.BytesIO(b"\x89PNG\r\n\x1a\n")))
    assert bad.skipped is not None and bad.skipped.path == "-"


def test_stdin_over_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    (item,) = list(read_stdin(io.BytesIO(b"kata " * 100)))
    assert item.skipped is not None and "over the 0 MB limit" in item.skipped.reason


def test_dash_in_inputs_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"Judul\n\nIsi."), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", fake)
    assert docs(list(iter_inputs(["-"])))[0].text == "Judul\n\nIsi."


# -- estimates -----------------------------------------------------------------------------


def test_estimate_total(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "x")
    write(tmp_path / "d" / "b.jsonl", "{}\n{}\n{}")
    with gzip.open(tmp_path / "d" / "c.jsonl.gz", "wb") as fh:
        fh.write(b"{}\n{}\n")
    assert readers.estimate_total([tmp_path / "d"]) == 6
    assert readers.estimate_total(["-"]) is None
    assert readers.estimate_total([tmp_path / "d"], budget_seconds=-1) is None


# -- properties ----------------------------------------------------------------------------

SUFFIXES = ["", ".txt", ".md", ".json", ".jsonl", ".html", ".xml", ".csv", ".jsonl.gz"]
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_under_any_name_give_documents_or_reasons_never_errors(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = write(tmp_path / f"masukan{suffix}", data)
    for item in iter_inputs([path]):
        assert (item.doc is None) != (item.skipped is None) or item.note is not None
        if item.skipped is not None:
            assert item.skipped.reason and not item.skipped.reason.startswith("reader error")
        if item.doc is not None:
            assert item.doc.text.strip() and item.doc.path.startswith(str(path))


markup_text = st.text(
    alphabet=st.sampled_from([*string.printable, "é", "“", "&", "<", ">", "\x1b", "\x00"]),
    max_size=400,
)


@PROPERTY
@given(body=markup_text, tag=st.sampled_from(["p", "div", "script", "b", "rss", "feed", "x"]))
def test_markup_like_text_never_breaks_a_reader(tmp_path: Path, body: str, tag: str) -> None:
    data = f"<{tag}>{body}</{tag}>".encode("utf-8", "surrogatepass")
    for name in ("a.html", "a.xml", "a.txt", "a"):
        for item in iter_inputs([write(tmp_path / name, data)]):
            if item.doc is not None:
                assert "\x00" not in item.doc.text


@PROPERTY
@given(text=st.text(min_size=1, max_size=300))
def test_text_round_trips_through_every_encoding_it_fits(text: str) -> None:
    controls = (c for c in text if (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) < 0xA0)
    if not text.strip() or any(controls):
        return  # control characters are what binary data is recognised by
    assert decode_bytes(text.encode("utf-8")).text == text.removeprefix("\ufeff")
    try:
        legacy = text.encode("cp1252")
    except UnicodeEncodeError:
        return
    found = decode_bytes(legacy)
    # Legacy bytes that happen to be valid UTF-8 are read as UTF-8: nothing can tell them apart.
    if found.note is not None and found.note.startswith("not UTF-8"):
        assert found.text == text


@PROPERTY
@given(
    records=st.lists(
        st.fixed_dictionaries(
            {"id": st.text(min_size=1, max_size=10), "text": st.text(min_size=1, max_size=200)}
        ),
        max_size=8,
    ),
    cut=st.integers(min_value=0, max_value=5000),
)
def test_jsonl_records_round_trip_and_a_cut_costs_one_line(
    tmp_path: Path, records: list[dict[str, str]], cut: int
) -> None:
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    whole = list(iter_inputs([write(tmp_path / "r.jsonl", data)]))
    expected = [r["text"] for r in records if r["text"].strip()]
    assert [d.text for d in docs(whole)] == expected
    cut_items = list(iter_inputs([write(tmp_path / "cut.jsonl", data[:cut])]))
    assert len(docs(cut_items)) >= min(len(expected), data[:cut].count(b"\n")) - len(records)
    assert len(docs(cut_items)) <= len(expected)
