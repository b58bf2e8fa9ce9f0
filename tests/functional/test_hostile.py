"""Tests that hostile and broken inputs are each reported or handled, and good ones beside them
imported: through the real `warta` command, the readers and the lexicon checker."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from tests.data import make_hostile
from tests.functional.test_cli import run

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"


def test_committed_corpus_is_what_the_generator_makes() -> None:
    made = make_hostile.corpus()
    on_disk = {
        str(p.relative_to(HOSTILE)): p.read_bytes() for p in HOSTILE.rglob("*") if p.is_file()
    }
    assert on_disk == made, "run `python tests/data/make_hostile.py` and commit the result"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], str, Path]:
    data_dir = tmp_path_factory.mktemp("hostile") / "d"
    result = run("add", str(HOSTILE), "--json", data_dir=data_dir)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout), result.stderr, data_dir


def _short(path: str) -> str:
    file, _, rest = path.partition("#")
    return Path(file).name + (f"#{rest}" if rest else "")


def test_every_bad_input_is_skipped_with_its_reason(
    imported: tuple[dict[str, object], str, Path],
) -> None:
    report, _, _ = imported
    skipped = report["skipped"]
    assert isinstance(skipped, list)
    reasons = {_short(s["path"]): s["reason"] for s in skipped}
    assert reasons == {
        "binary-png.txt": "binary file (PNG image), not text",
        "binary-noise.md": "binary file (control bytes), not text",
        "gzip-not-jsonl.txt": "compressed file: only gzipped JSON Lines are read",
        "empty.txt": "empty file",
        "whitespace.md": "empty file",
        "deep.json": "invalid JSON: nested too deeply",
        "deep-line.jsonl#1": "invalid JSON: nested too deeply",
        "broken.jsonl#2": reasons["broken.jsonl#2"],
        "broken.jsonl#3": "expected a JSON object, got list",
        "broken.jsonl#4": "record has no text",
        "broken.jsonl#5": "binary file (NUL bytes), not text",
        "broken.jsonl#9": reasons["broken.jsonl#9"],
        "feed-bad-date.xml#contoh-3": "feed entry has no text",
        "feed-as-text.txt#teks-3": "feed entry has no text",
        "not-a-feed.xml": "XML that is not an RSS or Atom feed",
    }
    assert reasons["broken.jsonl#2"].startswith("invalid JSON: Unterminated string")
    assert reasons["broken.jsonl#9"].startswith("invalid JSON: Unterminated string")


def test_good_and_recoverable_inputs_beside_them_are_imported(
    imported: tuple[dict[str, object], str, Path],
) -> None:
    report, stderr, data_dir = imported
    # 15 stories; 3 more inputs are copies of stories already read and are stored once.
    assert (report["added"], report["updated"], report["unchanged"]) == (15, 0, 3)
    from warta.index import Library

    with Library(data_dir) as lib:
        paths = {_short(s.path) for s in lib.articles()}
        assert {
            "good.txt", "good-page.html", "html-with-scripts", "atom.xml#urn:contoh:atom:1",
            "cp1252.txt", "latin1.txt", "invalid-utf8.txt", "ansi-rich.txt",
            "broken.jsonl#1", "broken.jsonl#6", "broken.jsonl#7",
            "records-as-text.txt#1", "records-as-text.txt#2",
            "feed-as-text.txt#teks-1", "feed-as-text.txt#teks-2",
        } <= paths  # fmt: skip
        # The feed's bad date costs the date only; the copies know where else they appeared.
        bad_date = lib.article(str(HOSTILE / "feed-bad-date.xml") + "#contoh-2")
        assert bad_date.published is None
        assert {_short(p) for p in lib.sources_of(bad_date.id)} == {
            "feed-as-text.txt#teks-2",
            "feed-bad-date.xml#contoh-2",
        }
        good_date = lib.article(str(HOSTILE / "feed-bad-date.xml") + "#contoh-1")
        assert good_date.published == "2022-07-30T11:28+07:00"
        assert "alert" not in good_date.text
        cp = lib.article(str(HOSTILE / "cp1252.txt"))
        assert "\u201cPanen tahun ini kurang bagus,\u201d" in cp.text and "caf\u00e9" in cp.text
        assert "M\u00fcnchen" in lib.article(str(HOSTILE / "latin1.txt")).text
        damaged = lib.article(str(HOSTILE / "invalid-utf8.txt")).text
        assert "Caf\u00e9 Pagi" in damaged and "\ufffd" in damaged
    # What was done to make them readable is said, on stderr only.
    assert "note: " + str(HOSTILE / "cp1252.txt") + ": not UTF-8: read as Windows-1252" in stderr
    assert "invalid-utf8.txt: 3 byte(s) not valid UTF-8" in stderr
    assert "broken.jsonl: 1 line(s) read as Windows-1252" in stderr


def test_html_scripts_never_become_text_and_entities_are_decoded(
    imported: tuple[dict[str, object], str, Path],
) -> None:
    _, _, data_dir = imported
    shown = run("show", str(HOSTILE / "good-page.html"), "--json", data_dir=data_dir)
    page = json.loads(shown.stdout)
    assert page["title"] == "Warga Gotong Royong Bersihkan Sungai & Pantai"
    assert page["published"] == "2023-03-04T09:15+07:00" and page["author"] == "Siti Rahma"
    text = page["text"]
    assert "sungai & pantai" in text and "2 ton" in text and "<script>" in text  # literal text
    for leaked in ("alert", "fetch(", "dibajak", "Beranda", "Komentar", "Banjir Rob", "\x1b"):
        assert leaked not in text


def test_ansi_escapes_and_rich_markup_reach_the_terminal_as_plain_text(
    imported: tuple[dict[str, object], str, Path],
) -> None:
    _, _, data_dir = imported
    human = run("show", str(HOSTILE / "ansi-rich.txt"), data_dir=data_dir)
    assert human.returncode == 0
    out = human.stdout
    for control in ("\x1b", "\x07", "\u202e", "\u202c"):
        assert control not in out
    assert "[bold red]tiga pelaku[/bold red]" in out  # shown as written, never interpreted
    assert "Klik di sini" in out and "8;;" not in out


def test_a_50_mb_file_is_refused_without_being_read_whole(tmp_path: Path) -> None:
    from warta.index.readers import iter_inputs

    huge = make_hostile.write_huge(tmp_path / "raksasa.txt")
    assert huge.stat().st_size == 50 * 1024 * 1024
    good = tmp_path / "kecil.txt"
    good.write_text(make_hostile.GOOD_TEXT, encoding="utf-8")
    tracemalloc.start()
    try:
        items = list(iter_inputs([huge, good]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert items[0].skipped is not None
    assert items[0].skipped.reason == "file is 52,428,800 bytes, over the 20 MB limit"
    assert items[1].doc is not None
    assert peak < 1024 * 1024  # only the 64 KiB sniffing head was read


def test_a_50_mb_file_through_the_command_line(tmp_path: Path) -> None:
    huge = make_hostile.write_huge(tmp_path / "raksasa.md")
    result = run("add", str(huge), data_dir=tmp_path / "d")
    assert result.returncode == 1 and "over the 20 MB limit" in result.stderr
    assert "Traceback" not in result.stderr


def test_file_names_cannot_steer_the_terminal(tmp_path: Path) -> None:
    evil = tmp_path / "\x1b[2J\x1b]0;judul\x07kosong.txt"
    evil.write_bytes(b"")
    result = run("add", str(evil), data_dir=tmp_path / "d")
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "kosong.txt: empty file" in result.stderr


def test_lexicon_yaml_with_python_tags_is_rejected_and_never_run(tmp_path: Path) -> None:
    from warta.lexicons import check_lexicons

    marker = Path("/tmp/warta-hostile-pwned")
    marker.unlink(missing_ok=True)
    issues = check_lexicons([HOSTILE / "lexicons" / "python-tag.yaml"])
    assert [(Path(i.path).name, i.line) for i in issues] == [("python-tag.yaml", 3)]
    assert "!!python/object/apply:os.system" in issues[0].message
    assert "not allowed" in issues[0].message
    assert not marker.exists()


def test_lexicon_alias_bomb_is_rejected_at_once() -> None:
    from warta.lexicons import check_lexicons

    started = time.monotonic()
    issues = check_lexicons([HOSTILE / "lexicons" / "alias-bomb.yaml"])
    assert time.monotonic() - started < 5
    assert [(Path(i.path).name, i.line) for i in issues] == [("alias-bomb.yaml", 5)]
    assert "anchors" in issues[0].message or "aliases" in issues[0].message
