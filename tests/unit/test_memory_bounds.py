"""Tests that the caches of a long import stay bounded: stems and the entity pipeline's Vocab."""

from __future__ import annotations

from pathlib import Path

import pytest
from warta.index import analysis, nlp
from warta.index.nlp import EntityExtractor

TEST_LEXICON = Path(__file__).resolve().parents[1] / "data" / "lexicon"


def test_stem_cache_drops_its_oldest_words_past_the_cap(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(analysis, "_STEMS", {})
    monkeypatch.setattr(analysis, "_STEM_CACHE_LIMIT", 100)
    monkeypatch.setattr(analysis, "_STEM_CACHE_KEEP", 60)
    words = [f"kata{i}" for i in range(250)]
    for word in words:
        analysis.stem(word)
        assert analysis.stem_cache_size() <= 100
    assert words[-1] in analysis._STEMS
    assert words[0] not in analysis._STEMS
    assert analysis.stem("menemui") == "temu"  # still stems after trimming

    # A persisted cache larger than the cap is trimmed on load, newest kept.
    path = tmp_path / "stems.marshal"
    big = {f"nama{i}": f"nama{i}" for i in range(300)}
    path.write_bytes(__import__("marshal").dumps(big))
    analysis._STEMS.clear()
    analysis.load_stem_cache(path)
    assert analysis.stem_cache_size() == 60
    assert "nama299" in analysis._STEMS


def test_extractor_recycles_its_vocab_without_changing_spans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extractor = EntityExtractor([TEST_LEXICON], user_dir=False, use_cache=False)
    text = "Menteri Pertahanan Rusia Sergei Shoigu bertemu Prabowo di Jakarta."
    before = extractor.extract(text, "2023-05-01")
    monkeypatch.setattr(nlp, "VOCAB_LIMIT", 50)
    first = extractor.nlp
    for i in range(40):
        extractor.extract(f"Kata{i} baru{i} muncul{i} di berita{i} hari ini.", "2023-05-01")
        assert len(extractor.nlp.vocab) <= 50 + 20
    assert extractor.nlp is not first
    assert extractor.extract(text, "2023-05-01") == before
    many = list(extractor.extract_many([(text, "2023-05-01")] * 3))
    assert many == [before] * 3
