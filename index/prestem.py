"""Provides stemming one batch ahead in a helper process, so Sastrawi and whoosh share 2 cores.

Sastrawi costs ~0.1 ms for each word it has not seen; a fresh corpus has tens of thousands of
them. While the main process indexes batch k, a helper process stems the new words of batch
k+1 and hands them back to the main process's stem cache, so the analyzer finds them cached.
Only large imports start the helper: small ones would pay its start-up for nothing.

The helper is a plain `python -m warta.index.prestem` child speaking length-prefixed marshal
over its pipes, not multiprocessing: that would re-import the caller's `__main__` and fork a
threaded reader.
"""

from __future__ import annotations

import marshal
import re
import struct
import subprocess
import sys
from collections.abc import Sequence
from typing import IO

from . import analysis

_TOKEN = re.compile(analysis.TOKEN_PATTERN)
_HEADER = struct.Struct("!I")


def stem_new_words(texts: Sequence[str]) -> dict[str, str]:
    """Stems of the words in `texts` this process had not stemmed before."""
    fresh: dict[str, str] = {}
    stems = analysis._STEMS
    skip = analysis.stopwords() | analysis.protected_words()
    for text in texts:
        for word in _TOKEN.findall(text.lower()):
            if word not in stems and word not in skip and word not in fresh:
                fresh[word] = analysis.stem(word)
    return fresh


def _send(stream: IO[bytes], value: list[str] | dict[str, str]) -> None:
    data = marshal.dumps(value)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> object:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    return marshal.loads(stream.read(size))


class StemAhead:
    """The main process's side: submit the next batch's texts, collect its stems later."""

    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None = None
        self._waiting = False
        self._broken = False

    def submit(self, texts: Sequence[str]) -> None:
        if self._broken:
            return
        try:
            if self._child is None:
                self._child = subprocess.Popen(
                    [sys.executable, "-m", "warta.index.prestem"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            assert self._child.stdin is not None
            _send(self._child.stdin, list(texts))
            self._waiting = True
        except (OSError, ValueError):
            self._give_up()

    def collect(self) -> None:
        """Wait for the batch under way and merge its stems into this process's cache."""
        if not self._waiting or self._child is None:
            return
        self._waiting = False
        try:
            assert self._child.stdout is not None
            stems = _receive(self._child.stdout)
        except (OSError, EOFError, ValueError):
            self._give_up()
            return
        if isinstance(stems, dict):
            analysis._STEMS.update(stems)

    def _give_up(self) -> None:
        # A lost helper only costs speed: the analyzer stems whatever is not cached.
        self._broken = True
        self.close()

    def close(self) -> None:
        child, self._child = self._child, None
        self._waiting = False
        if child is None:
            return
        try:
            if child.stdin is not None:
                child.stdin.close()
            child.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            child.kill()
            child.wait()


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The helper's side: stem each batch it is sent until its input closes."""
    while True:
        try:
            texts = _receive(stdin)
        except EOFError:
            return
        _send(stdout, stem_new_words(texts if isinstance(texts, list) else []))


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
