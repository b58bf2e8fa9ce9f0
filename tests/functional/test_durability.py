"""Tests that a killed `warta add` loses nothing committed and the next add resumes."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from warta.index import Library

WRITER = """
import sys
from warta.index import Library
lib = Library(sys.argv[1], seed=False, batch_size=50)
lib.add([sys.argv[2]])
"""


def committed(data_dir: Path) -> int:
    db = data_dir / "sources.sqlite"
    if not db.exists():
        return 0
    con = sqlite3.connect(db, timeout=5)
    try:
        return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def test_kill_during_add_leaves_a_working_index(tmp_path: Path) -> None:
    corpus = tmp_path / "big.jsonl"
    with corpus.open("w") as fh:
        for n in range(4000):
            text = f"Berita ke-{n} tentang rapat kabinet dan harga pangan di kota nomor {n}. " * 8
            fh.write(json.dumps({"id": f"k:{n}", "title": f"Berita {n}", "text": text}) + "\n")
    data_dir = tmp_path / "d"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), str(corpus)])
    deadline = time.monotonic() + 60
    while committed(data_dir) < 100 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = committed(data_dir)
    assert before >= 100

    with Library(data_dir, seed=False) as lib:
        # Everything the sources committed is searchable; nothing half-written shows up.
        assert lib.count() == before
        assert lib.search("rapat kabinet", limit=1).total == before
        report = lib.add([corpus])
        assert report.added == 4000 - before
        assert report.unchanged == before
        assert lib.search("rapat kabinet", limit=1).total == 4000
