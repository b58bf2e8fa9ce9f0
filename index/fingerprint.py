"""Provides the fingerprint of what stored entity spans depend on: lexicons, rules, extractor.

Entity spans are found at import and stored (derived.sqlite, the index's `entities` and `names`
fields, the events built from them). They stay right only while the lexicon files (bundled and
the user's own), the matcher's rule data and the matching code are the ones they were found
with. The fingerprint is a hash of those files' bytes and of `EXTRACTOR_VERSION`; it is stored
with the derived stores and compared on the command line's fast paths, so it must stay cheap:
files are read and hashed, never parsed (no YAML, no spaCy).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Literal

from warta.lexicons.loader import default_user_dir, yaml_files

EXTRACTOR_VERSION = 1
"""Bump when a change to the matching code (nlp.py, entity_rules.py, tokenizer.py) changes the
spans an unchanged lexicon gives: every stored index then tells its user to run a reindex."""

RULE_FILES = ("entity_rules.yaml", "triggers.yaml", "dates.yaml")
"""The files of index/data/ the stored spans and events are found with: the entity pipeline's
rules, the trigger lexicon and the date rules (events are stamped with the same fingerprint)."""

UserDir = Path | Literal[False] | None


def _feed(h: hashlib._Hash, label: str, data: bytes) -> None:
    # Lengths before contents: no two different file sets can hash the same stream.
    name = label.encode()
    h.update(len(name).to_bytes(4, "big") + name + len(data).to_bytes(8, "big"))
    h.update(data)


def spans_fingerprint(user_dir: UserDir = None) -> str:
    """The fingerprint of the bundled lexicons, the user's (`user_dir`: None is the default
    directory, False none), the rule files and the extractor version.

    Names are relative to their folder, so the same files installed elsewhere give the same
    fingerprint; a user file renamed changes it (files are merged in name order)."""
    h = hashlib.sha256(f"warta-spans-{EXTRACTOR_VERSION}".encode())
    for name, node in yaml_files(resources.files("warta.lexicons.data")):
        _feed(h, f"bundled/{name}", node.read_bytes())
    data = resources.files("warta.index.data")
    for name in RULE_FILES:
        _feed(h, f"rules/{name}", data.joinpath(name).read_bytes())
    if user_dir is not False:
        directory = default_user_dir() if user_dir is None else user_dir
        if directory.is_dir():
            for name, node in yaml_files(directory):
                _feed(h, f"user/{name}", node.read_bytes())
    return h.hexdigest()[:24]


def tables_fingerprint(tables_key: str) -> str:
    """The fingerprint of an extractor built from other lexicon files than the installed ones
    (given paths, as tests and evaluations do): its tables' key already hashes them."""
    return f"tables-{EXTRACTOR_VERSION}-{tables_key}"
