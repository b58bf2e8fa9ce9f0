"""Tests of the store through the Library facade: add, update, dedupe, search, snippets."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from warta.index import Library, NotFound, QueryError
from warta.index.library import bundled_seeds

ARTICLE = """Menhan Bertemu Mitra dari Jepang

JAKARTA - Menteri Pertahanan bertemu dengan mitranya dari Jepang di Bekasi pada Senin.
Pertemuan itu membahas latihan bersama dan pengadaan kapal patroli.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def record(n: int, text: str | None = None, **extra: object) -> str:
    body = (
        text
        if text is not None
        else f"Artikel nomor {n} tentang pertemuan bilateral ke-{n} di Jakarta. " * 3
    )
    data = {"id": f"test:{n}", "source": "contoh.id", "title": f"Judul {n}", "text": body}
    data.update(extra)
    return json.dumps(data)


# -- seeds and first use -----------------------------------------------------------------


def test_empty_data_dir_is_filled_with_the_seeds(library: Library) -> None:
    assert library.count() == 5
    ids = {hit.path for hit in library.search("shoigu").hits}
    assert {"seeds/000_748064ef28cb275b.txt", "seeds/001_6835b0f9e23a20f8.txt"} <= ids
    assert "seeds/002_b8ddf531c7eeec7a.txt" in ids


def test_seeds_are_package_data() -> None:
    names = [p.name for p in bundled_seeds()]
    assert len(names) == 5 and all(n.endswith(".txt") for n in names)


def test_seeds_are_not_added_again_once_removed_from_an_existing_library(data_dir: Path) -> None:
    with Library(data_dir) as lib:
        assert lib.count() == 5
    with Library(data_dir) as lib:
        assert lib.count() == 5


# -- add, update, dedupe -----------------------------------------------------------------


