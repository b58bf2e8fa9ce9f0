"""Provides the removal of control characters before any article text reaches a terminal."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (CSI 0x9b included), and the bidi
# overrides/isolates that can reorder what a terminal shows.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A whole ANSI escape sequence goes, not just its ESC, so "\x1b[31m" leaves no "[31m" debris.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def terminal_safe(text: str) -> str:
    """`text` with escape sequences and control characters removed; newlines and tabs kept."""
    if not text:
        return text
    return _CONTROL.sub("", _ANSI.sub("", text.replace("\r\n", "\n")))
