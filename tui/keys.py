"""Provides the user's key remapping: `<config dir>/keys.yaml` (or keys.toml) read into a keymap.

The file maps binding ids to keys, one or several, as Textual names them:

    reader.back: backspace,h          # YAML; a list works too: [backspace, h]
    "reader.quit" = "q"               # TOML
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

KEY_FILES = ("keys.yaml", "keys.yml", "keys.toml")


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ValueError(f"{path}{line}: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: {exc}") from None


def _read_toml(path: Path) -> Any:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        raise ValueError(f"{path}: TOML needs Python 3.11 or later; use keys.yaml") from None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: {exc}") from None


def load_keymap(config_dir: Path, known_ids: set[str]) -> tuple[dict[str, str], list[str]]:
    """The keymap from the first key file found, and the problems found in it.

    A problem never stops the reader: bad entries are left out and reported.
    """
    path = next((config_dir / name for name in KEY_FILES if (config_dir / name).is_file()), None)
    if path is None:
        return {}, []
    try:
        data = _read_toml(path) if path.suffix == ".toml" else _read_yaml(path)
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [f"{path}: {exc}"]
    except ValueError as exc:
        return {}, [str(exc)]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"{path}: expected a mapping of binding ids to keys"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in data.items():
        if binding_id not in known_ids:
            problems.append(f"{path}: unknown binding id {binding_id!r}")
            continue
        if isinstance(keys, str):
            names = [k.strip() for k in keys.split(",")]
        elif isinstance(keys, list) and all(isinstance(k, str) for k in keys):
            names = [k.strip() for k in keys]
        else:
            problems.append(f"{path}: {binding_id}: keys must be a string or a list of strings")
            continue
        names = [n for n in names if n]
        if not names:
            problems.append(f"{path}: {binding_id}: no keys given")
            continue
        keymap[binding_id] = ",".join(names)
    return keymap, problems
