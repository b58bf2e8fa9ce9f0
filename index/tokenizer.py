"""Provides the lean tokenizer of the entity pipeline: Indonesian punctuation rules, no exceptions.

`spacy.blank("id")` spends seconds compiling its tokenizer exception table; entity matching only
needs words and punctuation split the way the lexicon aliases are split, with exact character
offsets. Whitespace other than one space after a token becomes a token of its own, as spaCy's
tokenizer does, so `doc.text` is the input text and `token.idx` an offset into it.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.vocab import Vocab

# A word keeps inner dots and apostrophes ("3.5", "Mu'ti", "KOMPAS.com"); a hyphen, slash or
# any other mark is a token of its own, so "AS-Rusia" yields AS, -, Rusia.
# Doc.user_data key of the token texts, kept so the components need not make Token objects.
WORDS = "warta_words"

TOKEN = re.compile(r"\w+(?:[.'\u2019]\w+)*|[^\w\s]")


def words_of(text: str) -> list[str]:
    """The non-space tokens of a text, as the tokenizer splits them (for lexicon aliases)."""
    return TOKEN.findall(text)


class LeanTokenizer:
    """A regex tokenizer producing spaCy Docs whose text is exactly the input."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for m in TOKEN.finditer(text):
            start = m.start()
            if start > pos:
                self._gap(text[pos:start], words, spaces)
            words.append(m.group())
            spaces.append(False)
            pos = m.end()
        if pos < len(text):
            self._gap(text[pos:], words, spaces)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[WORDS] = words
        return doc

    @staticmethod
    def _gap(gap: str, words: list[str], spaces: list[bool]) -> None:
        if words and gap[0] == " ":
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)

    def pipe(self, texts: object, batch_size: int = 1000) -> object:
        for text in texts:  # type: ignore[attr-defined]
            yield self(text)

    # spaCy calls these when a pipeline is saved or loaded; the tokenizer has no state.
    def to_bytes(self, **_: object) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **__: object) -> LeanTokenizer:
        return self

    def to_disk(self, _path: object, **__: object) -> None:
        return None

    def from_disk(self, _path: object, **__: object) -> LeanTokenizer:
        return self
