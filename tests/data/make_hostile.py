"""Provides the generator of tests/data/hostile/: broken and hostile inputs beside good ones.

Run `python tests/data/make_hostile.py` to rewrite the corpus; the tests check that the
committed files are what this script makes. The 50 MB file is not committed: tests make it
with `write_huge()` in a temporary directory.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "hostile"

GOOD_TEXT = (
    "Menhan Bertemu Mitra dari Jepang\n\n"
    "JAKARTA - Menteri Pertahanan bertemu dengan mitranya dari Jepang di Bekasi pada Senin.\n"
    "Pertemuan itu membahas latihan bersama dan pengadaan kapal patroli.\n"
)

INVALID_UTF8_TEXT = (
    "Menhan Bertemu Mitra dari Korea\n\n"
    "JAKARTA \u2013 Menteri Pertahanan bertemu mitranya dari Korea di Bekasi pada Selasa.\n"
    "\u201cKami siap bekerja sama,\u201d kata Menteri di sebuah kafe bernama Caf\u00e9 Pagi.\n"
)

CP1252_TEXT = (
    "Harga Kopi Naik di Pasar Kintamani\n\n"
    "BANGLI \u2013 Harga kopi arabika di pasar Kintamani naik menjadi Rp120.000 per kilogram.\n"
    "\u201cPanen tahun ini kurang bagus,\u201d kata Made, petani kopi pemilik caf\u00e9.\n"
)

LATIN1_TEXT = (
    "Festival Budaya di M\u00fcnchen Diikuti Penari Bali\n\n"
    "Penari asal Gianyar tampil di M\u00fcnchen, Jerman, dalam festival budaya \u00bbWelt\u00ab.\n"
    "Pertunjukan itu ditonton sekitar 2.000 orang, kata panitia festival.\n"
)

ANSI_RICH_TEXT = (
    "Polisi Tangkap Pelaku Penipuan Daring\n\n"
    "\x1b[31mSURABAYA\x1b[0m - Polisi menangkap [bold red]tiga pelaku[/bold red] penipuan "
    "daring di Surabaya.\x07 Pelaku memakai [link=https://contoh.invalid]tautan palsu[/link].\n"
    "\x1b]8;;https://contoh.invalid\x1b\\Klik di sini\x1b]8;;\x1b\\ bukan bagian berita. "
    "Teks \u202eterbalik\u202c disisipkan. [/] Kerugian korban mencapai Rp50 juta.\n"
)

HTML_PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Warga Gotong Royong Bersihkan Sungai &amp; Pantai - contoh.id</title>
<meta property="og:title" content="Warga Gotong Royong Bersihkan Sungai &amp; Pantai">
<meta property="article:published_time" content="2023-03-04T09:15:00+07:00">
<meta name="author" content="Siti Rahma">
<link rel="canonical" href="https://www.contoh.id/berita/2023/03/04/gotong-royong">
<script>document.title = "<b>dibajak</b>"; fetch("https://contoh.invalid/track");</script>
<style>body { background: url(javascript:alert(1)) }</style>
</head>
<body onload="alert('onload')">
<nav><ul><li><a href="/">Beranda</a></li><li><a href="/daerah">Daerah</a></li></ul></nav>
<article>
<h1>Warga Gotong Royong Bersihkan Sungai &amp; Pantai</h1>
<p>Ratusan warga Kota Padang bergotong royong membersihkan sungai &amp; pantai pada Sabtu pagi.
Mereka mengumpulkan lebih dari 2&nbsp;ton sampah plastik &lt;script&gt; yang terbawa arus.</p>
<script>alert("di dalam artikel")</script>
<p class="baca-juga"><strong>Baca juga:</strong> <a href="/lain">Banjir Rob Landa Pesisir</a></p>
<p>Wali kota mengatakan kegiatan itu akan diulang setiap bulan &#8212; &#x201C;kita mulai dari
lingkungan sendiri&#x201D;, ujarnya. Kode &#x1b;[31m tidak boleh mewarnai terminal.</p>
<p>Dinas Lingkungan Hidup menyediakan truk pengangkut dan kantong sampah bagi warga.</p>
</article>
<section id="comments" class="comments"><h3>Komentar</h3>
<div class="comment"><p>Komentar pembaca: mantap, lanjutkan terus kegiatan ini pak!</p></div>
</section>
<footer><p>&copy; 2023 contoh.id. Hak cipta dilindungi.</p></footer>
<script src="https://contoh.invalid/ads.js"></script>
</body></html>
"""

