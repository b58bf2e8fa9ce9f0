"""Provides the fixtures shared by the unit and functional tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WARTA_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real user's data or configuration."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WARTA_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("WARTA_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("WARTA_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture(scope="session")
def bundled() -> object:
    """The entity pipeline over the bundled lexicons only, built once for the whole run."""
    from warta.index.nlp import EntityExtractor

    return EntityExtractor(user_dir=False, use_cache=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def library(data_dir: Path) -> Iterator[object]:
    from warta.index import Library

    lib = Library(data_dir)
    yield lib
    lib.close()


@pytest.fixture
def empty_library(data_dir: Path) -> Iterator[object]:
    from warta.index import Library

    lib = Library(data_dir, seed=False)
    yield lib
    lib.close()


def corpus_or_skip() -> Path:
    path = CORPUS / "news.jsonl"
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path}")
    return path