def test_add_text_file_then_readd_is_unchanged(empty_library: Library, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    first = empty_library.add([path])
    assert (first.added, first.updated, first.unchanged) == (1, 0, 0)
    again = empty_library.add([path])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    assert empty_library.count() == 1


def test_changed_file_is_updated_in_place(empty_library: Library, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    empty_library.add([path])
    article_id = empty_library.article(str(path)).id
    write(path, ARTICLE + "\nKapal patroli itu dibuat di Surabaya.\n")
    report = empty_library.add([path])
    assert (report.added, report.updated) == (0, 1)
    assert empty_library.count() == 1
    assert empty_library.article(article_id).text.endswith("dibuat di Surabaya.")
    assert [h.id for h in empty_library.search("surabaya").hits] == [article_id]


def test_same_article_by_two_paths_is_stored_once(empty_library: Library, tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", ARTICLE)
    b = write(tmp_path / "copy" / "b.md", ARTICLE)
    report = empty_library.add([a, b])
    assert (report.added, report.unchanged) == (1, 1)
    assert empty_library.count() == 1
    assert empty_library.article(str(b)).id == empty_library.article(str(a)).id


def test_directories_are_read_recursively(empty_library: Library, tmp_path: Path) -> None:
    write(tmp_path / "in" / "x" / "one.txt", ARTICLE)
    write(tmp_path / "in" / "y" / "two.md", ARTICLE.replace("Jepang", "Korea Selatan"))
    write(tmp_path / "in" / "notes.csv", "a,b\n")  # not an article format: ignored in a walk
    report = empty_library.add([tmp_path / "in"])
    assert report.added == 2 and not report.skipped


def test_json_and_jsonl_records(empty_library: Library, tmp_path: Path) -> None:
    jsonl = write(tmp_path / "news.jsonl", "\n".join(record(n) for n in range(1, 4)) + "\n")
    single = write(tmp_path / "one.json", record(9))
    many = write(tmp_path / "many.json", "[" + record(10) + "," + record(11) + "]")
    report = empty_library.add([jsonl, single, many])
    assert report.added == 6 and not report.skipped
    art = empty_library.article("test:2")
    assert art.path == f"{jsonl.resolve()}#2"
    assert art.title == "Judul 2" and art.source == "contoh.id"
    assert empty_library.article(f"{many.resolve()}#2").id == "test:11"


# -- bad input -----------------------------------------------------------------------------


def test_bad_inputs_are_reported_and_good_ones_still_imported(
    empty_library: Library, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.txt", ARTICLE)
    (tmp_path / "latin1.txt").write_bytes("Berita caf\xe9 di Bandung".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "empty.txt").write_bytes(b"")
    write(tmp_path / "blank.md", "   \n\t\n")
    lines = [record(1), "{not json", record(2, text=""), "[1, 2]", record(3)]
    jsonl = write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    report = empty_library.add(
        [good, tmp_path / "latin1.txt", tmp_path / "binary.txt", tmp_path / "empty.txt",
         tmp_path / "blank.md", jsonl, tmp_path / "missing.txt"]
    )  # fmt: skip
    assert report.added == 4  # latin1.txt is read as Windows-1252, with a note

    def short(path: str) -> str:
        file, _, line = path.partition("#")
        return Path(file).name + (f"#{line}" if line else "")

    reasons = {short(s.path): s.reason for s in report.skipped}
    assert "latin1.txt" not in reasons
    assert [(Path(n.path).name, n.reason) for n in report.notes] == [
        ("latin1.txt", "not UTF-8: read as Windows-1252")
    ]
    assert "binary" in reasons["binary.txt"]
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.md"] == "empty file"
    assert "invalid JSON" in reasons["mixed.jsonl#2"]
    assert reasons["mixed.jsonl#3"] == "record has no text"
    assert "expected a JSON object" in reasons["mixed.jsonl#4"]
    assert reasons["missing.txt"] == "no such file or directory"


def test_oversized_file_is_refused(
    empty_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warta.index import readers

    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    path = write(tmp_path / "big.txt", ARTICLE * 5)
    report = empty_library.add([path])
    assert report.added == 0
    assert "over the" in report.skipped[0].reason


def test_deeply_nested_json_is_refused_cleanly(empty_library: Library, tmp_path: Path) -> None:
    path = write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    report = empty_library.add([path])
    assert report.added == 0 and "invalid JSON" in report.skipped[0].reason


# -- search ------------------------------------------------------------------------------


@pytest.fixture
def searchable(empty_library: Library, tmp_path: Path) -> Library:
    docs = [
        record(1, "Presiden bertemu Perdana Menteri Jepang di Bali untuk membahas perdagangan.",
               title="Presiden di Bali", date="2022-05-19"),
        record(2, "Menlu AS dan Menlu Rusia melakukan panggilan telepon membahas Ukraina.",
               title="Teleponan AS-Rusia", date="2022-07-29", source="detik.com"),
        record(3, "Harga beras naik di Bekasi. Pedagang mengeluh soal pasokan.",
               title="Harga beras", date="2023-01-10", source="kompas.com"),
        record(4, "Pasar bekas di Jakarta ramai pengunjung menjelang Lebaran.",
               title="Pasar barang bekas", date="2023-02-01"),
    ]  # fmt: skip
    empty_library.add([write(tmp_path / "s.jsonl", "\n".join(docs) + "\n")])
    return empty_library


def ids(lib: Library, query: str) -> list[str]:
    return [h.id for h in lib.search(query).hits]


def test_stemmed_search_finds_inflected_forms(searchable: Library) -> None:
    assert ids(searchable, "pertemuan") == ["test:1"]
    assert ids(searchable, "teleponan") == ["test:2"]


def test_proper_noun_is_not_confused_with_its_false_stem(searchable: Library) -> None:
    assert ids(searchable, "bekasi") == ["test:3"]
    assert ids(searchable, "bekas") == ["test:4"]


def test_hyphenated_query_and_halves(searchable: Library) -> None:
    assert ids(searchable, "rusia") == ["test:2"]
    assert "test:2" in ids(searchable, "AS-Rusia")


def test_title_is_boosted(searchable: Library) -> None:
    assert ids(searchable, "beras")[0] == "test:3"


def test_phrase_boolean_field_and_date_queries(searchable: Library) -> None:
    assert ids(searchable, '"panggilan telepon"') == ["test:2"]
    assert ids(searchable, '"telepon panggilan"') == []
    assert ids(searchable, "beras AND pedagang") == ["test:3"]
    assert ids(searchable, "beras NOT pedagang") == []
    assert sorted(ids(searchable, "bali OR bekasi")) == ["test:1", "test:3"]
    assert ids(searchable, "title:teleponan") == ["test:2"]
    assert ids(searchable, "source:kompas") == ["test:3"]
    assert ids(searchable, "source:detik.com") == ["test:2"]
    assert ids(searchable, "published:2022-05") == ["test:1"]
    assert sorted(ids(searchable, "published:2023")) == ["test:3", "test:4"]
    assert sorted(ids(searchable, "published:[2022-07 to 2023-01]")) == ["test:2", "test:3"]


def test_results_carry_marked_snippets(searchable: Library) -> None:
    hit = searchable.search("pertemuan").hits[0]
    assert "**bertemu**" in hit.snippet
    assert hit.title == "Presiden di Bali" and hit.published == "2022-05-19"
    assert hit.score > 0


def test_total_counts_every_match_beyond_the_limit(empty_library: Library, tmp_path: Path) -> None:
    lines = "\n".join(record(n) for n in range(1, 31))
    empty_library.add([write(tmp_path / "m.jsonl", lines)])
    results = empty_library.search("bilateral", limit=5)
    assert results.total == 30 and len(results.hits) == 5


def test_malformed_query_raises_query_error_or_matches_nothing(searchable: Library) -> None:
    for query in ['"unclosed', "published:[2022 to", "AND", "title:", "(((", "*"]:
        with contextlib.suppress(QueryError):
            searchable.search(query)


def test_unknown_article_raises_not_found(searchable: Library) -> None:
    with pytest.raises(NotFound):
        searchable.article("nope")


# -- durability ----------------------------------------------------------------------------


def test_reindex_rebuilds_and_keeps_user_state(searchable: Library) -> None:
    searchable.set_read("test:1")
    searchable.set_bookmark("test:2")
    assert searchable.reindex() == 4
    assert ids(searchable, "pertemuan") == ["test:1"]
    assert searchable.read_ids() == {"test:1"}
    assert searchable.bookmarks() == ["test:2"]


def test_missing_index_is_rebuilt_from_sources(data_dir: Path) -> None:
    with Library(data_dir) as lib:
        lib.set_bookmark("x")
    import shutil

    shutil.rmtree(data_dir / "index")
    with Library(data_dir) as lib:
        assert any("rebuilt" in n for n in lib.notices)
        assert len(lib.search("shoigu").hits) == 3
        assert lib.bookmarks() == ["x"]


def test_corrupt_index_is_rebuilt_from_sources(data_dir: Path) -> None:
    Library(data_dir).close()
    for f in (data_dir / "index").iterdir():
        if f.suffix == ".toc":
            f.write_bytes(b"garbage")
    with Library(data_dir) as lib:
        assert any("rebuilt" in n for n in lib.notices)
        assert len(lib.search("shoigu").hits) == 3


def test_interrupted_write_is_reconciled_on_open(data_dir: Path, tmp_path: Path) -> None:
    """The index committed but the sources did not (a kill in between): the extra goes."""
    with Library(data_dir, seed=False) as lib:
        writer = lib.fulltext.writer()
        from warta.index.models import Article

        ghost = Article(id="ghost", path="x", title="Hantu", text="artikel hantu", content_hash="0")
        writer.add_document(**lib.fulltext.document(ghost))
        writer.commit()
        (data_dir / "index.dirty").touch()
    with Library(data_dir, seed=False) as lib:
        assert lib.search("hantu").total == 0
        assert not (data_dir / "index.dirty").exists()


def test_second_writer_waits_then_fails_clearly(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    from warta.index import LockBusy
    from warta.index import library as library_module

    monkeypatch.setattr(library_module, "LOCK_WAIT_SECONDS", 0.3)
    with (library.data_dir / "write.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(LockBusy, match="another warta process"):
            library.add([write(tmp_path / "a.txt", ARTICLE)])
    assert library.add([tmp_path / "a.txt"]).added == 1


def test_user_state_persists(data_dir: Path) -> None:
    with Library(data_dir) as lib:
        lib.set_read("a")
        lib.set_read("b")
        lib.set_read("b", False)
        lib.put_state("last", "a")
    with Library(data_dir) as lib:
        assert lib.read_ids() == {"a"}
        assert lib.get_state("last") == "a"
    assert (data_dir / "user.sqlite").exists()
    assert os.path.exists(data_dir / "sources.sqlite")


def test_gzipped_jsonl_is_streamed_and_damage_reported(
    empty_library: Library, tmp_path: Path
) -> None:
    import gzip

    good = tmp_path / "news.jsonl.gz"
    with gzip.open(good, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(record(n) for n in range(1, 4)) + "\n")
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(good.read_bytes()[:-20])
    report = empty_library.add([good, broken])
    assert report.added == 3
    assert report.skipped and report.skipped[0].path == str(broken.resolve())
    assert report.skipped[0].reason.startswith("cannot read")


def test_plain_words_also_search_entity_names_but_phrases_only_text(library: Library) -> None:
    # Seeds never write "Menhan Rusia"; the entities they name are known by that alias.
    assert library.search("Menhan Rusia").total == 3
    assert library.search('"Menhan Rusia"').total == 0
    parsed = str(library.fulltext.parse("Menhan Rusia"))
    assert "names:" in parsed and "names:" not in str(library.fulltext.parse("title:menhan"))