FEED_BAD_DATE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Contoh Berita</title><link>https://www.contoh.id/</link>
<item>
  <title>Menlu Bertemu Duta Besar Jepang</title>
  <link>https://www.contoh.id/berita/menlu-jepang</link>
  <guid>contoh-1</guid>
  <pubDate>Sabtu, 30 Jul 2022 11:28 WIB</pubDate>
  <content:encoded><![CDATA[<p>Menteri Luar Negeri bertemu Duta Besar Jepang di Jakarta.</p>
  <script>alert(1)</script><p>Keduanya membahas kerja sama maritim.</p>]]></content:encoded>
</item>
<item>
  <title>Tanggal Rusak Tidak Menggagalkan Impor</title>
  <link>https://www.contoh.id/berita/tanggal-rusak</link>
  <guid>contoh-2</guid>
  <pubDate>Hari Kiamat, 99 Foo 20222 25:61 XYZ</pubDate>
  <description>&lt;p&gt;Berita bertanggal rusak tetap diimpor.&lt;/p&gt;</description>
</item>
<item>
  <title>Entri Tanpa Isi</title>
  <guid>contoh-3</guid>
  <pubDate>Mon, 01 Aug 2022 08:00:00 +0700</pubDate>
</item>
</channel></rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Contoh Atom</title><link href="https://atom.contoh.id/"/>
<id>urn:contoh:atom</id><updated>2022-10-21T10:00:00+07:00</updated>
<entry>
  <title>Menhan AS dan Menhan Rusia Bicara Lewat Telepon</title>
  <link href="https://atom.contoh.id/menhan-telepon"/>
  <id>urn:contoh:atom:1</id>
  <published>2022-10-21T18:30:00+07:00</published>
  <updated>2022-10-22T07:00:00+07:00</updated>
  <author><name>Budi Santoso</name></author>
  <summary>Ringkasan pendek.</summary>
  <content type="html">&lt;p&gt;Menteri Pertahanan AS menelepon Menteri Pertahanan Rusia pada
  Jumat.&lt;/p&gt;&lt;p&gt;Pembicaraan membahas situasi di Ukraina.&lt;/p&gt;</content>
</entry>
</feed>
"""

PYTHON_TAG_YAML = """places:
  - id: jebakan
    name: !!python/object/apply:os.system ["echo dieksekusi > /tmp/warta-hostile-pwned"]
    type: city
"""

ALIAS_BOMB_YAML = """places:
  - id: bom
    name: Bom
    type: city
    aliases: &a9 [&a8 [&a7 [&a6 [&a5 [&a4 [&a3 [&a2 [&a1 [&a0 [lol, lol, lol, lol, lol, lol,
      lol, lol, lol], *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0], *a1, *a1, *a1, *a1, *a1, *a1,
      *a1, *a1], *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2], *a3, *a3, *a3, *a3, *a3, *a3, *a3,
      *a3], *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4], *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5],
      *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6], *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7], *a8,
      *a8, *a8, *a8, *a8, *a8, *a8, *a8]
