"""Provides where Warta keeps its data and user configuration."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "warta"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the override, else $WARTA_DATA_DIR, else the platform's."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("WARTA_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """The configuration directory: $WARTA_CONFIG_DIR, else the platform's."""
    env = os.environ.get("WARTA_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME))
