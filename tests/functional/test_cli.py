"""Tests of the `warta` command line through its real entry point, as scripts use it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS


def warta_command() -> list[str]:
    script = Path(sys.executable).with_name("warta")
    return [str(script)] if script.exists() else [sys.executable, "-m", "warta.tui.cli"]


def run(
    *args: str, data_dir: Path, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WARTA_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [*warta_command(), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        input=stdin,
        timeout=120,
    )


def test_search_from_another_directory_finds_the_seeds(tmp_path: Path) -> None:
    result = run("search", "shoigu", "--json", data_dir=tmp_path / "d", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "shoigu"
    paths = sorted(h["path"] for h in data["hits"])
    assert [p[:9] for p in paths] == ["seeds/000", "seeds/001", "seeds/002"]
    assert set(data["hits"][0]) == {
        "id",
        "path",
        "title",
        "source",
        "published",
        "score",
        "snippet",
    }
    assert data["total"] == 3


def test_add_reports_counts_and_skips_with_exit_1(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Judul Berita\n\nIsi berita tentang pertemuan menteri di Jakarta.\n")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x01")
    result = run("add", str(good), str(bad), "--json", data_dir=tmp_path / "d")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data == {
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": [{"path": str(bad.resolve()), "reason": data["skipped"][0]["reason"]}],
    }
    assert "bad.txt" in result.stderr and "Traceback" not in result.stderr
    again = run("add", str(good), "--json", data_dir=tmp_path / "d")
    assert again.returncode == 0
    assert json.loads(again.stdout)["unchanged"] == 1


def test_show_by_id_and_by_path(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    shutil.copy(SEEDS / "004_570f68fb9ef06bfe.txt", src)
    run("add", str(src), data_dir=tmp_path / "d")
    by_path = run("show", str(src), "--json", data_dir=tmp_path / "d")
    assert by_path.returncode == 0, by_path.stderr
    data = json.loads(by_path.stdout)
    assert set(data) == {
        "id", "path", "title", "source", "published", "author", "dateline", "url", "text",
        "entities", "events",
    }  # fmt: skip
    assert data["published"] == "2022-07-30T11:28+07:00"
    assert data["source"] == "detik.com"
    by_id = run("show", data["id"], "--json", data_dir=tmp_path / "d")
    assert json.loads(by_id.stdout)["text"] == data["text"]
    human = run("show", data["id"], data_dir=tmp_path / "d")
    assert human.stdout.startswith("Menlu AS-Rusia Pertama Teleponan")


def test_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    missing = run("show", "no-such-article", data_dir=tmp_path / "d")
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and missing.stderr.startswith("warta: ")
    usage = run("search", data_dir=tmp_path / "d")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    unknown = run("frobnicate", data_dir=tmp_path / "d")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1


def test_json_output_is_only_json_even_with_notices(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    run("search", "x", data_dir=data_dir)
    shutil.rmtree(data_dir / "index")
    result = run("search", "lavrov", "--json", data_dir=data_dir)
    assert result.returncode == 0
    assert json.loads(result.stdout)["total"] == 1
    assert "rebuilt" in result.stderr


def test_reindex(tmp_path: Path) -> None:
    result = run("reindex", data_dir=tmp_path / "d")
    assert result.returncode == 0 and "5 articles reindexed" in result.stdout


def test_data_dir_flag_overrides_environment(tmp_path: Path) -> None:
    result = run(
        "search",
        "lavrov",
        "--json",
        "--data-dir",
        str(tmp_path / "flag"),
        data_dir=tmp_path / "env",
    )
    assert result.returncode == 0
    assert (tmp_path / "flag" / "sources.sqlite").exists()
    assert not (tmp_path / "env").exists()


def test_data_dir_before_or_after_the_command(tmp_path: Path) -> None:
    for args in (
        ["--data-dir", str(tmp_path / "before"), "search", "lavrov"],
        ["search", "lavrov", "--data-dir", str(tmp_path / "after")],
    ):
        assert run(*args, data_dir=tmp_path / "env").returncode == 0
    assert (tmp_path / "before" / "sources.sqlite").exists()
    assert (tmp_path / "after" / "sources.sqlite").exists()
    assert not (tmp_path / "env").exists()


def test_search_output_strips_control_characters(tmp_path: Path) -> None:
    evil = tmp_path / "evil.txt"
    evil.write_text(
        "Judul \x1b[31mmerah\x1b[0m\n\nTeks [bold red]x[/] dengan \x1b]0;title\x07 kejutan.\n"
    )
    run("add", str(evil), data_dir=tmp_path / "d")
    result = run("search", "kejutan", data_dir=tmp_path / "d")
    assert "\x1b" not in result.stdout and "[bold red]x[/]" in result.stdout


@pytest.mark.parametrize("command", [[], ["add"], ["search"], ["show"], ["reindex"]])
def test_every_command_has_help(tmp_path: Path, command: list[str]) -> None:
    result = run(*command, "--help", data_dir=tmp_path / "d")
    assert result.returncode == 0 and "usage: warta" in result.stdout