"""


def record(n: int, text: str) -> str:
    return json.dumps({"id": f"hostile:{n}", "title": f"Rekaman {n}", "text": text})


def corpus() -> dict[str, bytes]:
    """File name (relative to hostile/) -> bytes."""
    rng = random.Random(6)
    good_line = "Rapat kabinet membahas harga pangan dan pasokan beras di daerah. " * 3
    broken_lines = [
        record(1, good_line).encode(),
        b'{"id": "hostile:2", "title": "Terpotong", "text": "baris ini ber',
        b"[1, 2, 3]",
        b'{"id": "hostile:4", "text": ""}',
        b"\x00\x01\x02 biner di tengah\x00",
        record(6, "Gubernur meresmikan jembatan baru di Kalimantan. " * 3).encode(),
        json.dumps(
            {
                "id": "hostile:7",
                "text": "Harga kopi di \u201ccaf\u00e9\u201d naik di Jakarta. " * 4,
            },
            ensure_ascii=False,
        ).encode("cp1252"),
        b"   ",
        record(9, "Banjir melanda tiga kecamatan di Bandung Selatan. " * 3).encode()[:-30],
    ]
    deep_line = ('{"id": "deep", "text": ' + "[" * 20_000 + "]" * 20_000 + "}").encode()
    return {
        "good.txt": GOOD_TEXT.encode(),
        "good-page.html": HTML_PAGE.encode(),
        "atom.xml": ATOM_FEED.encode(),
        "cp1252.txt": CP1252_TEXT.encode("cp1252"),
        "latin1.txt": LATIN1_TEXT.encode("latin-1"),
        # UTF-8 (curly quotes, an accent) damaged by a stray byte and a cut sequence.
        "invalid-utf8.txt": INVALID_UTF8_TEXT.encode()
        .replace(b"Bekasi", b"Beka\xffsi")
        .replace(b"Menteri", b"Ment\xc3\x28ri"),
        "binary-png.txt": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)),
        "binary-noise.md": bytes(rng.randrange(1, 256) for _ in range(4000)),
        "gzip-not-jsonl.txt": gzip.compress(b"hanya teks biasa, bukan JSON Lines\n" * 20, mtime=0),
        "empty.txt": b"",
        "whitespace.md": b"  \n\t\n \r\n   ",
        "deep.json": b"[" * 20_000 + b"]" * 20_000,
        "deep-line.jsonl": deep_line + b"\n" + record(10, good_line).encode() + b"\n",
        "broken.jsonl": b"\n".join(broken_lines),
        "feed-bad-date.xml": FEED_BAD_DATE.encode(),
        "feed-as-text.txt": FEED_BAD_DATE.replace("contoh-", "teks-")
        .replace("Menlu Bertemu", "Wamenlu Bertemu")
        .replace("Tanggal Rusak", "Tanggal Rusak Lagi")
        .encode(),
        "not-a-feed.xml": b'<?xml version="1.0"?><catalog><book id="1">Buku</book></catalog>',
        "html-with-scripts": HTML_PAGE.replace("Padang", "Pariaman").encode(),
        "ansi-rich.txt": ANSI_RICH_TEXT.encode(),
        "records-as-text.txt": (
            record(20, "Presiden membuka pameran industri kreatif di Jakarta. " * 3)
            + "\n"
            + record(21, "Menteri meninjau pembangunan bendungan di Jawa Tengah. " * 3)
            + "\n"
        ).encode(),
        "lexicons/python-tag.yaml": PYTHON_TAG_YAML.encode(),
        "lexicons/alias-bomb.yaml": ALIAS_BOMB_YAML.encode(),
    }


HUGE_BYTES = 50 * 1024 * 1024


def write_huge(path: Path, size: int = HUGE_BYTES) -> Path:
    """A plain text file of `size` bytes, written in pieces (never held whole)."""
    line = ("Berita panjang yang tidak ada habisnya tentang harga beras. " * 16 + "\n").encode()
    with path.open("wb") as fh:
        left = size
        while left > 0:
            piece = line[: min(len(line), left)]
            fh.write(piece)
            left -= len(piece)
    return path


def main() -> int:
    for name, data in corpus().items():
        target = HERE / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(corpus())} files under {HERE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
