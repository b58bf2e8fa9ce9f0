"""Tests of stale entity spans: a user lexicon edited after import, through Library and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from warta.index import Library, fingerprint
from warta.index.fingerprint import spans_fingerprint
from warta.tui.cli import STALE_NOTICE, main

NEW_ID = "ratna-wulandari-kusumo"

ARTICLE = """Rapat koordinasi kerja sama Indonesia dan Jepang

JAKARTA - Rapat koordinasi di Jakarta pada Senin (3/3/2025) dihadiri Ratna Wulandari Kusumo
bersama sejumlah pejabat. Ratna Kusumo mengatakan kerja sama dengan Jepang akan diperluas
tahun ini.
"""

OTHER = """Pelabuhan baru dibuka di Surabaya

SURABAYA - Pelabuhan baru di Surabaya dibuka pada Selasa (4/3/2025). Ratna Kusumo hadir dalam
pembukaan itu bersama para pengusaha.
"""

USER_LEXICON = f"""officials:
  - id: {NEW_ID}
    name: Ratna Wulandari Kusumo
    aliases: [Ratna Kusumo]
    country: ID
    roles:
      - role: menteri
        of: ID
        from: 2024-10-21
"""


def _user_dir() -> Path:
    return Path(os.environ["WARTA_CONFIG_DIR"]) / "lexicons"


def _write_user_lexicon(text: str = USER_LEXICON) -> Path:
    directory = _user_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    """A data directory holding one article, analysed with the bundled lexicons only."""
    data = tmp_path / "data"
    source = tmp_path / "rapat.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    with Library(data, seed=False) as library:
        report = library.add([source])
        assert report.added == 1
        return data, report.article_ids[0]


def _run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[str, str]:
    capsys.readouterr()
    assert main(["--data-dir", str(data), *args]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def _listing_commands(article_id: str) -> list[list[str]]:
    return [
        ["search", "--json", f"entity:{NEW_ID}"],
        ["search", "rapat"],
        ["entities", "--json"],
        ["entities", "--article", article_id, "--json"],
        ["events", "--json"],
        ["related", article_id, "--json"],
    ]


# -- the fingerprint -----------------------------------------------------------------------------
def test_fingerprint_follows_the_bytes_of_user_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert spans_fingerprint(empty) == spans_fingerprint(False)
    one, two = tmp_path / "one", tmp_path / "two" / "deeper"
    for directory in (one, two):
        (directory / "sub").mkdir(parents=True)
        (directory / "sub" / "mine.yaml").write_text(USER_LEXICON, encoding="utf-8")
        (directory / "notes.txt").write_text("not a lexicon", encoding="utf-8")
    # Where the files live does not matter, their names and contents do.
    assert spans_fingerprint(one) == spans_fingerprint(two) != spans_fingerprint(False)
    (two / "notes.txt").write_text("still not a lexicon", encoding="utf-8")
    assert spans_fingerprint(one) == spans_fingerprint(two)
    (two / "sub" / "mine.yaml").write_text(USER_LEXICON.replace("Ratna Kusumo", "Bu Ratna"))
    assert spans_fingerprint(one) != spans_fingerprint(two)
    (one / "sub" / "mine.yaml").rename(one / "sub" / "yours.yaml")
    assert spans_fingerprint(one) != spans_fingerprint(tmp_path / "one-never-made")


def test_fingerprint_follows_the_extractor_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = spans_fingerprint(False)
    monkeypatch.setattr(fingerprint, "EXTRACTOR_VERSION", fingerprint.EXTRACTOR_VERSION + 1)
    assert spans_fingerprint(False) != before


# -- no change, no notice ------------------------------------------------------------------------
def test_unchanged_lexicons_print_no_notice(
    store: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data, article_id = store
    with Library(data) as library:
        assert not library.lexicons_changed()
    for command in _listing_commands(article_id):
        _, err = _run(capsys, data, *command)
        assert STALE_NOTICE not in err, command
    out, _ = _run(capsys, data, "show", article_id, "--json")
    assert NEW_ID not in {e["entity_id"] for e in json.loads(out)["entities"]}


# -- a user lexicon edited after import ----------------------------------------------------------
def test_user_official_is_shown_then_searchable_after_reindex(
    store: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data, article_id = store
    _write_user_lexicon()

    # `show` finds the spans again: the new official is highlighted before any reindex.
    out, err = _run(capsys, data, "show", article_id, "--json")
    shown = json.loads(out)
    assert STALE_NOTICE not in err
    new = [e for e in shown["entities"] if e["entity_id"] == NEW_ID]
    assert [shown["text"][e["start"] : e["end"]] for e in new] == [
        "Ratna Wulandari Kusumo",
        "Ratna Kusumo",
    ]
    assert all(e["kind"] == "official" and e["listed"] for e in new)

    # Listings still come from the stored spans: stdout as before, the notice on stderr.
    for command in _listing_commands(article_id):
        out, err = _run(capsys, data, *command)
        assert err.count(STALE_NOTICE) == 1, command
        assert STALE_NOTICE not in out
        if "--json" in command:
            json.loads(out)  # stdout is one JSON document and nothing else
    out, _ = _run(capsys, data, "search", "--json", f"entity:{NEW_ID}")
    assert json.loads(out)["total"] == 0

    out, err = _run(capsys, data, "reindex")
    assert "1 articles reindexed" in out

    out, err = _run(capsys, data, "search", "--json", f"entity:{NEW_ID}")
    assert [h["id"] for h in json.loads(out)["hits"]] == [article_id]
    assert STALE_NOTICE not in err
    out, err = _run(capsys, data, "entities", "--json")
    assert NEW_ID in {e["entity_id"] for e in json.loads(out)["entities"]}
    assert STALE_NOTICE not in err


def test_reader_gets_current_spans_through_the_library(store: tuple[Path, str]) -> None:
    data, article_id = store
    _write_user_lexicon()
    with Library(data) as library:
        assert library.lexicons_changed()
        spans = library.spans(article_id)
        assert NEW_ID in {s.entity_id for s in spans}
        assert library.spans(article_id) == spans  # kept, not found again
        text = library.article(article_id).text
        assert all(text[s.start : s.end] == s.text for s in spans)
        # The article's entity list agrees with its highlights; the corpus-wide one is stored.
        assert NEW_ID in {e.entity_id for e in library.entities(article_id)}
        assert NEW_ID not in {e.entity_id for e in library.entities()}
        assert library.articles_naming(NEW_ID) == []
        library.reindex()
        assert not library.lexicons_changed()
        assert [a.id for a in library.articles_naming(NEW_ID)] == [article_id]
        assert library.derived.spans(article_id) == spans


def test_articles_added_after_a_change_keep_the_store_stale(
    store: tuple[Path, str], tmp_path: Path
) -> None:
    data, _ = store
    user_file = _write_user_lexicon()
    other = tmp_path / "pelabuhan.txt"
    other.write_text(OTHER, encoding="utf-8")
    with Library(data) as library:
        library.add([other])
        assert library.lexicons_changed()
    # Back to the lexicons the first article was analysed with: the second one's spans now
    # name an official the lexicons no longer know, so the stores are still out of date.
    user_file.unlink()
    with Library(data) as library:
        assert library.lexicons_changed()
        library.reindex()
        assert not library.lexicons_changed()
        assert library.articles_naming(NEW_ID) == []


def test_a_new_extractor_version_makes_the_index_stale(
    store: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, _ = store
    monkeypatch.setattr(fingerprint, "EXTRACTOR_VERSION", fingerprint.EXTRACTOR_VERSION + 1)
    with Library(data) as library:
        assert library.lexicons_changed()


def test_the_check_neither_loads_spacy_nor_parses_yaml(store: tuple[Path, str]) -> None:
    data, _ = store
    _write_user_lexicon()
    code = (
        "import sys, yaml\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('YAML parsed on the fast path')\n"
        "yaml.SafeLoader.__init__ = refuse\n"
        "yaml.CSafeLoader.__init__ = refuse\n"
        "from warta.tui.cli import main\n"
        f"assert main(['--data-dir', {str(data)!r}, 'search', 'rapat']) == 0\n"
        "assert 'spacy' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert STALE_NOTICE in done.stderr


def test_reindex_of_a_long_lived_library_uses_the_lexicons_as_they_are_now(
    tmp_path: Path,
) -> None:
    source = tmp_path / "rapat.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    with Library(tmp_path / "data", seed=False) as library:
        article_id = library.add([source]).article_ids[0]
        _write_user_lexicon()
        library.reindex()
        assert [a.id for a in library.articles_naming(NEW_ID)] == [article_id]
        assert library.entity(NEW_ID).name == "Ratna Wulandari Kusumo"
    with Library(tmp_path / "data") as library:
        assert not library.lexicons_changed()
