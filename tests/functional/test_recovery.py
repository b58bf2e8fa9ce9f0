"""Tests that a full disk, a damaged index segment and a second process lose nothing and show
no traceback: the committed articles stay, the next `warta add` resumes."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from warta.index import Library
from warta.index import fulltext as fulltext_module

from tests.functional.test_cli import run, warta_command
from tests.functional.test_durability import committed


def corpus(path: Path, n: int, word: str = "rapat") -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Berita ke-{i} tentang {word} kabinet dan harga pangan di kota nomor {i}. " * 4
            fh.write(json.dumps({"id": f"r:{i}", "title": f"Berita {i}", "text": text}) + "\n")
    return path


class _FullDisk:
    """A whoosh writer that runs out of space after `left` more documents."""

    def __init__(self, writer: Any, budget: list[int]) -> None:
        self._writer = writer
        self._budget = budget

    def update_document(self, **fields: Any) -> None:
        if self._budget[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._budget[0] -= 1
        self._writer.update_document(**fields)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._writer, name)


def fill_disk_after(monkeypatch: pytest.MonkeyPatch, documents: int) -> None:
    real = fulltext_module.FullTextIndex.writer
    budget = [documents]

    def writer(self: fulltext_module.FullTextIndex) -> Any:
        return _FullDisk(real(self), budget)

    monkeypatch.setattr(fulltext_module.FullTextIndex, "writer", writer)


def test_full_disk_mid_batch_keeps_every_committed_batch_and_the_next_add_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = corpus(tmp_path / "berita.jsonl", 130)
    data_dir = tmp_path / "d"
    with Library(data_dir, seed=False, batch_size=50) as lib:
        fill_disk_after(monkeypatch, 115)  # the third batch fails half way
        with pytest.raises(OSError) as failure:
            lib.add([source])
        assert failure.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert committed(data_dir) == 100
    with Library(data_dir, seed=False, batch_size=50) as lib:
        assert not any("rebuilt" in n for n in lib.notices)
        assert lib.count() == 100
        assert lib.search("kabinet", limit=1).total == 100
        report = lib.add([source])
        assert (report.added, report.unchanged) == (30, 100)
        assert lib.search("kabinet", limit=1).total == 130
    assert not (data_dir / "index.dirty").exists()


def test_full_disk_between_index_and_sources_commit_is_reconciled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index batch committed, the sources could not: the extra documents go at next open."""
    source = corpus(tmp_path / "berita.jsonl", 120)
    data_dir = tmp_path / "d"
    with Library(data_dir, seed=False, batch_size=50) as lib:
        real_commit = lib.sources.commit
        calls = [0]

        def commit() -> None:
            calls[0] += 1
            if calls[0] == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_commit()

        monkeypatch.setattr(lib.sources, "commit", commit)
        with pytest.raises(OSError):
            lib.add([source])
        assert lib.fulltext.doc_count() == 100  # batch 2 reached the index only
    assert committed(data_dir) == 50
    with Library(data_dir, seed=False) as lib:
        assert lib.search("kabinet", limit=1).total == 50
        assert lib.add([source]).added == 70
        assert lib.search("kabinet", limit=1).total == 120


def test_full_disk_is_one_line_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from warta.tui.cli import main

    source = corpus(tmp_path / "berita.jsonl", 20)
    fill_disk_after(monkeypatch, 5)
    status = main(["add", str(source), "--data-dir", str(tmp_path / "d")])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.startswith("warta: the disk is full") and err.count("\n") == 1
    assert "run `warta add` again" in err


@pytest.mark.parametrize("damage", ["truncate", "empty", "remove"])
def test_damaged_segment_file_is_detected_at_start_and_rebuilt(tmp_path: Path, damage: str) -> None:
    data_dir = tmp_path / "d"
    with Library(data_dir) as lib:
        lib.add([corpus(tmp_path / "berita.jsonl", 40)])
        lib.set_bookmark("r:3")
        lib.set_read("r:4")
    segments = list((data_dir / "index").glob("*.seg"))
    assert segments
    for seg in segments:
        if damage == "truncate":
            os.truncate(seg, seg.stat().st_size // 2)
        elif damage == "empty":
            os.truncate(seg, 0)
        else:
            seg.unlink()
    with Library(data_dir) as lib:
        assert any("rebuilt" in n for n in lib.notices)
        assert lib.search("kabinet", limit=1).total == 40
        assert len(lib.search("shoigu").hits) == 3
        assert lib.bookmarks() == ["r:3"] and lib.read_ids() == {"r:4"}


WRITER = """
import sys
from warta.index import Library
lib = Library(sys.argv[1], seed=False, batch_size=int(sys.argv[3]))
lib.add([sys.argv[2]])
lib.close()
"""


def test_reader_open_while_another_process_adds_sees_new_articles(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    with Library(data_dir, seed=False) as lib:
        lib.add([corpus(tmp_path / "awal.jsonl", 5, word="pertama")])
    source = corpus(tmp_path / "berita.jsonl", 400)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir), str(source), "25"], stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while committed(data_dir) < 30 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the writer finished before the reader could open"
        # The writer holds the lock and its dirty marker is there: opening must not wait.
        assert (data_dir / "index.dirty").exists()
        started = time.monotonic()
        reader = Library(data_dir, seed=False)
        assert time.monotonic() - started < 5
        try:
            first = reader.search("kabinet", limit=1).total
            assert first >= 25
            busy = run("search", "kabinet", "--json", data_dir=data_dir)
            assert busy.returncode == 0 and "Traceback" not in busy.stderr
            assert proc.wait(timeout=300) == 0
            # The same searcher object, refreshed: it sees everything the writer committed.
            assert reader.search("rapat kabinet", limit=1).total == 400
            assert reader.search("pertama kabinet", limit=1).total == 5
            assert reader.count() == 405
        finally:
            reader.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not (data_dir / "index.dirty").exists()


def test_second_add_while_one_runs_waits_or_fails_in_one_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    Library(data_dir, seed=False).close()
    source = corpus(tmp_path / "berita.jsonl", 400)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir), str(source), "25"], stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while committed(data_dir) < 25 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        other = tmp_path / "lain.txt"
        other.write_text("Judul Lain\n\nIsi berita lain tentang pelabuhan.\n", encoding="utf-8")
        env = {**os.environ, "WARTA_DATA_DIR": str(data_dir), "WARTA_LOCK_WAIT": "0.5"}
        second = subprocess.run(
            [*warta_command(), "add", str(other)], capture_output=True, text=True, env=env
        )
        if proc.poll() is None:
            assert second.returncode == 2
            assert second.stderr.strip().splitlines()[-1].startswith("warta: another warta")
        assert "Traceback" not in second.stderr
    finally:
        proc.wait(timeout=300)
